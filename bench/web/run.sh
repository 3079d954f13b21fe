#!/bin/sh
# bench/web/run.sh -- the web benchmark (issue 5): wrk on loopback against
# rongcuo's case-file page and its filtered case list, with 100,000 cases in
# the database, next to nginx (Debian's package) serving a static file of the
# same bytes, on the same machine in the same run.  See bench/web/README.md.
#
#   1. builds $BUILD/rongcuo and $BUILD/librongcuo.a (default build-benchweb/,
#      the project's release flags) and bench/store's bench_store (cc -O2);
#   2. generates N cases with bench_store's `gen` (bench/store's generator),
#      sets up a fresh data directory with bench_store's `setup` and imports
#      them with `rongcuo import cases`; adds the case-handling user `web`
#      (承办单位 at the root organisation ZJ) with a password;
#   3. starts `rongcuo serve` on a free loopback port and logs `web` in over
#      HTTP with curl (password -> TOTP enrolment with oathtool -> password
#      and the next code), keeping the rc_session cookie;
#   4. for each page: fetches it once with curl (its status and bytes), writes
#      those bytes to a static file, and runs wrk (-t2 -c50, a warm-up, then
#      the measured run) against rongcuo with the cookie, then against nginx
#      (unprivileged, loopback, its own prefix under bench/out/web/) serving
#      the static file;
#   5. prints requests/s, p50 and p99 of each, the ratio rongcuo/nginx and the
#      targets (p99 < 20 ms; >= 0.30 of nginx on the case-file page), and
#      writes the same to bench/out/web/result.txt.
#
# Exit status: 0 whatever the timings (a benchmark never fails on time); 1
# when a page or a request under load was answered other than 200 (a 404:
# the page does not exist yet; a 303 to /login: the session was lost); 2
# when something cannot be installed, built or started.
#
# Environment: BUILD (build-benchweb), RONGCUO ($BUILD/rongcuo),
# BENCH_WEB_N (cases, 100000), BENCH_WEB_SECS (seconds per measured run,
# 10), BENCH_WEB_WARMUP (seconds of warm-up before each, 2),
# BENCH_WEB_CONNS (50), BENCH_WEB_THREADS (wrk threads, 2),
# BENCH_WEB_CASE_CODE (the case of the case-file page; the CSV's first),
# BENCH_WEB_CASE_PATH (/cases/CODE), BENCH_WEB_STATE (调查核实),
# BENCH_WEB_LIST_PATH (/cases?state=<BENCH_WEB_STATE URL-encoded>&page=1),
# BENCH_WEB_NGINX_WORKERS (auto, Debian's default),
# BENCH_WEB_SERVE_ARGS (more options for `rongcuo serve`, e.g. "--threads 1"
# or "--page-cache 0"; default none: its defaults).
set -eu
cd "$(dirname "$0")/../.."

BUILD="${BUILD:-build-benchweb}"
RONGCUO="${RONGCUO:-$BUILD/rongcuo}"
N="${BENCH_WEB_N:-100000}"
SECS="${BENCH_WEB_SECS:-10}"
WARMUP="${BENCH_WEB_WARMUP:-2}"
CONNS="${BENCH_WEB_CONNS:-50}"
THREADS="${BENCH_WEB_THREADS:-2}"
STATE="${BENCH_WEB_STATE:-调查核实}"
WORKERS="${BENCH_WEB_NGINX_WORKERS:-auto}"
OUT=bench/out/web
LUA=bench/web/report.lua
WEB_LOGIN=web
WEB_PASSWORD='bench web password 2026'

fail() {
	echo "bench-web: $*" >&2
	exit 2
}
mkdir -p "$OUT" || fail "cannot make $OUT"
OUT=$(cd "$OUT" && pwd)

