#!/bin/sh
# bench/store/run.sh -- the store benchmark; `make bench-store` runs it.  See
# bench/store/README.md.
#
# Builds $BUILD/rongcuo and $BUILD/librongcuo.a (default build-bench/) and
# bench_store (cc -O2), then, in one run:
#   1. generates N historical cases as CSV (deterministic);
#   2. imports them with the sqlite3 CLI (`.import --csv`, a plain table: the
#      reference), checks them with `rongcuo import cases --check` (validated,
#      the policy evaluated, nothing written) and imports them with `rongcuo
#      import cases` into a fresh data directory (the same, plus the case, its
#      step, its origin and one audit row per case), and prints the rates and
#      their ratios to the reference;
#   3. reads cases by code at random from the imported database through the
#      store API and prints p50/p99 latency.
#
# Exit status: 0 whatever the timings (benchmarks never fail on time); 1 when
# an import does not import every row; 2 when something cannot be built or
# run.
#
# Environment: BUILD (build dir), RONGCUO (the binary, default
# $BUILD/rongcuo), BENCH_STORE_N (cases, 1000000), BENCH_STORE_READS (random
# reads, 100000), BENCH_STORE_FACTS=1 (three fact columns per row),
# BENCH_STORE_MODE (all-or-nothing, the default, or keep-good).
set -eu
cd "$(dirname "$0")/../.."

BUILD="${BUILD:-build-bench}"
RONGCUO="${RONGCUO:-$BUILD/rongcuo}"
N="${BENCH_STORE_N:-1000000}"
READS="${BENCH_STORE_READS:-100000}"
FACTS="${BENCH_STORE_FACTS:-0}"
MODE="${BENCH_STORE_MODE:-all-or-nothing}"
OUT=bench/out/store
mkdir -p "$OUT"

fail() {
	echo "bench-store: $*" >&2
	exit 2
}
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

# ---- build ---------------------------------------------------------------------------
echo "== building $BUILD/rongcuo and bench_store (cc -O2)"
if ! ${MAKE:-make} --no-print-directory BUILD="$BUILD" "$BUILD/rongcuo" "$BUILD/librongcuo.a" \
	>"$OUT/build.log" 2>&1; then
	cat "$OUT/build.log" >&2
	fail "building $BUILD failed"
fi
command -v pkg-config >/dev/null 2>&1 || fail "pkg-config is missing (make deps)"
LIBS=$(pkg-config --libs jansson libcrypto sqlite3 libpq xlsxwriter libsodium libmicrohttpd) || fail "libraries missing (make deps)"
# shellcheck disable=SC2086 # LIBS is a list of flags
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Isrc \
	bench/store/bench_store.c "$BUILD/librongcuo.a" $LIBS -o "$OUT/bench_store" ||
	fail "compiling bench_store failed"
command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 CLI is missing (make deps)"
"$RONGCUO" import --help >/dev/null 2>&1 ||
	fail "$RONGCUO has no import command (set RONGCUO to a binary that has one)"

# ---- generate ------------------------------------------------------------------------
gen_facts=""
[ "$FACTS" = 1 ] && gen_facts=--facts
echo "== generating $N cases${gen_facts:+ with three fact columns}"
"$OUT/bench_store" gen "$N" "$OUT/cases.csv" $gen_facts || fail "generating the CSV failed"
size=$(wc -c <"$OUT/cases.csv" | tr -d ' ')
echo "$OUT/cases.csv: $size bytes"

# ---- the reference: the sqlite3 CLI --------------------------------------------------
echo "== sqlite3 CLI: .import --csv into a plain table"
rm -f "$OUT/ref.db" "$OUT/ref.db-journal"
t0=$(now)
sqlite3 "$OUT/ref.db" ".import --csv $OUT/cases.csv cases" || fail "sqlite3 .import failed"
t1=$(now)
ref_s=$(secs "$t0" "$t1")
ref_n=$(sqlite3 "$OUT/ref.db" "SELECT count(*) FROM cases")
[ "$ref_n" = "$N" ] || {
	echo "bench-store: sqlite3 imported $ref_n rows, not $N" >&2
	exit 1
}

