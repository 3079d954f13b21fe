#!/bin/sh
# An unknown option to a `policy` sub-command is a usage error (exit 2), not
# a file that cannot be read (exit 3): `policy check --strict X.rcp` must not
# try to open a file named "--strict".
# Run from the repository root: BIN=build/rongcuo sh tests/cli/policy-options.sh
. "$(dirname "$0")/lib.sh.inc"
P=policies/zhejiang-2023.rcp

opt() {
	"$BIN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 2 ] || bad "rongcuo $* exited $rc, wanted 2 (unknown option)"
	grep -q -F -- "--frobnicate" "$T/err" || bad "rongcuo $*: stderr does not name the option '--frobnicate'"
	grep -q "cannot read" "$T/out" "$T/err" && bad "rongcuo $*: treated the option as a file name"
}

opt policy check --frobnicate "$P"
opt policy test --frobnicate "$P"
opt policy diff --frobnicate "$P" "$P"
opt policy facts --frobnicate "$P"

finish "policy-options: ok"