serve_pid=""
nginx_pid=""
cleanup() {
	if [ -n "$serve_pid" ]; then
		kill -TERM "$serve_pid" 2>/dev/null || true
		wait "$serve_pid" 2>/dev/null || true
	fi
	if [ -n "$nginx_pid" ]; then
		kill -QUIT "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
	fi
	# the request logs grow by hundreds of MB a run: their last lines are kept
	for f in "$OUT/serve.log" "$OUT/nginx/access.log"; do
		if [ -f "$f" ] && [ "$(wc -c <"$f")" -gt 1048576 ]; then
			tail -n 1000 "$f" >"$OUT/log.tail" && cat "$OUT/log.tail" >"$f" && rm -f "$OUT/log.tail"
		fi
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- tools: wrk, nginx, oathtool, curl from Debian when missing ----------------------
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
[ -x "$NGINX" ] || missing="$missing nginx"
command -v oathtool >/dev/null 2>&1 || missing="$missing oathtool"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
if [ -n "$missing" ]; then
	echo "== installing from Debian:$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	# shellcheck disable=SC2086 # $missing is a list of package names
	{ $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing; } \
		>"$OUT/apt.log" 2>&1 || {
		tail -n 5 "$OUT/apt.log" >&2
		fail "cannot install$missing"
	}
	NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
fi
[ -x "$NGINX" ] || fail "nginx is not at $NGINX"

# ---- build ---------------------------------------------------------------------------
echo "== building $BUILD/rongcuo (the project's release flags) and bench_store (cc -O2)"
if ! ${MAKE:-make} --no-print-directory -j2 BUILD="$BUILD" "$BUILD/rongcuo" "$BUILD/librongcuo.a" \
	>"$OUT/build.log" 2>&1; then
	tail -n 20 "$OUT/build.log" >&2
	fail "building $BUILD failed"
fi
LIBS=$(pkg-config --libs jansson libcrypto sqlite3 libpq xlsxwriter libsodium libmicrohttpd) ||
	fail "libraries missing (make deps)"
# bench_store is bench/store's program (its `gen` and `setup` modes), built as
# bench/store/run.sh builds it.
# shellcheck disable=SC2086 # LIBS is a list of flags
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Isrc \
	bench/store/bench_store.c "$BUILD/librongcuo.a" $LIBS -o "$OUT/bench_store" ||
	fail "compiling bench/store/bench_store.c failed"
"$RONGCUO" serve --help >/dev/null 2>&1 || fail "$RONGCUO has no serve command"

# ---- data: N cases imported into a fresh data directory -----------------------------
echo "== generating $N cases (bench/store's generator) and importing them"
"$OUT/bench_store" gen "$N" "$OUT/cases.csv" >/dev/null || fail "generating the CSV failed"
D="$OUT/data"
rm -rf "$D"
"$RONGCUO" db init --data "$D" >/dev/null || fail "db init failed"
"$OUT/bench_store" setup "$D" || fail "setting up the organisations and officials failed"
t0=$(date +%s%N)
"$RONGCUO" import cases "$OUT/cases.csv" --as bench --data "$D" --policy policies \
	--calendar data/calendar --today 2026-12-31 >"$OUT/import.out" 2>"$OUT/import.err" ||
	fail "rongcuo import failed: $(grep -v warning: "$OUT/import.err" | head -n 3)"
t1=$(date +%s%N)
grep -q "^imported $N cases" "$OUT/import.out" || fail "the import did not import $N cases: $(cat "$OUT/import.out")"
echo "imported $N cases in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s"
"$RONGCUO" user add "$WEB_LOGIN" 网页基准 --org ZJ --role 承办单位 --data "$D" >/dev/null ||
	fail "user add $WEB_LOGIN failed"
printf '%s\n' "$WEB_PASSWORD" | "$RONGCUO" user passwd "$WEB_LOGIN" --data "$D" >/dev/null ||
	fail "user passwd $WEB_LOGIN failed"

# the pages: the first case of the CSV (its code is never quoted) and the list
CODE="${BENCH_WEB_CASE_CODE:-$(sed -n '2s/,.*//p' "$OUT/cases.csv")}"
# urlencode: every byte but the unreserved ones as %XX
urlencode() {
	printf '%s' "$1" | od -An -v -tx1 | tr ' ' '\n' | sed '/^$/d' | awk '
		BEGIN { for (i = 0; i < 256; i++) hex[sprintf("%02x", i)] = i }
		{ c = hex[$1]
		  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
		      c == 45 || c == 46 || c == 95 || c == 126) printf "%c", c
		  else printf "%%%s", toupper($1) }'
}
CASE_PATH="${BENCH_WEB_CASE_PATH:-/cases/$(urlencode "$CODE")}"
LIST_PATH="${BENCH_WEB_LIST_PATH:-/cases?state=$(urlencode "$STATE")&page=1}"

