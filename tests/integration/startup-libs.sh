#!/bin/sh
# Start-up at the exec floor: what each program links and loads.
#  - virt-sriov does not link libvirt (src/lib/libvirt-dl.c loads it on
#    first use): a command that never talks to libvirt (xml hostdev on a
#    generated tree) maps no libvirt.so; one that does (network list on
#    test:///default) works through the loader; where libvirt.so.0 cannot be
#    loaded, the error names it and says why.
#  - the full hook links no libvirt, nor the loader.
#  - the front, what libvirt runs from qemu.d/ and network.d/, links libc
#    alone; for an operation it ignores it exits 0 without reading stdin or
#    running anything; a prepare goes to the full hook with argv (argv[0]
#    included) and stdin untouched.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

HOOK=$top_builddir/virt-sriov-hook
FRONT=$top_builddir/virt-sriov-hook-front
RECORD=$top_builddir/tests/tools/record-argv
need_built "$VIRT_SRIOV" "$HOOK" "$FRONT" "$GEN" "$RECORD"
need readelf binutils
need timeout coreutils
tmpdir startup-libs
needed() { readelf -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }

# --- what the programs link
FULL_CLI=$(dirname "$VIRT_SRIOV")/virt-sriov-full
[ -x "$FULL_CLI" ] || fail "no virt-sriov-full beside $VIRT_SRIOV"
[ -z "$(needed "$VIRT_SRIOV" | grep -e '^libvirt' -e '^libxml2')" ] ||
	fail "virt-sriov links libvirt or libxml2: $(needed "$VIRT_SRIOV" | tr '\n' ' ')"
[ -z "$(needed "$FULL_CLI" | grep '^libvirt')" ] || fail "virt-sriov-full links libvirt: $(needed "$FULL_CLI" | tr '\n' ' ')"
[ -z "$(needed "$HOOK" | grep -e '^libvirt' -e '^libpci')" ] ||
	fail "the full hook links libvirt or libpci: $(needed "$HOOK" | tr '\n' ' ')"
! readelf -sW "$HOOK" | grep -q ' virConnectOpen$' || fail "the full hook has the libvirt loader linked in"
# libc only; a sanitizer build adds the sanitizers' runtimes
front_libs=$(needed "$FRONT" | grep -v -e '^libasan\.' -e '^libubsan\.' | tr '\n' ' ')
[ "$front_libs" = "libc.so.6 " ] || fail "the front links more than libc: $(needed "$FRONT" | tr '\n' ' ')"

# --- virt-sriov: libvirt.so mapped only by the commands that use libvirt
host_tree "$W/host" --profile r730
export VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"
LD_DEBUG=libs "$VIRT_SRIOV" --sysfs-root "$W/host" xml hostdev 'em1#0' >"$W/xml" 2>"$W/ld.xml" ||
	fail "xml hostdev: $(grep -v '^ *[0-9]*:' "$W/ld.xml")"
grep -q "<hostdev" "$W/xml" || fail "xml hostdev printed no <hostdev>: $(cat "$W/xml")"
grep -q 'calling init: .*libc\.so' "$W/ld.xml" || skip "LD_DEBUG=libs says nothing here"
! grep -q 'libvirt\.so' "$W/ld.xml" || fail "xml hostdev loaded libvirt: $(grep 'libvirt\.so' "$W/ld.xml" | head -n 3)"
LD_DEBUG=libs "$VIRT_SRIOV" -c test:///default network list >"$W/list" 2>"$W/ld.list" ||
	fail "network list on test:///default: $(grep -v '^ *[0-9]*:' "$W/ld.list")"
grep -q '^NAME' "$W/list" || fail "network list: $(cat "$W/list")"
grep -q 'calling init: .*libvirt\.so\.0' "$W/ld.list" || fail "network list did not load libvirt.so.0"

# --- vf set: neither libxml2 nor libvirt mapped (the lean program runs it);
# xml: the full program, exec'ed with the same command line
LD_DEBUG=libs "$VIRT_SRIOV" --sysfs-root "$W/host" -n vf set 'em1#0-6' --trust on >"$W/vf" 2>"$W/ld.vf" ||
	fail "vf set: $(grep -v '^ *[0-9]*:' "$W/ld.vf")"
grep -q 'IFLA_VF_TRUST' "$W/vf" || fail "vf set -n printed no request: $(cat "$W/vf")"
! grep -q -e 'libxml2\.so' -e 'libvirt\.so' "$W/ld.vf" ||
	fail "vf set loaded libxml2 or libvirt: $(grep -e 'libxml2\.so' -e 'libvirt\.so' "$W/ld.vf" | head -n 3)"
