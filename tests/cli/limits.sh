#!/bin/sh
# Input limits and unreadable files: a facts document over 1 MiB and a policy
# over 4 MiB are refused with "larger than" (exit 3); a file that does not
# exist gives exit 3 and a message naming its path.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/limits.sh
. "$(dirname "$0")/lib.sh.inc"

said() { cat "$T/out" "$T/err" | grep -q -F -- "$1" || bad "$2: no message containing '$1'"; }

# repeat N FILE: append N lines of 1000 'x' to FILE (without a 1 MB shell string)
repeat() {
	awk -v n="$1" 'BEGIN { s = "x"; while (length(s) < 1000) s = s s; s = substr(s, 1, 1000)
		for (i = 0; i < n; i++) print s }' >>"$2"
}

# -- facts over 1 MiB (1,048,576 bytes): a valid document, only too long
printf '{"conduct_date": "2024-03-15", "comment": "' >"$T/big.json"
repeat 1100 "$T/big.json"
printf '"}\n' >>"$T/big.json"
tr -d '\n' <"$T/big.json" >"$T/big1.json" && printf '\n' >>"$T/big1.json"
size=$(wc -c <"$T/big1.json")
[ "$size" -gt 1048576 ] || bad "test setup: big facts file is only $size bytes"
run 3 assess --policy policies/ "$T/big1.json"
said "larger than 1048576 bytes" "assess BIG.json"
said "$T/big1.json" "assess BIG.json (path)"
run 3 assess --policy policies/ - <"$T/big1.json"
said "larger than 1048576 bytes" "assess - <BIG.json"
# just under the limit is read (and is a valid document)
head -c 1000000 "$T/big1.json" >"$T/under.json"
printf '"}' >>"$T/under.json"
run 0 assess --policy policies/ "$T/under.json"

# -- policy over 4 MiB (4,194,304 bytes): a valid policy padded with comments
cp policies/zhejiang-2023.rcp "$T/big.rcp"
awk 'BEGIN { s = "#"; while (length(s) < 1000) s = s s; s = substr(s, 1, 1000)
	for (i = 0; i < 4300; i++) print s }' >>"$T/big.rcp"
size=$(wc -c <"$T/big.rcp")
[ "$size" -gt 4194304 ] || bad "test setup: big policy is only $size bytes"
run 3 assess --policy "$T/big.rcp" "$F"
said "larger than 4194304 bytes" "assess --policy BIG.rcp"
said "$T/big.rcp" "assess --policy BIG.rcp (path)"
run 3 policy test "$T/big.rcp"
said "larger than 4194304 bytes" "policy test BIG.rcp"
run 3 policy diff "$T/big.rcp" policies/zhejiang-2023.rcp
said "larger than 4194304 bytes" "policy diff BIG.rcp NEW"
run 3 policy facts "$T/big.rcp"
said "larger than 4194304 bytes" "policy facts BIG.rcp"
"$BIN" policy check "$T/big.rcp" >"$T/out" 2>"$T/err"
rc=$?
{ [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ]; } || bad "policy check BIG.rcp exited $rc, wanted a refusal"
said "larger than 4194304 bytes" "policy check BIG.rcp"

# -- files that do not exist: exit 3, the path in the message
NF="$T/no-such-dir/张三.json"
NP="$T/no-such-dir/李四.rcp"
run 3 assess --policy policies/ "$NF"
said "$NF" "assess MISSING.json"
run 3 assess --policy "$NP" "$F"
said "$NP" "assess --policy MISSING.rcp"
run 3 assess --policy "$T/no-such-dir" "$F"
said "$T/no-such-dir" "assess --policy MISSING-DIR"
run 3 policy check "$NP"
said "$NP" "policy check MISSING.rcp"
run 3 policy test "$NP"
said "$NP" "policy test MISSING.rcp"
run 3 policy diff "$NP" policies/zhejiang-2023.rcp
said "$NP" "policy diff MISSING.rcp NEW"
run 3 policy diff policies/zhejiang-2023.rcp "$NP"
said "$NP" "policy diff NEW MISSING.rcp"
run 3 policy facts "$NP"
said "$NP" "policy facts MISSING.rcp"
# a directory without policies
mkdir "$T/empty"
"$BIN" assess --policy "$T/empty" "$F" >"$T/out" 2>"$T/err"
rc=$?
{ [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ]; } || bad "assess --policy EMPTY-DIR exited $rc"
said "no .rcp policy files" "assess --policy EMPTY-DIR"
# a directory given as the facts file
run 3 assess --policy policies/ "$T/empty"
said "$T/empty" "assess DIR-as-facts"

finish "limits: ok"
