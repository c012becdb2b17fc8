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
. "${top_srcdir:?}/tests/integration/lib.sh"
need jq

tmpdir hook-captures
fail_fast=1
fail_log=$W/err
D=$top_srcdir/tests/data/hook
HOOK=$top_builddir/tests/tools/virt-sriov-hook-fake
FRONT=$top_builddir/virt-sriov-hook-front

host_tree "$W/tree" \
	--pf addr=0000:03:00.0,netdev=em1,offset=129,stride=2,num=2,total=7 \
	--pf addr=0000:01:00.0,netdev=eth0,id=8086:10c9,vfid=8086:10ca,offset=128,stride=2,num=7,total=7
mkdir -p "$W/hooks/qemu.d" "$W/hooks/network.d"
cp "$FRONT" "$W/hooks/qemu.d/virt-sriov"
cp "$FRONT" "$W/hooks/network.d/virt-sriov"

{
	printf '{"em1":[%s,%s],"eth0":[' "$(fake_vf 0)" "$(fake_vf 1)"
	for i in 0 1 2 3 4 5; do printf '%s,' "$(fake_vf $i 02:00:00:00:00:0$i)"; done
	printf '%s]}\n' "$(fake_vf 6 02:00:00:00:00:06)"
} >"$W/fake.json"
cp "$W/fake.json" "$W/orig.json"

# $1 driver, $2 name, $3 op, $4 subop, $5 XML; stderr to $W/err
hook() {
	env -i LC_ALL=C PATH=/usr/bin:/bin HOME=/ \
		VIRT_SRIOV_SYSFS_ROOT="$W/tree" VIRT_SRIOV_STATE_DIR="$W/state" \
		VIRT_SRIOV_CONF="${CONF-$D/host.conf}" VIRT_SRIOV_FAKE_VFS="$W/fake.json" \
		VIRT_SRIOV_HOOK_LOG="$W/hook.log" VIRT_SRIOV_HOOK_PROGRAM="$HOOK" \
		"$W/hooks/$1.d/virt-sriov" "$2" "$3" "$4" - <"$5" 2>"$W/err"
}
field() { jq -r ".$1[$2].$3" "$W/fake.json"; }
setlinks() { grep -c "^SETLINK $1" "$W/fake.json.log" 2>/dev/null || true; }
same_as_orig() { same_json "$W/fake.json" "$W/orig.json"; }

# --- ga: plain <hostdev>, every setting including MAC and VLAN
hook qemu ga prepare begin "$D/policy/ga_prepare.xml" || fail "ga prepare"
[ "$(field em1 0 mac)" = 52:54:00:aa:00:01 ] || fail "ga: MAC not applied"
[ "$(field em1 0 spoofchk)" = false ] && [ "$(field em1 0 trust)" = true ] || fail "ga: spoofchk/trust not applied"
st=$W/state/4f1bd86d-9f62-4c8c-886a-6b0fc8fd2fb7.json
[ "$(stat -c %a "$W/state")" = 700 ] || fail "state dir mode $(stat -c %a "$W/state")"
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
grep -q "release: guest 'ga': VF 0000:03:10.1 (em1#0): put back" "$W/hook.log" || fail "ga: release not logged"

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
[ "$(ls "$W/state"/*.json | wc -l)" = 2 ] || fail "expected two state files"
hook qemu l2net stopped end "$R/007_qemu_l2net_stopped_end.xml" || fail "l2net stopped"
hook network vfpool port-deleted begin "$R/008_network_vfpool_port-deleted_begin.xml" || fail "l2net port-deleted"
hook qemu l2net release end "$R/009_qemu_l2net_release_end.xml" || fail "l2net release"
hook qemu l2hd stopped end "$R/013_qemu_l2hd_stopped_end.xml" || fail "l2hd stopped"
hook qemu l2hd release end "$R/014_qemu_l2hd_release_end.xml" || fail "l2hd release"
same_as_orig || fail "real-VF guests: VFs not put back"
[ -z "$(ls -A "$W/state")" ] || fail "state dir not empty: $(ls -A "$W/state")"

# --- a guest the host forbids: exit 1, one line on stderr naming guest, VF, setting
if CONF=/nonexistent hook qemu ga prepare begin "$D/policy/ga_prepare.xml"; then fail "forbidden policy accepted"; fi
[ "$(wc -l <"$W/err")" = 1 ] || fail "stderr is not one line"
grep -q "^virt-sriov-hook: guest 'ga': VF 0000:03:10.1 (em1#0): spoofchk off is not allowed" "$W/err" || fail "message: $(cat "$W/err")"
same_as_orig || fail "refused guest changed a VF"

