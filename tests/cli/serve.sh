#!/bin/sh
# `rongcuo serve` end to end on loopback, with curl: a server on a free port
# (--listen 127.0.0.1:0) read from its first log line; /healthz answers 200
# and JSON; every response carries the security headers and an X-Request-Id
# that is the request id of its log line; an unknown path is 404, a known
# one with another method 405 with Allow, a 2 MiB body 413; a query string
# never reaches the log; /metrics counts exactly the requests made, by
# route pattern (never the raw path); SIGTERM stops it within 5 s, exit 0,
# with its stop line.  Usage errors and a missing data directory fail early.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/serve.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
LOG="$T/serve.log"
pid=""
# The server is killed however the script ends (a failed check, ^C), then
# the scratch directory goes.
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# req [CURL-ARGS...] URL: one request; status in $code, body bytes
# received in $size, headers (CR stripped) in $T/h, body in $T/b
req() {
	curl -s -S --noproxy '*' --max-time 10 -D "$T/h.raw" -o "$T/b" \
		-w '%{http_code} %{size_download}' "$@" >"$T/code" 2>"$T/curl.err" ||
		bad "curl $*: $(cat "$T/curl.err")"
	tr -d '\r' <"$T/h.raw" >"$T/h"
	read -r code size <"$T/code"
}
# header NAME: the value of a response header of the last request
header() { sed -n "s/^$1: //Ip" "$T/h" | head -n 1; }
# secure WHAT: the last response carries every security header
secure() {
	for h in "X-Content-Type-Options: nosniff" "Referrer-Policy: no-referrer" \
		"X-Frame-Options: DENY" "Content-Security-Policy: default-src 'self'" \
		"Cache-Control: no-store"; do
		grep -q -i -x -F -- "$h" "$T/h" || bad "$1: no '$h' header"
	done
}

# -- usage errors and a data directory that cannot be used fail at once
run 0 serve --help
has "usage: rongcuo serve" "serve --help"
run 2 serve --listen nonsense --data "$D"
grep -q "expected HOST:PORT" "$T/err" || bad "a bad --listen is not explained: $(cat "$T/err")"
run 2 serve --listen 127.0.0.1:70000 --data "$D"
run 2 serve extra-argument --data "$D"
run 3 serve --listen 127.0.0.1:0 --data "$T/none"
grep -q "db init" "$T/err" || bad "serve without a database does not say to run db init"

run 0 db init --data "$D"

# -- start on a free port; the first log line says which.  One thread: a
# request is logged and counted after its answer is sent, and the checks
# below read the log and /metrics right after each answer -- with one
# thread the next request is taken only once that is done; with several,
# another thread may answer it first (tests/cli/serve-threads.sh covers
# several threads, polling /metrics instead).
serve_start "$LOG" "$T/serve.out" --data "$D" --threads 1
if [ -z "$port" ]; then
	bad "no start line with the port bound within 30 s: $(head -n 5 "$LOG")"
	finish "serve: failed to start"
fi
U="http://127.0.0.1:$port"
n_get=0 # GET /healthz answered 200, for the exact count in /metrics
n_all=0 # every request whose route is /healthz, for its histogram

# -- /healthz: 200, JSON, security headers, a request id that is logged
req "$U/healthz"
n_get=$((n_get + 1)) n_all=$((n_all + 1))
[ "$code" = 200 ] || bad "/healthz: status $code, wanted 200"
[ "$(cat "$T/b")" = '{"status":"ok"}' ] || bad "/healthz: body '$(cat "$T/b")'"
case $(header Content-Type) in application/json*) ;; *) bad "/healthz: Content-Type '$(header Content-Type)'" ;; esac
secure "/healthz"
id=$(header X-Request-Id)
printf '%s\n' "$id" | grep -q -x '[0-9a-f]\{16\}' || bad "/healthz: X-Request-Id '$id' is not 16 hex digits"
line=$(grep -F "\"request_id\":\"$id\"" "$LOG")
[ -n "$line" ] || bad "/healthz: no log line with request id $id"
for f in '"event":"request"' '"method":"GET"' '"path":"/healthz"' '"status":200' '"bytes":16' \
	'"duration_us":'; do
	case $line in *"$f"*) ;; *) bad "/healthz: its log line lacks $f: $line" ;; esac
done
case $line in '{"time":"'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z\"*) ;;
*) bad "/healthz: its log line does not begin with a UTC time: $line" ;; esac

req "$U/healthz"
n_get=$((n_get + 1)) n_all=$((n_all + 1))
[ "$code" = 200 ] || bad "/healthz (again): status $code"
[ "$(header X-Request-Id)" != "$id" ] || bad "two requests with one request id $id"

# -- HEAD is GET without the body
req -I "$U/healthz"
n_all=$((n_all + 1))
[ "$code" = 200 ] || bad "HEAD /healthz: status $code, wanted 200"
[ "$size" = 0 ] || bad "HEAD /healthz: a body of $size bytes was sent"
[ "$(header Content-Length)" = 16 ] || bad "HEAD /healthz: Content-Length '$(header Content-Length)', wanted 16"

