#!/bin/sh
# The records of a case after its facts, through the CLI: the joint
# consultation (会商研判, 一事一议: participants, recusals, written opinions,
# dissent, minutes, and the rule that 纪检、组织、信访、审计 each give an
# opinion or recuse before the case moves on), the notification (告知), the
# appeal within 申诉期限 and its review (申诉期间不停止执行), filing (备案)
# with an organisation above the handling unit, rectification tasks with
# verification by another user and the overdue list, and follow-up visits
# (回访) during the impact period.  Every refusal is checked for its
# message, and at the end the audit chain holds exactly one row per
# accepted change.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/records.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
P="$T/records.rcp"
n=0 # accepted changes so far: each must write exactly one audit row
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
want() { # want EXIT TEXT-IN-OUTPUT-OR-ERR DESCRIPTION
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 2 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
	[ "$got" -eq 0 ] && [ "$1" -eq 0 ] && [ "${4:-}" != read ] && n=$((n + 1))
	return 0
}
C=XX-2024-0001
C2=XX-2024-0002

rc_ db init; want 0 "" "db init" read
rc_ org add ZJ 浙江省 province; want 0 "" "org ZJ"
rc_ org add HZ 杭州市 city --parent ZJ; want 0 "" "org HZ"
rc_ org add XX 某县 county --parent HZ; want 0 "" "org XX"
rc_ org add YY 另县 county --parent HZ; want 0 "" "org YY"
rc_ person add 张三 --org XX; want 0 "(id 1)" "person"
for u in "li 李四 XX 承办单位" "wang 王五 XX 党委" "chen 陈六 XX 纪检" "zhou 周八 XX 承办单位" \
	"zhao 赵九 YY 承办单位" "sys 钱七 ZJ 系统管理员" "sec 孙十 ZJ 安全管理员"; do
	# shellcheck disable=SC2086
	set -- $u
	rc_ user add "$1" "$2" --org "$3" --role "$4"; want 0 "" "user $1"
done
# 三员分立: an administrator sits at the root organisation, never at a county
rc_ user add bad 某某 --org XX --role 系统管理员
want 3 "a 系统管理员 sits at the root organisation 'ZJ'" "an administrator at a county"

rc_ user add ju 某某 --org XX --role 局长
want 3 "role '局长' is not a role of the procedure; the roles are 当事人" "a role no procedure names"
# 张三's own account, and his unit's
rc_ user add zs 张三 --org XX --role 当事人; want 0 "" "user zs"
rc_ user person zs 1; want 0 "user zs is official 1" "zs tied to 张三"
rc_ user add unit 某单位 --org XX --role 所在单位; want 0 "" "user unit"

# -- 三员分立: an administrator never acts in a case
rc_ case open --as sys --person 1 --path application --handling XX --today 2024-03-20
want 3 "refused: user 'sys' is a 系统管理员; the three administrators (三员分立) run the system and do not act in cases" "an administrator opens a case"

# -- to 会商研判, with the facts of decide.sh (a recommendation is needed later)
rc_ case open --as li --person 1 --path application --handling XX --today 2024-03-20; want 0 "$C" "open"
rc_ case step $C 受理 --as li --today 2024-03-21; want 0 "" "受理"
rc_ case step $C 调查核实 --as li --today 2024-03-22; want 0 "" "调查核实"
for kv in "营商环境领域 true" "突破常规探索 是" "触犯纪法红线 false" "明知故犯 false" \
	"造成严重后果 false" "与中央决策部署不符 false" "违反禁止性规定 false" "形象工程 false" \
	"拒不整改 false" "谋取私利 false"; do
	# shellcheck disable=SC2086
	rc_ case fact $C $kv --as li; want 0 "" "fact $kv"
done
# findings on the analysis standards: a grade with its written reason
for kv in "动机态度 有利" "补救情况 有利" "后果影响 一般" "问题性质 一般"; do
	# shellcheck disable=SC2086
	set -- $kv
	rc_ case finding $C "$1" "$2" --as li --reason "${1}经调查核实" --evidence 调查报告
	want 0 "" "finding $1"
