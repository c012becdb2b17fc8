#!/bin/sh
# `virt-sriov xml` on a generated host tree: every template and option
# against golden files in tests/data/xml/, every output validated with
# libvirt's own RNG schemas (network.rng; tests/data/rng/device-snippet.rng
# for bare <hostdev>/<interface>), and bad input refused with a message
# naming the value and nothing on stdout.
#
# VIRT_SRIOV_REGENERATE=1 rewrites the golden files from the current output
# (review the diff before committing it), like libvirt's
# VIR_TEST_REGENERATE_OUTPUT.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"
LIBVIRT_SCHEMAS=${LIBVIRT_SCHEMAS:-/usr/share/libvirt/schemas}

need xmllint libxml2-utils
[ -f "$LIBVIRT_SCHEMAS/network.rng" ] || skip "no libvirt schemas in $LIBVIRT_SCHEMAS"
need_built "$GEN"

tmpdir xml-golden
golden=$top_srcdir/tests/data/xml
tpl=$top_srcdir/tests/data/xml/templates

host_tree "$W/host" --profile r730 --profile nvme --profile no-sriov --profile domain
VS_TREE=$W/host
export VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"

# The device RNG includes libvirt's domainoverrides.rng by a relative path:
# give it a directory where both live.
mkdir "$W/rng"
ln -s "$LIBVIRT_SCHEMAS"/*.rng "$W/rng/"
cp "$top_srcdir/tests/data/rng/device-snippet.rng" "$W/rng/"

# name | arguments (word-split on purpose)
cases() {
	cat <<EOF
network-pf-em1|xml network em1
network-pf-name-vlan|xml network em2 --name lab-storage --vlan 42
network-pf-by-address|xml network 0000:19:00.0
network-vfs-em1|xml network em1 --vfs 0-3,6
network-vfs-nvme|xml network 0000:5e:00.0 --vfs 0-3
network-vfs-domain-10000|xml network enP65536p1s0 --vfs 0-1 --vlan 0
network-pf-admin-template|xml network em1 --template $tpl/network-pf-admin.xml
network-pf-admin-template-vlan|xml network p2p1 --vlan 300 --template $tpl/network-pf-admin.xml
network-numa-node1|xml network em1 em2 p2p1 --numa 1
network-numa-node0-name-vlan|xml network em1 em2 p2p1 --numa 0 --name lab-node0 --vlan 12
hostdev-em1-0|xml hostdev em1#0
hostdev-by-address|xml hostdev 0000:19:10.2
hostdev-domain-0001|xml hostdev 0001:01:00.2
hostdev-admin-template|xml hostdev em2#3 --template $tpl/hostdev-admin.xml
interface-plain|xml hostdev em1#1 --interface
interface-mac-vlan|xml hostdev em1#1 --interface --mac 52:54:00:12:34:56 --vlan 100
interface-admin-template|xml hostdev p2p1#3 --interface --vlan 7 --template $tpl/interface-admin.xml
interface-admin-template-keep|xml hostdev em2#6 --interface --template $tpl/interface-admin.xml
failover-bridge|xml hostdev --failover sriov-em1 --bridge br0 --mac 52:54:00:12:34:56
failover-network|xml hostdev --failover sriov-em1 --network lan --mac 02:00:00:ab:cd:ef
failover-user|xml hostdev --failover sriov-mig --mac 02:11:22:33:44:55
EOF
}

validate() {
	case $1 in
	network-*) rng=$W/rng/network.rng ;;
	*) rng=$W/rng/device-snippet.rng ;;
	esac
	f=$2
	case $1 in
	failover-*) # two <interface>s: as they sit in the guest's <devices>
		{ echo '<devices>'; cat "$2"; echo '</devices>'; } >"$W/devices.xml"
		f=$W/devices.xml
		[ "$(grep -c '<interface' "$2")" = 2 ] || fail "$1: not two interfaces"
		macs=$(sed -n 's/.*<mac address="\([^"]*\)".*/\1/p' "$2" | sort -u | wc -l)
		[ "$macs" = 1 ] || fail "$1: the two halves do not share one MAC"
		grep -q 'persistent="ua-failover-' "$2" || fail "$1: the VF half does not name the ua- alias" ;;
	esac
	xmllint --noout --relaxng "$rng" "$f" 2>"$W/rng.err" ||
		fail "$1: not valid for libvirt ($(basename "$rng")): $(cat "$W/rng.err")"
}

