#!/bin/sh
# The threaded server under concurrent load, on loopback, with curl:
# `rongcuo serve --threads 4` on a free port, hammered by 8 workers at once
# (background jobs, each a sequence of curl requests) opening cases,
# recording facts on them and on one case they all share, reading case
# files, the filtered list, /healthz and /metrics; then 8 clients send one
# POST under one Idempotency-Key at once.  Afterwards, nothing was lost,
# doubled or corrupted:
#   - every answer had the status wanted (no 500, no 503), and /metrics'
#     rongcuo_http_requests_total counts exactly the requests sent, by
#     method, route and status;
#   - the cases in the database are exactly those answered 201, each once;
#     every case's facts are there through the API, each written once, by
#     the audit row of the request that made it; the shared case holds the
#     last value of every writer and its whole history;
#   - one case for the 8 clients of one key, the 7 others told "already
#     made";
#   - `audit verify` passes, with one row per change answered 200 or 201;
#   - the log has one request line per request sent (by request id, with
#     its status), then the stop line; SIGTERM exits 0; the server's log
#     holds no ThreadSanitizer report (BIN=build-tsan/rongcuo).
# No sleep synchronises anything: the workers are waited for, the start
# line is polled for in a bounded loop as in serve.sh.  Works on SQLite and
# on PostgreSQL (scripts/test-pg.sh: BIN is tests/pg/rongcuo-pg.sh).
# Run from the repository root: BIN=build/rongcuo sh tests/cli/serve-threads.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
LOG="$T/serve.log"
WORKERS=8 # concurrent clients; workers 1-4 act for county A, 5-8 for B
ROUNDS=8  # rounds of each worker: 7 requests, 8 every other round
# the fact each worker records on the shared case, worker K the K-th name
SHARED_FACTS="营商环境领域 突破常规探索 推进改革 缺乏经验 探索性试验 上级明确限制 执行程序瑕疵 瑕疵影响实体"
CT="Content-Type: application/json"
pid=""
wpids=""
# The server and the workers are killed however the script ends, then the
# scratch directory goes.
trap 'for p in $wpids $pid; do kill -KILL "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# call WHO WANT METHOD ROUTE [CURL-ARGS...] URL: one request by client WHO
# (a worker's number, or m for this script).  Appends "WANT STATUS METHOD
# ROUTE REQUEST-ID" to $T/tally.WHO (ROUTE: the pattern the server's
# metrics name); sets code, rid (X-Request-Id) and loc (Location); the body
# in $T/body.WHO.  A status other than WANT is noted in $T/bad.WHO; the code
# of a case answered 201, from its Location, in $T/made.WHO.
call() {
	who=$1 want=$2 meth=$3 route=$4
	shift 4
	: >"$T/body.$who"
	curl -s -S --noproxy '*' --max-time 120 -o "$T/body.$who" \
		-w '%{http_code}|%header{x-request-id}|%header{location}\n' "$@" \
		>"$T/w.$who" 2>"$T/curl.$who" ||
		echo "$meth $route: curl: $(head -c 200 "$T/curl.$who")" >>"$T/bad.$who"
	IFS='|' read -r code rid loc <"$T/w.$who"
	[ -n "$code" ] || code=000
	echo "$want $code $meth $route ${rid:--}" >>"$T/tally.$who"
	[ "$code" = 201 ] && echo "${loc#/api/v1/cases/}" >>"$T/made.$who"
	[ "$code" = "$want" ] ||
		echo "$meth $route (request ${rid:--}): status $code, wanted $want: $(head -c 300 "$T/body.$who")" >>"$T/bad.$who"
}
# in_body WHO TEXT WHAT: the last body of WHO contains TEXT, else noted
in_body() {
	grep -q -F -- "$2" "$T/body.$1" || echo "$3: the answer lacks '$2'" >>"$T/bad.$1"
}
# facts_of FILE: the current facts of a case file, one object a line
facts_of() {
	sed -n 's/.*"facts":\[\(.*\)\],"notices":.*/\1/p' "$1" | sed 's/},{"name"/}\
{"name"/g' | grep -v '^$'
}
# audit_of FILE: the audit rows of a case file, one a line
audit_of() {
	sed -n 's/.*"audit":\[\(.*\)\],"next_steps":.*/\1/p' "$1" | sed 's/},{"seq"/}\
{"seq"/g' | grep -v '^$'
}
# report: every problem the workers and calls noted becomes a failed check
# (the first 10 of each client: a server that died fails every request)
report() {
	for f in "$T"/bad.*; do
		[ -e "$f" ] || continue
		head -n 10 "$f" | while IFS= read -r line; do echo "FAIL: $line"; done
		n=$(wc -l <"$f")
		[ "$n" -le 10 ] || echo "FAIL: ... and $((n - 10)) more problems of client ${f##*.}"
		bad "$n problems seen by client ${f##*.}"
		rm -f "$f"
	done
}

