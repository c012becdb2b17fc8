# 1. VFs and the pool: `virt-sriov numvfs eth0 7`, then `virt-sriov network
# apply eth0`; checked against sysfs, `ip -d link show` and libvirt.
. /vs/e2e-lib.sh
pf=$(pf_sys)

check "virt-sriov numvfs $PF 7" virt-sriov numvfs $PF 7
expect_eq "sysfs: sriov_numvfs of $PF is 7" "$(cat "$pf/sriov_numvfs")" 7
expect_eq "sysfs: 7 virtfn links" "$(vf_count "$pf")" 7
expect_eq "ip: $PF reports 7 VFs" "$(vfs_now | wc -l)" 7
wait_for 20 sh -c "[ \$(ls -d $pf/virtfn*/net/* 2>/dev/null | wc -l) -eq 7 ]" &&
	pass "sysfs: 7 igbvf netdevs" || fail "sysfs: 7 igbvf netdevs" "$(ls -d "$pf"/virtfn*/net/* 2>&1 | tr '\n' ' ')"

info "MACs in the PF's table: $(vfs_now | awk '{ print $4 }' | tr '\n' ' '); of the VFs' netdevs: $(vf_netdev_macs | tr '\n' ' ')"
# Each VF's MAC in the PF's table set to what its igbvf netdev has: libvirt
# saves the netdev's MAC when a guest takes the VF and writes it into the
# table when the guest lets go, so a table entry that differs (all zero, or
# set while igbvf was bound: igb applies it only when igbvf probes again)
# would not come back as it was, whatever virt-sriov does.
n=0 ok=yes
while [ $n -lt 7 ]; do
	mac=$(cat "$pf/virtfn$n"/net/*/address)
	vs vf set "$PF#$n" --mac "$mac" >/dev/null || { ok="$(vs_stderr)"; break; }
	n=$((n + 1))
done
[ "$ok" = yes ] && pass "virt-sriov vf set gives each VF its netdev's MAC" || fail "virt-sriov vf set gives each VF its netdev's MAC" "$ok"
expect_eq "ip: the PF's table has each VF's netdev MAC" \
	"$(vfs_now | awk '{ print $4 }' | tr '\n' ' ')" "$(vf_netdev_macs | tr '\n' ' ')"

if vs network apply $PF >/tmp/apply.out; then
	pass "virt-sriov network apply $PF ($(tr '\n' ' ' </tmp/apply.out))"
else
	fail "virt-sriov network apply $PF" "$(vs_stderr)"
fi
info=$(virsh net-info $POOL 2>&1)
expect_match "virsh net-info: $POOL is active" "$info" 'Active: +yes'
expect_match "virsh net-info: $POOL is persistent" "$info" 'Persistent: +yes'
expect_match "virsh net-info: $POOL is autostarted" "$info" 'Autostart: +yes'
expect_match "virsh net-list --autostart names $POOL" "$(virsh net-list --autostart --name)" "^$POOL\$"
xml=$(virsh net-dumpxml $POOL 2>&1)
expect_match "net-dumpxml: hostdev forward from <pf dev='$PF'/>" "$(echo "$xml" | tr -d '\n')" \
	"<forward mode=.hostdev. managed=.yes.>.*<pf dev=.$PF./>"
# libvirt lists the PF's VFs in the active pool: the same 7 as sysfs.
from_libvirt=$(echo "$xml" | sed -n "s/.*<address type='pci' domain='0x\(....\)' bus='0x\(..\)' slot='0x\(..\)' function='0x\(.\)'.*/\1:\2:\3.\4/p" | sort | tr '\n' ' ')
from_sysfs=$(n=0; while [ $n -lt 7 ]; do vf_addr_n $n; n=$((n + 1)); done | sort | tr '\n' ' ')
expect_eq "net-dumpxml: libvirt's VFs are the 7 of sysfs" "$from_libvirt" "$from_sysfs"

# network apply is idempotent: a second run changes nothing.
if vs network apply $PF >/tmp/apply2.out; then
	expect_match "a second network apply changes nothing" "$(cat /tmp/apply2.out)" 'unchanged|^$'
else
	fail "a second network apply" "$(vs_stderr)"
fi
expect_match "virsh: $POOL still active after the second apply" "$(virsh net-info $POOL)" 'Active: +yes'

# The inventory agrees with sysfs, and nobody uses a VF yet.
if vs --json list $PF >/tmp/list.json; then
	expect_eq "list --json: the VFs' addresses" \
		"$(jq -r '.pfs[0].vfs[].address' /tmp/list.json | sort | tr '\n' ' ')" "$from_sysfs"
	expect_eq "list --json: no VF in use" "$(jq -r '[.pfs[0].vfs[].in_use_by | select(. != null)] | length' /tmp/list.json)" 0
else
	fail "virt-sriov --json list $PF" "$(vs_stderr)"
fi