done
rc_ case consult $C --as li --held 2024-04-02 --minutes 纪要
want 3 "refused: a consultation is recorded while the case is at step '会商研判'; case $C is at '调查核实'" "consult too early"
rc_ case step $C 会商研判 --as li --today 2024-04-01; want 0 "" "to 会商研判"

# -- the consultation: one per case, by a role of 会商研判, in scope
rc_ case participant $C --as li --dept 纪检 --name 张纪
want 3 "refused: case $C has no consultation yet; record it first with \`rongcuo case consult\`" "participant before the consultation"
rc_ case consult $C --as wang --held 2024-04-02 --minutes 纪要
want 3 "refused: a consultation is recorded by the roles of step '会商研判' (承办单位, 纪检, 组织, 信访, 审计, 行业主管部门, 第三方机构, 法律顾问); user 'wang' has the role '党委'" "consult: wrong role"
rc_ case consult $C --as zhao --held 2024-04-02 --minutes 纪要
want 3 "refused: user 'zhao' is not in the case's organisation or one above it" "consult: sibling county"
rc_ case consult $C --as li --held 2024-13-02 --minutes 纪要; want 2 "--held '2024-13-02' is not a date YYYY-MM-DD" "consult: bad date"
rc_ case consult $C --as li --held 2024-04-02; want 2 "rongcuo case consult: --minutes is required" "consult: no minutes"
rc_ case consult $C --as li --held 2024-04-02 --minutes "第一行
第二行"; want 3 "the minutes (--minutes) must be one line, without control characters" "consult: two lines"
long=$(head -c 4001 /dev/zero | tr '\0' x)
rc_ case consult $C --as li --held 2024-04-02 --minutes "$long"
want 3 "the minutes (--minutes) is 4001 bytes long; at most 4000 are allowed" "consult: too long"
rc_ case consult $C --as li --held 2024-04-02 --minutes 会商纪要:一致认为可以容错,组织部门有保留意见
want 0 "consultation of 2024-04-02 recorded" "consult"
rc_ case consult $C --as li --held 2024-04-03 --minutes 再议
want 3 "refused: case $C already has its consultation (一事一议: one consultation per case)" "a second consultation"

# -- participants and recusals
rc_ case participant $C --as li --dept 宣传 --name 某人
want 3 "department '宣传' is not one of: 纪检, 组织, 信访, 审计, 行业主管部门, 第三方机构, 法律顾问" "unknown department"
rc_ case participant $C --as li --dept 审计 --name 赵审 --recused
want 3 "a recusal's reason (--reason) is required" "recusal without a reason"
rc_ case participant $C --as li --dept 审计 --name 赵审 --reason 亲属
want 3 "--reason gives the reason of a recusal; add --recused or leave it out" "reason without a recusal"
rc_ case participant $C --as li --dept 纪检 --name 张纪; want 0 "participant 纪检 张纪" "participant 纪检"
rc_ case participant $C --as chen --dept 组织 --name 李组; want 0 "participant 组织 李组" "participant 组织 (by 纪检)"
rc_ case participant $C --as li --dept 信访 --name 王信; want 0 "" "participant 信访"
rc_ case participant $C --as li --dept 审计 --name 赵审 --recused --reason 与当事人系近亲属
want 0 "participant 审计 赵审 (回避)" "participant 审计, recused"
rc_ case participant $C --as li --dept 法律顾问 --name 钱律; want 0 "" "participant 法律顾问"
rc_ case participant $C --as li --dept 纪检 --name 张纪
want 3 "张纪 of 纪检 is already a participant in the consultation of case $C" "the same participant twice"

