#!/bin/sh
# Build the test guest's initramfs (an uncompressed cpio: the fastest for
# the kernel to unpack under TCG): busybox, iproute2's ip, jq, the kernel
# modules the scenarios load, the project's programs with their shared
# libraries, the guest init and the scenarios.
# Usage: mkinitramfs.sh [-d DESTDIR] VM_ENV OUT.cpio PROGRAM...
#   -d DESTDIR  a `make install DESTDIR=` tree, laid over the root as it is
#               (the install scenario), with its programs' libraries
#   VM_ENV      the vm.env written by prepare.sh
#   PROGRAM     project binaries from the build tree (copied to /usr/bin)
set -eu

usage='usage: mkinitramfs.sh [-d DESTDIR] VM_ENV OUT.cpio PROGRAM...'
destdir=
while getopts d: opt; do
	case $opt in
	d) destdir=$OPTARG ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
vm_env=${1:?$usage}
out=${2:?$usage}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$vm_env"
. "$here/rootfs.sh"

# Loaded by the scenarios; the crc/crct10dif generics are the crypto
# back ends nvme's t10-pi asks for at run time (softdeps, not in depends=).
MODULES="igb igbvf nvme vfio vfio-pci vfio_iommu_type1 psample
	crc64_rocksoft_generic crct10dif_generic"
# The representor scenario: a Linux bridge, and Open vSwitch's datapath
# (libcrc32c, which it needs, asks the crypto API for crc32c at load time).
MODULES="$MODULES bridge openvswitch crc32c_generic"

root=$(mktemp -d "${TMPDIR:-/tmp}/vs-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

rootfs_init "$root"
rootfs_add_elf "$root" "$(command -v ip)" /usr/sbin/ip
rootfs_add_elf "$root" "$(command -v jq)" /usr/bin/jq
# iproute2's devlink: the switchdev scenario compares with what it says.
rootfs_add_elf "$root" "$(command -v devlink)" /usr/sbin/devlink
# strace: record-devlink records the kernel's devlink replies byte for byte.
command -v strace >/dev/null && rootfs_add_elf "$root" "$(command -v strace)" /usr/bin/strace
rootfs_add_elf "$root" /usr/bin/date /vs/bin/date
# The benchmarks' floor for a hook run: coreutils' true, dynamically linked
# like the hook's front (busybox's applet is a static binary).
rootfs_add_elf "$root" /bin/true /vs/bin/true
for prog in "$@"; do
	rootfs_add_elf "$root" "$prog" "/usr/bin/$(basename "$prog")"
done
if [ -n "$destdir" ]; then
	# The directory links of the merged-/usr skeleton stay links.
	tar -C "$destdir" -cf - . | tar -C "$root" -xf - --keep-directory-symlink
	# Every installed ELF with what ldd says it needs (libasan and libubsan
	# in a sanitizer build); a library ldd cannot find stops the build here
	# rather than as an odd failure in the guest.
	find "$destdir" -type f | while read -r f; do
		[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
		if ldd "$f" | grep -q 'not found'; then
			echo "mkinitramfs: $f: $(ldd "$f" | grep 'not found' | tr '\n' ' ')" >&2
			exit 1
		fi
		rootfs_add_elf "$root" "$f" "${f#"$destdir"}"
	done
fi
# virt-sriov loads libvirt.so.0 with dlopen on its first libvirt call, so
# ldd of the programs does not name it (reconcile and the hook scenario
# talk to libvirt's test driver).
libvirt_so=$(ldconfig -p | awk '$1 == "libvirt.so.0" { print $NF; exit }')
[ -n "$libvirt_so" ] || { echo "mkinitramfs: libvirt.so.0 not found (ldconfig -p)" >&2; exit 1; }
rootfs_add_elf "$root" "$libvirt_so"
# The representor scenario: devlink (iproute2) for switchdev mode, and the
# host's Open vSwitch (openvswitch-switch, scripts/deps.txt): the database,
# the switch and ovs-vsctl, with the schema; absent ones the scenario names.
[ -x /sbin/devlink ] && rootfs_add_elf "$root" /sbin/devlink /usr/sbin/devlink
for prog in ovsdb-server ovsdb-tool ovs-vswitchd ovs-vsctl; do
	p=$(PATH=$PATH:/usr/sbin:/sbin command -v "$prog") && rootfs_add_elf "$root" "$p" "/usr/sbin/$prog"
done
[ -f /usr/share/openvswitch/vswitch.ovsschema ] &&
	rootfs_copy "$root" /usr/share/openvswitch/vswitch.ovsschema
rootfs_add_busybox "$root"
# shellcheck disable=SC2086
rootfs_add_modules "$root" "$VM_MODROOT" "$KVER" $MODULES
[ -n "${VM_NETDEVSIM_KO:-}" ] && rootfs_add_extra_module "$root" "$KVER" "$VM_NETDEVSIM_KO"
rootfs_depmod "$root" "$VM_MODROOT" "$KVER"
# libpci names vendors and devices from pci.ids.
[ -f /usr/share/misc/pci.ids ] && rootfs_copy "$root" /usr/share/misc/pci.ids

install -m 755 "$here/guest/init" "$root/init"
mkdir -p "$root/vs/scenarios"
cp "$here/guest/lib.sh" "$root/vs/lib.sh"
cp "$here"/scenarios/*.sh "$root/vs/scenarios/"
[ -f "$here/../lsan.supp" ] && cp "$here/../lsan.supp" "$root/vs/lsan.supp"
# The hook scenario replays libvirt's captured hook inputs.
if [ -d "$here/../data/hook" ]; then
	mkdir -p "$root/vs/data"
	cp -r "$here/../data/hook" "$root/vs/data/hook"
fi
cat >"$root/vs/guest-env" <<'EOF'
export VIRT_SRIOV=/usr/bin/virt-sriov
export VIRT_SRIOV_HOOK=/usr/bin/virt-sriov-hook
export VIRT_SRIOV_HOOK_FRONT=/usr/bin/virt-sriov-hook-front
# Sanitizer builds: leaks are the host suite's business, and libvirt's
# one-time allocations would drown the scenario's output.
export ASAN_OPTIONS=detect_leaks=0
export LSAN_OPTIONS=suppressions=/vs/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
EOF
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"

# -R 0:0: the guest sees root-owned files (the hook refuses a config not
# owned by root), whoever builds the image
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