# ---- rongcuo serve and a log-in over HTTP -------------------------------------------
echo "== rongcuo serve on loopback; logging '$WEB_LOGIN' in over HTTP"
# shellcheck disable=SC2086 # BENCH_WEB_SERVE_ARGS is a list of options
"$RONGCUO" serve --listen 127.0.0.1:0 --data "$D" ${BENCH_WEB_SERVE_ARGS:-} >"$OUT/serve.out" 2>"$OUT/serve.log" &
serve_pid=$!
port=""
i=0
while [ "$i" -lt 100 ]; do
	port=$(sed -n '1s/^{"time":"[^"]*","event":"start","listen":"127\.0\.0\.1:\([0-9][0-9]*\)".*/\1/p' "$OUT/serve.log")
	[ -n "$port" ] && break
	kill -0 "$serve_pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
[ -n "$port" ] || fail "rongcuo serve did not start: $(head -n 3 "$OUT/serve.log")"
U="http://127.0.0.1:$port"

JAR="$OUT/cookies"
rm -f "$JAR"
# req [CURL-ARGS...] URL: status in $code, body in $OUT/body
req() {
	code=$(curl -s -S --noproxy '*' --max-time 20 -b "$JAR" -c "$JAR" -o "$OUT/body" \
		-w '%{http_code}' "$@") || fail "curl $*: failed"
}
csrf() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$OUT/body" | head -n 1; }
req "$U/login"
[ "$code" = 200 ] || fail "GET /login: status $code"
req --data-urlencode "csrf=$(csrf)" --data-urlencode "login=$WEB_LOGIN" \
	--data-urlencode "password=$WEB_PASSWORD" --data-urlencode "code=" "$U/login"
secret=$(sed -n 's/.*<p class="secret"><code>\([A-Z2-7]*\)<\/code>.*/\1/p' "$OUT/body")
[ "$code" = 200 ] && [ -n "$secret" ] || fail "log-in: no TOTP enrolment page (status $code)"
req --data-urlencode "csrf=$(csrf)" --data-urlencode "login=$WEB_LOGIN" \
	--data-urlencode "code=$(oathtool --totp -b "$secret")" "$U/enrol"
grep -q -F "动态口令已绑定" "$OUT/body" || fail "TOTP enrolment refused (status $code)"
# the enrolment spent the current code: the next one (the server takes ±1 step)
req --data-urlencode "csrf=$(csrf)" --data-urlencode "login=$WEB_LOGIN" \
	--data-urlencode "password=$WEB_PASSWORD" \
	--data-urlencode "code=$(oathtool --totp -b -N "@$(($(date +%s) + 30))" "$secret")" "$U/login"
SID=$(awk '$6 == "rc_session" { print $7 }' "$JAR")
[ "$code" = 303 ] && [ -n "$SID" ] || fail "log-in with password and code: status $code, no rc_session"
COOKIE="Cookie: rc_session=$SID"

# non200: the responses rongcuo answered other than 200, all routes, from /metrics
non200() {
	curl -s --noproxy '*' --max-time 20 "$U/metrics" |
		awk '/^rongcuo_http_requests_total\{/ && !/status="200"/ { n += $NF } END { printf "%d\n", n }'
}

# ---- nginx: unprivileged, loopback, its own prefix -----------------------------------
NG="$OUT/nginx"
WWW="$OUT/www"
rm -rf "$NG" "$WWW"
mkdir -p "$NG/tmp" "$WWW"
RUNAS=""
if [ "$(id -u)" -eq 0 ]; then
	# root: nginx runs as nobody, its prefix theirs, the pages readable
	chown -R nobody:nogroup "$NG"
	RUNAS="setpriv --reuid=nobody --regid=nogroup --clear-groups"
