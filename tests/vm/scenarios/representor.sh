# Representors on guest start: netdevsim with 2 VFs in switchdev mode
# (devlink), virt-sriov-hook run as libvirt runs it on a domain whose
# policy names a bridge.  After prepare the VF's representor is up and in
# the bridge (ip, sysfs; ovs-vsctl list-ports for Open vSwitch), after
# release it is out; a missing bridge refuses the start; check says OVS
# hw-offload is off.
# netdevsim's VFs have no PCI device, while libvirt names a VF by its PCI
# address: a small sysfs tree gives VF 0000:00:1f.1 its PF (the netdevsim
# PF's netdev), and its /sys/class/net is the real one, so the representor,
# the bridge and every request are the kernel's own.
. /vs/lib.sh
load netdevsim bridge crc32c_generic openvswitch
HOOK_BIN=${VIRT_SRIOV_HOOK:-/usr/bin/virt-sriov-hook}
FRONT_BIN=${VIRT_SRIOV_HOOK_FRONT:-/usr/bin/virt-sriov-hook-front}
[ -x /usr/sbin/devlink ] || { fail "devlink in the initramfs"; exit 1; }

nsd=/sys/bus/netdevsim/devices/netdevsim1
echo "1 1" >/sys/bus/netdevsim/new_device
wait_for 10 sh -c "ls $nsd/net/* >/dev/null 2>&1" || { fail "netdevsim1 has a netdev"; exit 1; }
PF=$(ls "$nsd/net" | head -n 1)
$IP link set "$PF" up
echo 2 >"$nsd/sriov_numvfs"
check "devlink: eswitch of netdevsim1 to switchdev" devlink dev eswitch set netdevsim/netdevsim1 mode switchdev
# rep_of N: the netdev whose phys_port_name is pf0vfN, as ip/sysfs see it
rep_of() {
	for n in /sys/class/net/*; do
		[ "$(cat "$n/phys_port_name" 2>/dev/null)" = "pf0vf$1" ] && basename "$n" && return 0
	done
	return 1
}
wait_for 10 rep_of 1 || { fail "a representor for VF 1 (pf0vf1)"; exit 1; }
REP=$(rep_of 1)
expect_eq "representor $REP on the PF's switch" "$(cat /sys/class/net/$REP/phys_switch_id)" \
	"$(cat /sys/class/net/$PF/phys_switch_id)"

T=/tmp/tree
D=$T/sys/bus/pci/devices
mkdir -p "$D/0000:00:1f.0/net/$PF" "$D/0000:00:1f.1" "$T/sys/class"
ln -s /sys/class/net "$T/sys/class/net"
echo 0x1af4 >"$D/0000:00:1f.0/vendor"
echo 0x1000 >"$D/0000:00:1f.0/device"
ln -s ../0000:00:1f.1 "$D/0000:00:1f.0/virtfn1"
ln -s ../0000:00:1f.0 "$D/0000:00:1f.1/physfn"

mkdir -p /tmp/hooks/qemu.d
cp "$FRONT_BIN" /tmp/hooks/qemu.d/virt-sriov
UUID=9d7e0c2a-5f0b-4d41-8e57-3c2b1d0a7e11
STATE=/run/virt-sriov-state
CONF=/nonexistent
domain() {
	cat <<XML
<domain type='kvm'><name>rep1</name><uuid>$UUID</uuid>
<metadata><vsp:policy xmlns:vsp='https://virt-sriov.org/xmlns/policy/1'>$1</vsp:policy></metadata>
<devices><hostdev mode='subsystem' type='pci' managed='yes'><source>
<address domain='0x0000' bus='0x00' slot='0x1f' function='0x1'/></source></hostdev></devices></domain>
XML
}
hook() {
	env -i LC_ALL=C PATH=/usr/sbin:/usr/bin HOME=/ VIRT_SRIOV_HOOK_PROGRAM=$HOOK_BIN \
		VIRT_SRIOV_SYSFS_ROOT=$T VIRT_SRIOV_STATE_DIR=$STATE VIRT_SRIOV_CONF=$CONF \
		VIRT_SRIOV_HOOK_LOG=/tmp/hook.log /tmp/hooks/qemu.d/virt-sriov rep1 "$1" "$2" - <"$3" 2>/tmp/hook.err
}
hook_step() {
	if hook "$@"; then pass "hook $1 $2"; else fail "hook $1 $2" "exit $?: $(cat /tmp/hook.err)"; fi
}
master() { basename "$(readlink /sys/class/net/$REP/master 2>/dev/null)" 2>/dev/null; }
is_up() { [ $(($(cat /sys/class/net/$REP/flags) & 1)) = 1 ]; }

# ---- Linux bridge
$IP link add br0 type bridge
$IP link set br0 up
$IP link set "$REP" down
domain "<vsp:vf bridge='br0'/>" >/tmp/br0.xml
hook_step prepare begin /tmp/br0.xml
is_up && pass "ip: representor $REP up" || fail "ip: representor $REP up" "$($IP link show dev $REP)"
expect_eq "sysfs: $REP in br0" "$(master)" br0
expect_match "ip: $REP master br0" "$($IP link show dev $REP)" "master br0"
hook_step release end /tmp/br0.xml
expect_eq "sysfs: $REP out of br0 after release" "$(master)" ""
expect_eq "state directory empty after release" "$(ls "$STATE" 2>/dev/null | grep -c '\.json$')" 0

domain "<vsp:vf bridge='br9'/>" >/tmp/br9.xml
if hook prepare begin /tmp/br9.xml; then
	fail "a missing bridge refuses the start" "the hook exited 0"
else
	expect_match "the refusal names VF, representor and bridge" "$(cat /tmp/hook.err)" \
		"VF 0000:00:1f.1: representor $REP cannot join Linux bridge br9"
fi

# ---- Open vSwitch: ovsdb-server and ovs-vswitchd in the guest
for p in ovsdb-server ovsdb-tool ovs-vswitchd ovs-vsctl; do
	command -v $p >/dev/null || { fail "$p in the initramfs (openvswitch-switch on the host)"; exit 1; }
done
[ -e /var/run ] || ln -s /run /var/run
mkdir -p /run/openvswitch /etc/openvswitch
DB=unix:/run/openvswitch/db.sock
ovsdb-tool create /etc/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
check "ovsdb-server started" ovsdb-server /etc/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock \
	--pidfile=/run/openvswitch/ovsdb-server.pid --no-chdir --log-file=/tmp/ovsdb-server.log --detach
vsctl() { ovs-vsctl --db=$DB --timeout=120 "$@"; }
vsctl --no-wait init
check "ovs-vswitchd started" ovs-vswitchd $DB --pidfile=/run/openvswitch/ovs-vswitchd.pid --no-chdir \
	--log-file=/tmp/ovs-vswitchd.log --detach
check "ovs-vsctl add-br br-int" vsctl add-br br-int
domain "<vsp:vf ovs-bridge='br-int'/>" >/tmp/ovs.xml
hook_step prepare begin /tmp/ovs.xml
expect_eq "ovs-vsctl list-ports br-int: $REP" "$(vsctl list-ports br-int)" "$REP"
is_up && pass "ip: representor $REP up (OVS)" || fail "ip: representor $REP up (OVS)"
wait_for 30 sh -c "[ \"\$(basename \$(readlink /sys/class/net/$REP/master))\" = ovs-system ]" &&
	pass "sysfs: ovs-vswitchd put $REP in its datapath (master ovs-system)" ||
	fail "sysfs: $REP in the OVS datapath" "master $(master)"
hook_step release end /tmp/ovs.xml
expect_eq "ovs-vsctl list-ports br-int: empty after release" "$(vsctl list-ports br-int)" ""

# check: the PF's representors go to an OVS bridge, hw-offload is off
printf '[pf %s]\nrepresentor-ovs-bridge = br-int\n' "$PF" >/tmp/ovs.conf
VIRT_SRIOV_CONF=/tmp/ovs.conf vs --json check >/tmp/check.json
expect_match "check: OVS hw-offload off" \
	"$(jq -r '.checks[] | select(.check == "ovs-hw-offload") | .status + " " + .message' /tmp/check.json)" \
	"^WARN OVS hw-offload is off.*br-int"
vsctl set Open_vSwitch . other_config:hw-offload=true
VIRT_SRIOV_CONF=/tmp/ovs.conf vs --json check >/tmp/check.json
expect_match "check: OVS hw-offload on" \
	"$(jq -r '.checks[] | select(.check == "ovs-hw-offload") | .status' /tmp/check.json)" "^PASS$"
