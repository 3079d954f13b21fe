#!/bin/sh
# `rongcuo import cases`: historical cases from CSV.  Every class of bad row
# with its exact message (FILE:ROW:COLUMN), all or nothing (one bad row and
# nothing is imported, every bad row still reported) and --keep-good (the
# good rows imported, in batches), one audit row per imported case, header
# errors, the reader's own errors, the importing user's role, and progress
# only on a terminal.  The policy is tests/cli/data/import/ (v1 until
# 2022-12-31, v2 from 2023-01-01 with a fact v1 lacks and two rules that
# conflict).
# Run from the repository root: BIN=build/rongcuo sh tests/cli/import.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
P=tests/cli/data/import
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
want() { # want EXIT TEXT-IN-OUTPUT-OR-ERR DESCRIPTION
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 3 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
}
imp() { rc_ import cases "$@" --policy "$P" --today 2024-06-30; }
# the messages, with the scratch directory taken out of the file names
errs() { sed "s|$T/||g" "$T/err"; }
audit_rows() { "$BIN" audit verify --data "$D" | sed -n 's/audit chain verified: \([0-9]*\) rows/\1/p'; }
n_cases() { "$BIN" case list --data "$D" | wc -l | tr -d ' '; }

rc_ db init; want 0 "" "db init"
rc_ org add ZJ 浙江省 province; want 0 "" "org ZJ"
rc_ org add HZ 杭州市 city --parent ZJ; want 0 "" "org HZ"
rc_ org add XX 某县 county --parent HZ; want 0 "" "org XX"
rc_ org add YY 另县 county --parent HZ; want 0 "" "org YY"
rc_ person add 张三 --org XX; want 0 "(id 1)" "person 1"
rc_ person add 李四 --org YY; want 0 "(id 2)" "person 2"
rc_ user add li 李四 --org XX --role 承办单位; want 0 "" "user li"
rc_ user add wang 王五 --org XX --role 党委; want 0 "" "user wang"
rc_ case open --as li --person 1 --path application --handling XX --code EXIST-1 --policy "$P" --today 2024-01-02
want 0 "case EXIST-1 opened under policy import-test v2" "a case already there"

