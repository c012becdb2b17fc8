#!/bin/sh
# The host's side of the end-to-end scenario `remote` (scenarios/remote.sh):
# while the VM waits, virt-sriov from the build tree talks to the VM's
# libvirtd over qemu+tcp://127.0.0.1:PORT/system (QEMU's hostfwd).  Waits
# for the VM's VS-REMOTE-READY line on the console log, compares
# `list --json` from here with the VM's own (its VS-REMOTE-LIST line)
# field by field, VF settings aside, applies the pool and attaches a guest
# on it with a policy, checks that what needs the host is refused; then
# defines the network vs-remote-done, which lets the VM go on.
# Prints PASS/FAIL lines.
# The node devices of the PF, its first VF and its netdev, as libvirt
# gives them, are kept in DUMP_DIR (the source of tests/data/nodedev).
# Usage: remote-host.sh CONSOLE_LOG PORT QEMU_PID DUMP_DIR
set -u
log=$1 port=$2 qemu=$3 dumps=$4
: "${top_builddir:?}" "${top_srcdir:?}"
uri=qemu+tcp://127.0.0.1:$port/system
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass() { echo "PASS: remote (host): $1"; }
fail() { echo "FAIL: remote (host): $1${2:+: $2}"; }
vs() { "$top_builddir/virt-sriov" -c "$uri" "$@" 2>"$work/err"; }
# the VM's conf stands in for the host's (docs/attach.md: remote hosts)
VIRT_SRIOV_CONF=$top_srcdir/tests/e2e/guest/virt-sriov.conf
LSAN_OPTIONS=suppressions=$top_srcdir/tests/lsan.supp:print_suppressions=0
export VIRT_SRIOV_CONF LSAN_OPTIONS

while ! tr -d '\r' <"$log" 2>/dev/null | grep -q '^VS-REMOTE-READY'; do
	kill -0 "$qemu" 2>/dev/null || { fail "the VM ended before the remote scenario was ready"; exit 0; }
	sleep 2
done
tr -d '\r' <"$log" | sed -n 's/^VS-REMOTE-LIST //p' | tail -n 1 >"$work/vm.json"

# 1. list --json from here equals the VM's, settings aside: the values
# only the host's rtnetlink and sysfs know (VF settings, complete,
# drivers_autoprobe) and the warnings saying so.
if vs list --json >"$work/remote.json"; then
	pass "virt-sriov -c $uri list --json"
else
	fail "virt-sriov -c $uri list --json" "$(cat "$work/err")"
fi
settings=$(jq -r '[.pfs[].vfs[] | keys[]] | unique | map(select(. as $k |
	["index","address","driver","netdev","iommu_group","vendor_id","device_id","in_use_by"] | index($k) | not)) | join(" ")' "$work/vm.json")
strip='del(.warnings, .version) | .pfs[] |= (del(.complete, .drivers_autoprobe) | .vfs[] |=
	{index, address, driver, netdev, iommu_group, vendor_id, device_id, in_use_by})'
names='.pfs[] |= del(.vendor, .device)'
jq -S "$strip" "$work/vm.json" >"$work/a" 2>&1
jq -S "$strip" "$work/remote.json" >"$work/b" 2>&1
n=$(jq '[.pfs[].vfs[]] | length' "$work/a" 2>/dev/null)
if [ "${n:-0}" -gt 0 ] && jq -S "$names" "$work/a" >"$work/a2" && jq -S "$names" "$work/b" >"$work/b2" &&
	cmp -s "$work/a2" "$work/b2"; then
	pass "list --json from here equals the VM's field by field ($n VFs; settings aside: $settings)"
else
	fail "list --json from here differs from the VM's" "$(diff "$work/a2" "$work/b2" 2>&1 | head -n 12 | tr '\n' ' ')"
fi
if cmp -s "$work/a" "$work/b"; then
	pass "list --json: vendor and device names the same too"
else
	echo "INFO: remote (host): names differ (libvirt takes them from udev's hwdb): $(diff "$work/a" "$work/b" | grep name | head -n 4 | tr '\n' ' ')"
