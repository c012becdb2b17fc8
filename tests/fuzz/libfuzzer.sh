#!/bin/sh
# Build the fuzz targets with clang's libFuzzer (ASan + UBSan) and run each
# for a few seconds from the corpora.  FUZZ_SECONDS (default 5) per target.
# Skips when clang or libFuzzer is not available.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
command -v clang >/dev/null || { echo "SKIP: clang is not installed (scripts/deps.txt)"; exit 77; }
T=$(mktemp -d /tmp/vs-libfuzzer-XXXXXX)
trap 'rm -rf "$T"' EXIT
keep=$top_builddir/tests/fuzz; mkdir -p "$keep"
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }\n' >"$T/probe.c"
clang -fsanitize=fuzzer "$T/probe.c" -o "$T/probe" 2>/dev/null || { echo "SKIP: clang has no libFuzzer"; exit 77; }

pkgs="libvirt libxml-2.0 libpci libnl-3.0 libnl-route-3.0 json-c"
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I$top_builddir -I$top_srcdir/src/lib $(pkg-config --cflags $pkgs) \
	-DVS_DATADIR=\"/nonexistent\" -DVS_SYSCONFDIR=\"/nonexistent\" -DVS_RUNSTATEDIR=\"/nonexistent\""
LIBS=$(pkg-config --libs $pkgs)
# the whole library, built by clang with the target: no stale objects
for src in "$top_srcdir"/src/lib/*.c; do
	# shellcheck disable=SC2086
	clang $CFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$T/$(basename "$src" .c).o" || exit 1
done
secs=${FUZZ_SECONDS:-5}
H=$top_srcdir/tests/data/hook
for target in policy conf hook-input; do
	case $target in
	policy) seeds="$top_srcdir/tests/fuzz/corpus/policy $H/policy" ;;
	conf) seeds="$top_srcdir/tests/fuzz/corpus/conf" ;;
	hook-input) seeds="$H/captures $H/captures-real-vf $H/policy $H/hostile" ;;
	esac
	# shellcheck disable=SC2086
	clang $CFLAGS "$top_srcdir/tests/fuzz/fuzz-$target.c" "$T"/*.o $LIBS -o "$T/fuzz-$target" || exit 1
	mkdir -p "$T/corpus-$target"
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=0 "$T/fuzz-$target" -max_total_time="$secs" -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$T/" "$T/corpus-$target" $seeds 2>"$T/log-$target" || {
		tail -n 40 "$T/log-$target"
		echo "FAIL: fuzz-$target found a crash; reproducer:"; ls "$T"/crash-* "$T"/leak-* 2>/dev/null
		cp "$T"/crash-* "$T"/leak-* "$keep/" 2>/dev/null || true; echo "copied to $keep"
		exit 1
	}
	grep -E "stat::number_of_executed_units|Done" "$T/log-$target" | tail -n 2 | sed "s/^/fuzz-$target: /"
done