# -- unknown path, wrong method, a body over the cap
req "$U/no/such/page"
[ "$code" = 404 ] || bad "unknown path: status $code, wanted 404"
secure "404"
req --data-binary 'x=1' "$U/healthz"
n_all=$((n_all + 1))
[ "$code" = 405 ] || bad "POST /healthz: status $code, wanted 405"
[ "$(header Allow)" = "GET, HEAD" ] || bad "POST /healthz: Allow '$(header Allow)', wanted 'GET, HEAD'"
secure "405"
head -c 2097152 /dev/zero >"$T/big"
req --data-binary @"$T/big" "$U/healthz"
n_all=$((n_all + 1))
[ "$code" = 413 ] || bad "2 MiB POST: status $code, wanted 413"
secure "413"

# -- the query string never reaches the log
req "$U/healthz?secret=abc"
n_get=$((n_get + 1)) n_all=$((n_all + 1))
[ "$code" = 200 ] || bad "/healthz?secret=abc: status $code"
qid=$(header X-Request-Id)
grep -F "\"request_id\":\"$qid\"" "$LOG" | grep -q -F '"path":"/healthz",' ||
	bad "/healthz?secret=abc: not logged with the path /healthz alone"
# (request ids are random hex and may hold "abc" by chance: not searched)
sed 's/"request_id":"[0-9a-f]*"//' "$LOG" | grep -q -e abc -e secret &&
	bad "the query string reached the log: $(grep -e abc -e secret "$LOG")"

# -- /metrics: exact counts, by route pattern
req "$U/metrics"
[ "$code" = 200 ] || bad "/metrics: status $code"
case $(header Content-Type) in "text/plain; version=0.0.4"*) ;; *) bad "/metrics: Content-Type '$(header Content-Type)'" ;; esac
m="$T/b"
grep -q -x -F "rongcuo_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} $n_get" "$m" ||
	bad "/metrics: GET /healthz 200 not counted $n_get times: $(grep 'route="/healthz"' "$m" | head -n 5)"
for want in \
	"# TYPE rongcuo_http_requests_total counter" \
	"rongcuo_http_requests_total{method=\"HEAD\",route=\"/healthz\",status=\"200\"} 1" \
	"rongcuo_http_requests_total{method=\"POST\",route=\"/healthz\",status=\"405\"} 1" \
	"rongcuo_http_requests_total{method=\"POST\",route=\"/healthz\",status=\"413\"} 1" \
	"rongcuo_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1" \
	"# TYPE rongcuo_http_request_duration_seconds histogram" \
	"rongcuo_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} $n_all" \
	"rongcuo_http_request_duration_seconds_count{route=\"/healthz\"} $n_all" \
	"rongcuo_build_info{version=\"" \
	"rongcuo_up 1"; do
	grep -q -F -- "$want" "$m" || bad "/metrics lacks '$want'"
done
for le in .001 .005 .01 .025 .05 .1 .25 .5 1 2.5; do
	grep -q -F "rongcuo_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"$le\"} " "$m" ||
		bad "/metrics: no bucket le=$le"
done
grep -q '^rongcuo_http_request_duration_seconds_sum{route="/healthz"} [0-9]*\.[0-9]*$' "$m" ||
	bad "/metrics: no _sum for /healthz"
grep -q "no/such/page" "$m" && bad "/metrics: a raw path became a label"

# -- SIGTERM: the process exits 0 within 5 s, with its stop line
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
	bad "still running 5 s after SIGTERM"
	kill -KILL "$pid"
fi
wait "$pid"
rc=$?
pid=""
[ "$rc" -eq 0 ] || bad "exited $rc after SIGTERM, wanted 0: $(tail -n 3 "$LOG")"
tail -n 1 "$LOG" | grep -q '"event":"stop","reason":"SIGTERM"' ||
	bad "the last log line is not the stop line: $(tail -n 1 "$LOG")"
# every line of the log is one JSON object
grep -v -x '{"time":"[^"]*Z","event":"[a-z_]*".*}' "$LOG" | grep -q . &&
	bad "log lines that are not JSON objects: $(grep -v '^{"time"' "$LOG" | head -n 3)"
# stdout holds only the first start's note: no organisation yet (login.sh)
grep -v -q -e "rongcuo org add" -e "^rongcuo serve: " -e "^  " "$T/serve.out" &&
	bad "serve wrote to stdout: $(head -n 3 "$T/serve.out")"
grep -q "rongcuo org add" "$T/serve.out" || bad "serve did not say how to add the root organisation"

# -- behind a TLS proxy: --secure-cookies gives every cookie Secure; without, none
for opt in "" --secure-cookies; do
	# shellcheck disable=SC2086
	serve_start "$T/log2" "$T/serve2.out" --data "$D" $opt
	[ -n "$port" ] || bad "serve $opt did not start: $(head -n 3 "$T/log2")"
	req "http://127.0.0.1:$port/login"
	cookie=$(header Set-Cookie)
	case "$opt:$cookie" in
	--secure-cookies:*"; Secure"*) ;;
	--secure-cookies:*) bad "--secure-cookies: the cookie lacks Secure: $cookie" ;;
	*"; Secure"*) bad "a cookie with Secure without --secure-cookies: $cookie" ;;
	esac
	[ -n "$cookie" ] || bad "GET /login set no cookie"
	kill -TERM "$pid"
	wait "$pid"
	pid=""
done
run 2 serve --secure-cookies=yes --data "$D"
run 2 serve --page-cache many --data "$D"
run 2 serve --page-cache 70000 --data "$D"
for n in 0 65 two 2x; do
	run 2 serve --threads "$n" --data "$D"
	grep -q -F -- "--threads takes a number of threads, 1 to 64, not '$n'" "$T/err" ||
		bad "serve --threads $n: $(cat "$T/err")"
done
finish "serve: ok"
