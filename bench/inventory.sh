#!/bin/bash
# Inventory benchmark: `virt-sriov --json list` against `lspci -vvv` on the
# same generated trees of P Intel E810 PFs x 256 VFs (P = 1, 2, 4, 8), median
# of RUNS runs each: wall-clock, and CPU time (user + sys), which a machine
# shared with other jobs disturbs less.  Trees live on tmpfs (/dev/shm) when
# there is one, so both tools read from the page cache alike.  bash for its
# `time` keyword (getrusage, microseconds).
#
# Usage: bench/inventory.sh [BUILDDIR]      (make bench runs it)
# Env:   RUNS (default 7), SIZES (default "1x256 2x256 4x256 8x256")
set -eu

B=${1:-.}
GEN=$B/tests/tools/gen-host-tree
VS=$B/virt-sriov
RUNS=${RUNS:-7}
SIZES=${SIZES:-"1x256 2x256 4x256 8x256"}
for t in "$GEN" "$VS"; do
	[ -x "$t" ] || { echo "bench: $t not built (run make first)" >&2; exit 1; }
done
command -v lspci >/dev/null 2>&1 || { echo "bench: lspci (pciutils) not installed" >&2; exit 1; }

W=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$W"' EXIT

# measure CMD...: run CMD $RUNS times (output discarded); print
# "WALL_MS CPU_MS", the medians of wall-clock and of user + sys time
measure() {
	local i TIMEFORMAT='%3R %3U %3S'
	: >"$W/times"
	for ((i = 0; i < RUNS; i++)); do
		{ time "$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; exit 1; }; } 2>>"$W/times"
	done
	awk '{ print $1 * 1000 }' "$W/times" | sort -n >"$W/wall"
	awk '{ print ($2 + $3) * 1000 }' "$W/times" | sort -n >"$W/cpu"
	echo "$(sed -n "$(((RUNS + 1) / 2))p" "$W/wall") $(sed -n "$(((RUNS + 1) / 2))p" "$W/cpu")"
}

echo "# $(date -u +%Y-%m-%d) $(uname -m), $(nproc) CPUs, $(lspci --version), median of $RUNS runs"
printf '%-6s %5s | %-17s | %-17s | %-17s | %s\n' tree VFs "list --json" "lspci -vvv" "lspci -nn" "list/lspci -vvv"
printf '%-6s %5s | %-17s | %-17s | %-17s | %s\n' "" "" "wall ms  cpu ms" "wall ms  cpu ms" "wall ms  cpu ms" "wall   cpu"
for size in $SIZES; do
	T=$W/$size
	"$GEN" --profile "big:$size" "$T"
	vfs=$(( ${size%x*} * ${size#*x} ))
	got=$("$VS" -c test:///default --sysfs-root "$T" --json list 2>/dev/null | grep -c '"index"' || true)
	[ "$got" -eq "$vfs" ] || { echo "bench: list shows $got VFs on $size, want $vfs" >&2; exit 1; }
	read -r lw lc < <(measure "$VS" -c test:///default --sysfs-root "$T" --json list)
	read -r pw pc < <(measure lspci -A linux-sysfs -O sysfs.path="$T/sys/bus/pci" -vvv)
	read -r nw nc < <(measure lspci -A linux-sysfs -O sysfs.path="$T/sys/bus/pci" -nn)
	printf '%-6s %5d | %7.0f  %7.0f | %7.0f  %7.0f | %7.0f  %7.0f | %.2f   %.2f\n' "$size" "$vfs" \
		"$lw" "$lc" "$pw" "$pc" "$nw" "$nc" \
		"$(awk -v a="$lw" -v b="$pw" 'BEGIN { print a / b }')" "$(awk -v a="$lc" -v b="$pc" 'BEGIN { print a / b }')"
	rm -rf "$T"
done
echo "# list/lspci -vvv below 1: list is faster"
