#!/bin/sh
# `rongcuo assess`: the prose explanation, the --json document, facts from
# stdin, --why-not and the command-line dates.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/assess.sh
. "$(dirname "$0")/lib.sh.inc"

# A JSON checker: python3, else node.
if command -v python3 >/dev/null 2>&1; then
	json_ok() { python3 -m json.tool "$1" >/dev/null; }
	# json_keys FILE KEY...: the top-level object has every KEY
	json_keys() {
		f=$1
		shift
		python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
missing = [k for k in sys.argv[2:] if not isinstance(d, dict) or k not in d]
if missing:
    print("missing keys: " + ", ".join(missing))
    sys.exit(1)' "$f" "$@"
	}
	# json_get FILE EXPR: print a value; EXPR indexes d (the same in Python and JS)
	json_get() { python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(eval(sys.argv[2]))' "$1" "$2"; }
elif command -v node >/dev/null 2>&1; then
	json_ok() { node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$1"; }
	json_keys() {
		f=$1
		shift
		node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const m = process.argv.slice(2).filter(k => !(k in d));
if (m.length) { console.log("missing keys: " + m.join(", ")); process.exit(1); }' "$f" "$@"
	}
	json_get() { node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(eval(process.argv[2]))' "$1" "$2"; }
else
	echo "FAIL: neither python3 nor node is available to check the JSON output"
	exit 1
fi

# A copy of the sample case with every decisive finding given: determined outcome.
sed 's/"后果影响": "一般"/"后果影响": "一般", "问题性质": "有利"/' "$F" >"$T/determined.json"
grep -q '"问题性质": "有利"' "$T/determined.json" || bad "test setup: could not add 问题性质"

# -- prose
run 0 assess --policy policies/ "$F"
has "容错纠错认定建议" "assess (prose)"
has "建议结果:" "assess (prose)"
has "适用版本:2023.06" "assess (prose)"
has "问责条例 第十七条" "assess (prose): article citation"
has "实施办法 不予容错情形" "assess (prose): article citation"
has "待查明的关键事实" "assess (prose)"
has "问题性质" "assess (prose): the decisive unknown finding"
[ -s "$T/err" ] && bad "assess (prose) wrote to stderr: $(head -n 1 "$T/err")"
run 0 assess --policy policies/ "$T/determined.json"
has "建议结果:不予追究责任 或 免于追究责任" "assess (prose, determined)"
has "依据规则:" "assess (prose, determined)"
has "(问责条例 第十七条;SEED 原文)" "assess (prose, determined): the deciding rule's article"

# -- JSON
run 0 assess --policy policies/ --json "$F"
cp "$T/out" "$T/a.json"
json_ok "$T/a.json" || bad "assess --json: output is not valid JSON"
json_keys "$T/a.json" format policy version_selection tolerable excluded situations conditions \
	exclusions outcome decisive_unknowns || bad "assess --json: top-level keys missing"
[ "$(json_get "$T/a.json" 'd["format"]')" = "rongcuo-assessment/1" ] || bad "assess --json: format is not rongcuo-assessment/1"
[ "$(json_get "$T/a.json" 'd["version_selection"]["applied"]')" = "2023.06" ] || bad "assess --json: wrong version applied"
[ "$(json_get "$T/a.json" 'd["outcome"]["state"]')" = "undetermined" ] || bad "assess --json: sample case should be undetermined"
[ "$(json_get "$T/a.json" 'd["decisive_unknowns"][0]["fact"]')" = "问题性质" ] || bad "assess --json: 问题性质 is not the decisive unknown"
grep -q "建议结果" "$T/a.json" && bad "assess --json: prose mixed into the JSON"
run 0 assess --policy policies/ --json "$T/determined.json"
cp "$T/out" "$T/d.json"
json_ok "$T/d.json" || bad "assess --json (determined): output is not valid JSON"
[ "$(json_get "$T/d.json" 'd["outcome"]["state"]')" = "determined" ] || bad "assess --json (determined): state is not determined"
[ "$(json_get "$T/d.json" 'd["outcome"]["rule"]["article"]')" = "问责条例 第十七条" ] || bad "assess --json (determined): no article for the rule"
[ "$(json_get "$T/d.json" 'd["decisive_unknowns"]')" = "[]" ] || bad "assess --json (determined): decisive unknowns listed"

# -- facts from stdin
run 0 assess --policy policies/ - <"$F"
has "建议结果:" "assess - (stdin)"
"$BIN" assess --policy policies/ "$F" >"$T/file.txt" 2>/dev/null
cmp -s "$T/out" "$T/file.txt" || bad "assess - (stdin) and assess FILE give different output"
run 0 assess --policy policies/ --json - <"$F"
cmp -s "$T/out" "$T/a.json" || bad "assess --json - (stdin) and assess --json FILE give different output"
# a bad document on stdin is named <stdin>
printf '{"conduct_date": "2024-03-15", "facts": {"谋取私利": "否"}}' >"$T/bad.json"
run 3 assess --policy policies/ - <"$T/bad.json"
grep -q "^<stdin>: error: facts.谋取私利: expected bool" "$T/err" || bad "assess - (stdin): error not attributed to <stdin>: $(head -n 1 "$T/err")"
# empty stdin is invalid input, not a crash
run 3 assess --policy policies/zhejiang-2023.rcp - </dev/null
grep -q "invalid JSON" "$T/err" || bad "assess - with empty stdin: no 'invalid JSON' message"

# -- --why-not
run 0 assess --policy policies/ --why-not 探索性试验失误 "$F"
has "为何不符合:" "assess --why-not 探索性试验失误"
has "需要「探索性试验」为是,当前未知" "assess --why-not 探索性试验失误"
has "需要「上级明确限制」为否,当前未知" "assess --why-not 探索性试验失误"
run 0 assess --policy policies/ --why-not 探索性试验失误 --json "$F"
json_ok "$T/out" || bad "assess --why-not --json: not valid JSON"
run 2 assess --policy policies/ --why-not 不存在的情形 "$F"
grep -q -F "error: --why-not: '不存在的情形' is not a situation of policy 2023.06" "$T/err" || bad "assess --why-not 不存在的情形: wrong message: $(head -n 1 "$T/err")"
[ -s "$T/out" ] && bad "assess --why-not 不存在的情形: printed an assessment"
# a name that exists but is not a situation
run 2 assess --policy policies/ --why-not 谋取私利 "$F"
grep -q -F "'谋取私利' is not a situation" "$T/err" || bad "assess --why-not 谋取私利 (a fact): wrong message: $(head -n 1 "$T/err")"

# -- dates on the command line win over the document
run 0 assess --policy policies/ --json --conduct-date 2023-01-15 --decision-date 2023-03-01 "$T/determined.json"
cp "$T/out" "$T/old.json"
[ "$(json_get "$T/old.json" 'd["version_selection"]["conduct_date"]')" = "2023-01-15" ] || bad "--conduct-date does not override conduct_date"
[ "$(json_get "$T/old.json" 'd["version_selection"]["applied"]')" = "2022.01-test" ] || bad "--conduct-date 2023-01-15 does not select 2022.01-test"
run 4 assess --policy policies/ --conduct-date 2021-12-31 "$F"
grep -q "no loaded version is in force on the conduct date 2021-12-31" "$T/err" || bad "conduct date before every version: wrong message: $(head -n 1 "$T/err")"
run 3 assess --policy policies/ --conduct-date 2024-05-01 --decision-date 2024-04-30 "$F"
grep -q "decision date is before the conduct date" "$T/err" || bad "decision before conduct: wrong message"
# a document whose own dates are out of order (decision 2023-07-01 before
# conduct 2023-08-01): refused as it stands, accepted once the command line
# replaces either date -- the order is checked on the dates used
sed 's/"conduct_date": "[0-9-]*"/"conduct_date": "2023-08-01"/; s/"decision_date": "[0-9-]*"/"decision_date": "2023-07-01"/' \
	"$F" >"$T/order.json"
{ grep -q '"decision_date": "2023-07-01"' "$T/order.json" && grep -q '"conduct_date": "2023-08-01"' "$T/order.json"; } ||
	bad "test setup: could not set the document's dates"
run 3 assess --policy policies/ "$T/order.json"
grep -q -F "error: the decision date is before the conduct date" "$T/err" ||
	bad "document decision before conduct: wrong message: $(head -n 1 "$T/err")"
[ -s "$T/out" ] && bad "document decision before conduct: printed an assessment"
run 0 assess --policy policies/ --decision-date 2024-01-10 "$T/order.json"
has "失误错误发生日期:2023-08-01  认定日期:2024-01-10" "--decision-date over a document decision date before its conduct date"
run 0 assess --policy policies/ --conduct-date 2023-06-15 "$T/order.json"
has "失误错误发生日期:2023-06-15  认定日期:2023-07-01" "--conduct-date over a document conduct date after its decision date"

finish "assess: ok"
