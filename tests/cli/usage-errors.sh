#!/bin/sh
# Usage errors exit 2 with a message on stderr and nothing on stdout:
# unknown commands and options, a missing --policy, bad dates.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/usage-errors.sh
. "$(dirname "$0")/lib.sh.inc"

# usage WANT_IN_STDERR ARGS...: exit 2, WANT_IN_STDERR (a fixed string) on stderr, stdout empty
usage() {
	want=$1
	shift
	"$BIN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 2 ] || bad "rongcuo $* exited $rc, wanted 2"
	grep -q -F -- "$want" "$T/err" || bad "rongcuo $*: stderr lacks '$want': $(head -n 1 "$T/err")"
	[ -s "$T/out" ] && bad "rongcuo $*: wrote to stdout: $(head -n 1 "$T/out")"
}

usage "unknown command 'frobnicate'" frobnicate
usage "unknown command '--frobnicate'" --frobnicate
usage "unknown sub-command 'frobnicate'" policy frobnicate
usage "unknown option or missing value: '--frobnicate'" assess --frobnicate --policy policies/ "$F"
usage "unknown option or missing value: '-x'" assess --policy policies/ -x "$F"
usage "unknown option or missing value: '-z'" assess --json -zj --policy policies/ "$F"
usage "--policy is required" assess "$F"
usage "--policy is required" assess --json "$F"
usage "unknown option or missing value: '--policy'" assess "$F" --policy
usage "give exactly one facts file" assess --policy policies/
usage "give exactly one facts file" assess --policy policies/ "$F" "$F"
usage "is not a date; write YYYY-MM-DD" assess --policy policies/ --conduct-date 2024/03/15 "$F"
usage "is not a date; write YYYY-MM-DD" assess --policy policies/ --conduct-date 昨天 "$F"
usage "is not a date; write YYYY-MM-DD" assess --policy policies/ --conduct-date "" "$F"
usage "--conduct-date '2024-02-30' is an impossible date" assess --policy policies/ --conduct-date 2024-02-30 "$F"
usage "--conduct-date '2024-13-01' is an impossible date" assess --policy policies/ --conduct-date 2024-13-01 "$F"
usage "--decision-date '2024-09-31' is an impossible date" assess --policy policies/ --decision-date 2024-09-31 "$F"
usage "--decision-date" assess --policy policies/ --decision-date 1.1.2024 "$F"
# the usage goes with an unknown option, so the user sees what is allowed
"$BIN" assess --frobnicate 2>&1 | grep -q "^usage: rongcuo assess" || bad "assess --frobnicate does not print the usage"
# policy sub-commands with the wrong number of files
usage "usage: rongcuo policy diff" policy diff policies/zhejiang-2023.rcp
usage "usage: rongcuo policy diff" policy diff policies/zhejiang-2023.rcp policies/zhejiang-2023.rcp policies/zhejiang-2023.rcp
usage "usage: rongcuo policy facts" policy facts policies/zhejiang-2022-test.rcp policies/zhejiang-2023.rcp

finish "usage-errors: ok"
