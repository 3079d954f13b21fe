#!/bin/sh
# The demo data (`rongcuo demo`, what `serve --demo` loads): into a new data
# directory, as of a fixed day, it loads the invented organisations, one
# user per role of the shipped procedure, each with the shared password and
# an enrolled TOTP authenticator whose secret is printed once (and is
# nowhere in the data directory or the audit trail), and cases at every step
# of the policy -- 启动, 受理 (one overdue), 不予受理, 调查核实 with some
# facts, 会商研判 with its consultation under way, 认定 with a
# recommendation (overdue) and decided, every outcome of the policy, 告知,
# 申诉复核 with an appeal and its review, 结果运用, 备案, 纠错 with tasks
# done, open and overdue, 回访 -- in both sibling counties, a withdrawn case
# and a 澄清正名.  The audit chain and the database check pass; a second run
# changes nothing; a second directory gets the same cases and the same audit
# trail (but for the times), and its users act as printed (the waiting
# case decided by the city's 党委, not by its preparer nor from the sibling
# county).  Usage errors exit 2; a missing directory, a day too early for
# the policy and a policy without the procedure's steps 3, writing nothing.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/demo.sh
# shellcheck source=tests/cli/lib.sh.inc disable=SC1091
. "$(dirname "$0")/lib.sh.inc"
command -v oathtool >/dev/null 2>&1 || {
	echo "FAIL: oathtool is not installed (scripts/deps.sh)"
	exit 1
}
D="$T/data"
DAY=2026-06-15
P=policies/zhejiang-2023.rcp
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
want() { # want EXIT TEXT-IN-OUTPUT-OR-ERR DESCRIPTION
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 2 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
}

# -- usage errors, and a directory that was never initialised
rc_ demo --help; want 0 "usage: rongcuo demo" "demo --help"
rc_ demo extra; want 2 "unexpected argument 'extra'" "demo with an argument"
rc_ demo --today 2026-13-01; want 2 "--today '2026-13-01' is not a date" "a bad --today"
rc_ demo --frobnicate; want 2 "unknown option" "an unknown option"
rc_ demo --idempotency-key k1; want 2 "--idempotency-key is not taken here" "demo with a key"
rc_ demo --today $DAY; want 3 "" "demo before db init"
[ -e "$D/rongcuo.db" ] && bad "demo before db init created a database"

# -- the load
rc_ db init; want 0 "initialised" "db init"
# refused before anything is written: a day whose demo would reach back
# before the shipped version took effect (2023-06-01), a policy without the
# shipped procedure's steps
rc_ demo --today 2023-12-07; want 3 "choose a later day, 2023-12-08 or after" "demo too early"
rc_ demo --today $DAY --policy tests/cli/data/two-eyes.rcp; want 3 "has no step '受理'" "demo on another procedure"
rc_ org list; want 0 "" "org list"
[ -s "$T/out" ] && bad "a refused demo wrote organisations: $(cat "$T/out")"
rc_ demo --today $DAY; want 0 "演示数据已载入" "demo"
cp "$T/out" "$T/demo.out"
grep -q "9 个组织, 12 名干部, 17 个用户, 15 件案件, 1 件澄清正名" "$T/demo.out" ||
	bad "demo: the summary: $(head -n 1 "$T/demo.out")"
[ -s "$T/err" ] && bad "demo wrote to stderr: $(head -n 3 "$T/err")"

# the shared password: printed once, 120 random bits as base32 groups
pw=$(sed -n 's/^演示用户共用密码.*: \([A-Z2-7-]*\)$/\1/p' "$T/demo.out")
echo "$pw" | grep -q -E '^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$' || bad "the demo password: '$pw'"
# every user: login (name), role, organisation, then the oathtool command
for u in "zhangsan (张三)  当事人  东湖县发展和改革局 DHFGJ" "fenger (冯二)  所在单位  东湖县发展和改革局 DHFGJ" \
	"lisi (李四)  承办单位  东湖县 DH" "zhaoliu (赵六)  承办单位  西山县 XS" \
	"wangwu (王五)  党委  东湖县 DH" "qianqi (钱七)  党委  西山县 XS" "chensan (陈三)  党委  样板市 YB" \
	"sunba (孙八)  纪检  东湖县 DH" "weisi (卫四)  纪检  样板市 YB" "zhoujiu (周九)  组织  东湖县 DH" \
	"wushi (吴十)  信访  东湖县 DH" "zhengyi (郑一)  审计  东湖县 DH" \
	"hanba (韩八)  行业主管部门  东湖县 DH" "yangjiu (杨九)  第三方机构  东湖县 DH" \
	"zhushi (朱十)  法律顾问  东湖县 DH" "jiangliu (蒋六)  上级组织部门  样板市 YB" \
	"shenqi (沈七)  上级纪委  样板市 YB"; do
	grep -q -x -F "  $u" "$T/demo.out" || bad "demo: no user line '$u'"