# -- the data: a province and two counties, an official and a user of the
#    procedure in each county, one at the province; a token for each user
run 0 db init --data "$D"
run 0 org add ZJ 某省 province --data "$D"
run 0 org add A 东湖县 county --parent ZJ --data "$D"
run 0 org add B 西山县 county --parent ZJ --data "$D"
run 0 person add 张三 --org A --data "$D"
PA=$(sed -n 's/.*(id \([0-9]*\)).*/\1/p' "$T/out")
run 0 person add 王五 --org B --data "$D"
PB=$(sed -n 's/.*(id \([0-9]*\)).*/\1/p' "$T/out")
if [ -z "$PA" ] || [ -z "$PB" ]; then bad "person add: no id in its output"; fi
run 0 user add li 李四 --org A --role 承办单位 --data "$D"
run 0 user add zhao 赵六 --org B --role 承办单位 --data "$D"
run 0 user add qian 钱七 --org ZJ --role 承办单位 --data "$D"
# token USER: a token for USER, as the header that sends it
token() {
	run 0 token create --user "$1" --label 并发测试 --data "$D"
	grep -q -x 'rc_[0-9a-f]\{32\}' "$T/out" || bad "token create --user $1: $(cat "$T/out")"
	echo "Authorization: Bearer $(cat "$T/out")" >"$T/auth.$1"
}
token li
token zhao
token qian
AA=$(cat "$T/auth.li")   # 李四, county A
AB=$(cat "$T/auth.zhao") # 赵六, county B
AZ=$(cat "$T/auth.qian") # 钱七, the province: every case
for u in li zhao qian; do
	grep -q -x 'Authorization: Bearer rc_[0-9a-f]\{32\}' "$T/auth.$u" ||
		finish "serve-threads: the data could not be made"
done

# -- the server, four threads, on a free port; the first log line says which
serve_start "$LOG" "$T/serve.out" --threads 4 --data "$D"
if [ -z "$port" ]; then
	bad "serve did not start: $(head -n 5 "$LOG")"
	finish "serve-threads: failed to start"
fi
head -n 1 "$LOG" | grep -q '"threads":4[,}]' || bad "the start line does not say 4 threads: $(head -n 1 "$LOG")"
U="http://127.0.0.1:$port"

# the audit rows before any request: the administrators made at the first
# start are in it
run 0 audit verify --data "$D"
rows0=$(sed -n 's/^audit chain verified: \([0-9]*\) rows.*/\1/p' "$T/out")
[ -n "$rows0" ] || bad "audit verify before the load: $(cat "$T/out" "$T/err")"

# -- the shared case, which every worker records a fact on
call m 201 POST /api/v1/cases -H "$AA" -H "$CT" \
	--data "{\"start_path\":\"application\",\"person_id\":$PA,\"handling\":\"A\",\"source\":\"审计\"}" "$U/api/v1/cases"
