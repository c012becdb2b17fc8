# shellcheck shell=sh
# A private, real libvirtd for tests, loaded by lib.sh (source that):
#
#   libvirtd_up "$dir" [HOOKS_DIR]          # lib.sh: exit 77 where none can be had
#   virsh_ ...                              # lib.sh: virsh -c "$VS_LIBVIRT_URI"
#   vs_libvirtd_stop                        # also runs at exit (lib.sh at_exit)
#
# The daemon runs in its own mount namespace (unshare -m, private
# propagation) with a temp dir bound over /etc/libvirt (hooks in
# DIR/etc/hooks: libvirtd finds hooks only when it starts), /run and the
# passwd/group files (Debian's qemu driver looks up the user libvirt-qemu
# before it reads qemu.conf), and an overlay on /var, so the host's libvirt
# is neither seen nor touched.  unshare without --fork execs, so the PID is
# libvirtd's.  libvirtd.conf: no auth on the socket, a log file; qemu.conf:
# root, no security driver, no cgroups, no namespaces, no virtlogd
# (stdio_handler = "file").  Exports:
#   VS_LIBVIRT_URI      qemu:///system?socket=DIR/run/libvirt/libvirt-sock
#   VS_LIBVIRTD_PID     the daemon (unshare execs, so this is libvirtd)
#   VS_LIBVIRTD_DIR     DIR; the daemon's log is DIR/log/libvirtd.log
#   VS_LIBVIRTD_START_MS how long the start took, until the socket answers
# libvirtd probes QEMU's capabilities (about 8 s) at the first domain call;
# the result is kept in $top_builddir/tests/.libvirtd-cache when the daemon
# stops and copied into the next daemon's /var, which then skips the probe.
# VS_LIBVIRTD_LOG_FILTERS (libvirtd.conf log_filters) adds debug logging.
# vs_libvirtd_domain_xml NAME [DEVICES_XML] prints a minimal inactive TCG
# guest (type='qemu') for tests to define.
# What such a daemon can do on a machine without SR-IOV: a <pf dev> pool is
# defined and autostarted but does not start ("No usable Vf's present on
# SRIOV PF"); a pool with an explicit VF address list is refused at define;
# attach and detach with VIR_DOMAIN_AFFECT_CONFIG on an inactive guest work
# for <hostdev>, <interface type='hostdev'> and <interface type='network'>
# without the VF existing; a guest with a VF does not start, but its hooks
# run (prepare, then release).

VS_LIBVIRTD_PID=
VS_LIBVIRTD_DIR=
VS_LIBVIRT_URI=

vs_libvirtd_skip() {
	echo "SKIP: $*" >&2
	return 77
}

vs_now_ms() {
	date +%s%3N
}

# Can a private daemon be had on this machine at all?
vs_libvirtd_can_run() {
	[ "$(id -u)" = 0 ] || { vs_libvirtd_skip "a private libvirtd needs root (mount namespace)"; return 77; }
	command -v libvirtd >/dev/null 2>&1 || [ -x /usr/sbin/libvirtd ] ||
		{ vs_libvirtd_skip "libvirtd is not installed (apt-get install libvirt-daemon libvirt-daemon-driver-qemu)"; return 77; }
	command -v unshare >/dev/null 2>&1 || { vs_libvirtd_skip "unshare (util-linux) is missing"; return 77; }
	command -v virsh >/dev/null 2>&1 || { vs_libvirtd_skip "virsh is missing (libvirt-clients)"; return 77; }
	unshare -m --propagation private true 2>/dev/null ||
		{ vs_libvirtd_skip "cannot create a mount namespace here"; return 77; }
	return 0
}

vs_libvirtd_write_config() {
	d=$1
	mkdir -p "$d/etc/hooks" "$d/etc/qemu/networks" "$d/run" "$d/log" "$d/var/upper" "$d/var/work"
	level=3
	[ -z "${VS_LIBVIRTD_LOG_FILTERS:-}" ] || level=1
	cat >"$d/etc/libvirtd.conf" <<EOF
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_group = "root"
unix_sock_rw_perms = "0770"
log_outputs = "$level:file:$d/log/libvirtd.log"
log_filters = "${VS_LIBVIRTD_LOG_FILTERS:-}"
EOF
	cat >"$d/etc/qemu.conf" <<EOF
user = "root"
group = "root"
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
remember_owner = 0
EOF
	# Debian's qemu driver looks this user up before reading qemu.conf
	cp /etc/passwd "$d/passwd"
	cp /etc/group "$d/group"
	grep -q '^libvirt-qemu:' "$d/passwd" ||
		echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin' >>"$d/passwd"
	grep -q '^libvirt-qemu:' "$d/group" || echo 'libvirt-qemu:x:64055:' >>"$d/group"
	grep -q '^kvm:' "$d/group" || echo 'kvm:x:64056:' >>"$d/group"
}

vs_libvirtd_cache_dir() {
	echo "${top_builddir:-.}/tests/.libvirtd-cache"
}

# Runs inside the new mount namespace, then becomes libvirtd.
vs_libvirtd_ns_script() {
	cat <<'EOF'
set -e
d=$1
mount --bind "$d/etc" /etc/libvirt
mount --bind "$d/passwd" /etc/passwd
mount --bind "$d/group" /etc/group
if ! mount -t overlay overlay -o "lowerdir=/var,upperdir=$d/var/upper,workdir=$d/var/work" /var 2>/dev/null; then
	# no overlayfs here: private copies of libvirt's own /var dirs instead
	for v in lib/libvirt cache/libvirt log/libvirt; do
		mkdir -p "$d/var/upper/$v" "/var/$v"
		mount --bind "$d/var/upper/$v" "/var/$v"
	done
fi
mount --bind "$d/run" /run
mkdir -p /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt/qemu
exec libvirtd
EOF
}

