#!/bin/sh
# The hook and representors, on the real kernel in a private network
# namespace: a veth stands for the representor of VF 0000:00:1f.1 (a small
# sysfs tree gives it the VF's switch id and port name pf0vf0, and the VF
# its PF), a real Linux bridge and, when ovsdb-server is installed, a real
# Open vSwitch database.  prepare brings the representor up and into the
# bridge the guest's policy (or the PF's [pf] section) names; release takes
# it out; a bridge that does not exist refuses the start, naming VF,
# representor and bridge.  Skips (77) without `unshare -n` or veth.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

HOOK=$top_builddir/virt-sriov-hook
need_built "$HOOK"
IP=$(command -v ip || echo /usr/sbin/ip)
if [ "${VS_REP_INNER:-}" != 1 ]; then
	unshare -n true 2>/dev/null || skip "no unshare -n (needs root)"
	VS_REP_INNER=1 exec unshare -n /bin/sh "$0"
fi
"$IP" link add rep0 type veth peer name rep0p 2>/dev/null || skip "no veth"
"$IP" link add br0 type bridge || skip "no Linux bridge"
"$IP" link set br0 up

tmpdir rep
T=$W/tree
D=$T/sys/bus/pci/devices
mkdir -p "$D/0000:00:1f.0/net/pf0nd" "$D/0000:00:1f.1" "$T/sys/class/net/pf0nd" "$T/sys/class/net/rep0"
echo 0x15b3 >"$D/0000:00:1f.0/vendor"
echo 0x101d >"$D/0000:00:1f.0/device"
ln -s ../0000:00:1f.1 "$D/0000:00:1f.0/virtfn0"
ln -s ../0000:00:1f.0 "$D/0000:00:1f.1/physfn"
for n in pf0nd rep0; do echo 00154d0001 >"$T/sys/class/net/$n/phys_switch_id"; done
echo p0 >"$T/sys/class/net/pf0nd/phys_port_name"
echo pf0vf0 >"$T/sys/class/net/rep0/phys_port_name"

UUID=4b1f5a70-93a1-4a4e-9b43-5b7c61e0a001
# domain XML with a policy rule ($1: its attributes)
domain() {
	cat <<XML
<domain type='kvm'><name>g1</name><uuid>$UUID</uuid>
<metadata><vsp:policy xmlns:vsp='https://virt-sriov.org/xmlns/policy/1'>$1</vsp:policy></metadata>
<devices><hostdev mode='subsystem' type='pci' managed='yes'><source>
<address domain='0x0000' bus='0x00' slot='0x1f' function='0x1'/></source></hostdev></devices></domain>
XML
}
CONF=$W/none.conf
hook() {
	env -i LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/ VIRT_SRIOV_SYSFS_ROOT="$T" VIRT_SRIOV_HOOK_LOG="$W/hook.log" \
		VIRT_SRIOV_STATE_DIR="$W/state" VIRT_SRIOV_CONF="$CONF" VIRT_SRIOV_OVSDB_SOCK="$W/db.sock" \
		"$HOOK" g1 "$1" "$2" - <"$3" >"$W/out" 2>"$W/err"
}
# (this namespace's /sys is the parent's: ip tells)
master() { "$IP" -o link show dev "$1" | sed -n 's/.* master \([^ ]*\) .*/\1/p'; }
is_up() { "$IP" -o link show dev "$1" | grep -Eq '<([^>]*,)?UP[,>]'; }
state=$W/state/$UUID.json

domain "<vsp:vf bridge='br0'/>" >"$W/br0.xml"
if hook prepare begin "$W/br0.xml"; then pass "prepare with bridge='br0'"; else fail "prepare" "$(cat "$W/err")"; fi
is_up rep0 && pass "representor up" || fail "representor up"
[ "$(master rep0)" = br0 ] && pass "representor in br0" || fail "representor in br0" "$(master rep0)"
grep -q "prepare: guest 'g1': VF 0000:00:1f.1: representor rep0 up, in br0" "$W/hook.log" &&
	pass "logged: representor up, in br0" || fail "logged: representor up, in br0" "$(cat "$W/hook.log")"
[ "$(jq -r '.representors[0] | .netdev + " " + .bridge + " " + .bridge_kind' "$state")" = "rep0 br0 linux" ] &&
	pass "state file keeps it" || fail "state file keeps it" "$(cat "$state")"
if hook release end "$W/br0.xml"; then pass "release"; else fail "release" "$(cat "$W/err")"; fi
[ -z "$(master rep0)" ] && pass "representor out of br0" || fail "representor out of br0" "$(master rep0)"
grep -q "release: guest 'g1': VF 0000:00:1f.1: representor rep0 out of br0" "$W/hook.log" &&
	pass "logged: representor out of br0" || fail "logged: representor out of br0" "$(cat "$W/hook.log")"
[ ! -e "$state" ] && pass "state file gone" || fail "state file gone" "$(cat "$state")"