S=${loc#/api/v1/cases/}
if [ "$code" != 201 ] || [ -z "$S" ]; then
	report
	finish "serve-threads: no shared case"
fi

# worker K: ROUNDS rounds of: open a case (under a key of its own), record
# two facts on it, one on the shared case, read the case file back (it must
# show both facts), the filtered list, /healthz, and /metrics every other
# round.  Each case opened is noted in $T/cases.K as "CODE K ROUND ID-OPEN
# ID-FACT1 ID-FACT2", each fact on the shared case in $T/shared.K.
worker() {
	w=$1
	if [ "$w" -le $((WORKERS / 2)) ]; then
		auth=$AA sauth=$AA org=A person=$PA name=张三
	else
		auth=$AB sauth=$AZ org=B person=$PB name=王五
	fi
	sf=$(echo "$SHARED_FACTS" | cut -d ' ' -f "$w")
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		v=true
		[ $((r % 2)) = 0 ] && v=false
		call "$w" 201 POST /api/v1/cases -H "$auth" -H "$CT" -H "Idempotency-Key: w$w-r$r" \
			--data "{\"start_path\":\"application\",\"person_id\":$person,\"handling\":\"$org\",\"source\":\"审计\"}" \
			"$U/api/v1/cases"
		c=${loc#/api/v1/cases/}
		if [ "$code" = 201 ] && [ -n "$c" ]; then
			in_body "$w" "{\"code\":\"$c\",\"state\":\"启动\"" "worker $w round $r: the new case"
			open_id=$rid
			call "$w" 200 POST "/api/v1/cases/{code}/facts" -H "$auth" -H "$CT" \
				--data "{\"name\":\"谋取私利\",\"value\":false,\"evidence\":\"笔录-w$w-r$r-1\"}" \
				"$U/api/v1/cases/$c/facts"
			f1=$rid
			call "$w" 200 POST "/api/v1/cases/{code}/facts" -H "$auth" -H "$CT" -H "Idempotency-Key: w$w-r$r-f2" \
				--data "{\"name\":\"明知故犯\",\"value\":$v,\"evidence\":\"笔录-w$w-r$r-2\"}" \
				"$U/api/v1/cases/$c/facts"
			f2=$rid
			echo "$c $w $r $open_id $f1 $f2" >>"$T/cases.$w"
			call "$w" 200 GET "/api/v1/cases/{code}" -H "$auth" "$U/api/v1/cases/$c"
			in_body "$w" "\"evidence\":\"笔录-w$w-r$r-1\"" "worker $w reads $c back"
			in_body "$w" "\"name\":\"明知故犯\",\"value\":$v," "worker $w reads $c back"
		fi
		call "$w" 200 POST "/api/v1/cases/{code}/facts" -H "$sauth" -H "$CT" \
			--data "{\"name\":\"$sf\",\"value\":$v,\"evidence\":\"S-w$w-r$r\"}" "$U/api/v1/cases/$S/facts"
		[ "$code" = 200 ] && echo "$rid" >>"$T/shared.$w"
		call "$w" 200 GET /api/v1/cases -H "$auth" -G --data-urlencode "state=启动" \
			--data-urlencode "unit=$org" --data-urlencode "q=$name" --data "limit=20" "$U/api/v1/cases"
		in_body "$w" '{"cases":[{"code":"' "worker $w round $r: the filtered list"
		call "$w" 200 GET /healthz "$U/healthz"
		in_body "$w" '{"status":"ok"}' "worker $w round $r: /healthz"
		[ $((r % 2)) = 0 ] && call "$w" 200 GET /metrics "$U/metrics"
		r=$((r + 1))
	done
}

# -- the load: every worker at once; wait for each
k=1
while [ "$k" -le "$WORKERS" ]; do
	: >"$T/cases.$k"
	: >"$T/shared.$k"
	worker "$k" &
	wpids="$wpids $!"
	k=$((k + 1))
done
for p in $wpids; do wait "$p"; done
wpids=""
report

# -- one Idempotency-Key, 8 clients at once (one curl, 8 transfers in
#    parallel, each on a connection of its own): one case, 7 "already made"
set --
k=1
while [ "$k" -le 8 ]; do
	set -- "$@" -o "$T/idem.$k" "$U/api/v1/cases"
	k=$((k + 1))
done
curl -s -S --noproxy '*' --max-time 120 -Z --parallel-immediate --parallel-max 8 \
	-H "$AA" -H "$CT" -H "Idempotency-Key: one-key-8-clients" \
	--data "{\"start_path\":\"application\",\"person_id\":$PA,\"handling\":\"A\",\"source\":\"审计\"}" \
	-w '%{http_code}|%header{x-request-id}|%header{location}|%{filename_effective}\n' "$@" \
	>"$T/idem.w" 2>"$T/idem.err" || bad "8 clients, one key: curl: $(head -c 300 "$T/idem.err")"
n_made=0
n_already=0
while IFS='|' read -r code rid loc file; do
	case $code in
	201)
		n_made=$((n_made + 1))
		echo "${loc#/api/v1/cases/}" >>"$T/made.m"
		want=201
		;;
	409)
		if grep -q -F '"already made: ' "$file"; then
			n_already=$((n_already + 1))
		else
			bad "8 clients, one key: a 409 that is not 'already made': $(head -c 300 "$file")"
		fi
		want=409
		;;
	*)
		bad "8 clients, one key: status $code: $(head -c 300 "$file")"
		want=201/409
		;;
	esac
	echo "$want $code POST /api/v1/cases ${rid:--}" >>"$T/tally.m"
