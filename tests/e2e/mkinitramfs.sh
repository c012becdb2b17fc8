#!/bin/sh
# The end-to-end VM's initramfs: just enough to mount the Debian root
# filesystem from the virtio disk and switch_root to its /vs/init
# (virtio_pci, virtio_blk, crc32c_generic - ext4 needs it at mount time, it
# is no depends= - and ext4, with busybox-static).
# Usage: mkinitramfs.sh VM_ENV OUT.cpio
set -eu

vm_env=${1:?usage: mkinitramfs.sh VM_ENV OUT.cpio}
out=${2:?usage: mkinitramfs.sh VM_ENV OUT.cpio}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$vm_env"
. "$here/../vm/rootfs.sh"

root=$(mktemp -d "${TMPDIR:-/tmp}/vs-e2e-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
rootfs_init "$root"
rootfs_add_busybox "$root"
rootfs_add_modules "$root" "$VM_MODROOT" "$KVER" virtio_pci virtio_blk crc32c_generic ext4
rootfs_depmod "$root" "$VM_MODROOT" "$KVER"
install -m 755 "$here/initramfs/init" "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
