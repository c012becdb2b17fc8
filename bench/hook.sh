#!/bin/bash
# The hook at `prepare` for a guest with 8 VFs of one PF (policy: spoofchk
# off, trust on, vlan 10), against the shell hook admins write today:
# xmllint for the addresses, sysfs for the VF numbers, one `ip link set PF
# vf N ATTR` per VF and attribute (24 runs of ip).  In a private network
# namespace a veth named em1 is the netdev of a generated PF; the veth
# refuses VF settings (EOPNOTSUPP) after the kernel has parsed the request.
#   ours/fake:   the hook as installed (the front in qemu.d/, exec'ing the
#                full hook) with the full hook's test build, VF tables in a
#                file (the whole decision, state file with fsync, no kernel)
#   ours/kernel: the same, but the RTM_SETLINK goes to the kernel (refused
#                by the veth, so the hook also sends its rollback request
#                and exits 1 -- as on a real PF that refuses)
# Then an operation the hook ignores (libvirt runs it for about ten per
# guest start and stop; it acts on four): the installed front against
# /bin/true and against the full hook run directly, per run over N_IGNORED
# runs (default 200).
# Usage: bench/hook.sh BUILDDIR   (RUNS=N, default 21)
set -eu

B=$(cd "${1:-.}" && pwd)
S=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-21}
HOOK=$B/tests/tools/virt-sriov-hook-fake
FRONT=$B/virt-sriov-hook-front
N_IGNORED=${N_IGNORED:-200}
GEN=$B/tests/tools/gen-host-tree
IP=$(command -v ip || echo /usr/sbin/ip)

if [ "${VS_BENCH_INNER:-}" != 1 ]; then
	export VS_BENCH_INNER=1 RUNS N_IGNORED
	exec unshare -n /bin/bash "$0" "$B"
fi

