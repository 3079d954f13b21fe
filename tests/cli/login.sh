#!/bin/sh
# The web log-in end to end on loopback, with curl and oathtool: the first
# start without an organisation says how to add the root and still serves
# /healthz; the next start prints the three administrators' one-time
# passwords once, on stdout; a first log-in goes one-time password -> TOTP
# enrolment -> log-in with the next code -> forced password change -> 首页;
# the session cookie is HttpOnly, SameSite=Strict, Path=/, without Expires;
# logout kills the cookie at the next request, and so does a disable from
# the command line; a wrong password and an unknown user get byte-identical
# answers; POSTs without or with a wrong CSRF token are 403 and change
# nothing; no password, TOTP secret or session id reaches the log.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/login.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
LOG="$T/serve.log"
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
command -v oathtool >/dev/null 2>&1 || {
	echo "FAIL: oathtool is not installed (scripts/deps.sh)"
	exit 1
}

# start: serve on a free port, stdout in $T/serve.out; sets pid and U
start() {
	serve_start "$LOG" "$T/serve.out" --data "$D" "$@"
	if [ -z "$port" ]; then
		bad "serve did not start: $(head -n 5 "$LOG")"
		finish "login: failed to start"
	fi
	U="http://127.0.0.1:$port"
}
# stop: SIGTERM, exit 0
stop() {
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	pid=""
	[ "$rc" -eq 0 ] || bad "serve exited $rc after SIGTERM"
}
# req JAR [CURL-ARGS...] PATH: one request with cookie jar JAR (- for
# none); status in $code, headers (CR stripped) in $T/h, body in $T/b
req() {
	jar=$1
	shift
	if [ "$jar" = - ]; then
		set -- "$@"
	else
		set -- -b "$jar" -c "$jar" "$@"
	fi
	curl -s -S --noproxy '*' --max-time 20 -D "$T/h.raw" -o "$T/b" -w '%{http_code}' "$@" \
		>"$T/code" 2>"$T/curl.err" || bad "curl $*: $(cat "$T/curl.err")"
	tr -d '\r' <"$T/h.raw" >"$T/h"
	code=$(cat "$T/code")
}
header() { sed -n "s/^$1: //Ip" "$T/h" | head -n 1; }
# csrf: the token of the last page's first form
csrf() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/b" | head -n 1; }
body_has() { grep -q -F -- "$1" "$T/b" || bad "$2: the page lacks '$1'"; }
want() { [ "$code" = "$1" ] || bad "$2: status $code, wanted $1"; }
location() { [ "$(header Location)" = "$1" ] || bad "$2: Location '$(header Location)', wanted '$1'"; }
# session_of JAR: the rc_session value in a curl cookie jar
session_of() { awk '$6 == "rc_session" { print $7 }' "$1"; }
code_at() { oathtool --totp -b -N "@$(($(date +%s) + $2))" "$1"; }

# -- usage errors of the session options
run 2 serve --idle-timeout 10 --data "$D"
run 2 serve --idle-timeout 2h --session-lifetime 1h --data "$D"
run 2 serve --session-lifetime forever --data "$D"

# -- the first start without an organisation: explained, /healthz served
run 0 db init --data "$D"
start
sleep 0.3
grep -q -F "rongcuo org add" "$T/serve.out" || bad "no org: not told how to add the root: $(cat "$T/serve.out")"
req - "$U/healthz"
want 200 "/healthz without an organisation"
stop
run 0 org add XX 某省纪委 province --data "$D"

# -- the next start makes the three administrators, their passwords on stdout only
start --idle-timeout 30m --session-lifetime 12h
i=0
while [ "$i" -lt 50 ] && ! grep -q "first log-in" "$T/serve.out"; do
	sleep 0.1
	i=$((i + 1))
done
pw_of() { sed -n "s/^  $1  *[^ ]*  *\([A-Z2-7-]*\)\$/\1/p" "$T/serve.out"; }
P1=$(pw_of sysadmin)
P2=$(pw_of secadmin)
P3=$(pw_of auditadmin)
if [ -z "$P1" ] || [ -z "$P2" ] || [ -z "$P3" ]; then
	bad "bootstrap: three passwords not printed: $(cat "$T/serve.out")"
fi
grep -q -F "须修改此密码并绑定动态口令" "$T/serve.out" || bad "bootstrap: the first log-in's duties not said"