# --- hostile stdin: a clear error at prepare / port-created, exit 0 at release / port-deleted
for f in "$D"/hostile/*; do
	case $f in *port-*) drv=network start=port-created stop=port-deleted sub=begin ;;
		    *) drv=qemu start=prepare stop=release sub=end ;; esac
	if hook $drv x $start begin "$f"; then
		case $f in *bad-address*) continue ;; esac   # libvirt would refuse it; we leave it alone
		fail "$f accepted at $start"
	fi
	[ "$(wc -l <"$W/err")" = 1 ] && grep -q "^virt-sriov-hook: .*hook input" "$W/err" || fail "$f: $(cat "$W/err")"
	hook $drv x $stop $sub "$f" || fail "$f: exit non-zero at $stop"
done
head -c 5000000 /dev/zero | tr '\0' ' ' >"$W/huge"
if hook qemu x prepare begin "$W/huge"; then fail "5 MB of blanks accepted"; fi
grep -q "more than" "$W/err" || fail "huge: $(cat "$W/err")"
same_as_orig || fail "hostile input changed a VF"
[ -z "$(ls -A "$W/state")" ] || fail "hostile input left state: $(ls -A "$W/state")"
[ -z "$(find "$W" -newer "$W/orig.json" -type f ! -path "$W/state*" ! -name fake.json ! -name 'fake.json.log' \
	! -name hook.log ! -name err ! -name huge)" ] || fail "a file was written outside the state dir"

# --- release: "put back" is logged only for what was; a VF the driver
# refuses is named and kept; an XML over the input cap still puts back
hook qemu ga prepare begin "$D/policy/ga_prepare.xml" || fail "ga prepare (release log)"
jq '._refuse = {"em1": "mac"}' "$W/fake.json" >"$W/f.tmp" && mv "$W/f.tmp" "$W/fake.json"
: >"$W/hook.log"
hook qemu ga release end "$D/captures/017_qemu_ga_release_end.xml" || fail "failed release exits non-zero"
grep -q "VF 0000:03:10.1 (em1#0): NOT put back" "$W/hook.log" || fail "release log: $(cat "$W/hook.log")"
! grep " put back" "$W/hook.log" | grep -vq "NOT put back\|not put back\|could not put back" ||
	fail "release logged 'put back' for a VF it did not put back: $(cat "$W/hook.log")"
jq 'del(._refuse)' "$W/fake.json" >"$W/f.tmp" && mv "$W/f.tmp" "$W/fake.json"
{
	printf "<domain type='qemu'>\n  <name>ga</name>\n  <uuid>4f1bd86d-9f62-4c8c-886a-6b0fc8fd2fb7</uuid>\n  <metadata>"
	head -c 5000000 /dev/zero | tr '\0' ' '
	printf '</metadata>\n</domain>\n'
} >"$W/release-huge.xml"
hook qemu ga release end "$W/release-huge.xml" || fail "huge release exits non-zero"
same_as_orig || fail "a release over the input cap did not put back: $(cat "$W/hook.log")"
[ -z "$(ls -A "$W/state")" ] || fail "release left: $(ls -A "$W/state")"

# --- plan: the same decisions, as JSON
VIRT_SRIOV_SYSFS_ROOT=$W/tree VIRT_SRIOV_CONF=$D/host.conf VIRT_SRIOV_STATE_DIR=$W/state \
	"$VIRT_SRIOV" plan --domain-xml "$D/policy/ga_prepare.xml" >"$W/plan.json" || fail "plan ga"
[ "$(jq -r '.vfs[0].address + " " + .vfs[0].pf + " " + (.vfs[0].settings.trust|tostring)' "$W/plan.json")" = "0000:03:10.1 em1 true" ] ||
	fail "plan: $(cat "$W/plan.json")"
if VIRT_SRIOV_SYSFS_ROOT=$W/tree VIRT_SRIOV_CONF=/nonexistent "$VIRT_SRIOV" plan --domain-xml "$D/policy/gc_prepare.xml" >"$W/plan.json"; then
	fail "plan of a refused guest exits 0"
fi
jq -e '.refused | test("spoofchk off is not allowed")' "$W/plan.json" >/dev/null || fail "plan: no refusal"
VIRT_SRIOV_SYSFS_ROOT=$W/tree VIRT_SRIOV_CONF=$D/host.conf "$VIRT_SRIOV" plan --domain-xml \
	"$D/captures/031_network_pool-pf_port-created_begin.xml" >"$W/plan.json" || fail "plan port-created"
[ "$(jq -r '.action + " " + .vfs[0].origin' "$W/plan.json")" = "port-created network" ] || fail "plan: $(cat "$W/plan.json")"
# --- a configuration anyone can write opens nothing: the start is refused
cp "$D/host.conf" "$W/open.conf"
chmod 0666 "$W/open.conf"
cp "$W/fake.json" "$W/before.json"
if CONF=$W/open.conf hook qemu ga prepare begin "$D/policy/ga_prepare.xml"; then fail "world-writable config accepted"; fi
grep -q "open.conf: mode 0666.*chmod go-w" "$W/err" || fail "world-writable config: $(cat "$W/err")"
same_json "$W/fake.json" "$W/before.json" || fail "world-writable config: a VF was changed"
# --- a pool whose name is not ASCII keeps its [pool NAME]: names match as
# given and are made printable only in messages
utf8=$(printf 'caf\303\251')
sed "s|<name>pool-pf</name>|<name>$utf8</name>|" "$D/captures/031_network_pool-pf_port-created_begin.xml" >"$W/utf8.xml"
printf '[pool %s]\nmax-tx-rate = 1234\n' "$utf8" >"$W/utf8.conf"
VIRT_SRIOV_SYSFS_ROOT=$W/tree VIRT_SRIOV_CONF=$W/utf8.conf "$VIRT_SRIOV" plan --domain-xml "$W/utf8.xml" \
	>"$W/plan.json" || fail "plan port-created on pool $utf8"
[ "$(jq -r '.vfs[0].settings.max_tx_rate' "$W/plan.json")" = 1234 ] || fail "[pool $utf8] not matched: $(cat "$W/plan.json")"
finish "the hook through libvirt 9.0's captures"
