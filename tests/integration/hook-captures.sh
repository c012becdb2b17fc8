#!/bin/sh
# The hook as installed, run exactly as libvirt 9.0 runs it: the front
# from qemu.d/ and network.d/, argv NAME OP SUBOP -, the captured XML on
# stdin, an environment of only LC_ALL=C PATH HOME (plus the test roots),
# through a whole guest life cycle in libvirt's order.  The front execs the
# full hook ($VIRT_SRIOV_HOOK_PROGRAM here) for the operations it acts on:
# its test build, the same main.c with the PFs' VF tables in a file (the
# file-backed fake); the sysfs tree is generated to match the captures' VF
# addresses.
set -eu
: "${top_builddir:?}" "${top_srcdir:?}" "${VIRT_SRIOV:?}"
command -v jq >/dev/null || { echo "SKIP: jq is not installed"; exit 77; }

T=$(mktemp -d /tmp/vs-hook-captures-XXXXXX)
trap 'rm -rf "$T"' EXIT
D=$top_srcdir/tests/data/hook
HOOK=$top_builddir/tests/tools/virt-sriov-hook-fake
FRONT=$top_builddir/virt-sriov-hook-front

"$top_builddir/tests/tools/gen-host-tree" \
	--pf addr=0000:03:00.0,netdev=em1,offset=129,stride=2,num=2,total=7 \
	--pf addr=0000:01:00.0,netdev=eth0,id=8086:10c9,vfid=8086:10ca,offset=128,stride=2,num=7,total=7 \
	"$T/tree" >/dev/null
mkdir -p "$T/hooks/qemu.d" "$T/hooks/network.d"
cp "$FRONT" "$T/hooks/qemu.d/virt-sriov"
cp "$FRONT" "$T/hooks/network.d/virt-sriov"

vf() { printf '{"index":%d,"mac":"%s","vlan":0,"qos":0,"spoofchk":true,"trust":false,"link_state":"auto","min_tx_rate":0,"max_tx_rate":0}' "$1" "$2"; }
{
	printf '{"em1":[%s,%s],"eth0":[' "$(vf 0 00:00:00:00:00:00)" "$(vf 1 00:00:00:00:00:00)"
	for i in 0 1 2 3 4 5; do printf '%s,' "$(vf $i 02:00:00:00:00:0$i)"; done
	printf '%s]}\n' "$(vf 6 02:00:00:00:00:06)"
} >"$T/fake.json"
cp "$T/fake.json" "$T/orig.json"

# $1 driver, $2 name, $3 op, $4 subop, $5 XML; stderr to $T/err
hook() {
	env -i LC_ALL=C PATH=/usr/bin:/bin HOME=/ \
		VIRT_SRIOV_SYSFS_ROOT="$T/tree" VIRT_SRIOV_STATE_DIR="$T/state" \
		VIRT_SRIOV_CONF="${CONF-$D/host.conf}" VIRT_SRIOV_FAKE_VFS="$T/fake.json" \
		VIRT_SRIOV_HOOK_LOG="$T/hook.log" VIRT_SRIOV_HOOK_PROGRAM="$HOOK" \
		"$T/hooks/$1.d/virt-sriov" "$2" "$3" "$4" - <"$5" 2>"$T/err"
}
fail() { echo "FAIL: $*" >&2; [ -f "$T/err" ] && cat "$T/err" >&2; exit 1; }
field() { jq -r ".$1[$2].$3" "$T/fake.json"; }
setlinks() { grep -c "^SETLINK $1" "$T/fake.json.log" 2>/dev/null || true; }
same_as_orig() { [ "$(jq -S . "$T/fake.json")" = "$(jq -S . "$T/orig.json")" ]; }

