#!/bin/sh
# `rongcuo export cases`: CSV and Excel with Chinese headers.  The CSV is
# RFC 4180 with a byte order mark, its free text guarded against formula
# injection; it imports again as the same cases (exported again, the file
# is byte for byte the same).  The workbook is a valid zip holding
# xl/worksheets/sheet1.xml with the headers and the rows.  --handling takes
# an organisation and those below it; a failed export leaves no file.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/export.sh
. "$(dirname "$0")/lib.sh.inc"
P=tests/cli/data/import
run_in() { # run_in DIR ARGS...: rongcuo on data directory DIR
	dir=$1
	shift
	"$BIN" "$@" --data "$dir" >"$T/out" 2>"$T/err"
	echo $? >"$T/rc"
}
want() { # want EXIT TEXT-IN-OUTPUT-OR-ERR DESCRIPTION
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 3 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
}
setup() { # the same organisations, officials and users in data directory $1
	run_in "$1" db init; want 0 "" "db init $1"
	run_in "$1" org add ZJ 浙江省 province; want 0 "" "org ZJ"
	run_in "$1" org add HZ 杭州市 city --parent ZJ; want 0 "" "org HZ"
	run_in "$1" org add XX 某县 county --parent HZ; want 0 "" "org XX"
	run_in "$1" org add YY 另县 county --parent HZ; want 0 "" "org YY"
	run_in "$1" person add 张三 --org XX; want 0 "" "person 1"
	run_in "$1" person add 李四 --org YY; want 0 "" "person 2"
	run_in "$1" user add qian 钱七 --org HZ --role 承办单位; want 0 "" "user qian"
}
D1="$T/d1"
D2="$T/d2"
setup "$D1"

# Cases imported, with texts that need quoting or the formula guard, and one
# opened through `case open`.
cat >"$T/in.csv" <<'EOF'
案件编号,当事人,当事人姓名,涉及单位,启动方式,案件来源,关联问责事项,承办单位,党委(党组),立案日期,当前步骤,步骤日期,认定结果,认定日期
XX-2022-0001,1,张三,,依申请,审计,"问责, 第1号",XX,HZ,2022-03-01,受理,2022-03-02,,
XX-2022-0002,,,XX,依职权,巡视巡察,"他说""对""",XX,,2022-05-01,认定,2022-06-01,从轻追究责任,2022-06-10
YY-2023-0001,2,李四,,依申请,,"'=HYPERLINK(""http://x"")",YY,,2023-02-01,,,,
YY-2023-0002,2,,,依职权,其他,-1,YY,,2023-03-01,启动,,,
EOF
run_in "$D1" import cases "$T/in.csv" --as qian --policy "$P" --today 2024-06-30
want 0 "imported 4 cases" "import"
run_in "$D1" case open --as qian --person 1 --path application --handling XX --code XX-OPEN-1 --policy "$P" --today 2024-01-02
want 0 "case XX-OPEN-1 opened" "case open"

# ---- CSV -----------------------------------------------------------------------
run_in "$D1" export cases --format csv --out "$T/a.csv"
want 0 "exported 5 cases to $T/a.csv (csv)" "export csv"
printf '\357\273\277案件编号,当事人,当事人姓名,涉及单位,启动方式,案件来源,关联问责事项,承办单位,党委(党组),立案日期,当前步骤,步骤日期,认定结果,认定日期,政策版本\r\n' >"$T/a.head"
head -n 1 "$T/a.csv" | cmp -s - "$T/a.head" || bad "CSV header: $(head -n 1 "$T/a.csv")"
[ "$(wc -l <"$T/a.csv" | tr -d ' ')" = 6 ] || bad "CSV: $(wc -l <"$T/a.csv") lines, wanted 6"
for line in 'XX-2022-0001,1,张三,,依申请,审计,"问责, 第1号",XX,HZ,2022-03-01,受理,2022-03-02,,,v1' \
	'XX-2022-0002,,,XX,依职权,巡视巡察,"他说""对""",XX,,2022-05-01,认定,2022-06-01,从轻追究责任,2022-06-10,v1' \
	"YY-2023-0001,2,李四,,依申请,,\"'=HYPERLINK(\"\"http://x\"\")\",YY,,2023-02-01,启动,2023-02-01,,,v2" \
	"YY-2023-0002,2,李四,,依职权,其他,'-1,YY,,2023-03-01,启动,2023-03-01,,,v2" \
	'XX-OPEN-1,1,张三,,依申请,,,XX,,2024-01-02,启动,2024-01-02,,,v2'; do
	tr -d '\r' <"$T/a.csv" | grep -q -x -F -- "$line" || bad "CSV lacks the row: $line"