# -- opinions: one per department, from a department present and not recused
rc_ case opinion $C --as li --dept 审计 --opinion 同意
want 3 "refused: 审计 recused itself from the consultation of case $C (赵审: 与当事人系近亲属); a recused department gives no opinion (回避)" "opinion of a recused department"
rc_ case opinion $C --as li --dept 行业主管部门 --opinion 同意
want 3 "refused: 行业主管部门 has no participant in the consultation of case $C; an opinion needs one (\`rongcuo case participant\`)" "opinion without a participant"
rc_ case opinion $C --as li --dept 纪检 --opinion 符合容错情形,建议不予追究; want 0 "written opinion of 纪检 recorded" "opinion 纪检"
rc_ case opinion $C --as li --dept 组织 --opinion 同意容错 --dissent 李组认为损失较大,应从轻
want 0 "written opinion of 组织 recorded, with a dissent" "opinion 组织 with a dissent"
rc_ case opinion $C --as li --dept 纪检 --opinion 再次
want 3 "纪检 has already given its opinion in the consultation of case $C (one written opinion per department)" "a second opinion"
rc_ case opinion $C --as li --dept 纪检; want 2 "--opinion is required" "opinion without text"
rc_ case participant $C --as li --dept 纪检 --name 孙纪 --recused --reason 回避
want 3 "refused: 纪检 has already given its opinion in the consultation of case $C; a department that gave its opinion cannot recuse (回避)" "recusal after the opinion"
# leaving 会商研判 before 信访 has spoken
rc_ case step $C 认定 --as wang --today 2024-04-10
want 3 "refused: case $C cannot leave '会商研判' until 纪检、组织、信访、审计 have each given a written opinion or recorded a recusal; missing: 信访" "leave 会商研判 too early"
rc_ case opinion $C --as li --dept 信访 --opinion 无相关信访件; want 0 "" "opinion 信访"
rc_ case opinion $C --as li --dept 法律顾问 --opinion 程序合法; want 0 "" "opinion 法律顾问"
rc_ case show $C; want 0 "会商研判:2024-04-02  会议纪要:会商纪要" "show: the consultation" read
grep -q "参会 审计:赵审  \[回避\] 与当事人系近亲属" "$T/out" || bad "show: the recusal: $(cat "$T/out")"
grep -q "意见 组织:同意容错  不同意见:李组认为损失较大,应从轻" "$T/out" || bad "show: the dissent"
rc_ case step $C 认定 --as wang --today 2024-04-10; want 0 "step 认定" "leave 会商研判"
rc_ case participant $C --as li --dept 第三方机构 --name 某所
want 3 "refused: a participant is recorded while the case is at step '会商研判'; case $C is at '认定'" "participant after 会商研判"

# a case with no consultation record cannot leave 会商研判 either
rc_ case open --as li --person 1 --path application --handling XX --today 2024-03-25; want 0 "$C2" "open $C2"
rc_ case step $C2 受理 --as li --today 2024-03-25; want 0 "" "$C2 受理"
rc_ case step $C2 调查核实 --as li --today 2024-03-26; want 0 "" "$C2 调查核实"
rc_ case step $C2 会商研判 --as li --today 2024-03-27; want 0 "" "$C2 会商研判"
rc_ case step $C2 认定 --as wang --today 2024-04-10
want 3 "refused: case $C2 cannot leave '会商研判' without its consultation record (\`rongcuo case consult\`): 纪检、组织、信访、审计 each give a written opinion (会商研判, 一事一议)" "leave 会商研判 without a consultation"

# -- nothing after the decision before the decision
rc_ case notify $C --as li --to 张三 --on 2024-04-15 --how 书面
want 3 "refused: case $C has no decision yet; notification (告知) follows the committee's decision (认定)" "notify before the decision"
rc_ case appeal $C --as li --on 2024-04-20 --by 张三 --grounds 不服
want 3 "refused: case $C has no decision yet; an appeal (申诉) follows" "appeal before the decision"
rc_ case file $C --as li --with HZ --on 2024-04-20; want 3 "refused: case $C has no decision yet; filing (备案) follows" "file before the decision"
rc_ case task add $C --as li --owner 某局 --due 2024-06-30 --what 整改
want 3 "refused: case $C has no decision yet; rectification (纠错) follows" "task before the decision"
rc_ case visit $C --as chen --on 2024-05-01 --notes 回访
want 3 "refused: case $C has no decision yet; a follow-up visit (回访) follows" "visit before the decision"
rc_ case recommend $C --as wang --conduct-date 2024-03-15 --decision-date 2024-04-12; want 0 "建议结果" "recommend"
rc_ case decide $C --as wang --outcome 从轻追究责任 --meeting 2024-04-12 --basis "问责条例 第十八条" \
	--reason 集体研究认为损失较大 --sanction 党纪处分/警告
