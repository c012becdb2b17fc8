#!/bin/sh
# `virt-sriov list --json` on the generated R730 with libvirt's test driver:
# every field scripts may rely on (PF_FIELDS and VF_FIELDS below) is
# present with its type, IDs are lowercase hex without 0x, VFs come in
# index order, warnings are one line each on stderr and in "warnings"; a
# libvirt that cannot be reached leaves in_use_by null with one warning and
# exit 0; exit codes 1 (bad PF) and 2 (bad usage); `show` of a PF and a VF;
# VF settings of an NVMe PF are not applicable (absent, "-"), not unknown
# (null, "?").  With --json the warnings are in "warnings" only, not on stderr.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need jq "scripts/deps.txt"
need_built "$GEN" "$VIRT_SRIOV"

tmpdir list-json tmpfs
host_tree "$W/r730" --profile r730
VS_TREE=$W/r730

# ---- structure ----
vs -c test:///default --json list >"$W/out.json" 2>"$W/err" || fail "list --json exited $?"
jq -e . "$W/out.json" >/dev/null || fail "list --json is not JSON"

# key:type pairs; "s?" string or null, "n?" number or null, "b?" boolean or null
PF_FIELDS='address:s netdev:s? driver:s? vendor_id:s? device_id:s? vendor:s? device:s?
numa_node:n? iommu_group:n? totalvfs:n? numvfs:n? vf_device_id:s? vfs:a'
VF_FIELDS='index:n address:s driver:s? netdev:s? iommu_group:n? mac:s? vlan:n? qos:n?
spoofchk:b? trust:b? link_state:s? min_tx_rate:n? max_tx_rate:n? in_use_by:s?'

type_filter() { # KEY:TYPE -> jq boolean expression on "."
	k=${1%%:*} t=${1#*:}
	case $t in
	s) echo "(has(\"$k\") and (.\"$k\"|type==\"string\"))" ;;
	s\?) echo "(has(\"$k\") and (.\"$k\"|type==\"string\" or type==\"null\"))" ;;
	n) echo "(has(\"$k\") and (.\"$k\"|type==\"number\"))" ;;
	n\?) echo "(has(\"$k\") and (.\"$k\"|type==\"number\" or type==\"null\"))" ;;
	b\?) echo "(has(\"$k\") and (.\"$k\"|type==\"boolean\" or type==\"null\"))" ;;
	a) echo "(has(\"$k\") and (.\"$k\"|type==\"array\"))" ;;
	esac
}
check_fields() { # WHAT JQ-PATH FIELDS
	for kt in $3; do
		f=$(type_filter "$kt")
		bad=$(jq -r "[$2 | select(($f)|not) | .address] | join(\" \")" "$W/out.json")
		[ -z "$bad" ] || fail "$1 field ${kt%%:*} missing or not ${kt#*:} in: $bad"
	done
}
check_fields PF '.pfs[]' "$PF_FIELDS"
check_fields VF '.pfs[].vfs[]' "$VF_FIELDS"

n=$(jq '.pfs | length' "$W/out.json")
[ "$n" = 6 ] || fail "expected the 6 PFs of the R730 (SATA excluded), got $n"
jq -e '[.pfs[] | .vendor_id, .device_id, .vf_device_id] | all(test("^[0-9a-f]{4}$"))' "$W/out.json" >/dev/null ||
	fail "IDs are not 4 lowercase hex digits without 0x"
jq -e '.pfs[] | select(.netdev == "em1") | .vendor == "Intel Corporation" and .device_id == "1521"
	and .totalvfs == 7 and .numvfs == 7 and .vf_device_id == "1520" and (.vfs | length) == 7
	and ([.vfs[].index] == [0,1,2,3,4,5,6]) and .vfs[1].address == "0000:01:10.4"' "$W/out.json" >/dev/null ||
	fail "em1 does not have the R730's numbers: $(jq -c '.pfs[0] | del(.vfs)' "$W/out.json")"
jq -e '.pfs[] | select(.netdev == "p2p1") | .numa_node == 1 and .vfs[0].driver == "vfio-pci" and .vfs[0].netdev == null' \
	"$W/out.json" >/dev/null || fail "p2p1: NUMA node or vfio-pci VF wrong"
# test:///default answers: usage known, no VF is used there
jq -e '.usage_known == true and ([.pfs[].vfs[].in_use_by] | all(. == null))' "$W/out.json" >/dev/null ||
	fail "in_use_by with test:///default"

# ---- warnings: the tree's netdevs are not in this kernel: settings null, never silently ----
jq -e '[.pfs[] | select(.numvfs > 0) | .complete] | all(. == false)' "$W/out.json" >/dev/null ||
	fail "PFs with VFs whose settings cannot be read are not marked incomplete"
jq -e '[.pfs[] | select(.numvfs > 0) | .vfs[] | .mac, .spoofchk, .trust] | all(. == null)' "$W/out.json" >/dev/null ||
	fail "unknown VF settings are not null"
nw=$(jq '.warnings | length' "$W/out.json")
ne=$(grep -c '^virt-sriov: warning: ' "$W/err" || true)
[ "$nw" -ge 3 ] && [ "$ne" = 0 ] || fail "warnings: $nw in JSON (want >= 3), $ne on stderr (want 0): $(cat "$W/err")"
jq -e '.version == 1 and (.warnings | any(test("em1.*0000:01:00.0|0000:01:00.0.*em1")))' "$W/out.json" >/dev/null ||
	fail "no warning names em1: $(jq -c .warnings "$W/out.json")"
vs -c test:///default list >/dev/null 2>"$W/err"
[ "$(grep -c '^virt-sriov: warning: ' "$W/err")" = "$nw" ] || fail "without --json the $nw warnings are not on stderr"