done <"$T/idem.w"
[ "$(wc -l <"$T/idem.w")" = 8 ] || bad "8 clients, one key: $(wc -l <"$T/idem.w") answers, wanted 8"
[ "$n_made" = 1 ] || bad "8 clients, one key: $n_made answered 201, wanted exactly 1: $(cut -d '|' -f 1 "$T/idem.w" | sort | uniq -c | tr '\n' ' ')"
[ "$n_already" = 7 ] || bad "8 clients, one key: $n_already told 'already made', wanted 7"
call m 409 POST /api/v1/cases -H "$AA" -H "$CT" -H "Idempotency-Key: one-key-8-clients" \
	--data "{\"start_path\":\"application\",\"person_id\":$PA,\"handling\":\"A\",\"source\":\"审计\"}" "$U/api/v1/cases"
in_body m '"already made: ' "the key once more afterwards"
report

# -- every case opened by a worker: its facts, each once, each by the audit
#    row of its request
cat "$T"/cases.[0-9]* >"$T/cases"
while read -r c w r open_id f1 f2; do
	call m 200 GET "/api/v1/cases/{code}" -H "$AZ" "$U/api/v1/cases/$c"
	[ "$code" = 200 ] || continue
	facts_of "$T/body.m" >"$T/facts"
	v=true
	[ $((r % 2)) = 0 ] && v=false
	[ "$(wc -l <"$T/facts")" = 2 ] || bad "$c: $(wc -l <"$T/facts") current facts, wanted 2: $(cat "$T/facts")"
	grep -F "{\"name\":\"谋取私利\",\"value\":false,\"by\":\"" "$T/facts" |
		grep -q -F "\"evidence\":\"笔录-w$w-r$r-1\"" ||
		bad "$c: the fact 谋取私利 of worker $w round $r is not there: $(cat "$T/facts")"
	grep -F "{\"name\":\"明知故犯\",\"value\":$v,\"by\":\"" "$T/facts" |
		grep -q -F "\"evidence\":\"笔录-w$w-r$r-2\"" ||
		bad "$c: the fact 明知故犯 of worker $w round $r is not there: $(cat "$T/facts")"
	audit_of "$T/body.m" >"$T/audit"
	[ "$(grep -c '"action":"case.open"' "$T/audit")" = 1 ] ||
		bad "$c: $(grep -c '"action":"case.open"' "$T/audit") case.open audit rows, wanted 1"
	grep '"action":"case.open"' "$T/audit" | grep -q -F "\"request_id\":\"$open_id\"" ||
		bad "$c: the case.open audit row does not name request $open_id: $(grep case.open "$T/audit")"
	[ "$(grep -c '"action":"case.fact"' "$T/audit")" = 2 ] || bad "$c: $(grep -c '"action":"case.fact"' "$T/audit") case.fact audit rows, wanted 2"
	grep -F "\"object\":\"case:$c/fact:谋取私利\"" "$T/audit" | grep -q -F "\"request_id\":\"$f1\"" ||
		bad "$c: no audit row of 谋取私利 naming request $f1"
	grep -F "\"object\":\"case:$c/fact:明知故犯\"" "$T/audit" | grep -q -F "\"request_id\":\"$f2\"" ||
		bad "$c: no audit row of 明知故犯 naming request $f2"
