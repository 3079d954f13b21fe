#!/bin/sh
# Evidence files: stored content-addressed by SM3 (read-only), the same
# content once, cited by facts as sm3:HEX (an unknown hash refused), every
# stored file re-hashed by `evidence check` (altered or missing named), and
# the 64 MiB cap.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/evidence.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
want() {
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 2 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
}
rc_ db init; rc_ org add XX 某县 county; rc_ person add 张三 --org XX
rc_ user add li 李四 --org XX --role 承办单位; want 0 "" "set-up"
printf '谈话笔录:张三称……\n' >"$T/note.txt"
# SM3 of the file, computed independently when openssl is there
rc_ evidence add "$T/note.txt" --as li; want 0 "sm3:" "evidence add"
ref=$(cat "$T/out")
hex=${ref#sm3:}
if command -v openssl >/dev/null 2>&1; then
	want_hex=$(openssl dgst -sm3 "$T/note.txt" | sed 's/.*= //')
	[ "$hex" = "$want_hex" ] || bad "stored under $hex, openssl says $want_hex"
fi
f="$D/evidence/$(echo "$hex" | cut -c1-2)/$(echo "$hex" | cut -c3-)"
[ -f "$f" ] || bad "no file at $f"
[ "$(stat -c %a "$f")" = 400 ] || bad "stored evidence is not read-only: $(stat -c %a "$f")"
cmp -s "$f" "$T/note.txt" || bad "stored content differs"
rc_ evidence add "$T/note.txt" --as li; want 3 "already stored as $ref" "the same content twice"
rc_ evidence add "$T/none.txt" --as li; want 3 "cannot read" "a missing file"
rc_ evidence add "$T/note.txt"; want 2 "" "no --as"
truncate -s $((64 * 1024 * 1024 + 1)) "$T/big.bin"
rc_ evidence add "$T/big.bin" --as li; want 3 "larger than 67108864 bytes" "the size cap"
rc_ evidence check; want 0 "1 evidence files verified" "check"

# facts cite it
rc_ case open --as li --person 1 --path application --handling XX --today 2024-03-20
rc_ case step XX-2024-0001 受理 --as li --today 2024-03-21; want 0 "" "case"
rc_ case fact XX-2024-0001 谋取私利 false --as li --evidence "$ref"; want 0 "" "fact citing evidence"
rc_ case fact XX-2024-0001 谋取私利 false --as li --evidence sm3:0000000000000000000000000000000000000000000000000000000000000000
want 3 "no evidence sm3:0000" "an unknown hash"
rc_ case fact XX-2024-0001 明知故犯 false --as li --evidence 卷宗第3页; want 0 "" "a free-text reference"

# altered, then missing
chmod u+w "$f" && printf 'x' >>"$f"
rc_ evidence check; want 1 "was altered" "an altered file"
rm -f "$f"
rc_ evidence check; want 1 "is missing or unreadable" "a missing file"
rc_ audit verify; want 0 "" "audit verify"
# every audit row of the procedure names the acting user's role and
# organisation (the evidence row once left the organisation out)
"$BIN" audit list --data "$D" >"$T/list" || bad "audit list failed"
got=$(awk -F '\t' '$6 ~ /^(evidence|case)\./ { printf "%s%s %s %s", n++ ? "," : "", $6, $4, $5 }' "$T/list")
want_rows="evidence.add 承办单位 XX,case.open 承办单位 XX,case.step.受理 承办单位 XX,case.fact 承办单位 XX,case.fact 承办单位 XX"
[ "$got" = "$want_rows" ] || bad "audit rows: $got, wanted $want_rows"
finish "evidence: ok"
