#!/bin/sh
# attach --numa against a private real libvirtd (libvirtd-harness.sh), with
# a generated host tree of two NUMA nodes (node0: CPU 0, node1: CPU 1) and
# three PFs: p0 on node 0, p1 on node 1, pu of unknown node.  Inactive
# guests (--config): g1's memory on node 1 (<numatune>), g0's vCPU pinned
# to CPU 0, gx without either.  --numa auto reads them; required refuses
# once p1's VFs are all held, naming where free VFs are; preferred takes
# pu's (unknown node) first, then p0's, and says so; --network NET --numa
# picks NET-nodeN.  `network apply --per-numa` and its second run against
# libvirt's test driver (this daemon refuses address-list pools whose VFs
# do not exist in the real /sys).
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need jq
need xmllint
need_built "$GEN"
tmpdir numa-libvirtd

host_tree "$W/tree" --pf addr=0000:01:00.0,netdev=p0,num=3,vfio=3,numa=0 \
	--pf addr=0000:02:00.0,netdev=p1,num=2,vfio=2,numa=1 \
	--pf addr=0000:03:00.0,netdev=pu,num=2,vfio=2,numa=-1
for n in 0 1; do
	mkdir -p "$W/tree/sys/devices/system/node/node$n"
	echo $n >"$W/tree/sys/devices/system/node/node$n/cpulist"
done
VIRT_SRIOV_SYSFS_ROOT="$W/tree" VIRT_SRIOV_STATE_DIR="$W/state" VIRT_SRIOV_CONF="$W/host.conf"
VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"
export VIRT_SRIOV_SYSFS_ROOT VIRT_SRIOV_STATE_DIR VIRT_SRIOV_CONF VIRT_SRIOV_TEMPLATE_DIR
: >"$W/host.conf"

# --- usage errors first (no daemon needed): exit 2
VS_URI=test:///default
for args in "g1 --vf p0#0 --numa 1" "g1 --pf p0 --numa-policy required" "g1 --numa one" \
	"g1 --numa 1 --numa-policy sometimes"; do
	# shellcheck disable=SC2086
	run attach $args
	[ "$rc" = 2 ] || fail "attach $args: exit $rc, not 2: $(cat "$W/err")"
done
grep -q "sometimes" "$W/err" || fail "--numa-policy refusal does not name the value: $(cat "$W/err")"

# --- network apply --per-numa, against libvirt's test driver: one pool per node
cat >"$W/empty.xml" <<'XML'
<node><domain type='test'><name>t</name><memory>131072</memory><os><type>hvm</type></os></domain></node>
XML
VS_URI=test://$W/empty.xml
run network apply p0 p1 pu --per-numa --no-autostart --json
[ "$rc" = 0 ] || fail "network apply --per-numa: exit $rc: $(cat "$W/err")"
[ "$(jq -r '[.pools[] | .name + ":" + (.changes | join("+"))] | join(" ")' "$W/out")" = \
	"sriov-node0:define+start sriov-node1:define+start" ] || fail "per-numa pools: $(jq -c .pools "$W/out")"
jq -e '.warnings | any(test("PF pu: its NUMA node is unknown"))' "$W/out" >/dev/null ||
	fail "pu's unknown node not said: $(jq -c .warnings "$W/out")"
jq -r '.pools[] | select(.name == "sriov-node1") | .xml' "$W/out" >"$W/node1.xml"
[ "$(xmllint --xpath 'count(//forward/address)' "$W/node1.xml")" = 2 ] || fail "sriov-node1 has not p1's 2 VFs"
# a second run on a libvirt that has both pools: nothing to change
{ echo "<node>"; jq -r '.pools[].xml' "$W/out"; echo "</node>"; } >"$W/pools.xml"
VS_URI=test://$W/pools.xml
run network apply p0 p1 pu --per-numa --no-autostart
[ "$rc" = 0 ] && grep -q "nothing to change" "$W/out" || fail "second apply --per-numa: exit $rc: $(cat "$W/out" "$W/err")"
run network apply p0 --per-numa --vfs 0
[ "$rc" = 2 ] || fail "--per-numa --vfs: exit $rc"

