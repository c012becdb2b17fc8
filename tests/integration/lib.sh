# shellcheck shell=sh
# The integration tests' library.  Every script in tests/integration starts
#
#   . "${top_srcdir:?}/tests/integration/lib.sh"
#
# with top_srcdir, top_builddir and VIRT_SRIOV from `make check`, and
# defines none of the helpers below itself.  It also loads the private
# libvirtd (libvirtd-harness.sh).
#
# Results (automake: exit 0 pass, 1 fail, 77 skip)
#   fail MESSAGE...      "FAIL: MESSAGE" on stderr, counted in $fails; the
#                        test goes on, or with fail_fast=1 exits 1 at once.
#                        With fail_log=FILE the end of FILE follows.
#   pass MESSAGE...      "PASS: MESSAGE"
#   finish MESSAGE...    exit 1 when anything failed, else pass and exit 0
#   skip REASON...       "SKIP: REASON" and exit 77
#   need COMMAND [HINT]  skip unless COMMAND is installed
#   need_built FILE...   FAIL and exit 1 unless each FILE is built
# Temp dirs, cleanup
#   tmpdir NAME [tmpfs]  W = a new temp dir, removed when the script exits
#                        ("tmpfs": on /dev/shm when there is one)
#   at_exit COMMAND      run COMMAND when the script exits, the last one
#                        registered first; the exit status is kept
# virt-sriov
#   vs ARGS...           $VIRT_SRIOV with --sysfs-root $VS_TREE and
#                        -c $VS_URI in front when those are set
#   run ARGS...          vs ARGS: stdout in $W/out, stderr in $W/err, exit
#                        status in $rc
#   run_on TREE ARGS...  run with --sysfs-root $W/TREE
#   expect RC TEXT ARGS...      run ARGS; FAIL unless it exits RC and
#                        stderr has TEXT (fixed string; "": not empty)
#   expect_cmd RC TEXT CMD...   the same for any command
#   expect_out WHAT LINE...     FAIL "WHAT: output" (and the diff) unless
#                        $W/out is exactly these lines
# Host trees
#   GEN                  tests/tools/gen-host-tree
#   host_tree DIR ARGS...       a generated host tree in DIR (FAIL and exit
#                        1 if gen-host-tree refuses ARGS)
#   snap DIR             DIR as text: every path, type, link, mode and
#                        content (md5), sorted, to compare
#   snap_keep DIR        keep snap DIR to compare with
#   unchanged DIR MESSAGE       FAIL MESSAGE (and the diff) unless DIR is
#                        as snap_keep saw it
# libvirt
#   libvirtd_up DIR [HOOKS_DIR] a private libvirtd with its files in DIR
#                        (exit 77 where none can be had); prints its start
#   virsh_ ARGS...       virsh -q on that daemon
#   define_guest NAME [DEVICES_XML]  an inactive TCG guest on it, its XML in
#                        $W/NAME.xml (FAIL "define NAME")
#   hostdev_xml ADDR     a managed <hostdev> of PCI address DDDD:BB:SS.F
#   guest_vfs NAME       the VF addresses a guest's persistent XML names
#                        (<hostdev> and <interface> sources), sorted
#   write_guest_holding_vf VF FILE, start_attach_fixture DIR: below
# The hook's fake VF tables (VIRT_SRIOV_FAKE_VFS)
#   fake_vf INDEX [MAC]  one VF entry with the kernel's defaults
#   same_json A B        A and B hold the same JSON value

: "${top_srcdir:?}" "${top_builddir:?}"
: "${VIRT_SRIOV:=$top_builddir/virt-sriov}"
GEN=$top_builddir/tests/tools/gen-host-tree

# --- results ------------------------------------------------------------
fails=0
fail_fast=
fail_log=

fail() {
	echo "FAIL: $*" >&2
	if [ -n "$fail_log" ] && [ -f "$fail_log" ]; then
		tail -n 20 "$fail_log" >&2
	fi
	fails=$((fails + 1))
	[ -z "$fail_fast" ] || exit 1
}

pass() { echo "PASS: $*"; }

finish() {
	if [ "$fails" -ne 0 ]; then
		echo "$fails failure(s)" >&2
		exit 1
	fi
	pass "$@"
	exit 0
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

need() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed${2:+ ($2)}"
}

need_built() {
	for vs_f in "$@"; do
		[ -x "$vs_f" ] || { echo "FAIL: $vs_f not built" >&2; exit 1; }
	done
}

# --- temp dirs, cleanup ---------------------------------------------------
vs_exit_cmds=

