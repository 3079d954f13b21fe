#!/bin/sh
# The data directory end to end: db init|migrate|check, org add|list,
# person add, audit verify; the refusals and their messages; the ways the
# data directory is found; and, when the sqlite3 command-line tool is
# present, tampering with the database behind rongcuo's back.
# Run from the repository root: BIN=build/rongcuo sh tests/cli/db.sh
. "$(dirname "$0")/lib.sh.inc"
D="$T/d"
# RC_BACKEND=postgresql: scripts/test-pg.sh runs this script with every data
# directory on a PostgreSQL database of its own (tests/pg/rongcuo-pg.sh)
pg=0
[ "${RC_BACKEND:-sqlite}" = postgresql ] && pg=1
# dbfile WHAT DIR: the database of DIR is where db init said (rongcuo.db, or
# db.url naming the PostgreSQL database)
dbfile() {
	if [ $pg = 1 ]; then
		has "postgresql://" "$1: the database URL"
		[ -f "$2/db.url" ] || bad "$1: no $2/db.url"
		[ "$(stat -c %a "$2/db.url")" = 600 ] || bad "$1: db.url is not mode 600"
	else
		has "$2/rongcuo.db" "$1: the database path"
		[ -f "$2/rongcuo.db" ] || bad "$1: no $2/rongcuo.db"
	fi
}

# err FIXED-STRING WHAT: the last run's stderr contains FIXED-STRING
err() { grep -q -F -- "$1" "$T/err" || bad "$2: stderr lacks '$1': $(head -n 2 "$T/err")"; }
# quiet WHAT: the last run wrote nothing to stderr
quiet() { [ -s "$T/err" ] && bad "$1: wrote to stderr: $(head -n 1 "$T/err")"; }
# erun WANT VAR=VALUE... ARGS...: run rongcuo with those environment variables
erun() {
	want=$1
	shift
	vars=""
	while [ $# -gt 0 ]; do
		case $1 in
		*=*) vars="$vars $1" ;;
		*) break ;;
		esac
		shift
	done
	# shellcheck disable=SC2086
	env $vars "$BIN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq "$want" ] || {
		bad "$vars rongcuo $* exited $rc, wanted $want"
		sed -n '1,5p' "$T/err"
	}
}

# Keep the user's own data directory out of reach of every command below.
RONGCUO_DATA="$T/never-used"
XDG_DATA_HOME="$T/never-used-xdg"
HOME="$T/never-used-home"
export RONGCUO_DATA XDG_DATA_HOME HOME

# -- before db init: every command says to run it (exit 3)
for cmd in "db check" "db migrate" "audit verify" "org list" "org add ZJ 浙江省 province" \
	"person add 张三 --org ZJ"; do
	# shellcheck disable=SC2086
	run 3 $cmd --data "$D"
	err "db init" "$cmd before db init"
	err "$D" "$cmd before db init: names the directory"
done
[ -e "$D" ] && bad "commands before db init created $D"

# -- db init
run 0 db init --data "$D"
has "initialised $D" "db init"
dbfile "db init" "$D"
has "$D/audit.key" "db init: the key path"
quiet "db init"
[ "$(stat -c %a "$D/audit.key")" = 600 ] || bad "db init: audit.key has mode $(stat -c %a "$D/audit.key"), not 600"
[ "$(stat -c %a "$D")" = 700 ] || bad "db init: $D has mode $(stat -c %a "$D"), not 700"
grep -q -x -E '[0-9a-f]{64}' "$D/audit.key" || bad "db init: audit.key is not 64 hex digits"
cp "$D/audit.key" "$T/key.saved"

# a second init is refused and changes nothing
run 3 db init --data "$D"
err "already initialised" "second db init"
cmp -s "$D/audit.key" "$T/key.saved" || bad "second db init: the key changed"
# a new data directory on a database already initialised is refused (its
# chain was made under another key), and leaves nothing behind
src="$D/rongcuo.db"
[ -e "$D/db.url" ] && src=$(cat "$D/db.url")
run 3 db init --data "$T/second" --db "$src"
err "is already initialised" "db init on an initialised database"
[ -e "$T/second/audit.key" ] || [ -e "$T/second/db.url" ] &&
	bad "db init on an initialised database left files behind: $(ls "$T/second")"
