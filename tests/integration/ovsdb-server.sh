#!/bin/sh
# ovsdb.c against a real ovsdb-server (Debian's openvswitch-common /
# openvswitch-switch; no ovs-vswitchd needed for the database alone), in a
# temp dir: a port added to a bridge and taken out again, each read back
# with ovs-vsctl; a missing bridge, a port in another bridge, hw-offload
# off then on; the errors name bridge and port.  Skips (77) without the
# binaries.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

TOOL=$top_builddir/tests/tools/vs-ovsdb
need_built "$TOOL"
PATH=$PATH:/usr/sbin:/sbin
need ovsdb-server openvswitch-switch
need ovsdb-tool openvswitch-common
need ovs-vsctl openvswitch-switch
SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
[ -f "$SCHEMA" ] || skip "$SCHEMA missing (openvswitch-common)"

tmpdir ovsdb
SOCK=$W/db.sock
ovsdb-tool create "$W/conf.db" "$SCHEMA" || { fail "ovsdb-tool create"; finish; }
ovsdb-server "$W/conf.db" --remote="punix:$SOCK" --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
	--no-chdir --pidfile="$W/ovsdb.pid" --unixctl="$W/ovsdb.ctl" --log-file="$W/ovsdb.log" --detach ||
	{ fail "ovsdb-server started" ; finish; }
at_exit "kill \$(cat '$W/ovsdb.pid' 2>/dev/null) 2>/dev/null"
vsctl() { ovs-vsctl --db="unix:$SOCK" --no-wait "$@"; }
vsctl init
vsctl add-br br-int
vsctl add-br br-ex

ports() { vsctl list-ports "$1" | tr '\n' ' '; }

if "$TOOL" "$SOCK" add br-int rep0 2>"$W/err"; then pass "add rep0 to br-int"; else fail "add rep0 to br-int" "$(cat "$W/err")"; fi
[ "$(ports br-int)" = "rep0 " ] && pass "ovs-vsctl: br-int has rep0" || fail "ovs-vsctl: br-int has rep0" "$(ports br-int)"
[ "$(vsctl get Interface rep0 name | tr -d '"')" = rep0 ] && pass "ovs-vsctl: Interface rep0" ||
	fail "ovs-vsctl: Interface rep0" "$(vsctl get Interface rep0 name 2>&1)"
if "$TOOL" "$SOCK" add br-int rep0 2>"$W/err"; then pass "add again: nothing to do"; else fail "add again" "$(cat "$W/err")"; fi
[ "$(ports br-int)" = "rep0 " ] && pass "still one rep0" || fail "still one rep0" "$(ports br-int)"
expect_cmd 1 "port rep0 is in bridge br-int already, not in br-ex" "$TOOL" "$SOCK" add br-ex rep0
expect_cmd 1 "bridge br-nope does not exist (port rep1 not added)" "$TOOL" "$SOCK" add br-nope rep1
[ -z "$(vsctl --columns=name find Port name=rep1)" ] && pass "no Port row left for rep1" || fail "no Port row left for rep1"
expect_cmd 1 "bridge br-ex has no port rep0: it is in bridge br-int" "$TOOL" "$SOCK" del br-ex rep0
if "$TOOL" "$SOCK" del br-int rep0 2>"$W/err"; then pass "del rep0 from br-int"; else fail "del rep0" "$(cat "$W/err")"; fi
[ -z "$(ports br-int)" ] && pass "ovs-vsctl: br-int has no port" || fail "ovs-vsctl: br-int has no port" "$(ports br-int)"
[ -z "$(vsctl --columns=name find Interface name=rep0)" ] && pass "Interface rep0 gone" || fail "Interface rep0 gone"
expect_cmd 1 "bridge br-int has no port rep0" "$TOOL" "$SOCK" del br-int rep0

[ "$("$TOOL" "$SOCK" hw-offload)" = off ] && pass "hw-offload off by default" || fail "hw-offload off by default"
# check: a [pf] that sends representors to an OVS bridge, on this host
need_built "$VIRT_SRIOV"
printf '[pf ens1f0]\nrepresentor-ovs-bridge = br-int\n' >"$W/virt-sriov.conf"
chmod 600 "$W/virt-sriov.conf"
ovs_check() {
	VIRT_SRIOV_CONF=$W/virt-sriov.conf VIRT_SRIOV_OVSDB_SOCK=$SOCK "$VIRT_SRIOV" --json check >"$W/check.json" 2>/dev/null
	jq -r '[.checks[] | select(.check == "ovs-hw-offload") | .status + " " + .message] | join(",")' "$W/check.json"
}
case $(ovs_check) in
"WARN OVS hw-offload is off"*"br-int ([pf ens1f0] of $W/virt-sriov.conf)"*) pass "check: hw-offload off, named" ;;
*) fail "check: hw-offload off, named" "$(ovs_check)" ;;
esac
vsctl set Open_vSwitch . other_config:hw-offload=true
[ "$("$TOOL" "$SOCK" hw-offload)" = on ] && pass "hw-offload on once set" || fail "hw-offload on once set"
case $(ovs_check) in "PASS "*) pass "check: hw-offload on" ;; *) fail "check: hw-offload on" "$(ovs_check)" ;; esac
kill "$(cat "$W/ovsdb.pid")"
sleep 0.2
case $(ovs_check) in "WARN "*"cannot be read"*) pass "check: no ovsdb, said so" ;;
*) fail "check: no ovsdb, said so" "$(ovs_check)" ;; esac
expect_cmd 1 "$W/none.sock" "$TOOL" "$W/none.sock" hw-offload
finish "ovsdb client against ovsdb-server"
