# Not a test: records the real kernel's devlink messages (netdevsim in
# switchdev mode) as strace hex dumps, the source of the byte arrays in
# tests/unit/test-devlink.c.  Run: make check-vm VM_SCENARIOS=record-devlink
. /vs/lib.sh
load netdevsim
nsd=/sys/bus/netdevsim/devices/netdevsim1
echo "1 1" >/sys/bus/netdevsim/new_device
wait_for 10 sh -c "ls $nsd/net/* >/dev/null 2>&1" || { fail "netdevsim1 has a netdev"; exit 1; }
DL=netdevsim/netdevsim1
# rec TAG ARGS...: one devlink run; TAG names its arrays in the header.
rec() {
	tag=$1; shift
	echo "=== RECORD: $tag: $*"
	strace -f -xx -s 65536 -e trace=sendmsg,recvmsg,sendto,recvfrom -e read=all -e write=all devlink "$@" 2>&1
	echo "=== END rc=$?"
}
rec eswitch_show_legacy dev eswitch show $DL
rec eswitch_show_nodev dev eswitch show pci/0000:00:00.0
echo 2 >"$nsd/sriov_numvfs"
rec eswitch_set_switchdev dev eswitch set $DL mode switchdev
rec eswitch_show_switchdev dev eswitch show $DL
rec port_show port show
rec fn_set_hw_addr port function set $DL/128 hw_addr 00:11:22:33:44:55
rec rate_set_leaf port function rate set $DL/128 tx_max 10mbit tx_share 2mbit
rec rate_new_group port function rate add $DL/grp1 tx_max 100mbit tx_share 5mbit
rec rate_set_parent port function rate set $DL/129 parent grp1
rec rate_show port function rate show
rec rate_set_noparent port function rate set $DL/129 noparent
rec rate_del_group port function rate del $DL/grp1
rec rate_set_bad_parent port function rate set $DL/128 parent nosuch
rec eswitch_set_legacy dev eswitch set $DL mode legacy
echo "=== JSON"
devlink -j port show
devlink -j port function rate show
for n in /sys/class/net/*; do echo "$n $(cat $n/phys_port_name 2>/dev/null) $(cat $n/phys_switch_id 2>/dev/null)"; done
pass "recorded"
