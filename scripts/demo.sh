#!/bin/sh
# The README's main job: an admin's day with virt-sriov on the bundled sample
# host, a Dell R730 (I350 ports em1-em4, em1/em2 with 7 VFs each; an 82599ES
# pair p2p1/p2p2, some VFs on vfio-pci), with libvirt's test driver instead
# of a real daemon. The sample host is a capture (virt-sriov capture): its
# sysfs files and its PFs' VF tables (virt-sriov/vfs.json), so the VF
# settings shown are the ones its kernel reported. Nothing on this machine
# is read or changed.
# Usage: demo.sh BUILDDIR
set -u
build=${1:?usage: demo.sh BUILDDIR}
src=$(cd "$(dirname "$0")/.." && pwd)
# templates from the source tree, as an installed copy would find them
VIRT_SRIOV_TEMPLATE_DIR=$src/xml-templates
work=$build/demo-host
tree=$work/sample-host
VIRT_SRIOV_STATE_DIR=$work/state
VIRT_SRIOV_CONF=$work/virt-sriov.conf
export VIRT_SRIOV_TEMPLATE_DIR VIRT_SRIOV_STATE_DIR VIRT_SRIOV_CONF
vs() {
	echo
	echo "\$ virt-sriov $*"
	"$build/virt-sriov" --sysfs-root "$tree" -c test:///default "$@"
}
step() {
	echo
	echo "=== $*"
}
say() { printf '%s\n' "$@" | sed 's/^/  | /'; }

rm -rf "$work"
mkdir -p "$work" || exit 1
"$build/tests/tools/gen-host-tree" --profile r730 --vf-settings "$work/generated" || exit 1
"$build/virt-sriov" --sysfs-root "$work/generated" capture "$tree" >/dev/null || exit 1
rm -rf "$work/generated"
echo "Sample host: $tree"
echo "(a capture: its sysfs files and VF tables; \`virt-sriov capture DIR\` makes one of any host)"

step "1. Inventory: PFs, VFs, their drivers, IOMMU groups and VF settings"
vs list || exit 1
vs show em1#3 || exit 1

step "2. Is the host ready for passthrough?"
vs check
say "(exit status $?: each WARN or FAIL says what to do)"

step "3. Hostdev pools: one libvirt network per PF"
vs xml network em1 || exit 1
vs network apply em1 em2 || exit 1

step "4. The host's rules, in virt-sriov.conf: what every guest's VF gets, what a guest may ask"
cat >"$VIRT_SRIOV_CONF" <<'EOF'
# Every VF a guest gets: spoof checking on, not trusted.
[defaults]
spoofchk = on
trust = off

# Guests on the 82599 ports may turn spoof checking off and be trusted
# (bonding, VLAN filtering in the guest).
[pf p2p1]
allow-spoofchk-off = yes
allow-trust-on = yes
numvfs = 4

# Host setup, made at boot by virt-sriov.service (virt-sriov apply):
# two VFs of em2 kept on vfio-pci for guests, a VLAN on the host's own VF.
[vfs em2#5-6]
driver = vfio-pci

[vfs em1#0]
vlan = 100
EOF
echo
echo "\$ cat $VIRT_SRIOV_CONF"
cat "$VIRT_SRIOV_CONF"

step "5. A guest gets a VF: its policy, then attach picks a free VF"
vs policy set test --vlan 42 --trust on --config || exit 1
vs attach test --pf p2p1 --config
say "(the test driver cannot attach devices: attach picked the VF above and stopped;" \
    " on qemu:///system it attaches this device:)"
vs xml hostdev p2p1#0 || exit 1

step "6. What the hook will apply when that guest starts (plan)"
vf0=$(basename "$(readlink "$tree/sys/bus/pci/devices/0000:19:00.0/virtfn0")")
bus=${vf0#*:} bus=${bus%%:*} slot=${vf0##*:} slot=${slot%.*} fn=${vf0##*.}
sed "s|<address domain='0x0000' bus='0x01' slot='0x10' function='0x2'/>|<address domain='0x0000' bus='0x$bus' slot='0x$slot' function='0x$fn'/>|" \
	"$src/tests/data/hook/policy/l2hd_prepare.xml" >"$work/guest.xml"
say "guest l2hd: <hostdev> of $vf0 (p2p1#0), its policy in the domain metadata:" \
    "$(grep '<vsp:vf ' "$work/guest.xml" | sed 's/^ *//')"
vs plan --domain-xml "$work/guest.xml" || exit 1

step "7. Boot-time setup from virt-sriov.conf, as virt-sriov.service runs it (dry run)"
vs -n apply --no-libvirt || exit 1
vs -n vf set em1#1 --spoofchk off --save || exit 1
say "(--save writes the change into virt-sriov.conf, for the next boot; -n: nothing written)"
echo
echo "\$ virt-sriov check | grep -A1 virt-sriov.service"
"$build/virt-sriov" --sysfs-root "$tree" check | grep -A1 virt-sriov.service

step "What this demo does not prove"
say "- libvirt's test driver keeps nothing between two commands: every virt-sriov run opens" \
    "  a fresh test:///default, so the pools of step 3 and the policy of step 5 are gone after it." \
    "- the test driver \"starts\" a hostdev pool without looking at its PF; a real libvirtd" \
    "  refuses one whose PF has no VFs (virt-sriov apply makes them first, at boot)." \
    "- the test driver cannot attach devices: step 5 stops after picking the VF." \
    "- nothing is written to sysfs or sent over rtnetlink: the VF settings come from the" \
    "  capture's VF tables, and the hook did not run (plan shows what it would send)." \
    "- a real NIC's driver may refuse a setting (EOPNOTSUPP) or take time to make VFs: the VM" \
    "  tiers (make check-vm, make check-e2e) prove those on emulated igb hardware."