want 0 "decided 从轻追究责任" "decide, with a sanction (警告: 2024-04-12 to 2025-04-12)"
rc_ case step $C 告知 --as li --today 2024-04-15; want 0 "" "to 告知"

# -- 告知
rc_ case appeal $C --as li --on 2024-04-20 --by 张三 --grounds 不服
want 3 "refused: case $C has not been notified yet; the appeal period (申诉期限) runs from the notification (\`rongcuo case notify\`)" "appeal before the notification"
rc_ case notify $C --as wang --to 张三 --on 2024-04-15 --how 书面
want 3 "refused: a notification is recorded by the roles of step '告知' (承办单位); user 'wang' has the role '党委'" "notify: wrong role"
rc_ case notify $C --as li --to 张三 --on 2024-04-15 --how 电话; want 3 "--how '电话' is not one of: 书面, 当面, 其他" "notify: bad how"
rc_ case notify $C --as li --to 张三 --on 2024-04-10 --how 书面
want 3 "refused: the notification date 2024-04-10 is before the decision's meeting on 2024-04-12" "notify before the meeting"
rc_ case notify $C --as li --to "" --on 2024-04-15 --how 书面; want 3 "the recipient (--to) is required" "notify: empty recipient"
rc_ case notify $C --as li --to 张三 --on 2024-04-15 --how 书面; want 0 "张三 notified on 2024-04-15 (书面)" "notify"
rc_ case notify $C --as li --to 张三所在单位 --on 2024-04-16 --how 其他; want 0 "" "notify the unit"
rc_ case show $C; want 0 "告知:2024-04-15  张三  书面  (li)" "show: notifications" read

# -- 申诉: within 申诉期限 (1 months) from the first notification
rc_ case appeal $C --as chen --on 2024-04-20 --by 张三 --grounds 不服
want 3 "refused: an appeal is recorded by the roles of step '申诉复核' (当事人, 党委, 承办单位); user 'chen' has the role '纪检'" "appeal: wrong role"
rc_ case appeal $C --as li --on 2024-04-14 --by 张三 --grounds 不服
want 3 "refused: the appeal date 2024-04-14 is before the notification on 2024-04-15" "appeal before the notification date"
rc_ case appeal $C --as li --on 2024-05-16 --by 张三 --grounds 不服
want 3 "refused: the appeal period (申诉期限 1 months) ran from the notification on 2024-04-15 to 2024-05-15; an appeal on 2024-05-16 is late" "appeal too late"
rc_ case appeal $C --as li --on 2024-05-15 --by 张三 --grounds 认为损失系不可抗力所致
want 0 "appeal of 张三 on 2024-05-15 recorded (申诉期限 until 2024-05-15)" "appeal on the last day"
grep -q "申诉期间不停止执行: the decision stays in force" "$T/out" || bad "appeal: 申诉期间不停止执行 is not said"
rc_ case appeal $C --as li --on 2024-05-15 --by 张三 --grounds 再诉; want 3 "case $C already has an appeal" "a second appeal"
# the decision stays in force while the appeal is pending
rc_ person effects 1 --on 2024-05-20; want 1 "处于影响期内" "still restricted during the appeal" read

