# Sourced by prepare.sh: build netdevsim.ko out of tree, for the exact kernel
# in the cache. Debian does not ship netdevsim; its source comes from
# linux-source-6.1 at the kernel image's own version (a different patch level
# would not match the headers), built against linux-headers-$KVER unpacked.
# Needs: $cache, $KVER, fetch_deb, log, die (from prepare.sh); gcc-12, make.

# shellcheck disable=SC2154 # cache, KVER: set by prepare.sh
prepare_netdevsim() {
	ndir=$cache/netdevsim/$KVER
	[ -f "$ndir/netdevsim.ko" ] && return 0
	apt_update_once
	# Called in an || list (set -e is off): every step is checked.
	kdeb=$(fetch_deb "$cache/debs" "linux-image-$KVER") || return 1
	kpkgver=$(dpkg-deb -f "$kdeb" Version) || return 1
	log "netdevsim from linux-source-6.1=$kpkgver"
	rm -rf "$ndir" && mkdir -p "$ndir/root"
	for pkg in "linux-headers-$KVER=$kpkgver" \
		"linux-headers-${KVER%-amd64}-common=$kpkgver" linux-kbuild-6.1; do
		deb=$(fetch_deb "$cache/debs" "$pkg") || return 1
		dpkg-deb -x "$deb" "$ndir/root" || return 1
	done
	hdr=$ndir/root/usr/src/linux-headers-$KVER
	# The arch headers include the common ones by absolute path.
	sed -i "s|^include /usr/src/|include $ndir/root/usr/src/|" "$hdr/Makefile" || return 1
	sdeb=$(fetch_deb "$cache/debs" "linux-source-6.1=$kpkgver") || return 1
	dpkg-deb --fsys-tarfile "$sdeb" |
		tar -xOf - ./usr/src/linux-source-6.1.tar.xz |
		tar -xJf - -C "$ndir" linux-source-6.1/drivers/net/netdevsim ||
		{ log "netdevsim source not found in linux-source-6.1"; return 1; }
	src=$ndir/linux-source-6.1/drivers/net/netdevsim
	make -s -C "$hdr" M="$src" CONFIG_NETDEVSIM=m -j"$(nproc)" modules \
		>"$ndir/build.log" 2>&1 || { tail -n 20 "$ndir/build.log" >&2; return 1; }
	strip --strip-debug -o "$ndir/netdevsim.ko" "$src/netdevsim.ko" || return 1
	# The source package is large and only needed for this one module.
	rm -f "$sdeb"
	rm -rf "$ndir/root"
}
