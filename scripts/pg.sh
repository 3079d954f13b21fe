#!/bin/sh
# scripts/pg.sh -- a throwaway PostgreSQL cluster for the tests and benchmarks.
#
#   scripts/pg.sh start DIR    initdb a cluster in DIR (created; must not hold
#                              one) and start it, listening on a unix socket in
#                              DIR only (no TCP port); prints the URL to use
#                              with --db, postgresql:///postgres?host=DIR&user=rongcuo
#   scripts/pg.sh url DIR      print that URL again
#   scripts/pg.sh createdb DIR NAME   a fresh database NAME; prints its URL
#   scripts/pg.sh stop DIR     stop the cluster (fast shutdown) and remove DIR
#   scripts/pg.sh crash DIR    stop it with an immediate shutdown (no checkpoint,
#                              as a power cut would) and start it again
#
# The server binaries come from Debian's postgresql-15 (scripts/deps.sh
# installs it).  PostgreSQL refuses to run as root: when run by root, the
# cluster belongs to the `postgres` user the package creates, and the tests
# (as root) reach it through the socket with trust authentication, which is
# safe because the socket lives in DIR, mode 0700 apart from the server's
# own user.  The superuser is `rongcuo`.
set -eu
# the cluster's files and socket are private: trust authentication is safe
# only while no other user can reach the socket
umask 077

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
die() {
	echo "pg.sh: $*" >&2
	exit 2
}
[ $# -ge 2 ] || die "usage: pg.sh start|url|createdb|stop|crash DIR [NAME]"
cmd=$1
dir=$2
[ -x "$PGBIN/pg_ctl" ] || die "$PGBIN/pg_ctl not found: install postgresql-15 (scripts/deps.sh)"

# Run a server command as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

url() { echo "postgresql:///postgres?host=$dir&user=rongcuo"; }

start_server() {
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' \
-c unix_socket_permissions=0700 -c fsync=on -c max_connections=200 -c shared_buffers=256MB \
-c max_wal_size=2GB" start >/dev/null ||
		{
			tail -n 20 "$dir/server.log" >&2 || true
			die "the server did not start (log: $dir/server.log)"
		}
}

case "$cmd" in
start)
	[ ! -e "$dir/data" ] || die "$dir already holds a cluster"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	chmod 0700 "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	as_owner "$PGBIN/initdb" -D "$dir/data" -U rongcuo --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		die "initdb failed"
	}
	start_server
	url
	;;
url)
	dir=$(cd "$dir" && pwd)
	url
	;;
createdb)
	[ $# -eq 3 ] || die "usage: pg.sh createdb DIR NAME"
	dir=$(cd "$dir" && pwd)
	PGOPTIONS="-c client_min_messages=warning" as_owner "$PGBIN/psql" -q -h "$dir" -U rongcuo -d postgres -v ON_ERROR_STOP=1 \
		-c "DROP DATABASE IF EXISTS \"$3\"" -c "CREATE DATABASE \"$3\"" >/dev/null ||
		die "cannot create database $3"
	echo "postgresql:///$3?host=$dir&user=rongcuo"
	;;
stop)
	dir=$(cd "$dir" && pwd)
	# only a directory this script made a cluster in is removed
	[ -f "$dir/data/PG_VERSION" ] || die "$dir holds no cluster; nothing stopped or removed"
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
crash)
	dir=$(cd "$dir" && pwd)
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null ||
		die "immediate shutdown failed"
	start_server
	;;
*)
	die "unknown command '$cmd'"
	;;
esac