"$IP" link add em1 type veth peer name em1p
W=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$W"' EXIT
"$GEN" --pf addr=0000:03:00.0,netdev=em1,offset=129,stride=2,num=8,total=8 "$W/tree" >/dev/null
printf '[pf em1]\nallow-spoofchk-off = yes\nallow-trust-on = yes\n' >"$W/host.conf"
{
	echo "<domain type='qemu'><name>g8</name><uuid>88888888-4444-4444-4444-121212121212</uuid>"
	echo "<metadata><vsp:policy xmlns:vsp='https://virt-sriov.org/xmlns/policy/1'>"
	echo "<vsp:vf spoofchk='off' trust='on' vlan='10'/></vsp:policy></metadata><devices>"
	for i in 0 1 2 3 4 5 6 7; do
		fn=$((0x81 + 2 * i))
		printf "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x03' slot='0x%x' function='0x%x'/></source></hostdev>\n" $((fn >> 3)) $((fn & 7))
	done
	echo "</devices></domain>"
} >"$W/g8.xml"
{
	printf '{"em1":['
	for i in 0 1 2 3 4 5 6 7; do
		printf '%s{"index":%d,"mac":"00:00:00:00:00:00","vlan":0,"qos":0,"spoofchk":true,"trust":false,"link_state":"auto","min_tx_rate":0,"max_tx_rate":0}' \
			"$([ $i = 0 ] || echo ,)" $i
	done
	printf ']}\n'
} >"$W/fake.json"
cat >"$W/shell-hook" <<'SH'
#!/bin/sh
# What admins write: /etc/libvirt/hooks/qemu with xmllint and ip.
[ "$2" = prepare ] || exit 0
xml=$(cat)
for a in $(printf '%s' "$xml" | xmllint --xpath "//hostdev/source/address" - 2>/dev/null |
	   sed "s/<address domain='0x\([0-9a-f]*\)' bus='0x\([0-9a-f]*\)' slot='0x\([0-9a-f]*\)' function='0x\([0-9a-f]*\)'\/>/\1:\2:\3.\4\n/g"); do
	d=$(printf '%04x:%02x:%02x.%x' 0x${a%%:*} 0x$(echo $a | cut -d: -f2) 0x$(echo $a | cut -d: -f3 | cut -d. -f1) 0x${a##*.})
	pf=$(ls "$SYSFS/sys/bus/pci/devices/$d/physfn/net")
	for l in "$SYSFS/sys/bus/pci/devices/$d/physfn"/virtfn*; do
		[ "$(basename "$(readlink "$l")")" = "$d" ] && n=${l##*virtfn}
	done
	ip link set "$pf" vf "$n" spoofchk off
	ip link set "$pf" vf "$n" trust on
	ip link set "$pf" vf "$n" vlan 10
done
exit 0
SH
chmod +x "$W/shell-hook"
mkdir -p "$W/hooks/qemu.d"
cp "$FRONT" "$W/hooks/qemu.d/virt-sriov"

run_ours() {
	env -i LC_ALL=C PATH=/usr/bin:/bin:/usr/sbin:/sbin HOME=/ VIRT_SRIOV_SYSFS_ROOT="$W/tree" \
		VIRT_SRIOV_STATE_DIR="$W/state" VIRT_SRIOV_CONF="$W/host.conf" VIRT_SRIOV_FAKE_VFS="$W/fake.json" \
		VIRT_SRIOV_HOOK_PROGRAM="$HOOK" \
		${KERNEL:+VIRT_SRIOV_FAKE_SET_KERNEL=1} \
		"$W/hooks/qemu.d/virt-sriov" g8 "$1" "$2" - <"$W/g8.xml" >/dev/null 2>&1 || true
}
ours_fake() { run_ours prepare begin; }
ours_kernel() { KERNEL=1 run_ours prepare begin; }
shell() { env -i LC_ALL=C PATH=/usr/bin:/bin:/usr/sbin:/sbin HOME=/ SYSFS="$W/tree" "$W/shell-hook" g8 prepare begin - <"$W/g8.xml" >/dev/null 2>&1; }
reset() { run_ours release end; }

now_us() { echo $(( $(date +%s%N) / 1000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'; }
timed() { # FUNCTION: "wall-ms cpu-ms" medians (CPU: user+sys of the children)
	local wall=() cpu=() s c TIMEFORMAT='%3U %3S'
	for _ in $(seq "$RUNS"); do
		reset
		s=$(now_us)
		c=$( { time "$1" >/dev/null 2>&1; } 2>&1 )
		wall+=($(( $(now_us) - s )))
		cpu+=($(echo "$c" | awk '{printf "%d", ($1 + $2) * 1000}'))
	done
	echo "$(median "${wall[@]}" | awk '{printf "%.1f", $1 / 1000}') $(median "${cpu[@]}")"
}
calls() { # FUNCTION: "sendto sendmsg execve" counts from strace -c -f (our netlink and
	  # syslog use sendto; ip uses sendmsg and sendto)
	local f=$W/strace.$1
	reset
	strace -c -f -e trace=sendmsg,sendto,execve -o "$f" bash -c "$(declare -f run_ours "$1" shell); W=$W HOOK=$HOOK; $1"
	[ -z "${BENCH_DEBUG:-}" ] || cat "$f" >&2
	for sc in sendto sendmsg execve; do
		awk -v sc=$sc 'BEGIN { n = 0 } $NF == sc { n = $4 } END { printf "%s ", n }' "$f"
	done
	echo
}

# sanity: the shell hook really sends its 24 requests, ours its batch
KERNEL=1 run_ours prepare begin
grep -c "^SETLINK em1 8" "$W/fake.json.log" >/dev/null || { echo "ours/kernel sent no 8-VF request" >&2; exit 1; }

printf '%-12s %10s %10s %8s %8s %8s\n' what wall-ms cpu-ms sendto sendmsg execve
for f in ours_fake ours_kernel shell; do
	read -r wall cpu < <(timed $f)
	read -r st sm ex < <(calls $f)
	printf '%-12s %10s %10s %8s %8s %8s\n' "$f" "$wall" "$cpu" "${st:-0}" "${sm:-0}" "${ex:-0}"
done

# An operation the hook ignores, as libvirt runs it (argv g8 started begin -,
# the XML on stdin): per run, over N_IGNORED runs in one loop.
ignored() { for _ in $(seq "$N_IGNORED"); do "$@" g8 started begin - <"$W/g8.xml" >/dev/null 2>&1 || return 1; done; }
per_run() { # PROGRAM: "wall-ms cpu-ms" per run
	local TIMEFORMAT='%3R %3U %3S' t
	t=$( { time ignored "$1"; } 2>&1 )
	echo "$t" | awk -v n="$N_IGNORED" '{ printf "%.2f %.2f\n", $1 * 1000 / n, ($2 + $3) * 1000 / n }'
}
printf '\n%-22s %10s %10s\n' "ignored op, per run" wall-ms cpu-ms
for p in /bin/true "$W/hooks/qemu.d/virt-sriov" "$B/virt-sriov-hook"; do
	case $p in /bin/true) n=/bin/true ;; "$B"/*) n=full-hook ;; *) n=front ;; esac
	read -r wall cpu < <(per_run "$p")
	printf '%-22s %10s %10s\n' "$n" "$wall" "$cpu"
done
