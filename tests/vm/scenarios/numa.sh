# Two NUMA nodes with one igb PF each (pxb-pcie bridges on node 0 and 1):
# the kernel's numa_node of each PF, `list` showing it per PF and per VF,
# and `attach --numa` choosing by node.  No libvirtd in this guest: attach
# runs with --dry-run against libvirt's test driver (test:///FILE, in the
# process), whose guests carry <numatune> and vCPU pinning and hold VFs by
# their <hostdev>s; the choice, the refusal and the fallback are the real
# code on the real sysfs, only libvirt's attach call is left out.
. /vs/lib.sh
load igb igbvf

expect_eq "sysfs: two NUMA nodes" "$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)" 2
PF0='' PF1=''
for n in /sys/class/net/*; do
	[ "$(dev_driver "$n/device")" = igb ] || continue
	case $(cat "$n/device/numa_node") in
	0) PF0=$(basename "$n") ;; 1) PF1=$(basename "$n") ;;
	esac
done
[ -n "$PF0" ] && [ -n "$PF1" ] || {
	fail "an igb PF on node 0 and one on node 1" "numa_node: $(cat /sys/class/net/*/device/numa_node | tr '\n' ' ')"
	exit 1
}
pass "sysfs: igb PF $PF0 on node 0, $PF1 on node 1"
for p in $PF0 $PF1; do
	$IP link set "$p" up
	check "numvfs $p 2" vs numvfs "$p" 2
done
wait_for 20 sh -c "[ \$(ls -d /sys/class/net/$PF0/device/virtfn*/net/* /sys/class/net/$PF1/device/virtfn*/net/* 2>/dev/null | wc -l) -eq 4 ]" ||
	fail "4 igbvf netdevs appeared"

# list: the node of each PF (JSON) and of each VF row (table), as sysfs says.
vs --json list >/tmp/list.json || fail "list --json" "$(vs_stderr)"
expect_eq "list --json: numa_node of $PF0 and $PF1" \
	"$(jq -r --arg a "$PF0" --arg b "$PF1" '[(.pfs[] | select(.netdev == $a) | .numa_node), (.pfs[] | select(.netdev == $b) | .numa_node)] | @tsv' /tmp/list.json)" \
	"0	1"
vs list "$PF1" >/tmp/list.txt || fail "list $PF1" "$(vs_stderr)"
vf1_0=$(basename "$(readlink -f "/sys/class/net/$PF1/device/virtfn0")")
vf1_1=$(basename "$(readlink -f "/sys/class/net/$PF1/device/virtfn1")")
expect_match "list: the VF rows of $PF1 show node 1" "$(grep -E "^ +$vf1_0 " /tmp/list.txt)" " 1 "

# xml network --numa 1: the pool of node 1's VFs only.
if vs xml network "$PF0" "$PF1" --numa 1 >/tmp/pool1.xml; then
	expect_eq "xml network $PF0 $PF1 --numa 1: $PF1's two VFs" \
		"$(grep -c '<address type="pci"' /tmp/pool1.xml) $(grep -c "function=\"0x$(echo "$vf1_0" | cut -d. -f2)\"" /tmp/pool1.xml)" "2 1"
	expect_match "xml network --numa 1: named sriov-node1" "$(cat /tmp/pool1.xml)" "<name>sriov-node1</name>"
	case $(cat /tmp/pool1.xml) in *"bus=\"0x$(echo "$vf1_0" | cut -d: -f2)\""*) pass "xml network --numa 1: on $PF1's bus" ;;
	*) fail "xml network --numa 1: on $PF1's bus" "$(cat /tmp/pool1.xml)" ;; esac
else
	fail "xml network --numa 1" "$(vs_stderr)"
fi

# Guests for libvirt's test driver: g1's memory on node 1, g0's vCPU
# pinned to CPU 0 (node 0), gx without any placement; filler, whose memory
# is on node 0, holds node 1's VFs in full.xml.
addr_xml() { # 0000:BB:SS.F -> <address .../>
	echo "$1" | sed 's/^\(....\):\(..\):\(..\)\.\(.\)$/<address domain="0x\1" bus="0x\2" slot="0x\3" function="0x\4"\/>/'
}
guests() { # extra devices of the guest "filler"
	cat <<XML
<node>
<domain type='test'><name>g1</name><memory>524288</memory><vcpu>1</vcpu>
 <numatune><memory mode='strict' nodeset='1'/></numatune><os><type arch='x86_64'>hvm</type></os></domain>
<domain type='test'><name>g0</name><memory>524288</memory><vcpu>1</vcpu>
 <cputune><vcpupin vcpu='0' cpuset='0'/></cputune><os><type arch='x86_64'>hvm</type></os></domain>
<domain type='test'><name>gx</name><memory>524288</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>
<domain type='test'><name>filler</name><memory>524288</memory><vcpu>1</vcpu>
 <numatune><memory mode='strict' nodeset='0'/></numatune><os><type arch='x86_64'>hvm</type></os>
 <devices>$1</devices></domain>
</node>
XML
}
guests '' >/tmp/free.xml
held="<hostdev mode='subsystem' type='pci' managed='yes'><source>$(addr_xml "$vf1_0")</source></hostdev>"
held="$held<hostdev mode='subsystem' type='pci' managed='yes'><source>$(addr_xml "$vf1_1")</source></hostdev>"
guests "$held" >/tmp/full.xml
export VIRT_SRIOV_STATE_DIR=/run/vs-numa