done <"$T/cases"

# -- the shared case: every writer's last value current, every write audited
call m 200 GET "/api/v1/cases/{code}" -H "$AZ" "$U/api/v1/cases/$S"
facts_of "$T/body.m" >"$T/facts"
audit_of "$T/body.m" >"$T/audit"
[ "$(wc -l <"$T/facts")" = "$WORKERS" ] || bad "$S (shared): $(wc -l <"$T/facts") current facts, wanted $WORKERS"
n_shared=$(cat "$T"/shared.[0-9]* | wc -l)
[ "$(grep -c '"action":"case.fact"' "$T/audit")" = "$n_shared" ] ||
	bad "$S (shared): $(grep -c '"action":"case.fact"' "$T/audit") case.fact audit rows, but $n_shared facts were answered 200"
v=true
[ $((ROUNDS % 2)) = 0 ] && v=false
k=1
for sf in $SHARED_FACTS; do
	grep -F "{\"name\":\"$sf\",\"value\":$v,\"by\":\"" "$T/facts" | grep -q -F "\"evidence\":\"S-w$k-r$ROUNDS\"" ||
		bad "$S (shared): $sf is not worker $k's last value ($v, S-w$k-r$ROUNDS): $(grep -F "\"$sf\"" "$T/facts")"
	while read -r id; do
		grep -F "\"object\":\"case:$S/fact:$sf\"" "$T/audit" | grep -q -F "\"request_id\":\"$id\"" ||
			bad "$S (shared): no audit row of $sf naming request $id"
	done <"$T/shared.$k"
	k=$((k + 1))
done

# -- the list, page by page, for each user: exactly the cases answered 201
#    in their scope, each once
cat "$T"/made.* | sort >"$T/codes.made"
[ "$(sort -u "$T/codes.made" | wc -l)" = "$(wc -l <"$T/codes.made")" ] ||
	bad "one case answered 201 twice: $(uniq -d "$T/codes.made" | tr '\n' ' ')"
for user in qian li zhao; do
	auth=$(cat "$T/auth.$user")
	: >"$T/codes.list"
	before=""
	pages=0
	while [ "$pages" -lt 20 ]; do
		if [ -n "$before" ]; then
			call m 200 GET /api/v1/cases -H "$auth" -G --data "limit=25" --data "before=$before" "$U/api/v1/cases"
		else
			call m 200 GET /api/v1/cases -H "$auth" -G --data "limit=25" "$U/api/v1/cases"
		fi
		[ "$code" = 200 ] || break
		grep -o '{"code":"[^"]*","state"' "$T/body.m" | sed 's/{"code":"\([^"]*\)".*/\1/' >>"$T/codes.list"
		before=$(sed -n 's/.*"next":\([0-9][0-9]*\)}$/\1/p' "$T/body.m")
		[ -n "$before" ] || break
		pages=$((pages + 1))
	done
	case $user in
	qian) cat "$T/codes.made" ;;
	li) grep '^A-' "$T/codes.made" ;;
	zhao) grep '^B-' "$T/codes.made" ;;
	esac >"$T/codes.want"
	sort "$T/codes.list" >"$T/codes.got"
	diff "$T/codes.want" "$T/codes.got" >"$T/codes.diff" ||
		bad "the list for $user is not the cases made in its scope: $(head -n 10 "$T/codes.diff" | tr '\n' ' ')"