# -- 复核: by the roles of the decision step, not the preparer; late is said
rc_ case review $C --as li --on 2024-05-20 --result 维持 --reasons 理由
want 3 "refused: a review (复核) is recorded by the roles of step '认定' (党委); user 'li' has the role '承办单位'" "review: wrong role"
rc_ case review $C --as wang --on 2024-05-20 --result 改判 --reasons 理由; want 3 "--result '改判' is not one of: 维持, 变更, 撤销" "review: bad result"
rc_ case review $C --as wang --on 2024-05-20 --result 维持; want 2 "--reasons is required" "review: no reasons"
rc_ case review $C --as wang --on 2024-05-14 --result 维持 --reasons 理由
want 3 "refused: the review date 2024-05-14 is before the appeal on 2024-05-15" "review before the appeal"
rc_ case review $C2 --as wang --on 2024-05-20 --result 维持 --reasons 理由
want 3 "refused: case $C2 has no appeal to review (\`rongcuo case appeal\`)" "review without an appeal"
rc_ case review $C --as wang --on 2024-06-20 --result 变更 --reasons 经复核,改为免于追究责任
want 0 "review of the appeal on 2024-06-20: 变更" "review, late"
grep -q "the review on 2024-06-20 is after the review period (复核期限 1 months from the appeal on 2024-05-15, until 2024-06-15)" "$T/err" || bad "review: the late review is not said: $(cat "$T/err")"
grep -q "the decision and its impact period stay recorded as decided" "$T/out" || bad "review: the note on 变更 is missing"
rc_ case review $C --as wang --on 2024-06-21 --result 维持 --reasons 再审; want 3 "the appeal of case $C has already been reviewed" "a second review"
rc_ case show $C; want 0 "复核:2024-06-20  变更  理由:经复核,改为免于追究责任  (wang)" "show: the review" read
grep -q "申诉:2024-05-15  张三 .*申诉期间不停止执行" "$T/out" || bad "show: the appeal"

# -- 备案: with an organisation above the handling unit
rc_ case file $C --as chen --with HZ --on 2024-05-20
want 3 "refused: a filing (备案) is recorded by the roles of step '备案' (承办单位, 上级组织部门, 上级纪委); user 'chen' has the role '纪检'" "file: wrong role"
rc_ case file $C --as li --with XX --on 2024-05-20; want 3 "refused: 备案 goes to an organisation above the case's handling unit; 'XX' is not above it" "file with the handling unit"
rc_ case file $C --as li --with YY --on 2024-05-20; want 3 "'YY' is not above it" "file with a sibling"
rc_ case file $C --as li --with NOPE --on 2024-05-20; want 3 "no organisation with code 'NOPE'" "file with an unknown organisation"
rc_ case file $C --as li --with HZ --on 2024-04-01; want 3 "refused: the filing date 2024-04-01 is before the decision's meeting on 2024-04-12" "file before the meeting"
rc_ case file $C --as li --with HZ --on 2024-05-20; want 0 "filed with HZ on 2024-05-20 (备案)" "file with HZ"
rc_ case file $C --as li --with ZJ --on 2024-05-21; want 0 "" "file with ZJ"
rc_ case file $C --as li --with HZ --on 2024-05-22; want 3 "case $C is already filed with 'HZ'" "file twice"

