#!/bin/sh
# Concurrency: 32 rongcuo processes at once racing conflicting changes to
# the same cases, on one data directory (SQLite, or PostgreSQL when
# scripts/test-pg.sh runs it).  Each client is a process of its own, so the
# races cross processes and connections, not threads.
#   1. double decision: 32 users decide the same case at once -> exactly one
#      decision is recorded, every other client is refused;
#   2. decide vs withdraw: 16 decide and 16 withdraw the same case at once ->
#      exactly one of all 32 succeeds, and the case is either decided or
#      withdrawn, never both;
#   3. two editors of one fact, 32 times over: every accepted edit is in the
#      fact's history, exactly one value is current, and it is the last
#      edit the audit trail records (no lost update);
# and then the audit chain verifies with exactly one row per accepted change.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/race.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
P=tests/cli/data/two-eyes.rcp
CLIENTS=32
n=0 # accepted changes: one audit row each
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
want() { # want EXIT TEXT DESCRIPTION [read]
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 2 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
	[ "$got" -eq 0 ] && [ "$1" -eq 0 ] && [ "${4:-}" != read ] && n=$((n + 1))
	return 0
}
# race NAME: run the command lines in $T/NAME.cmds (one client each) all at
# once; client K's exit code goes to $T/r.rc.K, its stderr to $T/r.err.K
race() {
	rm -f "$T"/r.*
	k=0
	while IFS= read -r line; do
		k=$((k + 1))
		# shellcheck disable=SC2086 # a command line of words without spaces
		(set -- $line && "$BIN" "$@" --data "$D" >"$T/r.out.$k" 2>"$T/r.err.$k"
			echo $? >"$T/r.rc.$k") &
	done <"$T/$1.cmds"
	wait
}
count_ok() { cat "$T"/r.rc.* | grep -c '^0$'; }

rc_ db init; want 0 "" "db init" read
rc_ org add ZJ 浙江省 province; want 0 "" "org ZJ"
rc_ org add XX 某县 county --parent ZJ; want 0 "" "org XX"
rc_ person add 张三 --org XX; want 0 "" "person"
rc_ user add prep 承办人 --org XX --role 承办单位 --policy "$P"; want 0 "" "user prep"
i=1
while [ "$i" -le "$CLIENTS" ]; do
	rc_ user add "u$i" "用户$i" --org XX --role 承办单位 --policy "$P"; want 0 "" "user u$i"
	i=$((i + 1))
done
# a case at 认定 with its recommendation: prep opened it, u1 took it to 认定
to_decide() { # to_decide CODE
	rc_ case open --as prep --person 1 --path application --handling XX --policy "$P" \
		--code "$1" --today 2024-05-06; want 0 "" "open $1"
	rc_ case step "$1" 审核 --as prep --policy "$P" --today 2024-05-06; want 0 "" "$1 审核"
	rc_ case step "$1" 认定 --as u1 --policy "$P" --today 2024-05-07; want 0 "" "$1 认定"
	rc_ case recommend "$1" --as u1 --policy "$P"; want 0 "" "$1 recommend"
}

# -- 1. double decision
to_decide R-1
: >"$T/decide.cmds"
i=1
while [ "$i" -le "$CLIENTS" ]; do
	echo "case decide R-1 --as u$i --policy $P --outcome 不予容错 --meeting 2024-05-08 --basis 测试" \
		>>"$T/decide.cmds"
	i=$((i + 1))
done
race decide
ok=$(count_ok)
[ "$ok" = 1 ] || bad "double decision: $ok clients succeeded, wanted exactly 1"
n=$((n + ok))
refused=$(grep -l -e "already has a decision" -e "changed by someone else" "$T"/r.err.* | wc -l)
[ "$refused" = $((CLIENTS - 1)) ] ||
	bad "double decision: $refused clients refused with a reason, wanted $((CLIENTS - 1)): $(cat "$T"/r.err.* | sort | uniq -c | head -n 5)"
rc_ case show R-1 --policy "$P"; want 0 "认定:2024-05-08  不予容错" "R-1 shows its decision" read
[ "$(grep -c "认定:" "$T/out")" = 1 ] || bad "double decision: case show lists $(grep -c "认定:" "$T/out") decisions"
rc_ case withdraw R-1 --as prep --policy "$P" --reason 撤回 --today 2024-05-09
want 3 "refused: case R-1 was decided at the meeting of 2024-05-08; a decision is changed only by review (复核), not withdrawn" "withdraw a decided case"

# -- 2. decide vs withdraw
to_decide R-2
: >"$T/dw.cmds"
i=1
while [ "$i" -le "$CLIENTS" ]; do
	if [ $((i % 2)) = 0 ]; then
		echo "case decide R-2 --as u$i --policy $P --outcome 不予容错 --meeting 2024-05-08 --basis 测试"
	else
		echo "case withdraw R-2 --as u$i --policy $P --reason 申请人撤回 --today 2024-05-08"
	fi >>"$T/dw.cmds"
	i=$((i + 1))