done
report

# -- the tally: every answer as wanted; then /metrics counts exactly the
#    requests sent, by method, route and status.  A request is counted when
#    the server has finished with it, which may be a moment after its
#    client has the answer: a scrape that lags is asked again (bounded),
#    one that counts more than was sent fails.
cat "$T"/tally.* >"$T/tally"
awk '$1 != $2' "$T/tally" >"$T/wrong"
[ -s "$T/wrong" ] && bad "$(wc -l <"$T/wrong") answers with another status than wanted: $(sort "$T/wrong" | cut -d ' ' -f 1-4 | uniq -c | head -n 10 | tr '\n' ' ')"
grep -q '^[^ ]* 5' "$T/tally" && bad "server errors: $(grep '^[^ ]* 5' "$T/tally" | cut -d ' ' -f 2-4 | sort | uniq -c | tr '\n' ' ')"
i=0
while :; do
	cat "$T"/tally.* | awk '{ n[$3 " " $4 " " $2]++ }
		END { for (k in n) { split(k, f, " ")
			printf "rongcuo_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %d\n", f[1], f[2], f[3], n[k] } }' |
		sort >"$T/metrics.want"
	call m 200 GET /metrics "$U/metrics"
	[ "$code" = 200 ] || break
	grep '^rongcuo_http_requests_total{' "$T/body.m" | sort >"$T/metrics.got"
	diff "$T/metrics.want" "$T/metrics.got" >"$T/metrics.diff" && break
	# a count over what was sent, or another series: no use asking again
	grep '^>' "$T/metrics.diff" | sed 's/^> //' | while read -r series n; do
		w=$(grep -F "$series " "$T/metrics.want" | cut -d ' ' -f 2)
		[ -n "$w" ] && [ "$n" -le "$w" ] || echo "$series $n (sent: ${w:-0})"
	done >"$T/metrics.over"
	i=$((i + 1))
	if [ -s "$T/metrics.over" ] || [ "$i" -ge 50 ]; then
		bad "/metrics does not count the requests sent: $(head -n 10 "$T/metrics.diff" | tr '\n' ' ')"
		break
	fi
	sleep 0.1
done
grep -q '^rongcuo_http_requests_total{.*status="5' "$T/body.m" &&
	bad "/metrics counts server errors: $(grep 'status="5' "$T/body.m")"
report
cat "$T"/tally.* >"$T/tally" # every request sent, the scrapes included

# -- SIGTERM: exit 0 and the stop line (a hang is cut after 2 minutes)
kill -TERM "$pid" 2>/dev/null
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 1200 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
	bad "still running 2 minutes after SIGTERM"
	kill -KILL "$pid"
fi
wait "$pid"
rc=$?
pid=""
[ "$rc" -eq 0 ] || bad "serve exited $rc after SIGTERM, wanted 0: $(tail -n 3 "$LOG")"
sent=$(wc -l <"$T/tally")
tail -n 1 "$LOG" | grep -q "^{\"time\":\"[^\"]*\",\"event\":\"stop\",\"reason\":\"SIGTERM\",\"requests\":$sent,\"cut\":0," ||
	bad "the last log line is not the stop line after $sent requests: $(tail -n 1 "$LOG")"

# -- the log: one request line per request sent, with its status
grep -v -x '{"time":"[^"]*Z","event":"[a-z_]*".*}' "$LOG" | grep -q . &&
	bad "log lines that are not JSON objects: $(grep -v '^{"time"' "$LOG" | head -n 3)"
n_lines=$(grep -c '"event":"request"' "$LOG")
[ "$n_lines" = "$sent" ] || bad "the log has $n_lines request lines for $sent requests sent"
grep '"event":"request"' "$LOG" | grep -q '"end":' &&
	bad "requests that did not end normally: $(grep '"end":' "$LOG" | head -n 3)"
