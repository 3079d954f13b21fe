#!/bin/sh
# The whole procedure end to end, in one data directory, through the CLI:
# the organisation tree (province, city, two counties), an official and the
# users of every role the shipped policy (policies/zhejiang-2023.rcp) names;
# case A opened on application (依申请) and case B ex officio (依职权, from
# 巡视巡察), both listed and due; case A walked through every step of the
# main path (启动 → 受理 → 调查核实 → 会商研判 → 认定 → 告知 → 申诉复核 →
# 结果运用 → 备案 → 纠错 → 回访) with its working-day deadlines across 清明
# (with its 调休 Sunday), 劳动节 and 端午 2024; the six standards' findings
# with reasons, the recommendation, the joint consultation (会商研判: 纪检,
# 组织, 信访, 审计, one recusal, a dissent, minutes); the four-eyes rule; a
# decision departing from the recommendation (refused without reasons,
# accepted with them); notification, an appeal in time and its review,
# filing with the city, rectification verified by another user, a follow-up
# visit; the effects ledger during and after the impact period; a 澄清正名
# for the official; an administrator refused (三员分立); and at the end the
# audit chain (one row per accepted change), the database check and the
# CSV export listing the cases.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/e2e.sh
# shellcheck source=tests/cli/lib.sh.inc disable=SC1091
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
E=tests/cli/data/two-eyes.rcp # a policy whose preparing role may also decide
n=0 # accepted changes so far: each must write exactly one audit row
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
want() { # want EXIT TEXT-IN-OUTPUT-OR-ERR DESCRIPTION [read]
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 2 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
	[ "$got" -eq 0 ] && [ "$1" -eq 0 ] && [ "${4:-}" != read ] && n=$((n + 1))
	return 0
}
A=XX-2024-0001
B=XX-2024-0002

# -- 1. the data directory, the organisations, the official, the users
rc_ db init; want 0 "initialised $D" "db init" read
rc_ org add ZJ 浙江省 province; want 0 "organisation ZJ added" "org ZJ"
rc_ org add HZ 杭州市 city --parent ZJ; want 0 "organisation HZ added" "org HZ"
rc_ org add XX 某县 county --parent HZ; want 0 "organisation XX added" "org XX"
rc_ org add YY 另县 county --parent HZ; want 0 "organisation YY added" "org YY"
rc_ org add QQ 某区 county --parent YY; want 3 "a county cannot sit under 'YY', a county" "a county below a county"
rc_ person add 张三 --org XX --post 副局长; want 0 "person 张三 added (id 1)" "person 张三"
# every role the shipped procedure's main path needs: 承办单位 (启动, 受理,
# 调查核实, 告知, 申诉复核, 备案, 纠错), 党委 (认定, 复核), 组织 (结果运用), 纪检
# (回访, 澄清正名); and two administrators of 三员分立
for u in "li 李四 XX 承办单位" "zhou 周八 XX 承办单位" "qian 钱七 HZ 承办单位" \
	"wang 王五 XX 党委" "wu 吴组 XX 组织" "chen 陈六 XX 纪检" "hu 胡纪 HZ 纪检" \
	"zhao 赵九 YY 承办单位" "sys 孙系 ZJ 系统管理员" "aud 郑审 ZJ 审计管理员"; do
	# shellcheck disable=SC2086
	set -- $u
	rc_ user add "$1" "$2" --org "$3" --role "$4"; want 0 "user $1 added ($4, $3)" "user $1"
done