# ---- libvirt unreachable: in_use_by null, one warning, rest printed, exit 0 ----
vs -c test:///nonexistent/vs-test.xml --json list >"$W/nolv.json" 2>"$W/nolv.err" ||
	fail "list exits $? when libvirt cannot be reached"
jq -e '.usage_known == false and (.pfs | length) == 6 and ([.pfs[].vfs[].in_use_by] | all(. == null))' \
	"$W/nolv.json" >/dev/null || fail "libvirt unreachable: not usage_known=false with 6 PFs"
[ "$(jq '[.warnings[] | select(test("cannot connect to test:///nonexistent/vs-test.xml.*in_use_by unknown"))] | length' "$W/nolv.json")" = 1 ] ||
	fail "libvirt unreachable: not exactly one warning: $(jq -c .warnings "$W/nolv.json")"

# ---- filters, table, show ----
vs -c test:///default --json list em2 0000:19:00.0 2>/dev/null >"$W/two.json" || fail "list em2 0000:19:00.0 exited $?"
[ "$(jq -r '[.pfs[].netdev] | join(",")' "$W/two.json")" = "em2,p2p1" ] || fail "list em2 0000:19:00.0: wrong PFs"
vs -c test:///default list >"$W/table" 2>/dev/null || fail "list (table) exited $?"
grep -q '^0000:01:00.0 .* em1 ' "$W/table" && grep -q '^  0000:01:10.4 ' "$W/table" ||
	fail "table lacks PF row or indented VF row: $(head -3 "$W/table")"
vs -c test:///default --json show em1#1 2>/dev/null >"$W/vf.json" || fail "show em1#1 exited $?"
jq -e '.vf | .address == "0000:01:10.4" and .index == 1 and .pf == "0000:01:00.0"' "$W/vf.json" >/dev/null ||
	fail "show em1#1: $(cat "$W/vf.json")"
vs -c test:///default show 0000:19:00.0 >"$W/pf.txt" 2>/dev/null || fail "show 0000:19:00.0 exited $?"
grep -q '82599ES' "$W/pf.txt" || fail "show PF does not name the device"

# ---- exit codes ----
# exit status, and something on stderr
expect 1 "" -c test:///default list em9
grep -q "em9" "$W/err" || fail "list em9: error does not name em9"
expect 1 "" -c test:///default list 0000:00:1f.2
grep -q "not an SR-IOV PF" "$W/err" || fail "list 0000:00:1f.2: $(cat "$W/err")"
expect 2 "" -c test:///default list --bogus
expect 2 "" -c test:///default show
expect 1 "" -c test:///default show 'em1#7'
grep -q "em1" "$W/err" && grep -q "7" "$W/err" || fail "show em1#7: $(cat "$W/err")"

# ---- netdevsim: a PF that is no PCI device, 1024 VFs without addresses ----
host_tree "$W/nsim" --netdevsim 1,numvfs=1024,netdev=nsim9,max=1024
run_on nsim -c test:///default --json list nsim9
[ $rc -eq 0 ] || fail "list nsim9: exit $rc: $(cat "$W/err")"
jq -e '.pfs | length == 1' "$W/out" >/dev/null || fail "list nsim9: not one PF"
jq -e '.pfs[0] | .address == "netdevsim1" and .pci == false and .netdev == "nsim9" and .numvfs == 1024
	and .totalvfs == 1024 and (.vfs | length) == 1024 and .complete == false' "$W/out" >/dev/null ||
	fail "list nsim9: PF fields: $(jq -c '.pfs[0] | del(.vfs)' "$W/out")"
jq -e '[.pfs[0].vfs[] | select(.address == null and .config_known == false and .trust == null)] | length == 1024' \
	"$W/out" >/dev/null || fail "list nsim9: VFs without address, settings unknown"
jq -e '[.pfs[0].vfs[].index] == [range(0; 1024)]' "$W/out" >/dev/null || fail "list nsim9: VF indexes"
# no such netdev in this kernel: the warning names the PF and how many VFs
jq -e '.warnings | any(test("nsim9 \\(netdevsim1\\).*1024 VFs"))' "$W/out" >/dev/null ||
	fail "list nsim9: warning: $(jq -c .warnings "$W/out")"

# ---- NVMe: VF settings do not apply (absent, "-"), which is not unknown (null, "?") ----
host_tree "$W/nvme" --profile nvme
run_on nvme -c test:///default --json list
[ $rc -eq 0 ] || fail "list nvme: exit $rc: $(cat "$W/err")"
jq -e '.warnings == [] and (.pfs | length) == 1 and .pfs[0].vf_settings == false and .pfs[0].complete == true
	and (.pfs[0].vfs | length) > 0 and all(.pfs[0].vfs[]; has("mac") or has("trust") or has("config_known") | not)' \
	"$W/out" >/dev/null || fail "list nvme: settings not absent: $(jq -c '.pfs[0] | del(.vfs), .vfs[0]' "$W/out")"
run_on nvme -c test:///default list
grep '^  0000:' "$W/out" | awk '{ if ($7 != "-" || $8 != "-" || $9 != "-" || $10 != "-" || $11 != "-") bad = 1 } END { exit bad }' ||
	fail "list nvme: VF settings not '-': $(cat "$W/out")"
if grep '^  0000:' "$W/out" | grep -q '?'; then fail "list nvme: '?' for settings that do not apply: $(cat "$W/out")"; fi
# the r730's igb VFs, whose settings cannot be read here, stay "?"
grep -q '^  0000:01:10.4 .* ? *? *? *? *?' "$W/table" || fail "r730: unknown settings not '?': $(grep 01:10.4 "$W/table")"

finish "list --json structure, warnings and exit codes"