# ---- a file with three good rows and one bad row of every kind ------------
# Headers in Chinese and English alike; the last four columns are facts.
H='code,当事人,当事人姓名,涉及单位,启动方式,案件来源,关联问责事项,handling,党委(党组),立案日期,当前步骤,步骤日期,认定结果,认定日期,政策版本,谋取私利,损失金额,补救情况,新事实'
long64=$(printf 'L%.0s' $(seq 64))
ref1001=$(printf 'r%.0s' $(seq 1001))
ref4097=$(printf 'r%.0s' $(seq 4097))
{
	echo "$H"
	echo 'G-1,1,张三,,依申请,审计,问责-1,XX,HZ,2022-03-01,受理,2022-03-02,,,v1,false,0,有利,'
	echo 'G-2,,,XX,ex_officio,,,XX,,2023-05-01,认定,2023-06-01,不予追究责任,2023-06-01,,否,5,有利,是'
	echo 'B-1,1'
	echo ',1,,,依申请,,,XX,,2022-01-01,,,,,,,,,'
	echo 'G-1,1,,,依申请,,,XX,,2022-01-01,,,,,,,,,'
	echo 'EXIST-1,1,,,依申请,,,XX,,2022-01-01,,,,,,,,,'
	echo 'B-2,abc,,,依申请,,,XX,,2022-01-01,,,,,,,,,'
	echo 'B-3,99,,,依申请,,,XX,,2022-01-01,,,,,,,,,'
	echo 'B-4,1,李四,,依申请,,,XX,,2022-01-01,,,,,,,,,'
	echo 'B-5,,,,依申请,,,XX,,2022-01-01,,,,,,,,,'
	echo 'B-6,,,ZZ,依申请,,,XX,,2022-01-01,,,,,,,,,'
	echo 'B-7,1,,,sideways,,,XX,,2022-01-01,,,,,,,,,'
	echo 'B-8,1,,,依申请,传说,,XX,,2022-01-01,,,,,,,,,'
	echo 'B-9,1,,,依申请,,,,,2022-01-01,,,,,,,,,'
	echo 'B-10,1,,,依申请,,,YY,,2022-01-01,,,,,,,,,'
	echo 'B-11,1,,,依申请,,,XX,QQ,2022-01-01,,,,,,,,,'
	echo 'B-12,1,,,依申请,,,XX,,,,,,,,,,,'
	echo 'B-13,1,,,依申请,,,XX,,2022/03/01,,,,,,,,,'
	echo 'B-14,1,,,依申请,,,XX,,2022-02-30,,,,,,,,,'
	echo 'B-15,1,,,依申请,,,XX,,2025-01-01,,,,,,,,,'
	echo 'B-16,1,,,依申请,,,XX,,2019-06-01,,,,,,,,,'
	echo 'B-17,1,,,依申请,,,XX,,2022-03-01,,,,,v2,,,,'
	echo 'B-18,1,,,依申请,,,XX,,2022-03-01,调查核实,,,,,,,,'
	echo 'B-19,1,,,依申请,,,XX,,2022-03-01,受理,2022-02-01,,,,,,,'
	echo 'B-20,1,,,依申请,,,XX,,2022-03-01,,,免责,,,,,,'
	echo 'B-21,1,,,依申请,,,XX,,2022-03-01,,,,2022-04-01,,,,,'
	echo 'B-22,1,,,依申请,,,XX,,2022-03-01,,,从轻追究责任,2022-01-01,,,,,'
	echo 'B-23,1,,,依申请,,,XX,,2022-03-01,,,,,,,,,是'
	echo 'B-24,1,,,依申请,,,XX,,2022-03-01,,,,,,,-5,,'
	echo 'B-25,1,,,依申请,,,XX,,2022-03-01,,,,,,maybe,,,'
	echo 'B-26,1,,,依申请,,,XX,,2022-03-01,,,,,,,,良好,'
	echo 'B-27,1,,,依申请,,,XX,,2023-03-01,,,,,,是,2000,,'
	printf 'B-28,1,,,依申请,,a\tb,XX,,2022-03-01,,,,,,,,,\n'
	echo 'B-29,1,,,依申请,,"two'
	echo 'lines",XX,,2022-03-01,,,,,,,,,'
	printf 'B-30,1,\325\305\310\375,,依申请,,,XX,,2022-03-01,,,,,,,,,\n'
	echo 'B-31,1,,,依申请,,x"y,XX,,2022-03-01,,,,,,,,,'
	echo "$long64,1,,,依申请,,,XX,,2022-03-01,,,,,,,,,"
	echo "B-32,1,,,依申请,,$ref1001,XX,,2022-03-01,,,,,,,,,"
	echo "B-33,1,,,依申请,,$ref4097,XX,,2022-03-01,,,,,,,,,"
	echo 'B-34,,张三,XX,依申请,,,XX,,2022-03-01,,,,,,,,,'
	# an official and a unit of the sibling county: as if they did not exist
	echo 'B-35,2,,,依申请,,,XX,,2022-03-01,,,,,,,,,'
	echo 'B-36,,,YY,依职权,,,XX,,2022-03-01,,,,,,,,,'
	echo 'W-1,1,,,依申请,,,XX,,2022-03-01,认定,2022-05-01,不予追究责任,2022-05-01,,是,,,'
} >"$T/bad.csv"