# -- 2. case A on application, case B ex officio (opened by the city)
rc_ case open --as li --person 1 --path application --source 监管执法 --handling XX --today 2024-03-29
want 0 "case $A opened under policy zhejiang-rongcuo 2023.06" "open A"
grep -q "启动方式:依申请  来源:监管执法" "$T/out" || bad "open A: path and source: $(cat "$T/out")"
# 启动 has no deadline in the policy
grep -q "2024-03-29  启动     期限 -" "$T/out" || bad "open A: the first step: $(cat "$T/out")"
rc_ case open --as qian --unit XX --path ex_officio --source 巡视巡察 --handling XX --today 2024-03-29
want 0 "case $B opened" "open B"
grep -q "启动方式:依职权  来源:巡视巡察" "$T/out" || bad "open B: path and source: $(cat "$T/out")"
rc_ case open --as zhao --person 1 --path application --handling XX --today 2024-03-29
want 3 "refused: user 'zhao' is not in organisation 'XX'" "open from a sibling county"
rc_ case list; want 0 "$A" "list" read
grep -q "^$A  *启动  *2024-03-29$" "$T/out" || bad "list: case A: $(cat "$T/out")"
grep -q "^$B  *启动  *2024-03-29$" "$T/out" || bad "list: case B: $(cat "$T/out")"
rc_ case due --today 2024-03-29; want 0 "无到期事项" "nothing due at 启动" read
# 受理, 5 working days: from Monday 04-01: 04-02, 04-03, (清明 04-04..06 off),
# 04-07 (Sunday, 调休), 04-08, 04-09; counted on weekdays it would be 04-08
rc_ case step $A 受理 --as li --today 2024-04-01; want 0 "受理     期限 2024-04-09" "A 受理 across 清明"
rc_ case step $B 受理 --as qian --today 2024-04-02; want 0 "受理     期限 2024-04-10" "B 受理"
rc_ case due --today 2024-04-09; want 0 "" "due: both cases" read
grep -q "^$A .*受理 .*期限 2024-04-09 .*\[今日到期\]" "$T/out" || bad "due: case A: $(cat "$T/out")"
grep -q "^$B .*受理 .*期限 2024-04-10" "$T/out" || bad "due: case B: $(cat "$T/out")"
grep -q "^$B .*\[" "$T/out" && bad "due: case B is marked: $(cat "$T/out")"

# -- 3. case A: 调查核实, facts and the six standards
rc_ case step $A 会商研判 --as li --today 2024-04-10
want 3 "refused: from step '受理' the case can go to 调查核实, not '会商研判'" "skipping 调查核实"
# 30 working days from Wednesday 04-10, across 劳动节 (05-01..05 off, Sunday
# 04-28 and Saturday 05-11 worked): 2024-05-23 (on weekdays: 05-22)
rc_ case step $A 调查核实 --as li --today 2024-04-10 --note 成立调查组
want 0 "调查核实 期限 2024-05-23" "A 调查核实 across 劳动节"
rc_ case list --state 受理; want 0 "$B" "list by step" read
grep -q "^$A" "$T/out" && bad "list --state 受理: case A is at 调查核实: $(cat "$T/out")"
for kv in "失误发生日期 2024-03-15" "损失金额 30" "营商环境领域 true" "突破常规探索 是" \
	"触犯纪法红线 false" "明知故犯 false" "造成严重后果 false" "与中央决策部署不符 false" \
	"违反禁止性规定 false" "形象工程 false" "拒不整改 false"; do
	# shellcheck disable=SC2086
	rc_ case fact $A $kv --as li --evidence 调查报告-1; want 0 "" "fact $kv"
done
rc_ case fact $A 谋取私利 false --as wang
want 3 "does not handle that step" "fact by a role not at 调查核实"
rc_ case fact $A 谋取私利 false --as chen --evidence 银行流水-2; want 0 "" "fact 谋取私利 (by 纪检)"
rc_ case fact $A 动机态度 有利 --as li
want 3 "a finding on the standard '动机态度' needs its written reason (--reason)" "a finding without its reason"
# the six analysis standards, each with a grade and its written reason
for kv in "动机态度 有利 出于推动发展的公心" "客观条件 有利 无先例可循" \
	"程序流程 一般 经集体研究但材料不全" "问题性质 一般 属工作失误" \
	"后果影响 一般 损失可控" "补救情况 有利 已主动挽回损失"; do
	# shellcheck disable=SC2086
	set -- $kv
	rc_ case finding $A "$1" "$2" --as li --reason "$3" --evidence 调查报告-1
	want 0 "" "finding $1"
done
rc_ case show $A; want 0 "理由:已主动挽回损失" "show: a finding's reason" read
grep -q "谋取私利 = false" "$T/out" || bad "show: fact 谋取私利: $(cat "$T/out")"
rc_ case recommend $A --as li --conduct-date 2024-03-15 --decision-date 2024-06-04
want 0 "建议结果:不予追究责任 或 免于追究责任" "recommend"

