#!/bin/sh
# virt-sriov's `list --json` against the REAL lspci on the same generated
# trees, field by field: PF set, vendor/device IDs and pci.ids names,
# TotalVFs, NumVFs, VF offset/stride, VF device ID, driver, NUMA node,
# IOMMU group, and every VF's address (from the SR-IOV capability lspci
# decodes: PF routing ID + offset + n * stride), IDs, driver and group.
# libvirt's test driver stands in for libvirtd.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need lspci pciutils
need jq "scripts/deps.txt"
need_built "$GEN" "$VIRT_SRIOV"

tmpdir lspci-compare tmpfs

# One line per PF and per VF, tab-separated, same columns on both sides:
# pf ADDR VID DID VENDOR DEVICE TOTAL NUM OFFSET STRIDE VFDID DRIVER NUMA GROUP
# vf VFADDR PFADDR INDEX VID DID DRIVER GROUP
from_list() { # TREE
	"$VIRT_SRIOV" -c test:///default --sysfs-root "$1" --json list 2>"$W/list.err" >"$W/list.json" ||
		{ fail "$1: virt-sriov list exited $?: $(cat "$W/list.err")"; return 0; }
	jq -r '.pfs[] | (["pf", .address, .vendor_id, .device_id, .vendor, .device, .totalvfs,
		.numvfs, .vf_offset, .vf_stride, .vf_device_id, .driver, .numa_node, .iommu_group] | @tsv),
		(.address as $pf | .vfs[] | ["vf", .address, $pf, .index, .vendor_id, .device_id,
		.driver, .iommu_group] | @tsv)' "$W/list.json"
}

from_lspci() { # TREE
	L="lspci -A linux-sysfs -O sysfs.path=$1/sys/bus/pci -D"
	$L -vmm -nn -k 2>/dev/null >"$W/vmm"
	$L -vvv 2>/dev/null >"$W/vvv"
	awk -F'\t' -v OFS='\t' '
	function id(s) { sub(/.*\[/, "", s); sub(/\].*/, "", s); return s }
	function name(s) { sub(/ \[[0-9a-f]+\]$/, "", s); return s }
	function rid2addr(dom, r) { return sprintf("%s:%02x:%02x.%x", dom, int(r / 256), int(r % 256 / 8), r % 8) }
	FNR == 1 { pass++ }
	pass == 1 && /^Slot:/ { a = $2 }
	pass == 1 && /^Vendor:/ { vid[a] = id($2); vname[a] = name($2) }
	pass == 1 && /^Device:/ { did[a] = id($2); dname[a] = name($2) }
	pass == 1 && /^Driver:/ { drv[a] = $2 }
	pass == 1 && /^NUMANode:/ { numa[a] = $2 }
	pass == 1 && /^IOMMUGroup:/ { grp[a] = $2 }
	pass == 2 && /^[0-9a-f]+:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7] / { a = $0; sub(/ .*/, "", a) }
	pass == 2 && /Total VFs:/ {
		s = $0; sub(/.*Total VFs: /, "", s); total[a] = s + 0
		s = $0; sub(/.*Number of VFs: /, "", s); num[a] = s + 0; pfs[++npf] = a }
	pass == 2 && /VF offset:/ {
		s = $0; sub(/.*VF offset: /, "", s); off[a] = s + 0
		s = $0; sub(/.*stride: /, "", s); stride[a] = s + 0
		s = $0; sub(/.*Device ID: /, "", s); vfdid[a] = s }
	END {
		for (i = 1; i <= npf; i++) {
			p = pfs[i]
			print "pf", p, vid[p], did[p], vname[p], dname[p], total[p], num[p], off[p], stride[p],
			      vfdid[p], drv[p], numa[p], grp[p]
			split(p, f, /[:.]/)
			r = ("0x" f[2]) * 256 + ("0x" f[3]) * 8 + ("0x" f[4])
			for (n = 0; n < num[p]; n++) {
				v = rid2addr(f[1], r + off[p] + n * stride[p])
				if (!(v in vid)) v = v " (absent from lspci)"
				print "vf", v, p, n, vid[v], did[v], drv[v], grp[v]
			}
		}
	}' "$W/vmm" "$W/vvv"
}

PF_FIELDS="kind address vendor_id device_id vendor device totalvfs numvfs vf_offset vf_stride vf_device_id driver numa_node iommu_group"
VF_FIELDS="kind address pf index vendor_id device_id driver iommu_group"

# compare TREE: report each differing field by name
compare() {
	from_lspci "$1" | LC_ALL=C sort >"$W/want"
	from_list "$1" >"$W/got.unsorted"   # not in a pipeline: its fail counts
	LC_ALL=C sort "$W/got.unsorted" >"$W/got"
	[ -s "$W/want" ] || [ "$2" = none ] || fail "$1: lspci sees no SR-IOV PF"
	out=$(awk -F'\t' -v pff="$PF_FIELDS" -v vff="$VF_FIELDS" '
		FNR == NR { want[$2] = $0; next }
		{ got[$2] = $0
		  if (!($2 in want)) { print $1 " " $2 ": listed by virt-sriov, not by lspci"; next }
		  n = split(want[$2], w, "\t"); split($0, g, "\t")
		  split($1 == "pf" ? pff : vff, names, " ")
		  for (i = 3; i <= n; i++) if (w[i] != g[i])
			print $2 ": " names[i] ": virt-sriov \"" g[i] "\", lspci \"" w[i] "\"" }
		END { for (k in want) if (!(k in got)) print k ": seen by lspci, missing from virt-sriov list" }
	' "$W/want" "$W/got")
	[ -z "$out" ] || fail "$1:
$(echo "$out" | sed 's/^/  /')"
	echo "$1: $(grep -c '^pf' "$W/want" || true) PFs, $(grep -c '^vf' "$W/want" || true) VFs compared"
}

for p in r730 hi1822 domain nvme many-vfs no-sriov; do
	host_tree "$W/$p" --profile $p
	compare "$W/$p" "$([ $p = no-sriov ] && echo none || echo some)"
done
[ "$(jq '.pfs | length' "$W/list.json")" -eq 0 ] || fail "no-sriov: a PF is listed"

finish "virt-sriov list agrees with lspci"
