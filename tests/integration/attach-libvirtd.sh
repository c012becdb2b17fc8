#!/bin/sh
# attach / detach against a private real libvirtd (libvirtd-harness.sh),
# with --config on inactive TCG guests and a generated host tree (libvirtd
# accepts AFFECT_CONFIG attaches of VFs that do not exist):
# each kind of attach lands in the domain's persistent XML as libvirt
# stores it; a VF a guest holds, a VF with its netdev up and a setting the
# host forbids are refused with nothing changed; the settings are kept in
# the guest's metadata policy for the hook; detach by VF, by MAC and --all
# take the devices and the rules away; two interfaces with one MAC are an
# ambiguity that names the VF addresses to use instead; --live on an
# inactive guest is a clear error.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need jq
need xmllint
tmpdir attach
fail_fast=1

start_attach_fixture "$W"
VS_URI=$VS_LIBVIRT_URI
policy_rules() { vs --json policy show "$1" --config | jq -c '[.rules[] | [.selector, .match, .settings]]'; }

# VF 0 belongs to guest holder
define_guest holder "$(hostdev_xml 0000:03:10.0)"
for g in g1 g2; do
	define_guest $g
done

# --- --pf: the lowest free VF; the one guest holder has is skipped
vs attach g1 --pf em1 --json >"$W/a1.json" || fail "attach --pf"
cat "$W/a1.json"
[ "$(jq -r '.address + " " + .vf + " " + .kind' "$W/a1.json")" = "0000:03:10.4 em1#1 hostdev" ] ||
	fail "attach --pf chose $(jq -r .address "$W/a1.json"), not em1#1 (0000:03:10.4)"
[ "$(jq -r '[.live, .config] | @tsv' "$W/a1.json")" = "false	true" ] || fail "inactive guest: not --config by default"
[ "$(guest_vfs g1)" = "0000:03:10.4" ] || fail "g1's XML: $(guest_vfs g1)"
virsh_ dumpxml --inactive g1 | grep -q "<hostdev mode='subsystem' type='pci' managed='yes'>" || fail "no managed <hostdev>"

# --- a VF another guest holds, a VF with its netdev up: refused, nothing changed
if vs attach g1 --vf em1#0 2>"$W/err"; then fail "attached the VF guest holder has"; fi
grep -q "VF 0000:03:10.0 (em1#0) is held by guest holder" "$W/err" || fail "held message: $(cat "$W/err")"
if vs attach g1 --vf 0000:03:19.0 2>"$W/err"; then fail "attached a VF whose netdev is up"; fi
grep -q "VF 0000:03:19.0 (em1#18) is on host driver igbvf with netdev em1v18 up (--force" "$W/err" ||
	fail "netdev message: $(cat "$W/err")"
[ "$(guest_vfs g1)" = "0000:03:10.4" ] || fail "a refused attach changed g1: $(guest_vfs g1)"
vs attach g1 --vf em1#18 --force >"$W/out" || fail "attach --force"
grep -q "attached VF 0000:03:19.0 (em1#18, MAC " "$W/out" || fail "attach output: $(cat "$W/out")"

# --- the host's gates: trust on is shut by default, nothing is attached
if vs attach g1 --pf em1 --interface --mac 52:54:00:00:00:11 --trust on 2>"$W/err"; then
	fail "trust on attached while the host forbids it"
fi
grep -q "trust" "$W/err" || fail "gate message: $(cat "$W/err")"
[ "$(guest_vfs g1 | wc -l)" = 2 ] || fail "refused attach left a device: $(guest_vfs g1)"
[ "$(policy_rules g1)" = "[]" ] || fail "refused attach left a rule: $(policy_rules g1)"

printf '[pf em1]\nallow-spoofchk-off = yes\nallow-trust-on = yes\n' >"$W/host.conf"
vs attach g1 --pf em1 --interface --mac 52:54:00:00:00:11 --vlan 42 --trust on --json >"$W/a2.json" ||
	fail "attach --interface"
[ "$(jq -r '.address + " " + .mac + " " + .kind' "$W/a2.json")" = "0000:03:11.0 52:54:00:00:00:11 interface" ] ||
	fail "attach --interface: $(cat "$W/a2.json")"