# db.url may hold a password: it must be private, as the key
if [ -e "$D/db.url" ]; then
	chmod 644 "$D/db.url"
	run 3 org list --data "$D"
	err "readable by others" "a db.url readable by others"
	chmod 600 "$D/db.url"
fi
run 0 db migrate --data "$D"
has "is current" "db migrate on a current database"
run 0 audit verify --data "$D"
has "audit chain verified: 0 rows" "audit verify (empty)"

# -- the organisation tree
run 0 org add ZJ 浙江省 province --data "$D"
has "organisation ZJ added (id 1)" "org add ZJ"
run 0 org add HZ 杭州市 city --parent ZJ --as alice --data "$D"
has "organisation HZ added (id 2)" "org add HZ"
run 0 org add XH 西湖区 county --parent HZ --data "$D"
run 0 org add XHJ 西湖区纪委 unit --parent XH --data "$D"
run 0 org add NB 宁波市 city --parent ZJ --data "$D"

# refusals: level order, bad level, unknown parent, duplicate code
run 3 org add BAD 坏市 city --parent XH --data "$D"
err "a city cannot sit under 'XH', a county: a child is below its parent's level" "city under a county"
run 3 org add BAD2 坏县 county --parent XH --data "$D"
err "a county cannot sit under 'XH', a county" "county under a county"
run 3 org add BAD3 坏省 province --parent ZJ --data "$D"
err "cannot sit under 'ZJ'" "province under a province"
run 3 org add BAD4 坏 galaxy --data "$D"
err "level 'galaxy' is not one of: province, city, county, unit" "unknown level"
run 3 org add BAD5 坏 city --parent NOPE --data "$D"
err "no organisation with code 'NOPE'" "unknown parent"
run 3 org add HZ 又一个杭州 city --parent ZJ --data "$D"
err "organisation code 'HZ' is taken" "duplicate code"
run 2 org add ONLY-TWO 二 --data "$D"

# -- people
run 3 person add 张三 --org NOPE --data "$D"
err "no organisation with code 'NOPE'" "person in an unknown organisation"
run 0 person add 张三 --org XH --post 局长 --rank 正处 --data "$D"
has "person 张三 added (id 1)" "person add"
run 2 person add 李四 --data "$D" # --org is required

# -- org list: code, level, parent, name, in the order added
run 0 org list --data "$D"
quiet "org list"
[ "$(wc -l <"$T/out")" -eq 5 ] || bad "org list: $(wc -l <"$T/out") lines, wanted 5"
grep -q -E '^ZJ +province +- +浙江省$' "$T/out" || bad "org list: no ZJ line"
grep -q -E '^HZ +city +ZJ +杭州市$' "$T/out" || bad "org list: no HZ line"
grep -q -E '^XH +county +HZ +西湖区$' "$T/out" || bad "org list: no XH line"
grep -q -E '^XHJ +unit +XH +西湖区纪委$' "$T/out" || bad "org list: no XHJ line"
[ "$(cut -d ' ' -f 1 "$T/out" | tr '\n' ' ')" = "ZJ HZ XH XHJ NB " ] ||
	bad "org list: not in the order added: $(cut -d ' ' -f 1 "$T/out" | tr '\n' ' ')"
grep -q "BAD\|又一个" "$T/out" && bad "org list: a refused organisation is listed"

# -- the audit chain: one row per accepted change (5 orgs, 1 person), none
#    for the refused ones
run 0 audit verify --data "$D"
has "audit chain verified: 6 rows" "audit verify"
quiet "audit verify"
run 0 db check --data "$D"
has "integrity ok, foreign keys ok" "db check"
has "audit chain of 6 rows verified" "db check"
[ -f "$D/audit.head" ] || bad "no audit.head after changes"
grep -q -x -E '6 [0-9a-f]{64} [0-9a-f]{64}' "$D/audit.head" || bad "audit.head does not record row 6 (seq, MAC, its own MAC): $(cat "$D/audit.head")"

