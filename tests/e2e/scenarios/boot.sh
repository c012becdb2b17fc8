# 8. A reboot, as far as the VM allows: libvirtd stopped, the VFs gone
# (what a reboot leaves), then what virt-sriov.service runs before libvirt
# (`virt-sriov apply --no-libvirt`), then libvirtd started: its own
# autostart must find the VFs and start the pool. The negative control
# (the same without the apply) must leave the pool inactive, so that the
# check can tell the two apart. Ends with the VFs and the pool as `pool`
# left them, and the image's virt-sriov.conf back.
. /vs/e2e-lib.sh
pf=$(pf_sys)
CONF=/etc/virt-sriov/virt-sriov.conf
ensure_pool
running=$(virsh list --name | grep -v '^$' | tr '\n' ' ')
[ -z "$running" ] || { fail "no guest runs before the reboot" "$running"; exit 1; }

# The image's file (the hook's gates) plus the host setup keys: 7 VFs on
# eth0 and the pool made from them (autostart is apply's default; said
# here all the same). Sections may not be repeated, so the keys go into
# the existing [pf eth0] and [pool sriov-eth0]. The VF count and a static
# VF setting (trust on VF 6) are saved by the commands themselves (--save),
# as an admin who fixed the host by hand keeps it.
cp "$CONF" /tmp/vs.conf.orig
awk -v pool="[pool $POOL]" '
	{ print }
	$0 == pool { print "pf = eth0"; print "autostart = yes" }' /tmp/vs.conf.orig >"$CONF"
if vs numvfs $PF 7 --save >/tmp/save.out && vs vf set "$PF#6" --trust on --save >>/tmp/save.out; then
	pass "numvfs --save, vf set --save ($(tr '\n' ' ' </tmp/save.out))"
else
	fail "numvfs --save, vf set --save" "$(vs_stderr)"
fi
expect_eq "virt-sriov.conf has the host setup keys" "$(grep -cE '^(numvfs = 7|pf = eth0|autostart = yes)$' "$CONF")" 3
expect_eq "vf set --save: [vfs $PF#6] trust = on at the end" "$(tail -n 2 "$CONF" | tr '\n' ' ')" "[vfs $PF#6] trust = on "
expect_eq "--save kept the image's comments" "$(grep -c '^#' "$CONF")" "$(grep -c '^#' /tmp/vs.conf.orig)"

# Once by hand with libvirt running, as virt-sriov.conf(5) says: the pool
# is defined (here it was already, by network apply) and autostarted.
if vs apply >/tmp/apply.out; then
	pass "virt-sriov apply with libvirt ($(tr '\n' ' ' </tmp/apply.out))"
else
	fail "virt-sriov apply with libvirt" "$(vs_stderr)"
fi
if vs apply >/tmp/apply2.out; then
	expect_eq "a second virt-sriov apply: nothing to change" "$(cat /tmp/apply2.out)" "nothing to change"
else
	fail "a second virt-sriov apply" "$(vs_stderr)"
fi
info=$(virsh net-info $POOL 2>&1)
expect_match "virsh net-info: $POOL is persistent" "$info" 'Persistent: +yes'
expect_match "virsh net-info: $POOL is autostarted" "$info" 'Autostart: +yes'

