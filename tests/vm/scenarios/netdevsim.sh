# netdevsim with 256 and 1024 VFs: one batched request sets every VF, and
# list reports every VF or names those it could not read (the kernel's
# IFLA_VFINFO_LIST has a 16-bit length: from about 220 VFs a dump is cut).
# ip is cut the same way, so the kernel's view covers the VFs ip shows.
. /vs/lib.sh
load netdevsim

nsd=/sys/bus/netdevsim/devices/netdevsim1
echo "1 1" >/sys/bus/netdevsim/new_device
wait_for 10 sh -c "ls $nsd/net/* >/dev/null 2>&1" || { fail "netdevsim1 has a netdev"; exit 1; }
PF=$(ls "$nsd/net" | head -n 1)
$IP link set "$PF" up
# The VF limit can only be raised while there are no VFs.
echo 1024 >/sys/kernel/debug/netdevsim/netdevsim1/max_vfs

# ip_checked_vfs: how many VF lines ip prints, all of which must show the
# settings asked for.
ip_checked_vfs() {
	$IP -d link show dev "$PF" >/tmp/ip.out 2>&1
	total=$(grep -c '^ *vf [0-9]' /tmp/ip.out)
	good=$(grep '^ *vf [0-9]' /tmp/ip.out | grep -c 'spoof checking off, .*trust on')
	[ "$total" -gt 0 ] && [ "$good" -eq "$total" ] && echo "$total" || echo "bad $good/$total"
}

for N in 256 1024; do
	echo 0 >"$nsd/sriov_numvfs"
	echo $N >"$nsd/sriov_numvfs"
	expect_eq "netdevsim has $N VFs" "$(cat "$nsd/sriov_numvfs")" $N
	last=$((N - 1))
	if require_command vf set; then
		t0=$(date +%s)
		if out=$(vs vf set "$PF#0-$last" --spoofchk off --trust on); then
			pass "vf set $PF#0-$last --spoofchk off --trust on"
		else
			fail "vf set $PF#0-$last --spoofchk off --trust on" "$(vs_stderr)"
		fi
		echo "INFO: vf set of $N VFs took $(($(date +%s) - t0)) s"
		expect_match "vf set: all $N VFs in one RTM_SETLINK" "$out" "^$PF: $N VFs set in 1 request"
		shown=$(ip_checked_vfs)
		expect_match "ip: every VF it shows (of $N) has spoofchk off, trust on" "$shown" '^[0-9]+$'
	fi
	if require_command list; then
		if ! vs --json list "$PF" >/tmp/list.json; then
			fail "list --json $PF" "$(vs_stderr)"
			continue
		fi
		n=$(jq '.pfs[0].vfs | length' /tmp/list.json 2>/dev/null)
		expect_eq "list: reports all $N VFs" "$n" $N
		unknown=$(jq '[.pfs[0].vfs[] | select(.spoofchk == null)] | length' /tmp/list.json 2>/dev/null)
		set_ok=$(jq '[.pfs[0].vfs[] | select(.spoofchk == false and .trust == true)] | length' /tmp/list.json 2>/dev/null)
		expect_eq "list: each VF either read back as set or marked unknown" \
			"$((${set_ok:-0} + ${unknown:-0}))" $N
		if [ "${unknown:-0}" -gt 0 ]; then
			expect_match "list: says which VFs it could not read ($unknown)" \
				"$(vs_stderr)" "$PF"
		else
			pass "list: every VF read"
		fi
	fi
done
