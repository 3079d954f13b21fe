#!/bin/sh
# The browser tests: every tests/browser/*.test.mjs, run by Node's own test
# runner (node --test), driving Debian's Chromium headless through
# playwright-core, against `rongcuo serve` on a free loopback port.
#
#   sh tests/browser/run.sh BUILD_DIR        (from anywhere; e.g. build)
#
# Makes a scratch data directory (db init, a province, a city, two sibling
# counties, an official, one 承办单位 user with a one-time password to be
# changed), starts the server
# (its port read from its first log line), runs the tests with what they need
# in the environment (RC_BASE_URL, RC_LOGIN, RC_PASSWORD, ... -- lib.mjs),
# stops the server with SIGTERM, and ends with one line
#   browser: N passed, M failed
# N and M are node --test's counts; a cancelled, skipped or todo test counts as
# failed, and so does a server that does not start or does not stop cleanly,
# or a missing Chromium or playwright-core (scripts/browser-deps.sh installs
# them).  Exit status 0 only when M is 0 and N is not.
#
# Environment: ARTIFACTS (screenshots and the server's log; default
# build/artifacts/browser), RC_CHROMIUM (default /usr/bin/chromium),
# BROWSER_TIMEOUT (seconds for the whole node --test run, default 300),
# BROWSER_JOBS (test files run at the same time, default 4).
# docs/testing-browser.md.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
cd "$top" || exit 2
[ $# -eq 1 ] || {
	echo "usage: sh tests/browser/run.sh BUILD_DIR" >&2
	exit 2
}
case $1 in /*) BIN="$1/rongcuo" ;; *) BIN="$top/$1/rongcuo" ;; esac
ARTIFACTS=${ARTIFACTS:-build/artifacts/browser}
case $ARTIFACTS in /*) ;; *) ARTIFACTS="$top/$ARTIFACTS" ;; esac
RC_CHROMIUM=${RC_CHROMIUM:-/usr/bin/chromium}
DIR="$top/tests/browser"

T=$(mktemp -d "${TMPDIR:-/tmp}/rc-browser.XXXXXX") || exit 2
D="$T/data"
LOG="$T/serve.log"
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# give_up WHY: nothing could be tested
give_up() {
	echo "FAIL: $*"
	echo "browser: 0 passed, 1 failed"
	exit 1
}

[ -x "$BIN" ] || give_up "no $BIN (make BUILD=$1)"
[ -x "$RC_CHROMIUM" ] || give_up "no Chromium at $RC_CHROMIUM (scripts/browser-deps.sh)"
command -v node >/dev/null 2>&1 || give_up "node is missing (scripts/browser-deps.sh)"
[ -f "$DIR/node_modules/playwright-core/package.json" ] ||
	give_up "playwright-core is not installed in tests/browser (scripts/browser-deps.sh)"
set -- "$DIR"/*.test.mjs
[ -f "$1" ] || give_up "no tests/browser/*.test.mjs"

# -- the data directory: a province, a city, two sibling counties below it, an
# official, one case-handling user (the users of the case test are made by
# case.test.mjs itself, lib.mjs addUser)
rc() { "$BIN" "$@" --data "$D" >>"$T/setup.log" 2>&1 || give_up "rongcuo $*: $(tail -n 3 "$T/setup.log")"; }
RC_LOGIN=zhangce
# markup and quotes in the names: the pages must show them as text
# shellcheck disable=SC2089 # the quotes are part of the names
RC_NAME='张策 <b>测</b> & "试"'
RC_ROLE=承办单位
RC_ORG=XX
# shellcheck disable=SC2089
RC_ORG_NAME='某县<纪委> & "办"'
RC_PASSWORD="一次性 $(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')"
rc db init
rc org add ZJ 浙江省 province
# the case test's tree (case.test.mjs): a city, the county above and its
# sibling county below the city, an official of the county
RC_CITY=HZ
RC_SIBLING=YY
RC_PERSON=张三
RC_PERSON_POST=副局长
rc org add "$RC_CITY" 杭州市 city --parent ZJ
rc org add "$RC_ORG" "$RC_ORG_NAME" county --parent "$RC_CITY"
rc org add "$RC_SIBLING" 另县 county --parent "$RC_CITY"
rc person add "$RC_PERSON" --org "$RC_ORG" --post "$RC_PERSON_POST"
rc user add "$RC_LOGIN" "$RC_NAME" --org "$RC_ORG" --role "$RC_ROLE"
printf '%s\n' "$RC_PASSWORD" | "$BIN" user passwd "$RC_LOGIN" --must-change --data "$D" \
	>>"$T/setup.log" 2>&1 || give_up "rongcuo user passwd: $(tail -n 3 "$T/setup.log")"

# -- the server on a free port; its first log line says which.  Its stdout
# (the administrators' one-time passwords of the first start) stays in $T.
: >"$LOG"
"$BIN" serve --listen 127.0.0.1:0 --data "$D" >"$T/serve.out" 2>"$LOG" &
pid=$!
port=""
i=0
while [ "$i" -lt 100 ]; do
	port=$(sed -n '1s/^{"time":"[^"]*","event":"start","listen":"127\.0\.0\.1:\([0-9][0-9]*\)".*/\1/p' "$LOG")
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$port" ] || [ "$port" = 0 ]; then
	give_up "serve did not start within 10 s: $(head -n 5 "$LOG")"
