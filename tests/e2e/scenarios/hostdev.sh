# 3. A guest with a plain <hostdev> VF (eth0#1) and a policy in its XML
# with MAC, VLAN 5 QoS 2 and spoofchk off: libvirt touches none of these
# for a plain <hostdev>, so all of it is the hook's. Applied while it runs,
# put back after.
. /vs/e2e-lib.sh
ensure_pool
G=e2e-hd N=1
addr=$(vf_addr_n $N)
define_guest $G "$(vf_addr_sed "$addr")" || exit 0
snapshot /tmp/before
if start_guest $G; then
	pass "virsh start $G with <hostdev> $addr ($START_MS ms)"
else
	fail "virsh start $G" "$(cat /tmp/start.out)"
	exit 0
fi
expect_match "ip: VF $N has the policy's MAC, VLAN 5 QoS 2, spoof checking off" "$(vf_line $N)" \
	"link/ether 52:54:00:e2:e0:10 .*vlan 5, qos 2, spoof checking off, .*trust off"
expect_eq "sysfs: VF $N is on vfio-pci" "$(vf_driver_n $N)" vfio-pci
expect_eq "ip: the other VFs are untouched" \
	"$(vfs_now | grep -vE "^ *vf $N ")" "$(grep -E "^ *vf " /tmp/before | grep -vE "^ *vf $N ")"
expect_eq "one state file in $STATE" "$(state_count)" 1
if vs --json list $PF >/tmp/list.json; then
	expect_eq "list --json: VF $N in_use_by $G, with the MAC and VLAN" \
		"$(jq -r --argjson n $N '.pfs[0].vfs[] | select(.index == $n) | "\(.in_use_by) \(.mac) \(.vlan) \(.qos) \(.spoofchk)"' /tmp/list.json)" \
		"$G 52:54:00:e2:e0:10 5 2 false"
else
	fail "virt-sriov --json list $PF" "$(vs_stderr)"
fi
if destroy_guest $G; then pass "virsh destroy $G"; else fail "virsh destroy $G"; fi
wait_for 10 vf_on $N igbvf
expect_eq "every VF as before the start (ip -d link show)" "$(snapshot_now)" "$(cat /tmp/before)"
no_guest_mac_on_netdevs 52:54:00:e2:e0:10
expect_eq "$STATE is empty (attach's lock and reservations aside)" "$(state_left)" ""
expect_eq "sysfs: VF $N back on igbvf" "$(vf_driver_n $N)" igbvf
