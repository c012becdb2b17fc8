#!/bin/sh
# The private-libvirtd harness itself: the daemon answers on its own
# socket, runs the hooks it was given, leaves the host's /etc/libvirt and
# /run alone, and is gone when the script that started it exits, even
# without calling vs_libvirtd_stop.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"
vs_libvirtd_can_run || exit 77

tmpdir libvirt-harness
fail_fast=1
pid1=
at_exit '[ -z "$pid1" ] || { kill -TERM "$pid1" 2>/dev/null; wait "$pid1" 2>/dev/null; }'

# libvirtd runs hooks/daemon with "- start - start" when it comes up
mkdir -p "$W/hooks" "$W/d1" "$W/d2"
cat >"$W/hooks/daemon" <<EOF
#!/bin/sh
echo "\$*" >>"$W/daemon-hook.log"
EOF
chmod +x "$W/hooks/daemon"

# A child shell starts a daemon and exits without stopping it: the exit
# trap (lib.sh at_exit) must stop it.
cat >"$W/child.sh" <<EOF
. "$top_srcdir/tests/integration/lib.sh"
vs_libvirtd_start "$W/d1" "$W/hooks" || exit \$?
echo "\$VS_LIBVIRTD_PID" >"$W/pid"
echo "\$VS_LIBVIRT_URI" >"$W/uri"
echo "start: \$VS_LIBVIRTD_START_MS ms"
virsh -q -c "\$VS_LIBVIRT_URI" net-list --all >"$W/netlist" || exit 1
exit 0
EOF
top_srcdir=$top_srcdir top_builddir=$top_builddir sh "$W/child.sh"
rc=$?
[ $rc -eq 77 ] && exit 77
[ $rc -eq 0 ] || fail "child failed ($rc)"
pid=$(cat "$W/pid")
kill -0 "$pid" 2>/dev/null && { kill -TERM "$pid"; fail "libvirtd $pid still running after its script exited"; }
grep -q "start - start" "$W/daemon-hook.log" 2>/dev/null || fail "hooks dir not used: $(cat "$W/daemon-hook.log" 2>&1)"
grep -q "socket=$W/d1/run/libvirt/libvirt-sock" "$W/uri" || fail "URI: $(cat "$W/uri")"
[ ! -s "$W/netlist" ] || fail "the private daemon sees networks: $(cat "$W/netlist")"
[ -e "$W/d1/run/libvirt/libvirt-sock" ] || [ -d "$W/d1/run/libvirt" ] || fail "socket not under DIR/run"
[ -S /run/libvirt/libvirt-sock ] && [ /run/libvirt/libvirt-sock -ef "$W/d1/run/libvirt/libvirt-sock" ] &&
	fail "the daemon's /run leaked into the host"

# Two daemons side by side, each on its own socket.
vs_libvirtd_start "$W/d1" || exit $?
uri1=$VS_LIBVIRT_URI
pid1=$VS_LIBVIRTD_PID
VS_LIBVIRTD_PID=   # so that the second start leaves the first alone
vs_libvirtd_start "$W/d2" || exit 1
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
finish "the private libvirtd harness"
