# 6. Crash paths. After each, no VF keeps a guest's settings and no state
# is left:
#  a. the guest's QEMU killed with SIGKILL: libvirt notices and runs the
#     teardown hooks;
#  b. the hook killed with SIGKILL during a guest start, then
#     `virt-sriov reconcile`;
#  c. the hook unable to put the VF back at release (the guest's own lock,
#     UUID.lock, held past release's 20 s budget: it gives up rather than
#     hold up libvirt for ever, names the VF and keeps the state), then
#     `virt-sriov reconcile`;
#  d. libvirtd restarted while a guest runs, then the guest destroyed;
#  e. libvirtd and the guest's QEMU both killed, then libvirtd started:
#     it finds the guest dead and runs the teardown hooks.
. /vs/e2e-lib.sh
ensure_pool
vs policy set e2e-net --spoofchk off --trust on --config >/dev/null 2>&1 ||
	{ define_guest e2e-net && vs policy set e2e-net --spoofchk off --trust on --config; }
virsh dominfo e2e-hd >/dev/null 2>&1 || define_guest e2e-hd "$(vf_addr_sed "$(vf_addr_n 1)")"

# The guests' MACs, which no VF netdev may keep (all_back).
# shellcheck disable=SC2034 # read by all_back
GUEST_MACS='52:54:00:e2:e0:(01|10)'
# Before each case: the PF's table in line with the VFs' netdevs again
# (libvirt "restores" a pool VF's MAC from its netdev, which igbvf gave a
# new random MAC after the last guest: see ensure_pool), then the snapshot.
running_with_policy() {
	ensure_pool
	snapshot /tmp/before
	if ! start_guest "$1"; then
		fail "$2: virsh start $1" "$(cat /tmp/start.out)"
		return 1
	fi
	if vfs_now | grep -q "$3"; then
		pass "$2: $1 runs, its VF has the policy"
	else
		fail "$2: $1 runs, its VF has the policy" "$(vfs_now | tr '\n' ' ')"
	fi
}

# --- a. SIGKILL to the guest's QEMU --------------------------------------
if running_with_policy e2e-net "a" "link/ether 52:54:00:e2:e0:01 .*spoof checking off, .*trust on"; then
	pid=$(qemu_pid e2e-net)
	kill -9 "$pid"
	if wait_for 30 sh -c "virsh domstate e2e-net | grep -q 'shut off'"; then
		pass "a: libvirt saw QEMU ($pid) die: e2e-net shut off"
	else
		fail "a: libvirt saw QEMU die" "$(dom_state e2e-net)"
	fi
	wait_for 10 no_state
	all_back "a: SIGKILL to QEMU"
	expect_match "a: virsh domstate --reason says crashed or destroyed" \
		"$(virsh domstate --reason e2e-net)" 'shut off \((crashed|destroyed)\)'
fi

