#!/bin/sh
# make check-e2e: a real libvirtd inside a QEMU VM with an emulated igb NIC
# starts nested guests on its real VFs, with virt-sriov installed from its
# Debian package (make deb, dpkg -i). Prints the checks' PASS/FAIL lines and "N passed, N failed".
# Usage: check-e2e.sh [SCENARIO...]   (default: $E2E_SCENARIOS, else all)
# Environment: top_builddir, top_srcdir (required); VM_CACHE (kernel and
# QEMU 10, shared with check-vm: default $top_builddir/tests/vm/cache);
# E2E_CACHE (the Debian root: default $top_builddir/tests/e2e/cache);
# E2E_SCENARIOS; E2E_LOGDIR (default $top_builddir/tests/e2e/logs);
# E2E_CONFIGURE_FLAGS (extra configure options for the package's build);
# E2E_REMOTE_PORT (scenario remote: the host's 127.0.0.1 port forwarded to the
# VM's libvirtd, default the first free one from 16590);
# E2E_TIMEOUT (seconds for the whole VM run, default 2700); SEED (the
# stress scenario's seed, to replay a run: vs.seed=); E2E_APPEND (more
# kernel command line words, e.g. vs.rounds=N for stress).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build tree}"
: "${top_srcdir:?set top_srcdir to the source tree}"
: "${VM_CACHE:=$top_builddir/tests/vm/cache}"
: "${E2E_CACHE:=$top_builddir/tests/e2e/cache}"
: "${E2E_LOGDIR:=$top_builddir/tests/e2e/logs}"
: "${E2E_SCENARIOS:=pool net hostdev forbidden attach crash timing boot stress ansible remote migrate}"
: "${E2E_CONFIGURE_FLAGS:=}"
: "${E2E_TIMEOUT:=2700}"
: "${SEED:=}" "${E2E_APPEND:=}"
[ $# -gt 0 ] && E2E_SCENARIOS=$*
work=$top_builddir/tests/e2e

start=$(date +%s)
log() { echo "check-e2e: $*" >&2; }
die() { echo "check-e2e: error: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
missing=''
for tool in debootstrap mke2fs chroot unshare busybox cpio depmod modinfo ldd timeout make dpkg-buildpackage dh; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -z "$missing" ] || die "missing:$missing (install the packages in scripts/deps.txt)"
[ "$(id -u)" -eq 0 ] || die "needs root (apt downloads, debootstrap, chroot)"

# 1. Kernel and QEMU 10 (the VM tier's cache), the Debian root with libvirt.
"$here/../vm/prepare.sh" "$VM_CACHE" --no-netdevsim
# shellcheck source=/dev/null
. "$VM_CACHE/vm.env"
[ -n "$VM_QEMU10" ] || die "no QEMU 10 with -device igb (see the prepare: lines above)"
"$here/mkbase.sh" "$E2E_CACHE"
t_cache=$(date +%s)

# 2. The project as a Debian admin installs it: its package (debian/,
# `make deb`: dpkg-buildpackage in a fresh copy of the distributed tree),
# dpkg -i in the VM's root.  Rebuilt only when what goes into the package
# changed (the tests are not in it), with the tests left to `make check`.
debdir=$work/deb
mkdir -p "$work"
make -C "$top_builddir" -s distdir >"$work/distdir.log" 2>&1 ||
	{ tail -n 20 "$work/distdir.log" >&2; die "make distdir failed (log: $work/distdir.log)"; }
mkvar() { sed -n "s/^$1 = //p" "$top_builddir/Makefile"; }
dist=$(mkvar PACKAGE)-$(mkvar VERSION)
[ -d "$top_builddir/$dist" ] || die "make distdir made no $top_builddir/$dist"
hash=$(cd "$top_builddir/$dist" && { echo "$E2E_CONFIGURE_FLAGS"; find . \( -path ./tests -o -path ./bench \) -prune -o -type f -print |
	LC_ALL=C sort | xargs sha256sum; } | sha256sum | cut -c1-16)
rm -rf "${top_builddir:?}/$dist"
if [ "$(cat "$debdir/.hash" 2>/dev/null)" != "$hash" ] || ! ls "$debdir"/virt-sriov_*.deb >/dev/null 2>&1; then
	log "make deb${E2E_CONFIGURE_FLAGS:+ (configure $E2E_CONFIGURE_FLAGS)}"
	rm -rf "$debdir"
	make -C "$top_builddir" deb DEB_DIR="$debdir" DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
		VS_CONFIGURE_FLAGS="$E2E_CONFIGURE_FLAGS" >"$work/deb.log" 2>&1 ||
		{ tail -n 20 "$work/deb.log" >&2; die "make deb failed (log: $work/deb.log)"; }
	# lintian clean (debian/virt-sriov.lintian-overrides says what is
	# overridden and why); its verdict is kept with the package.
	lintian -E --pedantic "$debdir"/virt-sriov_*.changes >"$debdir/lintian.out" 2>&1 || true
	echo "$hash" >"$debdir/.hash"
fi
t_deb=$(date +%s)
host_checks=$work/host-checks.out
: >"$host_checks"
hcheck() { if eval "$2"; then echo "PASS: package: $1"; else echo "FAIL: package: $1"; fi >>"$host_checks"; }
if command -v lintian >/dev/null 2>&1; then
	hcheck "lintian says nothing" '! grep -q "^[EWIPX]: " "$debdir/lintian.out"'
fi
deb=$(ls "$debdir"/virt-sriov_*.deb | grep -v dbgsym)
root=$work/root
rm -rf "$root"
# Hard links: instant, and nothing below writes into a file of the base
# (installed files are new; changed ones are removed first).  dpkg appends
# to its log and rewrites its database and /etc: those get copies.
cp -al "$E2E_CACHE/base" "$root"
for d in etc var; do
	mv "$root/$d" "$root/$d.links" && cp -a "$root/$d.links" "$root/$d" && rm -rf "${root:?}/$d.links"
done
cp "$deb" "$root/tmp/"
# A sanitizer build depends on libasan/libubsan, which Debian's root lacks:
# they are copied in below, so dpkg is told not to mind.
force=
case $E2E_CONFIGURE_FLAGS in *--enable-sanitizers*) force=--force-depends ;; esac
unshare -m --propagation private sh -c '
	set -e
	mount -t proc proc "$1/proc"
	chroot "$1" env LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin dpkg -i $2 "/tmp/$3"
