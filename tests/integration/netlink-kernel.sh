#!/bin/sh
# The real kernel's rtnetlink, in a private network namespace:
#  (a) RTM_GETLINK on lo and on a veth: no VF list, no crash;
#  (b) a generated tree whose PF netdev is a real veth "vpf0": every VF
#      setting that `vf set` / `vf reset` sends is answered EOPNOTSUPP (the
#      message is well formed), never EINVAL, and the error names the PF,
#      the VF and the setting; a deliberately malformed request gets EINVAL;
#  (c) with strace: one RTM_SETLINK per PF, nothing sent on a refused value
#      or a dry run.
# Skips (77) only where neither `unshare -n` nor `ip netns` works, or veth
# is missing.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

PROBE=$top_builddir/tests/unit/test-netlink-kernel
need_built "$VIRT_SRIOV" "$GEN"
IP=$(command -v ip || echo /usr/sbin/ip)

if [ "${VS_NL_INNER:-}" != 1 ]; then
	export VS_NL_INNER=1
	if unshare -n true 2>/dev/null; then
		exec unshare -n /bin/sh "$0"
	fi
	ns=vs-nl-$$
	if "$IP" netns add "$ns" 2>/dev/null; then
		"$IP" netns exec "$ns" /bin/sh "$0"
		rc=$?
		"$IP" netns del "$ns"
		exit $rc
	fi
	skip "no private network namespace (unshare -n and ip netns both failed)"
fi

# ---- inside the private namespace ----
"$IP" link set lo up
"$IP" link add vpf0 type veth peer name vpf0p 2>/dev/null || skip "cannot create a veth in the private namespace"
tmpdir netlink-kernel

# (a) and the raw-message checks, in C
if [ -x "$PROBE" ]; then
	VS_NL_VETH=vpf0 "$PROBE" >"$W/probe" 2>&1 || { cat "$W/probe"; fail "test-netlink-kernel"; }
else
	echo "note: $PROBE not built (no cmocka): raw kernel checks skipped"
fi

host_tree "$W/tree" --pf addr=0000:05:00.0,id=8086:1521,vfid=8086:1520,total=7,num=4,driver=igb,netdev=vpf0,vfdriver=vfio-pci
VS_TREE=$W/tree

# refused SETTING-TEXT ARGS...: exit 1, EOPNOTSUPP naming vpf0, VF 0 and the setting, no EINVAL
refused() {
	text=$1; shift
	expect 1 "vpf0: VF 0: $text: Operation not supported" vf "$@"
	! grep -q "Invalid argument" "$W/err" || fail "vf $*: the kernel said EINVAL (malformed request): $(cat "$W/err")"
}

refused "mac 52:54:00:00:00:01" set 'vpf0#0' --mac 52:54:00:00:00:01
refused "vlan 5 qos 0 proto 802.1Q" set 'vpf0#0-3' --vlan 5
refused "vlan 5 qos 3 proto 802.1ad" set 'vpf0#0-3' --vlan 5:3:802.1ad
refused "tx-rate min 10 max 100 Mbps" set 'vpf0#0-3' --min-tx-rate 10 --max-tx-rate 100
refused "spoofchk off" set 'vpf0#0-3' --spoofchk off
refused "trust on" set 'vpf0#0-3' --trust on
refused "link-state enable" set 'vpf0#0-3' --link-state enable
refused "query-rss on" set 'vpf0#0-3' --query-rss on
# several settings: the kernel stops at the first in its order (MAC first)
refused "mac 52:54:00:00:00:02" set 'vpf0#0' --spoofchk off --trust on --vlan 5 --mac 52:54:00:00:00:02
refused "mac 00:00:00:00:00:00" reset 'vpf0#0-3'

# the real ip(8) gets the same answer for the same request
"$IP" link set vpf0 vf 0 spoofchk off 2>"$W/err" && fail "ip link set vf on a veth succeeded"
grep -q "Operation not supported" "$W/err" || fail "ip link set vf: $(cat "$W/err")"

# JSON result of a refusal
if command -v jq >/dev/null; then
	vs --json vf set 'vpf0#0-1' --trust on >"$W/out" 2>/dev/null
	jq -e '.pfs[0].ok == false and .pfs[0].pf_netdev == "vpf0" and .dry_run == false
		and (.pfs[0].error | contains("vpf0: VF 0: trust on: Operation not supported"))
		and (.error | contains("vpf0: VF 0: trust on"))' "$W/out" >/dev/null ||
		{ cat "$W/out"; fail "JSON refusal"; }
fi

# (c) what goes on the wire, counted by strace
if command -v strace >/dev/null; then
	sends() { # ARGS...: number of RTM_SETLINK and RTM_GETLINK requests sent
		strace -f -qq -e trace=sendto,sendmsg -o "$W/trace" \
			"$VIRT_SRIOV" --sysfs-root "$W/tree" "$@" >/dev/null 2>&1
		echo "$(grep -c RTM_SETLINK "$W/trace") $(grep -c RTM_GETLINK "$W/trace")"
	}
	# RTM_GETLINK for the current values, one RTM_SETLINK for the 4 VFs,
	# RTM_GETLINK to read back after the refusal
	got=$(sends vf set 'vpf0#0-3' --spoofchk off --trust on)
	[ "$got" = "1 2" ] || fail "vf set of 4 VFs: want 1 RTM_SETLINK and 2 RTM_GETLINK (before, read-back), got $got"
	got=$(sends vf set 'vpf0#0-3' --vlan 5000)
	[ "$got" = "0 0" ] || fail "refused value: something was sent ($got)"
	got=$(sends vf set 'vpf0#0-3' --mac 52:54:00:00:00:01)
	[ "$got" = "0 0" ] || fail "usage error: something was sent ($got)"
	got=$(sends -n vf set 'vpf0#0-3' --trust on)
	[ "$got" = "0 0" ] || fail "dry run: something was sent ($got)"
else
	echo "note: strace missing, request counts not checked"
fi

finish "real rtnetlink: well-formed VF requests answered EOPNOTSUPP, malformed EINVAL"