# -- 会商研判: 10 working days from Wednesday 05-22: 2024-06-05
rc_ case step $A 会商研判 --as li --today 2024-05-22; want 0 "会商研判 期限 2024-06-05" "A 会商研判"
rc_ case consult $A --as li --held 2024-05-27 --minutes 会商纪要:多数意见认为符合容错情形,组织部门有不同意见
want 0 "consultation of 2024-05-27 recorded" "consult"
rc_ case participant $A --as li --dept 纪检 --name 张纪; want 0 "participant 纪检 张纪" "participant 纪检"
rc_ case participant $A --as li --dept 组织 --name 李组; want 0 "participant 组织 李组" "participant 组织"
rc_ case participant $A --as li --dept 信访 --name 王信; want 0 "participant 信访 王信" "participant 信访"
rc_ case participant $A --as li --dept 审计 --name 赵审 --recused --reason 与当事人系近亲属
want 0 "participant 审计 赵审 (回避)" "participant 审计, recused"
rc_ case opinion $A --as li --dept 审计 --opinion 同意
want 3 "a recused department gives no opinion (回避)" "opinion of the recused department"
rc_ case opinion $A --as li --dept 纪检 --opinion 符合容错情形,建议免于追究; want 0 "written opinion of 纪检 recorded" "opinion 纪检"
rc_ case step $A 认定 --as wang --today 2024-05-31
want 3 "until 纪检、组织、信访、审计 have each given a written opinion or recorded a recusal; missing: 组织, 信访" "leave 会商研判 before 组织 and 信访 have spoken"
rc_ case opinion $A --as li --dept 组织 --opinion 同意容错 --dissent 李组认为程序不全,应从轻追究
want 0 "written opinion of 组织 recorded, with a dissent" "opinion 组织, with a dissent"
rc_ case opinion $A --as li --dept 信访 --opinion 无相关信访件; want 0 "written opinion of 信访 recorded" "opinion 信访"
rc_ case show $A; want 0 "会商研判:2024-05-27  会议纪要:会商纪要" "show: the consultation" read
grep -q "参会 审计:赵审  \[回避\] 与当事人系近亲属" "$T/out" || bad "show: the recusal: $(cat "$T/out")"
grep -q "意见 组织:同意容错  不同意见:李组认为程序不全,应从轻追究" "$T/out" || bad "show: the dissent"

# -- 4. four eyes.  认定 (10 working days from Friday 05-31, across 端午
# 06-10: 2024-06-17).  On the shipped policy the preparer's role never
# decides, so the preparer is refused for the role ...
rc_ case step $A 认定 --as li --today 2024-05-31
want 3 "refused: step '认定' is performed by 党委; user 'li' has the role '承办单位'" "the preparer takes 认定"
rc_ case step $A 认定 --as wang --today 2024-05-31; want 0 "认定     期限 2024-06-17" "A 认定 across 端午"
rc_ case decide $A --as li --outcome 免于追究责任 --meeting 2024-06-04 --basis 实施办法
want 3 "refused: user 'li' (role '承办单位') does not perform step '认定' for this case" "the preparer decides A"
# ... and where the preparer's role may decide (tests/cli/data/two-eyes.rcp),
# four eyes is what refuses
rc_ case open --as li --person 1 --path application --handling XX --policy "$E" --code T-1 --today 2024-06-03
want 0 "case T-1 opened under policy test-procedure t1" "open T-1"
rc_ case step T-1 审核 --as li --policy "$E" --today 2024-06-03; want 0 "case T-1: step 审核" "T-1 审核"
rc_ case step T-1 认定 --as li --policy "$E" --today 2024-06-04
want 3 "refused: user 'li' prepared case T-1 and step '认定' must be performed by someone else (four eyes: 承办人不得审批本人承办的案件)" "the preparer takes 认定 of T-1"
rc_ case step T-1 认定 --as zhou --policy "$E" --today 2024-06-04; want 0 "case T-1: step 认定" "T-1 认定 by another"
rc_ case recommend T-1 --as zhou --policy "$E"; want 0 "建议结果:不予容错" "T-1 recommend"
rc_ case decide T-1 --as li --policy "$E" --outcome 不予容错 --meeting 2024-06-04 --basis 测试
want 3 "refused: user 'li' prepared case T-1 and cannot decide it (four eyes: 承办人不得审批本人承办的案件)" "the preparer decides T-1"
rc_ case decide T-1 --as zhou --policy "$E" --outcome 不予容错 --meeting 2024-06-04 --basis 测试
want 0 "decided 不予容错" "T-1 decided by another"

# -- 5. a decision departing from the recommendation: reasons required
rc_ case decide $A --as wang --outcome 从轻追究责任 --meeting 2024-06-04 --basis "问责条例 第十八条" \
	--sanction 党纪处分/警告
