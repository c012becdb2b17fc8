#!/bin/sh
# The generated host trees, read by the REAL lspci (libpci's sysfs backend):
# every device is seen, named from pci.ids, and the SR-IOV capability that
# lspci decodes from the binary config space carries the numbers each
# profile specifies.  VF addresses are recomputed here from the PF routing
# ID + offset + n * stride and checked against lspci and the virtfn links.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need lspci pciutils
need_built "$GEN"

# tmpfs when there is one: creating thousands of small files on ext4 is slow
tmpdir lspci-gen tmpfs

gen() { # gen NAME ARGS... -> tree in $W/NAME
	name=$1; shift
	"$GEN" "$@" "$W/$name" || { fail "gen-host-tree $* exited $?"; return 1; }
	lsp "$name" -nn -D >"$W/$name.list"
}
lsp() { # lsp TREE ARGS...
	t=$1; shift
	lspci -A linux-sysfs -O sysfs.path="$W/$t/sys/bus/pci" "$@" 2>/dev/null
}

# addr_add ADDR N: the address N routing IDs after ADDR (DDDD:BB:SS.F)
addr_add() {
	dom=${1%%:*}; rest=${1#*:}
	bus=${rest%%:*}; rest=${rest#*:}
	slot=${rest%%.*}; fn=${rest#*.}
	rid=$(( 0x$bus * 256 + 0x$slot * 8 + fn + $2 ))
	printf '%s:%02x:%02x.%x\n' "$dom" $((rid / 256)) $((rid % 256 / 8)) $((rid % 8))
}

# check_pf TREE ADDR TOTAL NUM OFFSET STRIDE VFDEV NAME VFNAME
check_pf() {
	t=$1 a=$2 total=$3 num=$4 off=$5 stride=$6 vfdev=$7 name=$8 vfname=$9
	out=$(lsp "$t" -vvv -nn -D -s "$a")
	echo "$out" | head -1 | grep -qF "$name" || fail "$t $a: lspci name is not '$name': $(echo "$out" | head -1)"
	echo "$out" | grep -q 'Capabilities: \[160 v1\] Single Root I/O Virtualization (SR-IOV)' ||
		fail "$t $a: no SR-IOV capability at 160"
	echo "$out" | grep -q "Total VFs: $total, Number of VFs: $num," ||
		fail "$t $a: want Total VFs $total, Number of VFs $num: $(echo "$out" | grep 'Total VFs')"
	echo "$out" | grep -q "VF offset: $off, stride: $stride, Device ID: $vfdev\$" ||
		fail "$t $a: want offset $off stride $stride VF $vfdev: $(echo "$out" | grep 'VF offset')"
	echo "$out" | grep -q 'Alternative Routing-ID Interpretation' || fail "$t $a: no ARI capability"
	[ "$(cat "$W/$t/sys/bus/pci/devices/$a/sriov_totalvfs")" = "$total" ] || fail "$t $a: sriov_totalvfs"
	n=0
	while [ $n -lt "$num" ]; do
		vf=$(addr_add "$a" $((off + n * stride)))
		link=$(readlink "$W/$t/sys/bus/pci/devices/$a/virtfn$n") || link=missing
		[ "${link##*/}" = "$vf" ] || fail "$t $a: virtfn$n -> $link, want $vf"
		[ "$(readlink "$W/$t/sys/bus/pci/devices/$vf/physfn")" = "../$a" ] || fail "$t $vf: physfn"
		grep -F "$vf " "$W/$t.list" | grep -qF "$vfname" || fail "$t $vf: lspci does not show '$vfname'"
		n=$((n + 1))
	done
}

count_is() { # count_is TREE N
	got=$(wc -l <"$W/$1.list")
	[ "$got" -eq "$2" ] || fail "$1: lspci lists $got devices, want $2"
}

# --- r730: a Dell PowerEdge R730 (I350 rNDC, 82599ES) ------------------------
if gen r730 --profile r730; then
	# host bridge, 2 root ports, SATA, 4 I350 + 14 VFs, 2 82599ES + 4 VFs
	count_is r730 28
	for a in 0000:01:00.0 0000:01:00.1; do
		check_pf r730 $a 7 7 128 4 1520 "I350 Gigabit Network Connection [8086:1521]" \
			"I350 Ethernet Controller Virtual Function [8086:1520]"
	done
	check_pf r730 0000:01:00.2 7 0 128 4 1520 "I350 Gigabit Network Connection" x
	check_pf r730 0000:19:00.0 63 4 128 2 10ed "82599ES 10-Gigabit SFI/SFP+ Network Connection [8086:10fb]" \
		"82599 Ethernet Controller Virtual Function [8086:10ed]"
	check_pf r730 0000:19:00.1 63 0 128 2 10ed "82599ES" x
	lsp r730 -vvv -s 01:00.0 | grep -q 'Subsystem: Dell Gigabit 4P I350-t rNDC' || fail "r730: I350 subsystem"
	lsp r730 -k -s 01:10.0 | grep -q 'Kernel driver in use: igbvf' || fail "r730: VF driver igbvf"
	lsp r730 -k -s 19:10.0 | grep -q 'Kernel driver in use: vfio-pci' || fail "r730: 82599 VF on vfio-pci"
	lsp r730 -vvv -s 19:00.0 | grep -q 'NUMA node: 1' || fail "r730: 82599 NUMA node"
	lsp r730 -nn -s 00:1f.2 | grep -q 'SATA controller \[0106\]' || fail "r730: SATA controller"
	lsp r730 -vvv -s 00:01.0 | grep -q 'ACSCtl:	SrcValid+' || fail "r730: root port ACS"
	[ "$(readlink "$W/r730/sys/class/net/em1")" = \
	  ../../devices/pci0000:00/0000:00:01.0/0000:01:00.0/net/em1 ] || fail "r730: class/net/em1"
	[ -e "$W/r730/sys/bus/pci/devices/0000:19:10.0/net" ] && fail "r730: vfio-pci VF has a netdev"
fi

# --- hi1822 ----------------------------------------------------------------
if gen hi1822 --profile hi1822; then
	check_pf hi1822 0000:03:00.0 120 4 1 1 375e "Hi1822 Family (4*25GE) [19e5:1822]" \
		"Hi1822 Family Virtual Function [19e5:375e]"
	check_pf hi1822 0000:04:00.0 120 2 1 1 375e "Hi1822 Family (4*25GE)" "Hi1822 Family Virtual Function"
	for a in 05:00.0 06:00.0; do
		lsp hi1822 -nn -s $a | grep -q 'Huawei Technologies Co., Ltd. Hi1822' || fail "hi1822: $a"
	done
	lsp hi1822 -k -s 03:00.1 | grep -q 'driver in use: vfio-pci' || fail "hi1822: 03:00.1 on vfio-pci"
	lsp hi1822 -k -s 03:00.3 | grep -q 'driver in use: hinic' || fail "hi1822: 03:00.3 on hinic"
fi

# --- many-vfs: virtfn10 and up ------------------------------------------------
if gen many --profile many-vfs; then
	check_pf many 0000:3b:00.0 32 24 16 1 154c "Ethernet Controller X710 for 10GbE SFP+" \
		"Ethernet Virtual Function 700 Series"
	[ "$(grep -c '8086:154c' "$W/many.list")" -eq 24 ] || fail "many-vfs: want 24 VFs"
fi

# --- domains 0001 and 10000 ----------------------------------------------------
if gen domain --profile domain; then
	check_pf domain 0001:01:00.0 8 2 2 1 1018 "ConnectX-5] [15b3:1017]" "ConnectX-5 Virtual Function]"
	check_pf domain 10000:01:00.0 16 2 8 1 1889 "E810-C for QSFP" "Ethernet Adaptive Virtual Function"
	[ -d "$W/domain/sys/devices/pci0001:00/0001:00:01.0/0001:01:00.0" ] || fail "domain: pci0001:00 hierarchy"
fi

# --- nvme: class 0108, no netdev ----------------------------------------------
if gen nvme --profile nvme; then
	check_pf nvme 0000:5e:00.0 8 4 1 1 0010 "Non-Volatile memory controller [0108]" "QEMU NVM Express Controller"
	[ -e "$W/nvme/sys/bus/pci/devices/0000:5e:00.0/net" ] && fail "nvme: PF has a netdev"
	lsp nvme -k -s 5e:00.0 | grep -q 'driver in use: nvme' || fail "nvme: driver"
fi

# --- no-sriov: not a PF -----------------------------------------------------
if gen nosriov --profile no-sriov; then
	out=$(lsp nosriov -vvv -s 60:00.0)
	echo "$out" | grep -q '82574L' || fail "no-sriov: name"
	echo "$out" | grep -q 'SR-IOV' && fail "no-sriov: has an SR-IOV capability"
	[ -e "$W/nosriov/sys/bus/pci/devices/0000:60:00.0/sriov_totalvfs" ] && fail "no-sriov: sriov_totalvfs exists"
	echo "$out" | grep -q 'Express (v2) Endpoint' || fail "no-sriov: not PCI Express"
fi

# --- no-acs and shared-group ---------------------------------------------------
if gen noacs --profile no-acs; then
	check_pf noacs 0000:62:00.0 7 2 128 4 1520 "I350" "I350 Ethernet Controller Virtual Function"
	rp=$(readlink "$W/noacs/sys/bus/pci/devices/0000:62:00.0" | awk -F/ '{print $(NF-1)}')
	lsp noacs -vvv -s "$rp" | grep -q 'Root Port (Slot' || fail "no-acs: $rp is not a root port"
	lsp noacs -vvv -s "$rp" | grep -q 'Access Control Services' && fail "no-acs: root port $rp has ACS"
fi
if gen shared --profile shared-group; then
	d=$W/shared/sys/bus/pci/devices
	[ "$(readlink -f $d/0000:61:10.4/iommu_group)" = "$(readlink -f $d/0000:61:00.0/iommu_group)" ] ||
		fail "shared-group: VF not in the PF's group"
	[ "$(ls "$(readlink -f $d/0000:61:00.0/iommu_group)/devices" | wc -l)" -eq 3 ] ||
		fail "shared-group: group does not hold PF + 2 VFs"
fi

# --- broken variants ---------------------------------------------------------
if gen bphys --profile broken-physfn; then
	[ -e "$W/bphys/sys/bus/pci/devices/0000:70:10.4/physfn" ] && fail "broken-physfn: physfn target exists"
	[ -L "$W/bphys/sys/bus/pci/devices/0000:70:10.4/physfn" ] || fail "broken-physfn: no physfn link"
fi
if gen bcfg --profile broken-config; then
	cat "$W/bcfg/sys/bus/pci/devices/0000:71:00.0/config" >/dev/null 2>&1 && fail "broken-config: config readable"
	lspci -A linux-sysfs -O sysfs.path="$W/bcfg/sys/bus/pci" -vvv -s 71:00.0 2>&1 | grep -q 'Cannot open' ||
		fail "broken-config: lspci did not fail to open config"
fi
if gen bnum --profile broken-numvfs; then
	[ "$(cat "$W/bnum/sys/bus/pci/devices/0000:72:00.0/sriov_numvfs")" = seven ] || fail "broken-numvfs"
	check_pf bnum 0000:72:00.0 7 2 128 4 1520 "I350" "I350 Ethernet Controller Virtual Function"
fi

# --- everything in one tree; big trees cross a bus ------------------------------
gen all --profile r730 --profile hi1822 --profile many-vfs --profile domain --profile nvme \
	--profile no-sriov --profile shared-group --profile no-acs --profile broken-physfn \
	--profile broken-config --profile broken-numvfs || true
if gen big --profile big:2x256; then
	[ "$(grep -c '8086:1889' "$W/big.list")" -eq 512 ] || fail "big:2x256: want 512 VFs"
	# VF 255 of 80:00.0 is routing ID 0x8000 + 1 + 255 = 81:00.0, on the next bus
	check_pf big 0000:80:00.0 256 256 1 1 1889 "E810-C for QSFP" "Ethernet Adaptive Virtual Function"
fi

# --- custom --pf with a netdev name -----------------------------------------------
if gen custom --pf addr=0000:05:00.0,id=8086:1521,vfid=8086:1520,total=7,num=3,driver=igb,netdev=vethx0,vfdriver=vfio-pci,numa=0,class=0200; then
	check_pf custom 0000:05:00.0 7 3 128 4 1520 "I350 Gigabit" "I350 Ethernet Controller Virtual Function"
	[ -d "$W/custom/sys/class/net/vethx0" ] || fail "custom: netdev vethx0"
fi

# --- --no-iommu: no groups, no DMAR, no intel_iommu=on ----------------------------
if gen noiommu --no-iommu --profile no-acs; then
	lsp noiommu -vvv | grep -q 'IOMMU group' && fail "--no-iommu: lspci shows IOMMU groups"
	[ -e "$W/noiommu/sys/firmware/acpi/tables/DMAR" ] && fail "--no-iommu: DMAR table"
	grep -q intel_iommu=on "$W/noiommu/proc/cmdline" && fail "--no-iommu: cmdline"
	[ -e "$W/r730/sys/firmware/acpi/tables/DMAR" ] || fail "r730: no DMAR table"
	grep -q intel_iommu=on "$W/r730/proc/cmdline" || fail "r730: no intel_iommu=on in cmdline"
fi

finish "generated trees agree with lspci"
