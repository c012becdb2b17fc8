#!/bin/sh
# Race-free attach (issue 6): 20 `virt-sriov attach --pf em1` started at
# once for 20 guests, on a PF whose 20 VFs are 16 free, 1 held by another
# guest's <hostdev> and 3 on their host driver with the netdev up.  The
# private real libvirtd (libvirtd-harness.sh) must end with exactly 16
# distinct VFs in the 20 guests' persistent XML, none of them the held or
# busy ones, and the 4 others must have failed (exit 1) with the "no free
# VF on PF em1" message.  Then a holder of the attach lock killed with
# SIGKILL does not block the next attach.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${VIRT_SRIOV:?}"
. "$top_srcdir/tests/integration/libvirtd-harness.sh"
. "$top_srcdir/tests/integration/lib.sh"

command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing" >&2; exit 77; }
command -v flock >/dev/null 2>&1 || { echo "SKIP: flock (util-linux) missing" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/vs-attach-conc.XXXXXX")
vs_test_cleanup() { rm -rf "$T"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

start_attach_fixture "$T"
rc=$?
[ $rc -eq 0 ] || exit $rc
virsh_() { virsh -q -c "$VS_LIBVIRT_URI" "$@"; }
vs() { "$VIRT_SRIOV" -c "$VS_LIBVIRT_URI" "$@"; }
# "dddd:bb:ss.f" of every <hostdev> source in a guest's persistent XML
vfs_of() {
	virsh_ dumpxml --inactive "$1" | tr -d '\n' | sed 's/<\/hostdev>/&\n/g' |
		sed -n "s/.*<hostdev .*<source>[^<]*<address domain='0x\([0-9a-f]*\)' bus='0x\([0-9a-f]*\)' slot='0x\([0-9a-f]*\)' function='0x\([0-9a-f]*\)'.*/\1:\2:\3.\4/p"
}

vs_libvirtd_domain_xml holder "<hostdev mode='subsystem' type='pci' managed='yes'>
  <source><address domain='0x0000' bus='0x03' slot='0x12' function='0x4'/></source></hostdev>" >"$T/holder.xml"
virsh_ define "$T/holder.xml" >/dev/null || fail "define holder"
for i in $(seq 1 20); do
	vs_libvirtd_domain_xml "c$i" "" >"$T/c$i.xml"
	virsh_ define "$T/c$i.xml" >/dev/null || fail "define c$i"
done

pids=
for i in $(seq 1 20); do
	( vs attach "c$i" --pf em1 --json >"$T/out.$i" 2>"$T/err.$i"; echo $? >"$T/rc.$i" ) &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids

ok=0 refused=0
for i in $(seq 1 20); do
	case $(cat "$T/rc.$i") in
	0) ok=$((ok + 1)) ;;
	1) refused=$((refused + 1))
	   grep -q "no free VF on PF em1 (20 VFs: 17 held by guests .*, 3 on host driver with netdev up" "$T/err.$i" ||
		fail "c$i refused with: $(cat "$T/err.$i")" ;;
	*) fail "c$i: exit $(cat "$T/rc.$i"): $(cat "$T/err.$i")" ;;
	esac
done
echo "attached: $ok, refused: $refused"
[ $ok = 16 ] && [ $refused = 4 ] || fail "expected 16 attached and 4 refused"

: >"$T/all"
for i in $(seq 1 20); do
	got=$(vfs_of "c$i")
	[ "$(echo "$got" | grep -c .)" -le 1 ] || fail "c$i got more than one VF: $got"
	if [ "$(cat "$T/rc.$i")" = 0 ]; then
		[ "$got" = "$(jq -r .address "$T/out.$i")" ] || fail "c$i: XML has '$got', attach said $(jq -r .address "$T/out.$i")"
	else
		[ -z "$got" ] || fail "refused c$i has $got"
	fi
	echo "$got" | grep . >>"$T/all"
done
[ "$(sort -u "$T/all" | wc -l)" = 16 ] || fail "not 16 distinct VFs: $(sort "$T/all" | uniq -c | tr '\n' ' ')"
grep -q '^0000:03:12.4$' "$T/all" && fail "the VF guest holder has was handed out"
grep -Eq '^0000:03:1(8\.4|9\.0|9\.4)$' "$T/all" && fail "a VF with its netdev up was handed out"
[ "$(vfs_of holder)" = 0000:03:12.4 ] || fail "holder lost its VF"

# The lock: held, an attach waits and gives up with a message; a holder
# killed with SIGKILL leaves nothing that blocks the next attach.
first=$(for i in $(seq 1 20); do [ "$(cat "$T/rc.$i")" = 0 ] && echo "c$i"; done | head -n 1)
vs detach "$first" --all >/dev/null || fail "detach $first"
# the process itself holds the lock (no child of flock(1) keeping the fd)
( exec 9>"$T/state/attach.lock" && flock 9 && exec sleep 600 ) >/dev/null 2>&1 &
holder=$!
i=0
while flock -n "$T/state/attach.lock" true && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
kill -KILL "$holder"
wait "$holder" 2>/dev/null
vs attach "$first" --pf em1 >"$T/out" 2>&1 || fail "attach after a killed lock holder: $(cat "$T/out")"
echo "concurrent attach: all checks passed"