# -- 纠错: tasks, verified by another user
rc_ case task add $C --as wang --owner 某局 --due 2024-06-30 --what 整改
want 3 "refused: a rectification task is recorded by the roles of step '纠错' (承办单位, 所在单位, 当事人); user 'wang' has the role '党委'" "task: wrong role"
rc_ case task add $C --as li --owner 某局 --due 2024-04-01 --what 整改
want 3 "refused: the due date 2024-04-01 is before the decision's meeting on 2024-04-12" "task due before the meeting"
rc_ case task add $C --as li --owner 某局 --due 2024-06-30; want 2 "--what is required" "task without what"
rc_ case task $C --as li; want 2 "rongcuo case task: add or done?" "task without add or done"
rc_ case task add $C --as li --owner 某局办公室 --due 2024-06-30 --what 修订审批流程
want 0 "rectification task 1 added (owner 某局办公室, due 2024-06-30)" "task 1"
# `case rectify` is `case task`
rc_ case rectify add $C --as li --owner 某局 --due 2024-12-31 --what 开展专项培训; want 0 "task 2 added" "task 2 (case rectify)"
rc_ case task "done" $C 1 --as li --on 2024-07-05 --verified-by li
want 3 "refused: task 1 of case $C was set by 'li'; its completion must be verified by another user (--verified-by)" "verified by the creator"
# one answer for every verifier who may not verify: nothing to learn about accounts
U="cannot verify task 1 of case $C: the verifier is another enabled user of the case's organisation or one above it, not an administrator"
rc_ case task "done" $C 1 --as li --on 2024-07-05 --verified-by zhao
want 3 "refused: 'zhao' $U" "verified from outside the scope"
rc_ case task "done" $C 1 --as li --on 2024-07-05 --verified-by nobody; want 3 "refused: 'nobody' $U" "verified by nobody"
rc_ case task "done" $C 1 --as li --on 2024-07-05 --verified-by sec
want 3 "refused: 'sec' $U" "verified by an administrator"
# nor by the official concerned or their unit, whose scope reaches the case
rc_ case task "done" $C 1 --as li --on 2024-07-05 --verified-by zs
want 3 "refused: 'zs' $U" "verified by the official concerned"
rc_ case task "done" $C 1 --as li --on 2024-07-05 --verified-by unit
want 3 "refused: 'unit' $U" "verified by the official's unit"
rc_ case task "done" $C 9 --as li --on 2024-07-05 --verified-by zhou; want 3 "case $C has no task 9" "no such task"
rc_ case task "done" $C abc --as li --on 2024-07-05 --verified-by zhou; want 2 "TASKNO 'abc' is not a task number" "a bad task number"
rc_ case task "done" $C 1 --as li --on 2024-07-05 --verified-by zhou; want 0 "task 1 done on 2024-07-05, verified by zhou" "task 1 done"
rc_ case task "done" $C 1 --as li --on 2024-07-06 --verified-by zhou; want 3 "refused: task 1 of case $C was done on 2024-07-05" "done twice"
rc_ case show $C; want 0 "#1  责任:某局办公室  期限 2024-06-30  修订审批流程  (li)  [已完成 2024-07-05,核验 zhou]" "show: a done task" read
grep -q "#2  责任:某局  期限 2024-12-31  开展专项培训  (li)  \[未完成\]" "$T/out" || bad "show: an open task"
rc_ case due --today 2024-12-01; want 0 "" "due before task 2's date" read
grep -q "纠错任务" "$T/out" && bad "due: a task not yet due is listed"
rc_ case due --today 2025-01-10; want 0 "纠错任务#2 期限 2024-12-31  XX  责任:某局  开展专项培训  [已逾期]" "due: the overdue task" read
grep -q "纠错任务#1" "$T/out" && bad "due: a done task is listed"

# -- 回访: during the impact period or at its end (警告: 2024-04-12 to 2025-04-12)
rc_ case visit $C --as li --on 2024-10-12 --notes 回访
want 3 "refused: a follow-up visit is recorded by the roles of step '回访' (纪检, 组织); user 'li' has the role '承办单位'" "visit: wrong role"
rc_ case visit $C --as chen --on 2025-04-13 --notes 回访
want 3 "refused: 回访 takes place during the impact period or at its end (2024-04-12 to 2025-04-12); 2025-04-13 is outside it" "visit after the period"
rc_ case visit $C --as chen --on 2024-04-11 --notes 回访; want 3 "2024-04-11 is outside it" "visit before the period"
rc_ case visit $C --as chen --on 2024-10-12 --notes 思想稳定,工作积极,已汲取教训; want 0 "follow-up visit on 2024-10-12 recorded (回访)" "visit during"
rc_ case visit $C --as chen --on 2025-04-12 --notes 影响期满,表现良好; want 0 "" "visit at the end"
rc_ case show $C; want 0 "2025-04-12  影响期满,表现良好  (chen)" "show: visits" read

