# 10. From a workstation: libvirtd listens on TCP (no auth: tests only) on
# the virtio NIC that QEMU forwards to the host's 127.0.0.1
# (check-e2e.sh, when this scenario runs); while this scenario waits, the
# host runs virt-sriov -c qemu+tcp://127.0.0.1:PORT/system
# (tests/e2e/remote-host.sh): list --json against ours (printed here as a
# VS-REMOTE-LIST line), network apply, attach --network with a policy.
# The host says it is done by defining the network vs-remote-done; then
# the guest attached from there starts here with the policy applied by
# the hook.
. /vs/e2e-lib.sh
G=e2e-rem MAC=52:54:00:e2:e0:31 PORT_IN=16509

ensure_pool
# the host defines the pool again, from there
vs network remove $POOL >/dev/null || fail "virt-sriov network remove $POOL" "$(vs_stderr)"
define_guest_as e2e-att $G "s/e2e-att/$G/" || exit 0
virsh net-undefine vs-remote-done >/dev/null 2>&1

# The NIC QEMU forwards to: the one on virtio_net (after the igb's eth0).
modprobe virtio_net || fail "modprobe virtio_net"
nic=
wait_for 20 sh -c 'for n in /sys/class/net/*; do [ "$(basename "$(readlink -f $n/device/driver)")" = virtio_net ] && exit 0; done; exit 1'
for n in /sys/class/net/*; do
	[ "$(basename "$(readlink -f "$n/device/driver")")" = virtio_net ] && nic=$(basename "$n")
done
[ -n "$nic" ] && pass "the virtio NIC is $nic" || { fail "a virtio_net NIC" "$(ls /sys/class/net)"; exit 0; }
$IP link set lo up
$IP addr add 10.0.2.15/24 dev "$nic"
$IP link set "$nic" up

# libvirtd again, listening on TCP without authentication (tests only).
cat >>/etc/libvirt/libvirtd.conf <<'CONF'
listen_tcp = 1
listen_tls = 0
auth_tcp = "none"
CONF
stop_libvirtd TERM
if libvirtd -d --listen && wait_for 60 virsh -q version; then
	pass "libvirtd --listen (TCP $PORT_IN, no auth)"
else
	fail "libvirtd --listen" "$(tail -n 5 "$LIBVIRTD_LOG")"
	exit 0
fi

# What the host compares with: our own list, on one line.
if vs --json list >/tmp/remote-list.json; then
	echo "VS-REMOTE-LIST $(jq -c . /tmp/remote-list.json)"
else
	fail "virt-sriov --json list" "$(vs_stderr)"
fi
echo "VS-REMOTE-READY"
# polled every 3 s: each virsh costs the host's checks CPU under TCG
t=0
while [ $t -lt 900 ] && ! virsh net-info vs-remote-done >/dev/null 2>&1; do
	sleep 3
	t=$((t + 3))
done
if [ $t -lt 900 ]; then
	pass "the host's checks are done (it defined vs-remote-done)"
else
	fail "the host never said it was done (no network vs-remote-done within 900 s)"
fi
virsh net-undefine vs-remote-done >/dev/null 2>&1

# What the host did, read back here.
info=$(virsh net-info $POOL 2>&1)
expect_match "the pool applied from the host is active and autostarted" "$(echo "$info" | tr '\n' ' ')" \
	'Active: +yes.*Autostart: +yes'
expect_match "the guest attached from the host has an interface on $POOL with MAC $MAC" \
	"$(virsh dumpxml --inactive $G | tr -d '\n')" "<interface type=.network.>.*$MAC.*$POOL"
expect_match "its policy (spoofchk off, trust on) is in the guest's metadata" \
	"$(virsh dumpxml --inactive $G | tr -d '\n')" "<metadata>.*spoofchk=.off.*trust=.on.*</metadata>"
if start_guest $G; then
	pass "virsh start $G ($START_MS ms)"
	# not $n: wait_for (destroy_guest) counts with it
	vfn=$(vf_by_mac $MAC)
	if [ -n "$vfn" ]; then
		expect_match "ip: VF $vfn has the policy the host attached: spoof checking off, trust on" \
			"$(vf_line "$vfn")" "link/ether $MAC .*spoof checking off, .*trust on"
	else
		fail "ip: a VF of $PF has the guest's MAC $MAC" "$(vfs_now | tr '\n' ' ')"
	fi
	destroy_guest $G
	[ -n "$vfn" ] && expect_match "ip: VF $vfn is back (spoof checking on, trust off)" "$(vf_line "$vfn")" \
		"spoof checking on, .*trust off"
else
	fail "virsh start $G" "$(cat /tmp/start.out)"
fi
virsh undefine $G >/dev/null 2>&1
