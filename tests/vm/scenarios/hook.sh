# virt-sriov-hook on real igb VFs, run as libvirt 9.0 runs it (the front
# from qemu.d/ and network.d/, exec'ing the full hook, argv NAME OP SUBOP -,
# the XML on stdin, an environment of only LC_ALL PATH HOME), with inputs captured in this same VM layout (PF
# eth0 0000:01:00.0, VFs 0000:01:10.0, 10.2, ...). Two guests: l2net gets
# eth0#0 from a pool (spoofchk off, trust on; MAC/VLAN are libvirt's),
# l2hd gets eth0#1 as a plain <hostdev> (MAC, VLAN 5 QoS 2, spoofchk off,
# trust on). After their teardown every VF must read as before the start.
. /vs/lib.sh
load igb igbvf
D=/vs/data/hook
R=$D/captures-real-vf
P=$D/policy
HOOK_BIN=${VIRT_SRIOV_HOOK:-/usr/bin/virt-sriov-hook}
FRONT_BIN=${VIRT_SRIOV_HOOK_FRONT:-/usr/bin/virt-sriov-hook-front}
[ -d "$R" ] || { fail "hook inputs in the initramfs ($R)"; exit 1; }
[ -x "$HOOK_BIN" ] || { fail "virt-sriov-hook in the initramfs"; exit 1; }
[ -x "$FRONT_BIN" ] || { fail "virt-sriov-hook-front in the initramfs"; exit 1; }

PF=eth0
pf=$(pf_dev $PF)
[ "$(basename "$pf")" = 0000:01:00.0 ] || { fail "igb PF at the captures' address 0000:01:00.0" "$pf"; exit 1; }
$IP link set $PF up
echo 7 >"$pf/sriov_numvfs"
wait_for 20 sh -c "[ \$(ls -d $pf/virtfn*/net/* 2>/dev/null | wc -l) -eq 7 ]" ||
	fail "7 igbvf netdevs appeared"

mkdir -p /tmp/hooks/qemu.d /tmp/hooks/network.d
# As installed: the front in the hooks folders, the full hook where
# VIRT_SRIOV_HOOK_PROGRAM says (the build's libexecdir is not in the guest).
cp "$FRONT_BIN" /tmp/hooks/qemu.d/virt-sriov
cp "$FRONT_BIN" /tmp/hooks/network.d/virt-sriov
STATE=/run/virt-sriov-state
# hook DRIVER NAME OP SUBOP XML
hook() {
	env -i LC_ALL=C PATH=/usr/sbin:/usr/bin HOME=/ VIRT_SRIOV_HOOK_PROGRAM=$HOOK_BIN \
		VIRT_SRIOV_STATE_DIR=$STATE VIRT_SRIOV_CONF=$D/host.conf \
		VIRT_SRIOV_HOOK_LOG=/tmp/hook.log \
		"/tmp/hooks/$1.d/virt-sriov" "$2" "$3" "$4" - <"$5" 2>/tmp/hook.err
}
hook_step() {
	if hook "$@"; then
		pass "hook $1 $2 $3 $4"
	else
		fail "hook $1 $2 $3 $4" "exit $?: $(cat /tmp/hook.err)"
	fi
}
vfs_now() { $IP -d link show dev $PF | grep -E '^ *vf [0-6] '; }
vfline() { ip_vf $PF "$1"; }

before=$(vfs_now)
hook_step qemu l2net prepare begin "$P/l2net_prepare.xml"
hook_step network vfpool port-created begin "$R/004_network_vfpool_port-created_begin.xml"
hook_step qemu l2net start begin "$R/005_qemu_l2net_start_begin.xml"
expect_match "ip: pool VF eth0#0 has spoofchk off, trust on" "$(vfline 0)" 'spoof checking off, .*trust on'
case $(vfline 0) in *vlan*) fail "ip: the hook left the pool VF's VLAN to libvirt" "$(vfline 0)" ;;
*) pass "ip: the hook left the pool VF's VLAN to libvirt" ;; esac
hook_step qemu l2hd prepare begin "$P/l2hd_prepare.xml"
expect_match "ip: hostdev VF eth0#1 has the policy's MAC, VLAN 5 QoS 2, spoofchk off, trust on" \
	"$(vfline 1)" 'link/ether 52:54:00:e2:e0:10 .*vlan 5, qos 2, spoof checking off, .*trust on'
# (each guest's lock, UUID.lock, sits beside its state file while it has one)
expect_eq "one state file per guest" "$(ls "$STATE" | grep -c '\.json$')" 2

hook_step qemu l2net stopped end "$R/007_qemu_l2net_stopped_end.xml"
hook_step network vfpool port-deleted begin "$R/008_network_vfpool_port-deleted_begin.xml"
hook_step qemu l2net release end "$R/009_qemu_l2net_release_end.xml"
hook_step qemu l2hd stopped end "$R/013_qemu_l2hd_stopped_end.xml"
hook_step qemu l2hd release end "$R/014_qemu_l2hd_release_end.xml"
expect_eq "ip: every VF as before the guests started" "$(vfs_now)" "$before"
expect_eq "state directory empty after release" "$(ls -A "$STATE" | wc -l)" 0

# A guest the host forbids: no host configuration opens spoofchk off.
if env -i LC_ALL=C PATH=/usr/sbin:/usr/bin HOME=/ VIRT_SRIOV_HOOK_PROGRAM=$HOOK_BIN VIRT_SRIOV_STATE_DIR=$STATE \
	VIRT_SRIOV_CONF=/nonexistent /tmp/hooks/qemu.d/virt-sriov l2hd prepare begin - \
	<"$P/l2hd_prepare.xml" 2>/tmp/hook.err; then
	fail "a policy the host forbids stops the start" "the hook exited 0"
else
	expect_match "the refusal names guest, VF and setting" "$(cat /tmp/hook.err)" \
		"l2hd.*0000:01:10.2.*spoofchk"
fi
expect_eq "ip: a refused guest changed no VF" "$(vfs_now)" "$before"

# SIGKILL during prepare, at several points, then reconcile (no libvirtd
# here: libvirt's in-process test driver knows no such guest, so every
# state file is a leftover).
if require_command reconcile; then
	for d in 0 30 40 45 50 55 60 100 250; do
		# env execs the front, which execs the full hook: $! is the hook's PID.
		env -i LC_ALL=C PATH=/usr/sbin:/usr/bin HOME=/ VIRT_SRIOV_HOOK_PROGRAM=$HOOK_BIN \
			VIRT_SRIOV_STATE_DIR=$STATE VIRT_SRIOV_CONF=$D/host.conf \
			/tmp/hooks/qemu.d/virt-sriov l2hd prepare begin - \
			<"$P/l2hd_prepare.xml" 2>/dev/null &
		pid=$!
		usleep $((d * 1000))
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		echo "INFO: SIGKILL at ${d} ms: $(ls "$STATE" 2>/dev/null | wc -l) state file(s), VF 1: $(vfline 1 | cut -c 10-)"
		if ! VIRT_SRIOV_STATE_DIR=$STATE VIRT_SRIOV_CONF=$D/host.conf \
			vs -c test:///default reconcile >/tmp/reconcile.out; then
			fail "reconcile after SIGKILL at ${d} ms" "$(vs_stderr)"
			continue
		fi
		expect_eq "SIGKILL at ${d} ms + reconcile: every VF as before" "$(vfs_now)" "$before"
		expect_eq "SIGKILL at ${d} ms + reconcile: no state left" "$(ls -A "$STATE" 2>/dev/null | wc -l)" 0
	done
fi