# --- check --guests, against libvirt's test driver (its guests run): g1's
# memory is on node 1 but it holds a VF of p0 (node 0); g0 (vCPU on CPU 0)
# holds one of p0; gu holds pu's (unknown node: not judged)
cat >"$W/running.xml" <<XML
<node>
<domain type='test'><name>g1</name><memory>131072</memory><os><type>hvm</type></os>
 <numatune><memory mode='strict' nodeset='1'/></numatune><devices>$(hostdev_xml 0000:01:10.0)</devices></domain>
<domain type='test'><name>g0</name><memory>131072</memory><vcpu cpuset='0'>1</vcpu><os><type>hvm</type></os>
 <devices>$(hostdev_xml 0000:01:10.4)</devices></domain>
<domain type='test'><name>gu</name><memory>131072</memory><vcpu cpuset='1'>1</vcpu><os><type>hvm</type></os>
 <devices>$(hostdev_xml 0000:03:10.0)</devices></domain>
</node>
XML
VS_URI=test://$W/running.xml
run --json check --guests
jq -c '[.checks[] | select(.check == "numa-placement") | [.status, .device]]' "$W/out" >"$W/placement"
[ "$(cat "$W/placement")" = '[["WARN","0000:01:10.0"]]' ] || fail "check --guests: $(cat "$W/placement") $(cat "$W/err")"
jq -r '.checks[] | select(.check == "numa-placement") | .message' "$W/out" | grep -q \
	"guest g1 holds VF 0000:01:10.0 (p0#0) of a PF on NUMA node 0; the guest: memory on node 1" ||
	fail "check --guests message: $(jq -c '.checks[] | select(.check == "numa-placement")' "$W/out")"
run --json check
jq -e '[.checks[] | select(.check == "numa-placement")] | length == 0' "$W/out" >/dev/null ||
	fail "check without --guests asked libvirt"

# --- plan: the node of each VF of the guest's XML, near its memory or not
sed -n '/<domain.*<name>g1</,/<\/domain>/p' "$W/running.xml" |
	sed "s/type='test'/type='kvm'/; s|<name>g1</name>|&<uuid>5f01bc4a-9cdb-4961-8d84-fccc580270a5</uuid>|" >"$W/g1-running.xml"
VS_URI= run plan --domain-xml "$W/g1-running.xml" --config "$W/host.conf"
[ "$(jq -c .numa "$W/out")" = \
	'{"guest_nodes":"1","guest":"memory on node 1 (<numatune>)","vfs":[{"address":"0000:01:10.0","pf":"0000:01:00.0","node":0,"near":false}]}' ] ||
	fail "plan's numa: $(jq -c .numa "$W/out") $(cat "$W/err")"

# --- attach --numa against the private libvirtd
libvirtd_up "$W/daemon"
VS_URI=$VS_LIBVIRT_URI
VS_TREE=
define_guest gx
vs_libvirtd_domain_xml g1 "" | sed "s|<vcpu>1</vcpu>|<vcpu>1</vcpu><numatune><memory mode='strict' nodeset='1'/></numatune>|" >"$W/g1.xml"
vs_libvirtd_domain_xml g0 "" | sed "s|<vcpu>1</vcpu>|<vcpu cpuset='0'>1</vcpu>|" >"$W/g0.xml"
virsh_ define "$W/g1.xml" >/dev/null || fail "define g1 with <numatune>"
virsh_ define "$W/g0.xml" >/dev/null || fail "define g0 with <vcpu cpuset>"

