#!/bin/sh
# `assess` attributes each problem to the file that has it, in the same
# FILE:LINE:COL: error: form as `policy check`: a policy's errors are
# prefixed with the policy's path, not with the facts document's, and a
# message without a position carries no ":0:0:".
# Run from the repository root: BIN=build/rongcuo sh tests/cli/assess-diagnostics.sh
. "$(dirname "$0")/lib.sh.inc"

# line FIXED-STRING WHAT: stderr has a line that starts with FIXED-STRING
line() {
	awk -v p="$1" 'index($0, p) == 1 { found = 1 } END { exit !found }' "$T/err" ||
		bad "$2: no line starting with '$1'; got: $(head -n 1 "$T/err")"
}

# a policy with an error, loaded by assess
P=tests/malformed/42-undefined-fact.rcp
run 3 assess --policy "$P" "$F"
line "$P:3:27: error: '谋取私力' is not defined (did you mean '谋取私利'?)" "assess --policy MALFORMED.rcp"
grep -q "^$F: " "$T/err" && bad "assess --policy MALFORMED.rcp: the policy's error is attributed to the facts file $F"
grep -q ":0:0:" "$T/err" && bad "assess --policy MALFORMED.rcp: a ':0:0:' position"

# a policy over 4 MiB
cp policies/zhejiang-2023.rcp "$T/big.rcp"
awk 'BEGIN { s = "#"; while (length(s) < 1000) s = s s; s = substr(s, 1, 1000)
	for (i = 0; i < 4300; i++) print s }' >>"$T/big.rcp"
run 3 assess --policy "$T/big.rcp" "$F"
line "$T/big.rcp: error: file is larger than 4194304 bytes" "assess --policy BIG.rcp"
grep -q ":0:0:" "$T/err" && bad "assess --policy BIG.rcp: a ':0:0:' position: $(head -n 1 "$T/err")"

# a policy path that does not exist
NP="$T/李四.rcp"
run 3 assess --policy "$NP" "$F"
line "$NP: error: " "assess --policy MISSING.rcp"
grep -q "^$F: " "$T/err" && bad "assess --policy MISSING.rcp: the missing policy is attributed to the facts file $F"

finish "assess-diagnostics: ok"