# -- finding the data directory: --data, else $RONGCUO_DATA, else
#    $XDG_DATA_HOME/rongcuo, else ~/.local/share/rongcuo
erun 0 RONGCUO_DATA="$D" org list
grep -q '^ZJ ' "$T/out" || bad "RONGCUO_DATA is not honoured"
erun 0 RONGCUO_DATA="$D" audit verify
has "6 rows" "audit verify through RONGCUO_DATA"
erun 0 RONGCUO_DATA="$T/elsewhere" org list --data "$D"
grep -q '^ZJ ' "$T/out" || bad "--data does not win over RONGCUO_DATA"
erun 3 RONGCUO_DATA="$T/elsewhere" org list
err "$T/elsewhere" "an uninitialised RONGCUO_DATA is named"
erun 0 RONGCUO_DATA= XDG_DATA_HOME="$T/xdg" db init
dbfile "db init under XDG_DATA_HOME" "$T/xdg/rongcuo"
erun 0 RONGCUO_DATA= XDG_DATA_HOME= HOME="$T/home" db init
dbfile "db init under HOME" "$T/home/.local/share/rongcuo"
erun 0 RONGCUO_DATA= XDG_DATA_HOME= HOME="$T/home" org list
[ -e "$T/never-used" ] || [ -e "$T/never-used-xdg" ] || [ -e "$T/never-used-home" ] &&
	bad "a command used a data directory it was not given"

# -- help and usage errors
for c in db audit org person; do
	run 0 "$c" --help
	[ "$rc" -eq 0 ] || continue
	grep -q "^usage: rongcuo $c" "$T/out" || bad "$c --help: no usage on stdout"
	quiet "$c --help"
done
run 0 db init --help
has "usage: rongcuo db" "db init --help"
run 0 audit verify --help
has "usage: rongcuo audit verify" "audit verify --help"
run 0 org add --help
run 0 person add --help
run 2 db frob --data "$D"
err "unknown sub-command 'frob'" "db frob"
run 2 audit frob --data "$D"
run 2 org frob --data "$D"
run 2 person frob --data "$D"
run 2 db check --bogus --data "$D"
run 2 db check extra --data "$D"
run 2 db
run 2 audit
run 2 org
run 2 person

# -- tampering behind rongcuo's back (the sqlite3 command-line tool); on
#    PostgreSQL the audit table refuses UPDATE and DELETE itself, which
#    tests/pg/test_pg.c checks
[ $pg = 1 ] && finish "db: ok (the SQLite file checks do not apply on postgresql)"
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "note: sqlite3 (the command-line tool) is not installed; the tampering checks" \
		"are skipped (scripts/deps.sh installs the Debian package sqlite3)"
	finish "db: ok (tampering skipped)"
fi
[ "$(sqlite3 "$D/rongcuo.db" "SELECT user FROM audit WHERE seq = 2")" = alice ] ||
	bad "--as alice is not the audit row's user"

# tamper NAME SQL: a copy of the data directory in $T/NAME, changed by SQL
tamper() {
	rm -rf "${T:?}/$1"
	cp -R "$D" "$T/$1"
	sqlite3 "$T/$1/rongcuo.db" "$2" >/dev/null || bad "tamper $1: sqlite3 failed"
}
# broken NAME ROW TEXT: audit verify and db check exit 1, naming ROW and TEXT
broken() {
	run 1 audit verify --data "$T/$1"
	err "row $2" "audit verify ($1)"
	err "$3" "audit verify ($1)"
	run 1 db check --data "$T/$1"
	err "row $2" "db check ($1)"
}

