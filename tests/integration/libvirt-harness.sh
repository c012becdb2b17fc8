#!/bin/sh
# The private-libvirtd harness itself: the daemon answers on its own
# socket, runs the hooks it was given, leaves the host's /etc/libvirt and
# /run alone, and is gone when the script that started it exits, even
# without calling vs_libvirtd_stop.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/integration/libvirtd-harness.sh"
vs_libvirtd_can_run || exit 77

work=$(mktemp -d "${TMPDIR:-/tmp}/vs-libvirt-harness.XXXXXX")
pid1=
vs_test_cleanup() {
	[ -z "$pid1" ] || { kill -TERM "$pid1" 2>/dev/null; wait "$pid1" 2>/dev/null; }
	rm -rf "$work"
}
trap vs_test_cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# libvirtd runs hooks/daemon with "- start - start" when it comes up
mkdir -p "$work/hooks" "$work/d1" "$work/d2"
cat >"$work/hooks/daemon" <<EOF
#!/bin/sh
echo "\$*" >>"$work/daemon-hook.log"
EOF
chmod +x "$work/hooks/daemon"

# A child shell starts a daemon and exits without stopping it: the harness's
# EXIT trap must stop it.
cat >"$work/child.sh" <<EOF
. "$top_srcdir/tests/integration/libvirtd-harness.sh"
vs_libvirtd_start "$work/d1" "$work/hooks" || exit \$?
echo "\$VS_LIBVIRTD_PID" >"$work/pid"
echo "\$VS_LIBVIRT_URI" >"$work/uri"
echo "start: \$VS_LIBVIRTD_START_MS ms"
virsh -q -c "\$VS_LIBVIRT_URI" net-list --all >"$work/netlist" || exit 1
exit 0
EOF
top_builddir=$top_builddir sh "$work/child.sh"
rc=$?
[ $rc -eq 77 ] && exit 77
[ $rc -eq 0 ] || fail "child failed ($rc)"
pid=$(cat "$work/pid")
kill -0 "$pid" 2>/dev/null && { kill -TERM "$pid"; fail "libvirtd $pid still running after its script exited"; }
grep -q "start - start" "$work/daemon-hook.log" 2>/dev/null || fail "hooks dir not used: $(cat "$work/daemon-hook.log" 2>&1)"
grep -q "socket=$work/d1/run/libvirt/libvirt-sock" "$work/uri" || fail "URI: $(cat "$work/uri")"
[ ! -s "$work/netlist" ] || fail "the private daemon sees networks: $(cat "$work/netlist")"
[ -e "$work/d1/run/libvirt/libvirt-sock" ] || [ -d "$work/d1/run/libvirt" ] || fail "socket not under DIR/run"
[ -S /run/libvirt/libvirt-sock ] && [ /run/libvirt/libvirt-sock -ef "$work/d1/run/libvirt/libvirt-sock" ] &&
	fail "the daemon's /run leaked into the host"

# Two daemons side by side, each on its own socket.
vs_libvirtd_start "$work/d1" || exit $?
uri1=$VS_LIBVIRT_URI
pid1=$VS_LIBVIRTD_PID
VS_LIBVIRTD_PID=   # so that the second start leaves the first alone
vs_libvirtd_start "$work/d2" || exit 1
pid2=$VS_LIBVIRTD_PID
virsh -q -c "$uri1" net-define /dev/stdin >/dev/null <<EOF || fail "define on daemon 1"
<network><name>only-on-1</name><forward mode='hostdev' managed='yes'><pf dev='em1'/></forward></network>
EOF
virsh -q -c "$VS_LIBVIRT_URI" net-info only-on-1 >/dev/null 2>&1 && fail "daemon 2 sees daemon 1's network"
vs_libvirtd_stop
kill -0 "$pid2" 2>/dev/null && fail "vs_libvirtd_stop left $pid2 running"
[ -z "$VS_LIBVIRTD_PID" ] || fail "VS_LIBVIRTD_PID still set after stop"
first=$pid1
VS_LIBVIRTD_PID=$pid1
pid1=
vs_libvirtd_stop
kill -0 "$first" 2>/dev/null && fail "daemon $first left running"
echo PASS
exit 0
