#!/bin/sh
# `policy check`, `policy test`, `policy diff` and `policy facts` on the
# shipped policies.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/policy-commands.sh
. "$(dirname "$0")/lib.sh.inc"
OLD=policies/zhejiang-2022-test.rcp
NEW=policies/zhejiang-2023.rcp

# -- check: no errors, lists every TYPICAL/UNKNOWN item per file
run 0 policy check policies/*.rcp
grep -q ": error:" "$T/out" && bad "policy check of the shipped policies reports errors"
for p in policies/*.rcp; do
	has "$p: policy zhejiang-rongcuo version" "policy check"
done
has "items not from the jurisdiction's own text (TYPICAL / UNKNOWN):" "policy check"
n=$(grep -c "items not from the jurisdiction's own text" "$T/out")
[ "$n" -eq 2 ] || bad "policy check of two files printed $n provisional-item lists, wanted 2"
grep -q "^TYPICAL  *exclusion  *不容屡错屡犯" "$T/out" || bad "policy check does not list the TYPICAL exclusion 不容屡错屡犯"
grep -q "^TYPICAL  *step  *受理" "$T/out" || bad "policy check does not list the TYPICAL step 受理"
grep -q "^TYPICAL  *policy  *zhejiang-rongcuo" "$T/out" || bad "policy check does not list the synthetic TYPICAL version"
grep -q "^SEED " "$T/out" && bad "policy check lists a SEED item as provisional"
grep -q "^CONFIRMED " "$T/out" && bad "policy check lists a CONFIRMED item as provisional"

# -- test: every in-policy test passes
run 0 policy test policies/*.rcp
grep -q "^all files: [0-9]* passed, 0 failed$" "$T/out" || bad "policy test: no 'all files: N passed, 0 failed' line"
for p in policies/*.rcp; do
	grep -q "^$p: [1-9][0-9]* passed, 0 failed$" "$T/out" || bad "policy test: no pass line for $p"
done
run 0 policy test "$NEW"
grep -q "^all files" "$T/out" && bad "policy test of one file printed an 'all files' total"

# -- diff: the two shipped versions differ in the exclusion 不容屡错屡犯 and the 受理 deadline
run 1 policy diff "$OLD" "$NEW"
has "~ exclusion 不容屡错屡犯: enabled: true -> false" "policy diff OLD NEW"
has "~ step 受理: deadline: 10 workdays -> 5 workdays" "policy diff OLD NEW"
has "~ policy zhejiang-rongcuo: version: 2022.01-test -> 2023.06" "policy diff OLD NEW"
has "~ policy zhejiang-rongcuo: effective: 2022-01-01 -> 2023-06-01" "policy diff OLD NEW"
grep -q "^[0-9][0-9]* differences$" "$T/out" || bad "policy diff: no 'N differences' summary"
# reversed, the changes run the other way
run 1 policy diff "$NEW" "$OLD"
has "~ exclusion 不容屡错屡犯: enabled: false -> true" "policy diff NEW OLD"
has "~ step 受理: deadline: 5 workdays -> 10 workdays" "policy diff NEW OLD"
# a file against itself: no differences
run 0 policy diff "$NEW" "$NEW"
has "no differences" "policy diff NEW NEW"
grep -q "^[~+-] " "$T/out" && bad "policy diff of a file with itself lists a change"
run 0 policy diff "$OLD" "$OLD"
# a copy of a file under another name is the same policy
cp "$NEW" "$T/copy.rcp"
run 0 policy diff "$NEW" "$T/copy.rcp"

# -- facts: the names a facts document uses
run 0 policy facts "$NEW"
grep -q "^fact  *谋取私利  *bool" "$T/out" || bad "policy facts does not list the bool fact 谋取私利"
grep -q "^fact  *损失金额  *int" "$T/out" || bad "policy facts does not list the int fact 损失金额"
grep -q "^finding  *补救情况  *one of \"有利\"" "$T/out" || bad "policy facts does not list the standard 补救情况 with its grades"

finish "policy-commands: ok"
