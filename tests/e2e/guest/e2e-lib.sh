# Sourced by the end-to-end scenarios inside the VM (Debian root, dash).
# On top of the VM tier's checks (tests/vm/guest/lib.sh, copied as
# /vs/lib.sh): a real libvirtd, guests defined from /vs/domains, and the
# kernel's view of the igb PF's VF table through iproute2.
. /vs/lib.sh

IP=/usr/sbin/ip
PF=eth0
POOL=sriov-eth0
STATE=/run/virt-sriov
LIBVIRTD_LOG=/var/log/libvirt/libvirtd.log

# Every line names its scenario, so that one boot's output reads alone.
pass() { echo "PASS: ${SC:-e2e}: $1"; }
fail() { echo "FAIL: ${SC:-e2e}: $1${2:+: $2}"; }
info() { echo "INFO: ${SC:-e2e}: $*"; }
bench_line() { echo "BENCH: ${SC:-e2e}: $*"; }

# Debian's root has coreutils: no usleep (wait_for naps with sleep), and
# date knows %N.
now_ms() { date +%s%3N; }
nap() { sleep 0.1; }

# --- the PF and its VFs, as the kernel reports them --------------------
pf_sys() { readlink -f "/sys/class/net/$PF/device"; }
# Every VF line of `ip -d link show PF`, i.e. every VF attribute the PF
# reports (MAC, VLAN/QoS, spoof checking, link state, trust, rates).
vfs_now() { $IP -d link show dev $PF | grep -E '^ *vf [0-9]+ '; }
vf_line() { vfs_now | grep -E "^ *vf $1 "; }
vf_addr_n() { basename "$(readlink -f "$(pf_sys)/virtfn$1")"; }
vf_driver_n() { dev_driver "$(pf_sys)/virtfn$1"; }
# The VF number whose MAC in the PF's table is MAC (libvirt writes the
# guest's MAC there for an <interface> VF), or nothing.
vf_by_mac() { vfs_now | awk -v m="$1" '$4 == m { print $2; exit }'; }
# Guests' state files (UUID.json). attach keeps its lock file and its
# reservations (attach.lock, attach-reserved.json) in the same directory.
state_count() { ls -A "$STATE" 2>/dev/null | grep -cE '^[0-9a-f-]{36}\.json$'; }
state_left() { ls -A "$STATE" 2>/dev/null | grep -vxE 'attach\.lock|attach-reserved\.json' | tr '\n' ' '; }
# VF lines that differ from the snapshot in $1 (a file), for messages.
vf_diff() { vfs_now | diff "$1" - | grep '^[<>]' | tr '\n' ' '; }

# --- libvirt --------------------------------------------------------------
dom_state() { virsh domstate "$1" 2>/dev/null | head -n 1; }
dom_uuid() { virsh domuuid "$1" 2>/dev/null | head -n 1; }
qemu_pid() { cat "/run/libvirt/qemu/$1.pid" 2>/dev/null; }

# define_guest NAME [SED-EXPRESSION...]: define /vs/domains/NAME.xml with
# placeholders filled in (e.g. the VF's PCI address from sysfs).
define_guest() { define_guest_as "$1" "$@"; }
# define_guest_as TEMPLATE NAME [SED-EXPRESSION...]: the same from
# /vs/domains/TEMPLATE.xml, for a guest NAME (the expressions rename it).
define_guest_as() {
	tmpl=$1 name=$2; shift 2
	xml=/tmp/$name.xml
	cp "/vs/domains/$tmpl.xml" "$xml"
	for expr in "$@"; do sed -i "$expr" "$xml"; done
	virsh undefine "$name" >/dev/null 2>&1
	virsh define "$xml" >/tmp/define.out 2>&1 ||
		{ fail "virsh define $name" "$(cat /tmp/define.out)"; return 1; }
}
# sed expressions for <address domain=.. bus=.. slot=.. function=..> of a VF.
vf_addr_sed() {
	a=$1
	echo "s/@DOMAIN@/0x${a%%:*}/;s/@BUS@/0x$(echo "$a" | cut -d: -f2)/;s/@SLOT@/0x$(echo "$a" | cut -d: -f3 | cut -d. -f1)/;s/@FUNCTION@/0x${a##*.}/"
}

# start_guest NAME: virsh start, its wall time in START_MS.
start_guest() {
	t0=$(now_ms)
	virsh start "$1" >/tmp/start.out 2>&1
	rc=$?
	START_MS=$(($(now_ms) - t0))
	return $rc
}
# destroy_guest NAME: virsh destroy, then wait until libvirt's teardown
# (and with it the hooks' release) is over.
destroy_guest() {
	virsh destroy "$1" >/tmp/destroy.out 2>&1 || { cat /tmp/destroy.out; return 1; }
	wait_for 30 sh -c "virsh domstate '$1' | grep -q 'shut off'"
}

