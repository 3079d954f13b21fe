#!/bin/sh
# The short version of scripts/crash-test.sh (3 cycles of 3 writers killed
# with SIGKILL; on PostgreSQL the server is also stopped with an immediate
# shutdown each cycle): no acknowledged write lost, db check ok, audit chain
# whole.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/crash.sh
. "$(dirname "$0")/lib.sh.inc"
BIN="$BIN" sh scripts/crash-test.sh 3 3 >"$T/out" 2>&1 || bad "crash test: $(tail -n 5 "$T/out")"
grep -q "^crash: 3 passed, 0 failed$" "$T/out" || bad "crash test: $(tail -n 3 "$T/out")"
finish "crash: ok"
