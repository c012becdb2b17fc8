# VF settings through devlink on netdevsim in switchdev mode (kernel 6.1):
# vf set of max/min rate and rate group read back through devlink and
# netdevsim's debugfs; the hook (run as libvirt runs it, on a guest whose
# policy asks for rates and a rate group the host declares) creating the
# group, applying at prepare and putting every devlink value back at
# release; vf set --mac refused (netdevsim has no port function hw_addr)
# with nothing changed.  netdevsim's VFs are no PCI devices: the hook sees
# one through a small sysfs tree (VIRT_SRIOV_SYSFS_ROOT) whose VF's physfn
# is netdevsim1.
. /vs/lib.sh
load netdevsim

DEV=netdevsim/netdevsim1
nsd=/sys/bus/netdevsim/devices/netdevsim1
dbg=/sys/kernel/debug/netdevsim/netdevsim1
echo "1 1" >/sys/bus/netdevsim/new_device
wait_for 10 sh -c "ls $nsd/net/* >/dev/null 2>&1" || { fail "netdevsim1 has a netdev"; exit 1; }
PF=$(ls "$nsd/net" | head -n 1)
$IP link set "$PF" up
echo 4 >"$nsd/sriov_numvfs"
if devlink dev eswitch set $DEV mode switchdev 2>/tmp/dl.err; then
	pass "devlink: $DEV in switchdev mode"
else
	fail "devlink: $DEV in switchdev mode" "$(cat /tmp/dl.err)"
	exit 1
fi

# rate_of PORT KEY: the leaf's value as devlink's JSON gives it
rate_of() {
	devlink -j port function rate show "$DEV/$1" 2>/dev/null |
		jq -r --arg k "$DEV/$1" --arg f "$2" '.rate[$k][$f] // "none"'
}
dbg_of() { cat "$dbg/ports/$1/$2" 2>/dev/null; }

# ---- vf set: rates as tx_max / tx_share ----
if require_command vf set; then
	check "vf set $PF#0 --max-tx-rate 10 --min-tx-rate 2" vs vf set "$PF#0" --max-tx-rate 10 --min-tx-rate 2
	expect_eq "debugfs: port 128 tx_max 10 (Mbit/s)" "$(dbg_of 128 tx_max)" 10
	expect_eq "debugfs: port 128 tx_share 2" "$(dbg_of 128 tx_share)" 2
	expect_eq "devlink: port 128 tx_max 1250000 bytes/s" "$(rate_of 128 tx_max)" 1250000
	expect_eq "devlink: port 128 tx_share 250000 bytes/s" "$(rate_of 128 tx_share)" 250000
	check_fails "vf set --rate-group of a group that does not exist fails" vs vf set "$PF#0" --rate-group nosuch
	expect_match "... naming it and where to declare it" "$(vs_stderr)" "rate-group nosuch.*\[rate-group nosuch\]"
fi

# ---- the hook: rates and a declared rate group from a guest's policy ----
FS=/tmp/fs
mkdir -p $FS/sys/bus/pci/devices/netdevsim1/net/$PF $FS/sys/bus/pci/devices/0000:00:1f.0 \
	$FS/sys/bus/pci/drivers/netdevsim
ln -s ../netdevsim1 $FS/sys/bus/pci/devices/0000:00:1f.0/physfn
ln -s ../0000:00:1f.0 $FS/sys/bus/pci/devices/netdevsim1/virtfn1
ln -s ../../drivers/netdevsim $FS/sys/bus/pci/devices/netdevsim1/driver
cat >/tmp/sw.conf <<CONF
[rate-group gold]
pf = $PF
max-tx-rate = 100
CONF
chmod 600 /tmp/sw.conf
cat >/tmp/sw.xml <<XML
<domain type='kvm'>
  <name>swguest</name>
  <uuid>0b7a3d52-7f1c-4b65-9d3e-6a1f0c2d9e11</uuid>
  <metadata>
    <vsp:policy xmlns:vsp='https://virt-sriov.org/xmlns/policy/1'>
      <vsp:vf max-tx-rate='40' min-tx-rate='4' rate-group='gold'/>
    </vsp:policy>
  </metadata>
  <devices>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source><address domain='0x0000' bus='0x00' slot='0x1f' function='0x0'/></source>
    </hostdev>
  </devices>