want 3 "differs from the recommendation (determined 不予追究责任|免于追究责任); give the reasons" "differs without reasons"
rc_ case decide $A --as wang --outcome 从轻追究责任 --meeting 2024-06-04 --basis "问责条例 第十八条" \
	--reason 集体研究认为程序不全且损失未全部挽回 --sanction 党纪处分/警告
want 0 "与推荐意见不同,理由:集体研究认为程序不全且损失未全部挽回" "decide with reasons (警告: 2024-06-04 to 2025-06-04)"
grep -q "decided 从轻追究责任" "$T/out" || bad "decide: the outcome: $(cat "$T/out")"

# -- 6. 告知 (5 working days from Wednesday 06-05: 2024-06-13)
rc_ case step $A 告知 --as li --today 2024-06-05; want 0 "告知     期限 2024-06-13" "A 告知"
rc_ case notify $A --as li --to 张三 --on 2024-06-06 --how 书面; want 0 "张三 notified on 2024-06-06 (书面)" "notify"
# 申诉: within 申诉期限 (1 month from the notification)
rc_ case step $A 申诉复核 --as li --today 2024-06-20; want 0 "申诉复核 期限 -" "A 申诉复核"
rc_ case appeal $A --as li --on 2024-06-20 --by 张三 --grounds 认为程序瑕疵未影响实体结果
want 0 "appeal of 张三 on 2024-06-20 recorded (申诉期限 until 2024-07-06)" "appeal in time"
# 复核: by the decision step's role, within 复核期限 (no warning)
rc_ case review $A --as li --on 2024-07-02 --result 维持 --reasons 理由
want 3 "refused: a review (复核) is recorded by the roles of step '认定' (党委); user 'li' has the role '承办单位'" "review by the preparer's role"
rc_ case review $A --as wang --on 2024-07-02 --result 维持 --reasons 经复核,原认定事实清楚,维持原决定
want 0 "review of the appeal on 2024-07-02: 维持" "review"
grep -q "复核期限" "$T/err" && bad "review in time: warned: $(cat "$T/err")"
rc_ person effects 1 --on 2024-07-02; want 1 "处于影响期内" "still restricted after the review" read
# 结果运用 (组织), 备案 (10 working days from Thursday 07-04: 2024-07-18)
rc_ case step $A 结果运用 --as li --today 2024-07-03
want 3 "refused: step '结果运用' is performed by 组织; user 'li' has the role '承办单位'" "结果运用 by 承办单位"
rc_ case step $A 结果运用 --as wu --today 2024-07-03; want 0 "step 结果运用" "A 结果运用"
rc_ case step $A 备案 --as li --today 2024-07-04; want 0 "备案     期限 2024-07-18" "A 备案"
rc_ case file $A --as li --with YY --on 2024-07-05; want 3 "'YY' is not above it" "file with a sibling"
rc_ case file $A --as li --with HZ --on 2024-07-05; want 0 "filed with HZ on 2024-07-05 (备案)" "file with HZ"
# 纠错: `case rectify` is `case task`; verified by another user
rc_ case step $A 纠错 --as li --today 2024-07-08; want 0 "step 纠错" "A 纠错"
rc_ case rectify add $A --as li --owner 某局办公室 --due 2024-09-30 --what 修订审批流程,补齐集体研究材料
want 0 "rectification task 1 added (owner 某局办公室, due 2024-09-30)" "rectify add"
rc_ case rectify "done" $A 1 --as li --on 2024-09-20 --verified-by li
want 3 "refused: task 1 of case $A was set by 'li'; its completion must be verified by another user (--verified-by)" "verified by its creator"
rc_ case rectify "done" $A 1 --as li --on 2024-09-20 --verified-by zhou
want 0 "task 1 done on 2024-09-20, verified by zhou" "rectify done, verified by zhou"
# 回访 (纪检, 组织), during the impact period; the last step
rc_ case step $A 回访 --as chen --today 2024-09-23; want 0 "step 回访" "A 回访"
rc_ case visit $A --as chen --on 2025-06-05 --notes 回访
want 3 "refused: 回访 takes place during the impact period or at its end (2024-06-04 to 2025-06-04); 2025-06-05 is outside it" "visit after the period"
rc_ case visit $A --as chen --on 2024-12-04 --notes 思想稳定,工作积极,已汲取教训
want 0 "follow-up visit on 2024-12-04 recorded (回访)" "visit"
rc_ case step $A 回访 --as chen --today 2024-12-05
want 3 "refused: from step '回访' the case can go to no further step (it is finished), not '回访'" "after the last step"
rc_ case show $A; want 0 "当前步骤:回访" "show: A at its last step" read
for line in "告知:2024-06-06  张三  书面  (li)" "复核:2024-07-02  维持" "[已完成 2024-09-20,核验 zhou]" \
	"2024-12-04  思想稳定,工作积极,已汲取教训  (chen)"; do
	grep -q -F "$line" "$T/out" || bad "show A: lacks '$line'"