# --- ga: plain <hostdev>, every setting including MAC and VLAN
hook qemu ga prepare begin "$D/policy/ga_prepare.xml" || fail "ga prepare"
[ "$(field em1 0 mac)" = 52:54:00:aa:00:01 ] || fail "ga: MAC not applied"
[ "$(field em1 0 spoofchk)" = false ] && [ "$(field em1 0 trust)" = true ] || fail "ga: spoofchk/trust not applied"
st=$T/state/4f1bd86d-9f62-4c8c-886a-6b0fc8fd2fb7.json
[ "$(stat -c %a "$T/state")" = 700 ] || fail "state dir mode $(stat -c %a "$T/state")"
[ "$(stat -c %a "$st")" = 600 ] || fail "state file mode"
[ "$(jq -r '.vfs[0].saved.spoofchk' "$st")" = true ] || fail "ga: original spoofchk not saved"
for op in "start begin 013_qemu_ga_start_begin" "started begin 013_qemu_ga_start_begin" "stopped end 015_qemu_ga_stopped_end"; do
	set -- $op
	hook qemu ga "$1" "$2" "$D/captures/$3.xml" || fail "ga $1"
done
[ "$(setlinks em1)" = 1 ] || fail "ga: other ops touched the VFs"
hook qemu ga release end "$D/captures/017_qemu_ga_release_end.xml" || fail "ga release"
same_as_orig || fail "ga: VF not put back"
[ ! -e "$st" ] || fail "ga: state file left after release"
grep -q "release: guest 'ga': VF 0000:03:10.1 (em1#0): put back" "$T/hook.log" || fail "ga: release not logged"

# --- gb / gbpf: pool VFs; MAC and VLAN are libvirt's, the rest is the hook's
hook qemu gb prepare begin "$D/policy/gb_prepare.xml" || fail "gb prepare"
hook network pool-list port-created begin "$D/captures/021_network_pool-list_port-created_begin.xml" || fail "gb port-created"
[ "$(field em1 0 trust)" = true ] && [ "$(field em1 0 link_state)" = enable ] || fail "gb: policy not applied at port-created"
[ "$(field em1 0 max_tx_rate)" = 500 ] || fail "gb: guest-mac rule not applied"
[ "$(field em1 0 mac)" = 00:00:00:00:00:00 ] && [ "$(field em1 0 vlan)" = 0 ] || fail "gb: hook wrote MAC/VLAN of a pool VF"
hook network pool-list port-deleted begin "$D/captures/025_network_pool-list_port-deleted_begin.xml" || fail "gb port-deleted"
same_as_orig || fail "gb: pool VF not put back at port-deleted"
hook qemu gb release end "$D/captures/027_qemu_gb_release_end.xml" || fail "gb release"
# gbpf has no policy: the [pool]/[pf] defaults alone (spoofchk on is already on)
hook qemu gbpf prepare begin "$D/captures/029_qemu_gbpf_prepare_begin.xml" || fail "gbpf prepare"
hook network pool-pf port-created begin "$D/captures/031_network_pool-pf_port-created_begin.xml" || fail "gbpf port-created"
hook network pool-pf port-deleted begin "$D/captures/035_network_pool-pf_port-deleted_begin.xml" || fail "gbpf port-deleted"
hook qemu gbpf release end "$D/captures/037_qemu_gbpf_release_end.xml" || fail "gbpf release"
same_as_orig || fail "gbpf: VF changed"

# --- real-VF captures (igb in a VM): pool and hostdev side by side
R=$D/captures-real-vf
hook qemu l2net prepare begin "$D/policy/l2net_prepare.xml" || fail "l2net prepare"
hook network vfpool port-created begin "$R/004_network_vfpool_port-created_begin.xml" || fail "l2net port-created"
hook qemu l2net start begin "$R/005_qemu_l2net_start_begin.xml" || fail "l2net start"
hook qemu l2hd prepare begin "$D/policy/l2hd_prepare.xml" || fail "l2hd prepare"
[ "$(field eth0 0 spoofchk)" = false ] && [ "$(field eth0 0 vlan)" = 0 ] || fail "l2net: wrong settings on eth0#0"
[ "$(field eth0 1 vlan)" = 5 ] && [ "$(field eth0 1 qos)" = 2 ] || fail "l2hd: VLAN not applied to a plain hostdev"
[ "$(ls "$T/state" | wc -l)" = 2 ] || fail "expected two state files"
hook qemu l2net stopped end "$R/007_qemu_l2net_stopped_end.xml" || fail "l2net stopped"
hook network vfpool port-deleted begin "$R/008_network_vfpool_port-deleted_begin.xml" || fail "l2net port-deleted"
hook qemu l2net release end "$R/009_qemu_l2net_release_end.xml" || fail "l2net release"
hook qemu l2hd stopped end "$R/013_qemu_l2hd_stopped_end.xml" || fail "l2hd stopped"
hook qemu l2hd release end "$R/014_qemu_l2hd_release_end.xml" || fail "l2hd release"
same_as_orig || fail "real-VF guests: VFs not put back"
[ -z "$(ls -A "$T/state")" ] || fail "state dir not empty: $(ls -A "$T/state")"

