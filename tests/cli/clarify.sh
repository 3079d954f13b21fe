#!/bin/sh
# 澄清正名 through the CLI (DOMAIN.md §4): a complaint against an official found
# unfounded is clarified in a form scoped to the original harm, issued, filed
# into the 廉政档案 (a copy to the 组织部门), and suspected 诬告陷害 referred
# -- in that order, each step refused out of order; a complaint that was
# not unfounded closes the record.  Role (纪检), scope, four eyes and every input
# check are tried, and the audit chain holds one row per accepted change.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/clarify.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
n=0 # accepted changes so far: each must write exactly one audit row
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
want() { # want EXIT TEXT-IN-OUTPUT-OR-ERR DESCRIPTION [read]
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 2 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
	[ "$got" -eq 0 ] && [ "$1" -eq 0 ] && [ "${4:-}" != read ] && n=$((n + 1))
	return 0
}
order="the order is open → decide → issue → file → refer"

"$BIN" clarify --help >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; want 0 "usage: rongcuo clarify open" "--help" read
"$BIN" clarify >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; want 2 "usage: rongcuo clarify" "no arguments"
rc_ db init; want 0 "" "db init" read
rc_ org add ZJ 浙江省 province; want 0 "" "org ZJ"
rc_ org add HZ 杭州市 city --parent ZJ; want 0 "" "org HZ"
rc_ org add XX 某县 county --parent HZ; want 0 "" "org XX"
rc_ org add YY 另县 county --parent HZ; want 0 "" "org YY"
rc_ person add 张三 --org XX; want 0 "(id 1)" "person 1"
rc_ person add 李某 --org YY; want 0 "(id 2)" "person 2"
for u in "ji1 纪一 XX 纪检" "ji2 纪二 XX 纪检" "ji3 纪三 HZ 纪检" "jy 纪外 YY 纪检" "li 李四 XX 承办单位"; do
	# shellcheck disable=SC2086
	set -- $u
	rc_ user add "$1" "$2" --org "$3" --role "$4"; want 0 "" "user $1"
done

# -- open: by the role 纪检, in the official's organisation or above
rc_ clarify frob 1 --as ji1; want 2 "unknown subcommand 'frob'" "unknown subcommand"
rc_ clarify open --as li --person 1 --report 举报其违规审批
want 3 "refused: 澄清正名 is handled by the role 纪检 (纪检监察机关); user 'li' has the role '承办单位'" "open: wrong role"
rc_ clarify open --as jy --person 1 --report 举报其违规审批
want 3 "refused: user 'jy' is not in the official's organisation or one above it" "open: sibling county"
rc_ clarify open --as ji1 --person 99 --report 举报; want 3 "no official with id 99" "open: unknown official"
rc_ clarify open --as ji1 --person abc --report 举报; want 2 "--person takes the id of an official" "open: bad id"
rc_ clarify open --as ji1 --person 1; want 2 "rongcuo clarify open: --report is required" "open: no report"
rc_ clarify open --person 1 --report 举报; want 2 "rongcuo clarify open: --as is required" "open: no user"
rc_ clarify open 1 --as ji1 --person 1 --report 举报; want 2 "takes no arguments" "open: an argument"
rc_ clarify open --as nobody --person 1 --report 举报; want 3 "no user 'nobody'" "open: unknown user"
rc_ clarify open --as ji1 --person 1 --report "一行
两行"; want 3 "the complaint (--report) must be one line" "open: two lines"
long=$(head -c 4001 /dev/zero | tr '\0' y)
rc_ clarify open --as ji1 --person 1 --report "$long"; want 3 "the complaint (--report) is 4001 bytes long; at most 4000" "open: too long"
rc_ clarify open --as ji1 --person 1 --report 匿名举报张三在项目审批中收受好处
want 0 "clarification 1 opened" "open 1"
grep -q "状态:核查研判中" "$T/out" || bad "open: the state is not shown"

# -- out of order before the decision
rc_ clarify issue 1 --as ji2 --on 2024-06-01
want 3 "refused: clarification 1 is opened (核查研判); $order, so \`clarify decide\` comes next, not \`clarify issue\`" "issue before decide"
rc_ clarify file 1 --as ji2 --on 2024-06-01; want 3 "so \`clarify decide\` comes next, not \`clarify file\`" "file before decide"
rc_ clarify refer 1 --as ji2 --to 县纪委; want 3 "so \`clarify decide\` comes next, not \`clarify refer\`" "refer before decide"

# -- decide: not by the opener; form and scope with an untrue report only
rc_ clarify decide 1 --as ji1 --untrue yes --form 会议 --scope 原范围
want 3 "refused: user 'ji1' opened clarification 1 and cannot decide it (four eyes)" "decide by the opener"
rc_ clarify decide 1 --as jy --untrue yes --form 会议 --scope 原范围
want 3 "refused: user 'jy' is not in the official's organisation or one above it" "decide from a sibling county"
rc_ clarify decide 1 --as ji2 --untrue maybe; want 2 "--untrue is yes or no, not 'maybe'" "decide: untrue maybe"
rc_ clarify decide 1 --as ji2; want 2 "--untrue is required" "decide: no --untrue"
rc_ clarify decide x --as ji2 --untrue yes; want 2 "needs the clarification's number N" "decide: bad number"
rc_ clarify decide 1 --as ji2 --untrue yes --scope 原范围
want 3 "an unfounded complaint is clarified in a form scoped to the original harm: --form 书面, 会议 or 通报" "decide: no form"
rc_ clarify decide 1 --as ji2 --untrue yes --form 广播 --scope 原范围; want 3 "(not '广播')" "decide: bad form"
rc_ clarify decide 1 --as ji2 --untrue yes --form 会议; want 3 "the scope of the clarification (--scope) is required" "decide: no scope"
rc_ clarify decide 1 --as ji2 --untrue no --form 书面
want 3 "a complaint that was not unfounded gets no clarification: leave out --form and --scope" "decide: no with a form"
rc_ clarify decide 9 --as ji2 --untrue no; want 3 "no clarification 9" "decide: unknown"
rc_ clarify decide 1 --as ji3 --untrue yes --form 会议 --scope 在原举报影响范围内召开会议澄清
want 0 "the complaint was unfounded (失实): to be clarified" "decide 1 (by the city above)"
grep -q "澄清方式:会议  范围:在原举报影响范围内召开会议澄清" "$T/out" || bad "decide: form and scope not shown"
rc_ clarify decide 1 --as ji2 --untrue yes --form 书面 --scope 再
want 3 "refused: clarification 1 is decided (决定澄清); $order, so \`clarify issue\` comes next, not \`clarify decide\`" "decide twice"
rc_ clarify file 1 --as ji2 --on 2024-06-01; want 3 "so \`clarify issue\` comes next, not \`clarify file\`" "file before issue"
rc_ clarify refer 1 --as ji2 --to 县纪委; want 3 "so \`clarify issue\` comes next, not \`clarify refer\`" "refer before issue"

