# 9. Stress with libvirtd restarts (issue 13): four guests with policies
# (two on the pool: trust on, spoofchk off, libvirt's MAC and VLAN; two
# plain <hostdev> on VF 5 and 6: MAC, VLAN + QoS, spoofchk off) started
# and destroyed together, ROUNDS times; in each round libvirtd is stopped
# (SIGKILL, or SIGTERM as a service restart) at a random point: a random
# time into the starts, while the guests run, a random time into the
# destroys, inside a hook run (prepare, port-deleted or release: see
# below), or not at all; then started again. After each round, once no
# guest runs and no hook is left:
#  - every VF that differs from before the round is claimed by a state
#    file (what the hook changed is put back, or kept for reconcile:
#    docs/hook.md, "The guarantee");
#  - a round whose libvirtd was stopped only while the guests ran needs no
#    reconcile: libvirt ran every release itself;
#  - then `virt-sriov reconcile` (the documented recovery for a guest gone
#    without its release, run by virt-sriov-reconcile.service at each
#    start of libvirtd on a systemd host), and every VF line of
#    `ip -d link show eth0` as before, no state file, no VF netdev with a
#    guest's MAC, no MAC on two VFs; a network port libvirt left in the
#    pool (docs/hook.md, "Limits") is printed, and reconcile must have
#    deleted it; a second reconcile does nothing, and the VFs are compared
#    again.
# Before the rounds, a port made by hand for a guest that does not exist
# (what libvirt leaves) next to a running pool guest's: reconcile deletes
# the first and puts its VF back, never touches the second.
# A hook lives some 50 ms of a 5 s start, so a random time rarely lands in
# one: to stop libvirtd inside a hook run, a watcher holds the lock that
# hook waits for (the state directory's for prepare, a guest's UUID.lock
# for port-deleted and release), stops libvirtd when the hook shows up in
# /proc, and lets go: the hook goes on without its parent.
# The schedule comes from a seed, printed; replay with
# `make check-e2e E2E_SCENARIOS=stress SEED=N` (vs.seed=N on the VM's
# kernel command line; vs.rounds=N for the number of rounds).
. /vs/e2e-lib.sh
ensure_pool

