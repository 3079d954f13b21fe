#!/bin/sh
# Crash test of the store: writers in parallel, killed with SIGKILL at random
# moments, CYCLES times.  After every cycle: each write a writer saw
# acknowledged (its command exited 0) must be in the database, `db check`
# (SQLite's integrity_check and foreign keys, or PostgreSQL's constraint,
# index and audit-trigger checks) must pass, and the audit chain must verify.
#   scripts/crash-test.sh [CYCLES] [WRITERS]      (default 50 cycles, 4 writers)
# With RC_BACKEND=postgresql (scripts/test-pg.sh sets it, with BIN the
# wrapper that puts the data directory on a database of the cluster in
# RC_PG_DIR), the database server is also stopped with an immediate shutdown
# (no checkpoint, as a power cut) at the random moment, before the writers
# are killed, and started again.
# The test suite runs a short version (tests/cli/crash.sh).  Ends with
# "crash: N passed, M failed".
set -u
cycles=${1:-50}
writers=${2:-4}
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$top/build/rongcuo}
T=$(mktemp -d "${TMPDIR:-/tmp}/rc-crash.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
D="$T/data"
pass=0
fail=0
"$BIN" db init --data "$D" >/dev/null || exit 1
"$BIN" org add ROOT 根 province --data "$D" >/dev/null || exit 1

writer() { # writer ID: add units until killed; log each acknowledged code
	i=0
	while :; do
		i=$((i + 1))
		code="W$1-$2-$i"
		if "$BIN" org add "$code" 单位 unit --parent ROOT --data "$D" >/dev/null 2>&1; then
			echo "$code" >>"$T/acked.$1"
		fi
	done
}

c=1
while [ "$c" -le "$cycles" ]; do
	pids=""
	w=1
	while [ "$w" -le "$writers" ]; do
		writer "$w" "$c" &
		pids="$pids $!"
		w=$((w + 1))
	done
	# a random moment between 0.2 and 1.2 s
	sleep "$(awk -v s="$c" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() }')"
	if [ "${RC_BACKEND:-sqlite}" = postgresql ]; then
		"$top/scripts/pg.sh" crash "$RC_PG_DIR" || { echo "cycle $c: the server did not restart"; exit 1; }
	fi
	# Kill the writer loops first (so they start nothing new), then every
	# rongcuo still running on this data directory, mid-write.
	for p in $pids; do
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	while pgrep -f -- "--data $D" >/dev/null 2>&1; do
		pkill -KILL -f -- "--data $D" 2>/dev/null
		sleep 0.05
	done
	ok=1
	cat "$T"/acked.* 2>/dev/null | sort -u >"$T/acked"
	"$BIN" org list --data "$D" 2>"$T/list.err" | awk '{ print $1 }' | sort -u >"$T/stored"
	[ -s "$T/list.err" ] && { echo "cycle $c: org list: $(head -n 2 "$T/list.err")"; ok=0; }
	lost=$(comm -23 "$T/acked" "$T/stored" | wc -l)
	if [ "$lost" -ne 0 ]; then
		echo "cycle $c: $lost acknowledged writes lost: $(comm -23 "$T/acked" "$T/stored" | head -n 3)"
		ok=0
	fi
	"$BIN" db check --data "$D" >"$T/check" 2>&1 || { echo "cycle $c: db check: $(cat "$T/check")"; ok=0; }
	"$BIN" audit verify --data "$D" >"$T/verify" 2>&1 || { echo "cycle $c: $(cat "$T/verify")"; ok=0; }
	if [ "$ok" -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	c=$((c + 1))
done
echo "acknowledged writes: $(wc -l <"$T/acked"), rows: $(wc -l <"$T/stored")"
echo "crash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