# ---- rongcuo import ------------------------------------------------------------------
echo "== rongcuo import cases (--$MODE)"
rm -rf "$OUT/data"
"$RONGCUO" db init --data "$OUT/data" >/dev/null || fail "db init failed"
"$OUT/bench_store" setup "$OUT/data" || fail "setting up the organisations and officials failed"
# the same rows checked and evaluated without writing anything (--check):
# what the import costs before the store
t0=$(now)
"$RONGCUO" import cases "$OUT/cases.csv" --as bench --data "$OUT/data" --policy policies \
	--calendar data/calendar --today 2026-12-31 --check >"$OUT/check.out" 2>"$OUT/check.err" ||
	fail "rongcuo import --check found bad rows: $(head -n 3 "$OUT/check.err")"
t1=$(now)
chk_s=$(secs "$t0" "$t1")
t0=$(now)
set +e
"$RONGCUO" import cases "$OUT/cases.csv" --as bench --data "$OUT/data" --policy policies \
	--calendar data/calendar --today 2026-12-31 "--$MODE" >"$OUT/import.out" 2>"$OUT/import.err"
rc=$?
set -e
t1=$(now)
imp_s=$(secs "$t0" "$t1")
cat "$OUT/import.out"
grep -v "warning:" "$OUT/import.err" | head -n 5 >&2 || true
if [ "$rc" -ne 0 ] || ! grep -q "^imported $N cases" "$OUT/import.out"; then
	echo "bench-store: rongcuo import did not import every row (exit $rc)" >&2
	exit 1
fi
audit=$("$RONGCUO" audit verify --data "$OUT/data" | sed -n 's/audit chain verified: \([0-9]*\) rows/\1/p')
db_size=$(wc -c <"$OUT/data/rongcuo.db" | tr -d ' ')
ref_size=$(wc -c <"$OUT/ref.db" | tr -d ' ')

# ---- the floor: SQLite alone writing the imported rows --------------------------------
# The rows the import wrote (cases, case_steps, case_imports, audit) copied with
# INSERT ... SELECT into an empty database of the same schema and settings (WAL,
# synchronous=FULL, foreign keys, the import's 1 GiB page cache), one transaction,
# the final checkpoint at close included: what SQLite itself costs to store them,
# with no reading, checking, evaluating or hashing.  No import into this schema
# can be faster, so floor/reference is the highest ratio any import could reach.
echo "== SQLite alone: the same rows into an empty database of the same schema"
rm -f "$OUT/floor.db" "$OUT/floor.db-wal" "$OUT/floor.db-shm"
sqlite3 "$OUT/data/rongcuo.db" .schema >"$OUT/floor-schema.sql" || fail "reading the schema failed"
{
	echo "PRAGMA journal_mode = WAL;"
	cat "$OUT/floor-schema.sql"
	echo "ATTACH '$OUT/data/rongcuo.db' AS f;"
	echo "INSERT INTO orgs SELECT * FROM f.orgs; INSERT INTO people SELECT * FROM f.people;"
	echo "INSERT INTO users SELECT * FROM f.users;"
} | sqlite3 "$OUT/floor.db" >/dev/null || fail "setting up the floor database failed"
t0=$(now)
sqlite3 "$OUT/floor.db" >/dev/null <<EOF || fail "the floor copy failed"
PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -1048576;
ATTACH '$OUT/data/rongcuo.db' AS f;
BEGIN IMMEDIATE;
INSERT INTO cases SELECT * FROM f.cases;
INSERT INTO case_steps SELECT * FROM f.case_steps;
INSERT INTO case_imports SELECT * FROM f.case_imports;
INSERT INTO audit SELECT * FROM f.audit;
COMMIT;
EOF
t1=$(now)
floor_s=$(secs "$t0" "$t1")
floor_n=$(sqlite3 "$OUT/floor.db" "SELECT count(*) FROM cases")
[ "$floor_n" = "$N" ] || fail "the floor copy holds $floor_n cases, not $N"
rm -f "$OUT/floor.db" "$OUT/floor.db-wal" "$OUT/floor.db-shm"

# ---- reads ---------------------------------------------------------------------------
echo "== reads by code ($READS at random of $N cases)"
"$OUT/bench_store" read "$OUT/data" "$OUT/cases.csv" "$READS" >"$OUT/read.txt" ||
	fail "the read benchmark failed"
val() { sed -n "s/^RESULT $1 //p" "$OUT/read.txt"; }