done
# --handling: the organisation and those below it
run_in "$D1" export cases --out "$T/xx.csv" --handling XX; want 0 "exported 3 cases" "--handling XX"
grep -q "^YY-" "$T/xx.csv" && bad "--handling XX exported a case of YY"
run_in "$D1" export cases --out "$T/hz.csv" --handling HZ; want 0 "exported 5 cases" "--handling HZ (the city above both counties)"
run_in "$D1" export cases --out "$T/zz.csv" --handling ZZ
want 3 "no organisation with code 'ZZ'" "--handling unknown"
[ -e "$T/zz.csv" ] || [ -e "$T/zz.csv.part" ] && bad "a failed export left a file"
run_in "$D1" export cases --out "$T/nodir/x.csv"; want 3 "cannot write" "an unwritable path"

# ---- the round trip: export, import elsewhere, export again: the same file ------
setup "$D2"
run_in "$D2" import cases "$T/a.csv" --as qian --policy "$P" --today 2024-06-30
want 0 "imported 5 cases" "import of the export"
run_in "$D2" export cases --out "$T/b.csv"; want 0 "exported 5 cases" "export again"
cmp -s "$T/a.csv" "$T/b.csv" || bad "round trip: the second export differs: $(diff "$T/a.csv" "$T/b.csv" | head -n 6)"
run_in "$D2" case show YY-2023-0001; want 0 "" "the guarded text came back"
run_in "$D2" audit verify; want 0 "audit chain verified" "audit verify after the round trip"

# ---- Excel -----------------------------------------------------------------------
run_in "$D1" export cases --format xlsx --out "$T/a.xlsx"; want 0 "exported 5 cases to $T/a.xlsx (xlsx)" "export xlsx"
run_in "$D1" export cases --out "$T/b.xlsx"; want 0 "(xlsx)" "xlsx from the file name"
if command -v unzip >/dev/null 2>&1; then
	unzip -l "$T/a.xlsx" >"$T/zip" 2>&1 || bad "the workbook is not a valid zip: $(cat "$T/zip")"
	grep -q "xl/worksheets/sheet1.xml" "$T/zip" || bad "the workbook has no xl/worksheets/sheet1.xml"
	unzip -p "$T/a.xlsx" xl/worksheets/sheet1.xml >"$T/sheet.xml"
elif command -v python3 >/dev/null 2>&1; then
	python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
sys.stdout.buffer.write(z.read("xl/worksheets/sheet1.xml"))' "$T/a.xlsx" >"$T/sheet.xml" ||
		bad "the workbook is not a valid zip with xl/worksheets/sheet1.xml"
else
	echo "export: neither unzip nor python3; the workbook's content is not checked"
	: >"$T/sheet.xml"
fi
if [ -s "$T/sheet.xml" ]; then
	for s in 案件编号 当事人姓名 党委\(党组\) 认定日期 政策版本 XX-2022-0001 '问责, 第1号' \
		'=HYPERLINK("http://x")' XX-OPEN-1; do
		grep -q -F -- "$s" "$T/sheet.xml" || bad "sheet1.xml lacks '$s'"
	done
	# a formula-looking text is a string cell, never a formula
	grep -q "<f>" "$T/sheet.xml" && bad "sheet1.xml holds a formula"
	# 6 rows: the header and 5 cases
	[ "$(grep -o '<row ' "$T/sheet.xml" | wc -l | tr -d ' ')" = 6 ] || bad "sheet1.xml: not 6 rows"
fi

# ---- usage ---------------------------------------------------------------------------
run_in "$D1" export cases; want 2 "--out FILE is required" "no --out"
run_in "$D1" export cases --out "$T/x" --format pdf; want 2 "--format is csv or xlsx, not 'pdf'" "bad format"
run_in "$D1" export people --out "$T/x"; want 2 "export what? (cases)" "export what"
"$BIN" export --help >"$T/out" 2>&1 || bad "export --help failed"
grep -q "Chinese headers" "$T/out" || bad "export --help"

finish "export: ok"