fi

mkdir -p "$ARTIFACTS" || give_up "cannot make $ARTIFACTS"
rm -f "$ARTIFACTS"/*.png "$ARTIFACTS/serve.log"

# -- the tests: spec to the terminal, TAP to a file for the counts
# shellcheck disable=SC2090 # RC_NAME and RC_ORG_NAME hold quotes on purpose
export RC_BASE_URL="http://127.0.0.1:$port" RC_LOGIN RC_PASSWORD RC_NAME RC_ROLE RC_ORG \
	RC_ORG_NAME RC_CITY RC_SIBLING RC_PERSON RC_PERSON_POST RC_BIN="$BIN" RC_DATA="$D" \
	ARTIFACTS RC_CHROMIUM
echo "browser: $# test files against $RC_BASE_URL, Chromium $("$RC_CHROMIUM" --version 2>/dev/null |
	sed -n 's/^Chromium \([0-9.]*\).*/\1/p')"
# Files run side by side (a file mostly waits: for a TOTP step, for the
# browser), BROWSER_JOBS at a time; Node 18 has no --test-concurrency and
# runs them one at a time.
jobs=""
node --help 2>/dev/null | grep -q -e '--test-concurrency' &&
	jobs="--test-concurrency=${BROWSER_JOBS:-4}"
# shellcheck disable=SC2086 # $jobs is one option or none
timeout -k 10 "${BROWSER_TIMEOUT:-300}" node --test $jobs \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$T/tap" "$@"
nrc=$?
extra=0
[ "$nrc" -eq 124 ] && {
	echo "FAIL: node --test did not finish within ${BROWSER_TIMEOUT:-300} s"
	extra=$((extra + 1))
}

# -- stop the server: SIGTERM, gone within 5 s, exit 0
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
	echo "FAIL: serve still running 5 s after SIGTERM"
	kill -KILL "$pid"
	extra=$((extra + 1))
fi
wait "$pid"
src=$?
pid=""
[ "$src" -eq 0 ] || {
	echo "FAIL: serve exited $src after SIGTERM: $(tail -n 3 "$LOG")"
	extra=$((extra + 1))
}
cp "$LOG" "$ARTIFACTS/serve.log"

# -- the counts: TAP's closing "# pass N", "# fail M", ...
count() { sed -n "s/^# $1 \([0-9][0-9]*\)\$/\1/p" "$T/tap" | tail -n 1; }
pass=$(count pass)
fail=$(count fail)
if [ -z "$pass" ] || [ -z "$fail" ]; then
	echo "FAIL: no counts from node --test (exit $nrc)"
	pass=${pass:-0}
	fail=${fail:-0}
	extra=$((extra + 1))
fi
for k in cancelled skipped todo; do
	n=$(count "$k")
	[ "${n:-0}" -gt 0 ] && echo "FAIL: $n $k (counted as failed)"
	fail=$((fail + ${n:-0}))
done
# node failed without a test saying so (a file that did not load is a test that failed)
[ "$nrc" -ne 0 ] && [ "$fail" -eq 0 ] && [ "$extra" -eq 0 ] && {
	echo "FAIL: node --test exited $nrc"
	extra=$((extra + 1))
}
fail=$((fail + extra))
[ "$pass" -eq 0 ] && [ "$fail" -eq 0 ] && {
	echo "FAIL: no test ran"
	fail=1
}
ls "$ARTIFACTS"/*.png >/dev/null 2>&1 && echo "browser: screenshots in ${ARTIFACTS#"$top"/}"
echo "browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