# ---- PostgreSQL: the same import and reads, COPY as its reference, db copy -----------
# A throwaway cluster (scripts/pg.sh) on a unix socket under $OUT/pg.  The
# reference is psql's \copy of the same CSV into a plain table of text
# columns (what PostgreSQL's own bulk load costs, over the same socket);
# then `rongcuo import` into a data directory on a database of the cluster,
# the reads, and the round trip of the SQLite database the import above
# made: db copy SQLite -> PostgreSQL -> SQLite, with both exports compared.
PG=${BENCH_STORE_PG:-auto}
[ "$PG" = auto ] && { [ -x /usr/lib/postgresql/15/bin/pg_ctl ] && PG=1 || PG=0; }
pg_lines=""
if [ "$PG" = 1 ]; then
	pgdir="$OUT/pg"
	scripts/pg.sh stop "$pgdir" 2>/dev/null || true
	rm -rf "$pgdir"
	scripts/pg.sh start "$pgdir" >/dev/null || fail "cannot start PostgreSQL (scripts/pg.sh)"
	trap 'scripts/pg.sh stop "$pgdir"' EXIT
	pgdir=$(cd "$pgdir" && pwd)
	refurl=$(scripts/pg.sh createdb "$pgdir" ref) || fail "createdb ref"
	cols=$(awk 'BEGIN { for (i = 1; i <= 15; i++) printf "%sc%d text", (i > 1 ? ", " : ""), i }')
	psql -q "$refurl" -c "CREATE TABLE cases($cols)" || fail "psql: create the reference table"
	echo "== PostgreSQL COPY: psql copy of the CSV into a plain table"
	t0=$(now)
	psql -q "$refurl" -c "\\copy cases FROM '$OUT/cases.csv' WITH (FORMAT csv, HEADER)" ||
		fail "psql \\copy failed"
	t1=$(now)
	pgref_s=$(secs "$t0" "$t1")
	echo "== rongcuo import cases on PostgreSQL"
	url=$(scripts/pg.sh createdb "$pgdir" rongcuo) || fail "createdb rongcuo"
	rm -rf "$OUT/pgdata"
	"$RONGCUO" db init --data "$OUT/pgdata" --db "$url" >/dev/null || fail "db init on PostgreSQL failed"
	"$OUT/bench_store" setup "$OUT/pgdata" || fail "setup on PostgreSQL failed"
	t0=$(now)
	"$RONGCUO" import cases "$OUT/cases.csv" --as bench --data "$OUT/pgdata" --policy policies \
		--calendar data/calendar --today 2026-12-31 "--$MODE" >"$OUT/pgimport.out" 2>"$OUT/pgimport.err" ||
		fail "rongcuo import on PostgreSQL failed: $(grep -v warning: "$OUT/pgimport.err" | head -n 3)"
	t1=$(now)
	pgimp_s=$(secs "$t0" "$t1")
	grep -q "^imported $N cases" "$OUT/pgimport.out" || fail "the PostgreSQL import did not import every row"
	pgaudit=$("$RONGCUO" audit verify --data "$OUT/pgdata" | sed -n 's/audit chain verified: \([0-9]*\) rows/\1/p')
	echo "== reads by code on PostgreSQL"
	"$OUT/bench_store" read "$OUT/pgdata" "$OUT/cases.csv" "$READS" >"$OUT/pgread.txt" ||
		fail "the PostgreSQL read benchmark failed"
	pgval() { sed -n "s/^RESULT $1 //p" "$OUT/pgread.txt"; }
	echo "== db copy: SQLite -> PostgreSQL -> SQLite"
	rturl=$(scripts/pg.sh createdb "$pgdir" roundtrip) || fail "createdb roundtrip"
	rm -f "$OUT/back.db" "$OUT/back.db-wal" "$OUT/back.db-shm"
	t0=$(now)
	"$RONGCUO" db copy --from "$OUT/data/rongcuo.db" --to "$rturl" --data "$OUT/data" >"$OUT/copy1.out" 2>&1 ||
		fail "db copy to PostgreSQL failed: $(tail -n 3 "$OUT/copy1.out")"
	t1=$(now)
	"$RONGCUO" db copy --from "$rturl" --to "$OUT/back.db" --data "$OUT/data" >"$OUT/copy2.out" 2>&1 ||
		fail "db copy back to SQLite failed: $(tail -n 3 "$OUT/copy2.out")"
	t2=$(now)
	"$RONGCUO" export cases --format csv --out "$OUT/export-a.csv" --data "$OUT/data" >/dev/null &&
		"$RONGCUO" export cases --format csv --out "$OUT/export-b.csv" --data "$OUT/data" --db "$OUT/back.db" >/dev/null ||
		fail "exporting for the round trip failed"
	same="identical"
	cmp -s "$OUT/export-a.csv" "$OUT/export-b.csv" || same="DIFFERENT"
	[ "$same" = identical ] || { echo "bench-store: the round trip's exports differ" >&2; exit 1; }
	rtaudit=$(sed -n 's/.*audit chain of \([0-9]*\) rows verified on the copy/\1/p' "$OUT/copy2.out")
	pgref_r=$(rate "$N" "$pgref_s")
	pgimp_r=$(rate "$N" "$pgimp_s")
	pg_lines="PostgreSQL COPY:         $pgref_r rows/s ($pgref_s s; psql copy of the CSV into a plain table)
