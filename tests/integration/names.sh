#!/bin/sh
# Device names (vfset.h) on the generated R730 through the command line:
# a VF by full or short PCI address, by its netdev and as PF#N (with the PF
# named by netdev, full or short address); a PF by netdev and address; the
# same resolver in show, list, numvfs, vf set, bind, xml and policy set
# (libvirt's test driver, dry run: the stored element names the VF by its
# address); an unknown name lists the PFs; a short address in two domains
# is refused listing both.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need jq "scripts/deps.txt"
need_built "$VIRT_SRIOV" "$GEN"
tmpdir names tmpfs
export VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"

host_tree "$W/r730" --profile r730
VS_TREE=$W/r730
# em1 is 0000:01:00.0; its VF 3 is 0000:01:11.4, netdev em1v3
PFS="PFs: em1 (0000:01:00.0), em2 (0000:01:00.1), em3 (0000:01:00.2), em4 (0000:01:00.3), p2p1 (0000:19:00.0)"

# ---- show: every name of one VF, and of one PF ----
for name in em1v3 01:11.4 0000:01:11.4 'em1#3' '0000:01:00.0#3' '01:00.0#3'; do
	run -c test:///default show "$name"
	[ "$rc" = 0 ] || fail "show $name exited $rc: $(cat "$W/err")"
	[ "$(head -n 1 "$W/out")" = "VF 0000:01:11.4 (em1#3)" ] || fail "show $name: $(head -n 1 "$W/out")"
done
for name in em2 0000:01:00.1 01:00.1; do
	run -c test:///default show "$name"
	[ "$(head -n 1 "$W/out")" = "PF 0000:01:00.1 (em2)" ] || fail "show $name: $(head -n 1 "$W/out") $(cat "$W/err")"
done
run -c test:///default --json show em1v3
[ "$(jq -r '.vf.address + " " + .vf.pf' "$W/out")" = "0000:01:11.4 0000:01:00.0" ] || fail "show --json em1v3: $(cat "$W/out")"
# show reads only the PF it names: no warning about another PF
grep -q "em2" "$W/err" && fail "show em1v3 scanned em2: $(cat "$W/err")"

# ---- unknown names: exit 1, the value and the PFs that exist ----
expect 1 "no PF or VF named 'em9'; $PFS" -c test:///default show em9
expect 1 "no PF or VF named '01:1f.7'; $PFS" -c test:///default show 01:1f.7
expect 1 "no PF named 'em9'; $PFS" -c test:///default list em9
expect 1 "'em1v3' is VF 3 of PF em1 (0000:01:00.0); name the PF" -c test:///default list em1v3
expect 1 "no PF named 'em9'; $PFS" -c test:///default -n numvfs em9 2
expect 1 "'em9#0': no PF named 'em9'; $PFS" -n vf set 'em9#0' --trust on
expect 1 "no VF named 'em1v9'; $PFS" -n vf set em1v9 --trust on
expect 1 "no VF named 'em1v9'; $PFS" xml hostdev em1v9
expect 1 "no PF named 'em9'; $PFS" xml network em9

# ---- the other commands take the same names ----
run -c test:///default list 01:00.1
grep -q "^0000:01:00.1 " "$W/out" && ! grep -q "0000:01:00.0" "$W/out" || fail "list 01:00.1: $(cat "$W/out")"
run -c test:///default -n numvfs 01:00.1 3
grep -q "would write '3' to .*/0000:01:00.1/sriov_numvfs" "$W/out" || fail "numvfs 01:00.1: $(cat "$W/out" "$W/err")"
run -n vf set em1v3 01:10.5 --trust on
grep -q "VF 3 (0000:01:11.4)" "$W/out" && grep -q "VF 1 (0000:01:10.5)" "$W/out" ||
	fail "vf set em1v3 01:10.5: $(cat "$W/out" "$W/err")"
run -c test:///default -n bind --driver vfio-pci em2v1 '01:00.0#3'
grep -q "0000:01:10.5/driver_override" "$W/out" && grep -q "0000:01:11.4/driver_override" "$W/out" ||
	fail "bind em2v1 01:00.0#3: $(cat "$W/out" "$W/err")"
run xml hostdev em1v3
grep -q '<address domain="0x0000" bus="0x01" slot="0x11" function="0x4"/>' "$W/out" ||
	fail "xml hostdev em1v3: $(cat "$W/out" "$W/err")"
run xml network 01:00.0 --vfs 0-1
grep -q '<address type="pci" domain="0x0000" bus="0x01" slot="0x10" function="0x4"/>' "$W/out" ||
	fail "xml network 01:00.0 --vfs 0-1: $(cat "$W/out" "$W/err")"

# ---- policy set --vf: the element keeps the VF's address ----
# (the guest test:///default has none of these VFs: --force stores the rule anyway)
for name in 'em1#1' em1v1 01:10.4; do
	run -c test:///default -n policy set test --vf "$name" --trust on --config --force
	[ "$rc" = 0 ] || fail "policy set --vf $name exited $rc: $(cat "$W/err")"
	grep -q '<vsp:vf address="0000:01:10.4" trust="on"/>' "$W/out" || fail "policy set --vf $name: $(cat "$W/out")"
done
# a full address is stored as given (normalized): the VF may not exist yet
run -c test:///default -n policy set test --vf 0:A:10.1 --trust on --config --force
grep -q '<vsp:vf address="0000:0a:10.1" trust="on"/>' "$W/out" || fail "policy set --vf 0:A:10.1: $(cat "$W/out" "$W/err")"
expect 1 "no VF named 'em9'; $PFS" -c test:///default -n policy set test --vf em9 --trust on --config
expect 1 "names 2 VFs" -c test:///default -n policy set test --vf 'em1#0-1' --trust on --config

# ---- a short address in two domains ----
host_tree "$W/domains" --pf addr=0001:02:00.0,netdev=d1pf,num=1 --pf addr=0002:02:00.0,netdev=d2pf,num=1
run_on domains -c test:///default show 02:00.0
[ "$rc" = 1 ] && grep -q "'02:00.0' is in 2 PCI domains: 0001:02:00.0, 0002:02:00.0; give the full address" "$W/err" ||
	fail "show 02:00.0 on two domains: rc $rc $(cat "$W/err")"
run_on domains -c test:///default show 0002:02:00.0
[ "$(head -n 1 "$W/out")" = "PF 0002:02:00.0 (d2pf)" ] || fail "show 0002:02:00.0: $(cat "$W/out" "$W/err")"

finish "device names"