fi
start_nginx() {
	p=$1
	rm -f "$NG/error.log" "$NG/nginx.pid"
	cat >"$NG/nginx.conf" <<EOF
# bench/web/run.sh: nginx for the static reference, started by hand, never a service
daemon off;
worker_processes $WORKERS;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
	default_type text/html;
	charset utf-8;
	sendfile on;
	tcp_nopush on;
	# keep-alive as rongcuo (libmicrohttpd) keeps it: no cap on requests
	keepalive_requests 10000000;
	keepalive_timeout 30s;
	access_log $NG/access.log;
	client_body_temp_path $NG/tmp/body;
	proxy_temp_path $NG/tmp/proxy;
	fastcgi_temp_path $NG/tmp/fastcgi;
	uwsgi_temp_path $NG/tmp/uwsgi;
	scgi_temp_path $NG/tmp/scgi;
	server {
		listen 127.0.0.1:$p;
		root $WWW;
		# the headers rongcuo sends on every response
		add_header X-Content-Type-Options nosniff;
		add_header Referrer-Policy no-referrer;
		add_header X-Frame-Options DENY;
		add_header Content-Security-Policy "default-src 'self'";
		add_header Cache-Control no-store;
	}
}
EOF
	[ -z "$RUNAS" ] || chown nobody:nogroup "$NG/nginx.conf"
	# shellcheck disable=SC2086 # RUNAS is a command and its options
	$RUNAS "$NGINX" -p "$NG" -e "$NG/error.log" -c "$NG/nginx.conf" >"$NG/stdout" 2>&1 &
	nginx_pid=$!
	i=0
	while [ "$i" -lt 50 ]; do
		kill -0 "$nginx_pid" 2>/dev/null || break
		[ -s "$NG/nginx.pid" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	wait "$nginx_pid" 2>/dev/null || true
	nginx_pid=""
	return 1
}
NPORT=""
for p in $(seq 18080 18179); do
	if start_nginx "$p"; then
		NPORT=$p
		break
	fi
	grep -q "Address already in use" "$NG/error.log" "$NG/stdout" 2>/dev/null ||
		fail "nginx did not start: $(tail -n 3 "$NG/error.log" "$NG/stdout" 2>/dev/null)"
done
[ -n "$NPORT" ] || fail "nginx found no free port in 18080..18179"
NU="http://127.0.0.1:$NPORT"
echo "== nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$NPORT (workers: $WORKERS)"

