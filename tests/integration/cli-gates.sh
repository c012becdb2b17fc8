#!/bin/sh
# The two checks every command passes before it does anything (the needs
# in main.c's command table):
# - a command that needs the host itself (its sysfs, rtnetlink, state
#   directory) refuses a remote connection (a URI with a host), exit 2,
#   without connecting; one that libvirt can serve (its node devices) does
#   not;
# - as a user other than root, a command that writes sysfs, rtnetlink, the
#   state directory or system libvirt says that it needs root, exit 1; not
#   in a dry run, nor on what the user may write.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
tmpdir cli-gates
chmod 755 "$W"
host_tree "$W/tree" --pf addr=0000:01:00.0,total=7,num=4,netdev=em1
chmod -R a+rX "$W/tree"
unset LIBVIRT_DEFAULT_URI VIRT_SRIOV_SYSFS_ROOT
VIRT_SRIOV_STATE_DIR=$W/state VIRT_SRIOV_CONF=$W/host.conf VIRT_SRIOV_TEMPLATE_DIR=$top_srcdir/xml-templates
export VIRT_SRIOV_STATE_DIR VIRT_SRIOV_CONF VIRT_SRIOV_TEMPLATE_DIR
: >"$W/host.conf"
chmod 644 "$W/host.conf"
printf '<domain/>\n' >"$W/dom.xml"

# --- remote URIs ------------------------------------------------------------------
# A host that does not resolve (.invalid): a connection attempt would fail
# with libvirt's words, not with the refusal.
REMOTE=qemu+ssh://root@h.invalid:2222/system
remote() {
	# $1: what the line names ("attach --pf"), then the command line
	vs_what=$1
	shift
	expect_cmd 2 "virt-sriov: $vs_what needs the host: run it on h.invalid (the connection $REMOTE is remote)" \
		"$VIRT_SRIOV" --sysfs-root "$W/tree" -c "$REMOTE" "$@"
	[ "$(wc -l <"$W/err")" -eq 1 ] || fail "$*: more than one line: $(cat "$W/err")"
}
remote numvfs numvfs em1 2
remote numvfs -n numvfs em1 2
remote bind bind em1#0 --driver vfio-pci
remote "vf set" vf set em1#0 --trust on
remote "vf reset" vf reset em1#0
remote reconcile reconcile
remote apply apply --no-libvirt
# $LIBVIRT_DEFAULT_URI counts as -c does
expect_cmd 2 "numvfs needs the host: run it on h2.invalid (the connection qemu+tcp://h2.invalid/system is remote)" \
	env LIBVIRT_DEFAULT_URI=qemu+tcp://h2.invalid/system "$VIRT_SRIOV" --sysfs-root "$W/tree" numvfs em1 2
# attach --pf/--vf: the free-VF choice's lock is this machine's (--force: anyway)
for args in "attach g --pf em1" "attach g --vf em1#0"; do
	# shellcheck disable=SC2086
	expect_cmd 2 "over a remote URI is not race-free" "$VIRT_SRIOV" --sysfs-root "$W/tree" -c "$REMOTE" $args
done
# local URIs are local
for uri in test:///default qemu:///session "qemu+unix:///system?socket=$W/none" "test://$W/none.xml"; do
	rc=0
	"$VIRT_SRIOV" --sysfs-root "$W/tree" -c "$uri" xml network em1 >"$W/out" 2>"$W/err" || rc=$?
	! grep -q 'is remote' "$W/err" || fail "$uri taken for remote: $(cat "$W/err")"
	[ "$rc" -eq 0 ] || fail "xml network em1 with $uri: exit $rc: $(cat "$W/err")"
done
# what works on any libvirt is not refused: it connects (and fails here)
for args in "policy show g" "network list" "network remove pool" "attach g --network pool" list "show em1" \
	"xml network em1" "xml hostdev em1#0" "network apply em1" "detach g --all" "attach g --pf em1 --force" check \
	"plan --domain-xml $W/dom.xml"; do
	# shellcheck disable=SC2086
	expect_cmd 1 "" "$VIRT_SRIOV" --sysfs-root "$W/tree" -c qemu+tcp://127.0.0.1:1/system $args
	! grep -q 'is remote' "$W/err" || fail "$args refused a remote URI: $(cat "$W/err")"
