#!/bin/sh
# The end-to-end tests' Debian root filesystem, built once into the cache
# and reused: debootstrap --variant=minbase bookworm from the
# machine's own mirror (read at run time, never written here), then in the
# chroot what a KVM host without systemd needs to run libvirt's QEMU driver,
# plus the shared libraries the project links against (the package's
# Depends, so that dpkg -i needs no download), jq for the checks and
# ansible-core for the Ansible module's scenario.
# The project itself is NOT in here: check-e2e.sh installs its .deb with
# dpkg -i on a copy, as an admin would, on every run.
# Usage: mkbase.sh CACHE_DIR      (makes CACHE_DIR/base, stamp base/.done)
# Needs root (debootstrap, chroot); the disk image is made later without.
set -eu

cache=${1:?usage: mkbase.sh CACHE_DIR}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
base=$cache/base

log() { echo "e2e-base: $*" >&2; }
die() { echo "e2e-base: error: $*" >&2; exit 1; }

# libvirt's QEMU driver and client, the system QEMU for the nested guests,
# the tools the checks compare against, and the project's runtime libraries.
PACKAGES="libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
	qemu-system-x86 iproute2 kmod
	libvirt0 libxml2 libpci3 libnl-3-200 libnl-route-3-200 libnl-genl-3-200 libjson-c5 jq
	ansible-core"
# The stamp names the package list: a cache made for another list is made anew.
stamp="packages: $(echo $PACKAGES)"
[ -f "$base/.done" ] && grep -qxF "$stamp" "$base/.done" && exit 0
[ "$(id -u)" -eq 0 ] || die "building the root filesystem needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap not installed (scripts/deps.txt)"

src=/etc/apt/sources.list.d/debian.sources
[ -r "$src" ] || die "$src not found: cannot tell which mirror to use"
mirror=$(awk '$1 == "URIs:" { print $2; exit }' "$src")
[ -n "$mirror" ] || die "no URIs: line in $src"


rm -rf "$base" "$base.tmp"
t0=$(date +%s)
log "debootstrap --variant=minbase bookworm from $mirror"
debootstrap --variant=minbase bookworm "$base.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
	{ tail -n 20 "$cache/debootstrap.log" >&2; die "debootstrap failed (log: $cache/debootstrap.log)"; }
t1=$(date +%s)

# No daemon may start inside the chroot while packages are installed.
printf '#!/bin/sh\nexit 101\n' >"$base.tmp/usr/sbin/policy-rc.d"
chmod 755 "$base.tmp/usr/sbin/policy-rc.d"
log "apt-get install in the chroot"
# A private mount namespace: /proc for the maintainer scripts, gone with it.
# shellcheck disable=SC2086
unshare -m --propagation private sh -c '
	set -e
	mount -t proc proc "$1/proc"
	shift
	root=$1; shift
	chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		apt-get install -y -q --no-install-recommends "$@"
	chroot "$root" apt-get clean
' sh "$base.tmp" "$base.tmp" $PACKAGES >"$cache/apt-chroot.log" 2>&1 ||
	{ tail -n 20 "$cache/apt-chroot.log" >&2; die "apt-get install in the chroot failed (log: $cache/apt-chroot.log)"; }
rm -f "$base.tmp/usr/sbin/policy-rc.d"
# Debian's qemu driver looks the user up before reading qemu.conf; the
# package that would create it (libvirt-daemon-system) is not installed.
chroot "$base.tmp" useradd -r -M -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
# Smaller image, faster mke2fs: lists, docs and manuals are never read.
rm -rf "$base.tmp/var/lib/apt/lists"/* "$base.tmp/usr/share/doc"/* \
	"$base.tmp/usr/share/man"/* "$base.tmp/usr/share/locale"/*
mv "$base.tmp" "$base"
t2=$(date +%s)
printf '%s\n%s\n' "debootstrap $((t1 - t0)) s, packages $((t2 - t1)) s" "$stamp" >"$base/.done"
log "ready in $((t2 - t0)) s ($(du -sm "$base" | cut -f1) MB)"