# -- a policy without 申诉期限, without 备案, whose preparer's role may decide,
#    and a decision without a sanction
cat >"$P" <<'EOF'
policy test-records {
  title "测试用程序(记录)" version "r1" effective 2020-01-01
  status TYPICAL source "rongcuo tests (invented)"
}
fact 占位 : bool { label "占位" record true status TYPICAL source "tests" }
outcome 不予容错 { title "不予容错" leniency 1 status TYPICAL source "tests" }
rule 兜底 { when true recommend 不予容错 status TYPICAL source "tests" }
procedure {
  status TYPICAL source "tests"
  step 启动 { title "启动" actor 承办单位 next 认定 }
  step 认定 { title "认定" actor 承办单位 four_eyes true next 告知 }
  step 告知 { title "告知" actor 承办单位 next 申诉复核 }
  step 申诉复核 { title "申诉复核" actor 承办单位 next 回访 }
  step 回访 { title "回访" actor 承办单位 }
}
EOF
rc_ case open --as li --person 1 --path application --handling XX --policy "$P" --code T-1 --today 2024-05-01
want 0 "policy test-records r1" "open T-1"
rc_ case step T-1 认定 --as zhou --policy "$P" --today 2024-05-01; want 0 "" "T-1 认定"
rc_ case recommend T-1 --as zhou --policy "$P"; want 0 "" "T-1 recommend"
rc_ case decide T-1 --as zhou --policy "$P" --outcome 不予容错 --meeting 2024-05-01 --basis 测试; want 0 "" "T-1 decide"
rc_ case notify T-1 --as li --policy "$P" --to 张三 --on 2024-05-02 --how 当面; want 0 "" "T-1 notify"
rc_ case appeal T-1 --as li --policy "$P" --on 2024-05-03 --by 张三 --grounds 不服
want 3 "refused: policy r1 has no parameter '申诉期限' (the appeal period); add it to the policy's procedure" "appeal without 申诉期限"
rc_ case file T-1 --as li --policy "$P" --with HZ --on 2024-05-03
want 3 "refused: policy r1 has no step '备案', whose roles record a filing (备案)" "file without a 备案 step"
rc_ case review T-1 --as li --policy "$P" --on 2024-05-03 --result 维持 --reasons 理由
want 3 "refused: user 'li' prepared case T-1 and cannot review its appeal (four eyes: 承办人不得审批本人承办的案件)" "review by the preparer"
rc_ case visit T-1 --as li --policy "$P" --on 2024-05-03 --notes 回访
want 3 "refused: the decision of case T-1 started no impact period (影响期); 回访 follows a sanction during its impact period" "visit without an impact period"

# -- the audit chain: whole, and one row per accepted change
rc_ audit verify; want 0 "audit chain verified" "audit verify" read
rows=$(sed -n 's/audit chain verified: \([0-9]*\) rows.*/\1/p' "$T/out")
# 4 orgs + 1 person + 5 users + 2 party users and 1 tie; case C: open, 3 steps, 14 facts, consult,
# 5 participants, 4 opinions, 认定, recommend, decide, 告知, 2 notices,
# appeal, review, 2 filings, 2 tasks, 1 task done, 2 visits; C2: open and 3
# steps; T-1: open, step, recommend, decide, notify.  The refused commands
# wrote none.
[ "$rows" = "$n" ] || bad "audit rows: $rows, but $n changes were accepted"
[ "$rows" = 67 ] || bad "audit rows: $rows, wanted 67"
"$BIN" audit list --data "$D" >"$T/list" || bad "audit list failed"
for act in case.consult case.participant case.participant.recused case.opinion case.notify \
	case.appeal case.review case.file case.task.add case.task.done case.visit; do
	c=$(awk -F '\t' -v a="$act" '$6 == a' "$T/list" | wc -l)
	[ "$c" -ge 1 ] || bad "audit: no row for $act"
done
o=$(awk -F '\t' '$6 == "case.task.done" { print $7 " " $4 " " $5 }' "$T/list")
[ "$o" = "case:$C/task:1 承办单位 XX" ] || bad "audit: the task's row names '$o'"
# --action is a prefix, --object one object
rc_ audit list --action case.task.d --object "case:$C/task:1"; want 0 "case.task.done" "audit list filtered" read
[ "$(wc -l <"$T/out")" -eq 1 ] || bad "audit list --action --object: $(cat "$T/out")"
rc_ db check; want 0 "integrity ok" "db check" read
finish "records: ok"
