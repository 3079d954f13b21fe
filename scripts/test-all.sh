#!/bin/sh
# The whole suite, as `make test` and CI run it:
#   1. build and run every test against the normal build (build/);
#   2. the same against an ASan+UBSan build (build-san/);
#   3. the store and procedure suites on PostgreSQL (scripts/test-pg.sh,
#      a throwaway cluster, the normal build);
#   4. the browser tests: the web pages in Debian's Chromium against the
#      normal build (scripts/browser-deps.sh installs Chromium and
#      playwright-core; one that cannot be installed is a failure, not a
#      skip; tests/browser/run.sh, screenshots in build/artifacts/browser);
#   5. the thread sanitizer stage: the tests whose threads run at once, on
#      a -fsanitize=thread build (build-tsan/; scripts/test-tsan.sh);
#   6. a short libFuzzer run of every harness.
# Ends with one line "tests: N passed, M failed" over all of it.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# count LABEL: add the last "LABEL: N passed, M failed" line of $log to the
# totals; no such line (the stage died before its summary) is a failure.
count() {
	line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed\$" "$log" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
	[ -z "$line" ] && f=1
	total_pass=$((total_pass + ${p:-0}))
	total_fail=$((total_fail + ${f:-0}))
}

run_suite() { # $1 = label, rest = make arguments
	label=$1
	shift
	echo "== $label"
	if ! make -s -j"$jobs" "$@" all test-bins >"$log" 2>&1; then
		cat "$log"
		echo "$label: build failed"
		total_fail=$((total_fail + 1))
		return
	fi
	make -s "$@" test-unit 2>&1 | tee "$log"
	count '[A-Za-z0-9_-]+'
}

run_suite "normal build" BUILD=build
run_suite "ASan+UBSan build" BUILD=build-san SANITIZE=address,undefined

echo "== PostgreSQL: the store and procedure suites against a throwaway cluster"
scripts/test-pg.sh 2>&1 | tee "$log"
count postgresql

echo "== browser: the web pages in Debian's Chromium (tests/browser)"
if sh scripts/browser-deps.sh >"$log" 2>&1; then
	sh tests/browser/run.sh build 2>&1 | tee "$log"
	count browser
else
	cat "$log"
	echo "browser: Chromium or playwright-core could not be installed (scripts/browser-deps.sh)"
	total_fail=$((total_fail + 1))
fi

echo "== ThreadSanitizer: the server's threads (scripts/test-tsan.sh)"
scripts/test-tsan.sh 2>&1 | tee "$log"
count tsan

echo "== short fuzz run"
if scripts/fuzz.sh short; then
	total_pass=$((total_pass + 1))
else
	total_fail=$((total_fail + 1))
fi

echo "tests: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
