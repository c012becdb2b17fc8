#!/bin/sh
# Fill the VM test cache with the parts of a real SR-IOV test machine, from
# apt only, without installing any of them on this host:
#   kernel/   Debian's kernel image unpacked, modules.dep made by depmod
#   qemu10/   QEMU 10 from bookworm-backports unpacked (for -device igb);
#             the system QEMU 7.2 stays what libvirtd uses
#   netdevsim/ netdevsim.ko built out of tree (not in Debian's kernel)
#   vm.env    what the other scripts source: KVER, paths, QEMU commands
# Each part has a stamp; a second run does no network access at all.
# Usage: prepare.sh CACHE_DIR [--no-netdevsim]
set -eu

cache=${1:?usage: prepare.sh CACHE_DIR [--no-netdevsim]}
want_nsim=yes
[ "${2:-}" = --no-netdevsim ] && want_nsim=no
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
apt_dir=$cache/apt

log() { echo "prepare: $*" >&2; }
die() { echo "prepare: error: $*" >&2; exit 1; }

# A private apt configuration: the machine's own sources plus
# bookworm-backports on the same mirror, lists and downloads in the cache.
# The system's apt configuration and its installed packages are not touched.
apt_setup() {
	src=/etc/apt/sources.list.d/debian.sources
	[ -r "$src" ] || die "$src not found: cannot tell which mirror to use"
	uri=$(awk '$1 == "URIs:" { print $2; exit }' "$src")
	[ -n "$uri" ] || die "no URIs: line in $src"
	mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" \
		"$apt_dir/archives/partial" "$apt_dir/cache"
	cp "$src" "$apt_dir/sources.list.d/debian.sources"
	cat >"$apt_dir/sources.list.d/backports.sources" <<EOF
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
}

apt_opts() {
	echo "-q -o APT::Sandbox::User=root" \
		"-o Dir::Etc::SourceList=/dev/null" \
		"-o Dir::Etc::SourceParts=$apt_dir/sources.list.d" \
		"-o Dir::State::Lists=$apt_dir/lists" \
		"-o Dir::Cache=$apt_dir/cache" \
		"-o Dir::Cache::archives=$apt_dir/archives"
}

# shellcheck disable=SC2046
apt_get() { apt-get $(apt_opts) "$@"; }
# shellcheck disable=SC2046
apt_cache() { apt-cache $(apt_opts) "$@"; }

apt_update_once() {
	[ -f "$apt_dir/updated" ] && return 0
	apt_setup
	log "apt-get update (private lists, with bookworm-backports)"
	apt_get update >/dev/null
	touch "$apt_dir/updated"
}

# Download package NAME[=VER] into DIR (once) and print the .deb's path.
fetch_deb() {
	dir=$1 pkg=$2
	mkdir -p "$dir"
	name=${pkg%%=*}
	found=$(find "$dir" -maxdepth 1 -name "${name}_*.deb" | head -n 1)
	if [ -z "$found" ]; then
		(cd "$dir" && apt_get download "$pkg" >/dev/null) ||
			die "apt-get download $pkg failed"
		found=$(find "$dir" -maxdepth 1 -name "${name}_*.deb" | head -n 1)
	fi
	echo "$found"
}

kernel_version() {
	# The ABI in the name changes with security updates: ask apt, never guess.
	apt_cache depends linux-image-amd64 |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*-amd64\)$/\1/p' | head -n 1
}

prepare_kernel() {
	kdir=$cache/kernel/$KVER
	[ -f "$kdir/.done" ] && return 0
	log "kernel linux-image-$KVER"
	deb=$(fetch_deb "$cache/debs" "linux-image-$KVER")
	rm -rf "$kdir" && mkdir -p "$kdir"
	dpkg-deb -x "$deb" "$kdir"
	# The package leaves modules.dep to its postinst; make it here.
	depmod -b "$kdir" "$KVER"
	touch "$kdir/.done"
}

