#!/bin/sh
# attach / detach against a private real libvirtd (libvirtd-harness.sh),
# with --config on inactive TCG guests and a generated host tree (libvirtd
# accepts AFFECT_CONFIG attaches of VFs that do not exist, RECIPES.md §1):
# each kind of attach lands in the domain's persistent XML as libvirt
# stores it; a VF a guest holds, a VF with its netdev up and a setting the
# host forbids are refused with nothing changed; the settings are kept in
# the guest's metadata policy for the hook; detach by VF, by MAC and --all
# take the devices and the rules away; two interfaces with one MAC are an
# ambiguity that names the VF addresses to use instead; --live on an
# inactive guest is a clear error.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${VIRT_SRIOV:?}"
. "$top_srcdir/tests/integration/libvirtd-harness.sh"
. "$top_srcdir/tests/integration/lib.sh"

command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing" >&2; exit 77; }
command -v xmllint >/dev/null 2>&1 || { echo "SKIP: xmllint missing" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/vs-attach.XXXXXX")
vs_test_cleanup() { rm -rf "$T"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

start_attach_fixture "$T"
rc=$?
[ $rc -eq 0 ] || exit $rc
echo "libvirtd up in ${VS_LIBVIRTD_START_MS} ms"
virsh_() { virsh -q -c "$VS_LIBVIRT_URI" "$@"; }
vs() { "$VIRT_SRIOV" -c "$VS_LIBVIRT_URI" "$@"; }
# the VF addresses a guest's persistent XML names, as "dddd:bb:ss.f", sorted
vfs_of() {
	virsh_ dumpxml --inactive "$1" >"$T/dump.xml"
	xmllint --xpath '//devices/hostdev/source/address | //devices/interface/source/address' "$T/dump.xml" 2>/dev/null |
		sed 's/\/>/\/>\n/g' | sed -n 's/.*domain=.0x\([0-9a-f]*\). bus=.0x\([0-9a-f]*\). slot=.0x\([0-9a-f]*\). function=.0x\([0-9a-f]*\).*/\1:\2:\3.\4/p' |
		sort
}
policy_rules() { vs --json policy show "$1" --config | jq -c '[.rules[] | [.selector, .match, .settings]]'; }

# VF 0 belongs to guest holder
vs_libvirtd_domain_xml holder "<hostdev mode='subsystem' type='pci' managed='yes'>
  <source><address domain='0x0000' bus='0x03' slot='0x10' function='0x0'/></source></hostdev>" >"$T/holder.xml"
virsh_ define "$T/holder.xml" >/dev/null || fail "define holder"
for g in g1 g2; do
	vs_libvirtd_domain_xml $g "" >"$T/$g.xml"
	virsh_ define "$T/$g.xml" >/dev/null || fail "define $g"
done

# --- --pf: the lowest free VF; the one guest holder has is skipped
vs attach g1 --pf em1 --json >"$T/a1.json" || fail "attach --pf"
cat "$T/a1.json"
[ "$(jq -r '.address + " " + .vf + " " + .kind' "$T/a1.json")" = "0000:03:10.4 em1#1 hostdev" ] ||
	fail "attach --pf chose $(jq -r .address "$T/a1.json"), not em1#1 (0000:03:10.4)"
[ "$(jq -r '[.live, .config] | @tsv' "$T/a1.json")" = "false	true" ] || fail "inactive guest: not --config by default"
[ "$(vfs_of g1)" = "0000:03:10.4" ] || fail "g1's XML: $(vfs_of g1)"
virsh_ dumpxml --inactive g1 | grep -q "<hostdev mode='subsystem' type='pci' managed='yes'>" || fail "no managed <hostdev>"

# --- a VF another guest holds, a VF with its netdev up: refused, nothing changed
if vs attach g1 --vf em1#0 2>"$T/err"; then fail "attached the VF guest holder has"; fi
grep -q "VF 0000:03:10.0 (em1#0) is held by guest holder" "$T/err" || fail "held message: $(cat "$T/err")"
if vs attach g1 --vf 0000:03:19.0 2>"$T/err"; then fail "attached a VF whose netdev is up"; fi
grep -q "VF 0000:03:19.0 (em1#18) is on host driver igbvf with netdev em1v18 up (--force" "$T/err" ||
	fail "netdev message: $(cat "$T/err")"
[ "$(vfs_of g1)" = "0000:03:10.4" ] || fail "a refused attach changed g1: $(vfs_of g1)"
vs attach g1 --vf em1#18 --force >"$T/out" || fail "attach --force"
grep -q "attached VF 0000:03:19.0 (em1#18, MAC " "$T/out" || fail "attach output: $(cat "$T/out")"

# --- the host's gates: trust on is shut by default, nothing is attached
if vs attach g1 --pf em1 --interface --mac 52:54:00:00:00:11 --trust on 2>"$T/err"; then
	fail "trust on attached while the host forbids it"
fi
grep -q "trust" "$T/err" || fail "gate message: $(cat "$T/err")"
[ "$(vfs_of g1 | wc -l)" = 2 ] || fail "refused attach left a device: $(vfs_of g1)"
[ "$(policy_rules g1)" = "[]" ] || fail "refused attach left a rule: $(policy_rules g1)"

printf '[pf em1]\nallow-spoofchk-off = yes\nallow-trust-on = yes\n' >"$T/host.conf"
vs attach g1 --pf em1 --interface --mac 52:54:00:00:00:11 --vlan 42 --trust on --json >"$T/a2.json" ||
	fail "attach --interface"
[ "$(jq -r '.address + " " + .mac + " " + .kind' "$T/a2.json")" = "0000:03:11.0 52:54:00:00:00:11 interface" ] ||
	fail "attach --interface: $(cat "$T/a2.json")"
virsh_ dumpxml --inactive g1 >"$T/g1.dump"
[ "$(xmllint --xpath "string(//interface[@type='hostdev'][mac/@address='52:54:00:00:00:11']/vlan/tag/@id)" "$T/g1.dump")" = 42 ] ||
	fail "no <interface type='hostdev'> with the MAC and VLAN 42 in g1"
# libvirt's MAC and VLAN in the XML, the rest in the policy for the hook
[ "$(policy_rules g1)" = '[["address","0000:03:11.0",{"trust":"on"}]]' ] || fail "policy: $(policy_rules g1)"

# --- --network: libvirt's pool picks at start; the settings wait in the policy
cat >"$T/pool.xml" <<EOF
<network><name>pool1</name><forward mode='hostdev' managed='yes'><pf dev='em1'/></forward></network>
EOF
virsh_ net-define "$T/pool.xml" >/dev/null || fail "net-define"
vs attach g1 --network pool1 --spoofchk off --json >"$T/a3.json" || fail "attach --network"
mac3=$(jq -r .mac "$T/a3.json")
case $mac3 in 52:54:00:*) ;; *) fail "attach --network: MAC $mac3" ;; esac
virsh_ dumpxml --inactive g1 >"$T/g1.dump"
[ "$(xmllint --xpath "string(//interface[@type='network'][source/@network='pool1']/mac/@address)" "$T/g1.dump")" = "$mac3" ] ||
	fail "no pool interface with MAC $mac3"
policy_rules g1 | grep -q "\[\"guest-mac\",\"$mac3\",{\"spoofchk\":\"off\"}\]" || fail "policy: $(policy_rules g1)"
if vs attach g1 --network default 2>"$T/err"; then fail "attached a network that does not exist"; fi
grep -q "no network 'default'" "$T/err" || fail "network message: $(cat "$T/err")"

# --- --live on a guest that does not run
if vs attach g1 --pf em1 --live 2>"$T/err"; then fail "--live on an inactive guest"; fi
grep -q "guest g1 is not running: --live needs a running guest" "$T/err" || fail "live message: $(cat "$T/err")"
if vs attach nosuch --pf em1 2>"$T/err"; then fail "attach to a missing guest"; fi
grep -q "no guest 'nosuch'" "$T/err" || fail "missing guest message: $(cat "$T/err")"
vs attach g1 --pf em1 --network pool1 2>/dev/null; [ $? -eq 2 ] || fail "two sources: not a usage error"

# --- detach by MAC, by VF, --all
vs detach g1 --mac 52:54:00:00:00:11 >"$T/out" || fail "detach --mac"
grep -q "detached VF 0000:03:11.0 (MAC 52:54:00:00:00:11) from guest g1 (config)" "$T/out" || fail "detach output: $(cat "$T/out")"
policy_rules g1 | grep -q '0000:03:11.0' && fail "detach --mac left the address rule"
vs detach g1 --vf em1#1 || fail "detach --vf"
[ "$(vfs_of g1)" = "0000:03:19.0" ] || fail "after detach --vf: $(vfs_of g1)"
if vs detach g1 --vf em1#1 2>"$T/err"; then fail "detached a VF twice"; fi
grep -q "guest g1 has no VF device with VF 0000:03:10.4" "$T/err" || fail "detach message: $(cat "$T/err")"
vs --json detach g1 --all >"$T/d.json" || fail "detach --all"
[ "$(jq -r '[.detached[].kind] | sort | join(",")' "$T/d.json")" = "hostdev,network" ] || fail "detach --all: $(cat "$T/d.json")"
[ -z "$(vfs_of g1)" ] || fail "after --all: $(vfs_of g1)"
virsh_ dumpxml --inactive g1 | grep -q "<interface" && fail "after --all: an interface is left"
[ "$(policy_rules g1)" = "[]" ] || fail "after --all the policy has: $(policy_rules g1)"
[ "$(vfs_of holder)" = "0000:03:10.0" ] || fail "detach touched guest holder"

# --- one MAC on two interfaces: libvirt accepts it, detach by MAC must not guess
vs attach g2 --vf em1#2 --interface --mac 52:54:00:00:00:22 >/dev/null || fail "attach dup 1"
vs attach g2 --vf em1#3 --interface --mac 52:54:00:00:00:22 >/dev/null || fail "attach dup 2"
if vs detach g2 --mac 52:54:00:00:00:22 2>"$T/err"; then fail "ambiguous MAC detached"; fi
grep -q "guest g2 has several interfaces with MAC 52:54:00:00:00:22 (0000:03:11.0, 0000:03:11.4): name the one to detach with --vf" "$T/err" ||
	fail "ambiguity message: $(cat "$T/err")"
[ "$(vfs_of g2 | wc -l)" = 2 ] || fail "the refusal detached something"
vs detach g2 --vf 0000:03:11.4 >/dev/null || fail "detach one of the twins by --vf"
[ "$(vfs_of g2)" = "0000:03:11.0" ] || fail "the wrong twin went: $(vfs_of g2)"
vs detach g2 --all --pf em1 >/dev/null || fail "detach --all --pf"
[ -z "$(vfs_of g2)" ] || fail "after --all --pf: $(vfs_of g2)"
# --- a running guest (TCG, no disk): libvirt's refusal of a live VF comes
# back with what to do, and leaves nothing behind; settings that cannot be
# applied stop the attach before libvirt is asked
vs_libvirtd_domain_xml glive "" >"$T/glive.xml"
virsh_ define "$T/glive.xml" >/dev/null || fail "define glive"
if virsh_ start glive >/dev/null 2>"$T/err"; then
	if vs attach glive --pf em1 2>"$T/err"; then
		echo "NOTE: this host took a live VF attach; its errors are not checked here"
	else
		cat "$T/err"
		grep -q "attaching 0000:03:10.4 to guest glive: " "$T/err" || fail "live attach message: $(cat "$T/err")"
		virsh_ dumpxml glive | grep -q "<hostdev" && fail "a failed live attach left a <hostdev>"
		if vs attach glive --pf em1 --max-tx-rate 100 2>"$T/err"; then fail "settings on a PF the kernel lacks"; fi
		cat "$T/err"
		grep -q "VF 0000:03:10.4 (em1#1): cannot apply its settings, nothing attached: " "$T/err" ||
			fail "live settings message: $(cat "$T/err")"
		[ "$(jq length "$VIRT_SRIOV_STATE_DIR/attach-reserved.json")" = 0 ] || fail "a reservation was left"
		[ "$(vs --json policy show glive --live | jq '.rules | length')" = 0 ] || fail "a failed attach left a rule"
	fi
	virsh_ destroy glive >/dev/null 2>&1
else
	echo "NOTE: a TCG guest does not start here ($(cat "$T/err")); live errors not checked"
fi
echo "attach/detach: all checks passed"
