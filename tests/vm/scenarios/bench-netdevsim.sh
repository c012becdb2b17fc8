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
if require_command vf set; then
	bench "spoofchk off + trust on x 256 VFs: virt-sriov vf set $PF#0-255 (1 exec, 1 request)" $R \
		vs vf set "$PF#0-255" --spoofchk off --trust on && pass "virt-sriov vf set benchmark ran"
fi