# --- a guest the host forbids: exit 1, one line on stderr naming guest, VF, setting
if CONF=/nonexistent hook qemu ga prepare begin "$D/policy/ga_prepare.xml"; then fail "forbidden policy accepted"; fi
[ "$(wc -l <"$T/err")" = 1 ] || fail "stderr is not one line"
grep -q "^virt-sriov-hook: guest 'ga': VF 0000:03:10.1 (em1#0): spoofchk off is not allowed" "$T/err" || fail "message: $(cat "$T/err")"
same_as_orig || fail "refused guest changed a VF"

# --- hostile stdin: a clear error at prepare / port-created, exit 0 at release / port-deleted
for f in "$D"/hostile/*; do
	case $f in *port-*) drv=network start=port-created stop=port-deleted sub=begin ;;
		    *) drv=qemu start=prepare stop=release sub=end ;; esac
	if hook $drv x $start begin "$f"; then
		case $f in *bad-address*) continue ;; esac   # libvirt would refuse it; we leave it alone
		fail "$f accepted at $start"
	fi
	[ "$(wc -l <"$T/err")" = 1 ] && grep -q "^virt-sriov-hook: .*hook input" "$T/err" || fail "$f: $(cat "$T/err")"
	hook $drv x $stop $sub "$f" || fail "$f: exit non-zero at $stop"
done
head -c 5000000 /dev/zero | tr '\0' ' ' >"$T/huge"
if hook qemu x prepare begin "$T/huge"; then fail "5 MB of blanks accepted"; fi
grep -q "more than" "$T/err" || fail "huge: $(cat "$T/err")"
same_as_orig || fail "hostile input changed a VF"
[ -z "$(ls -A "$T/state")" ] || fail "hostile input left state: $(ls -A "$T/state")"
[ -z "$(find "$T" -newer "$T/orig.json" -type f ! -path "$T/state*" ! -name fake.json ! -name 'fake.json.log' \
	! -name hook.log ! -name err ! -name huge)" ] || fail "a file was written outside the state dir"

# --- plan: the same decisions, as JSON
VIRT_SRIOV_SYSFS_ROOT=$T/tree VIRT_SRIOV_CONF=$D/host.conf VIRT_SRIOV_STATE_DIR=$T/state \
	"$VIRT_SRIOV" plan --domain-xml "$D/policy/ga_prepare.xml" >"$T/plan.json" || fail "plan ga"
[ "$(jq -r '.vfs[0].address + " " + .vfs[0].pf + " " + (.vfs[0].settings.trust|tostring)' "$T/plan.json")" = "0000:03:10.1 em1 true" ] ||
	fail "plan: $(cat "$T/plan.json")"
if VIRT_SRIOV_SYSFS_ROOT=$T/tree VIRT_SRIOV_CONF=/nonexistent "$VIRT_SRIOV" plan --domain-xml "$D/policy/gc_prepare.xml" >"$T/plan.json"; then
	fail "plan of a refused guest exits 0"
fi
jq -e '.refused | test("spoofchk off is not allowed")' "$T/plan.json" >/dev/null || fail "plan: no refusal"
VIRT_SRIOV_SYSFS_ROOT=$T/tree VIRT_SRIOV_CONF=$D/host.conf "$VIRT_SRIOV" plan --domain-xml \
	"$D/captures/031_network_pool-pf_port-created_begin.xml" >"$T/plan.json" || fail "plan port-created"
[ "$(jq -r '.action + " " + .vfs[0].origin' "$T/plan.json")" = "port-created network" ] || fail "plan: $(cat "$T/plan.json")"
echo "PASS"
