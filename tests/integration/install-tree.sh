#!/bin/sh
# What `make install` gives, into a DESTDIR: with configure's defaults the
# hooks are symlinks in /etc/libvirt/hooks (where the distribution's
# libvirtd looks, whatever the prefix) to the front in pkglibexecdir, the
# state directory is /run/virt-sriov, and the sample virt-sriov.conf is
# installed, changes nothing, and is never overwritten.  And the build tree
# runs without installing: the templates are built in.
. "${top_srcdir:?}/tests/integration/lib.sh"

mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top_builddir" "$@"; }
var() { sed -n "s|^$1 = ||p" "$top_builddir/Makefile" | head -n 1; }
# A make variable as make expands it (the last line: make may first say
# that it refreshes the Makefile).
expand() { mk -f Makefile -f - print <<EOF 2>/dev/null | tail -n 1
print:
	@echo \$($1)
EOF
}

tmpdir install
D=$W/dest
config=$("$top_builddir/config.status" --config)
hookdir=$(var LIBVIRT_HOOKDIR)
runstatedir=$(expand runstatedir)
pkglibexecdir=$(expand pkglibexecdir)
sysconfdir=$(expand sysconfdir)
case $config in
*--with-libvirt-hookdir*) ;;
*) [ "$hookdir" = /etc/libvirt/hooks ] && pass "default hook directory /etc/libvirt/hooks" ||
	fail "default hook directory is '$hookdir', not /etc/libvirt/hooks" ;;
esac
case $config in
*--runstatedir*) ;;
*) [ "$runstatedir" = /run ] && pass "default runstatedir /run" ||
	fail "default runstatedir is '$runstatedir', not /run" ;;
esac
[ -n "$pkglibexecdir" ] || fail "no pkglibexecdir from the Makefile"

mk install DESTDIR="$D" >"$W/install.log" 2>&1 || { fail_log=$W/install.log; fail "make install DESTDIR"; finish; }
front=$pkglibexecdir/virt-sriov-hook-front
for d in qemu.d network.d; do
	link=$D$hookdir/$d/virt-sriov
	if [ -L "$link" ] && [ "$(readlink "$link")" = "$front" ]; then
		pass "$d/virt-sriov is a symlink to $front"
	else
		fail "$d/virt-sriov: not a symlink to $front ($(ls -l "$link" 2>&1))"
	fi
done
[ -x "$D$front" ] && [ -x "$D$pkglibexecdir/virt-sriov-hook" ] && pass "front and full hook installed" ||
	fail "front or full hook missing in $D$pkglibexecdir"
# The front execs the full hook by its installed path; libvirt runs the
# link and passes its own path as argv[0].
grep -q -a "$pkglibexecdir/virt-sriov-hook" "$D$front" && pass "the front names the installed full hook" ||
	fail "the front does not name $pkglibexecdir/virt-sriov-hook"
grep -q -a "$runstatedir/virt-sriov" "$D$pkglibexecdir/virt-sriov-hook" && pass "state directory $runstatedir/virt-sriov" ||
	fail "the hook does not name $runstatedir/virt-sriov"

conf=$D$sysconfdir/virt-sriov/virt-sriov.conf
cmp -s "$conf" "$top_srcdir/conf/virt-sriov.conf" && pass "sample virt-sriov.conf installed" ||
	fail "no sample virt-sriov.conf at $conf"
# Installing changes nothing: every line a comment, apply has nothing to do.
grep -v -q '^#\|^$' "$conf" && fail "the sample has a line that is not a comment"
host_tree "$W/tree" --profile r730
if [ "$(id -u)" -eq 0 ]; then
	VS_TREE=$W/tree
	run apply --no-libvirt --config "$conf" -n
	[ "$rc" -eq 0 ] && [ "$(cat "$W/out")" = "nothing to change" ] && pass "apply with the sample changes nothing" ||
		fail "apply with the sample: exit $rc, would do: $(cat "$W/out" "$W/err")"
	VS_TREE=
fi
echo "# mine" >>"$conf"
mk install DESTDIR="$D" >"$W/install2.log" 2>&1 || fail "second make install"
tail -n 1 "$conf" | grep -q '^# mine$' && pass "a second install keeps the admin's virt-sriov.conf" ||
	fail "a second install overwrote virt-sriov.conf"
mk uninstall DESTDIR="$D" >"$W/uninstall.log" 2>&1 || fail "make uninstall"
[ ! -e "$D$hookdir/qemu.d/virt-sriov" ] && [ ! -L "$D$hookdir/qemu.d/virt-sriov" ] && [ -f "$conf" ] &&
	pass "uninstall removes the links and keeps a changed virt-sriov.conf" ||
	fail "uninstall: links left, or the changed virt-sriov.conf removed"

# The build tree without installed templates nor VIRT_SRIOV_TEMPLATE_DIR.
unset VIRT_SRIOV_TEMPLATE_DIR
"$VIRT_SRIOV" --sysfs-root "$W/tree" xml network em1 >"$W/out" 2>"$W/err" &&
	grep -q '<pf dev="em1"/>' "$W/out" && pass "xml network em1 from the built-in template" ||
	fail "xml network em1 without templates: $(cat "$W/err")"
finish "make install"
