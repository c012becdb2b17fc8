# NVMe PF with 127 VFs behind an IOMMU: inventory and numvfs at scale, and
# vfio-pci binding with real IOMMU groups.
. /vs/lib.sh
load nvme vfio-pci
N=127

pf=$(ls -d /sys/bus/pci/drivers/nvme/0000:* 2>/dev/null | head -n 1)
[ -n "$pf" ] || { fail "nvme PF bound to nvme"; exit 1; }
pf=$(readlink -f "$pf")
PFADDR=$(basename "$pf")
expect_eq "NVMe PF offers $N VFs" "$(cat "$pf/sriov_totalvfs")" $N
# nvme would grab the VFs and fail to start them (no flexible resources
# assigned): keep the VFs driverless.
echo 0 >"$pf/sriov_drivers_autoprobe"

if require_command numvfs; then
	check "numvfs $PFADDR $N" vs numvfs "$PFADDR" $N
else
	echo $N >"$pf/sriov_numvfs"
fi
expect_eq "sysfs sriov_numvfs" "$(cat "$pf/sriov_numvfs")" $N
expect_eq "virtfn links" "$(vf_count "$pf")" $N

expected() {
	i=0
	while [ $i -lt $N ]; do
		v=$(readlink -f "$pf/virtfn$i")
		echo "$i $(basename "$v") $(dev_driver "$v") $(dev_group "$v")"
		i=$((i + 1))
	done
}
if require_command list; then
	if vs --json list "$PFADDR" >/tmp/list.json; then
		pass "list --json $PFADDR"
		expect_eq "list: PF address, driver, totalvfs, numvfs" \
			"$(jq -r '.pfs[0] | "\(.address) \(.driver) \(.totalvfs) \(.numvfs)"' /tmp/list.json)" \
			"$PFADDR nvme $N $N"
		expect_eq "list: PF has no netdev" "$(jq -r '.pfs[0].netdev' /tmp/list.json)" null
		# VFs in numeric order (virtfn10 sorts before virtfn2 as text).
		expect_eq "list: $N VFs with sysfs's addresses, drivers, IOMMU groups" \
			"$(jq -r '.pfs[0].vfs[] | "\(.index) \(.address) \(.driver // "none") \(.iommu_group)"' /tmp/list.json)" \
			"$(expected)"
		expect_eq "list: one IOMMU group per VF" \
			"$(jq '[.pfs[0].vfs[].iommu_group] | unique | length' /tmp/list.json)" $N
	else
		fail "list --json $PFADDR" "$(vs_stderr)"
	fi
fi

if require_command check; then
	vs check >/tmp/check.out
	grep -i iommu /tmp/check.out | sed 's/^/INFO: check: /'
	expect_match "check: IOMMU passes with intel_iommu=on" "$(grep -i iommu /tmp/check.out)" 'PASS'
	expect_eq "check: no IOMMU check fails with intel_iommu=on" \
		"$(grep -i iommu /tmp/check.out | grep -c 'FAIL')" 0
fi

last=$(basename "$(readlink -f "$pf/virtfn$((N - 1))")")
if require_command bind; then
	check "bind $last --driver vfio-pci" vs bind "$last" --driver vfio-pci
	v=/sys/bus/pci/devices/$last
	expect_eq "sysfs: VF $((N - 1)) on vfio-pci" "$(dev_driver "$v")" vfio-pci
	check "/dev/vfio/<group> of VF $((N - 1)) exists" test -c "/dev/vfio/$(dev_group "$v")"
fi

# Shrinking a non-zero count takes a write of 0 first (EBUSY otherwise).
if has_command numvfs; then
	[ "$(dev_driver "/sys/bus/pci/devices/$last")" = vfio-pci ] &&
		echo "$last" >/sys/bus/pci/drivers/vfio-pci/unbind
	check "numvfs $PFADDR 4 (from $N)" vs numvfs "$PFADDR" 4
	expect_eq "sysfs sriov_numvfs after numvfs 4" "$(cat "$pf/sriov_numvfs")" 4
	check "numvfs $PFADDR 0" vs numvfs "$PFADDR" 0
	expect_eq "no virtfn links left" "$(vf_count "$pf")" 0
fi
