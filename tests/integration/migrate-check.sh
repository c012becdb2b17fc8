#!/bin/sh
# migrate-check between two private real libvirtds (source A, destination
# B; no SR-IOV here, so B's pools cannot start): a guest without VFs can go
# (exit 0); a plain <hostdev>, a pool interface without <teaming>, a pair
# whose MACs differ are each "cannot migrate" naming the device; a failover
# pair needs the pool on B (missing, then inactive: named); both daemons
# have this machine's host UUID, so the gates are read from this host's
# virt-sriov.conf and an empty one refuses the policy's spoofchk off; bad
# arguments exit 2.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need jq
tmpdir migrate-check

start_attach_fixture "$W"
A_URI=$VS_LIBVIRT_URI A_PID=$VS_LIBVIRTD_PID
VS_LIBVIRTD_PID=
libvirtd_up "$W/dest"
B_URI=$VS_LIBVIRT_URI
stop_a() { VS_LIBVIRTD_PID=$A_PID; vs_libvirtd_stop; }
at_exit stop_a
VS_LIBVIRT_URI=$A_URI VS_URI=$A_URI

cat >"$W/pool.xml" <<EOP
<network><name>pool1</name><forward mode='hostdev' managed='yes'><pf dev='em1'/></forward></network>
EOP
virsh_ net-define "$W/pool.xml" >/dev/null || fail "net-define on A"

# check GUEST WANT-RC TEXT...: exit status and lines of stdout+stderr
check() {
	vs_g=$1 vs_want=$2
	shift 2
	vs migrate-check "$vs_g" "$B_URI" >"$W/$vs_g.out" 2>&1
	vs_rc=$?
	[ "$vs_rc" = "$vs_want" ] || fail "migrate-check $vs_g: exit $vs_rc, want $vs_want: $(cat "$W/$vs_g.out")"
	for vs_t in "$@"; do
		grep -qF -- "$vs_t" "$W/$vs_g.out" || fail "migrate-check $vs_g: no '$vs_t' in: $(cat "$W/$vs_g.out")"
	done
}

define_guest gnovf
check gnovf 0 "VF devices: none" "can migrate"

define_guest gplain "$(hostdev_xml 0000:03:10.0)"
check gplain 1 "hostdev 0000:03:10.0: cannot migrate: a plain <hostdev>" \
	"virt-sriov: guest gplain cannot migrate to"

define_guest gnoteam
vs attach gnoteam --network pool1 --mac 02:00:00:00:00:02 >/dev/null || fail "attach --network"
check gnoteam 1 "interface on pool pool1 (MAC 02:00:00:00:00:02): cannot migrate: a VF interface without <teaming type='transient'>"

define_guest gmac "<interface type='user'><mac address='02:00:00:00:00:0a'/><model type='virtio'/><teaming type='persistent'/><alias name='ua-x'/></interface><interface type='network'><mac address='02:00:00:00:00:0b'/><source network='pool1'/><teaming type='transient' persistent='ua-x'/></interface>"
check gmac 1 "the virtio half ua-x has MAC 02:00:00:00:00:0a, the VF half 02:00:00:00:00:0b"

define_guest gpair
vs attach gpair --failover pool1 --mac 02:00:00:00:00:01 >/dev/null 2>&1
[ "$(virsh_ dumpxml --inactive gpair | grep -c '<teaming')" = 2 ] || fail "attach --failover did not make the pair"
check gpair 1 "transient half of failover pair ua-failover-020000000001: ok" "no hostdev pool 'pool1' on the destination"
virsh -q -c "$B_URI" net-define "$W/pool.xml" >/dev/null || fail "net-define on B"
check gpair 1 "pool 'pool1' is not active on the destination" "host gates (spoofchk off, trust on): none"

# the policy asks spoofchk off; this host's (empty) virt-sriov.conf is B's
vs policy set gpair --guest-mac 02:00:00:00:00:01 --spoofchk off --config --force >/dev/null ||
	fail "policy set --force"
vs --json migrate-check gpair "$B_URI" >"$W/gpair.json" 2>"$W/gpair.err"
[ "$(jq -r '[.same_host, .gates, .can_migrate, .devices[0].policy.spoofchk] | join(" ")' "$W/gpair.json")" = \
	"true refused false false" ] || fail "gates on this host: $(cat "$W/gpair.json")"
jq -r .gates_message "$W/gpair.json" | grep -q "spoofchk off is not allowed" || fail "gates message: $(cat "$W/gpair.json")"
jq -r .devices[0].hook_destination "$W/gpair.json" | grep -q "port-created on pool pool1 applies spoofchk off" ||
	fail "hook steps: $(cat "$W/gpair.json")"

# bad arguments: exit 2, one line
vs migrate-check gpair >/dev/null 2>"$W/err"; [ $? = 2 ] || fail "one argument: not exit 2"
vs migrate-check gpair "$B_URI" extra >/dev/null 2>"$W/err"; [ $? = 2 ] || fail "three arguments: not exit 2"
vs migrate-check nosuch "$B_URI" >/dev/null 2>"$W/err"; [ $? = 1 ] || fail "missing guest: not exit 1"
grep -q "no guest 'nosuch'" "$W/err" || fail "missing guest message: $(cat "$W/err")"
vs migrate-check gpair "qemu:///system?socket=$W/none" >/dev/null 2>"$W/err"; [ $? = 1 ] || fail "no destination: not exit 1"
grep -q "destination qemu:///system?socket=$W/none" "$W/err" || fail "destination message: $(cat "$W/err")"

cat "$W/gpair.out"
finish "migrate-check"