' sh "$root" "$force" "$(basename "$deb")" >"$work/install.log" 2>&1 ||
	{ tail -n 20 "$work/install.log" >&2; die "dpkg -i $(basename "$deb") failed (log: $work/install.log)"; }
rm -f "$root/tmp/$(basename "$deb")"
hcheck "dpkg -i says libvirt must be restarted" 'grep -q "restart libvirtd" "$work/install.log"'
for d in qemu.d network.d; do
	hcheck "$d/virt-sriov is a symlink to the front" \
		'[ "$(readlink "$root/etc/libvirt/hooks/$d/virt-sriov")" = /usr/libexec/virt-sriov/virt-sriov-hook-front ]'
done
hcheck "virt-sriov.service enabled" '[ -L "$root/etc/systemd/system/multi-user.target.wants/virt-sriov.service" ]'
# pulled into each start of libvirt's daemon (issue 13)
for d in libvirtd virtqemud; do
	hcheck "virt-sriov-reconcile.service enabled for $d" \
		"[ -L \"\$root/etc/systemd/system/$d.service.wants/virt-sriov-reconcile.service\" ]"
done
hcheck "virt-sriov.conf a conffile" 'grep -qx /etc/virt-sriov/virt-sriov.conf "$root/var/lib/dpkg/info/virt-sriov.conffiles"'
hcheck "the sample virt-sriov.conf is all comments" '! grep -v -q "^#\|^\$" "$root/etc/virt-sriov/virt-sriov.conf"'
# A sanitizer build needs its runtime libraries, which Debian's root lacks.
for prog in "$root/usr/bin/virt-sriov" "$root/usr/libexec/virt-sriov/virt-sriov-full" "$root/usr/libexec/virt-sriov/virt-sriov-hook" \
	"$root/usr/libexec/virt-sriov/virt-sriov-hook-front"; do
	ldd "$prog" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | while read -r lib; do
		[ -e "$root$lib" ] || [ -e "$root/usr$lib" ] || { mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; }
	done
done

