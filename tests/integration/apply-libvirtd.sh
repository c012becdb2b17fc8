#!/bin/sh
# `virt-sriov apply` against a real, private libvirtd (libvirtd-harness.sh):
# the pools of the configuration are defined and autostarted through the
# libvirt API, a second apply changes nothing (exit 0, no output), a pool
# that cannot start on this hardware-less machine is reported with
# libvirt's words and what was done before, --no-libvirt leaves pools alone,
# and an inactive guest holding a VF keeps its PF's VF count (named).
#
# The daemon reads the real /sys, not the generated tree: a <pf dev> pool
# is defined but cannot start here ("No usable Vf's present"), so the pools
# that must be idempotent say start = no.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${VIRT_SRIOV:?}"
. "$top_srcdir/tests/integration/libvirtd-harness.sh"

gen=$top_builddir/tests/tools/gen-host-tree
[ -x "$gen" ] || { echo "FAIL: $gen not built" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/vs-apply-libvirtd.XXXXXX")
vs_test_cleanup() { rm -rf "$work"; }
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

"$gen" --profile r730 "$work/host" >/dev/null || { echo "FAIL: gen-host-tree" >&2; exit 1; }
mkdir -p "$work/daemon"
vs_libvirtd_start "$work/daemon"
rc=$?
[ $rc -eq 0 ] || exit $rc
echo "libvirtd up in ${VS_LIBVIRTD_START_MS} ms"

export VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"
apply() { # apply CONF ARGS... -> $rc, $work/out, $work/err
	c=$1; shift
	rc=0
	"$VIRT_SRIOV" --sysfs-root "$work/host" -c "$VS_LIBVIRT_URI" apply --config "$c" "$@" \
		>"$work/out" 2>"$work/err" || rc=$?
}
virsh_() { virsh -q -c "$VS_LIBVIRT_URI" "$@"; }
snap() { (cd "$work/host" && find . -printf '%p %y %l %m\n' | sort && find . -type f -exec md5sum {} + | sort); }

cat >"$work/pools.conf" <<'EOF2'
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
apply "$work/pools.conf" -n
[ $rc -eq 0 ] || fail "dry run: exit $rc: $(cat "$work/err")"
printf '%s\n' "pool tenants (em1): define, autostart on" "pool spare (em2): define" | cmp -s - "$work/out" ||
	{ cat "$work/out"; fail "dry run output"; }
virsh_ net-info tenants >/dev/null 2>&1 && fail "dry run defined the pool"

# --- apply: defined, autostart as configured, not started
apply "$work/pools.conf"
[ $rc -eq 0 ] || fail "apply: exit $rc: $(cat "$work/err")"
printf '%s\n' "pool tenants (em1): define, autostart on" "pool spare (em2): define" | cmp -s - "$work/out" ||
	{ cat "$work/out"; fail "apply output"; }
virsh_ net-info tenants >"$work/info" || fail "tenants not defined in libvirtd"
grep -Eq '^Persistent: +yes' "$work/info" || fail "tenants not persistent"
grep -Eq '^Autostart: +yes' "$work/info" || fail "tenants not autostarted"
grep -Eq '^Active: +no' "$work/info" || fail "tenants started although start = no"
virsh_ net-info spare | grep -Eq '^Autostart: +no' || fail "spare autostarted although autostart = no"
virsh_ net-dumpxml --inactive tenants >"$work/net.xml"
[ "$(xmllint --xpath "string(/network/forward[@mode='hostdev']/pf/@dev)" "$work/net.xml")" = em1 ] ||
	fail "tenants XML has no <pf dev='em1'>: $(cat "$work/net.xml")"
[ "$(xmllint --xpath "string(/network/name)" "$work/net.xml")" = tenants ] || fail "pool name"
uuid=$(virsh_ net-uuid tenants)

# --- again: nothing to do, nothing said
apply "$work/pools.conf"
[ $rc -eq 0 ] || fail "second apply: exit $rc: $(cat "$work/err")"
[ ! -s "$work/out" ] || { cat "$work/out"; fail "second apply printed changes"; }
[ "$(virsh_ net-uuid tenants)" = "$uuid" ] || fail "second apply redefined tenants"

# --- --no-libvirt (the boot step): pools are not looked at
printf '[pool other]\npf = em3\n' >"$work/other.conf"
apply "$work/other.conf" --no-libvirt
[ $rc -eq 0 ] && [ ! -s "$work/out" ] || fail "--no-libvirt touched pools: exit $rc: $(cat "$work/out" "$work/err")"
virsh_ net-info other >/dev/null 2>&1 && fail "--no-libvirt defined a pool"

# --- start = yes (the default) on this machine: libvirt's refusal, and what was done first
apply "$work/other.conf"
[ $rc -eq 1 ] || fail "pool start without VFs: exit $rc, want 1"
grep -qx "pool other (em3): define, autostart on" "$work/out" || fail "partial pool change not said: $(cat "$work/out")"
grep -q "starting pool other: .*No usable Vf's present on SRIOV PF em3" "$work/err" ||
	fail "start error lacks libvirt's message: $(cat "$work/err")"
grep -q "numvfs in \[pf em3\]" "$work/err" || fail "start error lacks the hint: $(cat "$work/err")"

# --- an inactive guest holds em1's VF 2: em1 keeps its VF count
vf2=$(basename "$(readlink "$work/host/sys/bus/pci/devices/0000:01:00.0/virtfn2")")
slot=$(echo "$vf2" | cut -d: -f3 | cut -d. -f1)
vs_libvirtd_domain_xml held "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x01' slot='0x$slot' function='0x${vf2##*.}'/></source></hostdev>" >"$work/held.xml"
virsh_ define "$work/held.xml" >/dev/null || fail "define held"
printf '[pf em1]\nnumvfs = 3\n' >"$work/count.conf"
snap >"$work/before"
apply "$work/count.conf"
[ $rc -eq 1 ] || fail "count change under a guest: exit $rc, want 1"
grep -q "count.conf:2: numvfs = 3 for em1 (0000:01:00.0) refused: VF 2 ($vf2) is used by guest 'held'" "$work/err" ||
	fail "guest not named: $(cat "$work/err")"
snap >"$work/after"
cmp -s "$work/before" "$work/after" || fail "refused count change wrote to the tree"

[ $fails -eq 0 ] || exit 1
echo "PASS: apply against a private libvirtd"
