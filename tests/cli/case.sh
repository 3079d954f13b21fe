#!/bin/sh
# Cases end to end through the CLI: a data directory, the organisation tree,
# users with roles, a case opened on application and one ex officio, steps
# with working-day deadlines across 国庆 2024 (with its 调休 Saturday), every
# kind of refused transition with its message, the four-eyes rule, the due
# list, and the audit chain over all of it.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/case.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
P=tests/cli/data/two-eyes.rcp
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
want() { # want EXIT TEXT-IN-OUTPUT-OR-ERR DESCRIPTION
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 2 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
}

rc_ db init; want 0 "initialised" "db init"
rc_ case due; want 0 "nothing is due" "due list with no cases says so"
rc_ org add ZJ 浙江省 province; want 0 "" "org add ZJ"
rc_ org add HZ 杭州市 city --parent ZJ; want 0 "" "org add HZ"
rc_ org add XX 某县 county --parent HZ; want 0 "" "org add XX"
rc_ org add YY 另县 county --parent HZ; want 0 "" "org add YY"
rc_ person add 张三 --org XX --post 副局长; want 0 "person 张三 added (id 1)" "person add"
rc_ user add li 李四 --org XX --role 承办单位; want 0 "" "user li"
rc_ user add wang 王五 --org XX --role 党委; want 0 "" "user wang"
rc_ user add zhao 赵六 --org YY --role 承办单位; want 0 "" "user zhao (sibling county)"
rc_ user add qian 钱七 --org HZ --role 承办单位; want 0 "" "user qian (the city above)"
rc_ user add li 重名 --org XX --role 党委; want 3 "login 'li' is taken" "duplicate login"

# -- the shipped policy: open on application, deadlines in working days
rc_ case open --as li --person 1 --path application --source 审计 --handling XX --today 2024-09-27
want 0 "case XX-2024-0001 opened under policy zhejiang-rongcuo 2023.06" "case open"
# 受理: 5 working days from Friday 2024-09-27: 09-29 (Sun, 调休) 09-30, then
# 10-01..07 off, 10-08, 10-09, 10-10 -> due 2024-10-10
rc_ case step XX-2024-0001 受理 --as li --today 2024-09-27; want 0 "受理     期限 2024-10-10" "受理 across 国庆"
rc_ case step XX-2024-0001 认定 --as li --today 2024-09-30
want 3 "refused: from step '受理' the case can go to 调查核实, not '认定'" "skipping steps"
rc_ case step XX-2024-0001 调查核实 --as wang --today 2024-09-30
want 3 "refused: step '调查核实' is performed by 承办单位, 纪检, 组织; user 'wang' has the role '党委'" "wrong role"
rc_ case step XX-2024-0001 调查核实 --as zhao --today 2024-09-30
want 3 "refused: user 'zhao' is not in the case's organisation or one above it" "sibling county"
rc_ case step XX-2024-0001 调查核实 --as qian --today 2024-10-08 --note 调查组成立
want 0 "调查核实 期限 2024-11-18" "the city above acts on a county case"
rc_ case step XX-2024-0001 调查核实 --as nobody --today 2024-10-08; want 3 "no user 'nobody'" "unknown user"
rc_ case step XX-0000 调查核实 --as li; want 3 "no case 'XX-0000'" "unknown case"

# -- ex officio, opened by the city on a county's unit
rc_ case open --as qian --unit XX --path ex_officio --source 巡视巡察 --handling XX --code ZJ-EX-1 --today 2024-10-09
want 0 "case ZJ-EX-1 opened" "case open ex officio"
rc_ case open --as li --person 1 --path sideways --handling XX; want 3 "start path must be" "bad start path"
rc_ case open --as li --person 1 --path application --source 传说 --handling XX; want 3 "source '传说' is not one of" "bad source"
rc_ case open --as li --path application --handling XX; want 3 "a case needs its subject" "no subject"
rc_ case open --as li --person 1 --path application --handling XX --code "$(printf '%064d' 7)"
want 3 "a case code is one line of 1 to 63 bytes" "a code too long (was cut silently)"
rc_ case open --as zhao --person 1 --path application --handling XX; want 3 "is not in organisation 'XX'" "open outside scope"
rc_ case open --as wang --person 1 --path application --handling XX
want 3 "refused: the first step '启动' is performed by 当事人, 所在单位, 承办单位; user 'wang' has the role '党委'" "open with a wrong role"

