# The NVMe PF without an IOMMU: no IOMMU groups, so check must report FAIL
# for the IOMMU and bind to vfio-pci must refuse with a clear message.
. /vs/lib.sh
load nvme vfio-pci

pf=$(readlink -f "$(ls -d /sys/bus/pci/drivers/nvme/0000:* | head -n 1)")
echo 0 >"$pf/sriov_drivers_autoprobe"
echo 4 >"$pf/sriov_numvfs"
expect_eq "sysfs: no IOMMU group for the VF" "$(dev_group "$pf/virtfn0")" null

if require_command check; then
	vs check >/tmp/check.out
	grep -i iommu /tmp/check.out | sed 's/^/INFO: check: /'
	expect_match "check: IOMMU reported as FAIL" "$(grep -i iommu /tmp/check.out)" 'FAIL'
fi

vf=$(basename "$(readlink -f "$pf/virtfn0")")
if require_command bind; then
	if vs bind "$vf" --driver vfio-pci; then
		fail "bind $vf --driver vfio-pci fails without an IOMMU" "it succeeded"
	else
		err=$(vs_stderr)
		pass "bind $vf --driver vfio-pci fails without an IOMMU"
		expect_match "the refusal names the VF" "$err" "$vf"
		expect_match "the refusal says why (IOMMU)" "$err" '[Ii][Oo][Mm][Mm][Uu]'
	fi
	expect_eq "sysfs: the VF is on no driver" "$(dev_driver "/sys/bus/pci/devices/$vf")" none
fi