stop_libvirtd() {
	pid=$(cat /run/libvirtd.pid)
	kill -TERM "$pid"
	wait_for 30 sh -c "! kill -0 $pid"
}
start_libvirtd() { libvirtd -d && wait_for 60 virsh -q version; }
# sim_reboot WHAT: the pool inactive (libvirt keeps an active network's state
# across its own restart; after a reboot there is none), libvirtd stopped
# cleanly, the VFs removed, and libvirt's "autostarted" markers gone: each
# driver autostarts only when its $runstatedir/libvirt/DRIVER/autostarted
# does not exist yet (virDriverShouldAutostart), i.e. once per boot, as
# /run is a tmpfs. Without removing them, a restarted libvirtd autostarts
# nothing, VFs or not.
sim_reboot() {
	if virsh net-info $POOL | grep -qE 'Active: +yes'; then
		virsh net-destroy $POOL >/tmp/destroy.out 2>&1 ||
			{ fail "$1: virsh net-destroy $POOL" "$(cat /tmp/destroy.out)"; return 1; }
	fi
	stop_libvirtd || { fail "$1: libvirtd stopped on SIGTERM"; return 1; }
	[ -e /run/libvirt/network/autostarted ] ||
		{ fail "$1: libvirt's network driver left its autostarted marker"; return 1; }
	rm -f /run/libvirt/*/autostarted
	echo 0 >"$pf/sriov_numvfs" || { fail "$1: echo 0 > sriov_numvfs"; return 1; }
	if [ "$(cat "$pf/sriov_numvfs")" = 0 ] && [ "$(vf_count "$pf")" = 0 ] && [ -z "$(vfs_now)" ]; then
		pass "$1: libvirtd stopped, $POOL inactive, no VF left (sysfs, ip)"
	else
		fail "$1: no VF left" "sriov_numvfs $(cat "$pf/sriov_numvfs"), $(vf_count "$pf") virtfn, ip: $(vfs_now | wc -l)"
		return 1
	fi
}
pool_active() { virsh net-info $POOL | grep -qE 'Active: +yes'; }

# --- the negative control: libvirt started with no VF --------------------
if sim_reboot "without apply"; then
	mark=$(hook_mark)
	if start_libvirtd; then
		# libvirt tries to autostart the pool while it starts up.
		if wait_for 30 sh -c "tail -n +$((mark + 1)) $LIBVIRTD_LOG | grep -q \"No usable Vf's\""; then
			pass "without apply: libvirtd's log says $(tail -n +$((mark + 1)) $LIBVIRTD_LOG | grep -o "No usable Vf's.*" | head -n 1)"
		else
			fail "without apply: libvirtd's log says No usable Vf's" "$(tail -n +$((mark + 1)) $LIBVIRTD_LOG | grep -v ' debug : ' | tail -n 5)"
		fi
		expect_match "without apply: virsh net-info: $POOL is not active" "$(virsh net-info $POOL 2>&1)" 'Active: +no'
	else
		fail "without apply: libvirtd started" "$(tail -n 5 "$LIBVIRTD_LOG")"
	fi
fi

# --- the boot: apply --no-libvirt before libvirt ---------------------------
if sim_reboot "with apply"; then
	if vs apply --no-libvirt >/tmp/apply.out; then
		pass "virt-sriov apply --no-libvirt, libvirtd stopped ($(tr '\n' ' ' </tmp/apply.out))"
	else
		fail "virt-sriov apply --no-libvirt" "$(vs_stderr)"
	fi
	expect_eq "sysfs: sriov_numvfs of $PF is 7" "$(cat "$pf/sriov_numvfs")" 7
	expect_eq "sysfs: 7 virtfn links" "$(vf_count "$pf")" 7
	expect_eq "ip: $PF reports 7 VFs" "$(vfs_now | wc -l)" 7
	expect_match "ip: the --save'd trust on of VF 6 survived the reboot" "$(vf_line 6)" 'trust on'
	expect_match "ip: VF 5 (nothing saved) has trust off" "$(vf_line 5)" 'trust off'
	wait_for 20 sh -c "[ \$(ls -d $pf/virtfn*/net/* 2>/dev/null | wc -l) -eq 7 ]" &&
		pass "sysfs: 7 igbvf netdevs" || fail "sysfs: 7 igbvf netdevs" "$(ls -d "$pf"/virtfn*/net/* 2>&1 | tr '\n' ' ')"
	if vs apply --no-libvirt >/tmp/apply2.out; then
		expect_eq "a second apply --no-libvirt: nothing to change" "$(cat /tmp/apply2.out)" "nothing to change"
	else
		fail "a second apply --no-libvirt" "$(vs_stderr)"
	fi

	mark=$(hook_mark)
	if start_libvirtd; then
		if wait_for 30 pool_active; then
			pass "with apply: libvirt's autostart made $POOL active"
		else
			fail "with apply: libvirt's autostart made $POOL active" "$(virsh net-info $POOL 2>&1 | tr '\n' ' ')"
		fi
		tail -n +$((mark + 1)) $LIBVIRTD_LOG | grep -q "No usable Vf's" &&
			fail "with apply: libvirtd's log has no \"No usable Vf's\""
		xml=$(virsh net-dumpxml $POOL 2>&1)
		from_libvirt=$(echo "$xml" | sed -n "s/.*<address type='pci' domain='0x\(....\)' bus='0x\(..\)' slot='0x\(..\)' function='0x\(.\)'.*/\1:\2:\3.\4/p" | sort | tr '\n' ' ')
		from_sysfs=$(n=0; while [ $n -lt 7 ]; do vf_addr_n $n; n=$((n + 1)); done | sort | tr '\n' ' ')
		expect_eq "with apply: net-dumpxml lists the 7 VFs of sysfs" "$from_libvirt" "$from_sysfs"
	else
		fail "with apply: libvirtd started" "$(tail -n 5 "$LIBVIRTD_LOG")"
	fi
fi

# What the other scenarios expect: the image's file, 7 VFs with their
# netdevs' MACs in the PF's table (VF 6 trusted no more), the pool active.
cp /tmp/vs.conf.orig "$CONF"
vs vf set "$PF#6" --trust off >/dev/null || fail "vf set $PF#6 --trust off" "$(vs_stderr)"
virsh -q version >/dev/null 2>&1 || start_libvirtd
ensure_pool
pool_active || fail "$POOL active again at the end" "$(virsh net-info $POOL 2>&1 | tr '\n' ' ')"