tamper edit "UPDATE audit SET user = 'mallory' WHERE seq = 3"
broken edit 3 "does not match its MAC"
tamper edit-mac "UPDATE audit SET mac = replace(mac, substr(mac, 1, 1), 'x') WHERE seq = 5"
broken edit-mac 5 "chain broken"
tamper delete "DELETE FROM audit WHERE seq = 2"
broken delete 3 "missing before it"
tamper delete-last "DELETE FROM audit WHERE seq = 6"
broken delete-last 6 "the newest rows were deleted"
tamper insert "INSERT INTO audit SELECT 7, at, user, role, org, action, object, before, after,
	request_id, prev_mac, mac FROM audit WHERE seq = 4"
broken insert 7 "does not follow"
tamper swap "UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 4;
	UPDATE audit SET seq = 4 WHERE seq = -1"
broken swap 2 "chain broken"
tamper wipe "DELETE FROM audit"
broken wipe 6 "the newest rows were deleted"

# a foreign-key problem is db check's, not the audit chain's
tamper orphan "PRAGMA foreign_keys = OFF; INSERT INTO people(name, org_id) VALUES ('无主', 999)"
run 1 db check --data "$T/orphan"
err "foreign_key_check" "db check (orphan)"
err "people row 2 refers to a missing orgs" "db check (orphan)"
run 0 audit verify --data "$T/orphan"

# a newer schema than this rongcuo knows is refused, and the message does
# not send the user to `db migrate`, which cannot help
tamper newer "UPDATE meta SET value = '999' WHERE key = 'schema_version'"
run 3 db migrate --data "$T/newer"
err "newer than this rongcuo" "db migrate (newer schema)"
run 3 org list --data "$T/newer"
err "999" "org list (newer schema)"

# db migrate brings a database made by the first release (schema 1: the SQL
# of migration 1, which is never edited once released) up to date, and the
# data directory is usable afterwards
mkdir -m 700 "$T/old"
cp "$D/audit.key" "$T/old/audit.key"
sqlite3 "$T/old/rongcuo.db" >/dev/null <<'SQL' || bad "could not make a schema-1 database"
PRAGMA journal_mode = WAL;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE orgs(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
 level TEXT NOT NULL CHECK(level IN ('province','city','county','unit')),
 parent_id INTEGER REFERENCES orgs(id));
CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT NOT NULL,
 org_id INTEGER NOT NULL REFERENCES orgs(id), post TEXT, rank TEXT);
CREATE TABLE users(id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
 org_id INTEGER NOT NULL REFERENCES orgs(id), role TEXT NOT NULL,
 disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE cases(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,
 person_id INTEGER REFERENCES people(id), org_id INTEGER REFERENCES orgs(id),
 start_path TEXT NOT NULL CHECK(start_path IN ('application','ex_officio')),
 source TEXT, accountability_ref TEXT,
 handling_org_id INTEGER NOT NULL REFERENCES orgs(id),
 committee_org_id INTEGER REFERENCES orgs(id), policy_series TEXT NOT NULL,
 policy_version TEXT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL,
 updated_at TEXT NOT NULL, prepared_by INTEGER REFERENCES users(id),
 row_version INTEGER NOT NULL DEFAULT 1,
 CHECK(person_id IS NOT NULL OR org_id IS NOT NULL));
CREATE INDEX cases_by_org ON cases(handling_org_id, state);
CREATE TABLE audit(seq INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL,
 role TEXT NOT NULL, org TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,
 before TEXT NOT NULL, after TEXT NOT NULL, request_id TEXT NOT NULL,
 prev_mac TEXT NOT NULL, mac TEXT NOT NULL);
INSERT INTO meta(key, value) VALUES ('schema_version', '1');
SQL
run 0 db migrate --data "$T/old"
has "migrated schema 1 ->" "db migrate (schema 1)"
run 0 org add ZJ 浙江省 province --data "$T/old"
run 0 db check --data "$T/old"

# a key readable by others is refused
tamper open-key "SELECT 1"
chmod 644 "$T/open-key/audit.key"
run 3 audit verify --data "$T/open-key"
err "chmod 600" "audit verify (key mode 644)"

# the original is untouched by all of this
run 0 db check --data "$D"

finish "db: ok"
