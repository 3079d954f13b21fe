#!/bin/sh
# `policy diff` reports every change of the policy block that matters for
# version selection and provenance: the shipped 2022.01-test version ends
# 'until 2023-05-31' and is TYPICAL; 2023.06 is open-ended and SEED.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/diff-metadata.sh
. "$(dirname "$0")/lib.sh.inc"

"$BIN" policy diff policies/zhejiang-2022-test.rcp policies/zhejiang-2023.rcp >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || bad "policy diff OLD NEW exited $rc, wanted 1"
grep -q "^~ policy zhejiang-rongcuo: until: 2023-05-31 -> " "$T/out" ||
	bad "policy diff does not report the change of 'until' (2023-05-31 -> open-ended)"
grep -q "^~ policy zhejiang-rongcuo: status: TYPICAL -> SEED" "$T/out" ||
	bad "policy diff does not report the change of the policy block's status (TYPICAL -> SEED)"

# Only 'until' differs: still a difference.
awk '{ print } /^  effective  *2023-06-01/ { print "  until 2030-12-31" }' policies/zhejiang-2023.rcp >"$T/until.rcp"
grep -q "^  until 2030-12-31" "$T/until.rcp" || bad "test setup: could not add 'until'"
"$BIN" policy diff policies/zhejiang-2023.rcp "$T/until.rcp" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || bad "policy diff of versions differing only in 'until' exited $rc, wanted 1"

finish "diff-metadata: ok"
