#!/bin/sh
# bench/run.sh -- the evaluation benchmark; `make bench` runs it.  See bench/README.md.
#
# Builds $BUILD/librongcuo.a (default build-bench/) and bench_eval with cc -O2, installs
# json-rules-engine into bench/jre/node_modules when missing (npm ci), then:
#   bench_eval   compiles policies/zhejiang-2023.rcp once, draws 1,000,000 fact sets,
#                cross-checks the hand-written C against the engine on the first 100,000,
#                writes the first 20,000 as JSON lines, times engine and hand-written C;
#   bench.js     cross-checks json-rules-engine against the engine on those 20,000 sets,
#                then times it;
# and prints the figures, the ratios and the targets.
#
# Exit status: 0 whatever the timings (benchmarks never fail on time); 1 when a
# cross-check finds a mismatch; 2 when something cannot be built or run.
#
# Environment: BUILD (library build dir), BENCH_N (fact sets, default 1000000),
# BENCH_CHECK (cross-checked sets, 100000), BENCH_JRE_N (json-rules-engine sets, 20000),
# BENCH_REPS (timed runs, best kept, 5), BENCH_SKIP_JRE=1 (no node).
set -eu
cd "$(dirname "$0")/.."

BUILD="${BUILD:-build-bench}"
N="${BENCH_N:-1000000}"
CHECK="${BENCH_CHECK:-100000}"
JRE_N="${BENCH_JRE_N:-20000}"
REPS="${BENCH_REPS:-5}"
OUT=bench/out
mkdir -p "$OUT"

fail() {
	echo "bench: $*" >&2
	exit 2
}

# ---- build ---------------------------------------------------------------------------
echo "== building $BUILD/librongcuo.a and bench_eval (cc -O2)"
if ! ${MAKE:-make} --no-print-directory BUILD="$BUILD" "$BUILD/librongcuo.a" \
	>"$OUT/build.log" 2>&1; then
	cat "$OUT/build.log" >&2
	fail "building $BUILD/librongcuo.a failed"
fi
command -v pkg-config >/dev/null 2>&1 || fail "pkg-config is missing (make deps)"
JANSSON=$(pkg-config --cflags --libs jansson) || fail "jansson is missing (make deps)"
# shellcheck disable=SC2086 # JANSSON is a list of flags
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Isrc \
	bench/bench_eval.c bench/gen.c bench/handwritten.c "$BUILD/librongcuo.a" $JANSSON \
	-o "$OUT/bench_eval" || fail "compiling bench_eval failed"

RUN_JRE=1
if [ "${BENCH_SKIP_JRE:-0}" = 1 ]; then
	RUN_JRE=0
else
	command -v node >/dev/null 2>&1 || fail "node is missing (make deps; or BENCH_SKIP_JRE=1)"
	if [ ! -d bench/jre/node_modules/json-rules-engine ]; then
		command -v npm >/dev/null 2>&1 || fail "npm is missing (make deps)"
		echo "== npm ci (bench/jre: json-rules-engine)"
		(cd bench/jre && npm ci --no-audit --no-fund --loglevel=error) ||
			fail "npm ci in bench/jre failed"
	fi
fi

# ---- run -----------------------------------------------------------------------------
echo "== engine and hand-written C ($N fact sets)"
set +e
"$OUT/bench_eval" --n "$N" --check "$CHECK" --reps "$REPS" \
	--jre-out "$OUT/sets.jsonl" --jre-n "$JRE_N" >"$OUT/eval.txt"
rc=$?
set -e
sed '/^RESULT /d' "$OUT/eval.txt"
if [ "$rc" -ne 0 ]; then
	[ "$rc" -eq 1 ] && echo "bench: cross-check FAILED (hand-written C vs engine)" >&2
	exit "$rc"
fi

JRE=""
if [ "$RUN_JRE" = 1 ]; then
	echo "== json-rules-engine ($JRE_N of those fact sets)"
	set +e
	node bench/jre/bench.js "$OUT/sets.jsonl" --dump "$OUT/jre-rules.json" >"$OUT/jre.txt"
	rc=$?
	set -e
	sed '/^RESULT /d' "$OUT/jre.txt"
	if [ "$rc" -ne 0 ]; then
		[ "$rc" -eq 1 ] && echo "bench: cross-check FAILED (json-rules-engine vs engine)" >&2
		exit "$rc"
	fi
	JRE=$(sed -n 's/^RESULT jre=\([0-9]*\) .*/\1/p' "$OUT/jre.txt")
fi

# ---- summary -------------------------------------------------------------------------
RESULT=$(sed -n 's/^RESULT //p' "$OUT/eval.txt")
echo
echo "== summary (one core, single thread; $(uname -m), $(nproc) cores available)"
echo "$RESULT jre=${JRE:-0} jre_n=$JRE_N" | awk '
function commas(x,   s, r) {
	s = int(x + 0.5) ""; r = ""
	while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
	return s r
}
function met(ok) { return ok ? "met" : "NOT met" }
{
	for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	en = v["engine_notrace"]; et = v["engine_trace"]; hw = v["handwritten"]; jre = v["jre"]
	printf "engine (no trace):   %s evals/s\n", commas(en)
	printf "engine (trace):      %s evals/s\n", commas(et)
	printf "hand-written C:      %s evals/s\n", commas(hw)
	if (jre > 0)
		printf "json-rules-engine:   %s evals/s (on %s sets)\n", commas(jre), commas(v["jre_n"])
	else
		printf "json-rules-engine:   skipped\n"
	if (jre > 0)
		printf "ratio engine/json-rules-engine: %.0fx (target >= 300)\n", en / jre
	printf "ratio engine/hand-written:      %.2f (target >= 0.3)\n", en / hw
	printf "  (in cache, first %s sets cycled: engine %s/s, hand-written %s/s, ratio %.2f)\n",
		commas(v["hot_n"]), commas(v["hot_engine"]), commas(v["hot_handwritten"]),
		v["hot_engine"] / v["hot_handwritten"]
	printf "targets: no trace >= 2,000,000/s [%s]; trace >= 300,000/s [%s]; ", \
		met(en >= 2000000), met(et >= 300000)
	if (jre > 0)
		printf ">= 300x json-rules-engine [%s]; ", met(en / jre >= 300)
	printf ">= 0.3x hand-written [%s]\n", met(en / hw >= 0.3)
}'
echo "cross-checks: passed (details above; outputs in $OUT/)"
exit 0