grep -q 'calling init: .*libxml2\.so' "$W/ld.xml" || fail "xml hostdev did not run the full program (no libxml2)"
VIRT_SRIOV_FULL=$W/nosuch "$VIRT_SRIOV" --sysfs-root "$W/host" xml hostdev 'em1#0' >/dev/null 2>"$W/err" &&
	fail "xml hostdev without the full program exits 0"
grep -q "cannot run $W/nosuch (the program for xml)" "$W/err" || fail "no full program: $(cat "$W/err")"

# --- libvirt.so.0 that cannot be loaded: a clear error, and the commands
# that do not need libvirt still work
mkdir "$W/badlib"
: >"$W/badlib/libvirt.so.0"
if LD_LIBRARY_PATH=$W/badlib "$VIRT_SRIOV" -c test:///default network list >"$W/out" 2>"$W/err"; then
	fail "network list with an unloadable libvirt.so.0 exits 0"
fi
grep -q "cannot connect to test:///default: cannot load libvirt.so.0: .*libvirt.so.0" "$W/err" ||
	fail "unloadable libvirt.so.0: $(cat "$W/err")"
LD_LIBRARY_PATH=$W/badlib "$VIRT_SRIOV" --sysfs-root "$W/host" xml hostdev 'em1#0' >/dev/null 2>"$W/err" ||
	fail "xml hostdev needs libvirt.so.0: $(cat "$W/err")"

# --- the front
mkdir -p "$W/hooks/qemu.d" "$W/hooks/network.d"
cp "$FRONT" "$W/hooks/qemu.d/virt-sriov"
cp "$FRONT" "$W/hooks/network.d/virt-sriov"
printf '<domain><name>g1</name></domain>\n' >"$W/in.xml"
# as libvirt runs it, with the recording stand-in as the full hook
front() {
	env -i LC_ALL=C PATH=/usr/bin:/bin HOME=/ VIRT_SRIOV_RECORD="$W/rec" \
		VIRT_SRIOV_HOOK_PROGRAM="${FULL-$RECORD}" "$W/hooks/$@"
}
grep -qa '/virt-sriov/virt-sriov-hook' "$FRONT" || fail "the front does not name \$(pkglibexecdir)/virt-sriov-hook"
for op in "qemu.d g1 start begin" "qemu.d g1 started begin" "qemu.d g1 stopped end" "qemu.d g1 release begin" \
	"qemu.d g1 port-created begin" "network.d net1 started begin" "network.d net1 port-created end"; do
	set -- $op
	front "$1/virt-sriov" "$2" "$3" "$4" - <&- 2>"$W/err" || fail "$op, stdin closed: exit $?: $(cat "$W/err")"
	[ ! -s "$W/err" ] || fail "$op: stderr: $(cat "$W/err")"
done
# stdin that never ends: reading it would block until killed
mkfifo "$W/fifo"
exec 3<>"$W/fifo"
at_exit 'exec 3>&-'
timeout 10 env -i VIRT_SRIOV_RECORD="$W/rec" VIRT_SRIOV_HOOK_PROGRAM="$RECORD" \
	"$W/hooks/qemu.d/virt-sriov" g1 started begin - <"$W/fifo" ||
	fail "the front read stdin for an ignored operation (exit $?)"
[ ! -e "$W/rec" ] || fail "the front ran the full hook for an ignored operation: $(cat "$W/rec")"

front qemu.d/virt-sriov g1 prepare begin - <"$W/in.xml" || fail "prepare: exit $?"
printf '%s\n' "$W/hooks/qemu.d/virt-sriov" g1 prepare begin - "stdin: $(wc -c <"$W/in.xml") bytes" >"$W/want"
cmp -s "$W/rec" "$W/want" || fail "prepare: the full hook got $(cat "$W/rec" 2>/dev/null | tr '\n' ' '), want $(tr '\n' ' ' <"$W/want")"
rm -f "$W/rec"
front network.d/virt-sriov net1 port-deleted begin - <"$W/in.xml" || fail "port-deleted: exit $?"
[ "$(head -n 1 "$W/rec" 2>/dev/null)" = "$W/hooks/network.d/virt-sriov" ] || fail "port-deleted: argv[0] $(head -n 1 "$W/rec" 2>/dev/null)"

# the full hook missing: a start fails with a line saying why, teardown does not
if FULL=$W/nonexistent front qemu.d/virt-sriov g1 prepare begin - <"$W/in.xml" 2>"$W/err"; then
	fail "prepare without the full hook exits 0"
fi
grep -q "^virt-sriov-hook: cannot run $W/nonexistent: No such file or directory$" "$W/err" ||
	fail "prepare without the full hook: $(cat "$W/err")"
FULL=$W/nonexistent front qemu.d/virt-sriov g1 release end - <"$W/in.xml" 2>/dev/null ||
	fail "release without the full hook exits non-zero"

finish "start-up: what virt-sriov, the hook and its front link and load"