# -- issue, file, refer
rc_ clarify issue 1 --as ji2 --on 2024-06-31; want 2 "--on '2024-06-31' is not a date YYYY-MM-DD" "issue: bad date"
rc_ clarify issue 1 --as ji2; want 2 "--on is required" "issue: no date"
rc_ clarify issue 1 --as li --on 2024-06-01; want 3 "is handled by the role 纪检" "issue: wrong role"
rc_ clarify issue 1 --as ji2 --on 2024-06-01; want 0 "clarification 1: issued on 2024-06-01" "issue"
rc_ clarify refer 1 --as ji2 --to 县纪委; want 3 "so \`clarify file\` comes next, not \`clarify refer\`" "refer before file"
rc_ clarify file 1 --as ji2 --on 2024-05-30
want 3 "refused: the filing date 2024-05-30 is before the clarification was issued on 2024-06-01" "file before the issue date"
rc_ clarify file 1 --as ji2 --on 2024-06-03; want 0 "filed into the 廉政档案 on 2024-06-03, a copy to the 组织部门" "file"
rc_ clarify issue 1 --as ji2 --on 2024-06-04; want 3 "so \`clarify refer\` comes next, not \`clarify issue\`" "issue after file"
rc_ clarify refer 1 --as ji2; want 2 "--to is required" "refer: no body"
rc_ clarify refer 1 --as ji2 --to ""; want 3 "the receiving body (--to) is required" "refer: empty body"
rc_ clarify refer 1 --as ji2 --to 县纪委第三审查调查室; want 0 "suspected 诬告陷害 referred to 县纪委第三审查调查室" "refer"
rc_ clarify refer 1 --as ji2 --to 又一处
want 3 "refused: clarification 1 is referred (已移送诬告陷害线索): it is finished" "refer twice"
rc_ clarify show 1; want 0 "状态:已移送诬告陷害线索" "show" read
for line in "当事人:张三(id 1)" "检举控告:匿名举报张三在项目审批中收受好处" "核查结论:失实  (ji3)" \
	"发布:2024-06-01" "归档:2024-06-03  廉政档案,抄送组织部门" "诬告陷害线索移送:县纪委第三审查调查室"; do
	grep -q -F "$line" "$T/out" || bad "show: lacks '$line'"
done
rc_ clarify show 99; want 3 "no clarification 99" "show unknown" read

# -- a report not found untrue closes the record
rc_ clarify open --as ji1 --person 1 --report 反映其工作作风问题; want 0 "clarification 2 opened" "open 2"
rc_ clarify decide 2 --as ji2 --untrue no; want 0 "the complaint was not unfounded: closed" "decide 2: not unfounded"
rc_ clarify issue 2 --as ji2 --on 2024-07-01
want 3 "refused: clarification 2 is closed: the complaint was not unfounded (反映不失实,不予澄清); there is nothing to issue" "issue a closed record"
rc_ clarify refer 2 --as ji2 --to 县纪委; want 3 "there is nothing to refer" "refer a closed record"
rc_ clarify show 2; want 0 "核查结论:不失实  (ji2)" "show 2" read

# -- the audit chain: whole, and one row per accepted change
rc_ audit verify; want 0 "audit chain verified" "audit verify" read
rows=$(sed -n 's/audit chain verified: \([0-9]*\) rows.*/\1/p' "$T/out")
# 4 orgs + 2 people + 5 users; clarification 1: open, decide, issue, file,
# refer; clarification 2: open, decide.  The refused commands wrote none.
[ "$rows" = "$n" ] || bad "audit rows: $rows, but $n changes were accepted"
[ "$rows" = 18 ] || bad "audit rows: $rows, wanted 18"
# the rows as `audit list` shows them (on either backend)
"$BIN" audit list --action clarify. --data "$D" >"$T/list" || bad "audit list failed"
got=$(awk -F '\t' '{ printf "%s%s %s %s %s", (NR > 1 ? "," : ""), $6, $7, $4, $5 }' "$T/list")
exp="clarify.open clarification:1 纪检 XX,clarify.decide clarification:1 纪检 HZ,clarify.issue clarification:1 纪检 XX,clarify.file clarification:1 纪检 XX,clarify.refer clarification:1 纪检 XX,clarify.open clarification:2 纪检 XX,clarify.decide clarification:2 纪检 XX"
[ "$got" = "$exp" ] || bad "audit rows of the clarifications: $got"
rc_ db check; want 0 "integrity ok" "db check" read
finish "clarify: ok"