grep -q '"event":"healthz_failed"' "$LOG" && bad "/healthz failed: $(grep healthz_failed "$LOG" | head -n 3)"
sed -n 's/.*"event":"request","request_id":"\([0-9a-f]*\)".*"status":\([0-9]*\),.*/\1 \2/p' "$LOG" |
	sort >"$T/log.ids"
awk '{ print $5, $2 }' "$T/tally" | sort >"$T/sent.ids"
diff "$T/sent.ids" "$T/log.ids" >"$T/ids.diff" ||
	bad "the log's request lines are not the requests sent, one each: $(head -n 6 "$T/ids.diff" | tr '\n' ' ')"
grep -v '^- ' "$T/sent.ids" | cut -d ' ' -f 1 | uniq -d >"$T/ids.twice"
[ -s "$T/ids.twice" ] && bad "request ids given twice: $(head -n 5 "$T/ids.twice" | tr '\n' ' ')"

# -- the database: the cases answered 201, each once; the audit chain whole,
#    one row per change answered 200 or 201
n201=$(awk '$2 == 201' "$T/tally" | wc -l)
n_changes=$(awk '$3 == "POST" && ($2 == 200 || $2 == 201)' "$T/tally" | wc -l)
run 0 case list --data "$D"
cut -d ' ' -f 1 "$T/out" | sort >"$T/codes.db"
[ "$(wc -l <"$T/codes.db")" = "$n201" ] || bad "$(wc -l <"$T/codes.db") cases in the database, $n201 answered 201"
diff "$T/codes.made" "$T/codes.db" >"$T/codes.diff" ||
	bad "the cases in the database are not those answered 201: $(head -n 6 "$T/codes.diff" | tr '\n' ' ')"
[ "$(sort -u "$T/codes.db" | wc -l)" = "$(wc -l <"$T/codes.db")" ] || bad "a case code given twice"
k=1
for sf in $SHARED_FACTS; do
	run 0 case history "$S" "$sf" --data "$D"
	want=$(wc -l <"$T/shared.$k")
	[ "$(grep -c " $sf = " "$T/out")" = "$want" ] || bad "$S: the history of $sf has $(grep -c " $sf = " "$T/out") rows, wanted $want"
	[ "$(grep -c '\[现值\]' "$T/out")" = 1 ] || bad "$S: $(grep -c '\[现值\]' "$T/out") current values of $sf"
	tail -n 1 "$T/out" | grep -q "证据 S-w$k-r$ROUNDS).*\[现值\]" ||
		bad "$S: the last row of the history of $sf is not worker $k's last, current: $(tail -n 1 "$T/out")"
	k=$((k + 1))
done
run 0 audit verify --data "$D"
rows=$(sed -n 's/^audit chain verified: \([0-9]*\) rows.*/\1/p' "$T/out")
if [ -z "$rows" ] || [ -z "$rows0" ] || [ $((rows - rows0)) != "$n_changes" ]; then
	bad "audit rows: ${rows:-?} after, ${rows0:-?} before, but $n_changes changes were answered 200 or 201"
fi
run 0 db check --data "$D"
has "integrity ok" "db check"
# -- last, so that it ends the output: no ThreadSanitizer report (a build
#    with -fsanitize=thread writes them on the server's stderr, its log)
grep -q "WARNING: ThreadSanitizer" "$LOG" &&
	bad "ThreadSanitizer reports in the server's log: $(grep -c "WARNING: ThreadSanitizer" "$LOG"), the first: $(grep -A 12 "WARNING: ThreadSanitizer" "$LOG" | head -n 12)"
echo "serve-threads: $sent requests, $n201 cases, $n_changes changes, on $(sed -n '1s/.*"store":"\([a-z]*\)".*/\1/p' "$LOG")"
finish "serve-threads: ok"