done
# every role a step of the shipped procedure names has a demo user
for role in $(sed -n 's/^ *actor //p' $P | tr -d ' ' | tr ',' '\n' | sort -u); do
	grep -q "^  [a-z]* ([^)]*)  $role  " "$T/demo.out" || bad "no demo user has the role '$role'"
done
# one random secret each, valid base32 that oathtool turns into a code
sed -n 's/^    oathtool --totp -b \(.*\)$/\1/p' "$T/demo.out" >"$T/secrets"
n=$(wc -l <"$T/secrets")
[ "$n" -eq 17 ] || bad "$n oathtool commands, wanted 17"
[ "$(sort -u "$T/secrets" | wc -l)" -eq 17 ] || bad "the TOTP secrets are not all different"
while read -r s; do
	echo "$s" | grep -q -E '^[A-Z2-7]{32}$' || bad "a TOTP secret is not 32 base32 characters: '$s'"
	oathtool --totp -b "$s" | grep -q -E '^[0-9]{6}$' || bad "oathtool refuses the secret '$s'"
done <"$T/secrets"
grep -q "第一次登录请用下一个口令" "$T/demo.out" || bad "demo: the spent TOTP step is not explained"
# each enrolment finished (a wrong code would have been a failed log-in)
"$BIN" audit list --data "$D" >"$T/trail" || bad "audit list"
for action in user.add user.password user.totp.begin user.totp.enrol; do
	n=$(grep -c "	$action	user:" "$T/trail")
	[ "$n" -eq 17 ] || bad "$n $action rows, wanted 17"
done
grep -q "auth.login.failed" "$T/trail" && bad "the demo made a failed log-in"
# neither the password nor a secret is anywhere in the data directory or the trail
if grep -r -a -q -F -- "$pw" "$D" "$T/trail"; then bad "the demo password is in the data directory"; fi
while read -r s; do
	if grep -r -a -q -F -- "$s" "$D" "$T/trail"; then bad "a TOTP secret is in the data directory"; fi
done <"$T/secrets"

# -- the cases: how many at each step (the withdrawn one is 已撤回)
state_count() { # state_count STATE N
	"$BIN" case list --state "$1" --data "$D" >"$T/list" || bad "case list --state $1"
	got=$(wc -l <"$T/list")
	[ "$got" -eq "$2" ] || bad "$got cases at '$1', wanted $2: $(cat "$T/list")"
}
for sn in 启动:1 受理:2 不予受理:1 调查核实:1 会商研判:1 认定:2 告知:1 申诉复核:1 结果运用:1 \
	备案:1 纠错:1 回访:1 已撤回:1; do
	state_count "${sn%:*}" "${sn#*:}"
done
rc_ case list; want 0 "" "case list"
[ "$(wc -l <"$T/out")" -eq 15 ] || bad "case list: $(wc -l <"$T/out") cases, wanted 15"
cp "$T/out" "$T/cases"
# both sibling counties handle cases
"$BIN" case list --handling DH --data "$D" | grep -q "^DH-" || bad "no case handled by 东湖县"
"$BIN" case list --handling XS --data "$D" | grep -q "^XS-" || bad "no case handled by 西山县"
# code_at STATE [N]: the code of the Nth case at STATE
code_at() { "$BIN" case list --state "$1" --data "$D" | sed -n "${2:-1}p" | cut -d' ' -f1; }
show() { # show CODE: case show into $T/show
	"$BIN" case show "$1" --data "$D" >"$T/show" 2>&1 || bad "case show $1: $(head -n 2 "$T/show")"
}
shows() { grep -q -F -- "$1" "$T/show" || bad "case $c ($2): lacks '$1'"; }
lacks() { grep -q -F -- "$1" "$T/show" && bad "case $c ($2): has '$1'"; }

