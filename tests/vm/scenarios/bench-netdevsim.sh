# vf set PF#0-255 (one rtnetlink request) against 256 ip link set execs,
# on netdevsim. Same emulator on both sides: compare ratios (TCG).
. /vs/lib.sh
load netdevsim
nsd=/sys/bus/netdevsim/devices/netdevsim1
echo "1 1" >/sys/bus/netdevsim/new_device
wait_for 10 sh -c "ls $nsd/net/* >/dev/null 2>&1" || { fail "netdevsim1 has a netdev"; exit 1; }
PF=$(ls "$nsd/net" | head -n 1)
$IP link set "$PF" up
echo 256 >/sys/kernel/debug/netdevsim/netdevsim1/max_vfs
echo 256 >"$nsd/sriov_numvfs"
R=${BENCH_REPEATS:-3}

ip_per_vf() {
	i=0
	while [ $i -lt 256 ]; do
		$IP link set "$PF" vf $i spoofchk off trust on || return 1
		i=$((i + 1))
	done
}
ip_batch() {
	i=0
	while [ $i -lt 256 ]; do
		echo "link set $PF vf $i spoofchk off trust on"
		i=$((i + 1))
	done >/tmp/ip.batch
	$IP -batch /tmp/ip.batch
}
bench "spoofchk off + trust on x 256 VFs: ip, one exec per VF (256 execs)" $R ip_per_vf
bench "spoofchk off + trust on x 256 VFs: ip -batch (1 exec, 256 requests)" $R ip_batch
# vf set leaves out what already has the value: each run flips both
# settings so that every VF's two attributes are sent every time.
flip() { n=$(($(cat /tmp/flip 2>/dev/null || echo 0) + 1)); echo $n >/tmp/flip; [ $((n % 2)) -eq 1 ]; }
vs_flip() {
	if flip; then vs vf set "$PF#0-255" --spoofchk on --trust off
	else vs vf set "$PF#0-255" --spoofchk off --trust on; fi
}
ip_batch_flip() {
	if flip; then s=on t=off; else s=off t=on; fi
	i=0
	while [ $i -lt 256 ]; do
		echo "link set $PF vf $i spoofchk $s trust $t"
		i=$((i + 1))
	done >/tmp/ip.batch
	$IP -batch /tmp/ip.batch
}
bench "spoofchk + trust x 256 VFs, values flipped each run: ip -batch (1 exec, 256 requests)" $R ip_batch_flip
if require_command vf set; then
	bench "spoofchk + trust x 256 VFs, values flipped each run: virt-sriov vf set $PF#0-255 (1 exec, 1 request)" $R vs_flip &&
		pass "virt-sriov vf set benchmark ran"
	vs vf set "$PF#0-255" --spoofchk off --trust on >/dev/null
	bench "spoofchk off + trust on x 256 VFs already in effect: virt-sriov vf set (RTM_GETLINK only)" $R \
		vs vf set "$PF#0-255" --spoofchk off --trust on
fi
