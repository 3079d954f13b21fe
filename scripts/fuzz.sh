#!/bin/sh
# Build the libFuzzer harnesses with clang (ASan+UBSan) and run each one.
#   scripts/fuzz.sh short   20 s per harness (part of `make test`)
#   scripts/fuzz.sh long    10 min per harness
# The seed corpora under fuzz/corpus are copied to a scratch directory, so a
# run never rewrites the repository; a crashing input is saved under
# build-fuzz/ and should be added to fuzz/regressions/ with its fix.
set -eu
mode=${1:-short}
case "$mode" in
short) secs=20 ;;
long) secs=600 ;;
*) echo "usage: scripts/fuzz.sh short|long" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build-fuzz"
mkdir -p "$out"
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$top/src $(pkg-config --cflags jansson)"
LIBS="$(pkg-config --libs jansson)"
SRC=$(ls "$top"/src/core/*.c "$top"/src/policy/*.c "$top"/src/report/csv.c "$top"/src/http/multipart.c)
# (the fuzzed parsers need neither crypto nor storage)
status=0
for h in policy facts calendar csv multipart; do
	echo "fuzz: building fuzz_$h"
	# shellcheck disable=SC2086
	clang $CFLAGS -DRC_SOURCE_DIR="\"$top\"" -o "$out/fuzz_$h" "$top/fuzz/fuzz_$h.c" $SRC $LIBS
	work="$out/corpus_$h"
	rm -rf "$work"
	mkdir -p "$work"
	cp "$top"/fuzz/corpus/$h/* "$work"/
	[ -d "$top/fuzz/regressions/$h" ] && cp "$top"/fuzz/regressions/$h/* "$work"/ 2>/dev/null || true
	[ "$h" = policy ] && cp "$top"/tests/malformed/*.rcp "$work"/ 2>/dev/null || true
	[ "$h" = facts ] && cp "$top"/tests/badfacts/*.json "$top"/examples/*.json "$work"/ 2>/dev/null || true
	echo "fuzz: running fuzz_$h for ${secs}s"
	if ! (cd "$out" && ./fuzz_$h -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-rss_limit_mb=4096 -print_final_stats=1 "$work" >"$out/fuzz_$h.log" 2>&1); then
		echo "fuzz: fuzz_$h FAILED; see $out/fuzz_$h.log" >&2
		tail -n 40 "$out/fuzz_$h.log" >&2
		status=1
	else
		grep -E "stat::number_of_executed_units|Done" "$out/fuzz_$h.log" | sed "s/^/fuzz_$h: /" || true
	fi
done
exit $status
