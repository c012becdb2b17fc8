#!/bin/sh
# `virt-sriov check` on the machine the suite runs on, read as it is (no
# --sysfs-root).  The expectations come from the machine itself (ls of
# /sys/kernel/iommu_groups and the ACPI tables), not from the tool: on this
# project's machine there is no IOMMU and no SR-IOV, so the IOMMU checks must
# FAIL with the grub remedy and the exit status must be 1.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV"
need jq
unset VIRT_SRIOV_SYSFS_ROOT
tmpdir check-live

rc=0
"$VIRT_SRIOV" check >"$W/out" 2>"$W/err" || rc=$?
cat "$W/out"
grep -q '^SR-IOV: Checking if IOMMU is enabled by kernel  *: \(PASS\|WARN\|FAIL\) (' "$W/out" ||
	fail "no virt-host-validate style line for the IOMMU"

groups=$(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)
if [ "$groups" -eq 0 ]; then
	grep -q '^SR-IOV: Checking if IOMMU is enabled by kernel  *: FAIL' "$W/out" || fail "IOMMU not reported FAIL"
	grep -q "add 'intel_iommu=on iommu=pt' to GRUB_CMDLINE_LINUX in /etc/default/grub, then run update-grub and reboot\|add 'amd_iommu=on iommu=pt' to GRUB_CMDLINE_LINUX" "$W/out" ||
		fail "no grub remedy"
	[ "$rc" -eq 1 ] || fail "exit status $rc with the IOMMU off, want 1"
else
	grep -q '^SR-IOV: Checking if IOMMU is enabled by kernel  *: PASS' "$W/out" || fail "IOMMU on ($groups groups) not PASS"
fi
if ! ls /sys/firmware/acpi/tables/DMAR /sys/firmware/acpi/tables/IVRS /sys/firmware/acpi/tables/IORT >/dev/null 2>&1 &&
	[ "$groups" -eq 0 ]; then
	grep -q 'Checking for device assignment IOMMU support  *: FAIL' "$W/out" || fail "no ACPI table, not FAIL"
	grep -q -- '-> enable VT-d (Intel) or AMD-Vi' "$W/out" || fail "no firmware remedy"
fi
pfs=$(ls /sys/bus/pci/devices/*/sriov_totalvfs 2>/dev/null | wc -l)
if [ "$pfs" -eq 0 ]; then
	grep -q 'Checking for SR-IOV capable PFs  *: FAIL (no PCI device offers SR-IOV' "$W/out" || fail "no-PF case not FAIL"
fi
if [ ! -e /sys/bus/pci/drivers/vfio-pci ] && [ ! -e /sys/module/vfio_pci ]; then
	grep -q 'Checking for vfio-pci  *: \(WARN\|FAIL\)' "$W/out" || fail "vfio-pci absent but not WARN/FAIL"
fi
# exit status: 1 exactly when a line says FAIL
if grep -q ': FAIL (' "$W/out"; then want=1; else want=0; fi
[ "$rc" -eq "$want" ] || fail "exit status $rc, FAIL lines say $want"

# --json: valid, {"version": 1, "status", "checks": [{check, status, message, remedy[, device]}]}
rc2=0
"$VIRT_SRIOV" check --json >"$W/json" 2>"$W/err" || rc2=$?
[ "$rc2" -eq "$rc" ] || fail "--json exit status $rc2, text $rc"
jq -e '.version == 1 and (.status | IN("PASS", "WARN", "FAIL")) and (.checks | type == "array" and length > 0) and
	all(.checks[]; (.check | type == "string") and (.status | IN("PASS", "WARN", "FAIL")) and
		(.message | type == "string") and has("remedy") and
		(if .status == "PASS" then .remedy == null else (.remedy | type == "string") end))' \
	"$W/json" >/dev/null || fail "--json output is not the documented array"
# the same results in both forms
[ "$(jq '.checks | length' "$W/json")" -eq "$(grep -c '^SR-IOV: ' "$W/out")" ] || fail "--json and text differ in count"
if [ "$groups" -eq 0 ]; then
	jq -e '.checks[] | select(.check == "iommu-groups") | .status == "FAIL" and (.remedy | test("GRUB_CMDLINE_LINUX"))' \
		"$W/json" >/dev/null || fail "--json iommu-groups not FAIL with remedy"
fi

finish "check on this machine"
