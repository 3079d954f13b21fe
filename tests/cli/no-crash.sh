#!/bin/sh
# No input makes rongcuo crash: every malformed policy and every bad facts
# document, through every command that reads it, ends with a status below
# 128 and no sanitizer report.  The plain `policy check` of a malformed policy
# and the plain `assess --policy policies/` of a bad document must also refuse
# it (non-zero); other combinations may legitimately succeed (a command-line
# date replaces a bad one, `policy facts` does not run the checker).
# Run from the repository root: BIN=build/rongcuo sh tests/cli/no-crash.sh
. "$(dirname "$0")/lib.sh.inc"
n=0
NEW=policies/zhejiang-2023.rcp

# try [-r] ARGS...: no crash, no sanitizer report; with -r also a refusal (non-zero)
try() {
	n=$((n + 1))
	refuse=0
	if [ "$1" = -r ]; then
		refuse=1
		shift
	fi
	"$BIN" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ "$rc" -ge 128 ]; then
		bad "rongcuo $* crashed (exit $rc)"
	elif grep -q -E "Sanitizer|runtime error:" "$T/err"; then
		bad "rongcuo $*: sanitizer report"
		sed -n '1,10p' "$T/err"
	elif [ "$refuse" -eq 1 ] && [ "$rc" -eq 0 ]; then
		bad "rongcuo $* accepted a bad input (exit 0)"
	fi
}
# try_stdin FILE ARGS...: no crash, FILE on stdin, refused
try_stdin() {
	n=$((n + 1))
	in=$1
	shift
	"$BIN" "$@" >"$T/out" 2>"$T/err" <"$in"
	rc=$?
	if [ "$rc" -ge 128 ]; then
		bad "rongcuo $* <$in crashed (exit $rc)"
	elif grep -q -E "Sanitizer|runtime error:" "$T/err"; then
		bad "rongcuo $* <$in: sanitizer report"
		sed -n '1,10p' "$T/err"
	elif [ "$rc" -eq 0 ]; then
		bad "rongcuo $* <$in accepted a bad input (exit 0)"
	fi
}

for p in tests/malformed/*.rcp; do
	[ -e "$p" ] || continue
	try -r policy check "$p"
	try -r policy check "$NEW" "$p"
	try policy facts "$p"
	try policy diff "$p" "$NEW"
	try policy diff "$NEW" "$p"
	try assess --policy "$p" "$F"
	try assess --policy "$p" --policy "$NEW" --json "$F"
	try policy test "$p"
done
for j in tests/badfacts/*.json; do
	[ -e "$j" ] || continue
	try -r assess --policy policies/ "$j"
	try -r assess --policy policies/ --json "$j"
	try assess --policy policies/ --conduct-date 2024-03-15 "$j"
	try assess --policy "$NEW" --why-not 营商环境突破常规 "$j"
	try_stdin "$j" assess --policy policies/ -
done

[ "$n" -gt 100 ] || bad "only $n runs: are tests/malformed and tests/badfacts there?"
finish "no-crash: $n runs ok"