# QEMU 10 and exactly what apt would add to this host to run it, unpacked
# into one directory. apt resolves against this host's dpkg status, so the
# libraries the host already has at a good version are not fetched.
prepare_qemu10() {
	qdir=$cache/qemu10
	[ -f "$qdir/.done" ] && return 0
	log "QEMU 10 from bookworm-backports"
	rm -rf "$qdir" "$apt_dir/archives"/*.deb
	apt_get install -y --download-only --no-install-recommends \
		-t bookworm-backports qemu-system-x86 >/dev/null ||
		{ log "could not download qemu-system-x86 from bookworm-backports"; return 1; }
	mkdir -p "$qdir"
	for deb in "$apt_dir/archives"/*.deb; do
		dpkg-deb -x "$deb" "$qdir" || return 1
	done
	write_qemu10_wrapper || return 1
	"$cache/bin/qemu10" -device igb,help >/dev/null 2>&1 ||
		{ log "QEMU from backports has no -device igb"; return 1; }
	touch "$qdir/.done"
}

# Traps: QEMU 10 would load the system QEMU 7.2's modules from the built-in
# module path and abort ("Only modules from the same build can be loaded"),
# so point QEMU_MODULE_DIR at its own; its firmware (seabios 1.16) is not
# where the binary looks, so pass -L. Unpacked libraries (if apt needed any
# newer than the host's) come first through LD_LIBRARY_PATH.
write_qemu10_wrapper() {
	mkdir -p "$cache/bin"
	cat >"$cache/bin/qemu10" <<EOF
#!/bin/sh
q=$cache/qemu10
QEMU_MODULE_DIR=\$q/usr/lib/x86_64-linux-gnu/qemu
LD_LIBRARY_PATH=\$q/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
export QEMU_MODULE_DIR LD_LIBRARY_PATH
exec "\$q/usr/bin/qemu-system-x86_64" -L "\$q/usr/share/qemu" -L "\$q/usr/share/seabios" "\$@"
EOF
	chmod +x "$cache/bin/qemu10"
}

. "$(dirname "$0")/netdevsim.sh"

write_env() {
	nsim_ko='' qemu10=''
	[ -f "$cache/qemu10/.done" ] && qemu10=$cache/bin/qemu10
	[ -f "$cache/netdevsim/$KVER/netdevsim.ko" ] &&
		nsim_ko=$cache/netdevsim/$KVER/netdevsim.ko
	cat >"$cache/vm.env.tmp" <<EOF
KVER='$KVER'
VM_KERNEL='$cache/kernel/$KVER/boot/vmlinuz-$KVER'
VM_MODROOT='$cache/kernel/$KVER'
VM_QEMU10='$qemu10'
VM_QEMU_SYSTEM='$(command -v qemu-system-x86_64 || true)'
VM_NETDEVSIM_KO='$nsim_ko'
EOF
	mv "$cache/vm.env.tmp" "$cache/vm.env"
}

if [ -f "$cache/kernel/KVER" ]; then
	KVER=$(cat "$cache/kernel/KVER")
else
	apt_update_once
	KVER=$(kernel_version)
	[ -n "$KVER" ] || die "apt-cache depends linux-image-amd64 names no kernel"
	mkdir -p "$cache/kernel" && echo "$KVER" >"$cache/kernel/KVER"
fi
if [ ! -f "$cache/kernel/$KVER/.done" ]; then
	apt_update_once
	prepare_kernel
fi
# Without QEMU 10 only the igb scenarios are lost: go on. (Called in an
# || list, so set -e is off inside: the function checks each step itself.)
[ -f "$cache/qemu10/.done" ] || { apt_update_once; prepare_qemu10 ||
	log "QEMU 10 not available: the igb scenarios will fail"; }
if [ "$want_nsim" = yes ]; then
	prepare_netdevsim || log "netdevsim not built: its scenarios will fail"
fi
write_env
log "ready: kernel $KVER"
