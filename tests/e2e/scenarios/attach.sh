# 5. `virt-sriov attach GUEST --pf eth0` to a running guest: libvirt runs no
# hook for a hot-plugged <hostdev>, so attach applies the settings itself
# (saved in the guest's state file); `virt-sriov list` shows the guest; the
# release hook puts the VF back when the guest is destroyed.
. /vs/e2e-lib.sh
ensure_pool
G=e2e-att MAC=52:54:00:e2:e0:20
define_guest $G || exit 0
if start_guest $G; then pass "virsh start $G (no VF)"; else fail "virsh start $G" "$(cat /tmp/start.out)"; exit 0; fi
snapshot /tmp/before
t0=$(now_ms)
if vs --json attach $G --pf $PF --mac $MAC --vlan 7 --spoofchk off >/tmp/attach.json; then
	pass "virt-sriov attach $G --pf $PF --mac $MAC --vlan 7 --spoofchk off ($(($(now_ms) - t0)) ms)"
else
	fail "virt-sriov attach $G --pf $PF" "$(vs_stderr)"
	destroy_guest $G
	exit 0
fi
n=$(vf_by_mac $MAC)
if [ -z "$n" ]; then
	fail "ip: a VF of $PF has the MAC given to attach" "$(vfs_now | tr '\n' ' ') / $(cat /tmp/attach.json)"
	destroy_guest $G
	exit 0
fi
addr=$(vf_addr_n "$n")
expect_match "ip: VF $n has MAC, VLAN 7, spoof checking off" "$(vf_line "$n")" \
	"link/ether $MAC .*vlan 7, spoof checking off, .*trust off"
expect_match "attach --json names the VF" "$(cat /tmp/attach.json)" "$addr"
expect_eq "sysfs: VF $n is on vfio-pci" "$(vf_driver_n "$n")" vfio-pci
expect_match "virsh dumpxml: the guest has <hostdev> $addr" "$(virsh dumpxml $G | tr -d '\n')" \
	"<hostdev .*$(echo "$addr" | sed "s/\(....\):\(..\):\(..\)\.\(.\)/domain='0x\1' bus='0x\2' slot='0x\3' function='0x\4'/")"
expect_eq "ip: the other VFs are untouched" \
	"$(vfs_now | grep -vE "^ *vf $n ")" "$(grep -E "^ *vf " /tmp/before | grep -vE "^ *vf $n ")"
expect_eq "one state file in $STATE" "$(state_count)" 1
if vs --json list $PF >/tmp/list.json; then
	expect_eq "list --json: VF $n in_use_by $G" \
		"$(jq -r --argjson n "$n" '.pfs[0].vfs[] | select(.index == $n) | .in_use_by' /tmp/list.json)" $G
else
	fail "virt-sriov --json list $PF" "$(vs_stderr)"
fi
if destroy_guest $G; then pass "virsh destroy $G"; else fail "virsh destroy $G"; fi
wait_for 10 vf_on "$n" igbvf
expect_eq "every VF as before the attach (ip -d link show)" "$(snapshot_now)" "$(cat /tmp/before)"
no_guest_mac_on_netdevs $MAC
expect_eq "$STATE is empty (attach's lock and reservations aside)" "$(state_left)" ""