cat >"$T/bad.expected" <<'EOF'
bad.csv:4: error: the row has 2 fields; the header has 19
bad.csv:5:code: error: the case code is required
bad.csv:6:code: error: case code 'G-1' repeats row 2
bad.csv:7:code: error: case code 'EXIST-1' already exists
bad.csv:8:当事人: error: 'abc' is not an official's id (a whole number)
bad.csv:9:当事人: error: no official with id 99; `rongcuo person add` adds one
bad.csv:10:当事人姓名: error: '李四' is not the name of official 1 (张三); check the id in 当事人
bad.csv:11: error: a case needs its subject: 当事人 (an official's id) or 涉及单位 (a unit's code)
bad.csv:12:涉及单位: error: no organisation with code 'ZZ'; `rongcuo org list` shows them
bad.csv:13:启动方式: error: 'sideways' is not a start path; write 依申请 or 依职权 (application, ex_officio)
bad.csv:14:案件来源: error: source '传说' is not one of: 监督执纪, 巡视巡察, 干部考核, 监管执法, 审计, 其他
bad.csv:15:handling: error: the handling unit (承办单位) is required
bad.csv:16:handling: error: refused: user 'li' is not in organisation 'YY' or one above it
bad.csv:17:党委(党组): error: no organisation with code 'QQ'; `rongcuo org list` shows them
bad.csv:18:立案日期: error: the date the case was opened is required
bad.csv:19:立案日期: error: '2022/03/01' is not a date; write it as YYYY-MM-DD
bad.csv:20:立案日期: error: '2022-02-30' is an impossible date (year 1900-2199, real month and day)
bad.csv:21:立案日期: error: 2025-01-01 is after today (2024-06-30): a historical case is in the past
bad.csv:22:立案日期: error: no loaded policy version is in force on 2019-06-01; load the version for that date (--policy)
bad.csv:23:政策版本: error: 'v2' is not the policy version in force on the case's opening date 2022-03-01 (v1)
bad.csv:24:当前步骤: error: '调查核实' is not a step of policy v1; its steps are 启动, 受理, 认定
bad.csv:25:步骤日期: error: 2022-02-01 is before the case was opened (2022-03-01)
bad.csv:26:认定结果: error: '免责' is not an outcome of policy v1; its outcomes are 不予追究责任, 从轻追究责任, 不予容错
bad.csv:27:认定日期: error: a decision date without the outcome (认定结果)
bad.csv:28:认定日期: error: 2022-01-01 is before the case was opened (2022-03-01)
bad.csv:29:新事实: error: '新事实' is not a fact or standard of policy v1
bad.csv:30:损失金额: error: -5 is out of range; expected int in 万元, 0..
bad.csv:31:谋取私利: error: expected bool (true/false) or null, got a string
bad.csv:32:补救情况: error: "良好" is not allowed; expected one of "有利", "一般", "不利", "未查明"
bad.csv:33: error: the row's facts make rules '谋私不容' and '巨额损失' of policy v2 both apply with different outcomes; fix the policy (rongcuo policy check)
bad.csv:34:关联问责事项: error: must be one line, without control characters (a line break or a tab inside the cell)
bad.csv:35:关联问责事项: error: must be one line, without control characters (a line break or a tab inside the cell)
bad.csv:36:当事人姓名: error: is not valid UTF-8 at byte 1 (a file saved as GBK? save it as CSV UTF-8)
bad.csv:37:关联问责事项: error: a quote inside an unquoted field; quote the whole field and double the quote ("")
bad.csv:38:code: error: is 64 bytes long; at most 63 are allowed
bad.csv:39:关联问责事项: error: is 1001 bytes long; at most 1000 are allowed
bad.csv:40:关联问责事项: error: field 7 is longer than 4096 bytes
bad.csv:41:当事人姓名: error: a name without the official's id (当事人)
bad.csv:42:当事人: error: no official with id 2; `rongcuo person add` adds one
bad.csv:43:涉及单位: error: no organisation with code 'YY'; `rongcuo org list` shows them
bad.csv:44:认定结果: warning: the recorded outcome '不予追究责任' is not what the engine recommends for the row's facts (不予容错); imported as recorded
EOF

# ---- all or nothing (the default): every bad row reported, nothing written
cases0=$(n_cases)
audit0=$(audit_rows)
for mode in "" --all-or-nothing; do
	# shellcheck disable=SC2086 # mode is one word or none
	imp "$T/bad.csv" --as li $mode
	want 3 "bad.csv: 40 of 43 rows are bad; nothing was imported (all or nothing" "all or nothing ${mode:-(default)}"
	errs | grep -v '^rongcuo import:' >"$T/got"
	diff -u "$T/bad.expected" "$T/got" >"$T/diff" || bad "all or nothing ${mode:-(default)}: the messages differ: $(cat "$T/diff")"
	[ -s "$T/out" ] && bad "all or nothing: something on stdout: $(cat "$T/out")"
	[ "$(n_cases)" = "$cases0" ] || bad "all or nothing ${mode:-(default)}: cases were written"
	[ "$(audit_rows)" = "$audit0" ] || bad "all or nothing ${mode:-(default)}: audit rows were written"
done
# --check: the same messages, nothing written
imp "$T/bad.csv" --as li --check
want 3 "bad.csv: 40 of 43 rows are bad (--check)" "--check"
errs | grep -v '^rongcuo import:' >"$T/got"
diff -u "$T/bad.expected" "$T/got" >"$T/diff" || bad "--check: the messages differ: $(cat "$T/diff")"
[ "$(n_cases)" = "$cases0" ] || bad "--check: cases were written"
[ "$(audit_rows)" = "$audit0" ] || bad "--check: audit rows were written"
# progress goes to a terminal only: stderr is a file here
grep -q 'rows/s' "$T/err" && bad "progress printed although standard error is not a terminal"

