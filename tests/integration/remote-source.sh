#!/bin/sh
# The inventory from libvirt's node devices (--source libvirt, what a
# remote URI uses) against the sysfs inventory of the same host: a
# generated host tree and the test driver's node-host.xml, which holds
# its devices as libvirt shows them.  Field by field, VF settings aside
# (not known from libvirt), drivers aside (the test driver keeps none) and
# sriov_drivers_autoprobe aside (not in libvirt's node devices).  Then the
# gate: what needs the host says so over a remote URI, exit 2.
. "${top_srcdir:?}/tests/integration/lib.sh"
need jq

tmpdir remote
host_tree "$W/tree" --pf addr=0000:01:00.0,num=3,netdev=em1,vfdriver=igbvf,vfnetdev=em1,numa=0 --profile nvme
uri="test://$top_srcdir/tests/data/nodedev/node-host.xml"
strip='del(.warnings, .version, .usage_known) | .pfs[] |= (del(.driver, .drivers_autoprobe, .complete) |
	.vfs[] |= {index, address, netdev, iommu_group, vendor_id, device_id})'

run_on tree list --json
[ "$rc" = 0 ] || fail "list --json (sysfs): $(cat "$W/err")"
jq -S "$strip" "$W/out" >"$W/sysfs.json"
run -c "$uri" list --json --source libvirt
[ "$rc" = 0 ] || fail "list --json --source libvirt: $(cat "$W/err")"
cp "$W/out" "$W/libvirt-full.json"
jq -S "$strip" "$W/out" >"$W/libvirt.json"
if [ -s "$W/sysfs.json" ] && [ "$(jq '.pfs | length' "$W/sysfs.json")" = 2 ] && cmp -s "$W/sysfs.json" "$W/libvirt.json"; then
	pass "list --json: libvirt's node devices equal sysfs field by field (2 PFs, 7 VFs)"
else
	fail "libvirt source differs from sysfs: $(diff "$W/sysfs.json" "$W/libvirt.json" | head -n 20)"
fi
[ "$(jq -c '[.pfs[0].vfs[] | .config_known, .vlan, .spoofchk] | unique' "$W/libvirt-full.json")" = '[null,false]' ] &&
	pass "VF settings null from libvirt" || fail "VF settings from libvirt: $(jq -c '.pfs[0].vfs[0]' "$W/libvirt-full.json")"
[ "$(jq -r '.pfs[0].vfs[1].in_use_by' "$W/libvirt-full.json")" = holder ] &&
	pass "in_use_by from the domain XML" || fail "in_use_by: $(jq -c '[.pfs[0].vfs[].in_use_by]' "$W/libvirt-full.json")"
jq -r '.warnings[]' "$W/libvirt-full.json" | grep -q 'VF settings' &&
	pass "a warning says the VF settings are not known" || fail "no warning about VF settings"

# This machine: as many PFs from libvirt's test:///default as from sysfs.
run list --json
a=$(jq '.pfs | length' "$W/out" 2>/dev/null)
run -c test:///default list --json --source libvirt
b=$(jq '.pfs | length' "$W/out" 2>/dev/null)
[ -n "$a" ] && [ "$a" = "$b" ] && pass "this machine: $a PFs from sysfs and from test:///default" ||
	fail "this machine: sysfs ${a:-?} PFs, test:///default ${b:-?}: $(cat "$W/err")"

# Names resolve against libvirt's inventory.
run -c "$uri" show em1v1 --source libvirt
grep -q 'In use by: *holder' "$W/out" && pass "show em1v1 --source libvirt" || fail "show em1v1: $(cat "$W/out" "$W/err")"
run -c "$uri" list em1 --json --source libvirt
[ "$(jq '.pfs | length' "$W/out")" = 1 ] && pass "list em1 --source libvirt: one PF" || fail "list em1: $(cat "$W/err")"

# check: what the node devices answer; the rest named as skipped.
run -c "$uri" check --json --source libvirt
[ "$rc" = 0 ] && [ "$(jq -c '[.checks[].check] | unique' "$W/out")" = '["sriov-pfs"]' ] &&
	jq -r '.warnings[]' "$W/out" | grep -q 'skipped.*iommu-groups.*acs' &&
	pass "check --source libvirt: sriov-pfs, the others named as skipped" || fail "check --source libvirt: $rc $(cat "$W/out" "$W/err")"

# plan: the guest's VFs located in libvirt's inventory, not in sysfs.
cp "$top_srcdir/tests/data/nodedev/guest-g1.xml" "$W/dom.xml"
: >"$W/empty.conf"
VIRT_SRIOV_CONF=$W/empty.conf run -c "$uri" plan --domain-xml "$W/dom.xml" --source libvirt
[ "$(jq -c '.vfs[0] | [.pf, .index, .settings.vlan]' "$W/out" 2>/dev/null)" = '["em1",1,12]' ] &&
	pass "plan --source libvirt: em1#1 with its policy" || fail "plan --source libvirt: $(cat "$W/out" "$W/err")"
expect 2 "plan --op release needs the host (its state directory): run it on 127.0.0.1" \
	-c qemu+tcp://127.0.0.1:1/system plan --domain-xml "$W/dom.xml" --op release

# The gate.
remote=qemu+tcp://127.0.0.1:1/system
expect 2 "vf set needs the host: run it on 127.0.0.1" -c "$remote" vf set 'em1#0' --vlan 5
expect 2 "numvfs needs the host: run it on 127.0.0.1" -c "$remote" numvfs em1 2
expect 2 "bind needs the host: run it on 127.0.0.1" -c "$remote" bind 'em1#0' --driver vfio-pci
expect 2 "apply needs the host: run it on 127.0.0.1" -c "$remote" apply
expect 2 "capture needs the host: run it on 127.0.0.1" -c "$remote" capture "$W/cap"
expect 2 "not race-free" -c "$remote" attach g --pf em1
expect 2 "not race-free" -c "$remote" attach g --vf 'em1#0'
expect 2 "--source sysfs reads this machine's devices" -c "$remote" list --source sysfs
expect 2 "expected libvirt or sysfs" list --source nfs
finish
