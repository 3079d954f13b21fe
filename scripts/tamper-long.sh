#!/bin/sh
# The long tamper test of the audit chain: the audit unit tests with
# TRIALS (default 1000) random tamperings -- an edited field, a deleted,
# inserted or reordered row -- each on a fresh copy of a verified database;
# every one must be refused with the first bad row named.  The suite runs
# 40 (tests/audit/test_audit.c).
#   scripts/tamper-long.sh [TRIALS] [SEED]
# Uses $BUILD (default build/).  Ends with "tamper: N of M detected".
set -u
trials=${1:-1000}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build}
jobs=$(nproc 2>/dev/null || echo 2)
make -s -j"$jobs" BUILD="$BUILD" test-bins || exit 1
log=$(mktemp "${TMPDIR:-/tmp}/rc-tamper.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
if [ $# -ge 2 ]; then
	RC_TAMPER_SEED=$2
	export RC_TAMPER_SEED
fi
RC_TEST_FILTER=tamper_trials RC_TAMPER_TRIALS=$trials "$BUILD/tests/audit/test_audit" >"$log" 2>&1
rc=$?
grep -E "^tamper trials:|^trial [0-9]+ " "$log"
[ "$rc" -eq 0 ] || tail -n 20 "$log"
line=$(sed -n 's/^tamper trials: \([0-9]*\) of \([0-9]*\) detected.*/\1 \2/p' "$log")
# shellcheck disable=SC2086
set -- $line
echo "tamper: ${1:-0} of ${2:-$trials} detected"
[ "$rc" -eq 0 ] && [ "${1:-0}" = "$trials" ]