vs_libvirtd_wait() {
	sock=$VS_LIBVIRTD_DIR/run/libvirt/libvirt-sock
	i=0
	# a bound on a hang, not a measurement: cold start is about 8 s
	while [ $i -lt 600 ]; do
		kill -0 "$VS_LIBVIRTD_PID" 2>/dev/null || return 1
		if [ -S "$sock" ] && virsh -q -c "$VS_LIBVIRT_URI" uri >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# The capability cache records the host's CPUID, x2APIC ID of the probing
# CPU included: a daemon probing on another core throws the cache away
# ("host cpuid changed").  Always the same core keeps it valid.
vs_libvirtd_pin() {
	command -v taskset >/dev/null 2>&1 || return 0
	cpu=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*\([0-9]*\).*/\1/p' /proc/self/status)
	[ -n "$cpu" ] && echo "taskset -c $cpu"
}

# vs_libvirtd_start DIR [HOOKS_DIR]
vs_libvirtd_start() {
	vs_libvirtd_can_run || return 77
	[ -z "$VS_LIBVIRTD_PID" ] || vs_libvirtd_stop
	VS_LIBVIRTD_DIR=$(cd "$1" && pwd) || return 1
	case $VS_LIBVIRTD_DIR in
	/etc*|/run*|/var*) echo "vs_libvirtd_start: $1 is hidden by the daemon's own mounts" >&2; return 1 ;;
	esac
	vs_libvirtd_write_config "$VS_LIBVIRTD_DIR"
	if [ -n "${2:-}" ]; then
		cp -R "$2/." "$VS_LIBVIRTD_DIR/etc/hooks/"
	fi
	cache=$(vs_libvirtd_cache_dir)
	if [ -d "$cache/qemu" ]; then
		mkdir -p "$VS_LIBVIRTD_DIR/var/upper/cache/libvirt"
		cp -R "$cache/qemu" "$VS_LIBVIRTD_DIR/var/upper/cache/libvirt/"
	fi
	export VS_LIBVIRT_URI="qemu:///system?socket=$VS_LIBVIRTD_DIR/run/libvirt/libvirt-sock"
	t0=$(vs_now_ms)
	vs_libvirtd_ns_script >"$VS_LIBVIRTD_DIR/ns.sh"
	$(vs_libvirtd_pin) unshare -m --propagation private sh "$VS_LIBVIRTD_DIR/ns.sh" "$VS_LIBVIRTD_DIR" \
		>"$VS_LIBVIRTD_DIR/log/stdout.log" 2>&1 &
	VS_LIBVIRTD_PID=$!
	export VS_LIBVIRTD_PID VS_LIBVIRTD_DIR
	# the daemon stops before the temp dirs that hold its files go
	[ -n "${vs_libvirtd_at_exit:-}" ] || { vs_libvirtd_at_exit=1; at_exit vs_libvirtd_stop; }
	if ! vs_libvirtd_wait; then
		echo "--- libvirtd did not come up; its logs:" >&2
		tail -n 30 "$VS_LIBVIRTD_DIR/log/stdout.log" "$VS_LIBVIRTD_DIR/log/libvirtd.log" >&2 2>/dev/null
		vs_libvirtd_stop
		vs_libvirtd_skip "the private libvirtd could not be started here"
		return 77
	fi
	VS_LIBVIRTD_START_MS=$(( $(vs_now_ms) - t0 ))
	export VS_LIBVIRTD_START_MS
	return 0
}

# Keep the QEMU capability probe for the next start (0.3 s instead of 8 s).
vs_libvirtd_save_cache() {
	cache=$(vs_libvirtd_cache_dir)
	src=$VS_LIBVIRTD_DIR/var/upper/cache/libvirt/qemu
	ls "$src/capabilities/"*.xml >/dev/null 2>&1 || return 0
	# unchanged: the daemon used the cache as it was
	diff -r "$src" "$cache/qemu" >/dev/null 2>&1 && return 0
	mkdir -p "$cache.tmp.$$" && cp -R "$src" "$cache.tmp.$$/" && mkdir -p "$cache" &&
		rm -rf "$cache/qemu.old" && { [ ! -d "$cache/qemu" ] || mv "$cache/qemu" "$cache/qemu.old"; } &&
		mv "$cache.tmp.$$/qemu" "$cache/"
	rm -rf "$cache.tmp.$$" "$cache/qemu.old"
	return 0
}

vs_libvirtd_stop() {
	[ -n "$VS_LIBVIRTD_PID" ] || return 0
	kill -TERM "$VS_LIBVIRTD_PID" 2>/dev/null
	i=0
	while kill -0 "$VS_LIBVIRTD_PID" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$VS_LIBVIRTD_PID" 2>/dev/null
	wait "$VS_LIBVIRTD_PID" 2>/dev/null
	VS_LIBVIRTD_PID=
	# libvirtd probes QEMU lazily (first domain): keep what it learnt
	vs_libvirtd_save_cache
	return 0
}

vs_libvirtd_domain_xml() {
	cat <<EOF
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <features><acpi/></features>
  <devices>
$2
  </devices>
</domain>
EOF
}
