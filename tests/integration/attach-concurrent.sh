#!/bin/sh
# Race-free attach: 20 `virt-sriov attach --pf em1` started at
# once for 20 guests, on a PF whose 20 VFs are 16 free, 1 held by another
# guest's <hostdev> and 3 on their host driver with the netdev up.  The
# private real libvirtd (libvirtd-harness.sh) must end with exactly 16
# distinct VFs in the 20 guests' persistent XML, none of them the held or
# busy ones, and the 4 others must have failed (exit 1) with the "no free
# VF on PF em1" message.  Then a holder of the attach lock killed with
# SIGKILL does not block the next attach.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need jq
need xmllint
need flock "util-linux"
tmpdir attach-conc
fail_fast=1

start_attach_fixture "$W"
VS_URI=$VS_LIBVIRT_URI

define_guest holder "$(hostdev_xml 0000:03:12.4)"
for i in $(seq 1 20); do
	define_guest "c$i"
done

pids=
for i in $(seq 1 20); do
	( vs attach "c$i" --pf em1 --json >"$W/out.$i" 2>"$W/err.$i"; echo $? >"$W/rc.$i" ) &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids

ok=0 refused=0
for i in $(seq 1 20); do
	case $(cat "$W/rc.$i") in
	0) ok=$((ok + 1)) ;;
	1) refused=$((refused + 1))
	   grep -q "no free VF on PF em1 (20 VFs: 17 held by guests .*, 3 on host driver with netdev up" "$W/err.$i" ||
		fail "c$i refused with: $(cat "$W/err.$i")" ;;
	*) fail "c$i: exit $(cat "$W/rc.$i"): $(cat "$W/err.$i")" ;;
	esac
done
echo "attached: $ok, refused: $refused"
[ $ok = 16 ] && [ $refused = 4 ] || fail "expected 16 attached and 4 refused"

: >"$W/all"
for i in $(seq 1 20); do
	got=$(guest_vfs "c$i")
	[ "$(echo "$got" | grep -c .)" -le 1 ] || fail "c$i got more than one VF: $got"
	if [ "$(cat "$W/rc.$i")" = 0 ]; then
		[ "$got" = "$(jq -r .address "$W/out.$i")" ] || fail "c$i: XML has '$got', attach said $(jq -r .address "$W/out.$i")"
	else
		[ -z "$got" ] || fail "refused c$i has $got"
	fi
	echo "$got" | grep . >>"$W/all"
done
[ "$(sort -u "$W/all" | wc -l)" = 16 ] || fail "not 16 distinct VFs: $(sort "$W/all" | uniq -c | tr '\n' ' ')"
grep -q '^0000:03:12.4$' "$W/all" && fail "the VF guest holder has was handed out"
grep -Eq '^0000:03:1(8\.4|9\.0|9\.4)$' "$W/all" && fail "a VF with its netdev up was handed out"
[ "$(guest_vfs holder)" = 0000:03:12.4 ] || fail "holder lost its VF"

# The lock: held, an attach waits and gives up with a message; a holder
# killed with SIGKILL leaves nothing that blocks the next attach.
first=$(for i in $(seq 1 20); do [ "$(cat "$W/rc.$i")" = 0 ] && echo "c$i"; done | head -n 1)
vs detach "$first" --all >/dev/null || fail "detach $first"
# the process itself holds the lock (no child of flock(1) keeping the fd)
( exec 9>"$W/state/attach.lock" && flock 9 && exec sleep 600 ) >/dev/null 2>&1 &
holder=$!
i=0
while flock -n "$W/state/attach.lock" true && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
kill -KILL "$holder"
wait "$holder" 2>/dev/null
vs attach "$first" --pf em1 >"$W/out" 2>&1 || fail "attach after a killed lock holder: $(cat "$W/out")"
finish "concurrent attach"