# -- four eyes, on a test policy where the preparer's role may also decide
rc_ case open --as li --person 1 --path application --handling XX --policy "$P" --code T-1 --today 2024-10-09
want 0 "policy test-procedure t1" "open under the test policy"
rc_ case step T-1 审核 --as li --policy "$P" --today 2024-10-09; want 0 "" "审核 by the preparer"
rc_ case step T-1 认定 --as li --policy "$P" --today 2024-10-10
want 3 "four eyes" "the preparer may not decide"
rc_ user add zhou 周八 --org XX --role 承办单位; want 0 "" "user zhou"
rc_ case step T-1 认定 --as zhou --policy "$P" --today 2024-10-10; want 0 "认定" "another person decides"
rc_ case step T-1 审核 --as zhou --policy "$P"; want 3 "no further step" "a finished case"
rc_ case step T-1 认定 --as zhou; want 3 "not among the loaded ones" "a case keeps its policy version"

# -- what is due, and the audit chain over everything above
rc_ case due --today 2024-11-25; want 0 "[已逾期]" "due list marks the overdue"
grep -q "XX-2024-0001 .*调查核实.*2024-11-18" "$T/out" || bad "due list: $(cat "$T/out")"
rc_ case show XX-2024-0001; want 0 "调查组成立" "case show"
grep -q "当事人:张三 (id 1)" "$T/out" || bad "case show: the official concerned"
grep -q "承办单位:XX " "$T/out" || bad "case show: the handling unit"
rc_ case show ZJ-EX-1; want 0 "涉及单位:XX " "case show: the unit concerned"
grep -q "当事人" "$T/out" && bad "case show: a case about a unit names no official"
# -- 撤回申请: a case opened on application, withdrawn before its decision
rc_ case open --as li --person 1 --path application --handling XX --code W-1 --today 2024-10-10
want 0 "case W-1 opened" "open W-1"
rc_ case withdraw W-1 --as li --today 2024-10-11; want 3 "--reason (the reason of the withdrawal) is required" "withdraw without --reason"
rc_ case withdraw W-1 --as li --reason "" --today 2024-10-11; want 3 "--reason (the reason of the withdrawal) is required" "withdraw with an empty reason"
rc_ case withdraw W-1 --as wang --reason 申请人撤回 --today 2024-10-11
want 3 "refused: a withdrawal is recorded by the roles that open a case (当事人, 所在单位, 承办单位); user 'wang' has the role '党委'" "withdraw: wrong role"
rc_ case withdraw W-1 --as zhao --reason 申请人撤回 --today 2024-10-11
want 3 "refused: user 'zhao' is not in the case's organisation or one above it" "withdraw: sibling county"
rc_ case withdraw ZJ-EX-1 --as qian --reason 撤回 --today 2024-10-11
want 3 "refused: case ZJ-EX-1 was opened ex officio (依职权); only a case opened on application (依申请) can be withdrawn" "withdraw an ex officio case"
rc_ case withdraw W-1 --as li --reason 申请人书面申请撤回 --today 2024-10-11; want 0 "case W-1 withdrawn (撤回申请)" "withdraw W-1"
rc_ case withdraw W-1 --as li --reason 再次 --today 2024-10-12
want 3 "refused: case W-1 was withdrawn (撤回申请); nothing more is recorded on it" "withdraw twice"
rc_ case step W-1 受理 --as li --today 2024-10-12; want 3 "was withdrawn" "a step after the withdrawal"
rc_ case fact W-1 谋取私利 false --as li; want 3 "was withdrawn" "a fact after the withdrawal"
rc_ case show W-1; want 0 "当前步骤:已撤回" "show: withdrawn"
grep -q "已撤回 .*申请人书面申请撤回" "$T/out" || bad "show: the withdrawal and its reason: $(cat "$T/out")"

rc_ audit verify; want 0 "audit chain verified" "audit verify"
n=$(sed -n 's/audit chain verified: \([0-9]*\) rows/\1/p' "$T/out")
# 4 orgs + 1 person + 5 users + 4 cases opened + 4 accepted steps (受理,
# 调查核实, 审核, 认定) + 1 withdrawal = 19 changes, each with exactly one
# audit row; the refused ones wrote none
[ "$n" = 19 ] || bad "audit rows: $n, wanted 19 (one per accepted change, none for refused ones)"
rc_ db check; want 0 "integrity ok" "db check"
finish "case: ok"
