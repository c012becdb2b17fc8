# 2. A guest with <interface type='network'> on the pool and a policy
# (spoofchk off, trust on; the host's [pool] section allows both). While it
# runs, its VF has libvirt's MAC and the policy; after `virsh destroy`,
# every VF attribute is back and /run/virt-sriov is empty.
. /vs/e2e-lib.sh
ensure_pool
G=e2e-net MAC=52:54:00:e2:e0:01

define_guest $G || exit 0
check "virt-sriov policy set $G --spoofchk off --trust on --config" \
	vs policy set $G --spoofchk off --trust on --config
expect_match "virsh dumpxml: the policy is in the domain's metadata" \
	"$(virsh dumpxml --inactive $G | tr -d '\n')" "<metadata>.*spoofchk=.off.*</metadata>"
snapshot /tmp/before
mark=$(hook_mark)
if start_guest $G; then
	pass "virsh start $G ($START_MS ms)"
else
	fail "virsh start $G" "$(cat /tmp/start.out)"
	exit 0
fi
n=$(vf_by_mac $MAC)
if [ -z "$n" ]; then
	fail "ip: a VF of $PF has the guest's MAC $MAC" "$(vfs_now | tr '\n' ' ')"
	destroy_guest $G
	exit 0
fi
pass "ip: VF $n of $PF has the guest's MAC $MAC (written by libvirt)"
expect_match "ip: VF $n has the policy: spoof checking off, trust on" "$(vf_line "$n")" \
	"link/ether $MAC .*spoof checking off, .*trust on"
expect_eq "sysfs: VF $n is on vfio-pci while the guest runs" "$(vf_driver_n "$n")" vfio-pci
expect_eq "ip: the other VFs are untouched" \
	"$(vfs_now | grep -vE "^ *vf $n ")" "$(grep -E "^ *vf " /tmp/before | grep -vE "^ *vf $n ")"
expect_eq "one state file in $STATE" "$(state_count)" 1
expect_match "the state file is the guest's" "$(ls $STATE)" "$(dom_uuid $G)"
expect_match "virsh dumpxml: the guest has VF $n ($(vf_addr_n "$n"))" \
	"$(virsh dumpxml $G | tr -d '\n')" "$(vf_addr_n "$n" | sed "s/\(....\):\(..\):\(..\)\.\(.\)/domain='0x\1' bus='0x\2' slot='0x\3' function='0x\4'/")"
if vs --json list $PF >/tmp/list.json; then
	expect_eq "list --json: VF $n in_use_by $G" \
		"$(jq -r --argjson n "$n" '.pfs[0].vfs[] | select(.index == $n) | .in_use_by' /tmp/list.json)" $G
else
	fail "virt-sriov --json list $PF" "$(vs_stderr)"
fi
info "hook runs at start: $(hook_times "$mark" | tr '\n' ' ')"

if destroy_guest $G; then pass "virsh destroy $G"; else fail "virsh destroy $G"; fi
wait_for 10 vf_on "$n" igbvf
expect_eq "every VF as before the start (ip -d link show)" "$(snapshot_now)" "$(cat /tmp/before)"
no_guest_mac_on_netdevs $MAC
expect_eq "$STATE is empty (attach's lock and reservations aside)" "$(state_left)" ""
expect_eq "sysfs: VF $n back on igbvf" "$(vf_driver_n "$n")" igbvf