done
# help never refuses
rc=0
"$VIRT_SRIOV" -c "$REMOTE" numvfs --help >"$W/out" 2>"$W/err" || rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$W/err" ] || fail "numvfs --help with a remote URI: exit $rc: $(cat "$W/err")"

# --- root -----------------------------------------------------------------------------
# as nobody: setpriv (util-linux) from root, or as the user we are
if [ "$(id -u)" -eq 0 ]; then
	setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null ||
		skip "cannot run as another user (setpriv --reuid)"
	AS_USER="setpriv --reuid=65534 --regid=65534 --clear-groups"
	USER_UID=65534
else
	AS_USER=
	USER_UID=$(id -u)
fi
"$VIRT_SRIOV" --help >/dev/null 2>&1 || true
# shellcheck disable=SC2086 # AS_USER is a command line
$AS_USER "$VIRT_SRIOV" --version >/dev/null 2>&1 || skip "$VIRT_SRIOV cannot run as uid $USER_UID"

as_user() {
	rc=0
	# shellcheck disable=SC2086
	$AS_USER "$VIRT_SRIOV" "$@" >"$W/out" 2>"$W/err" || rc=$?
}
# the live host, system libvirt, the default state directory: no
# --sysfs-root, and VIRT_SRIOV_STATE_DIR unset for these
needs_root() {
	vs_name=$1
	shift
	rc=0
	# shellcheck disable=SC2086
	env -u VIRT_SRIOV_STATE_DIR $AS_USER "$VIRT_SRIOV" "$@" >"$W/out" 2>"$W/err" || rc=$?
	if [ "$rc" -ne 1 ] || [ "$(cat "$W/err")" != "virt-sriov: $vs_name needs root (run as root or with sudo)" ]; then
		fail "$* as uid $USER_UID: exit $rc, want 1 and one line '$vs_name needs root': $(cat "$W/err")"
	fi
	[ ! -s "$W/out" ] || fail "$* as uid $USER_UID: stdout: $(cat "$W/out")"
}
# PF and VF names that exist nowhere: only the root check comes before them
needs_root numvfs numvfs nope0 2
needs_root bind bind nope0#0 --driver vfio-pci
needs_root "vf set" vf set nope0#0 --trust on
needs_root "vf reset" vf reset nope0#0
needs_root reconcile reconcile
needs_root apply apply --config "$W/host.conf"
needs_root attach attach nope-guest --pf nope0
needs_root detach detach nope-guest --all
needs_root "policy set" policy set nope-guest --trust on
needs_root "policy clear" policy clear nope-guest
needs_root "network apply" network apply nope0
needs_root "network remove" network remove nope-pool

# not in a dry run, nor on the user's own things
not_root() {
	! grep -q 'needs root' "$W/err" || fail "$1: says it needs root: $(cat "$W/err")"
}
as_user --sysfs-root "$W/tree" -n numvfs em1 2
[ "$rc" -eq 0 ] || fail "dry run as uid $USER_UID: exit $rc: $(cat "$W/err")"
not_root "numvfs -n"
as_user --sysfs-root "$W/tree" vf set em1#0 --trust on -n
not_root "vf set -n"
as_user -c test:///default policy set nope-guest --trust on
not_root "policy set on test:///default"
grep -q nope-guest "$W/err" || fail "policy set on test:///default: $(cat "$W/err")"
cp -r "$W/tree" "$W/own"
chown -R "$USER_UID" "$W/own"
as_user --sysfs-root "$W/own" bind em1#0 --driver vfio-pci
not_root "bind on the user's tree"
grep -q "0000:01:10.0" "$W/err" "$W/out" || fail "bind on the user's tree did not go on: $(cat "$W/err")"
# reading needs nothing
for args in "--sysfs-root $W/tree list" "--sysfs-root $W/tree show em1" "--sysfs-root $W/tree check" \
	"--sysfs-root $W/tree xml network em1" "numvfs --help" "help"; do
	# shellcheck disable=SC2086
	as_user $args
	not_root "$args"
done

finish "remote URIs refused by the commands that read this host, root asked for before anything"