# first_login LOGIN ONE-TIME-PASSWORD NEW-PASSWORD JAR: the whole first
# log-in; leaves the user on 首页 with a session in JAR, its secret in $secret
first_login() {
	rm -f "$4"
	req "$4" "$U/login"
	want 200 "$1: GET /login"
	grep -q -F 'rc_pre=' "$T/h" || bad "$1: GET /login sets no pre-session cookie"
	tok=$(csrf)
	req "$4" --data-urlencode "csrf=$tok" --data-urlencode "login=$1" \
		--data-urlencode "password=$2" --data-urlencode "code=" "$U/login"
	want 200 "$1: log-in with the one-time password"
	body_has "绑定动态口令" "$1: enrolment"
	secret=$(sed -n 's/.*<p class="secret"><code>\([A-Z2-7]*\)<\/code>.*/\1/p' "$T/b")
	[ -n "$secret" ] || bad "$1: no TOTP secret on the enrolment page"
	body_has "otpauth://totp/" "$1: no otpauth URI"
	tok=$(csrf)
	# a wrong code: the code form again, the secret not shown twice
	req "$4" --data-urlencode "csrf=$tok" --data-urlencode "login=$1" \
		--data-urlencode "code=12345x" "$U/enrol"
	want 200 "$1: enrolment with a wrong code"
	body_has "登录失败" "$1: enrolment with a wrong code"
	grep -q -F "$secret" "$T/b" && bad "$1: the secret shown again"
	req "$4" --data-urlencode "csrf=$tok" --data-urlencode "login=$1" \
		--data-urlencode "code=$(code_at "$secret" 0)" "$U/enrol"
	want 200 "$1: enrolment"
	body_has "动态口令已绑定" "$1: enrolment confirmed"
	tok=$(csrf)
	# the enrolment spent the current code: the next one (±1 step is taken)
	req "$4" --data-urlencode "csrf=$tok" --data-urlencode "login=$1" \
		--data-urlencode "password=$2" --data-urlencode "code=$(code_at "$secret" 30)" \
		"$U/login"
	want 303 "$1: log-in with the next code"
	location /password "$1: log-in with a one-time password"
	cp "$T/h" "$T/login.h"
	req "$4" "$U/"
	want 303 "$1: 首页 before the password change"
	location /password "$1: 首页 before the password change"
	req "$4" "$U/password"
	want 200 "$1: GET /password"
	body_has "请先设置新密码" "$1: the forced change"
	tok=$(csrf)
	req "$4" --data-urlencode "csrf=$tok" --data-urlencode "new=$3" \
		--data-urlencode "again=$3" "$U/password"
	want 303 "$1: password change"
	location / "$1: password change"
	req "$4" "$U/"
	want 200 "$1: 首页"
}

NP1='新的密码 sysadmin 2024'
first_login sysadmin "$P1" "$NP1" "$T/j1"
S1=$secret
body_has "<h1>首页</h1>" "首页"
body_has "sysadmin" "首页: the login"
body_has "系统管理员" "首页: the role"
body_has "某省纪委" "首页: the organisation"
body_has ">退出</button>" "首页: the 退出 button"
grep -q '^Content-Type: text/html; charset=utf-8$' "$T/h" || bad "首页: Content-Type"
# the session cookie's attributes
sc=$(grep -i '^Set-Cookie: rc_session=' "$T/login.h")
case $sc in *"; HttpOnly"*) ;; *) bad "rc_session without HttpOnly: $sc" ;; esac
case $sc in *"; SameSite=Strict"*) ;; *) bad "rc_session without SameSite=Strict: $sc" ;; esac
case $sc in *"; Path=/"*) ;; *) bad "rc_session without Path=/: $sc" ;; esac
case $sc in *Expires* | *Max-Age*) bad "rc_session is not a session cookie: $sc" ;; esac
sid1=$(session_of "$T/j1")
printf '%s\n' "$sid1" | grep -q -x '[0-9a-f]\{32\}' || bad "rc_session '$sid1' is not 32 hex digits"
req - "$U/static/app.css"
want 200 "/static/app.css"

# -- CSRF on a session: no token, a wrong one, another session's -> 403, nothing changed
req "$T/j1" --data-urlencode "new=不该生效的密码 123456" --data-urlencode "again=不该生效的密码 123456" "$U/password"
want 403 "POST /password without a token"
req "$T/j1" --data-urlencode "csrf=$(printf '%064d' 0)" --data-urlencode "new=不该生效的密码 123456" \
	--data-urlencode "again=不该生效的密码 123456" "$U/password"
want 403 "POST /password with a wrong token"
req "$T/j1" "$U/password"
good_tok=$(csrf)
req "$T/j1" --data-urlencode "csrf=$good_tok" --data-urlencode "new=短" --data-urlencode "again=短" "$U/password"
want 400 "a short password"
body_has "12 至 1024 字节" "a short password: the message next to the field"
req "$T/j1" --data-urlencode "csrf=$good_tok" --data-urlencode "new=一二三四五六七八" \
	--data-urlencode "again=一二三四五六七九" "$U/password"
want 400 "two different passwords"
body_has "两次输入的新密码不一致" "two different passwords: the message"
req "$T/j1" --data "csrf=" "$U/logout"
want 403 "POST /logout with an empty token"
req "$T/j1" "$U/"
want 200 "首页 after the refused POSTs"

