#!/bin/sh
# The JSON API end to end on loopback, with curl: `rongcuo token create`
# prints a token once, alone on stdout; `token list` shows it without the
# token; the server answers 401 with a Bearer challenge without a token,
# lists cases and opens one with it (201, Location, the case as JSON), names
# the field of a bad request (400) and refuses another media type (415);
# `token revoke` stops the token at the next request; the server's log and
# the audit trail never hold the token.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/api.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
LOG="$T/serve.log"
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# req [CURL-ARGS...] URL: status in $code, headers (CR stripped) in $T/h,
# body in $T/b
req() {
	curl -s -S --noproxy '*' --max-time 20 -D "$T/h.raw" -o "$T/b" -w '%{http_code}' "$@" \
		>"$T/code" 2>"$T/curl.err" || bad "curl $*: $(cat "$T/curl.err")"
	tr -d '\r' <"$T/h.raw" >"$T/h"
	code=$(cat "$T/code")
}
header() { sed -n "s/^$1: //Ip" "$T/h" | head -n 1; }
want() { [ "$code" = "$1" ] || bad "$2: status $code, wanted $1: $(head -c 300 "$T/b")"; }
body_has() { grep -q -F -- "$1" "$T/b" || bad "$2: the answer lacks '$1': $(head -c 300 "$T/b")"; }
json() { [ "$(header Content-Type)" = "application/json" ] || bad "$1: Content-Type '$(header Content-Type)'"; }

# -- the data: an organisation, an official, a user of the procedure
run 0 db init --data "$D"
run 0 org add A 东湖县 county --data "$D"
run 0 person add 王五 --org A --data "$D"
run 0 user add li 李四 --org A --role 承办单位 --data "$D"

# -- tokens: made, shown once on stdout alone, listed without the token
run 0 token create --user li --label 报表脚本 --expires-days 30 --data "$D"
TOKEN=$(cat "$T/out")
printf '%s\n' "$TOKEN" | grep -q -x 'rc_[0-9a-f]\{32\}' || bad "token create: stdout is not one token: $(cat "$T/out")"
grep -q "shown only now" "$T/err" || bad "token create: not told the token is shown once: $(cat "$T/err")"
run 0 token list --data "$D"
has "li" "token list: the user"
has "报表脚本" "token list: the label"
has "active" "token list: the state"
grep -q -F -- "${TOKEN#rc_}" "$T/out" && bad "token list shows the token"
run 3 token create --user nobody --label x --data "$D"
grep -q "no user 'nobody'" "$T/err" || bad "token create for nobody: $(cat "$T/err")"
run 2 token create --user li --label x --expires-days 0 --data "$D"
run 2 token create --user li --data "$D"
run 2 token revoke abc --data "$D"
run 0 token --help
has "usage: rongcuo token create" "token --help"

# -- the server, on a free port
serve_start "$LOG" "$T/serve.out" --data "$D"
[ -n "$port" ] || {
	bad "serve did not start: $(head -n 5 "$LOG")"
	finish "api: failed to start"
}
U="http://127.0.0.1:$port/api/v1"
AUTH="Authorization: Bearer $TOKEN"

# -- no token: 401 with the challenge, as JSON
req "$U/cases"
want 401 "no token"
json "no token"
[ "$(header WWW-Authenticate)" = 'Bearer realm="rongcuo"' ] || bad "no token: WWW-Authenticate '$(header WWW-Authenticate)'"
body_has '"code":"unauthorized"' "no token"
req -H "Authorization: Bearer rc_00000000000000000000000000000000" "$U/cases"
want 401 "an unknown token"

# -- the list, a case opened, the case read
req -H "$AUTH" "$U/cases"
want 200 "the list"
json "the list"
body_has '"cases":[]' "the empty list"
req -H "$AUTH" -H "Content-Type: application/json" -H "Idempotency-Key: open-1" \
	--data '{"start_path": "application", "person_id": 1, "handling": "A", "source": "审计"}' "$U/cases"
want 201 "open a case"
[ "$(header Location)" = "/api/v1/cases/A-$(date +%Y)-0001" ] || bad "open: Location '$(header Location)'"
body_has '"state":"启动"' "open: the new case"
body_has '"name":"王五"' "open: its official"
req -H "$AUTH" -H "Content-Type: application/json" -H "Idempotency-Key: open-1" \
	--data '{"start_path": "application", "person_id": 1, "handling": "A"}' "$U/cases"
want 409 "open again under the same key"
body_has "already made" "open again under the same key"
req -H "$AUTH" "$U/cases/A-$(date +%Y)-0001"
want 200 "read the case"
body_has '"steps":[{"step":"启动"' "read the case: its steps"
req -H "$AUTH" "$U/cases/NO-SUCH-CASE"
want 404 "a case nobody opened"
body_has '"code":"not_found"' "a case nobody opened"

# -- bad requests: the field named; another media type refused
req -H "$AUTH" -H "Content-Type: application/json" \
	--data '{"start_path": "application", "person_id": "1", "handling": "A", "colour": "red"}' "$U/cases"
want 400 "a bad body"
json "a bad body"
body_has '"code":"validation"' "a bad body"
body_has '{"field":"person_id","message":"must be an integer"}' "a bad body: the wrong type"
body_has '"field":"colour"' "a bad body: the unknown member"
req -H "$AUTH" --data 'start_path=application' "$U/cases"
want 415 "a form body"
body_has '"field":"Content-Type"' "a form body"
req -H "$AUTH" "$U/cases?from=2024-02-30"
want 400 "a bad filter"
body_has '"field":"from"' "a bad filter"

# -- revoked: refused at the next request
run 0 token revoke 1 --data "$D"
has "token 1 revoked" "token revoke"
req -H "$AUTH" "$U/cases"
want 401 "a revoked token"
case $(header WWW-Authenticate) in *invalid_token*) ;; *) bad "revoked: no invalid_token in the challenge" ;; esac
run 0 token list --data "$D"
has "revoked" "token list after the revocation"
run 3 token revoke 1 --data "$D"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=""
[ "$rc" -eq 0 ] || bad "serve exited $rc after SIGTERM"

# -- the token is in no log line and no audit row; the log is JSON lines
grep -q -F -- "${TOKEN#rc_}" "$LOG" && bad "the token is in the server's log"
grep -v -x '{"time":"[^"]*Z","event":"[a-z_]*".*}' "$LOG" | grep -q . &&
	bad "log lines that are not JSON objects: $(grep -v '^{"time"' "$LOG" | head -n 3)"
grep -q '"path":"/api/v1/cases","route":"/api/v1/cases","status":201' "$LOG" || bad "the log lacks the open's line"
run 0 audit list --data "$D"
grep -q "token.create" "$T/out" || bad "audit: no token.create row"
grep -q "token.revoke" "$T/out" || bad "audit: no token.revoke row"
grep -q -F -- "${TOKEN#rc_}" "$T/out" && bad "the token is in the audit trail"
run 0 audit verify --data "$D"
finish "api: ok"
