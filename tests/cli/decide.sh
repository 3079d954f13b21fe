#!/bin/sh
# A case from facts to effects through the CLI: facts with provenance and
# their checks, the engine's recommendation stored with the case, the
# committee's decision (four eyes, reasons required when it departs from the
# recommendation, one per case), and the effects ledger answering "restricted
# on D, by which decision, until when" before and after the impact period.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/decide.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
want() {
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 2 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
}
C=XX-2024-0001
rc_ db init; want 0 "" "db init"
rc_ org add ZJ 浙江省 province; rc_ org add HZ 杭州市 city --parent ZJ
rc_ org add XX 某县 county --parent HZ; want 0 "" "orgs"
rc_ person add 张三 --org XX; want 0 "(id 1)" "person"
rc_ user add li 李四 --org XX --role 承办单位; rc_ user add wang 王五 --org XX --role 党委
want 0 "" "users"
rc_ case open --as li --person 1 --path application --handling XX --today 2024-03-20
want 0 "$C" "open"
rc_ case step $C 受理 --as li --today 2024-03-21; rc_ case step $C 调查核实 --as li --today 2024-03-22
want 0 "" "to 调查核实"

# facts: checked against the policy's schema, with the assessment's messages
for kv in "营商环境领域 true" "突破常规探索 是" "触犯纪法红线 false" "明知故犯 false" \
	"造成严重后果 false" "与中央决策部署不符 false" "违反禁止性规定 false" "形象工程 false" \
	"拒不整改 false"; do
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
rc_ case fact $C 问题性质 有利 --as li; want 3 "needs its written reason (--reason)" "a finding without reason"
rc_ case finding $C 谋取私利 false --as li --reason x; want 3 "is not an analysis standard" "finding on a fact"
rc_ case show $C; want 0 "理由:动机态度经调查核实" "show: a finding's reason"
rc_ case fact $C 谋取私利 true --as li --evidence 谈话笔录-1; want 0 "" "fact 谋取私利 true"
rc_ case fact $C 谋取私利 false --as li --evidence 银行流水-2 --disputed; want 0 "(disputed)" "fact corrected"
rc_ case fact $C 谋取私力 true --as li; want 3 "'谋取私力' is not a fact or standard" "unknown fact"
rc_ case fact $C 营商环境领域 也许 --as li; want 3 "facts.营商环境领域: expected bool" "wrong type"
rc_ case fact $C 动机态度 极好 --as li; want 3 "is not allowed; expected one of" "bad grade"
rc_ case fact $C 谋取私利 false --as wang; want 3 "does not handle that step" "a role not at this step"
rc_ case show $C; want 0 "谋取私利 = false" "show: current value"
grep -q "银行流水-2" "$T/out" || bad "show: the evidence of the current value is missing"
grep -q "有争议" "$T/out" || bad "show: the dispute mark is missing"

# the decision needs the decision step, a recommendation, and four eyes
rc_ case step $C 会商研判 --as li --today 2024-04-01; want 0 "" "to 会商研判"
# 会商研判: 纪检、组织、信访、审计 each give a written opinion before the case
# can move on (tests/cli/records.sh tests the refusals)
rc_ case consult $C --as li --held 2024-04-02 --minutes 会商纪要; want 0 "" "consult"
for dept in 纪检 组织 信访 审计; do
	rc_ case participant $C --as li --dept $dept --name "${dept}代表"; want 0 "" "participant $dept"
	rc_ case opinion $C --as li --dept $dept --opinion 同意; want 0 "" "opinion $dept"
done
rc_ case decide $C --as wang --outcome 不予追究责任 --meeting 2024-04-12 --basis 问责条例
want 3 "a decision is recorded at the decision step" "decide too early"
rc_ case step $C 认定 --as wang --today 2024-04-10; want 0 "" "to 认定"
rc_ case decide $C --as wang --outcome 不予追究责任 --meeting 2024-04-12 --basis 问责条例
want 3 "has no recommendation yet" "decide without a recommendation"
rc_ case recommend $C --as wang --conduct-date 2024-03-15 --decision-date 2024-04-12
want 0 "建议结果:不予追究责任 或 免于追究责任" "recommend"
rc_ case decide $C --as wang --outcome 从轻追究责任 --meeting 2024-04-12 --basis "问责条例 第十八条"
want 3 "differs from the recommendation (determined 不予追究责任|免于追究责任); give the reasons" "differs without a reason"
rc_ case decide $C --as wang --outcome 宽恕 --meeting 2024-04-12 --basis x; want 3 "'宽恕' is not an outcome" "unknown outcome"
rc_ case decide $C --as wang --outcome 从轻追究责任 --meeting 2024-04-12 --basis "问责条例 第十八条" \
	--reason 集体研究认为损失较大 --sanction 党纪处分/警告
want 0 "与推荐意见不同,理由:集体研究认为损失较大" "decide with reasons and a sanction"
rc_ case decide $C --as wang --outcome 免于追究责任 --meeting 2024-04-13 --basis x
want 3 "already has a decision" "a second decision"

# the effects ledger: 警告 = 12 months from the meeting (纪律处分条例 第十条)
rc_ person effects 1 --on 2024-06-01; want 1 "2024-04-12 至 2025-04-12" "restricted during the period"
grep -q "处于影响期内" "$T/out" || bad "effects: not restricted during the period"
rc_ person effects 1 --on 2025-04-13; want 0 "不受影响期限制" "free after the period"
rc_ person effects 99; want 3 "no official with id 99" "unknown official"
rc_ audit verify; want 0 "audit chain verified" "audit verify"
finish "decide: ok"