</domain>
XML
HOOK_BIN=${VIRT_SRIOV_HOOK:-/usr/bin/virt-sriov-hook}
FRONT_BIN=${VIRT_SRIOV_HOOK_FRONT:-/usr/bin/virt-sriov-hook-front}
mkdir -p /tmp/hooks/qemu.d
cp "$FRONT_BIN" /tmp/hooks/qemu.d/virt-sriov
STATE=/run/virt-sriov-sw
hook() {
	env -i LC_ALL=C PATH=/usr/sbin:/usr/bin HOME=/ VIRT_SRIOV_HOOK_PROGRAM=$HOOK_BIN \
		VIRT_SRIOV_STATE_DIR=$STATE VIRT_SRIOV_CONF=/tmp/sw.conf VIRT_SRIOV_SYSFS_ROOT=$FS \
		VIRT_SRIOV_HOOK_LOG=/tmp/hook.log \
		/tmp/hooks/qemu.d/virt-sriov swguest "$1" "$2" - </tmp/sw.xml 2>/tmp/hook.err
}
devlink port function rate set $DEV/129 tx_max 7mbit 2>/dev/null
before_max=$(dbg_of 129 tx_max)
expect_eq "VF 1 before the guest: tx_max 7" "$before_max" 7
if hook prepare begin; then
	pass "hook qemu swguest prepare begin"
else
	fail "hook qemu swguest prepare begin" "$(cat /tmp/hook.err)"
fi
expect_eq "hook: rate group gold made with tx_max 100 Mbit/s" \
	"$(devlink -j port function rate show $DEV/gold 2>/dev/null | jq -r ".rate[\"$DEV/gold\"].tx_max")" 12500000
expect_eq "hook: VF 1 tx_max 40 (debugfs)" "$(dbg_of 129 tx_max)" 40
expect_eq "hook: VF 1 tx_share 4 (debugfs)" "$(dbg_of 129 tx_share)" 4
expect_eq "hook: VF 1's leaf in group gold (devlink)" "$(rate_of 129 parent)" gold
if hook release end; then
	pass "hook qemu swguest release end"
else
	fail "hook qemu swguest release end" "$(cat /tmp/hook.err)"
fi
expect_eq "release: VF 1 tx_max back to 7" "$(dbg_of 129 tx_max)" 7
expect_eq "release: VF 1 tx_share back to 0" "$(dbg_of 129 tx_share)" 0
expect_eq "release: VF 1 in no group" "$(rate_of 129 parent)" none
expect_eq "release: state directory empty" "$(ls -A $STATE 2>/dev/null | wc -l)" 0

# ---- vf set: the rate group the hook made, and back to none ----
if require_command vf set; then
	check "vf set $PF#2 --rate-group gold" vs vf set "$PF#2" --rate-group gold
	expect_eq "devlink: port 130's parent gold" "$(rate_of 130 parent)" gold
	check "vf set $PF#2 --rate-group none" vs vf set "$PF#2" --rate-group none
	expect_eq "devlink: port 130 in no group" "$(rate_of 130 parent)" none
	# ---- MAC: netdevsim has no port function hw_addr ----
	mac_before=$(ip_vf "$PF" 3)
	if vs vf set "$PF#3" --mac 52:54:00:00:00:99 --max-tx-rate 20 >/dev/null; then
		fail "vf set --mac in switchdev mode on netdevsim fails" "exit 0"
	else
		expect_eq "vf set --mac in switchdev mode on netdevsim: exit 1" "$?" 1
	fi
	expect_match "... naming PF, VF and MAC and the port function" "$(vs_stderr)" \
		"$PF .*VF 3: mac 52:54:00:00:00:99: .*port function hw_addr"
	expect_eq "... and nothing changed: VF 3 as before" "$(ip_vf "$PF" 3)" "$mac_before"
	expect_eq "... and nothing changed: port 131 tx_max" "$(dbg_of 131 tx_max)" 0
fi