fi
[ "$(jq -c '[.pfs[].vfs[] | .config_known, .spoofchk] | unique' "$work/remote.json")" = '[null,false]' ] &&
	pass "list --json from here: VF settings null" || fail "VF settings from here" "$(jq -c '.pfs[0].vfs[0]' "$work/remote.json")"
jq -r '.warnings[]' "$work/remote.json" | grep -q 'VF settings need the host: run `virt-sriov list` on 127.0.0.1' &&
	pass "list from here: a warning says the VF settings need the host" || fail "no warning on VF settings" "$(jq -c .warnings "$work/remote.json")"

# 2. The pool and a guest on it, from here.
pf=$(jq -r '.pfs[0].netdev' "$work/vm.json")
if vs network apply "$pf" >"$work/apply.out"; then
	pass "network apply $pf from here: $(tr '\n' ' ' <"$work/apply.out")"
else
	fail "network apply $pf from here" "$(cat "$work/err")"
fi
vs network list --json >"$work/pools.json" && [ "$(jq -r '.pools[0].name' "$work/pools.json" 2>/dev/null)" = "sriov-$pf" ] &&
	pass "network list from here: sriov-$pf" || fail "network list from here" "$(cat "$work/err" "$work/pools.json")"
if vs attach e2e-rem --network "sriov-$pf" --mac 52:54:00:e2:e0:31 --spoofchk off --trust on --config --json >"$work/attach.json"; then
	pass "attach e2e-rem --network sriov-$pf --spoofchk off --trust on --config from here"
else
	fail "attach --network from here" "$(cat "$work/err")"
fi
vs policy show e2e-rem --config >"$work/policy.out" && grep -q 'spoofchk' "$work/policy.out" &&
	pass "policy show e2e-rem from here: $(tr '\n' ' ' <"$work/policy.out" | cut -c1-120)" ||
	fail "policy show from here" "$(cat "$work/err" "$work/policy.out")"
vs show "$pf#0" >"$work/show.out" && pass "show $pf#0 from here" || fail "show $pf#0 from here" "$(cat "$work/err")"

vs check --json >"$work/check.json"
[ "$(jq -c '[.checks[].check] | unique' "$work/check.json" 2>/dev/null)" = '["sriov-pfs"]' ] &&
	jq -r '.warnings[]' "$work/check.json" | grep -q 'skipped, they need the host.*iommu-groups' &&
	pass "check from here: $(jq -r '.checks[0].message' "$work/check.json"); the rest named as skipped" ||
	fail "check from here" "$(cat "$work/err" "$work/check.json" | tr '\n' ' ' | cut -c1-300)"

# 3. What needs the host says so.
for cmd in "vf set $pf#0 --vlan 3" "numvfs $pf 2" "apply"; do
	# shellcheck disable=SC2086
	vs $cmd >/dev/null
	rc=$?
	[ $rc = 2 ] && grep -q "needs the host: run it on 127.0.0.1" "$work/err" &&
		pass "$cmd from here: exit 2, needs the host" || fail "$cmd from here" "exit $rc: $(cat "$work/err")"
done
vs attach e2e-rem --pf "$pf" --config >/dev/null
rc=$?
[ $rc = 2 ] && grep -q 'not race-free' "$work/err" && pass "attach --pf from here: refused (exit 2) without --force" ||
	fail "attach --pf from here" "exit $rc: $(cat "$work/err")"

# Real nodedev-dumpxml output, for the unit tests' data.
mkdir -p "$dumps"
for dev in $(virsh -c "$uri" nodedev-list --cap pci 2>/dev/null | grep -E '^pci_0000_01_(00_0|10_0)$') \
	$(virsh -c "$uri" nodedev-list --cap net 2>/dev/null | grep "^net_${pf}_"); do
	virsh -c "$uri" nodedev-dumpxml "$dev" >"$dumps/$dev.xml" 2>/dev/null
done

# 4. Let the VM go on.
printf '<network><name>vs-remote-done</name></network>\n' >"$work/done.xml"
virsh -c "$uri" net-define "$work/done.xml" >/dev/null 2>"$work/err" || fail "virsh net-define vs-remote-done" "$(cat "$work/err")"