ROUNDS=4 SEED=
for w in $(cat /proc/cmdline); do
	case $w in
	vs.seed=*) SEED=${w#vs.seed=} ;;
	vs.rounds=*) ROUNDS=${w#vs.rounds=} ;;
	esac
done
[ -n "$SEED" ] || SEED=$(($(date +%s%N) / 1000 % 1000000))
info "seed $SEED, $ROUNDS rounds (replay: make check-e2e E2E_SCENARIOS=stress SEED=$SEED)"
RNG=$SEED
# rand N: a number in 0..N-1 in R. glibc's LCG, in the shell itself (a
# command substitution would lose the state).
rand() {
	RNG=$(((RNG * 1103515245 + 12345) % 2147483648))
	R=$((RNG / 65536 % $1))
}
sleep_ms() { sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"; }

GUESTS='e2e-sp1 e2e-sp2 e2e-shd5 e2e-shd6'
for i in 1 2; do
	define_guest_as e2e-net e2e-sp$i "s/e2e-net/e2e-sp$i/" "s/e2:e0:01/e2:e1:1$i/" \
		"s|<source network='sriov-eth0'/>|&<vlan><tag id='2$i'/></vlan>|" || exit 0
	vs policy set e2e-sp$i --spoofchk off --trust on --config >/dev/null ||
		{ fail "virt-sriov policy set e2e-sp$i" "$(vs_stderr)"; exit 0; }
done
for n in 5 6; do
	define_guest_as e2e-hd e2e-shd$n "s/e2e-hd/e2e-shd$n/" "s/e2:e0:10/e2:e1:0$n/" \
		"s/vlan='5' qos='2'/vlan='1$n' qos='$n'/" "$(vf_addr_sed "$(vf_addr_n $n)")" || exit 0
done

# shellcheck disable=SC2034 # read by all_back
GUEST_MACS='52:54:00:e2:e1:[0-9a-f]{2}'
# procs REGEX: "PID COMM" of the processes whose name matches REGEX.
procs() {
	for p in /proc/[0-9]*; do
		read -r comm 2>/dev/null <"$p/comm" || continue
		echo "$comm" | grep -qE "^($1)\$" && echo "${p#/proc/} $comm"
	done
}
# hooks_now: the virt-sriov hook runs alive, as "GUEST OP" (for INFO).
hooks_now() {
	procs 'virt-sriov|virt-sriov-hook' | while read -r pid comm; do
		# shellcheck disable=SC2046 # argv words, split on purpose
		set -- $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
		case $1 in */hooks/*|*/virt-sriov-hook) echo "$2 $3" ;; esac
	done | tr '\n' ',' | sed 's/,$//'
}
no_guest_runs() { [ -z "$(virsh list --name 2>/dev/null | grep .)" ] && [ -z "$(procs 'qemu-system-x86')" ]; }
all_on_igbvf() { for n in 0 1 2 3 4 5 6; do vf_on $n igbvf || return 1; done; }
no_hook_runs() { [ -z "$(procs 'virt-sriov|virt-sriov-hook')" ]; }
# VFs (numbers) whose line differs from /tmp/before.
vfs_changed() { vfs_now | diff /tmp/before - | awk '$1 == ">" { print $3 }'; }
# VFs of eth0 claimed by a state file.
vfs_claimed() { cat "$STATE"/*.json 2>/dev/null | jq -r '.vfs[].index' | sort -u; }

# The watcher: OPS (an extended regular expression) SIG. Under the lock it
# was started with: the first virt-sriov hook process whose arguments hold
# one of OPS gets libvirtd stopped with SIG; gives up after 60 s (a loaded
# machine: TCG in TCG).
cat >/tmp/lvkiller <<'KILLER'
#!/bin/sh
end=$(($(date +%s) + 60))
while [ "$(date +%s)" -lt "$end" ]; do
	for p in /proc/[0-9]*; do
		read -r comm 2>/dev/null <"$p/comm" || continue
		case $comm in virt-sriov|virt-sriov-hook) ;; *) continue ;; esac
		args=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
		if echo "$args" | grep -qE "hooks/.* ($1) "; then
			kill -"$2" "$(cat /run/libvirtd.pid)" && echo "$args" >/tmp/lvkiller.out
			exit 0
		fi
		echo "$seen" | grep -qF "$args" || seen="$seen; $args"
	done
done
echo "no hook process seen (others seen: ${seen#; })" >/tmp/lvkiller.out
KILLER
chmod +x /tmp/lvkiller
# watch_hook OPS LOCK-FILE: the watcher, in the background (WATCHER).
# The state directory must exist first: flock would create a file there.
[ -d "$STATE" ] || mkdir -m 0700 "$STATE"
watch_hook() {
	rm -f /tmp/lvkiller.out
	flock "$2" /tmp/lvkiller "$1" "$SIG" &
	WATCHER=$!
	sleep 0.2
}
# hook_killed: after the watcher has stopped libvirtd: wait for the
# daemon to go, start it again.
hook_killed() {
	wait "$WATCHER"
	if grep -q '^no hook' /tmp/lvkiller.out; then
		info "round $r: libvirtd left alone: $(cat /tmp/lvkiller.out)"
		return
	fi
	stop_libvirtd "$SIG"
	KILLS=$((KILLS + 1)) HOOK_KILLS=$((HOOK_KILLS + 1))
	info "round $r: SIG$SIG to libvirtd in the hook run: $(cat /tmp/lvkiller.out)"
	restart_libvirtd "round $r"
}

# kill_at WHAT: stop libvirtd now (the round's signal), say what ran,
# start it again.
kill_at() {
	landed=$(hooks_now)
	stop_libvirtd "$SIG"
	KILLS=$((KILLS + 1))
	[ -n "$landed" ] && HOOK_KILLS=$((HOOK_KILLS + 1))
	info "round $r: SIG$SIG to libvirtd $1${landed:+, hooks running: $landed}"
	restart_libvirtd "round $r"
}

# A port left over, made by hand as libvirt keeps it for a guest that is
# gone (its owner UUID names no guest; no <plug>: the pool hands it a VF,
# and port-created applies the port's MAC), next to the port of a running
# pool guest: reconcile -n says what it would delete and deletes nothing;
# reconcile puts the ghost's VF back (its state file), deletes its port
# (port-deleted then finds nothing left), keeps e2e-sp1's port and state.
ensure_pool
snapshot /tmp/before
if start_guest e2e-sp1; then
	ghost=$(cat /proc/sys/kernel/random/uuid) port=$(cat /proc/sys/kernel/random/uuid)
	kept=$(virsh net-port-list $POOL --uuid 2>/dev/null | grep . | tr '\n' ' ')
	cat >/tmp/ghost-port.xml <<EOF
<networkport>
  <uuid>$port</uuid>
  <owner><name>e2e-ghost</name><uuid>$ghost</uuid></owner>
  <mac address='52:54:00:e2:e1:99'/>
</networkport>
EOF
	virsh net-port-create $POOL /tmp/ghost-port.xml >/tmp/port.out 2>&1 ||
		fail "virsh net-port-create (a gone guest's port)" "$(cat /tmp/port.out)"
	info "ports of $POOL: e2e-sp1's: $kept; the ghost's: $port; state files: $(state_count)"
	vs -n reconcile >/tmp/reconcile.out || fail "virt-sriov -n reconcile" "$(vs_stderr)"
	expect_match "reconcile -n: would delete the gone guest's port" "$(cat /tmp/reconcile.out)" \
		"^would delete network port $port of pool $POOL \(VF [0-9a-f:.]+\) of guest e2e-ghost \($ghost\)"
	expect_eq "reconcile -n: deleted nothing" "$(virsh net-port-list $POOL --uuid 2>/dev/null | grep -c "$port")" 1
	vs reconcile >/tmp/reconcile.out || fail "virt-sriov reconcile" "$(vs_stderr)"
	info "reconcile: $(tr '\n' ' ' </tmp/reconcile.out)"
	expect_match "reconcile: deleted the gone guest's port" "$(cat /tmp/reconcile.out)" "^deleted network port $port "
	expect_eq "reconcile: the gone guest's port deleted, the running guest's kept" \
		"$(virsh net-port-list $POOL --uuid 2>/dev/null | grep . | tr '\n' ' ')" "$kept"
	expect_eq "reconcile: e2e-sp1 still runs" "$(dom_state e2e-sp1)" running
	expect_eq "reconcile: e2e-sp1's state file kept" "$(state_count)" 1
	destroy_guest e2e-sp1 || fail "virsh destroy e2e-sp1"
	wait_for 30 no_hook_runs || fail "no hook runs" "$(hooks_now)"
	wait_for 10 all_on_igbvf || info "VFs not back on igbvf"
	all_back "a gone guest's port and a running one's, reconciled"
else
	fail "virsh start e2e-sp1" "$(cat /tmp/start.out)"
fi

KILLS=0 HOOK_KILLS=0 RECONCILED=0 COMPARED=0 LEAKED=0
t_all=$(now_ms)
r=1
while [ "$r" -le "$ROUNDS" ]; do
	ensure_pool
	snapshot /tmp/before
	mark=$(hook_mark)
	# Where libvirtd is stopped (out of 12: none 1, start 2, running 2,
	# destroy 2, a prepare hook 2, a plain <hostdev> guest's release 2, a
	# pool guest's port-deleted 1), the delay into that phase, the signal.
	rand 12
	case $R in
	0) phase=none ;; 1|2) phase=start ;; 3|4) phase=running ;; 5|6) phase=destroy ;;
	7|8) phase=prepare ;; 9|10) phase=release ;; *) phase='port-deleted' ;;
	esac
	rand 4; SIG=KILL; [ "$R" -eq 0 ] && SIG=TERM
	rand 6000; delay=$R
	[ "$phase" = destroy ] && delay=$((delay / 2))
	case $phase in
	none) info "round $r: libvirtd left alone" ;;
	start|running|destroy) info "round $r: SIG$SIG to libvirtd $delay ms into the $phase phase" ;;
	*) info "round $r: SIG$SIG to libvirtd in a $phase hook run" ;;
	esac
	t0=$(now_ms)
	[ "$phase" = prepare ] && watch_hook prepare "$STATE"
	# Starts, in a random order a random 0-300 ms apart.
	order=$(for g in $GUESTS; do rand 1000; echo "$R $g"; done | sort -n | cut -d' ' -f2)
	for g in $order; do
		timeout 120 virsh start "$g" >"/tmp/start.$g" 2>&1 &
		rand 300; sleep_ms "$R"
	done
	[ "$phase" = start ] && { sleep_ms "$delay"; kill_at "during the starts"; }
	[ "$phase" = prepare ] && hook_killed
	wait
	t_start=$(($(now_ms) - t0))
	running=$(virsh list --name | grep . | sort | tr '\n' ' ')
	case $phase in start|prepare) ;; *)
		expect_eq "round $r: all four guests run" "$running" "$(echo "$GUESTS" | tr ' ' '\n' | sort | tr '\n' ' ')"
		grep -h -i error /tmp/start.* | head -n 4 ;;
	esac
	[ "$phase" = running ] && { sleep_ms "$delay"; kill_at "while $running ran"; }
	# The guest whose hook is waited for, at random among those running
	# (a pool guest's port-deleted comes before its release: both wait for
	# its UUID.lock).
	case $phase in release|port-deleted)
		# shellcheck disable=SC2046 # names
		set -- $(echo "$running" | tr ' ' '\n' | grep -E "^e2e-s$([ $phase = release ] && echo hd || echo p)")
		if [ $# -gt 0 ]; then
			rand $#; shift "$R"
			watch_hook "$phase" "$STATE/$(dom_uuid "$1").lock"
		else
			phase=none
		fi ;;
	esac
	t1=$(now_ms)
	for g in $running; do
		timeout 120 virsh destroy "$g" >"/tmp/destroy.$g" 2>&1 &
	done
	[ "$phase" = destroy ] && { sleep_ms "$delay"; kill_at "during the destroys"; }
	case $phase in release|port-deleted) hook_killed ;; esac
	wait
	t_destroy=$(($(now_ms) - t1))
	# Whatever a stop left running (a start libvirt picked up again, a
	# destroy it never got): destroyed now, then quiet.
	for g in $(virsh list --name | grep .); do
		info "round $r: $g still runs after the round: virsh destroy"
		timeout 120 virsh destroy "$g" >/dev/null 2>&1
	done
	t2=$(now_ms)
	wait_for 60 no_guest_runs || fail "round $r: no guest runs" "$(virsh list --name | tr '\n' ' ') $(procs qemu-system-x86)"
	wait_for 30 no_hook_runs || fail "round $r: no hook runs" "$(hooks_now)"
	# Before reconcile: nothing changed that no state file can put back.
	changed=$(vfs_changed | tr '\n' ' ')
	claimed=$(vfs_claimed | tr '\n' ' ')
	for n in $changed; do
		echo " $claimed " | grep -q " $n " ||
			fail "round $r: VF $n changed and no state file claims it" "$(vf_line "$n")"
	done
	left=$(state_count)
	# Which hooks libvirt ran this round, in order (its log: e2e-lib.sh).
	info "round $r: hook runs: $(tail -n +"$((mark + 1))" "$LIBVIRTD_LOG" |
		sed -n 's,.*About to run .*hooks/\(qemu\|network\)\.d/virt-sriov \([^ ]*\) \([^ ]*\) .*,\2 \3,p' | grep -E ' (prepare|port-created|port-deleted|release)$' | tr '\n' ',')"
	info "round $r: before reconcile: VFs changed: ${changed:-none}; claimed by $left state file(s): ${claimed:-none}"
	case $phase in none|running)
		expect_eq "round $r: libvirt ran every release (no state left without reconcile)" "$left" 0 ;;
	esac
	[ "$left" -gt 0 ] && RECONCILED=$((RECONCILED + left))
	# A port libvirt lost track of (libvirtd killed while it tore a pool
	# guest down: docs/hook.md, "Limits") holds its VF: said, and reconcile
	# must delete it (libvirt then runs port-deleted, which finds nothing
	# left to put back).
	leaked=$(virsh net-port-list $POOL --uuid 2>/dev/null | grep .)
	for port in $leaked; do
		info "round $r: libvirt left port $port in $POOL: $(virsh net-port-dumpxml $POOL "$port" 2>&1 | tr -d '\n' | sed 's/  */ /g' | cut -c1-300)"
		LEAKED=$((LEAKED + 1))
	done
	vs reconcile >/tmp/reconcile.out || fail "round $r: virt-sriov reconcile" "$(vs_stderr)"
	[ -s /tmp/reconcile.out ] && info "round $r: reconcile: $(tr '\n' ' ' </tmp/reconcile.out)"
	for port in $leaked; do
		grep -q "^deleted network port $port of pool $POOL " /tmp/reconcile.out ||
			fail "round $r: reconcile deleted the port libvirt left ($port)" "$(cat /tmp/reconcile.out)"
	done
	expect_eq "round $r: no port left in $POOL after reconcile" "$(virsh net-port-list $POOL --uuid 2>/dev/null | grep . | tr '\n' ' ')" ""
	wait_for 10 all_on_igbvf ||
		info "round $r: VFs not back on igbvf (libvirt's reattach): $(for n in 0 1 2 3 4 5 6; do printf '%s ' "$(vf_driver_n $n)"; done)"
	all_back "round $r ($phase)"
	COMPARED=$((COMPARED + $(vfs_now | wc -l)))
	expect_eq "round $r: no MAC on two VFs" \
		"$(vfs_now | awk '$4 != "00:00:00:00:00:00" { print $4 }' | sort | uniq -d | tr '\n' ' ')" ""
	vs reconcile >/tmp/reconcile.out 2>&1 || fail "round $r: a second reconcile" "$(vs_stderr)"
	expect_eq "round $r: a second reconcile has nothing to do" "$(cat /tmp/reconcile.out)" ""
	expect_eq "round $r: every VF as before after a second reconcile" "$(snapshot_now)" "$(cat /tmp/before)"
	info "round $r: $(($(now_ms) - t0)) ms (starts $t_start ms, destroys $t_destroy ms, checks $(($(now_ms) - t2)) ms)"
	r=$((r + 1))
done
info "$ROUNDS rounds in $(($(now_ms) - t_all)) ms: $KILLS libvirtd stops ($HOOK_KILLS while a hook ran), $RECONCILED state files left for reconcile, $LEAKED ports libvirt left, $COMPARED VF lines compared (seed $SEED)"
for g in $GUESTS; do virsh undefine "$g" >/dev/null 2>&1; done
