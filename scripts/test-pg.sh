#!/bin/sh
# The store and procedure suites on PostgreSQL, as `make test` runs them:
# a throwaway cluster (scripts/pg.sh) under a temporary directory, on a unix
# socket only; then
#   1. the backend's own tests against the server (tests/pg/test_pg);
#   2. every CLI script (tests/cli/*.sh), each data directory it makes on a
#      PostgreSQL database of its own (tests/pg/rongcuo-pg.sh), including
#      the crash test, which also stops the server with an immediate
#      shutdown every cycle.
# The cluster is removed at the end.  Ends with "postgresql: N passed, M
# failed".  BUILD selects the build directory (default build/).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build}
pass=0
fail=0
names=""
ko() {
	fail=$((fail + 1))
	names="$names $1"
	echo "FAIL: $1" >&2
}
[ -x "$BUILD/rongcuo" ] && [ -x "$BUILD/tests/pg/test_pg" ] || {
	echo "test-pg: build first (make BUILD=$BUILD test-bins)" >&2
	exit 2
}
# As root the cluster runs as the postgres user, who must reach it: under
# /tmp, not a $TMPDIR that may be private to root.
base=${TMPDIR:-/tmp}
[ "$(id -u)" -eq 0 ] && base=/tmp
dir=$(mktemp -d "$base/rc-pg.XXXXXX") || exit 2
scripts/pg.sh start "$dir" >/dev/null || exit 2
trap 'scripts/pg.sh stop "$dir" 2>/dev/null || rm -rf "$dir"' EXIT INT TERM
out="$top/$BUILD/test-out/pg"
mkdir -p "$out"

# 1. the backend against the server
RC_PG_DIR="$dir" "$BUILD/tests/pg/test_pg" >"$out/test_pg.log" 2>&1
rc=$?
np=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out/test_pg.log" | tail -n 1)
nf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out/test_pg.log" | tail -n 1)
echo "pg/test_pg: ${np:-0} passed, ${nf:-0} failed"
pass=$((pass + ${np:-0}))
fail=$((fail + ${nf:-0}))
if [ "$rc" -ne 0 ]; then
	[ -z "$nf" ] && fail=$((fail + 1))
	names="$names pg/test_pg"
	tail -n 30 "$out/test_pg.log" >&2
fi

# 2. every CLI script, on PostgreSQL
for s in tests/cli/*.sh; do
	n=$(basename "$s" .sh)
	if RC_BACKEND=postgresql RC_PG_DIR="$dir" RC_REAL_BIN="$top/$BUILD/rongcuo" \
		BIN="$top/tests/pg/rongcuo-pg.sh" sh "$s" >"$out/$n.log" 2>&1; then
		pass=$((pass + 1))
		echo "pg $(tail -n 1 "$out/$n.log")"
	else
		ko "pg $s"
		tail -n 20 "$out/$n.log" >&2
	fi
done
[ -n "$names" ] && echo "failed:$names" >&2
echo "postgresql: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