# ---- the runs ------------------------------------------------------------------------
# wrk_run NAME URL [HEADER]: a warm-up, then the measured run; RESULT lines
# in $OUT/wrk-NAME.txt with wrk's own output
wrk_run() {
	w_name=$1 w_url=$2
	shift 2
	if [ "$WARMUP" -gt 0 ]; then
		wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "$@" "$w_url" >/dev/null 2>&1 ||
			fail "wrk (warm-up) against $w_url failed"
	fi
	# shellcheck disable=SC2086 # SERVER_PIDS is a list of pids
	m0=$(machine_cpu) w0=$(children_cpu) s0=$(pids_cpu $SERVER_PIDS)
	wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency -s "$LUA" "$@" "$w_url" \
		>"$OUT/wrk-$w_name.txt" 2>&1 || fail "wrk against $w_url failed: $(tail -n 3 "$OUT/wrk-$w_name.txt")"
	# shellcheck disable=SC2086
	m1=$(machine_cpu) w1=$(children_cpu) s1=$(pids_cpu $SERVER_PIDS)
	# the machine's CPU during the run, in % of all its cores: wrk, the
	# server, and everything else (other work on the machine)
	echo "$m0 $m1 $w0 $w1 $s0 $s1" | awk '{
		all = $4 - $2; if (all <= 0) all = 1
		w = $6 - $5; s = $8 - $7; o = ($3 - $1) - w - s; if (o < 0) o = 0
		printf "RESULT cpu_wrk_pct %.0f\nRESULT cpu_server_pct %.0f\n", 100 * w / all, 100 * s / all
		printf "RESULT cpu_other_pct %.0f\n", 100 * o / all }' >>"$OUT/wrk-$w_name.txt"
}
# CPU time in clock ticks: machine_cpu "busy total" from /proc/stat (with
# the kernel's tick accounting, the softirq time of loopback's packets is
# charged to the process it interrupted: wrk or the server);
# children_cpu the waited-for children of this shell (wrk); pids_cpu the
# processes named (the server: every thread of rongcuo, nginx's master and
# workers)
machine_cpu() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }
children_cpu() { awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$$/stat"; }
pids_cpu() {
	for p in "$@"; do
		cat "/proc/$p/stat" 2>/dev/null || true
	done | awk '{ sub(/^.*\) /, ""); n += $12 + $13 } END { printf "%d\n", n }'
}
res() { sed -n "s/^RESULT $2 //p" "$OUT/wrk-$1.txt"; }
rps() { awk -v n="$(res "$1" requests)" -v d="$(res "$1" duration_us)" 'BEGIN { printf "%.0f", n / (d / 1e6) }'; }
ms() { awk -v u="$(res "$1" "$2")" 'BEGIN { printf "%.2f", u / 1000 }'; }

bad=0
rows=""
cpu=""
notes=""
# page NAME LABEL PATH
page() {
	name=$1 label=$2 path=$3
	echo "== $label: GET $path"
	code=$(curl -s --noproxy '*' --max-time 20 -H "$COOKIE" -o "$WWW/$name.html" -w '%{http_code}' "$U$path") ||
		fail "curl $U$path failed"
	if [ "$code" != 200 ]; then
		case $code in
		404) why="404: the page does not exist yet in this rongcuo (set BENCH_WEB_${name}_PATH to measure another, e.g. /)" ;;
		3??)
			loc=$(curl -s --noproxy '*' -H "$COOKIE" -o /dev/null -w '%{redirect_url}' "$U$path")
			why="$code to $loc"
			case $loc in */login) why="$why: the session was not accepted" ;; esac
			;;
		*) why="status $code" ;;
		esac
		echo "bench-web: GET $path answered $why" >&2
		rows="$rows$(printf '%-14s %8s  %s' "$label" - "not measured: GET $path answered $code")
"
		notes="$notes$label: GET $path answered $why
"
		bad=1
		return 0
	fi
	bytes=$(wc -c <"$WWW/$name.html" | tr -d ' ')
	chmod 644 "$WWW/$name.html"
	ncode=$(curl -s --noproxy '*' --max-time 20 -o "$OUT/body" -w '%{http_code}' "$NU/$name.html")
	[ "$ncode" = 200 ] && cmp -s "$OUT/body" "$WWW/$name.html" || fail "nginx does not serve $name.html (status $ncode)"
	before=$(non200)
	SERVER_PIDS=$serve_pid
	wrk_run "$name-rongcuo" "$U$path" -H "$COOKIE"
	after=$(non200)
	SERVER_PIDS="$nginx_pid $(ps -o pid= --ppid "$nginx_pid" | tr '\n' ' ')"
	wrk_run "$name-nginx" "$NU/$name.html"
	# rongcuo: any status but 200 (a 303 to /login is not counted by wrk);
	# nginx: wrk's count of non-2xx/3xx
	rc_bad=$((after - before + $(res "$name-rongcuo" non2xx3xx)))
	ng_bad=$(res "$name-nginx" non2xx3xx)
	for s in rongcuo nginx; do
		se=$(res "$name-$s" sock_errors)
		[ "$se" -eq 0 ] || notes="$notes$label, $s: $se socket errors (connect/read/write)
"
		to=$(res "$name-$s" timeouts)
		[ "$to" -eq 0 ] || notes="$notes$label, $s: $to requests unanswered after wrk's 2 s timeout: not in req/s, p50 or p99, which are better than the truth
"
	done
	if [ "$rc_bad" -ne 0 ] || [ "$ng_bad" -ne 0 ]; then
		bad=1
		notes="$notes$label: responses other than 200 under load: rongcuo $rc_bad, nginx $ng_bad