done
steps=$(sed -n 's/^    20[0-9-]*  \([^ ]*\) *期限 .*/\1/p' "$T/out" | tr '\n' ' ')
[ "$steps" = "启动 受理 调查核实 会商研判 认定 告知 申诉复核 结果运用 备案 纠错 回访 " ] ||
	bad "show A: the steps taken: '$steps'"

# -- 7. the effects ledger: 警告 = 12 months from the meeting
rc_ person effects 1 --on 2024-12-04; want 1 "2024-06-04 至 2025-06-04" "restricted during the period" read
grep -q "结论:处于影响期内" "$T/out" || bad "effects: not restricted during the period: $(cat "$T/out")"
grep -q "案件 $A(从轻追究责任)" "$T/out" || bad "effects: the decision is not named: $(cat "$T/out")"
rc_ person effects 1 --on 2025-06-05; want 0 "不受影响期限制" "free after the period" read

# -- 8. 澄清正名: an unfounded complaint against 张三 (tests/cli/clarify.sh)
rc_ clarify open --as li --person 1 --report 举报; want 3 "is handled by the role 纪检" "clarify: wrong role"
rc_ clarify open --as chen --person 1 --report 匿名举报张三在项目审批中收受好处
want 0 "clarification 1 opened" "clarify open"
rc_ clarify decide 1 --as chen --untrue yes --form 会议 --scope 原范围
want 3 "refused: user 'chen' opened clarification 1 and cannot decide it (four eyes)" "clarify: decided by its opener"
rc_ clarify issue 1 --as chen --on 2024-12-10; want 3 "so \`clarify decide\` comes next, not \`clarify issue\`" "clarify: issue first"
rc_ clarify decide 1 --as hu --untrue yes --form 会议 --scope 在原举报影响范围内召开会议澄清
want 0 "the complaint was unfounded (失实): to be clarified" "clarify decide (by the city)"
rc_ clarify issue 1 --as chen --on 2024-12-10; want 0 "clarification 1: issued on 2024-12-10" "clarify issue"
rc_ clarify file 1 --as chen --on 2024-12-11
want 0 "filed into the 廉政档案 on 2024-12-11, a copy to the 组织部门" "clarify file"
rc_ clarify refer 1 --as chen --to 县纪委第三审查调查室; want 0 "suspected 诬告陷害 referred to 县纪委第三审查调查室" "clarify refer"
rc_ clarify show 1; want 0 "状态:已移送诬告陷害线索" "clarify show" read
grep -q -F "核查结论:失实  (hu)" "$T/out" || bad "clarify show: the finding: $(cat "$T/out")"

# -- 9. an administrator never acts in a case (三员分立), whatever the step
rc_ case step $B 调查核实 --as sys --today 2024-12-20
want 3 "refused: user 'sys' is a 系统管理员; the three administrators (三员分立) run the system and do not act in cases" "a 系统管理员 steps case B"
rc_ case visit $A --as sys --on 2024-12-20 --notes 回访
want 3 "refused: user 'sys' is a 系统管理员; the three administrators (三员分立)" "a 系统管理员 visits in case A"
rc_ case rectify add $A --as aud --owner 某局 --due 2024-12-31 --what 整改
want 3 "refused: user 'aud' is a 审计管理员; the three administrators (三员分立)" "an 审计管理员 adds a task"