# g1's release never ran, and g2 gets the VF: g2 takes the representor
# over, and g1's late release must not take it out of g2's bridge.
hook prepare begin "$W/br0.xml" || fail "g1 prepare" "$(cat "$W/err")"
UUID1=$UUID
UUID=4b1f5a70-93a1-4a4e-9b43-5b7c61e0a002
domain "<vsp:vf bridge='br0'/>" >"$W/g2.xml"
hook prepare begin "$W/g2.xml" || fail "g2 prepare" "$(cat "$W/err")"
# (its policy stays, as for VFs taken over)
[ "$(jq '.representors // [] | length' "$W/state/$UUID1.json")" = 0 ] &&
	pass "g1's claim on the representor taken over by g2" ||
	fail "g1's claim on the representor taken over by g2" "$(cat "$W/state/$UUID1.json")"
UUID=$UUID1
hook release end "$W/br0.xml" || fail "g1 late release" "$(cat "$W/err")"
[ "$(master rep0)" = br0 ] && pass "g1's late release leaves g2's representor in br0" ||
	fail "g1's late release leaves g2's representor in br0" "$(master rep0)"
UUID=4b1f5a70-93a1-4a4e-9b43-5b7c61e0a002
hook release end "$W/g2.xml" || fail "g2 release" "$(cat "$W/err")"
[ -z "$(master rep0)" ] && pass "g2's release takes it out" || fail "g2's release takes it out" "$(master rep0)"
UUID=$UUID1

# A bridge that does not exist: the start is refused, and nothing is left.
"$IP" link set rep0 down
domain "<vsp:vf bridge='br9'/>" >"$W/br9.xml"
if hook prepare begin "$W/br9.xml"; then
	fail "a missing bridge refuses the start" "exit 0"
else
	expect_match() { case $2 in *$3*) pass "$1" ;; *) fail "$1" "$2" ;; esac; }
	expect_match "the refusal names VF, representor and bridge" "$(cat "$W/err")" \
		"VF 0000:00:1f.1: representor rep0 cannot join Linux bridge br9: rep0: bridge br9 does not exist"
fi
[ ! -e "$state" ] && pass "no state file after a refusal" || fail "no state file after a refusal"

# The PF's own default, from virt-sriov.conf: [pf pf0nd] representor-bridge
CONF=$W/pf.conf
printf '[pf pf0nd]\nrepresentor-bridge = br0\n' >"$CONF"
chmod 600 "$CONF"
domain "" >"$W/plain.xml"
if hook prepare begin "$W/plain.xml"; then pass "prepare, bridge from [pf]"; else fail "prepare [pf]" "$(cat "$W/err")"; fi
[ "$(master rep0)" = br0 ] && pass "[pf] representor-bridge: in br0" || fail "[pf] representor-bridge: in br0"
# an admin moved it meanwhile: release leaves it where it is now
"$IP" link add br1 type bridge
"$IP" link set rep0 master br1
hook release end "$W/plain.xml" || fail "release [pf]" "$(cat "$W/err")"
[ "$(master rep0)" = br1 ] && pass "release leaves a representor moved to another bridge" ||
	fail "release leaves a representor moved to another bridge" "$(master rep0)"
"$IP" link set rep0 nomaster
CONF=$W/none.conf

# Open vSwitch: the database alone (no ovs-vswitchd): a port in br-int.
PATH=$PATH:/usr/sbin:/sbin
if command -v ovsdb-server >/dev/null && command -v ovs-vsctl >/dev/null &&
	[ -f /usr/share/openvswitch/vswitch.ovsschema ]; then
	ovsdb-tool create "$W/conf.db" /usr/share/openvswitch/vswitch.ovsschema
	ovsdb-server "$W/conf.db" --remote="punix:$W/db.sock" --no-chdir --pidfile="$W/ovsdb.pid" \
		--unixctl="$W/ovsdb.ctl" --log-file="$W/ovsdb.log" --detach
	at_exit "kill \$(cat '$W/ovsdb.pid' 2>/dev/null) 2>/dev/null"
	vsctl() { ovs-vsctl --db="unix:$W/db.sock" --no-wait "$@"; }
	vsctl init
	vsctl add-br br-int
	domain "<vsp:vf ovs-bridge='br-int'/>" >"$W/ovs.xml"
	if hook prepare begin "$W/ovs.xml"; then pass "prepare with ovs-bridge='br-int'"; else fail "prepare ovs" "$(cat "$W/err")"; fi
	[ "$(vsctl list-ports br-int)" = rep0 ] && pass "ovs-vsctl: rep0 in br-int" || fail "ovs-vsctl: rep0 in br-int"
	hook release end "$W/ovs.xml" || fail "release ovs" "$(cat "$W/err")"
	[ -z "$(vsctl list-ports br-int)" ] && pass "ovs-vsctl: br-int empty after release" ||
		fail "ovs-vsctl: br-int empty after release"
	domain "<vsp:vf ovs-bridge='br-nope'/>" >"$W/ovs9.xml"
	if hook prepare begin "$W/ovs9.xml"; then fail "a missing OVS bridge refuses the start"; else
		case $(cat "$W/err") in *"VF 0000:00:1f.1: representor rep0 cannot join Open vSwitch bridge br-nope"*"does not exist"*)
			pass "the OVS refusal names VF, representor and bridge" ;;
		*) fail "the OVS refusal names VF, representor and bridge" "$(cat "$W/err")" ;; esac
	fi
else
	echo "SKIP: no ovsdb-server: the Open vSwitch part" >&2
fi
finish "representors and bridges through the hook"