c=$(code_at 调查核实); show "$c"
shows "情况说明 = " "调查核实, facts"
shows "动机态度 = \"有利\"" "调查核实, a finding"
lacks "补救情况 = " "调查核实, findings still open"
lacks "推荐意见" "调查核实, no recommendation yet"
c=$(code_at 会商研判); show "$c"
shows "参会 信访:" "会商研判, participants"
shows "意见 纪检:" "会商研判, the first opinion"
lacks "意见 组织:" "会商研判, opinions still to come"
# of the two at 认定, one awaits the decision with its recommendation, one is decided
for i in 1 2; do
	c=$(code_at 认定 $i); show "$c"
	shows "推荐意见" "认定, a recommendation"
	if grep -q "^  认定:" "$T/show"; then decided=$((${decided:-0} + 1)); fi
done
[ "${decided:-0}" -eq 1 ] || bad "${decided:-0} of the cases at 认定 are decided, wanted 1"
c=$(code_at 告知); show "$c"; shows "  告知:" "告知, the notification"
c=$(code_at 申诉复核); show "$c"
case $c in XS-*) ;; *) bad "the case at 申诉复核 is not 西山县's: $c" ;; esac
shows "  申诉:" "申诉复核, the appeal"
shows "复核:" "申诉复核, the review"
c=$(code_at 备案); show "$c"; shows "备案:" "备案, the filing"; shows "YB 样板市" "备案, with the city"
c=$(code_at 纠错); show "$c"
shows "[已完成 " "纠错, a task done"
[ "$(grep -c "\[未完成\]" "$T/show")" -eq 2 ] || bad "纠错: not two open tasks: $(cat "$T/show")"
c=$(code_at 回访); show "$c"
shows "  回访:" "回访, the visit"
shows "[回避] 与当事人系近亲属" "回访, a recusal in the consultation"
steps=$(sed -n 's/^    20[0-9-]*  \([^ ]*\) *期限 .*/\1/p' "$T/show" | tr '\n' ' ')
[ "$steps" = "启动 受理 调查核实 会商研判 认定 告知 申诉复核 结果运用 备案 纠错 回访 " ] ||
	bad "回访: the steps taken: '$steps'"
c=$(code_at 已撤回); show "$c"
shows "启动方式:依申请" "withdrawn, on application"
shows "已撤回  期限 -" "withdrawn, its step row"
c=$(code_at 不予受理); show "$c"; shows "不属于容错受理范围" "不予受理, its reason"
# every outcome of the policy is decided in some case, and only after a
# recommendation whose band holds it (no departure needed reasons)
cut -d' ' -f1 "$T/cases" | while read -r code; do "$BIN" case show "$code" --data "$D"; done >"$T/all"
sed -n 's/^outcome \([^ ]*\) {$/\1/p' $P >"$T/outcomes"
[ "$(wc -l <"$T/outcomes")" -ge 5 ] || bad "the policy's outcomes: $(cat "$T/outcomes")"
while read -r o; do
	grep -q "^  认定:[0-9-]*  $o  " "$T/all" || bad "no case is decided '$o'"
done <"$T/outcomes"
grep -q "与推荐意见不同" "$T/all" && bad "a demo decision departs from its recommendation"
# overdue: two steps past their deadline and a rectification task
rc_ case due --today $DAY; want 0 "" "case due"
[ "$(grep -c "期限 .*\[已逾期\]" "$T/out")" -eq 3 ] || bad "case due: not 3 overdue: $(cat "$T/out")"
grep -q "受理 .*\[已逾期\]" "$T/out" || bad "case due: no overdue 受理"
grep -q "认定 .*\[已逾期\]" "$T/out" || bad "case due: no overdue 认定"
grep -q "纠错任务#3 .*\[已逾期\]" "$T/out" || bad "case due: no overdue task"
# the sanction of the 回访 case restricts 张三 (official 1) on the day
rc_ person effects 1 --on $DAY; want 1 "处于影响期内" "张三 under the impact period"
# the 澄清正名: opened by one 纪检, found unfounded by another
rc_ clarify show 1; want 0 "状态:已归入廉政档案" "clarify show"
grep -q "核查结论:失实  (weisi)" "$T/out" || bad "clarify: the finding: $(cat "$T/out")"

