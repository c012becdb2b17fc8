# Sourced: put host programs and kernel modules into a guest root directory.
# Used by mkinitramfs.sh for the busybox initramfs; written so that a fuller
# root (the debootstrap image of the end-to-end tests) can reuse
# rootfs_add_elf and rootfs_add_modules on its own directory.

# A merged-/usr skeleton like Debian 12's, so that the library paths ldd
# prints (/lib/x86_64-linux-gnu/..., /lib64/ld-linux...) resolve inside.
rootfs_init() {
	root=$1
	mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib" "$root/usr/lib64" \
		"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/run" \
		"$root/etc" "$root/root" "$root/var"
	for d in bin sbin lib lib64; do
		[ -e "$root/$d" ] || ln -s "usr/$d" "$root/$d"
	done
}

# Copy file SRC to DEST inside ROOT (DEST defaults to SRC), following
# symlinks so the guest gets the content under the name that is asked for.
rootfs_copy() {
	root=$1 src=$2 dest=${3:-$2}
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$src" "$root$dest"
}

# An ELF program with every shared library ldd lists, at the same paths,
# and the program loader at its absolute path.
rootfs_add_elf() {
	root=$1 src=$2 dest=${3:-$2}
	rootfs_copy "$root" "$src" "$dest"
	ldd "$src" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' | while read -r lib; do
		[ -e "$root$lib" ] || rootfs_copy "$root" "$lib"
	done
}

# Kernel modules NAME... with everything modules.dep says they depend on,
# from the unpacked kernel MODROOT, then a modules.dep for the guest.
rootfs_add_modules() {
	root=$1 modroot=$2 kver=$3; shift 3
	mdir=lib/modules/$kver
	for name in "$@"; do
		file=$(modinfo -b "$modroot" -k "$kver" -F filename "$name" 2>/dev/null) ||
			{ echo "rootfs: no module $name in $kver" >&2; return 1; }
		rel=${file#"$modroot/$mdir/"}
		deps=$(awk -F': *' -v m="$rel" '$1 == m { print $2 }' "$modroot/$mdir/modules.dep")
		for m in $rel $deps; do
			[ -e "$root/usr/$mdir/$m" ] || rootfs_copy "$root" "$modroot/$mdir/$m" "/usr/$mdir/$m"
		done
	done
}

# A module built out of tree (netdevsim), placed under extra/.
rootfs_add_extra_module() {
	root=$1 kver=$2 ko=$3
	rootfs_copy "$root" "$ko" "/usr/lib/modules/$kver/extra/$(basename "$ko")"
}

rootfs_depmod() {
	root=$1 modroot=$2 kver=$3
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ -f "$modroot/lib/modules/$kver/$f" ] &&
			cp "$modroot/lib/modules/$kver/$f" "$root/usr/lib/modules/$kver/"
	done
	depmod -b "$root" "$kver"
}

# busybox-static and a link per applet, except where ROOT already has a
# real program (iproute2's ip) and except "busybox" itself: a link from the
# applet to itself makes the kernel fail /init with ELOOP (-40).
rootfs_add_busybox() {
	root=$1
	bb=$(command -v busybox) || { echo "rootfs: busybox not found" >&2; return 1; }
	cp "$bb" "$root/usr/bin/busybox"
	"$bb" --list-full | while read -r applet; do
		name=$(basename "$applet")
		[ "$name" = busybox ] && continue
		case $applet in
		*sbin/*) d=usr/sbin ;;
		*) d=usr/bin ;;
		esac
		[ -e "$root/$d/$name" ] || [ -L "$root/$d/$name" ] ||
			ln -s /usr/bin/busybox "$root/$d/$name"
	done
}
