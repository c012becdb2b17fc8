#!/bin/sh
# `virt-sriov apply` against a real, private libvirtd (libvirtd-harness.sh):
# the pools of the configuration are defined and autostarted through the
# libvirt API, a second apply changes nothing (exit 0, "nothing to change";
# --json "changed": false, true in the first run and its dry run), a pool
# that cannot start on this hardware-less machine is reported with
# libvirt's words and what was done before, --no-libvirt leaves pools alone,
# and an inactive guest holding a VF keeps its PF's VF count (named).
#
# The daemon reads the real /sys, not the generated tree: a <pf dev> pool
# is defined but cannot start here ("No usable Vf's present"), so the pools
# that must be idempotent say start = no.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$GEN"
need jq
tmpdir apply-libvirtd
export VIRT_SRIOV_STATE_DIR=$W/state   # apply reconciles: never the host's
host_tree "$W/host" --profile r730
libvirtd_up "$W/daemon"

export VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"
VS_TREE=$W/host VS_URI=$VS_LIBVIRT_URI
apply() { # apply CONF ARGS... -> $rc, $W/out, $W/err
	c=$1; shift
	run apply --config "$c" "$@"
}

cat >"$W/pools.conf" <<'EOF2'
[pool tenants]          # every VF of em1, at every boot
pf = em1
start = no
allow-spoofchk-off = no  # the hook's gate, in the same section
[pool spare]
pf = 0000:01:00.1
autostart = no
start = no
EOF2

# --- dry run: what would be done, nothing done
apply "$W/pools.conf" -n
[ $rc -eq 0 ] || fail "dry run: exit $rc: $(cat "$W/err")"
expect_out "dry run" "pool tenants (em1): define, autostart on" "pool spare (em2): define"
virsh_ net-info tenants >/dev/null 2>&1 && fail "dry run defined the pool"
run --json apply --config "$W/pools.conf" -n
jq -e '.dry_run and .changed and .steps.pool == 2 and .steps.numvfs == 0' "$W/out" >/dev/null ||
	fail "dry run --json does not predict the change: $(cat "$W/out")"

# --- apply: defined, autostart as configured, not started
apply "$W/pools.conf"
[ $rc -eq 0 ] || fail "apply: exit $rc: $(cat "$W/err")"
expect_out "apply" "pool tenants (em1): define, autostart on" "pool spare (em2): define"
virsh_ net-info tenants >"$W/info" || fail "tenants not defined in libvirtd"
grep -Eq '^Persistent: +yes' "$W/info" || fail "tenants not persistent"
grep -Eq '^Autostart: +yes' "$W/info" || fail "tenants not autostarted"
grep -Eq '^Active: +no' "$W/info" || fail "tenants started although start = no"
virsh_ net-info spare | grep -Eq '^Autostart: +no' || fail "spare autostarted although autostart = no"
virsh_ net-dumpxml --inactive tenants >"$W/net.xml"
[ "$(xmllint --xpath "string(/network/forward[@mode='hostdev']/pf/@dev)" "$W/net.xml")" = em1 ] ||
	fail "tenants XML has no <pf dev='em1'>: $(cat "$W/net.xml")"
[ "$(xmllint --xpath "string(/network/name)" "$W/net.xml")" = tenants ] || fail "pool name"
uuid=$(virsh_ net-uuid tenants)

# --- again: nothing to do, one line says so; --json and its dry run: not changed
apply "$W/pools.conf"
[ $rc -eq 0 ] || fail "second apply: exit $rc: $(cat "$W/err")"
expect_out "second apply" "nothing to change"
for mode in -n ""; do
	run --json apply --config "$W/pools.conf" $mode
	[ $rc -eq 0 ] && jq -e '.changed == false and (.changes | length) == 0 and .steps.pool == 0' "$W/out" >/dev/null ||
		fail "apply --json $mode in state: exit $rc: $(cat "$W/out")"
done
[ "$(virsh_ net-uuid tenants)" = "$uuid" ] || fail "second apply redefined tenants"

# --- --no-libvirt (the boot step): pools are not looked at
printf '[pool other]\npf = em3\n' >"$W/other.conf"
apply "$W/other.conf" --no-libvirt
[ $rc -eq 0 ] && [ "$(cat "$W/out")" = "nothing to change" ] || fail "--no-libvirt touched pools: exit $rc: $(cat "$W/out" "$W/err")"
virsh_ net-info other >/dev/null 2>&1 && fail "--no-libvirt defined a pool"

# --- start = yes (the default) on this machine: libvirt's refusal, and what was done first
apply "$W/other.conf"
[ $rc -eq 1 ] || fail "pool start without VFs: exit $rc, want 1"
grep -qx "pool other (em3): define, autostart on" "$W/out" || fail "partial pool change not said: $(cat "$W/out")"
grep -q "starting pool other: .*No usable Vf's present on SRIOV PF em3" "$W/err" ||
	fail "start error lacks libvirt's message: $(cat "$W/err")"
grep -q "numvfs in \[pf em3\]" "$W/err" || fail "start error lacks the hint: $(cat "$W/err")"
grep -q "nothing to change" "$W/out" && fail "a failed apply said nothing to change"

# --- an inactive guest holds em1's VF 2: em1 keeps its VF count
vf2=$(basename "$(readlink "$W/host/sys/bus/pci/devices/0000:01:00.0/virtfn2")")
define_guest held "$(hostdev_xml "$vf2")"
printf '[pf em1]\nnumvfs = 3\n' >"$W/count.conf"
snap_keep "$W/host"
apply "$W/count.conf"
[ $rc -eq 1 ] || fail "count change under a guest: exit $rc, want 1"
grep -q "count.conf:2: numvfs = 3 for em1 (0000:01:00.0) refused: VF 2 ($vf2) is used by guest 'held'" "$W/err" ||
	fail "guest not named: $(cat "$W/err")"
unchanged "$W/host" "refused count change wrote to the tree"

finish "apply against a private libvirtd"
