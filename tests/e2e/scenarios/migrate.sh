# 11. Live migration of a guest with a VF (virtio-net failover) between two
# libvirtds of this VM (docs/migration.md): A is the VM's own; B runs in its
# own mount and UTS namespace (hostname e2e-b) with a copy of /etc/libvirt
# (socket outside /run, its own host_uuid and log) and its own /run,
# /var/lib/libvirt and /var/cache/libvirt (directories under /tmp, bound over
# them, so that B can be started again on the same state after a kill).  The
# pool sriov-mig has VFs 0-2 on A and 3-6 on B.  The guest gets its pair from
# `virt-sriov attach --failover` (virtio half user-mode: no tun module here)
# with a policy (spoofchk off, trust on), starts on A and migrates to B:
# migrate-check says no while B's pool is full (naming it) and yes when it is
# not; the hooks run on both sides; A's VF is back as it was; B's VF has the
# policy.  Then a migration A -> B during which B's libvirtd is killed: the
# guest keeps running on A, and once B is started again (and reconcile run
# there) no VF of B's is claimed.
. /vs/e2e-lib.sh
ensure_pool

G=e2e-mig
MAC=52:54:00:e2:e9:01
BD=/tmp/lv-b
B_URI="qemu+unix:///system?socket=$BD/sock/libvirt-sock"
B_LOG=/var/log/libvirt/libvirtd-b.log
B_STATE=$BD/run/virt-sriov
MIGRATE_URI=tcp://127.0.0.1:49152
vb() { virsh -q -c "$B_URI" "$@"; }

# "qemu:migrate network:port-created ...": the ops libvirt ran the hook for
# after line FROM of LOG (util.command's "About to run" debug lines).
hook_ops() {
	tail -n +"$(($2 + 1))" "$1" | awk '/About to run .*hooks\/(qemu|network)\.d\/virt-sriov / {
		for (i = 1; i <= NF; i++) if ($i ~ /hooks\/(qemu|network)\.d\/virt-sriov$/) {
			d = $i; sub(/.*hooks\//, "", d); sub(/\.d\/virt-sriov$/, "", d); printf "%s:%s ", d, $(i + 2)
		}
	}'
}
in_range() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

