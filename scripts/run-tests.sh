#!/bin/sh
# Run the whole test suite against one build directory ($BUILD, default
# build/).  Called by `make test-unit`; `make test` calls it for the normal
# and the sanitizer build.  Ends with one line "tests: N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
BIN="$top/$BUILD/rongcuo"
pass=0
fail=0
failed_names=""

ok() { pass=$((pass + 1)); }
ko() {
	fail=$((fail + 1))
	failed_names="$failed_names $1"
	echo "FAIL: $1" >&2
}

cd "$top" || exit 1
out="$top/$BUILD/test-out"
mkdir -p "$out"

# 1. Unit tests (cmocka), one binary per source module.
for t in "$BUILD"/tests/*/test_*; do
	[ -x "$t" ] || continue
	name=${t#"$BUILD"/tests/}
	# the PostgreSQL backend's tests need a server: scripts/test-pg.sh
	case $name in pg/*) continue ;; esac
	log="$out/$(echo "$name" | tr / _).log"
	RC_SOURCE_DIR="$top" "$t" >"$log" 2>&1
	rc=$?
	# Count cmocka's own tests, so the total reflects every assertion group.
	np=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	nf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	pass=$((pass + ${np:-0}))
	fail=$((fail + ${nf:-0}))
	echo "$name: ${np:-0} passed, ${nf:-0} failed"
	if [ "$rc" -ne 0 ]; then
		[ -z "$nf" ] && fail=$((fail + 1)) # crashed before its summary
		failed_names="$failed_names $name"
		grep -E "^\[  (FAILED|ERROR) +\]|FAIL|ERROR|error" "$log" | head -n 30 >&2
		tail -n 15 "$log" >&2
	fi
done

# 2. The shipped policies: no errors, every test passes.
if "$BIN" policy check policies/*.rcp >"$out/check.log" 2>&1 &&
	! grep -q ": error:" "$out/check.log"; then ok; else
	ko "policy check policies"
	cat "$out/check.log" >&2
fi
"$BIN" policy test policies/*.rcp >"$out/ptest.log" 2>&1
rc=$?
np=$(sed -n 's/^all files: \([0-9]*\) passed.*/\1/p' "$out/ptest.log")
nf=$(sed -n 's/^all files: [0-9]* passed, \([0-9]*\) failed/\1/p' "$out/ptest.log")
echo "policy test policies/*.rcp: ${np:-0} passed, ${nf:-0} failed"
pass=$((pass + ${np:-0}))
fail=$((fail + ${nf:-0}))
if [ "$rc" -ne 0 ]; then
	[ -z "$nf" ] && fail=$((fail + 1))
	failed_names="$failed_names policy-test"
	cat "$out/ptest.log" >&2
fi

# 3. Malformed policies: `policy check` must exit 1 and print exactly the
#    error lines in NAME.expected.
for f in tests/malformed/*.rcp; do
	[ -e "$f" ] || continue
	exp="${f%.rcp}.expected"
	"$BIN" policy check "$f" >"$out/m.out" 2>&1
	rc=$?
	grep ": error: " "$out/m.out" >"$out/m.err" || true
	if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && [ -f "$exp" ] && diff -u "$exp" "$out/m.err" >"$out/m.diff"; then ok; else
		ko "$f (exit $rc)"
		cat "$out/m.diff" >&2 2>/dev/null
	fi
done

# 4. Bad facts documents: `assess` must exit non-zero (not a crash) and print
#    exactly the error lines in NAME.expected.
for f in tests/badfacts/*.json; do
	[ -e "$f" ] || continue
	exp="${f%.json}.expected"
	"$BIN" assess --policy policies/ "$f" >"$out/b.out" 2>"$out/b.err"
	rc=$?
	grep "error: " "$out/b.err" | sed "s|^$f|FACTS|" >"$out/b.got" || true
	if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && [ -f "$exp" ] && diff -u "$exp" "$out/b.got" >"$out/b.diff"; then ok; else
		ko "$f (exit $rc)"
		cat "$out/b.diff" >&2 2>/dev/null
	fi
done

# 5. Command-line behaviour (exit codes, help, output shapes).
for s in tests/cli/*.sh; do
	[ -e "$s" ] || continue
	if BIN="$BIN" sh "$s" >"$out/cli.log" 2>&1; then ok; else
		ko "$s"
		tail -n 30 "$out/cli.log" >&2
	fi
done

# 6. Fuzz corpora and regressions, replayed without libFuzzer.
for h in policy facts calendar csv multipart; do
	r="$BUILD/fuzz/replay_fuzz_$h"
	[ -x "$r" ] || continue
	dirs="fuzz/corpus/$h fuzz/regressions/$h"
	[ "$h" = policy ] && dirs="$dirs tests/malformed policies"
	[ "$h" = facts ] && dirs="$dirs tests/badfacts examples"
	[ "$h" = calendar ] && dirs="$dirs data/calendar"
	# shellcheck disable=SC2086
	if "$r" $dirs >"$out/replay_$h.log" 2>&1; then
		ok
		sed "s|^|replay_fuzz_$h: |" "$out/replay_$h.log"
	else
		ko "replay_fuzz_$h"
		tail -n 30 "$out/replay_$h.log" >&2
	fi
done

[ -n "$failed_names" ] && echo "failed:$failed_names" >&2
echo "$BUILD: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
