#!/bin/sh
# make check-vm: prepare the cache, build the initramfs from the build
# tree's programs (and, for the install scenario, `make install DESTDIR=`
# of the build), boot each scenario, print "N passed, N failed" (and
# ", N skipped" when the install scenario was skipped).
# Usage: check-vm.sh [SCENARIO...]   (default: $VM_SCENARIOS, else all)
# Environment: top_builddir (required), VM_CACHE (default
# $top_builddir/tests/vm/cache), VM_SCENARIOS, VM_LOGDIR.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build tree}"
: "${VM_CACHE:=$top_builddir/tests/vm/cache}"
: "${VM_LOGDIR:=$top_builddir/tests/vm/logs}"
# The default list: scenarios whose product commands exist. A scenario
# missing here is named in docs/testing-vm.md with the reason.
: "${VM_SCENARIOS:=smoke nvme nvme-noiommu igb hook install apply-igb stress-igb netdevsim representor numa switchdev}"
[ $# -gt 0 ] && VM_SCENARIOS=$*

start=$(date +%s)
missing=''
for tool in apt-get dpkg-deb busybox cpio depmod modinfo ldd jq ip timeout qemu-system-x86_64; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	echo "check-vm: missing:$missing (install the packages in scripts/deps.txt)" >&2
	exit 1
fi
[ "$(id -u)" -eq 0 ] || echo "check-vm: warning: not root; apt downloads may fail" >&2
"$here/prepare.sh" "$VM_CACHE"
# shellcheck source=/dev/null
. "$VM_CACHE/vm.env"

progs=$top_builddir/virt-sriov
for p in virt-sriov-full virt-sriov-hook virt-sriov-hook-front; do
	[ -x "$top_builddir/$p" ] && progs="$progs $top_builddir/$p"
done
mkdir -p "$top_builddir/tests/vm"
initrd=$top_builddir/tests/vm/initramfs.cpio

# The install scenario boots what a plain `./configure && make install`
# gives: the paths it checks are configure's defaults, so a build configured
# with other directories skips it (the reason printed) rather than fails.
# Asked of make, which expands the variables as `make install` does.
make_dirs() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$top_builddir" \
		-f Makefile -f - vs-print-dirs <<'MAKE'
vs-print-dirs:
	@echo 'prefix=$(prefix)'; echo 'bindir=$(bindir)'; echo 'pkglibexecdir=$(pkglibexecdir)'
	@echo 'sysconfdir=$(sysconfdir)'; echo 'runstatedir=$(runstatedir)'; echo 'hookdir=$(hookdir)'
MAKE
}
DEFAULT_DIRS='prefix=/usr/local
bindir=/usr/local/bin
pkglibexecdir=/usr/local/libexec/virt-sriov
sysconfdir=/usr/local/etc
runstatedir=/run
hookdir=/etc/libvirt/hooks'
install_skip='' install_fail=''
destdir_opt=
case " $VM_SCENARIOS " in
*" install "*)
	if ! dirs=$(make_dirs 2>&1); then
		install_fail="cannot read the install directories from $top_builddir/Makefile: $(echo "$dirs" | tr "\n" " ")"
	elif [ "$dirs" != "$DEFAULT_DIRS" ]; then
		install_skip="the build is not configured with the default directories: it has"
		install_skip="$install_skip $(echo "$dirs" | grep -vxF "$DEFAULT_DIRS" | tr '\n' ' ')"
		install_skip="$install_skip(configure's defaults: $(echo "$DEFAULT_DIRS" | tr '\n' ' ')"
		install_skip="${install_skip% })"
	else
		stage=$top_builddir/tests/vm/install-root
		rm -rf "$stage"
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top_builddir" install DESTDIR="$stage" \
			>"$top_builddir/tests/vm/install.log" 2>&1 ||
			{ echo "check-vm: make install DESTDIR=$stage failed:" >&2
			  tail -n 20 "$top_builddir/tests/vm/install.log" >&2; exit 1; }
		destdir_opt="-d $stage"
	fi
	;;
esac
# shellcheck disable=SC2086
"$here/mkinitramfs.sh" $destdir_opt "$VM_CACHE/vm.env" "$initrd" $progs
mkdir -p "$VM_LOGDIR"
prep_done=$(date +%s)

passed=0 failed=0 skipped=0 bad=
for sc in $VM_SCENARIOS; do
	if [ "$sc" = install ] && [ -n "$install_skip" ]; then
		echo "[install] SKIP: $install_skip"
		skipped=$((skipped + 1))
		continue
	fi
	if [ "$sc" = install ] && [ -n "$install_fail" ]; then
		echo "FAIL: install: $install_fail"
		failed=$((failed + 1)) bad="$bad $sc"
		continue
	fi
	VM_QEMU=system VM_APPEND='' VM_DEVICES='' VM_TIMEOUT=300 VM_MEM=1024 VM_CPUS=1
	conf=$here/scenarios/$sc.conf
	if [ ! -f "$conf" ]; then
		echo "FAIL: $sc: no $conf"; failed=$((failed + 1)); bad="$bad $sc"; continue
	fi
	# shellcheck source=/dev/null
	. "$conf"
	case $VM_QEMU in
	qemu10) qemu=$VM_QEMU10 ;;
	*) qemu=$VM_QEMU_SYSTEM ;;
	esac
	if [ -z "$qemu" ]; then
		echo "FAIL: $sc: no $VM_QEMU QEMU (see the prepare: lines above)"
		failed=$((failed + 1)) bad="$bad $sc"
		continue
	fi
	t0=$(date +%s)
	out=$VM_LOGDIR/$sc.out
	rc=0
	# shellcheck disable=SC2086
	"$here/run.sh" -q "$qemu" -k "$VM_KERNEL" -i "$initrd" -s "$sc" \
		-t "$VM_TIMEOUT" -m "$VM_MEM" -c "$VM_CPUS" -a "$VM_APPEND" -l "$VM_LOGDIR/$sc.log" \
		-- $VM_DEVICES >"$out" || rc=$?
	sed "s/^/[$sc] /" "$out"
	p=$(grep -c '^PASS' "$out" || true)
	f=$(grep -c '^FAIL' "$out" || true)
	# A guest that failed without a FAIL line still counts as a failure.
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	passed=$((passed + p)) failed=$((failed + f))
	[ "$f" -ne 0 ] && bad="$bad $sc"
	echo "[$sc] $p passed, $f failed in $(($(date +%s) - t0)) s"
done

end=$(date +%s)
echo "check-vm: preparation $((prep_done - start)) s, total $((end - start)) s"
[ -n "$bad" ] && echo "check-vm: failing scenarios:$bad (logs in $VM_LOGDIR)"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