b_setup() {
	rm -rf "$BD"
	mkdir -p "$BD/sock" "$BD/run" "$BD/lib" "$BD/cache"
	cp -a /etc/libvirt "$BD/etc"
	# A's guests and pools are A's
	rm -f "$BD"/etc/qemu/*.xml "$BD"/etc/qemu/networks/*.xml "$BD"/etc/qemu/networks/autostart/*.xml
	cp -a /var/cache/libvirt/. "$BD/cache/" # A's capability probe
	sed -i '/^log_outputs/d' "$BD/etc/libvirtd.conf"
	cat >>"$BD/etc/libvirtd.conf" <<EOF
unix_sock_dir = "$BD/sock"
host_uuid = "$(cat /proc/sys/kernel/random/uuid)"
log_outputs = "1:file:$B_LOG"
EOF
}
# B_PID: libvirtd itself (unshare and sh exec it)
b_start() {
	t0=$(now_ms)
	unshare -m -u --propagation private sh -c "hostname e2e-b; mount --bind $BD/etc /etc/libvirt
		mount --bind $BD/run /run; mount --bind $BD/lib /var/lib/libvirt; mount --bind $BD/cache /var/cache/libvirt
		mkdir -p /run/libvirt /var/lib/libvirt/qemu; exec libvirtd -f /etc/libvirt/libvirtd.conf" \
		>>"$BD/stdout" 2>&1 &
	B_PID=$!
	if wait_for 60 vb version; then
		pass "libvirtd B ($1) up in $(($(now_ms) - t0)) ms, hostname $(vb hostname)"
	else
		fail "libvirtd B ($1) up" "$(tail -n 5 "$BD/stdout" "$B_LOG" 2>&1 | tr '\n' ' ')"
	fi
}
b_stop() {
	kill -"$1" "$B_PID" 2>/dev/null
	wait_for 30 sh -c "! kill -0 $B_PID" || kill -9 "$B_PID"
}

$IP link set lo up
printf '\n[pool sriov-mig]\nallow-spoofchk-off = yes\nallow-trust-on = yes\n' >>/etc/virt-sriov/virt-sriov.conf

check "virt-sriov network apply $PF --name sriov-mig --vfs 0-2 (A)" vs network apply $PF --name sriov-mig --vfs 0-2
b_setup
b_start "first start"
if vs xml network $PF --name sriov-mig --vfs 3-6 >/tmp/mig-b.xml && vb net-define /tmp/mig-b.xml >/dev/null &&
	vb net-start sriov-mig >/dev/null; then
	pass "B: pool sriov-mig (VFs 3-6) defined and started"
else
	fail "B: pool sriov-mig" "$(vs_stderr)"
fi

# --- the guest and its pair ----------------------------------------------------
define_guest $G
check "attach --failover sriov-mig with a policy" \
	vs attach $G --failover sriov-mig --mac $MAC --spoofchk off --trust on --config
xml=$(virsh dumpxml --inactive $G | tr -d '\n')
expect_match "the pair: virtio (user) with teaming persistent, a pool interface naming its alias" "$xml" \
	"<interface type='user'> *<mac address='$MAC'/>.*<teaming type='persistent'/> *<alias name='ua-failover-525400e2e901'/>.*<interface type='network'> *<mac address='$MAC'/> *<source network='sriov-mig'/> *<teaming type='transient' persistent='ua-failover-525400e2e901'/>"

snapshot /tmp/mig-before
if start_guest $G; then pass "virsh start $G on A ($START_MS ms)"; else fail "virsh start $G on A" "$(cat /tmp/start.out)"; fi
UUID=$(dom_uuid $G)
na=$(vf_by_mac $MAC)
in_range "$na" 0 2 && pass "A: the pool handed out VF $na (0-2)" || fail "A: a VF 0-2 has the guest's MAC" "$(vfs_now | tr '\n' ' ')"
expect_match "A: VF $na has the policy (spoof checking off, trust on)" "$(vf_line "$na")" "spoof checking off.*trust on"
a_line=$(grep -E "^ *vf $na " /tmp/mig-before)

# --- migrate-check: no while B's pool is full, then yes ------------------------
n=1
while [ $n -le 4 ]; do
	echo "<networkport><uuid>$(cat /proc/sys/kernel/random/uuid)</uuid><owner><name>filler$n</name><uuid>$(cat /proc/sys/kernel/random/uuid)</uuid></owner><mac address='52:54:00:e2:e9:1$n'/></networkport>" >/tmp/port$n.xml
	vb net-port-create sriov-mig /tmp/port$n.xml >/dev/null 2>/tmp/port.err || fail "B: net-port-create $n" "$(cat /tmp/port.err)"
	n=$((n + 1))
done
vs migrate-check $G "$B_URI" >/tmp/mc-full.out
expect_eq "migrate-check with B's pool full: exit 1" "$?" 1
expect_match "migrate-check names B's full pool" "$(vs_stderr)" "pool 'sriov-mig' on the destination e2e-b has no free VF \(4 VFs, 4 handed out"
for u in $(vb net-port-list sriov-mig --uuid); do vb net-port-delete sriov-mig "$u" >/dev/null || fail "B: net-port-delete $u"; done
if vs migrate-check $G "$B_URI" >/tmp/mc.out; then
	pass "migrate-check: $(tail -n 1 /tmp/mc.out)"
else
	fail "migrate-check says yes" "$(cat /tmp/mc.out) $(vs_stderr)"
fi
expect_match "migrate-check: B's gates not checked (another host)" "$(cat /tmp/mc.out)" "host gates .*: not checked"
expect_match "migrate-check: the hook on B applies the policy" "$(cat /tmp/mc.out)" \
	"hook on the destination: .*port-created on pool sriov-mig applies spoofchk off, trust on"
info "$(tr '\n' '|' </tmp/mc.out)"

# --- the migration ---------------------------------------------------------------
am=$(wc -l <"$LIBVIRTD_LOG") bm=$(wc -l <"$B_LOG")
t0=$(now_ms)
if virsh migrate --live $G "$B_URI" --migrateuri $MIGRATE_URI >/tmp/migrate.out 2>&1; then
	pass "virsh migrate --live $G A -> B ($(($(now_ms) - t0)) ms)"
else
	fail "virsh migrate --live $G A -> B" "$(cat /tmp/migrate.out)"
fi
wait_for 30 vf_on "$na" igbvf && pass "A: VF $na back on igbvf" || fail "A: VF $na back on igbvf" "$(vf_driver_n "$na")"
expect_eq "A: VF $na as before the guest (the policy put back)" "$(vf_line "$na")" "$a_line"
expect_eq "A: no state file left for the guest" "$(ls "$STATE/$UUID.json" 2>/dev/null)" ""
expect_eq "B: $G runs" "$(vb domstate $G | head -n 1)" running
nb=$(vf_by_mac $MAC)
in_range "$nb" 3 6 && pass "B: its pool handed out VF $nb (3-6)" || fail "B: a VF 3-6 has the guest's MAC" "$(vfs_now | tr '\n' ' ')"
expect_match "B: VF $nb has the policy (spoof checking off, trust on)" "$(vf_line "$nb")" "spoof checking off.*trust on"
expect_eq "B: VF $nb on vfio-pci" "$(vf_driver_n "$nb")" vfio-pci
a=$(vf_addr_n "$nb")
bus=$(echo "$a" | cut -d: -f2) slot=$(echo "$a" | cut -d: -f3 | cut -d. -f1)
expect_match "B: the guest's XML has VF $nb ($a)" "$(vb dumpxml $G | tr -d '\n')" \
	"<interface type='hostdev'.*bus='0x$bus' slot='0x$slot' function='0x${a##*.}'"
[ -f "$B_STATE/$UUID.json" ] && pass "B: the hook's state file for the guest" || fail "B: the hook's state file" "$(ls "$B_STATE")"
sleep 1
ops_a=$(hook_ops "$LIBVIRTD_LOG" "$am") ops_b=$(hook_ops "$B_LOG" "$bm")
info "hook runs on A: $ops_a"
info "hook runs on B: $ops_b"
expect_match "hooks on A: port-deleted, then release" "$ops_a" "network:port-deleted .*qemu:release"
expect_match "hooks on B: migrate, prepare, then port-created" "$ops_b" "qemu:migrate .*qemu:prepare .*network:port-created"

# --- back to A, then a migration that fails: B killed half way -------------------
vb destroy $G >/dev/null 2>&1 || fail "B: virsh destroy $G"
wait_for 30 vf_on "$nb" igbvf && pass "B: VF $nb back on igbvf after destroy" || fail "B: VF $nb back on igbvf"
[ -f "$B_STATE/$UUID.json" ] && fail "B: the guest's state file went with it" "$(ls "$B_STATE")" ||
	pass "B: the guest's state file went with it"
if start_guest $G; then pass "virsh start $G on A again"; else fail "virsh start $G on A again" "$(cat /tmp/start.out)"; fi
na2=$(vf_by_mac $MAC)
bm=$(wc -l <"$B_LOG")
virsh migrate --live $G "$B_URI" --migrateuri $MIGRATE_URI >/tmp/migrate2.out 2>&1 &
mpid=$!
if wait_for 60 sh -c "tail -n +$((bm + 1)) $B_LOG | grep -q 'network.d/virt-sriov sriov-mig port-created'"; then
	pass "B: port-created ran for the incoming guest"
else
	fail "B: port-created for the incoming guest" "$(hook_ops "$B_LOG" "$bm")"
fi
b_stop KILL
wait $mpid
expect_eq "virsh migrate failed with B killed" "$?" 1
info "virsh migrate: $(tr '\n' ' ' </tmp/migrate2.out)"
wait_for 30 sh -c "virsh domstate $G | grep -q running" && pass "A: $G still runs" || fail "A: $G still runs" "$(dom_state $G)"
expect_eq "A: the guest still holds VF $na2" "$(vf_driver_n "$na2")" vfio-pci
b_start "after the kill"
wait_for 30 sh -c "! virsh -q -c '$B_URI' list --name | grep -q $G"
if VIRT_SRIOV_STATE_DIR=$B_STATE vs -c "qemu:///system?socket=$BD/sock/libvirt-sock" reconcile >/tmp/rec.out; then
	pass "B: virt-sriov reconcile ($(tr '\n' ' ' </tmp/rec.out))"
else
	fail "B: virt-sriov reconcile" "$(vs_stderr)"
fi
info "hook runs on B from the failed migration to after reconcile: $(hook_ops "$B_LOG" "$bm")"
expect_eq "B: no port left in sriov-mig" "$(vb net-port-list sriov-mig --uuid | grep -c .)" 0
expect_eq "B: no state file left" "$(ls -A "$B_STATE" 2>/dev/null | grep -c json)" 0
# B's restarted libvirtd gives the VF the dead incoming QEMU had back to
# igbvf when it cleans that QEMU up: not at once under TCG.
for n in 3 4 5 6; do
	wait_for 90 vf_on $n igbvf || fail "B: VF $n on igbvf" "$(vf_driver_n $n)"
done
expect_eq "B: VFs 3-6 as before" "$(vfs_now | grep -E '^ *vf [3-6] ')" "$(grep -E '^ *vf [3-6] ' /tmp/mig-before)"

# --- clean up: the guest leaves A, its VF comes back --------------------------------
destroy_guest $G || fail "virsh destroy $G"
wait_for 30 vf_on "$na2" igbvf || fail "A: VF $na2 back on igbvf"
# The MAC in the PF's table belongs to libvirt (docs/migration.md): after
# the failed migration libvirt does not restore VF $na2's, and igbvf makes up
# one; what virt-sriov sets (spoof checking, trust, ...) must be as before.
no_mac() { sed 's/link\/ether [0-9a-f:]* brd [0-9a-f:]*,//'; }
expect_eq "every VF as before the scenario (MACs aside)" "$(vfs_now | no_mac)" "$(no_mac </tmp/mig-before)"
info "MACs before: $(awk '{ print $4 }' /tmp/mig-before | tr '\n' ' '); after: $(vfs_now | awk '{ print $4 }' | tr '\n' ' ')"
expect_eq "A: $STATE is empty" "$(state_left)" ""
b_stop TERM
virsh undefine $G >/dev/null 2>&1
virsh net-destroy sriov-mig >/dev/null 2>&1
virsh net-undefine sriov-mig >/dev/null 2>&1
