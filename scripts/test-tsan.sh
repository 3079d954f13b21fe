#!/bin/sh
# The thread sanitizer stage of `make test`: `rongcuo serve` handles
# requests on several threads (docs/modules/http.md, Threads), so what the
# threads share is checked for data races on a -fsanitize=thread build
# (build-tsan/; ThreadSanitizer cannot be combined with ASan, hence a build
# of its own).  It runs the tests whose threads really run at once:
#   tests/http/test_threads   N handlers inside at once, each on its own
#                             store connection
#   tests/web/test_threads    the page cache and the policy set under
#                             concurrent readers and writers
#   tests/cli/serve-threads.sh  the server itself, hammered over HTTP
# A report of ThreadSanitizer fails the test that caused it (exit code 66;
# the CLI test looks for it in the server's log).
# Ends with "tsan: N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
B=build-tsan
bins="$B/tests/http/test_threads $B/tests/web/test_threads"
pass=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
export TSAN_OPTIONS

# shellcheck disable=SC2086 # bins is a list of targets
if ! make -s -j"$jobs" BUILD=$B SANITIZE=thread all $bins >"$log" 2>&1; then
	cat "$log"
	echo "tsan: the build failed"
	echo "tsan: 0 passed, 1 failed"
	exit 1
fi
for b in $bins; do
	if "$b" >"$log" 2>&1; then
		pass=$((pass + 1))
		echo "ok   $b"
	else
		failed=$((failed + 1))
		echo "FAIL $b"
		grep -v '"event"' "$log" | tail -n 40
	fi
done
if BIN=$B/rongcuo sh tests/cli/serve-threads.sh >"$log" 2>&1; then
	pass=$((pass + 1))
	echo "ok   tests/cli/serve-threads.sh"
else
	failed=$((failed + 1))
	echo "FAIL tests/cli/serve-threads.sh"
	tail -n 40 "$log"
fi
echo "tsan: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