# 3. The test host's own setup: modules, libvirt's configuration (no
# systemd, no polkit, no virtlogd), virt-sriov.conf, the checks.
. "$here/../vm/rootfs.sh"
rootfs_add_modules "$root" "$VM_MODROOT" "$KVER" igb igbvf vfio vfio-pci vfio_iommu_type1
# scenario remote: the NIC QEMU forwards the host's port to
case " $E2E_SCENARIOS " in *" remote "*) rootfs_add_modules "$root" "$VM_MODROOT" "$KVER" virtio_net ;; esac
rootfs_depmod "$root" "$VM_MODROOT" "$KVER"
put() { rm -f "$root$1"; mkdir -p "$root$(dirname "$1")"; cat >"$root$1"; }
put /etc/libvirt/libvirtd.conf <<'CONF'
auth_unix_rw = "none"
unix_sock_group = "root"
log_outputs = "1:file:/var/log/libvirt/libvirtd.log"
# The hook's run time is read from util.command's debug lines.
log_filters = "1:util.command 1:util.hook"
CONF
put /etc/libvirt/qemu.conf <<'CONF'
user = "root"
group = "root"
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
remember_owner = 0
CONF
put /etc/virt-sriov/virt-sriov.conf <"$here/guest/virt-sriov.conf"
mkdir -p "$root/vs/scenarios" "$root/vs/domains"
install -m 755 "$here/guest/init" "$root/vs/init"
cp "$here/../vm/guest/lib.sh" "$root/vs/lib.sh"
cp "$here/guest/e2e-lib.sh" "$root/vs/e2e-lib.sh"
cp "$here"/scenarios/*.sh "$root/vs/scenarios/"
cp "$here"/guest/domains/*.xml "$root/vs/domains/"
# the Ansible module as the tree has it (the ansible scenario)
cp -r "$top_srcdir/contrib/ansible" "$root/vs/ansible"

# 4. The disk image, without mounting anything; the initramfs.
img=$work/root.img
size=$(( $(du -sm "$root" | cut -f1) * 13 / 10 + 256 ))
rm -f "$img"
mke2fs -q -F -t ext4 -O ^has_journal -d "$root" "$img" "${size}M" ||
	die "mke2fs -d $root failed"
"$here/mkinitramfs.sh" "$VM_CACHE/vm.env" "$work/initramfs.cpio"
t_image=$(date +%s)

# 5. Boot: the VM tier's run.sh, with the igb behind an emulated IOMMU and
# the image as a throw-away (snapshot=on) virtio disk.
mkdir -p "$E2E_LOGDIR"
out=$E2E_LOGDIR/e2e.out
list=$(echo "$E2E_SCENARIOS" | tr ' ' ,)
rc=0
# Scenario remote: the VM's libvirtd on a port of the host's loopback, and
# the host's side of the scenario (remote-host.sh) while the VM waits.
remote_net='' remote_out=$work/remote-host.out
: >"$remote_out"
case " $E2E_SCENARIOS " in *" remote "*)
	if [ -z "${E2E_REMOTE_PORT:-}" ]; then
		E2E_REMOTE_PORT=16590
		while [ -n "$(ss -Htln "sport = :$E2E_REMOTE_PORT" 2>/dev/null)" ]; do
			E2E_REMOTE_PORT=$((E2E_REMOTE_PORT + 1))
		done
	fi
	remote_net="-netdev user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$E2E_REMOTE_PORT-:16509 -device virtio-net-pci,netdev=n0"
	log "scenario remote: the VM's libvirtd on 127.0.0.1:$E2E_REMOTE_PORT"
	;;
esac
rm -f "$E2E_LOGDIR/e2e.log"
# shellcheck disable=SC2086
"$here/../vm/run.sh" -q "$VM_QEMU10" -k "$VM_KERNEL" -i "$work/initramfs.cpio" -s e2e \
	-t "$E2E_TIMEOUT" -m 3072 -a "intel_iommu=on vs.e2e=$list${SEED:+ vs.seed=$SEED}${E2E_APPEND:+ $E2E_APPEND}" -l "$E2E_LOGDIR/e2e.log" -- \
	-machine q35 -device intel-iommu \
	-device pcie-root-port,id=rp1,chassis=1 \
	-device igb,bus=rp1,mac=52:54:00:00:01:00 \
	-drive "file=$img,if=virtio,format=raw,snapshot=on" $remote_net >"$out" &
vm=$!
[ -n "$remote_net" ] && "$here/remote-host.sh" "$E2E_LOGDIR/e2e.log" "$E2E_REMOTE_PORT" "$vm" "$E2E_LOGDIR/nodedev" \
	>"$remote_out" 2>&1 &
wait "$vm" || rc=$?
wait
cat "$remote_out" "$host_checks" >>"$out"
cat "$out"
p=$(grep -c '^PASS' "$out" || true)
f=$(grep -c '^FAIL' "$out" || true)
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
end=$(date +%s)
echo "check-e2e: caches $((t_cache - start)) s, package $((t_deb - t_cache)) s, install+image $((t_image - t_deb)) s, VM $((end - t_image)) s, total $((end - start)) s"
[ "$f" -ne 0 ] && echo "check-e2e: the VM's console is in $E2E_LOGDIR/e2e.log"
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