# ---- keep the good rows -----------------------------------------------------
imp "$T/bad.csv" --as li --keep-good
want 1 "imported 3 cases from" "keep-good"
has "one audit row each; the policy evaluated on 4 rows (4 with facts); 40 bad rows skipped; 1 rows with warnings" "keep-good summary"
errs | grep -v '^rongcuo import:' >"$T/got"
diff -u "$T/bad.expected" "$T/got" >"$T/diff" || bad "keep-good: the messages differ: $(cat "$T/diff")"
[ "$(n_cases)" = $((cases0 + 3)) ] || bad "keep-good: $(n_cases) cases, wanted $((cases0 + 3))"
[ "$(audit_rows)" = $((audit0 + 3)) ] || bad "keep-good: $(audit_rows) audit rows, wanted one per imported case ($((audit0 + 3)))"
rc_ audit verify; want 0 "audit chain verified" "audit verify after the import"
# the case at its recorded step, the deadline counted from the step's date,
# the facts stored
rc_ case show G-1; want 0 "当前步骤:受理" "G-1 at its step"
has "立案:2022-03-01  更新:2022-03-02" "G-1 dates"
has "2022-03-02  受理     期限 2022-03-09  li           imported" "G-1 step row"
has "谋取私利 = false" "G-1 fact"
has '补救情况 = "有利"' "G-1 finding"
has "政策:import-test v1" "G-1 on the version of its date"
rc_ case show G-2; want 0 "当前步骤:认定" "G-2 at 认定"
has "政策:import-test v2" "G-2 on v2"
has "新事实 = true" "G-2's fact of v2"
# the same file again: the good rows' codes now exist
imp "$T/bad.csv" --as li --keep-good
want 1 "imported 0 cases" "keep-good again"
errs | grep -q -F "bad.csv:2:code: error: case code 'G-1' already exists" || bad "a second import: G-1 not refused"
# an imported case whose history records its outcome was decided: it is not
# withdrawn (撤回申请)
rc_ case withdraw W-1 --as li --policy "$P" --reason 撤回 --today 2024-06-30
want 3 "refused: case W-1 was imported with its outcome 不予追究责任 (2022-05-01); a decided case is not withdrawn" "withdraw an imported decided case"

# ---- batches: every batch committed, one audit row per case -------------------
{
	echo "案件编号,当事人,启动方式,承办单位,立案日期"
	for i in 1 2 3 4 5; do echo "K-$i,1,依职权,XX,2023-0$i-01"; done
	echo "K-6,1,依职权,XX,not-a-date"
	echo "K-7,1,依职权,XX,2023-07-01"
} >"$T/batch.csv"
a=$(audit_rows)
sed '/not-a-date/d' "$T/batch.csv" >"$T/good.csv"
imp "$T/good.csv" --as li --check
want 0 "checked 6 rows of $T/good.csv: every row is good; the policy evaluated on 6 rows (0 with facts); nothing was written (--check)" "--check, all good"
[ "$(audit_rows)" = "$a" ] || bad "--check wrote audit rows"
imp "$T/batch.csv" --as li --keep-good --batch 2
want 1 "imported 6 cases" "batches of 2"
[ "$(audit_rows)" = $((a + 6)) ] || bad "batches: $(audit_rows) audit rows, wanted $((a + 6))"
rc_ db check; want 0 "integrity ok" "db check after batches"

# ---- the importing user: the role of the first step, in every row ----------------
printf 'code,person_id,start_path,handling,opened_on\nR-1,1,application,XX,2022-03-01\nR-2,1,application,XX,2023-03-01\n' >"$T/role.csv"
imp "$T/role.csv" --as wang
want 3 "" "a role that does not open cases"
errs | grep -q -F "role.csv:2: error: refused: the first step '启动' of policy v1 is performed by 承办单位; user 'wang' has the role '党委'" || bad "role refused (v1): $(errs)"
errs | grep -q -F "role.csv:3: error: refused: the first step '启动' of policy v2 is performed by 承办单位; user 'wang' has the role '党委'" || bad "role refused (v2): $(errs)"
imp "$T/role.csv" --as nobody; want 3 "no user 'nobody'" "unknown user"

