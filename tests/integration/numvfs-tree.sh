#!/bin/sh
# `virt-sriov numvfs` through the command line on generated trees.  Nothing
# reacts to writes here (no kernel), so this proves the refusals, the dry
# run, the order of the writes and the bounded wait; the kernel's side is
# proven in the VM tests.  Guests come from libvirt's test driver, loaded
# from a file that puts a running guest on a VF.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
tmpdir numvfs-tree
T=$W/tree
P=$T/sys/bus/pci/devices/0000:01:00.0
VS_TREE=$T

host_tree "$T" --pf addr=0000:01:00.0,total=7,num=4,netdev=em1 --pf addr=0000:02:00.0,total=7,num=0,netdev=em3
vf0=$(basename "$(readlink "$P/virtfn0")")
write_guest_holding_vf "$vf0" "$W/guests.xml"
FREE="test:///default"
HELD="test://$W/guests.xml"
snap_keep "$T"

# dry run: the writes in order, through 0, nothing written
run -c "$FREE" -n numvfs em1 2
[ "$rc" -eq 0 ] || fail "dry run: exit $rc: $(cat "$W/err")"
expect_out "dry run: writes not 0 then 2" "would write '0' to $P/sriov_numvfs" "would write '2' to $P/sriov_numvfs"
run -c "$FREE" numvfs --dry-run em3 7 --no-autoprobe
expect_out "dry run --no-autoprobe: autoprobe not written before the count" \
	"would write '0' to $T/sys/bus/pci/devices/0000:02:00.0/sriov_drivers_autoprobe" \
	"would write '7' to $T/sys/bus/pci/devices/0000:02:00.0/sriov_numvfs"

# refusals: above totalvfs, a guest on a VF, bad input
run -c "$FREE" numvfs em1 8
[ "$rc" -eq 1 ] || fail "8 > totalvfs: exit $rc, want 1"
grep -q '0000:01:00.0: 8 VFs requested, the PF allows at most 7 (sriov_totalvfs)' "$W/err" || fail "8 > totalvfs: message"
run -c "$HELD" numvfs em1 2
[ "$rc" -eq 1 ] || fail "VF held by guest1: exit $rc, want 1"
grep -q "VF 0 ($vf0) is used by guest 'guest1'.*--force" "$W/err" || fail "held VF: message: $(cat "$W/err")"
run -c "$HELD" -n numvfs em1 2 --force
[ "$rc" -eq 0 ] || fail "--force with a held VF: exit $rc"
# libvirt out of reach: fine while no VF is on vfio-pci, refused once one is
run -c "qemu:///system?socket=$W/none" -n numvfs em1 2
[ "$rc" -eq 0 ] || fail "libvirt unreachable, VFs on igbvf: exit $rc, want 0"
ln -sfn ../../../../bus/pci/drivers/vfio-pci "$T/sys/bus/pci/devices/$vf0/driver"
run -c "qemu:///system?socket=$W/none" -n numvfs em1 2
[ "$rc" -eq 1 ] || fail "libvirt unreachable, a VF on vfio-pci: exit $rc, want 1"
grep -q 'some are on vfio-pci.*use --force' "$W/err" || fail "unreachable libvirt: message: $(cat "$W/err")"
ln -sfn ../../../../bus/pci/drivers/igbvf "$T/sys/bus/pci/devices/$vf0/driver"
run -c "$FREE" numvfs em1 seven
[ "$rc" -eq 2 ] || fail "N=seven: exit $rc, want 2"
run -c "$FREE" numvfs em1
[ "$rc" -eq 2 ] || fail "no N: exit $rc, want 2"
run -c "$FREE" numvfs em1 2 --timeout 0
[ "$rc" -eq 2 ] || fail "--timeout 0: exit $rc, want 2"
run -c "$FREE" numvfs em9 2
[ "$rc" -eq 1 ] || fail "unknown PF: exit $rc, want 1"
grep -q em9 "$W/err" || fail "unknown PF: message does not name em9"
unchanged "$T" "refusals or dry runs changed the tree"

# a real write with no kernel behind it: the count is written, then the
# bounded wait gives up and says how many VFs it saw
run -c "$FREE" numvfs em3 2 --timeout 1
[ "$rc" -eq 1 ] || fail "no VFs appearing: exit $rc, want 1"
grep -q '0000:02:00.0: only 0 of 2 VFs appeared within 1000 ms' "$W/err" || fail "timeout message: $(cat "$W/err")"
[ "$(cat "$T/sys/bus/pci/devices/0000:02:00.0/sriov_numvfs")" = 2 ] || fail "sriov_numvfs not written"

finish "numvfs on generated trees"