# --- b. SIGKILL to the hook during a start -----------------------------------
# The hook takes the state directory's lock before it saves and applies
# anything, and waits at most 300 ms for it. Holding the lock keeps it
# there long enough to be found and killed, whatever the machine's speed;
# where exactly it was is printed (INFO), the outcome must be the same.
mkdir -p $STATE
cat >/tmp/killer <<'KILLER'
#!/bin/sh
# Under the lock: SIGKILL the first virt-sriov hook process with OP in its
# arguments, then exit (dropping the lock). Gives up after 20 s. The front
# (comm virt-sriov) execs the full hook (comm virt-sriov-hook) with the same
# argv, so the one waiting for the lock is the latter.
end=$(($(date +%s) + 20))
while [ "$(date +%s)" -lt "$end" ]; do
	for p in /proc/[0-9]*; do
		read -r comm <"$p/comm" 2>/dev/null || continue
		case $comm in virt-sriov|virt-sriov-hook) ;; *) continue ;; esac
		args=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
		case $args in
		*hooks/*" $1 "*)
			kill -9 "${p#/proc/}" && echo "killed ${p#/proc/}: $args" >/tmp/killer.out
			exit 0 ;;
		esac
	done
done
echo "no hook process seen" >/tmp/killer.out
KILLER
chmod +x /tmp/killer
rm -f /tmp/killer.out
ensure_pool
snapshot /tmp/before
flock $STATE /tmp/killer prepare &
killer=$!
sleep 0.2
if start_guest e2e-hd; then
	fail "b: the start fails when its hook is killed" "e2e-hd started; killer: $(cat /tmp/killer.out 2>/dev/null)"
	destroy_guest e2e-hd
else
	pass "b: the start fails when its hook is killed ($(tr '\n' ' ' </tmp/start.out | cut -c1-160))"
fi
wait $killer
# Without the kill the hook would give up on the lock and fail the start
# by itself: the case is only shown if the watcher did kill it.
expect_match "b: the hook was SIGKILLed during the start" "$(cat /tmp/killer.out 2>/dev/null)" '^killed [0-9]+: .*virt-sriov e2e-hd prepare'
info "b: $(cat /tmp/killer.out 2>/dev/null); state files: $(state_count); VF 1: $(vf_line 1 | cut -c 10-)"
expect_eq "b: e2e-hd shut off" "$(dom_state e2e-hd)" "shut off"
if vs reconcile >/tmp/reconcile.out; then
	pass "b: virt-sriov reconcile ($(tr '\n' ' ' </tmp/reconcile.out))"
else
	fail "b: virt-sriov reconcile" "$(vs_stderr)"
fi
all_back "b: hook killed + reconcile"

# --- c. the release hook cannot take its lock --------------------------------
if running_with_policy e2e-hd "c" "link/ether 52:54:00:e2:e0:10 .*vlan 5, qos 2, spoof checking off"; then
	uuid=$(virsh domuuid e2e-hd | tr -d '[:space:]')
	flock "$STATE/$uuid.lock" sh -c 'virsh destroy e2e-hd; sleep 1' >/tmp/destroy.out 2>&1
	expect_eq "c: e2e-hd shut off" "$(dom_state e2e-hd)" "shut off"
	expect_eq "c: the hook kept its state for reconcile" "$(state_count)" 1
	vs --json reconcile --dry-run >/tmp/reconcile.json 2>/dev/null
	info "c: VF 1 after the release that could not lock: $(vf_line 1 | cut -c 10-)"
	if vs reconcile >/tmp/reconcile.out; then
		pass "c: virt-sriov reconcile ($(tr '\n' ' ' </tmp/reconcile.out))"
	else
		fail "c: virt-sriov reconcile" "$(vs_stderr)"
	fi
	all_back "c: release without its lock + reconcile"
fi

# --- d. libvirtd restarted while a guest runs -------------------------------
if running_with_policy e2e-net "d" "link/ether 52:54:00:e2:e0:01 .*spoof checking off, .*trust on"; then
	pid=$(cat /run/libvirtd.pid)
	kill -TERM "$pid"
	wait_for 30 sh -c "! kill -0 $pid" || fail "d: libvirtd ($pid) stopped on SIGTERM"
	restart_libvirtd d
	expect_eq "d: e2e-net still running" "$(dom_state e2e-net)" running
	expect_match "d: its VF still has the policy" "$(vfs_now | tr '\n' ' ')" \
		"link/ether 52:54:00:e2:e0:01 [^v]*spoof checking off, [^v]*trust on"
	if destroy_guest e2e-net; then pass "d: virsh destroy e2e-net"; else fail "d: virsh destroy e2e-net"; fi
	wait_for 10 no_state
	all_back "d: libvirtd restarted, then destroy"
fi

# --- e. libvirtd and QEMU killed, libvirtd started ---------------------------
if running_with_policy e2e-hd "e" "link/ether 52:54:00:e2:e0:10 .*vlan 5, qos 2, spoof checking off"; then
	qpid=$(qemu_pid e2e-hd)
	pid=$(cat /run/libvirtd.pid)
	kill -9 "$pid" "$qpid"
	wait_for 10 sh -c "! kill -0 $pid && ! kill -0 $qpid"
	rm -f /run/libvirtd.pid
	restart_libvirtd e
	wait_for 30 sh -c "virsh domstate e2e-hd | grep -q 'shut off'" ||
		fail "e: libvirtd finds e2e-hd dead" "$(dom_state e2e-hd)"
	wait_for 10 no_state
	wait_for 10 vf_on 1 igbvf
	all_back "e: libvirtd and QEMU killed, libvirtd started"
fi