# ---- the header ----------------------------------------------------------------------
printf '案件编号,当事人,启动方式,承办单位,立案日期,案件编号,备注,,code\n' >"$T/head.csv"
imp "$T/head.csv" --as li
want 3 "head.csv: the header is not usable; nothing was imported" "bad header"
cat >"$T/head.expected" <<'EOF'
head.csv:1:案件编号: error: column 案件编号 (code) is given twice (columns 1 and 6)
head.csv:1:备注: error: unknown column; the columns are 案件编号 (code), 当事人 (person_id), 当事人姓名 (person_name), 涉及单位 (unit), 启动方式 (start_path), 案件来源 (source), 关联问责事项 (ref), 承办单位 (handling), 党委(党组) (committee), 立案日期 (opened_on), 当前步骤 (state), 步骤日期 (state_on), 认定结果 (outcome), 认定日期 (decided_on), 政策版本 (policy_version), and the facts of the policy (`rongcuo policy facts`)
head.csv:1: error: column 8 has no name in the header
head.csv:1:code: error: column 案件编号 (code) is given twice (columns 1 and 9)
EOF
errs | grep -v '^rongcuo import:' >"$T/got"
diff -u "$T/head.expected" "$T/got" >"$T/diff" || bad "header: the messages differ: $(cat "$T/diff")"
printf 'code,person_name,decided_on\n' >"$T/head2.csv"
imp "$T/head2.csv" --as li
want 3 "" "header without the required columns"
for m in "the column 启动方式 (start_path) is missing; it is required" \
	"the column 承办单位 (handling) is missing; it is required" \
	"the column 立案日期 (opened_on) is missing; it is required" \
	"a case needs its subject: give the column 当事人 (person_id) or 涉及单位 (unit), or both" \
	"the column 当事人姓名 (person_name) needs the column 当事人 (person_id)" \
	"the column 认定日期 (decided_on) needs the column 认定结果 (outcome)"; do
	errs | grep -q -F "head2.csv:1: error: $m" || bad "header: lacks '$m'"
done
: >"$T/empty.csv"
imp "$T/empty.csv" --as li; want 3 "empty.csv: the file is empty; its first row must be the header" "empty file"
imp "$T/none.csv" --as li; want 3 "none.csv: cannot read: No such file or directory" "missing file"

# ---- the reader's own errors: caps, NUL bytes, an open quote ---------------------
{
	echo "code,person_id,start_path,handling,opened_on"
	seq -s, 300
	printf 'N-1,1,\000x,XX,2022-03-01\n'
	echo 'U-1,1,application,XX,2022-03-01'
	echo 'U-2,1,"application,XX,2022-03-01'
} >"$T/reader.csv"
imp "$T/reader.csv" --as li --keep-good
want 1 "imported 1 cases" "reader errors"
cat >"$T/reader.expected" <<'EOF'
reader.csv:2: error: the row has more than 256 fields
reader.csv:3:start_path: error: a NUL byte: a CSV file is text (is this a spreadsheet file rather than CSV?)
reader.csv:5:start_path: error: a quoted field is not closed before the end of the file
EOF
errs | grep -v '^rongcuo import:' >"$T/got"
diff -u "$T/reader.expected" "$T/got" >"$T/diff" || bad "reader: the messages differ: $(cat "$T/diff")"

# ---- usage ---------------------------------------------------------------------------
rc_ import cases "$T/batch.csv"; want 2 "--as USER is required" "no --as"
# the official concerned does not import cases
rc_ user add zs 张三 --org XX --role 当事人; want 0 "" "user zs"
imp "$T/batch.csv" --as zs; want 3 "cases are imported by the departments that handled them, not by a 当事人" "imported by a 当事人"
rc_ import cases "$T/batch.csv" --as li --keep-good --all-or-nothing; want 2 "exclude each other" "both modes"
rc_ import cases "$T/batch.csv" --as li --keep-good --check; want 2 "exclude each other" "--check and --keep-good"
rc_ import cases --as li; want 2 "give exactly one FILE" "no file"
rc_ import people "$T/batch.csv" --as li; want 2 "import what? (cases)" "import what"
rc_ import cases "$T/batch.csv" --as li --batch 0; want 2 "--batch takes a number of rows" "batch 0"
"$BIN" import --help >"$T/out" 2>&1 || bad "import --help failed"
has "FILE:ROW:COLUMN" "import --help"

# ---- progress on a terminal (script(1) gives the command one) --------------------
if command -v script >/dev/null 2>&1; then
	"$BIN" db init --data "$T/d2" >/dev/null 2>&1
	"$BIN" org add XX 某县 county --data "$T/d2" >/dev/null 2>&1
	"$BIN" person add 张三 --org XX --data "$T/d2" >/dev/null 2>&1
	"$BIN" user add li 李四 --org XX --role 承办单位 --data "$T/d2" >/dev/null 2>&1
	script -qec "$BIN import cases $T/batch.csv --as li --keep-good --data $T/d2 --policy $P --today 2024-06-30" \
		/dev/null >"$T/tty" 2>&1
	grep -q "rongcuo import: 7 / 7 rows (100%), [0-9]* rows/s" "$T/tty" || bad "no progress on a terminal: $(cat "$T/tty")"
fi

finish "import: ok"