done
race dw
ok=$(count_ok)
[ "$ok" = 1 ] || bad "decide vs withdraw: $ok clients succeeded, wanted exactly 1"
n=$((n + ok))
rc_ case show R-2 --policy "$P"; want 0 "案件 R-2" "R-2 show" read
decided=$(grep -c "认定:" "$T/out")
withdrawn=$(grep -c "当前步骤:已撤回" "$T/out")
[ $((decided + withdrawn)) = 1 ] ||
	bad "decide vs withdraw: decided $decided, withdrawn $withdrawn; wanted exactly one of them"

# -- 3. two editors of one fact, 32 times over
rc_ case open --as prep --person 1 --path application --handling XX --policy "$P" --code R-3 \
	--today 2024-05-06; want 0 "" "open R-3"
: >"$T/fact.cmds"
i=1
while [ "$i" -le "$CLIENTS" ]; do
	v=true
	[ $((i % 2)) = 0 ] && v=false
	echo "case fact R-3 占位 $v --as u$i --policy $P --evidence e$i" >>"$T/fact.cmds"
	i=$((i + 1))
done
race fact
ok=$(count_ok)
[ "$ok" = "$CLIENTS" ] || bad "two editors: $ok of $CLIENTS edits accepted: $(cat "$T"/r.err.* | head -n 3)"
n=$((n + ok))
# the last accepted edit, by the audit trail's order, is the current value
"$BIN" audit list --action case.fact --data "$D" | awk -F '\t' '$7 ~ /^case:R-3/' >"$T/facts.trail"
[ "$(wc -l <"$T/facts.trail")" = "$ok" ] ||
	bad "two editors: $(wc -l <"$T/facts.trail") audit rows for $ok accepted edits"
last_user=$(tail -n 1 "$T/facts.trail" | cut -f 3)
rc_ case show R-3 --policy "$P"; want 0 "占位" "R-3 show" read
[ "$(grep -c "占位 = " "$T/out")" = 1 ] || bad "two editors: $(grep -c "占位 = " "$T/out") current values"
# every accepted edit is in the fact's history, the last one current
rc_ case history R-3 占位; want 0 "占位 = " "R-3 history" read
[ "$(wc -l <"$T/out")" = "$ok" ] || bad "two editors: $(wc -l <"$T/out") history rows for $ok edits"
[ "$(grep -c "\[现值\]" "$T/out")" = 1 ] || bad "two editors: $(grep -c "\[现值\]" "$T/out") current rows in the history"
tail -n 1 "$T/out" | grep -q "($last_user, .*\[现值\]" || bad "two editors: the history's last row is not the current one by $last_user: $(tail -n 1 "$T/out")"
grep -q "占位 = .*($last_user, " "$T/out" ||
	bad "two editors: the current value is not the last edit ($last_user): $(grep "占位" "$T/out")"

# -- 4. idempotency keys: 16 clients retry one case open under one key at
#    once, then once more afterwards: exactly one case is made
: >"$T/idem.cmds"
i=1
while [ "$i" -le 16 ]; do
	echo "case open --as prep --person 1 --path application --handling XX --policy $P --today 2024-05-10 --idempotency-key open-R-4" >>"$T/idem.cmds"
	i=$((i + 1))
done
race idem
ok=$(count_ok)
n=$((n + 1)) # one case opened, whatever the clients saw
already=$(grep -l "already made" "$T"/r.out.* "$T"/r.err.* 2>/dev/null | wc -l)
[ $((ok + $(cat "$T"/r.rc.* | grep -c '^3$'))) = 16 ] || bad "idempotency: exits $(cat "$T"/r.rc.* | sort | uniq -c)"
[ "$already" = 15 ] || bad "idempotency: $already clients were told 'already made', wanted 15"
made=$(grep -h "opened" "$T"/r.out.* | sed -n 's/^case \([^ ]*\) opened.*/\1/p')
[ "$(echo "$made" | grep -c .)" = 1 ] || bad "idempotency: cases opened: $made"
rc_ case open --as prep --person 1 --path application --handling XX --policy "$P" --today 2024-05-10 --idempotency-key open-R-4
want 0 "already made: case.open case:$made at " "a retry afterwards" read
rc_ case list --idempotency-key open-R-4; want 0 "$made" "a read-only command ignores a used key" read
[ "$(grep -c "^XX-2024-" "$T/out")" = 1 ] || bad "idempotency: $(grep -c "^XX-2024-" "$T/out") generated cases"
# a key names one change: another change under it is refused, not dropped
rc_ org add HZ 杭州市 city --parent ZJ --idempotency-key open-R-4
want 3 "refused: idempotency key 'open-R-4' names another change (case.open case:$made" "a key reused for another change" read
rc_ import cases /dev/null --as prep --idempotency-key k1; want 2 "--idempotency-key is not taken here" "import with a key" read
rc_ case open --as prep --person 1 --path application --handling XX --policy "$P" --idempotency-key "a b"
want 2 "rongcuo: --idempotency-key 'a b' is not a key of 1 to 64 printable ASCII characters without spaces" "a key with a space" read

# -- the audit chain: whole, one row per accepted change
rc_ audit verify; want 0 "audit chain verified" "audit verify" read
rows=$(sed -n 's/audit chain verified: \([0-9]*\) rows.*/\1/p' "$T/out")
[ "$rows" = "$n" ] || bad "audit rows: $rows, but $n changes were accepted"
rc_ db check; want 0 "integrity ok" "db check" read
finish "race: ok"