# restart_libvirtd WHAT: start libvirtd again and wait until it answers.
restart_libvirtd() {
	if libvirtd -d && wait_for 60 virsh -q version; then
		pass "$1: libvirtd started again"
	else
		fail "$1: libvirtd started again" "$(tail -n 5 "$LIBVIRTD_LOG")"
	fi
}
# stop_libvirtd SIGNAL: send libvirtd SIGNAL (KILL, TERM) and wait until it
# is gone (30 s, then SIGKILL: a SIGTERM waits for running jobs); a killed
# daemon leaves its pid file behind.
stop_libvirtd() {
	pid=$(cat /run/libvirtd.pid 2>/dev/null) || return 1
	kill -"$1" "$pid" 2>/dev/null
	wait_for 30 sh -c "! kill -0 $pid" ||
		{ info "libvirtd ($pid) still there 30 s after SIG$1: SIGKILL"; kill -9 "$pid"; wait_for 10 sh -c "! kill -0 $pid"; }
	rm -f /run/libvirtd.pid
}

# The hook runs as libvirt's child: its duration is the time between
# libvirt's "About to run" and its "Result" debug lines for that command
# (log_filters util.command, see the image's libvirtd.conf).
hook_mark() { wc -l <"$LIBVIRTD_LOG"; }
# hook_times FROM_LINE: "OP=MS" for each virt-sriov hook run logged after
# line FROM_LINE, in order.
hook_times() {
	tail -n +"$(($1 + 1))" "$LIBVIRTD_LOG" | awk '
		function ms(line,   t) {
			split(substr(line, 12, 12), t, ":")
			return (t[1] * 3600 + t[2] * 60 + t[3]) * 1000
		}
		# Lines are "DATE TIME+ZONE: THREAD: debug : FUNC:LINE : TEXT";
		# a hook runs in one worker thread, from "About to run" to that
		# thread'"'"'s next virCommandRun "Result".
		/virCommandRunAsync:.* About to run .*hooks\/(qemu|network)\.d\/virt-sriov / {
			for (i = 1; i <= NF; i++) if ($i ~ /hooks\/(qemu|network)\.d\/virt-sriov$/) op[$3] = $(i + 2) "-" $(i + 3)
			start[$3] = ms($0); next
		}
		/virCommandRun:.* Result / && ($3 in op) { printf "%s=%d\n", op[$3], ms($0) - start[$3]; delete op[$3] }'
}

# --- the VM itself -----------------------------------------------------------
e2e_boot() {
	SC=boot
	for m in igb igbvf vfio-pci; do modprobe "$m" || fail "modprobe $m"; done
	wait_for 20 test -e "/sys/class/net/$PF" || fail "the igb PF $PF appeared"
	$IP link set "$PF" up
	mkdir -p /var/log/libvirt
	t0=$(now_ms)
	if libvirtd -d && wait_for 60 virsh -q version; then
		pass "libvirtd $(libvirtd --version | awk '{ print $NF }') started ($(($(now_ms) - t0)) ms with the capability probe)"
	else
		fail "libvirtd started" "$(tail -n 5 "$LIBVIRTD_LOG" 2>/dev/null)"
	fi
	SC=
}

# ensure_pool: 7 VFs with known MACs and the pool, for scenarios run
# without the pool scenario before them (it checks all of this).
ensure_pool() {
	[ "$(cat "$(pf_sys)/sriov_numvfs")" = 7 ] || virt-sriov numvfs $PF 7 >/dev/null
	n=0
	while [ $n -lt 7 ]; do
		mac=$(cat "$(pf_sys)/virtfn$n"/net/*/address 2>/dev/null) &&
			virt-sriov vf set "$PF#$n" --mac "$mac"
		n=$((n + 1))
	done
	virsh net-info $POOL 2>/dev/null | grep -q 'Active: *yes' || virt-sriov network apply $PF >/dev/null
}

# vf_on N DRIVER: VF N is bound to DRIVER (for wait_for).
vf_on() { [ "$(vf_driver_n "$1")" = "$2" ]; }

# The MAC of each VF's netdev (igbvf), in VF order; "-" while it has none
# (on vfio-pci).
vf_netdev_macs() {
	n=0
	while [ -e "$(pf_sys)/virtfn$n" ]; do
		cat "$(pf_sys)/virtfn$n"/net/*/address 2>/dev/null || echo -
		n=$((n + 1))
	done
}
# snapshot FILE: every VF attribute the PF reports. Not the VFs' netdev
# MACs: igbvf makes up a new random one each time it probes a VF after
# vfio-pci had it, whatever the PF's table says (seen with QEMU's igb).
snapshot() { vfs_now >"$1"; }
snapshot_now() { vfs_now; }
# no_guest_mac_on_netdevs MAC: no VF netdev kept a guest's MAC.
no_guest_mac_on_netdevs() {
	if vf_netdev_macs | grep -qi "^$1\$"; then
		fail "sysfs: no VF netdev kept the guest's MAC $1" "$(vf_netdev_macs | tr '\n' ' ')"
	else
		pass "sysfs: no VF netdev kept the guest's MAC $1"
	fi
}
no_state() { [ -z "$(state_left)" ]; }
# all_back WHAT: every VF as in /tmp/before (see snapshot), no VF netdev
# with a guest's MAC (GUEST_MACS, an extended regular expression), no guest
# state.
all_back() {
	expect_eq "$1: every VF as before" "$(snapshot_now)" "$(cat /tmp/before)"
	vf_netdev_macs | grep -qiE "^(${GUEST_MACS:-52:54:00:e2:e[0-9]:[0-9a-f]{2}})\$" &&
		fail "$1: no VF netdev kept a guest's MAC" "$(vf_netdev_macs | tr '\n' ' ')"
	expect_eq "$1: $STATE is empty (attach's lock and reservations aside)" "$(state_left)" ""
}
