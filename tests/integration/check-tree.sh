#!/bin/sh
# `virt-sriov check` on generated host trees through the command line: exit
# status 0 with only PASS/WARN, 1 with a FAIL, 2 on bad usage; output lines
# in the virt-host-validate style, each WARN/FAIL followed by what to do.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
need jq
tmpdir check-tree

# ready: IOMMU on, vfio-pci loaded, VFs everywhere, autoprobe off
host_tree "$W/ready" --pf addr=0000:01:00.0,total=7,num=7,netdev=em1,autoprobe=0
run_on ready check
[ "$rc" -eq 0 ] || { cat "$W/out"; fail "ready host: exit $rc, want 0"; }
grep -q '^SR-IOV: Checking for SR-IOV capable PFs (0000:01:00.0)  *: PASS (0000:01:00.0 (em1), igb: 7 of 7 VFs exist)$' "$W/out" ||
	fail "ready host: PF line"
if grep -q ': \(WARN\|FAIL\)' "$W/out"; then cat "$W/out"; fail "ready host has WARN/FAIL"; fi
grep -q -- '->' "$W/out" && fail "ready host prints remedies"

# no IOMMU: FAIL, exit 1, grub line right under it
host_tree "$W/noiommu" --no-iommu --pf addr=0000:01:00.0,num=2,netdev=em1
run_on noiommu check
[ "$rc" -eq 1 ] || fail "no IOMMU: exit $rc, want 1"
grep -A1 'Checking if IOMMU is enabled by kernel  *: FAIL' "$W/out" |
	grep -q "^        -> add 'intel_iommu=on iommu=pt' to GRUB_CMDLINE_LINUX in /etc/default/grub, then run update-grub and reboot$" ||
	fail "no IOMMU: remedy line"
run_on noiommu check --json
[ "$rc" -eq 1 ] || fail "no IOMMU --json: exit $rc"
jq -e '.status == "FAIL" and ([.checks[] | select(.status == "FAIL") | .check] | index("iommu-groups") != null)' "$W/out" >/dev/null ||
	fail "no IOMMU --json: iommu-groups not FAIL"
run_on noiommu --json check
jq -e '.version == 1 and (.checks | type == "array")' "$W/out" >/dev/null || fail "global --json not honoured"

# a VF sharing its group with the PF: FAIL naming both
host_tree "$W/shared" --profile shared-group
run_on shared check
[ "$rc" -eq 1 ] || fail "shared group: exit $rc, want 1"
pf=$(basename "$(dirname "$(ls -d "$W"/shared/sys/bus/pci/devices/*/sriov_totalvfs | head -1)")")
vf=$(basename "$(readlink "$W/shared/sys/bus/pci/devices/$pf/virtfn0")")
grep "Checking VFs have IOMMU groups of their own ($vf) .*: FAIL" "$W/out" | grep -q "$pf (its PF)" ||
	fail "shared group: line naming $vf and $pf"

run_on ready check extra
[ "$rc" -eq 2 ] || fail "extra argument: exit $rc, want 2"
run_on ready check --bogus
[ "$rc" -eq 2 ] || fail "bad option: exit $rc, want 2"

finish "check on generated trees"
