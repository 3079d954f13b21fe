#!/bin/sh
# Every command's --help exits 0 and prints its usage on stdout; a command
# given no arguments prints its usage on stderr and exits 2.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/help.sh
. "$(dirname "$0")/lib.sh.inc"

# help CMD...: `rongcuo CMD... --help` exits 0, "usage:" on stdout, nothing on stderr
help() {
	"$BIN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 0 ] || bad "rongcuo $* exited $rc, wanted 0"
	grep -q "^usage: rongcuo" "$T/out" || bad "rongcuo $*: no 'usage: rongcuo' line on stdout"
	[ -s "$T/err" ] && bad "rongcuo $*: wrote to stderr: $(head -n 1 "$T/err")"
}

help --help
help -h
help help
help policy --help
help policy check --help
help policy test --help
help policy diff --help
help policy facts --help
help assess --help
help assess -h
# --help wins over the other arguments
help policy check --help policies/zhejiang-2023.rcp
help assess --policy policies/ --help examples/sample-case.json

# each usage names its own command
"$BIN" policy check --help 2>/dev/null | grep -q "policy check FILE" || bad "policy check --help does not describe policy check"
"$BIN" policy test --help 2>/dev/null | grep -q "policy test FILE" || bad "policy test --help does not describe policy test"
"$BIN" policy diff --help 2>/dev/null | grep -q "policy diff OLD NEW" || bad "policy diff --help does not describe policy diff"
"$BIN" policy facts --help 2>/dev/null | grep -q "policy facts FILE" || bad "policy facts --help does not describe policy facts"
"$BIN" assess --help 2>/dev/null | grep -q -- "--policy" || bad "assess --help does not mention --policy"
# the exit codes are documented
"$BIN" --help 2>/dev/null | grep -q "Exit codes" || bad "rongcuo --help does not list the exit codes"

# no arguments: usage on stderr, exit 2
noargs() {
	"$BIN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 2 ] || bad "rongcuo $* (no arguments) exited $rc, wanted 2"
	grep -q "usage: rongcuo" "$T/err" || bad "rongcuo $* (no arguments): no usage on stderr"
}
noargs
noargs policy
noargs policy check
noargs policy test
noargs policy diff
noargs policy facts
noargs assess

finish "help: ok"