# -- log-in CSRF: a form without the pre-session cookie or token is refused
req - --data-urlencode "login=secadmin" --data-urlencode "password=$P2" "$U/login"
want 403 "POST /login without cookie or token"
rm -f "$T/j9"
req "$T/j9" "$U/login"
req "$T/j9" --data-urlencode "login=secadmin" --data-urlencode "password=$P2" "$U/login"
want 403 "POST /login without a token"
req "$T/j9" --data-urlencode "csrf=$good_tok" --data-urlencode "login=secadmin" \
	--data-urlencode "password=$P2" "$U/login"
want 403 "POST /login with a session's token"
grep -q -F "绑定动态口令" "$T/b" && bad "a refused log-in went on to the enrolment"

# -- wrong password and unknown user: the same answer, byte for byte
req "$T/j9" "$U/login"
tok=$(csrf)
req "$T/j9" --data-urlencode "csrf=$tok" --data-urlencode "login=auditadmin" \
	--data-urlencode "password=wrong password 1" --data-urlencode "code=123456" "$U/login"
c1=$code
cp "$T/b" "$T/fail1"
grep -i '^Set-Cookie' "$T/h" >"$T/fail1.h"
req "$T/j9" --data-urlencode "csrf=$tok" --data-urlencode "login=nobody" \
	--data-urlencode "password=wrong password 1" --data-urlencode "code=123456" "$U/login"
grep -i '^Set-Cookie' "$T/h" >"$T/fail2.h"
[ "$c1" = "$code" ] || bad "wrong password $c1, unknown user $code"
cmp -s "$T/fail1" "$T/b" || bad "wrong password and unknown user: the pages differ"
cmp -s "$T/fail1.h" "$T/fail2.h" || bad "wrong password and unknown user: the cookies differ"
grep -q -F "登录失败" "$T/b" || bad "a failed log-in does not say so"
grep -q -F "nobody" "$T/b" && bad "the failed log-in page repeats the login"
req "$T/j9" --data-urlencode "csrf=$tok" --data-urlencode "login=sysadmin" \
	--data-urlencode "password=$NP1" --data-urlencode "code=000000" "$U/login"
cmp -s "$T/fail1" "$T/b" || bad "a wrong code: not the same page"

# -- logout: the cookie no longer works, at once
req "$T/j1" "$U/"
tok=$(csrf)
req "$T/j1" --data-urlencode "csrf=$tok" "$U/logout"
want 303 "logout"
location /login "logout"
grep -q -i '^Set-Cookie: rc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0' "$T/h" ||
	bad "logout does not delete the cookie: $(grep -i Set-Cookie "$T/h")"
req - -H "Cookie: rc_session=$sid1" "$U/"
want 303 "the old session after logout"
location /login "the old session after logout"
req - -H "Cookie: rc_session=$sid1" --data-urlencode "csrf=$tok" "$U/logout"
want 303 "logout again with the old cookie"
# hostile cookies: duplicated, quoted, long
req - -H "Cookie: rc_session=$sid1; rc_session=$sid1" "$U/"
want 303 "a duplicated cookie"
long=$(head -c 9000 /dev/zero | tr '\0' a)
req - -H "Cookie: x=$long" "$U/"
want 303 "a long Cookie header"

# -- a disabled user's session stops at the next request
first_login secadmin "$P2" '安全管理员的新密码 2024' "$T/j2"
S2=$secret
sid2=$(session_of "$T/j2")
req "$T/j2" "$U/"
want 200 "secadmin: 首页 before the disable"
run 0 user disable secadmin --data "$D"
req "$T/j2" "$U/"
want 303 "secadmin: 首页 after the disable"
location /login "secadmin: after the disable"

# -- GET /login with a live session goes home
first_login auditadmin "$P3" '审计管理员的新密码 2024' "$T/j3"
S3=$secret
sid3=$(session_of "$T/j3")
req "$T/j3" "$U/login"
want 303 "GET /login with a session"
location / "GET /login with a session"

stop
# -- nothing secret in the log; passwords not on stdout twice
for s in "$P1" "$P2" "$P3" "$NP1" "$S1" "$S2" "$S3" "$sid1" "$sid2" "$sid3" "新的密码" "安全管理员的新密码"; do
	[ -n "$s" ] || continue
	grep -q -F -- "$s" "$LOG" && bad "a secret is in the server log: ${s%"${s#????}"}..."
done
# every line of the log is one JSON object
grep -v -x '{"time":"[^"]*Z","event":"[a-z_]*".*}' "$LOG" | grep -q . &&
	bad "log lines that are not JSON objects: $(grep -v '^{"time"' "$LOG" | head -n 3)"
# a third start makes nothing and prints nothing
start
sleep 0.3
stop
[ -s "$T/serve.out" ] && bad "a later start printed: $(head -n 3 "$T/serve.out")"
finish "login: ok"