virsh_ dumpxml --inactive g1 >"$W/g1.dump"
[ "$(xmllint --xpath "string(//interface[@type='hostdev'][mac/@address='52:54:00:00:00:11']/vlan/tag/@id)" "$W/g1.dump")" = 42 ] ||
	fail "no <interface type='hostdev'> with the MAC and VLAN 42 in g1"
# libvirt's MAC and VLAN in the XML, the rest in the policy for the hook
[ "$(policy_rules g1)" = '[["address","0000:03:11.0",{"trust":true}]]' ] || fail "policy: $(policy_rules g1)"

# --- --network: libvirt's pool picks at start; the settings wait in the policy
cat >"$W/pool.xml" <<EOF
<network><name>pool1</name><forward mode='hostdev' managed='yes'><pf dev='em1'/></forward></network>
EOF
virsh_ net-define "$W/pool.xml" >/dev/null || fail "net-define"
vs attach g1 --network pool1 --spoofchk off --json >"$W/a3.json" || fail "attach --network"
mac3=$(jq -r .mac "$W/a3.json")
case $mac3 in 52:54:00:*) ;; *) fail "attach --network: MAC $mac3" ;; esac
virsh_ dumpxml --inactive g1 >"$W/g1.dump"
[ "$(xmllint --xpath "string(//interface[@type='network'][source/@network='pool1']/mac/@address)" "$W/g1.dump")" = "$mac3" ] ||
	fail "no pool interface with MAC $mac3"
policy_rules g1 | grep -q "\[\"guest-mac\",\"$mac3\",{\"spoofchk\":false}\]" || fail "policy: $(policy_rules g1)"
if vs attach g1 --network default 2>"$W/err"; then fail "attached a network that does not exist"; fi
grep -q "no network 'default'" "$W/err" || fail "network message: $(cat "$W/err")"

# --- --live on a guest that does not run
if vs attach g1 --pf em1 --live 2>"$W/err"; then fail "--live on an inactive guest"; fi
grep -q "guest g1 is not running: --live needs a running guest" "$W/err" || fail "live message: $(cat "$W/err")"
if vs attach nosuch --pf em1 2>"$W/err"; then fail "attach to a missing guest"; fi
grep -q "no guest 'nosuch'" "$W/err" || fail "missing guest message: $(cat "$W/err")"
vs attach g1 --pf em1 --network pool1 2>/dev/null; [ $? -eq 2 ] || fail "two sources: not a usage error"

# --- --failover: a virtio half (user-mode here) and a pool interface, one MAC
define_guest gfo
# LeakSanitizer's tracer may die at exit beside libvirt's threads (see
# json-schema.sh): then the output and the XML below decide
if vs attach gfo --failover pool1 --mac 02:00:00:00:00:31 --spoofchk off >"$W/fo.out" 2>"$W/fo.err"; then
	grep -q "virtio interface ua-failover-020000000031 and an interface on pool pool1, MAC 02:00:00:00:00:31" "$W/fo.out" ||
		fail "attach --failover: $(cat "$W/fo.out")"
else
	grep -q "^Tracer caught signal" "$W/fo.err" || fail "attach --failover: $(cat "$W/fo.err")"
fi
virsh_ dumpxml --inactive gfo >"$W/gfo.dump"
[ "$(xmllint --xpath "count(//interface[mac/@address='02:00:00:00:00:31'])" "$W/gfo.dump")" = 2 ] || fail "not two halves with the MAC"
[ "$(xmllint --xpath "string(//interface[@type='user'][model/@type='virtio'][teaming/@type='persistent']/alias/@name)" "$W/gfo.dump")" = \
	ua-failover-020000000031 ] || fail "no virtio half: $(cat "$W/gfo.dump")"
[ "$(xmllint --xpath "string(//interface[@type='network'][source/@network='pool1']/teaming[@type='transient']/@persistent)" "$W/gfo.dump")" = \
	ua-failover-020000000031 ] || fail "no transient half on pool1"
policy_rules gfo | grep -q '"guest-mac","02:00:00:00:00:31",{"spoofchk":false}' || fail "failover policy: $(policy_rules gfo)"
vs attach gfo --failover pool1 --vf em1#2 2>"$W/err"; [ $? -eq 2 ] || fail "--failover with --vf: not a usage error"
grep -q "a fixed VF" "$W/err" || fail "--failover --vf message: $(cat "$W/err")"
if vs attach gfo --failover pool1 --network pool1 2>"$W/err"; then fail "virtio half on a hostdev pool"; fi
grep -q "network 'pool1' is a hostdev pool" "$W/err" || fail "hostdev backup message: $(cat "$W/err")"
[ "$(xmllint --xpath "count(//interface)" "$W/gfo.dump")" = 2 ] || fail "refused attaches left interfaces"

# --- detach by MAC, by VF, --all
vs detach g1 --mac 52:54:00:00:00:11 >"$W/out" || fail "detach --mac"
grep -q "detached VF 0000:03:11.0 (MAC 52:54:00:00:00:11) from guest g1 (config)" "$W/out" || fail "detach output: $(cat "$W/out")"
policy_rules g1 | grep -q '0000:03:11.0' && fail "detach --mac left the address rule"
vs detach g1 --vf em1#1 || fail "detach --vf"
[ "$(guest_vfs g1)" = "0000:03:19.0" ] || fail "after detach --vf: $(guest_vfs g1)"
if vs detach g1 --vf em1#1 2>"$W/err"; then fail "detached a VF twice"; fi
grep -q "guest g1 has no VF device with VF 0000:03:10.4" "$W/err" || fail "detach message: $(cat "$W/err")"
vs --json detach g1 --all >"$W/d.json" || fail "detach --all"
[ "$(jq -r '[.detached[].kind] | sort | join(",")' "$W/d.json")" = "hostdev,network" ] || fail "detach --all: $(cat "$W/d.json")"
[ -z "$(guest_vfs g1)" ] || fail "after --all: $(guest_vfs g1)"
virsh_ dumpxml --inactive g1 | grep -q "<interface" && fail "after --all: an interface is left"
[ "$(policy_rules g1)" = "[]" ] || fail "after --all the policy has: $(policy_rules g1)"
[ "$(guest_vfs holder)" = "0000:03:10.0" ] || fail "detach touched guest holder"

# --- one MAC on two interfaces: libvirt accepts it, detach by MAC must not guess
vs attach g2 --vf em1#2 --interface --mac 52:54:00:00:00:22 >/dev/null || fail "attach dup 1"
vs attach g2 --vf em1#3 --interface --mac 52:54:00:00:00:22 >/dev/null || fail "attach dup 2"
if vs detach g2 --mac 52:54:00:00:00:22 2>"$W/err"; then fail "ambiguous MAC detached"; fi
grep -q "guest g2 has several interfaces with MAC 52:54:00:00:00:22 (0000:03:11.0, 0000:03:11.4): name the one to detach with --vf" "$W/err" ||
	fail "ambiguity message: $(cat "$W/err")"
[ "$(guest_vfs g2 | wc -l)" = 2 ] || fail "the refusal detached something"
vs detach g2 --vf 0000:03:11.4 >/dev/null || fail "detach one of the twins by --vf"
[ "$(guest_vfs g2)" = "0000:03:11.0" ] || fail "the wrong twin went: $(guest_vfs g2)"
vs detach g2 --all --pf em1 >/dev/null || fail "detach --all --pf"
[ -z "$(guest_vfs g2)" ] || fail "after --all --pf: $(guest_vfs g2)"
# --- a running guest (TCG, no disk): libvirt's refusal of a live VF comes
# back with what to do, and leaves nothing behind; settings that cannot be
# applied stop the attach before libvirt is asked
define_guest glive
if virsh_ start glive >/dev/null 2>"$W/err"; then
	if vs attach glive --pf em1 2>"$W/err"; then
		echo "NOTE: this host took a live VF attach; its errors are not checked here"
	else
		cat "$W/err"
		grep -q "attaching 0000:03:10.4 to guest glive: " "$W/err" || fail "live attach message: $(cat "$W/err")"
		virsh_ dumpxml glive | grep -q "<hostdev" && fail "a failed live attach left a <hostdev>"
		if vs attach glive --pf em1 --max-tx-rate 100 2>"$W/err"; then fail "settings on a PF the kernel lacks"; fi
		cat "$W/err"
		grep -q "VF 0000:03:10.4 (em1#1): cannot apply its settings, nothing attached: " "$W/err" ||
			fail "live settings message: $(cat "$W/err")"
		[ "$(jq length "$VIRT_SRIOV_STATE_DIR/attach-reserved.json")" = 0 ] || fail "a reservation was left"
		[ "$(vs --json policy show glive --live | jq '.rules | length')" = 0 ] || fail "a failed attach left a rule"
	fi
	virsh_ destroy glive >/dev/null 2>&1
else
	echo "NOTE: a TCG guest does not start here ($(cat "$W/err")); live errors not checked"
fi
finish "attach/detach"
