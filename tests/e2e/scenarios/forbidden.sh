# 4. A guest whose policy the host forbids (trust on for a plain <hostdev>
# on eth0: the host's configuration opens trust only for the pool): `virsh
# start` fails with the hook's message, and the VF is unchanged.
. /vs/e2e-lib.sh
ensure_pool
G=e2e-forbid N=2
addr=$(vf_addr_n $N)
define_guest $G "$(vf_addr_sed "$addr")" || exit 0
snapshot /tmp/before
if start_guest $G; then
	fail "virsh start $G is refused" "it started"
	destroy_guest $G
else
	pass "virsh start $G is refused"
	expect_match "libvirt shows the hook's message naming guest, VF and setting" \
		"$(tr '\n' ' ' </tmp/start.out)" "virt-sriov-hook: .*$G.*$addr.*trust"
	info "virsh start said: $(tr '\n' ' ' </tmp/start.out)"
fi
expect_eq "virsh domstate $G: shut off" "$(dom_state $G)" "shut off"
expect_eq "every VF as before the start (ip -d link show)" "$(snapshot_now)" "$(cat /tmp/before)"
expect_eq "sysfs: VF $N still on igbvf" "$(vf_driver_n $N)" igbvf
expect_eq "$STATE is empty (attach's lock and reservations aside)" "$(state_left)" ""
