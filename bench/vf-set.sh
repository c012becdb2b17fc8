#!/bin/bash
# vf set of 64 VFs in one rtnetlink request against 64 `ip link set` runs
# doing the same, on a veth "PF" in a private network namespace.  The veth
# refuses VF settings (EOPNOTSUPP) after the kernel has parsed the whole
# request, so this counts requests and times the round trips, not a
# driver's work.  Usage: bench/vf-set.sh BUILDDIR  (RUNS=N, default 11)
set -eu

B=$(cd "${1:-.}" && pwd)
RUNS=${RUNS:-11}
VS=$B/virt-sriov
GEN=$B/tests/tools/gen-host-tree
IP=$(command -v ip || echo /usr/sbin/ip)

if [ "${VS_BENCH_INNER:-}" != 1 ]; then
	export VS_BENCH_INNER=1 RUNS
	exec unshare -n /bin/bash "$0" "$B"
fi

"$IP" link add vpf0 type veth peer name vpf0p
W=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$W"' EXIT
"$GEN" --pf addr=0000:05:00.0,id=8086:1592,vfid=8086:1889,total=256,num=64,driver=ice,netdev=vpf0,vfdriver=iavf \
	"$W/tree" >/dev/null

ours() { "$VS" --sysfs-root "$W/tree" vf set 'vpf0#0-63' --spoofchk off --trust on >/dev/null 2>&1 || true; }
theirs() {
	for i in $(seq 0 63); do
		"$IP" link set vpf0 vf "$i" spoofchk off trust on 2>/dev/null || true
	done
}

now_us() { echo $(( $(date +%s%N) / 1000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]}'; }
timed() { # FUNCTION: "wall-ms cpu-ms" medians over RUNS runs (CPU: user+sys of the children)
	local wall=() cpu=() s c TIMEFORMAT='%3U %3S'
	for _ in $(seq "$RUNS"); do
		s=$(now_us)
		c=$( { time "$1" >/dev/null 2>&1; } 2>&1 )
		wall+=($(( $(now_us) - s )))
		cpu+=($(echo "$c" | awk '{printf "%d", ($1 + $2) * 1000}'))
	done
	echo "$(median "${wall[@]}" | awk '{printf "%.1f", $1 / 1000}') $(median "${cpu[@]}")"
}
calls() { # FUNCTION: "sendto sendmsg" counts from strace -c -f
	local f=$W/strace.$1
	strace -c -f -e trace=sendmsg,sendto -o "$f" bash -c "$(declare -f "$1"); VS=$VS W=$W IP=$IP; $1"
	echo "$(awk '$NF == "sendto" {print $4}' "$f" | head -1) $(awk '$NF == "sendmsg" {print $4}' "$f" | head -1)"
}

read -r o_to o_msg < <(calls ours)
read -r t_to t_msg < <(calls theirs)
read -r o_ms o_cpu < <(timed ours)
read -r t_ms t_cpu < <(timed theirs)
echo "date: $(date -u +%Y-%m-%d)  kernel: $(uname -r)  runs: $RUNS  iproute2: $("$IP" -V | sed 's/.*iproute2-//')"
row() { printf '| %-55s | %6s | %7s | %11s | %10s |\n' "$@"; }
row "command" "sendto" "sendmsg" "wall ms" "CPU ms"
row "virt-sriov vf set 'vpf0#0-63' --spoofchk off --trust on" "${o_to:-0}" "${o_msg:-0}" "$o_ms" "$o_cpu"
row "64 x ip link set vpf0 vf N spoofchk off trust on" "${t_to:-0}" "${t_msg:-0}" "$t_ms" "$t_cpu"