n=0
cases >"$W/cases"
while IFS='|' read -r name args; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	if ! vs $args >"$W/$name.xml" 2>"$W/$name.err"; then
		fail "$name: virt-sriov $args: $(cat "$W/$name.err")"
		continue
	fi
	[ -s "$W/$name.err" ] && fail "$name: unexpected stderr: $(cat "$W/$name.err")"
	validate "$name" "$W/$name.xml"
	if [ "${VIRT_SRIOV_REGENERATE:-0}" = 1 ]; then
		cp "$W/$name.xml" "$golden/$name.xml"
		echo "regenerated $golden/$name.xml"
	elif ! diff -u "$golden/$name.xml" "$W/$name.xml"; then
		fail "$name: output differs from $golden/$name.xml (VIRT_SRIOV_REGENERATE=1 to accept)"
	fi
done <"$W/cases"
[ $n -ge 19 ] || fail "only $n cases ran"

# name | expected text in stderr | arguments
refusals() {
	cat <<EOF
pf-without-sriov|eno1|xml network eno1
pf-absent|em9|xml network em9
vfs-beyond-numvfs|em3|xml network em3 --vfs 0
vf-absent|9|xml hostdev em1#9
non-vf-device|0000:60:00.0|xml hostdev 0000:60:00.0
pf-as-vf|0000:01:00.0|xml hostdev 0000:01:00.0
multicast-mac|01:00:5e:00:00:01|xml hostdev em1#0 --interface --mac 01:00:5e:00:00:01
bad-mac|52:54:zz|xml hostdev em1#0 --interface --mac 52:54:zz:00:00:01
vlan-4095|4095|xml hostdev em1#0 --interface --vlan 4095
vlan-negative|-1|xml network em1 --vlan -1
vlan-hostdev|--interface|xml hostdev em1#0 --vlan 5
failover-fixed-vf|a fixed VF|xml hostdev em1#0 --failover sriov-em1
failover-both|not both|xml hostdev --failover sriov-em1 --bridge br0 --network lan
failover-multicast|01:00:5e:00:00:01|xml hostdev --failover sriov-em1 --mac 01:00:5e:00:00:01
failover-bad-pool|a/b|xml hostdev --failover a/b
failover-interface|--failover takes only|xml hostdev --failover sriov-em1 --interface
bridge-alone|--bridge|xml hostdev em1#0 --bridge br0
bad-name|a/b|xml network em1 --name a/b
template-no-pf|/network/forward[@mode='hostdev']/pf|xml network em1 --template $tpl/network-no-pf.xml
template-no-pf-file|network-no-pf.xml|xml network em1 --template $tpl/network-no-pf.xml
template-no-source|hostdev-no-source.xml|xml hostdev em1#0 --template $tpl/hostdev-no-source.xml
template-absent|/nonexistent/t.xml|xml hostdev em1#0 --template /nonexistent/t.xml
template-not-xml|not-xml.xml|xml network em1 --template $tpl/not-xml.xml
numa-none-there|em1 on node 0, em2 on node 0|xml network em1 em2 --numa 1
numa-with-vfs|drop --vfs|xml network em1 --numa 0 --vfs 0
numa-not-a-node|'x'|xml network em1 --numa x
EOF
}

refusals >"$W/refusals"
while IFS='|' read -r name want args; do
	# shellcheck disable=SC2086
	vs $args >"$W/r.out" 2>"$W/r.err"
	rc=$?
	[ $rc -ne 0 ] || fail "$name: virt-sriov $args succeeded"
	[ -s "$W/r.out" ] && fail "$name: printed on stdout: $(cat "$W/r.out")"
	grep -qF -- "$want" "$W/r.err" || fail "$name: stderr does not name '$want': $(cat "$W/r.err")"
	echo "refused $name: $(cat "$W/r.err")"
done <"$W/refusals"

# --failover without --mac: a random unicast, locally administered MAC, the
# same on both halves, and a new one each run
for i in 1 2 3 4 5; do
	vs xml hostdev --failover sriov-em1 >"$W/fo$i.xml" || fail "xml hostdev --failover (random MAC)"
	macs=$(sed -n 's/.*<mac address="\([^"]*\)".*/\1/p' "$W/fo$i.xml" | sort -u)
	[ "$(echo "$macs" | wc -l)" = 1 ] || fail "random MAC: the halves differ: $macs"
	first=$((0x$(echo "$macs" | cut -c1-2)))
	[ $((first & 3)) = 2 ] || fail "random MAC $macs: not unicast and locally administered"
	echo "$macs"
done >"$W/macs"
[ "$(sort -u "$W/macs" | wc -l)" = 5 ] || fail "five runs, not five MACs: $(tr '\n' ' ' <"$W/macs")"

finish "$n golden files, all valid for libvirt; refusals checked"