"
	fi
	r_rps=$(rps "$name-rongcuo")
	n_rps=$(rps "$name-nginx")
	ratio=$(awk -v a="$r_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')
	rows="$rows$(printf '%-14s %8s  %9s %8s %8s  %9s %8s %8s  %6s' "$label" "$bytes" \
		"$r_rps" "$(ms "$name-rongcuo" p50_us)" "$(ms "$name-rongcuo" p99_us)" \
		"$n_rps" "$(ms "$name-nginx" p50_us)" "$(ms "$name-nginx" p99_us)" "$ratio")
"
	for s in rongcuo nginx; do
		o=$(res "$name-$s" cpu_other_pct)
		[ "$o" -le 10 ] || notes="$notes$label, $s: other processes took $o % of the machine during the run: its figures are skewed
"
		cpu="$cpu$(printf '%-14s %-8s %5s %7s %7s' "$label" "$s" "$(res "$name-$s" cpu_wrk_pct)" \
			"$(res "$name-$s" cpu_server_pct)" "$o")
"
	done
	eval "p99_$name=\$(ms \"\$name-rongcuo\" p99_us)"
	eval "ratio_$name=\$ratio"
}
p99_CASE="" p99_LIST="" ratio_CASE=""
# the 1-minute load before the runs: anything else running skews them
load0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
page CASE "case file" "$CASE_PATH"
page LIST "filtered list" "$LIST_PATH"
# the session must still be alive after the runs
code=$(curl -s --noproxy '*' --max-time 20 -H "$COOKIE" -o /dev/null -w '%{http_code}' "$U/")
[ "$code" = 200 ] || {
	bad=1
	notes="${notes}after the runs GET / answered $code: the session was lost
"
}

# ---- report --------------------------------------------------------------------------
target_p99() {
	[ -n "$2" ] || {
		echo "$1 not measured"
		return
	}
	awk -v l="$1" -v p="$2" 'BEGIN { printf "%s %s ms [%s]", l, p, (p < 20) ? "met" : "not met" }'
}
{
	echo "rongcuo $(git describe --always --dirty 2>/dev/null || echo '(not a git work tree)') ($BUILD), $N cases; nginx $("$NGINX" -v 2>&1 | sed 's/.*\///'), static file of the same bytes"
	echo "wrk -t$THREADS -c$CONNS -d${SECS}s (after ${WARMUP}s of warm-up), loopback; $(nproc) cores shared by wrk and the server"
	echo "rongcuo serve ${BENCH_WEB_SERVE_ARGS:-(its defaults)}; $(git rev-parse --short HEAD 2>/dev/null || echo "?")"
	echo "1-minute load average before the runs: $load0 (other work on the machine skews the figures)"
	echo "case file:     GET $CASE_PATH"
	echo "filtered list: GET $LIST_PATH"
	echo
	printf '%-14s %8s  %9s %8s %8s  %9s %8s %8s  %6s\n' "" "" "rongcuo" "" "" "nginx" "" "" "ratio"
	printf '%-14s %8s  %9s %8s %8s  %9s %8s %8s  %6s\n' page bytes "req/s" "p50 ms" "p99 ms" "req/s" "p50 ms" "p99 ms" "rc/ng"
	printf '%s' "$rows"
	if [ -n "$cpu" ]; then
		echo
		echo "CPU of the machine during each measured run, in % of its $(nproc) cores:"
		printf '%-14s %-8s %5s %7s %7s\n' page run wrk server other
		printf '%s' "$cpu"
	fi
	echo
	echo "target p99 < 20 ms:   $(target_p99 "case file" "$p99_CASE"); $(target_p99 "filtered list" "$p99_LIST")"
	if [ -n "$ratio_CASE" ]; then
		echo "target >= 0.30 of nginx on the case-file page: $ratio_CASE [$(awk -v r="$ratio_CASE" 'BEGIN { print (r >= 0.30) ? "met" : "not met" }')]"
	else
		echo "target >= 0.30 of nginx on the case-file page: not measured"
	fi
	[ -z "$notes" ] || printf '\n%s' "$notes"
} | tee "$OUT/result.txt"
exit "$bad"
