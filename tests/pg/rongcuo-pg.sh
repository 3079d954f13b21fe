#!/bin/sh
# tests/pg/rongcuo-pg.sh -- rongcuo on PostgreSQL for the CLI test scripts.
#
# scripts/test-pg.sh runs every tests/cli/*.sh with BIN set to this file.
# It runs $RC_REAL_BIN with the same arguments, except that `db init` of a
# data directory (--data DIR) without --db gets a fresh database of its own
# in the cluster at $RC_PG_DIR (scripts/pg.sh), passed as --db URL (without
# --data, the directory rongcuo itself would find: $RONGCUO_DATA, else
# $XDG_DATA_HOME/rongcuo, else ~/.local/share/rongcuo); db init
# records it in the directory's db.url, so every later command on DIR uses
# it.  The scripts themselves do not change: each data directory they make
# is a PostgreSQL database.
set -eu
: "${RC_REAL_BIN:?}" "${RC_PG_DIR:?}"
if [ $# -ge 2 ] && [ "$1" = db ] && [ "$2" = init ]; then
	data=""
	has_db=0
	prev=""
	for a in "$@"; do
		[ "$prev" = --data ] && data=$a
		case $a in --data=*) data=${a#--data=} ;; --db | --db=*) has_db=1 ;; esac
		prev=$a
	done
	# without --data, the directory rongcuo would find (cli/datadir.c)
	if [ -z "$data" ]; then
		if [ -n "${RONGCUO_DATA:-}" ]; then
			data=$RONGCUO_DATA
		elif [ -n "${XDG_DATA_HOME:-}" ]; then
			data=$XDG_DATA_HOME/rongcuo
		elif [ -n "${HOME:-}" ]; then
			data=$HOME/.local/share/rongcuo
		fi
	fi
	# (an initialised directory keeps its database: rongcuo refuses the init)
	if [ -n "$data" ] && [ "$has_db" = 0 ] && [ ! -e "$data/audit.key" ]; then
		# one database per data directory, named after its path
		name="t_$(printf '%s' "$data" | cksum | cut -d ' ' -f 1)"
		url=$("$(dirname "$0")/../../scripts/pg.sh" createdb "$RC_PG_DIR" "$name") || exit 2
		exec "$RC_REAL_BIN" "$@" --db "$url"
	fi
fi
exec "$RC_REAL_BIN" "$@"
