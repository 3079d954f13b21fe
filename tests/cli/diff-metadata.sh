#!/bin/sh
# `policy diff` reports every change of the policy block that matters for
# version selection and provenance: the shipped 2022.01-test version ends
# 'until 2023-05-31' and is TYPICAL; 2023.06 is open-ended and SEED.  Then
# every other field that carries meaning or provenance (jurisdiction, fact
# help and group, outcome and impact provenance, impact title and
# counted_from, sanction note, an enum's values past 256 bytes), each
# changed alone in a generated pair, is reported as the one difference.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/diff-metadata.sh
. "$(dirname "$0")/lib.sh.inc"

"$BIN" policy diff policies/zhejiang-2022-test.rcp policies/zhejiang-2023.rcp >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || bad "policy diff OLD NEW exited $rc, wanted 1"
grep -q "^~ policy zhejiang-rongcuo: until: 2023-05-31 -> " "$T/out" ||
	bad "policy diff does not report the change of 'until' (2023-05-31 -> open-ended)"
grep -q "^~ policy zhejiang-rongcuo: status: TYPICAL -> SEED" "$T/out" ||
	bad "policy diff does not report the change of the policy block's status (TYPICAL -> SEED)"

# Only 'until' differs: still a difference.
awk '{ print } /^  effective  *2023-06-01/ { print "  until 2030-12-31" }' policies/zhejiang-2023.rcp >"$T/until.rcp"
grep -q "^  until 2030-12-31" "$T/until.rcp" || bad "test setup: could not add 'until'"
"$BIN" policy diff policies/zhejiang-2023.rcp "$T/until.rcp" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || bad "policy diff of versions differing only in 'until' exited $rc, wanted 1"

# -- each meaning-bearing field alone: a base policy and, per field, a copy
# with only that field changed; `policy diff` must exit 1 and print exactly
# the change line of that field, and nothing else.
long=""
for i in 0 1 2 3 4 5 6 7 8 9; do
	long="$long 值$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i$i,"
done
cat >"$T/base.rcp" <<EOF
policy 元数据 { title "t" jurisdiction "浙江省" version "1" effective 2023-01-01 status SEED source "s" }
fact 谋取私利 : bool { label "是否谋取私利" help "说明甲" group "分组甲" status SEED source "s" }
fact 来源 : enum($long 审计, 巡视) { label "来源" record true }
category 改革 { title "改革" status SEED source "s" }
situation 探索 in 改革 { title "探索" when not 谋取私利 status SEED source "s" }
outcome 免责 { title "免责" leniency 1 status SEED source "来源甲" article "问责条例 第十七条" }
rule 兜底 { title "兜底" when true recommend 免责 status SEED source "s" }
impact 党纪处分 { title "影响期" counted_from "处分批准之日" status CONFIRMED source "条例甲" article "第一条"
  sanction 警告 { period 12 months note "备注甲" } }
EOF
run 0 policy check "$T/base.rcp"
[ "$(grep "^fact 来源 : enum(" "$T/base.rcp" | wc -c)" -gt 400 ] ||
	bad "test setup: the values of the enum 来源 do not run past 256 bytes"

# field SED-SCRIPT CHANGE-LINE: the base with SED-SCRIPT applied differs in CHANGE-LINE only
field() {
	sed "$1" "$T/base.rcp" >"$T/changed.rcp"
	if cmp -s "$T/base.rcp" "$T/changed.rcp"; then
		bad "test setup: '$1' changed nothing"
		return
	fi
	run 1 policy diff "$T/base.rcp" "$T/changed.rcp"
	grep -q -x -F -- "$2" "$T/out" || bad "policy diff does not report '$2': $(head -n 3 "$T/out")"
	grep -q -x "1 difference" "$T/out" || bad "policy diff for '$2': not exactly one difference: $(tail -n 1 "$T/out")"
}
field 's/"浙江省"/"江苏省"/' "~ policy 元数据: jurisdiction: 浙江省 -> 江苏省"
field 's/"说明甲"/"说明乙"/' "~ fact 谋取私利: help: 说明甲 -> 说明乙"
field 's/"分组甲"/"分组乙"/' "~ fact 谋取私利: group: 分组甲 -> 分组乙"
field '/^outcome/s/status SEED/status TYPICAL/' "~ outcome 免责: status: SEED -> TYPICAL"
field 's/"来源甲"/"来源乙"/' "~ outcome 免责: source: 来源甲 -> 来源乙"
field 's/第十七条/第十八条/' "~ outcome 免责: article: 问责条例 第十七条 -> 问责条例 第十八条"
field 's/"影响期"/"影响期限"/' "~ impact 党纪处分: title: 影响期 -> 影响期限"
field 's/"处分批准之日"/"处分决定之日"/' "~ impact 党纪处分: counted_from: 处分批准之日 -> 处分决定之日"
field 's/status CONFIRMED/status TYPICAL/' "~ impact 党纪处分: status: CONFIRMED -> TYPICAL"
field 's/"条例甲"/"条例乙"/' "~ impact 党纪处分: source: 条例甲 -> 条例乙"
field 's/"第一条"/"第二条"/' "~ impact 党纪处分: article: 第一条 -> 第二条"
field 's/"备注甲"/"备注乙"/' "~ sanction 党纪处分/警告: note: 备注甲 -> 备注乙"
# an enum whose value list differs only past its first 256 bytes
sed 's/ 巡视)/ 巡察)/' "$T/base.rcp" >"$T/changed.rcp"
run 1 policy diff "$T/base.rcp" "$T/changed.rcp"
grep -q '^~ fact 来源: type: one of .*"审计", "巡视" -> one of .*"审计", "巡察"$' "$T/out" ||
	bad "policy diff does not report the change of an enum value past 256 bytes: $(head -c 300 "$T/out")"
grep -q -x "1 difference" "$T/out" || bad "policy diff of the long enum: not exactly one difference"

finish "diff-metadata: ok"
