#!/bin/sh
# vf set / vf reset on a generated tree, without touching the kernel:
# usage errors exit 2, refused values exit 1 with a message naming the PF,
# the VF and the value, and --dry-run shows the request per PF, VF and
# attribute (text and JSON).  Whether anything is sent is proven against
# the real kernel in netlink-kernel.sh (strace).
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
tmpdir vf-cli

host_tree "$W/tree" --pf addr=0000:05:00.0,id=8086:1521,vfid=8086:1520,total=7,num=4,driver=igb,netdev=vpf0,vfdriver=vfio-pci \
	--pf addr=0000:06:00.0,id=8086:1521,vfid=8086:1520,total=7,num=2,driver=igb,netdev=vpf1 \
	--profile nvme
VS_TREE=$W/tree

# expect RC TEXT ARGS... (lib.sh): exit status RC and TEXT in stderr

# usage errors: 2
expect 2 "vf: expected a verb: set, reset" vf
expect 2 "vf: unknown verb 'frob'" vf frob vpf0#0
expect 2 "expected a VFSET" vf set --trust on
expect 2 "no setting given" vf set 'vpf0#0'
expect 2 "--spoofchk maybe: expected on or off" vf set 'vpf0#0' --spoofchk maybe
expect 2 "--link-state up" vf set 'vpf0#0' --link-state up
expect 2 "--vlan 5:1:qinq: protocol qinq: expected 802.1Q or 802.1ad" vf set 'vpf0#0' --vlan 5:1:qinq
expect 2 "--trust maybe: expected on or off" vf set 'vpf0#0' --trust maybe
expect 2 "--mac zz" vf set 'vpf0#0' --mac zz
expect 2 "vf reset: unrecognized option '--trust'" vf reset 'vpf0#0' --trust on
expect 2 "--mac names 4 VFs" vf set 'vpf0#0-3' --mac 52:54:00:00:00:01
expect 2 "'x' is not a VF index" vf set 'vpf0#x' --trust on

# out-of-range values and settings that contradict each other: usage
# errors (2), refused before any device is looked at, naming option and value
expect 2 "vf set: --vlan 4095: out of range (0-4094)" vf set 'vpf0#0-3' --vlan 4095
expect 2 "vf set: --vlan 5:8: QoS 8: out of range (0-7)" vf set 'vpf0#1' --vlan 5:8
expect 2 "vf set: --vlan 0 with QoS 3: QoS needs a VLAN ID other than 0" vf set 'vpf0#2' --vlan 0:3
expect 2 "vf set: --mac 01:00:5e:00:00:01: multicast MAC" vf set 'vpf0#0' --mac 01:00:5e:00:00:01
expect 2 "vf set: --mac 00:00:00:00:00:00: all-zero MAC" vf set 'vpf0#3' --mac 00:00:00:00:00:00
expect 2 "vf set: --min-tx-rate 500 above --max-tx-rate 100" vf set 'vpf0#0' --min-tx-rate 500 --max-tx-rate 100
expect 2 "--max-tx-rate -5: out of range" vf set 'vpf0#0' --max-tx-rate -5

# refused by the host: 1, naming PF, VF and value
expect 1 "there is no VF 4" vf set 'vpf0#4' --trust on
expect 1 "has no netdev" vf set '0000:5e:00.0#0' --trust on

# dry run, text: one request per PF, one line per VF attribute
vs -n vf set 'vpf0#0-3' 'vpf1#1' --spoofchk off --trust on --vlan 7:2:802.1ad \
	>"$W/out" 2>"$W/err" || fail "dry run exit $?: $(cat "$W/err")"
[ "$(grep -c 'RTM_SETLINK' "$W/out")" = 2 ] || { cat "$W/out"; fail "dry run: want 2 requests"; }
[ "$(grep -c 'IFLA_VF_SPOOFCHK *spoofchk off' "$W/out")" = 5 ] || fail "dry run: want 5 IFLA_VF_SPOOFCHK"
[ "$(grep -c 'IFLA_VF_VLAN_LIST *vlan 7 qos 2 proto 802.1ad' "$W/out")" = 5 ] || fail "dry run: want 5 IFLA_VF_VLAN_LIST"
grep -q '^vpf1 (0000:06:00.0): RTM_SETLINK, one IFLA_VFINFO_LIST with 1 IFLA_VF_INFO' "$W/out" || fail "dry run: vpf1 header"
grep -q 'nothing sent' "$W/out" || fail "dry run does not say nothing was sent"