at_exit() {
	vs_exit_cmds="$1${vs_exit_cmds:+; $vs_exit_cmds}"
	trap vs_on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

vs_on_exit() {
	vs_exit_rc=$?
	trap - EXIT
	set +e
	eval "$vs_exit_cmds"
	exit "$vs_exit_rc"
}

tmpdir() {
	W=
	if [ "${2:-}" = tmpfs ] && [ -d /dev/shm ]; then
		W=$(mktemp -d -p /dev/shm "vs-$1.XXXXXX" 2>/dev/null) || W=
	fi
	[ -n "$W" ] || W=$(mktemp -d "${TMPDIR:-/tmp}/vs-$1.XXXXXX") ||
		{ echo "FAIL: mktemp" >&2; exit 1; }
	at_exit "rm -rf '$W'"
}

# --- virt-sriov -------------------------------------------------------------
VS_TREE=
VS_URI=

vs() {
	"$VIRT_SRIOV" ${VS_TREE:+--sysfs-root "$VS_TREE"} ${VS_URI:+-c "$VS_URI"} "$@"
}

run() {
	rc=0
	vs "$@" >"$W/out" 2>"$W/err" || rc=$?
}

run_on() {
	vs_keep_tree=$VS_TREE
	VS_TREE=$W/$1
	shift
	run "$@"
	VS_TREE=$vs_keep_tree
}

# vs_expect_result RC TEXT WHAT: the checks of expect and expect_cmd
vs_expect_result() {
	if [ "$rc" -ne "$1" ]; then
		fail "$3: exit $rc, want $1: $(cat "$W/err")"
	elif [ -z "$2" ]; then
		[ -s "$W/err" ] || fail "$3: nothing on stderr"
	elif ! grep -qF -- "$2" "$W/err"; then
		fail "$3: stderr lacks '$2': $(cat "$W/err")"
	fi
	return 0
}

expect() {
	vs_want=$1 vs_text=$2
	shift 2
	run "$@"
	vs_expect_result "$vs_want" "$vs_text" "virt-sriov $*"
}

expect_cmd() {
	vs_want=$1 vs_text=$2
	shift 2
	rc=0
	"$@" >"$W/out" 2>"$W/err" || rc=$?
	vs_expect_result "$vs_want" "$vs_text" "$*"
}

expect_out() {
	vs_what=$1
	shift
	printf '%s\n' "$@" >"$W/want"
	cmp -s "$W/want" "$W/out" || { diff "$W/want" "$W/out" >&2 || true; fail "$vs_what: output"; }
	return 0
}

# --- host trees ---------------------------------------------------------------
host_tree() {
	vs_dir=$1
	shift
	"$GEN" "$@" "$vs_dir" >/dev/null || { echo "FAIL: gen-host-tree $* $vs_dir" >&2; exit 1; }
}

snap() {
	(cd "$1" && find . -printf '%p %y %l %m\n' | sort && find . -type f -exec md5sum {} + | sort)
}

snap_keep() { snap "$1" >"$W/snap.kept"; }

unchanged() {
	snap "$1" >"$W/snap.now"
	cmp -s "$W/snap.kept" "$W/snap.now" || { diff "$W/snap.kept" "$W/snap.now" | head >&2; fail "$2"; }
	return 0
}

# --- libvirt --------------------------------------------------------------------
. "$top_srcdir/tests/integration/libvirtd-harness.sh"

libvirtd_up() {
	mkdir -p "$1"
	vs_libvirtd_start "$@" || exit $?
	echo "libvirtd up in ${VS_LIBVIRTD_START_MS} ms"
}

virsh_() { virsh -q -c "$VS_LIBVIRT_URI" "$@"; }

define_guest() {
	vs_libvirtd_domain_xml "$1" "${2:-}" >"$W/$1.xml"
	virsh_ define "$W/$1.xml" >/dev/null || fail "define $1"
}

hostdev_xml() {
	vs_dom=${1%%:*} vs_rest=${1#*:}
	vs_bus=${vs_rest%%:*} vs_rest=${vs_rest#*:}
	vs_slot=${vs_rest%%.*} vs_fn=${vs_rest##*.}
	echo "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x$vs_dom' bus='0x$vs_bus' slot='0x$vs_slot' function='0x$vs_fn'/></source></hostdev>"
}

guest_vfs() {
	virsh_ dumpxml --inactive "$1" >"$W/dump.xml"
	xmllint --xpath '//devices/hostdev/source/address | //devices/interface/source/address' "$W/dump.xml" 2>/dev/null |
		sed 's/\/>/\/>\n/g' | sed -n 's/.*domain=.0x\([0-9a-f]*\). bus=.0x\([0-9a-f]*\). slot=.0x\([0-9a-f]*\). function=.0x\([0-9a-f]*\).*/\1:\2:\3.\4/p' |
		sort
}

# write_guest_holding_vf VF FILE: a libvirt test-driver node file
# (test://FILE) with one running guest, "guest1", holding VF (a PCI address)
# as a plain <hostdev>.
write_guest_holding_vf() {
	cat >"$2" <<XML
<node>
  <domain type='test'>
    <name>guest1</name>
    <memory>131072</memory>
    <os><type>hvm</type></os>
    <devices>
      $(hostdev_xml "$1")
    </devices>
  </domain>
</node>
XML
}

# start_attach_fixture DIR: a host tree with em1's 20 VFs (0-16 on
# vfio-pci, 17-19 on igbvf with their netdev up) under DIR/tree, virt-sriov's
# environment pointed at DIR (state, empty host.conf, templates), and a
# private libvirtd in DIR/daemon (exit 77 where none can be had).
start_attach_fixture() {
	host_tree "$1/tree" --pf addr=0000:03:00.0,netdev=em1,total=32,num=20,vfio=17,vfnetdev=em1
	VIRT_SRIOV_SYSFS_ROOT="$1/tree" VIRT_SRIOV_STATE_DIR="$1/state" VIRT_SRIOV_CONF="$1/host.conf"
	VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"
	export VIRT_SRIOV_SYSFS_ROOT VIRT_SRIOV_STATE_DIR VIRT_SRIOV_CONF VIRT_SRIOV_TEMPLATE_DIR
	: >"$1/host.conf"
	libvirtd_up "$1/daemon"
}

# --- the hook's fake VF tables ---------------------------------------------------
fake_vf() {
	printf '{"index":%d,"mac":"%s","vlan":0,"qos":0,"spoofchk":true,"trust":false,"link_state":"auto","min_tx_rate":0,"max_tx_rate":0}' \
		"$1" "${2:-00:00:00:00:00:00}"
}

same_json() { [ "$(jq -S . "$1")" = "$(jq -S . "$2")" ]; }
