# igb (82576) with 7 VFs on the real igb/igbvf drivers and an IOMMU.
# Every product result is compared with sysfs and iproute2's ip. Where a
# product command is missing, its checks fail and the VFs are set up through
# sysfs instead, so the checks of the other commands still run.
. /vs/lib.sh
load igb igbvf vfio-pci

igb_pf
expect_eq "igb PF offers 7 VFs" "$(cat "$pf/sriov_totalvfs")" 7

# numvfs: the command waits until the VF devices exist.
if require_command numvfs; then
	check "numvfs $PF 7" vs numvfs "$PF" 7
else
	echo 7 >"$pf/sriov_numvfs"
fi
expect_eq "sysfs sriov_numvfs after numvfs 7" "$(cat "$pf/sriov_numvfs")" 7
for i in 0 1 2 3 4 5 6; do
	[ -e "$pf/virtfn$i" ] || fail "virtfn$i exists after numvfs"
done
# The VF netdevs come from igbvf's probe, after the PCI devices exist.
wait_for 20 sh -c "[ \$(ls -d $pf/virtfn*/net/* 2>/dev/null | wc -l) -eq 7 ]" ||
	fail "7 igbvf netdevs appeared"

# list --json against sysfs and ip.
expected() {
	for i in 0 1 2 3 4 5 6; do
		v=$(readlink -f "$pf/virtfn$i")
		mac=$(ip_vf "$PF" "$i" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
		echo "$i $(basename "$v") $(dev_driver "$v") $(dev_netdev "$v") $(dev_group "$v") $mac"
	done
}
if require_command list; then
	if vs --json list >/tmp/list.json; then
		pass "list --json"
		expect_eq "list: one PF" "$(jq '.pfs | length' /tmp/list.json)" 1
		expect_eq "list: PF address, netdev, driver, numvfs" \
			"$(jq -r '.pfs[0] | "\(.address) \(.netdev) \(.driver) \(.totalvfs) \(.numvfs)"' /tmp/list.json)" \
			"$PFADDR $PF igb 7 7"
		expect_eq "list: PF IOMMU group" "$(jq -r '.pfs[0].iommu_group' /tmp/list.json)" "$(dev_group "$pf")"
		expect_eq "list: each VF's address, driver, netdev, IOMMU group, MAC" \
			"$(jq -r '.pfs[0].vfs[] | "\(.index) \(.address) \(.driver // "none") \(.netdev) \(.iommu_group) \(.mac)"' /tmp/list.json)" \
			"$(expected)"
	else
		fail "list --json" "$(vs_stderr)"
	fi
fi

# vf set: all settings on one VF, and several VFs in one request.
vfline() { ip_vf "$PF" "$1"; }
if require_command vf set; then
	check "vf set $PF#0 mac+vlan/qos+spoofchk+trust" \
		vs vf set "$PF#0" --mac 52:54:00:aa:00:00 --vlan 100:3 --spoofchk off --trust on
	expect_match "ip: VF 0 has the MAC, VLAN 100 QoS 3, spoofchk off, trust on" "$(vfline 0)" \
		'link/ether 52:54:00:aa:00:00 .*vlan 100, qos 3, spoof checking off, .*trust on'
	check "vf set $PF#1-3 in one request" vs vf set "$PF#1-3" --vlan 200 --spoofchk off --trust on
	for i in 1 2 3; do
		expect_match "ip: VF $i has VLAN 200, spoofchk off, trust on" "$(vfline $i)" \
			'vlan 200, spoof checking off, .*trust on'
	done
	expect_match "ip: VF 4 untouched" "$(vfline 4)" 'spoof checking on, .*trust off'

	# igb has no per-VF link state: the failure names each VF and the setting.
	before=$(vfline 4; vfline 5)
	if vs vf set "$PF#4-5" --link-state disable; then
		fail "vf set --link-state on igb is refused" "it succeeded"
	else
		err=$(vs_stderr)
		expect_match "link-state refusal names the setting" "$err" '[Ll]ink.?state'
		for i in 4 5; do
			a=$(basename "$(readlink -f "$pf/virtfn$i")")
			expect_match "link-state refusal names VF $i" "$err" "(#$i([^0-9]|$)|[Vv][Ff] $i([^0-9]|$)|$a)"
		done
	fi
	expect_eq "ip: VFs 4-5 unchanged after the refused request" "$(vfline 4; vfline 5)" "$before"

	if require_command vf reset; then
		check "vf reset $PF#0-3" vs vf reset "$PF#0-3"
		for i in 0 1 2 3; do
			l=$(vfline $i)
			expect_match "ip: VF $i back to spoofchk on, trust off" "$l" 'spoof checking on, .*trust off'
			case $l in *vlan*) fail "ip: VF $i has no VLAN after reset" "$l" ;;
			*) pass "ip: VF $i has no VLAN after reset" ;; esac
		done
		case $(vfline 0) in *52:54:00:aa:00:00*) fail "ip: VF 0 MAC cleared by reset" "$(vfline 0)" ;;
		*) pass "ip: VF 0 MAC cleared by reset" ;; esac
	fi
fi

# bind: to vfio-pci and back to the host driver.
v0=$(readlink -f "$pf/virtfn0")
a0=$(basename "$v0")
if require_command bind; then
	check "bind $a0 --driver vfio-pci" vs bind "$a0" --driver vfio-pci
	expect_eq "sysfs: VF 0 on vfio-pci" "$(dev_driver "$v0")" vfio-pci
	check "/dev/vfio/<group> exists" test -c "/dev/vfio/$(dev_group "$v0")"
	expect_eq "VF 0 has no netdev while on vfio-pci" "$(dev_netdev "$v0")" ""
	# No libvirtd in this guest: whether a guest holds a VF on vfio-pci
	# cannot be known, so taking it back needs --force.
	check_fails "bind $a0 --driver host refused without libvirt" vs bind "$a0" --driver host
	expect_match "the refusal points to --force" "$(vs_stderr)" '--force'
	expect_eq "sysfs: VF 0 still on vfio-pci after the refusal" "$(dev_driver "$v0")" vfio-pci
	check "bind $a0 --driver host --force" vs bind "$a0" --driver host --force
	expect_eq "sysfs: VF 0 back on igbvf" "$(dev_driver "$v0")" igbvf
	wait_for 10 sh -c "ls $v0/net/* >/dev/null 2>&1" || true
	expect_match "VF 0 has a netdev again" "$(dev_netdev "$v0")" '.'
fi

# capture: this host read back from its snapshot (sysfs files and the VF
# tables rtnetlink reports) prints the same inventory, VF settings included.
if has_command capture; then
	check "capture /tmp/cap" vs capture /tmp/cap
	vs --json list >/tmp/live.json
	"$VIRT_SRIOV" --sysfs-root /tmp/cap --json list >/tmp/cap.json 2>/dev/null
	if cmp -s /tmp/live.json /tmp/cap.json; then
		pass "list --json of the capture is the live host's"
	else
		fail "list --json of the capture is the live host's" "$(diff /tmp/live.json /tmp/cap.json 2>&1 | head -n 8)"
	fi
	expect_match "the capture's VF tables name $PF" "$(cat /tmp/cap/virt-sriov/vfs.json)" "\"$PF\""
fi

if has_command numvfs; then
	check "numvfs $PF 0" vs numvfs "$PF" 0
	expect_eq "sysfs sriov_numvfs after numvfs 0" "$(cat "$pf/sriov_numvfs")" 0
	expect_eq "no virtfn links left" "$(vf_count "$pf")" 0
fi