# -- the chain, the database
rc_ audit verify; want 0 "audit chain verified" "audit verify"
rows=$(sed -n 's/audit chain verified: \([0-9]*\) rows.*/\1/p' "$T/out")
[ "${rows:-0}" -gt 400 ] || bad "audit rows: '$rows'"
rc_ db check; want 0 "integrity ok, foreign keys ok" "db check"

# -- a second run changes nothing
rc_ demo --today $DAY; want 0 "nothing was loaded" "a second demo"
grep -q "oathtool" "$T/out" && bad "a second demo printed secrets"
rc_ audit verify; want 0 "audit chain verified: $rows rows" "audit rows after a second demo"
"$BIN" case list --data "$D" | cmp -s - "$T/cases" || bad "a second demo changed the cases"

# -- deterministic: another directory, the same day, the same data
D2="$T/data2"
"$BIN" db init --data "$D2" >/dev/null 2>&1 || bad "db init of a second directory"
"$BIN" demo --today $DAY --data "$D2" >"$T/demo2.out" 2>&1 || bad "demo into a second directory"
"$BIN" case list --data "$D2" | cmp -s - "$T/cases" || bad "the second directory's cases differ"
"$BIN" audit list --data "$D2" | cut -f 1,3- >"$T/trail2"
cut -f 1,3- "$T/trail" | cmp -s - "$T/trail2" || bad "the second directory's audit trail differs"
sed -n 's/^    oathtool --totp -b //p' "$T/demo2.out" | grep -q -x -F -f "$T/secrets" &&
	bad "the second directory got a secret of the first"
# the users act as printed: the case waiting at 认定 is decided by a 党委 --
# here the city's -- never by its preparer, nor from the sibling county
c=$(code_at 认定 1)
grep -q "^  $c .*待党委认定" "$T/demo.out" || bad "the first case at 认定 is not the waiting one: $c"
dec() { "$BIN" case decide "$c" --as "$1" --outcome 免于追究责任 --meeting $DAY --basis 实施办法 --data "$D2" >"$T/out" 2>&1; }
dec lisi && bad "the preparer decided $c"
grep -q "does not perform step '认定'" "$T/out" || bad "decide by lisi: $(cat "$T/out")"
dec qianqi && bad "西山县's committee decided $c"
grep -q "user 'qianqi' (role '党委') does not perform step '认定' for this case" "$T/out" ||
	bad "decide by qianqi: $(cat "$T/out")"
dec chensan || bad "the city's committee cannot decide $c: $(cat "$T/out")"

# -- serve --demo, the newcomer's one command: a new data directory with the
# demo loaded, and the policy versions and calendar years it is served under
# copied into it, so that activating one never writes into the source tree
S=$T/served
serve_start "$T/sd.log" "$T/sd.out" --demo --data "$S"
[ -n "$port" ] || bad "serve --demo did not start: $(head -n 5 "$T/sd.log")"
grep -q "演示数据已载入" "$T/sd.out" || bad "serve --demo loaded nothing: $(head -n 3 "$T/sd.out")"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] ||
	bad "serve --demo: /healthz"
for f in policies/*.rcp; do
	cmp -s "$f" "$S/policies/$(basename "$f")" || bad "serve --demo: $f not copied"
done
for f in data/calendar/*.cal; do
	cmp -s "$f" "$S/calendar/$(basename "$f")" || bad "serve --demo: $f not copied"
done
kill -TERM "$pid"
wait "$pid" || bad "serve --demo did not stop cleanly"
# again on the same directory: nothing loaded twice, its own directories kept
echo "# kept" >>"$S/calendar/cn-2026.cal"
serve_start "$T/sd2.log" "$T/sd2.out" --demo --data "$S"
[ -n "$port" ] || bad "serve --demo (second start) did not start: $(head -n 5 "$T/sd2.log")"
grep -q "未载入演示数据" "$T/sd2.out" || bad "serve --demo loaded twice: $(head -n 3 "$T/sd2.out")"
tail -n 1 "$S/calendar/cn-2026.cal" | grep -q "# kept" || bad "serve --demo copied its calendar again"
kill -TERM "$pid"
wait "$pid" || bad "serve --demo (second start) did not stop cleanly"
finish "demo: ok"
