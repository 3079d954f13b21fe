#!/bin/sh
# Accounts on the command line: `user passwd` reads the new password as one
# line of standard input, never from the arguments, and refuses one too
# short, too long, missing, or for an unknown user; `user disable` refuses
# the user's next command and a second disable; both are audited, and the
# password is nowhere in the data directory.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/user.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/data"
rc_() { "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
# rcin INPUT ARGS...: as rc_, with INPUT on standard input
rcin() {
	input=$1
	shift
	printf '%s' "$input" | "$BIN" "$@" --data "$D" >"$T/out" 2>"$T/err"
	echo $? >"$T/rc"
}
want() {
	got=$(cat "$T/rc")
	[ "$got" -eq "$1" ] || bad "$3: exited $got, wanted $1: $(head -n 2 "$T/err")"
	[ -z "$2" ] || cat "$T/out" "$T/err" | grep -q -F -- "$2" || bad "$3: lacks '$2'"
}
NL='
'
PW='correct horse battery staple'
rc_ db init
rc_ org add XX 某县 county
rc_ person add 张三 --org XX
rc_ user add li 李四 --org XX --role 承办单位
rc_ user add wang 王五 --org XX --role 党委; want 0 "user wang added" "set-up"

# the password: one line of standard input
rcin "$PW$NL" user passwd li; want 0 "password of user li set; their sessions were revoked" "passwd"
rcin "$PW" user passwd li; want 0 "password of user li set" "passwd without a final newline"
rcin "twelve bytes$(printf '\r')$NL" user passwd li; want 0 "" "passwd ending in CR LF"
rcin "$PW$NL" user passwd li --must-change
want 0 "(to be changed at the next log-in)" "passwd --must-change"
rcin "$PW$NL" user passwd li --as wang; want 0 "" "passwd --as"
rcin "eleven byte$NL" user passwd li; want 3 "it must be 12 to 1024 bytes" "a short password"
long=$(head -c 1025 /dev/zero | tr '\0' x)
rcin "$long$NL" user passwd li; want 3 "1025 bytes long" "a password of 1025 bytes"
longer=$(head -c 3000 /dev/zero | tr '\0' x)
rcin "$longer$NL" user passwd li; want 3 "longer than 1024 bytes" "a password of 3000 bytes"
rcin "" user passwd li; want 3 "no password on standard input" "no input"
rcin "$PW$NL" user passwd nobody; want 3 "no user 'nobody'" "an unknown user"
# never from the arguments
rc_ user passwd li "$PW"; want 2 "too many arguments" "a password given as an argument"
rc_ user passwd; want 2 "usage: rongcuo user" "passwd without a login"
rc_ user passwd li --org XX; want 2 "" "passwd with an option of add"

# the audit rows: who set it, and nothing of the password
"$BIN" audit list --action user.password --data "$D" >"$T/list" || bad "audit list failed"
n=$(grep -c "user.password	user:li" "$T/list")
[ "$n" -eq 5 ] || bad "$n user.password rows, wanted 5: $(cat "$T/list")"
grep -q "	wang	党委	XX	user.password	user:li" "$T/list" || bad "passwd --as wang: not in its row"
grep -q "	cli	cli	-	user.password	user:li" "$T/list" || bad "passwd without --as: not cli"
if grep -r -a -q -F -- "$PW" "$D"; then bad "the password is in the data directory"; fi

# disable: the user's next command is refused
rc_ case open --as li --person 1 --path application --handling XX --today 2024-03-20
want 0 "" "case open before the disable"
rc_ user disable li; want 0 "user li disabled; their sessions were revoked" "disable"
rc_ case open --as li --person 1 --path application --handling XX --today 2024-03-21
want 3 "user 'li' is disabled" "case open by a disabled user"
rc_ user disable li; want 3 "user 'li' is already disabled" "a second disable"
rc_ user disable nobody; want 3 "no user 'nobody'" "disable an unknown user"
rc_ user disable; want 2 "usage: rongcuo user" "disable without a login"
rc_ user disable li wang; want 2 "too many arguments" "disable with two logins"
rc_ user disable wang --must-change; want 2 "" "disable --must-change"
rc_ user frobnicate li; want 2 "usage: rongcuo user" "an unknown sub-command"
rc_ audit list --action user.disable; want 0 "cli	cli	-	user.disable	user:li" "the disable's row"
# a disabled user's password can still be set (before it is enabled again)
rcin "$PW$NL" user passwd li; want 0 "" "passwd of a disabled user"
# enable: the user acts again; a second enable is refused
rc_ user enable li; want 0 "user li enabled" "enable"
rc_ case open --as li --person 1 --path application --handling XX --today 2024-03-21
want 0 "" "case open after the enable"
rc_ user enable li; want 3 "user 'li' is not disabled" "a second enable"
rc_ audit list --action user.enable; want 0 "user.enable	user:li" "the enable's row"
# reset-totp: nothing to remove from a user who never enrolled
rc_ user reset-totp li; want 3 "user 'li' has no authenticator to remove" "reset-totp, none"
rc_ user reset-totp nobody; want 3 "no user 'nobody'" "reset-totp, an unknown user"
rc_ audit verify; want 0 "" "audit verify"
rc_ user --help; want 0 "user passwd LOGIN [--must-change]" "help"
finish "user: ok"