# -- 10. the audit chain, the database, the export
rc_ audit verify; want 0 "audit chain verified" "audit verify" read
rows=$(sed -n 's/audit chain verified: \([0-9]*\) rows.*/\1/p' "$T/out")
[ "$rows" = "$n" ] || bad "audit rows: $rows, but $n changes were accepted"
# 15 (orgs, person, users); A: open, 10 steps, 12 facts, 6 findings,
# recommend, consult, 4 participants, 3 opinions, decide, notify, appeal,
# review, file, task add, task done, visit (46); B: open, 受理 (2); T-1:
# open, 2 steps, recommend, decide (5); 澄清正名: open, decide, issue, file,
# refer (5).  The refused commands wrote none.
[ "$rows" = 73 ] || bad "audit rows: $rows, wanted 73"
rc_ db check; want 0 "integrity ok, foreign keys ok" "db check" read
grep -q "audit chain of $n rows verified" "$T/out" || bad "db check: $(cat "$T/out")"
rc_ export cases --format csv --out "$T/cases.csv"; want 0 "exported 3 cases to $T/cases.csv (csv)" "export" read
grep -q "^$A,1,张三,,依申请,监管执法,,XX,,2024-03-29,回访,2024-09-23,从轻追究责任,2024-06-04,2023.06" "$T/cases.csv" ||
	bad "export: case A: $(cat "$T/cases.csv")"
grep -q "^$B,,,XX,依职权,巡视巡察,,XX,,2024-03-29,受理,2024-04-02,,,2023.06" "$T/cases.csv" ||
	bad "export: case B: $(cat "$T/cases.csv")"
[ -e "$T/cases.csv.part" ] && bad "export: the .part file is left behind"

# -- 11. the whole database copied (db copy): into a new SQLite file, and on
#    the PostgreSQL run (RC_PG_DIR) on into a new PostgreSQL database; each
#    copy exports the same cases, lists the same audit trail, verifies, and
#    goes on working (its next ids follow the copied ones)
"$BIN" audit list --data "$D" >"$T/trail"
copy_check() { # copy_check URL WHAT
	rc_ export cases --format csv --out "$T/copy.csv" --db "$1"; want 0 "exported 3 cases" "$2: export" read
	cmp -s "$T/cases.csv" "$T/copy.csv" || bad "$2: the export differs"
	"$BIN" audit list --data "$D" --db "$1" >"$T/copy-trail" || bad "$2: audit list"
	cmp -s "$T/trail" "$T/copy-trail" || bad "$2: the audit trail differs"
	rc_ audit verify --db "$1"; want 0 "audit chain verified: $n rows" "$2: audit verify" read
}
src="$D/rongcuo.db"
[ -e "$D/db.url" ] && src=$(cat "$D/db.url")
rc_ db copy --from "$src" --to "$T/copy.db"
want 0 "audit chain of $n rows verified on the copy" "db copy to SQLite" read
grep -q "^  cases  *3 rows" "$T/out" || bad "db copy: the cases: $(cat "$T/out")"
grep -q "^  consultation_opinions  *3 rows" "$T/out" || bad "db copy: the opinions: $(cat "$T/out")"
copy_check "$T/copy.db" "the SQLite copy"
rc_ db copy --from "$src" --to "$T/copy.db"
want 3 "is not empty (orgs has 4 rows); copy into a new database" "db copy into a used database" read
if [ -n "${RC_PG_DIR:-}" ]; then
	url=$(sh "$(dirname "$0")/../../scripts/pg.sh" createdb "$RC_PG_DIR" e2e_copy) || bad "createdb"
	rc_ db copy --from "$T/copy.db" --to "$url"; want 0 "verified on the copy" "db copy back to PostgreSQL" read
	copy_check "$url" "the PostgreSQL copy"
	last="$url"
else
	last="$T/copy.db"
fi
# another database than the directory's own is read, never changed
rc_ org add NEW 新单位 unit --parent XX --db "$last"
want 3 "refused: --db names another database than the data directory's own" "a change through --db" read
# the copy goes on in a data directory of its own: the key, the head (the
# chains are equal at the copy) and db.url naming the copy
mkdir -m 700 "$T/c"
cp "$D/audit.key" "$D/audit.head" "$T/c/"
(umask 077 && echo "$last" >"$T/c/db.url")
"$BIN" org add NEW 新单位 unit --parent XX --data "$T/c" >"$T/out" 2>&1 || bad "the copy goes on: $(cat "$T/out")"
grep -q "organisation NEW added (id 5)" "$T/out" || bad "the copy's ids do not follow: $(cat "$T/out")"
"$BIN" audit verify --data "$T/c" >"$T/out" 2>&1 || bad "the copy's chain: $(cat "$T/out")"
grep -q "audit chain verified: $((n + 1)) rows" "$T/out" || bad "the copy's chain grows: $(cat "$T/out")"
finish "e2e: ok"