# attach URI JSON-OUT ARGS...
attach() {
	uri=$1 out=$2; shift 2
	vs -c "$uri" --json attach --dry-run "$@" >"$out"
}
pf_of() { jq -r '.pf_netdev + " " + (.numa_node | tostring)' "$1"; }

if attach test:///tmp/free.xml /tmp/a1.json g1 --numa 1 --numa-policy required; then
	expect_eq "attach --numa 1 --numa-policy required: a VF of $PF1, node 1" "$(pf_of /tmp/a1.json)" "$PF1 1"
else
	fail "attach --numa 1 --numa-policy required" "$(vs_stderr)"
fi
if attach test:///tmp/free.xml /tmp/a2.json g1 --numa auto --numa-policy required; then
	expect_eq "attach --numa auto (g1's <numatune> on node 1): $PF1" "$(pf_of /tmp/a2.json)" "$PF1 1"
else
	fail "attach --numa auto for g1" "$(vs_stderr)"
fi
if attach test:///tmp/free.xml /tmp/a3.json g0 --numa auto --numa-policy required; then
	expect_eq "attach --numa auto (g0's vCPU pinned to CPU 0, node 0): $PF0" "$(pf_of /tmp/a3.json)" "$PF0 0"
else
	fail "attach --numa auto for g0" "$(vs_stderr)"
fi
if attach test:///tmp/free.xml /tmp/a4.json gx --numa auto; then
	expect_match "attach --numa auto without placement: warned" "$(jq -r '.warnings[]' /tmp/a4.json)" \
		'neither <numatune> nor pinned vCPUs'
else
	fail "attach --numa auto for gx" "$(vs_stderr)"
fi

# Node 1's VFs both held by guest filler.
attach test:///tmp/full.xml /tmp/a5.json g1 --numa 1 --numa-policy required
expect_eq "attach --numa 1 --numa-policy required, node 1 full: exit 1" "$?" 1
expect_match "the refusal names node 1's holder and node 0's free VFs" "$(vs_stderr)" \
	"no free VF on NUMA node 1 .*held by guest filler.*free VFs on node 0"
if attach test:///tmp/full.xml /tmp/a6.json g1 --numa 1; then
	expect_eq "attach --numa 1 (preferred), node 1 full: falls back to $PF0" "$(pf_of /tmp/a6.json)" "$PF0 0"
	expect_match "the fallback is said in the warnings" "$(jq -r '.warnings[]' /tmp/a6.json)" \
		"no free VF on NUMA node 1.*took one of PF $PF0, on another node"
else
	fail "attach --numa 1 (preferred) with node 1 full" "$(vs_stderr)"
fi

# check --guests: filler's memory is on node 0, its two VFs on node 1.
vs -c test:///tmp/full.xml --json check --guests >/tmp/check.json
expect_eq "check --guests: a WARN for each of filler's VFs on node 1" \
	"$(jq -r '[.checks[] | select(.check == "numa-placement") | .status + " " + .device] | join(",")' /tmp/check.json)" \
	"WARN $vf1_0,WARN $vf1_1"
vs -c test:///tmp/free.xml --json check --guests >/tmp/check.json
expect_eq "check --guests: PASS when no guest holds a VF off its node" \
	"$(jq -r '[.checks[] | select(.check == "numa-placement") | .status] | join(",")' /tmp/check.json)" PASS

# plan: the node of each VF of a domain XML.
{ echo "<domain type='kvm'><name>p</name><uuid>6f01bc4a-9cdb-4961-8d84-fccc580270a5</uuid><memory>1</memory>"
  echo "<numatune><memory nodeset='1'/></numatune><devices>"
  echo "<hostdev mode='subsystem' type='pci' managed='yes'><source>$(addr_xml "$vf1_0")</source></hostdev>"
  echo "<hostdev mode='subsystem' type='pci' managed='yes'><source>$(addr_xml "$(basename "$(readlink -f "/sys/class/net/$PF0/device/virtfn0")")")</source></hostdev>"
  echo "</devices></domain>"; } >/tmp/p.xml
: >/tmp/empty.conf
vs plan --domain-xml /tmp/p.xml --config /tmp/empty.conf >/tmp/plan.json
expect_eq "plan: guest on node 1; $PF1's VF near, $PF0's not" \
	"$(jq -r '.numa.guest_nodes + " " + ([.numa.vfs[] | "\(.node):\(.near)"] | join(","))' /tmp/plan.json)" "1 1:true,0:false"