attach_json() { run --json attach "$@"; }
attach_json g1 --numa auto --numa-policy required
[ "$rc" = 0 ] || fail "attach g1 --numa auto: $(cat "$W/err")"
[ "$(jq -r '.vf + " " + (.numa_node | tostring)' "$W/out")" = "p1#0 1" ] || fail "g1 --numa auto: $(cat "$W/out")"
[ "$(guest_vfs g1)" = "0000:02:10.0" ] || fail "g1's XML: $(guest_vfs g1)"
attach_json g0 --numa auto --numa-policy required
[ "$(jq -r .vf "$W/out")" = "p0#0" ] || fail "g0 (vCPU on CPU 0) --numa auto: $(cat "$W/out" "$W/err")"
attach_json gx --numa auto
[ "$(jq -r .vf "$W/out")" = "p0#1" ] || fail "gx --numa auto, the first free VF: $(cat "$W/out" "$W/err")"
jq -e '.warnings | any(test("neither <numatune> nor pinned vCPUs"))' "$W/out" >/dev/null ||
	fail "gx: nothing to go by not said: $(cat "$W/out")"
attach_json g1 --numa 1 --numa-policy required
[ "$(jq -r .vf "$W/out")" = "p1#1" ] || fail "g1 --numa 1: $(cat "$W/out" "$W/err")"

# node 1 is full now: required refuses, exit 1, nothing attached
run attach g1 --numa 1 --numa-policy required
[ "$rc" = 1 ] || fail "required with node 1 full: exit $rc"
grep -q "no free VF on NUMA node 1 (PF p1 (2 VFs: 2 held by guest g1)); free VFs on node 0; 2 on PFs of unknown node" \
	"$W/err" || fail "refusal: $(cat "$W/err")"
[ "$(guest_vfs g1 | wc -l)" = 2 ] || fail "the refusal attached something: $(guest_vfs g1)"
# the dry run says the same as the real choice, changing nothing
run --dry-run attach g1 --numa 1
grep -q "would attach VF 0000:03:10.0 (pu#0) to guest g1" "$W/out" || fail "dry run: $(cat "$W/out" "$W/err")"
[ "$(guest_vfs g1 | wc -l)" = 2 ] || fail "the dry run attached something"
# preferred: pu (unknown node) before p0 (node 0), said on stderr
run attach g1 --numa 1
grep -q "attached VF 0000:03:10.0 (pu#0" "$W/out" || fail "preferred, node 1 full: $(cat "$W/out" "$W/err")"
grep -q "warning: no free VF on NUMA node 1 .*took one of PF pu, on an unknown node" "$W/err" ||
	fail "fallback not said: $(cat "$W/err")"

# --- --network NET --numa: the pool NET-nodeN
for n in 0 1; do
	echo "<network><name>lab-node$n</name><forward mode='hostdev' managed='yes'><pf dev='p$n'/></forward></network>" >"$W/net$n.xml"
	virsh_ net-define "$W/net$n.xml" >/dev/null || fail "net-define lab-node$n"
done
run --json attach gx --network lab --numa 0 --numa-policy required
[ "$(jq -r '.network + " " + (.numa_node | tostring)' "$W/out")" = "lab-node0 0" ] || fail "--network lab --numa 0: $(cat "$W/out" "$W/err")"
run attach g1 --network lab --numa auto --numa-policy required
[ "$rc" = 1 ] && grep -q "no free VF in pool lab-node1 (NUMA node 1); free VFs in lab-node0 (1 free)" "$W/err" ||
	fail "pool of node 1 full, required: exit $rc: $(cat "$W/err")"
run --json attach g1 --network lab --numa auto
[ "$(jq -r .network "$W/out")" = lab-node0 ] || fail "pool fallback: $(cat "$W/out" "$W/err")"
jq -e '.warnings | any(test("took pool lab-node0 on another node"))' "$W/out" >/dev/null || fail "pool fallback not said"
run attach g1 --network nolab --numa 1
[ "$rc" = 1 ] && grep -q "no pool nolab-nodeN" "$W/err" || fail "no per-node pools: exit $rc: $(cat "$W/err")"

finish "attach --numa: auto, required, preferred, unknown node, per-node pools"
