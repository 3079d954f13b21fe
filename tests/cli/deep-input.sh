#!/bin/sh
# Large generated policies are refused or reported, never crash, and the
# checker stops at its diagnostic cap:
#  - a chain of 100 situations, each referring to the next with 1,000 `and`
#    terms, is refused by `policy check` with "refer to each other too
#    deeply" (exit 1), not a stack overflow;
#  - `policy diff` of two conditions of 1,024 `and` terms each, under a
#    4 MiB stack, reports the one changed term (exit 1);
#  - 400 rules of one priority (40,000 pairs of them conflict) stop the search when
#    the 200 stored diagnostics are full, and say so (the last place in the list
#    is kept for the warning that the search stopped).
# Run from the repository root: BIN=build/rongcuo sh tests/cli/deep-input.sh
. "$(dirname "$0")/lib.sh.inc"

HEADER='policy t { title "t" version "1" effective 2023-01-01 status SEED source "s" }'

# no_crash WHAT: the last run ($rc, $T/err) did not crash or trip a sanitizer
no_crash() {
	[ "$rc" -lt 128 ] || bad "$1 crashed (exit $rc)"
	grep -q -E "Sanitizer|runtime error:" "$T/err" && bad "$1: sanitizer report"
}

# -- 1. situations s0 .. s99: s_i when s_(i+1) and x and ... (1,000 terms)
awk -v hdr="$HEADER" 'BEGIN {
	print hdr
	print "fact x : bool { label \"x\" status SEED source \"s\" }"
	print "category C { title \"c\" status SEED source \"s\" }"
	print "outcome O { title \"o\" leniency 1 status SEED source \"s\" }"
	print "rule R { title \"r\" when true recommend O status SEED source \"s\" }"
	for (i = 0; i < 100; i++) {
		printf "situation s%d in C { title \"s\" when %s", i, i < 99 ? "s" (i + 1) : "x"
		for (j = 1; j < 1000; j++)
			printf " and x"
		print " status SEED source \"s\" }"
	}
}' >"$T/chain.rcp"
n=$(grep -c "^situation " "$T/chain.rcp")
[ "$n" -eq 100 ] || bad "test setup: the chain has $n situations, wanted 100"
"$BIN" policy check "$T/chain.rcp" >"$T/out" 2>"$T/err"
rc=$?
no_crash "policy check CHAIN"
[ "$rc" -eq 1 ] || bad "policy check of a chain of 100 situations exited $rc, wanted 1"
grep -q -F ": error: conditions refer to each other too deeply" "$T/out" ||
	bad "policy check CHAIN: no 'conditions refer to each other too deeply' error: $(head -c 300 "$T/out")"

# -- 2. one condition of 1,024 `and` terms; term NEG (if any) is `not x`
cond() {
	awk -v neg="$1" 'BEGIN {
		for (i = 0; i < 1024; i++)
			printf "%s%s", i ? " and " : "", i == neg ? "not x" : "x"
	}'
}
long_policy() {
	printf '%s\n' "$HEADER" \
		'fact x : bool { label "x" status SEED source "s" }' \
		'category C { title "c" status SEED source "s" }' \
		'outcome O { title "o" leniency 1 status SEED source "s" }' \
		'rule R { title "r" when true recommend O status SEED source "s" }'
	printf 'situation S in C { title "s" when %s status SEED source "s" }\n' "$(cond "$1")"
}
long_policy -1 >"$T/long-a.rcp"
long_policy 700 >"$T/long-b.rcp"
n=$(grep -o " and " "$T/long-b.rcp" | wc -l)
[ "$n" -eq 1023 ] || bad "test setup: the long condition has $n 'and', wanted 1023"
# shellcheck disable=SC3045
(
	ulimit -s 4096 || exit 99
	exec "$BIN" policy diff "$T/long-a.rcp" "$T/long-b.rcp"
) >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -ne 99 ] || bad "test setup: could not set a 4 MiB stack (ulimit -s 4096)"
no_crash "policy diff LONG-A LONG-B (4 MiB stack)"
[ "$rc" -eq 1 ] || bad "policy diff of two 1,024-term conditions exited $rc, wanted 1"
printf '~ situation S: when: %s -> %s\n' "$(cond -1)" "$(cond 700)" >"$T/want"
grep -q -x -F -f "$T/want" "$T/out" ||
	bad "policy diff LONG-A LONG-B does not report the changed condition of S: $(head -c 200 "$T/out")"
grep -q -x "1 difference" "$T/out" || bad "policy diff LONG-A LONG-B: no '1 difference' summary"

# -- 3. rules R0 .. R399 of one priority: R_i when not f_i recommend O(i%2)
many_rules() {
	awk -v hdr="$HEADER" -v prov="$1" 'BEGIN {
		print hdr
		printf "outcome O0 { title \"o0\" leniency 0%s }\n", prov
		printf "outcome O1 { title \"o1\" leniency 1%s }\n", prov
		for (i = 0; i < 400; i++) {
			printf "fact f%d : bool { label \"f%d\"%s }\n", i, i, prov
			printf "rule R%d { priority 0 when not f%d recommend O%d%s }\n", i, i,
				i % 2, prov
		}
	}'
}
many_rules "" >"$T/many.rcp"
"$BIN" policy check "$T/many.rcp" >"$T/out" 2>"$T/err"
rc=$?
no_crash "policy check MANY-RULES"
[ "$rc" -eq 1 ] || bad "policy check of 400 rules of one priority exited $rc, wanted 1"
n=$(grep -c ": error: rules 'R[0-9]*' (line [0-9]*) and 'R[0-9]*' have the same priority 0" "$T/out")
[ "$n" -eq 199 ] || bad "policy check MANY-RULES printed $n conflicts, wanted 199 (the list holds 200, one kept for the stop warning)"
has "search for conflicting and unreachable rules stopped after 199 diagnostics" "policy check MANY-RULES"
# the search stopped at the cap: 199 errors counted, not every conflicting pair
grep -q -F "$T/many.rcp: policy t version 1: 199 errors, " "$T/out" ||
	bad "policy check MANY-RULES did not stop at the cap: $(grep "errors, " "$T/out")"
# The same rules with provenance on every item: no warning fills the list
# after the conflicts, and the output must still say that it is incomplete.
many_rules ' status SEED source "s"' >"$T/many-prov.rcp"
"$BIN" policy check "$T/many-prov.rcp" >"$T/out" 2>"$T/err"
rc=$?
no_crash "policy check MANY-RULES-WITH-PROVENANCE"
[ "$rc" -eq 1 ] || bad "policy check of 400 rules (with provenance) exited $rc, wanted 1"
grep -q -F "search for conflicting and unreachable rules stopped after 199 diagnostics" "$T/out" ||
	bad "policy check of 400 rules (with provenance) stops at the diagnostic cap without saying the list is incomplete"

finish "deep-input: ok"
