#!/bin/sh
# `virt-sriov bind` through the command line on generated trees: dry run,
# refusals (unknown VF, vfio-pci not loaded, a guest on the VF, libvirt out of
# reach while the VF is on vfio-pci), and a real run against a tree where no
# kernel reacts, which must be reported as a failed bind, never as success.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
tmpdir bind-tree
vf_of() { basename "$(readlink "$W/$1/sys/bus/pci/devices/0000:01:00.0/virtfn$2")"; }
FREE="test:///default"
NOWHERE="qemu:///system?socket=$W/no-such-socket"

host_tree "$W/t" --pf addr=0000:01:00.0,total=7,num=3,netdev=em1,driver=igb,vfdriver=igbvf,vfio=1
vf0=$(vf_of t 0)   # on vfio-pci
vf1=$(vf_of t 1)   # on igbvf
D=$W/t/sys/bus/pci/devices
snap_keep "$W/t"

run_on t -c "$FREE" -n bind em1#1 --driver vfio-pci
[ "$rc" -eq 0 ] || fail "dry run: exit $rc: $(cat "$W/err")"
expect_out "dry run: writes" "would write 'vfio-pci' to $D/$vf1/driver_override" \
	"would write '$vf1' to $D/$vf1/driver/unbind" "would write '$vf1' to $W/t/sys/bus/pci/drivers_probe"
run_on t -c "$FREE" -n bind em1#0 --driver host
want=$(printf "would write '%sn' to %s" '\' "$D/$vf0/driver_override")
head -1 "$W/out" | grep -qxF "$want" || { cat "$W/out"; fail "host: override not cleared first"; }

run_on t -c "$FREE" bind em1#7 --driver vfio-pci
[ "$rc" -eq 1 ] || fail "em1#7: exit $rc, want 1"
grep -q 'em1' "$W/err" && grep -q 7 "$W/err" || fail "em1#7: message: $(cat "$W/err")"
run_on t -c "$FREE" bind em1#1
[ "$rc" -eq 2 ] || fail "no --driver: exit $rc, want 2"
run_on t -c "$FREE" bind --driver vfio-pci
[ "$rc" -eq 2 ] || fail "no VF: exit $rc, want 2"
run_on t -c "$FREE" bind em1#1 --driver ../vfio-pci
[ "$rc" -eq 2 ] || fail "driver ../vfio-pci: exit $rc, want 2"
grep -q "'../vfio-pci' is not a driver name" "$W/err" || fail "bad driver name: message"

# vfio-pci on the VF and libvirt out of reach: a guest may hold it
run_on t -c "$NOWHERE" bind em1#0 --driver host
[ "$rc" -eq 1 ] || fail "libvirt unreachable, VF on vfio-pci: exit $rc, want 1"
grep -q 'use --force' "$W/err" || fail "unreachable libvirt: message: $(cat "$W/err")"
run_on t -c "$NOWHERE" -n bind em1#0 --driver host --force
[ "$rc" -eq 0 ] || fail "--force: exit $rc"
# a VF on its host driver cannot be in a guest: going on with a warning
run_on t -c "$NOWHERE" -n bind em1#1 --driver vfio-pci
[ "$rc" -eq 0 ] || fail "libvirt unreachable, VF on igbvf: exit $rc, want 0"
grep -q 'warning: cannot tell which guests' "$W/err" || fail "no warning about libvirt"

# a running guest holds the VF
write_guest_holding_vf "$vf0" "$W/guests.xml"
run_on t -c "test://$W/guests.xml" bind "$vf0" --driver host
[ "$rc" -eq 1 ] || fail "held VF: exit $rc, want 1"
grep -q "$vf0 .*used by guest 'guest1'" "$W/err" || fail "held VF: message: $(cat "$W/err")"
unchanged "$W/t" "refusals or dry runs changed the tree"

# vfio-pci not loaded: refused before any write
host_tree "$W/novfio" --no-vfio-pci --pf addr=0000:01:00.0,total=7,num=2,netdev=em1,driver=igb,vfdriver=igbvf
snap_keep "$W/novfio"
run_on novfio -c "$FREE" bind em1#0 --driver vfio-pci
[ "$rc" -eq 1 ] || fail "no vfio-pci: exit $rc, want 1"
grep -q "$(vf_of novfio 0): driver vfio-pci is not loaded (modprobe vfio-pci); nothing changed" "$W/err" ||
	fail "no vfio-pci: message: $(cat "$W/err")"
unchanged "$W/novfio" "no vfio-pci: tree changed"

# real writes, but no kernel: the driver link never changes, and the tool says so
for f in "$D/$vf1/driver_override" "$W/t/sys/bus/pci/drivers_probe" "$W/t/sys/bus/pci/drivers/igbvf/unbind"; do
	[ -e "$f" ] || : >"$f"
done
run_on t -c "$FREE" bind em1#1 --driver vfio-pci
[ "$rc" -eq 1 ] || fail "no kernel: exit $rc, want 1"
grep -q "$vf1: bound to igbvf, not vfio-pci" "$W/err" || fail "no kernel: message: $(cat "$W/err")"
[ "$(cat "$D/$vf1/driver_override")" = vfio-pci ] || fail "driver_override not written"
[ "$(cat "$W/t/sys/bus/pci/drivers_probe")" = "$vf1" ] || fail "drivers_probe not written"

finish "bind on generated trees"
