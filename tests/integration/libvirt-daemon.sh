#!/bin/sh
# Against a real, private libvirtd (libvirtd-harness.sh): `network apply`
# defines and autostarts a <pf dev> pool, reports the start failure of this
# hardware-less machine with libvirt's words and a hint, is idempotent,
# `network list` and `network remove` work, and `list --json` shows which
# guest holds a VF (inactive guests with <hostdev> and
# <interface type='hostdev'>).
#
# The daemon reads the real /sys, not the generated tree: it cannot start a
# pool here ("No usable Vf's present on SRIOV PF em1"), and must not need to
# for define, autostart, remove and in_use_by.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need jq
need_built "$GEN"
tmpdir libvirt-daemon
fail_fast=1

host_tree "$W/host" --profile r730
libvirtd_up "$W/daemon"

export VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"
VS_TREE=$W/host VS_URI=$VS_LIBVIRT_URI

# --- apply: defined + autostart, start fails with libvirt's message + hint
vs network apply em1 >"$W/out1" 2>"$W/err1"
rc=$?
cat "$W/out1" "$W/err1"
[ $rc -eq 1 ] || fail "apply on a machine without VFs should fail to start the pool (rc=$rc)"
grep -q "^sriov-em1: defined, autostart on$" "$W/out1" || fail "apply did not report define+autostart"
grep -q "starting pool sriov-em1: .*No usable Vf's present on SRIOV PF em1" "$W/err1" ||
	fail "start error lacks what we did or libvirt's message"
grep -q "create VFs first: virt-sriov numvfs em1 7" "$W/err1" || fail "start error lacks the hint"

virsh_ net-info sriov-em1 >"$W/info" || fail "pool not defined in libvirtd"
grep -Eq '^Persistent: +yes' "$W/info" || fail "pool not persistent"
grep -Eq '^Autostart: +yes' "$W/info" || fail "pool not autostarted"
virsh_ net-dumpxml --inactive sriov-em1 >"$W/net.xml"
xmllint --xpath "string(/network/forward[@mode='hostdev']/pf/@dev)" "$W/net.xml" | grep -qx em1 ||
	fail "pool XML in libvirtd has no <pf dev='em1'>"
uuid1=$(virsh_ net-uuid sriov-em1)

# --- apply again: the definition is the same (no redefine), start still fails
vs network apply em1 >"$W/out2" 2>"$W/err2"
cat "$W/out2" "$W/err2"
grep -Eq "defined|updated|autostart" "$W/out2" && fail "second apply changed the definition"
[ "$(virsh_ net-uuid sriov-em1)" = "$uuid1" ] || fail "UUID changed"

# --- a changed pool is redefined in place, same UUID
vs network apply em1 --vlan 5 >"$W/out2b" 2>"$W/err2b"
cat "$W/out2b"
grep -q "^sriov-em1: updated$" "$W/out2b" || fail "apply --vlan 5 did not update the pool"
[ "$(virsh_ net-uuid sriov-em1)" = "$uuid1" ] || fail "UUID changed on update"
virsh_ net-dumpxml --inactive sriov-em1 >"$W/net2.xml"
xmllint --xpath "string(/network/vlan/tag/@id)" "$W/net2.xml" | grep -qx 5 || fail "VLAN 5 not in the pool"

# --- an explicit VF list names VFs the daemon cannot see: refused at define
vs network apply em2 --vfs 0-1 >"$W/out3" 2>"$W/err3" && fail "define of absent VFs succeeded?"
cat "$W/err3"
grep -q "defining pool sriov-em2: " "$W/err3" || fail "define error lacks what we did"
virsh_ net-info sriov-em2 >/dev/null 2>&1 && fail "half-defined pool sriov-em2 left behind"

# --- dry run changes nothing
vs -n network apply em2 >"$W/out4" 2>&1 || fail "dry run failed"
grep -q "^sriov-em2: would define, turn autostart on, start$" "$W/out4" || fail "dry run output: $(cat "$W/out4")"
virsh_ net-info sriov-em2 >/dev/null 2>&1 && fail "dry run defined a pool"

# --- list
vs --json network list >"$W/list.json" || fail "network list"
jq -e '.pools | length == 1' "$W/list.json" >/dev/null || fail "list: $(cat "$W/list.json")"
jq -e '.pools[0] | .name == "sriov-em1" and .pf == "em1" and .active == false and .autostart == true
	and .vfs == null and .in_use == 0' "$W/list.json" >/dev/null || fail "list: $(cat "$W/list.json")"

# --- in_use_by from guests of the real daemon
iface="<interface type='hostdev' managed='yes'><mac address='52:54:00:6d:90:02'/><source><address type='pci' domain='0x0000' bus='0x01' slot='0x10' function='0x5'/></source></interface>"
define_guest g-hostdev "$(hostdev_xml 0000:01:10.0)"
define_guest g-iface "$iface"
vs --json list >"$W/inv.json" 2>"$W/inv.err" || fail "list --json: $(cat "$W/inv.err")"
user_of() { jq -r --arg a "$1" '.pfs[].vfs[] | select(.address == $a) | .in_use_by' "$W/inv.json"; }
[ "$(user_of 0000:01:10.0)" = g-hostdev ] || fail "in_use_by of 0000:01:10.0 is '$(user_of 0000:01:10.0)'"
[ "$(user_of 0000:01:10.5)" = g-iface ] || fail "in_use_by of 0000:01:10.5 is '$(user_of 0000:01:10.5)'"
[ "$(user_of 0000:01:10.4)" = null ] || fail "in_use_by of a free VF is '$(user_of 0000:01:10.4)'"

# --- remove
vs network remove sriov-em1 >"$W/out5" 2>&1 || fail "remove: $(cat "$W/out5")"
grep -q "^sriov-em1: undefined$" "$W/out5" || fail "remove output: $(cat "$W/out5")"
virsh_ net-info sriov-em1 >/dev/null 2>&1 && fail "pool still defined after remove"
vs network remove sriov-em1 >/dev/null 2>"$W/err6" && fail "second remove succeeded"
grep -q "sriov-em1" "$W/err6" || fail "remove of a missing pool does not name it"

finish "network pools and guests in a private libvirtd"