rongcuo import on pg:    $pgimp_r rows/s ($pgimp_s s; $pgaudit audit rows verified)
ratio rongcuo/COPY (pg): $(awk -v a="$pgimp_r" -v b="$pgref_r" 'BEGIN { printf "%.2f", a / b }'); rongcuo on pg / rongcuo on SQLite: RATIO_PG_SQLITE
pg read case by code:    p50 $(pgval read_p50_us) us, p99 $(pgval read_p99_us) us, max $(pgval read_max_us) us
  with its steps:        p50 $(pgval steps_p50_us) us, p99 $(pgval steps_p99_us) us, max $(pgval steps_max_us) us
db copy round trip:      SQLite -> PostgreSQL $(secs "$t0" "$t1") s, PostgreSQL -> SQLite $(secs "$t1" "$t2") s;
                         exports $same, audit chain of $rtaudit rows verified on the final copy"
fi

# ---- report --------------------------------------------------------------------------
ref_r=$(rate "$N" "$ref_s")
imp_r=$(rate "$N" "$imp_s")
chk_r=$(rate "$N" "$chk_s")
floor_r=$(rate "$N" "$floor_s")
floor_ratio=$(awk -v a="$floor_r" -v b="$ref_r" 'BEGIN { printf "%.2f", a / b }')
of_floor=$(awk -v a="$imp_r" -v b="$floor_r" 'BEGIN { printf "%.2f", a / b }')
ratio=$(awk -v a="$imp_r" -v b="$ref_r" 'BEGIN { printf "%.2f", a / b }')
chk_ratio=$(awk -v a="$chk_r" -v b="$ref_r" 'BEGIN { printf "%.2f", a / b }')
met=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.5) ? "met" : "not met" }')
what="the empty fact set"
[ "$FACTS" = 1 ] && what="three facts per row"
{
	echo "cases:                   $N (CSV $size bytes)"
	echo "sqlite3 CLI .import:     $ref_r rows/s ($ref_s s; a plain table, $ref_size bytes)"
	echo "rongcuo import --check:  $chk_r rows/s ($chk_s s; validated, policy evaluated, nothing"
	echo "                         written; ratio to sqlite3 $chk_ratio)"
	echo "rongcuo import:          $imp_r rows/s ($imp_s s; validated, policy evaluated on $what,"
	echo "                         --$MODE, $audit audit rows verified; database $db_size bytes)"
	echo "ratio rongcuo/sqlite3:   $ratio (target >= 0.5) [$met]"
	echo "SQLite alone, same rows: $floor_r rows/s ($floor_s s; INSERT ... SELECT into the same schema:"
	echo "                         the ceiling of any import, ratio to sqlite3 $floor_ratio;"
	echo "                         rongcuo import reaches $of_floor of it)"
	echo "read case by code:       p50 $(val read_p50_us) us, p99 $(val read_p99_us) us, max $(val read_max_us) us"
	echo "  with its steps:        p50 $(val steps_p50_us) us, p99 $(val steps_p99_us) us, max $(val steps_max_us) us"
	if [ -n "$pg_lines" ]; then
		echo "$pg_lines" | sed "s/RATIO_PG_SQLITE/$(awk -v a="$pgimp_r" -v b="$imp_r" 'BEGIN { printf "%.2f", a / b }')/"
	fi
} | tee "$OUT/result.txt"
exit 0