# vf reset dry run: the defaults
vs -n vf reset 'vpf0#2' >"$W/out" 2>"$W/err"
for want in 'IFLA_VF_MAC *mac 00:00:00:00:00:00' 'IFLA_VF_VLAN *vlan 0 qos 0' 'IFLA_VF_RATE *tx-rate min 0 max 0' \
	'IFLA_VF_SPOOFCHK *spoofchk on' 'IFLA_VF_LINK_STATE *link-state auto' 'IFLA_VF_TRUST *trust off'; do
	grep -q "$want" "$W/out" || { cat "$W/out"; fail "reset dry run lacks '$want'"; }
done

# dry run, JSON
if command -v jq >/dev/null; then
	vs --json -n vf set 'vpf0#1,3' --trust on --max-tx-rate 100 --min-tx-rate 10 >"$W/out" 2>"$W/err"
	jq -e '.version == 1 and .dry_run == true and (.pfs | length) == 1 and .pfs[0].pf_netdev == "vpf0"
		and .pfs[0].pf == "0000:05:00.0" and ([.pfs[0].vfs[].index] == [1, 3])
		and (.pfs[0].vfs[0].attributes == ["IFLA_VF_RATE", "IFLA_VF_TRUST"])
		and .pfs[0].vfs[0].settings == {"trust": true, "min_tx_rate": 10, "max_tx_rate": 100}' "$W/out" >/dev/null ||
		{ cat "$W/out" "$W/err"; fail "dry run JSON"; }
else
	echo "note: jq missing, JSON dry run not checked"
fi

# netdevsim: PF#range by number, all 256 VFs in one request
host_tree "$W/nsim" --netdevsim 1,numvfs=256,netdev=nsim9
VS_TREE=$W/nsim
vs -n vf set 'nsim9#0-255' --spoofchk off --trust on >"$W/out" 2>"$W/err" ||
	fail "netdevsim dry run: $(cat "$W/err")"
grep -q 'nsim9 (netdevsim1): RTM_SETLINK, one IFLA_VFINFO_LIST with 256 IFLA_VF_INFO' "$W/out" &&
	[ "$(grep -c 'IFLA_VF_TRUST *trust on' "$W/out")" = 256 ] ||
	fail "netdevsim dry run: $(head -3 "$W/out")"
vs -n vf set 'nsim9#256' --trust on >/dev/null 2>"$W/err" &&
	fail "netdevsim VF 256 accepted"
grep -q "nsim9" "$W/err" || fail "netdevsim VF 256: $(cat "$W/err")"

# help: `help`, `help vf` and `vf --help` exit 0; `help COMMAND` prints what
# `COMMAND --help` prints, for every command of the table
vs help >"$W/help" 2>"$W/err" && grep -q '^  vf ' "$W/help" || fail "help: $(cat "$W/err")"
vs help vf >"$W/help-vf" 2>"$W/err" || fail "help vf: exit $?: $(cat "$W/err")"
vs vf --help >"$W/vf-help" 2>"$W/err" || fail "vf --help: exit $?: $(cat "$W/err")"
grep -q '^Usage: .* vf set VFSET' "$W/vf-help" && cmp -s "$W/help-vf" "$W/vf-help" || fail "help vf and vf --help differ"
for cmd in $(sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' "$W/help"); do
	vs help "$cmd" >"$W/h1" 2>&1 || fail "help $cmd: exit $?: $(cat "$W/h1")"
	vs "$cmd" --help >"$W/h2" 2>&1 || fail "$cmd --help: exit $?: $(cat "$W/h2")"
	[ -s "$W/h1" ] && cmp -s "$W/h1" "$W/h2" || fail "help $cmd and $cmd --help differ"
done
expect 2 "unknown command 'frob'" help frob
# the settings' usage comes from vfconfig's table: every command that takes
# settings lists all of them
for cmd in vf attach policy; do
	vs "$cmd" --help >"$W/h1" 2>&1
	for opt in mac vlan qos vlan-proto spoofchk trust link-state min-tx-rate max-tx-rate query-rss; do
		grep -q -- "--$opt " "$W/h1" || fail "$cmd --help does not list --$opt"
	done
done

finish "vf set/reset usage, validation and dry run; help"
