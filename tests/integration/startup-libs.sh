#!/bin/sh
# Start-up at the exec floor (issue 12): what each program loads.
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
: "${top_srcdir:?}" "${top_builddir:?}" "${VIRT_SRIOV:?}"
command -v readelf >/dev/null 2>&1 || { echo "SKIP: readelf missing (binutils)" >&2; exit 77; }
command -v timeout >/dev/null 2>&1 || { echo "SKIP: timeout missing (coreutils)" >&2; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/vs-startup-libs.XXXXXX")
trap 'exec 3>&-; rm -rf "$T"' EXIT
HOOK=$top_builddir/virt-sriov-hook
FRONT=$top_builddir/virt-sriov-hook-front
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
needed() { readelf -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }

# --- what the programs link
[ -z "$(needed "$VIRT_SRIOV" | grep '^libvirt')" ] || fail "virt-sriov links libvirt: $(needed "$VIRT_SRIOV" | tr '\n' ' ')"
[ -z "$(needed "$HOOK" | grep -e '^libvirt' -e '^libpci')" ] ||
	fail "the full hook links libvirt or libpci: $(needed "$HOOK" | tr '\n' ' ')"
! readelf -sW "$HOOK" | grep -q ' virConnectOpen$' || fail "the full hook has the libvirt loader linked in"
# libc only; a sanitizer build adds the sanitizers' runtimes
front_libs=$(needed "$FRONT" | grep -v -e '^libasan\.' -e '^libubsan\.' | tr '\n' ' ')
[ "$front_libs" = "libc.so.6 " ] || fail "the front links more than libc: $(needed "$FRONT" | tr '\n' ' ')"

# --- virt-sriov: libvirt.so mapped only by the commands that use libvirt
"$top_builddir/tests/tools/gen-host-tree" --profile r730 "$T/host" >/dev/null || { echo "FAIL: gen-host-tree" >&2; exit 1; }
export VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"
LD_DEBUG=libs "$VIRT_SRIOV" --sysfs-root "$T/host" xml hostdev 'em1#0' >"$T/xml" 2>"$T/ld.xml" ||
	fail "xml hostdev: $(grep -v '^ *[0-9]*:' "$T/ld.xml")"
grep -q "<hostdev" "$T/xml" || fail "xml hostdev printed no <hostdev>: $(cat "$T/xml")"
grep -q 'calling init: .*libc\.so' "$T/ld.xml" || { echo "SKIP: LD_DEBUG=libs says nothing here" >&2; exit 77; }
! grep -q 'libvirt\.so' "$T/ld.xml" || fail "xml hostdev loaded libvirt: $(grep 'libvirt\.so' "$T/ld.xml" | head -n 3)"
LD_DEBUG=libs "$VIRT_SRIOV" -c test:///default network list >"$T/list" 2>"$T/ld.list" ||
	fail "network list on test:///default: $(grep -v '^ *[0-9]*:' "$T/ld.list")"
grep -q '^NAME' "$T/list" || fail "network list: $(cat "$T/list")"
grep -q 'calling init: .*libvirt\.so\.0' "$T/ld.list" || fail "network list did not load libvirt.so.0"

# --- libvirt.so.0 that cannot be loaded: a clear error, and the commands
# that do not need libvirt still work
mkdir "$T/badlib"
: >"$T/badlib/libvirt.so.0"
if LD_LIBRARY_PATH=$T/badlib "$VIRT_SRIOV" -c test:///default network list >"$T/out" 2>"$T/err"; then
	fail "network list with an unloadable libvirt.so.0 exits 0"
fi
grep -q "cannot connect to test:///default: cannot load libvirt.so.0: .*libvirt.so.0" "$T/err" ||
	fail "unloadable libvirt.so.0: $(cat "$T/err")"
LD_LIBRARY_PATH=$T/badlib "$VIRT_SRIOV" --sysfs-root "$T/host" xml hostdev 'em1#0' >/dev/null 2>"$T/err" ||
	fail "xml hostdev needs libvirt.so.0: $(cat "$T/err")"

# --- the front
mkdir -p "$T/hooks/qemu.d" "$T/hooks/network.d"
cp "$FRONT" "$T/hooks/qemu.d/virt-sriov"
cp "$FRONT" "$T/hooks/network.d/virt-sriov"
printf '<domain><name>g1</name></domain>\n' >"$T/in.xml"
# as libvirt runs it, with the recording stand-in as the full hook
front() {
	env -i LC_ALL=C PATH=/usr/bin:/bin HOME=/ VIRT_SRIOV_RECORD="$T/rec" \
		VIRT_SRIOV_HOOK_PROGRAM="${FULL-$top_builddir/tests/tools/record-argv}" "$T/hooks/$@"
}
grep -qa '/virt-sriov/virt-sriov-hook' "$FRONT" || fail "the front does not name \$(pkglibexecdir)/virt-sriov-hook"
for op in "qemu.d g1 start begin" "qemu.d g1 started begin" "qemu.d g1 stopped end" "qemu.d g1 release begin" \
	"qemu.d g1 port-created begin" "network.d net1 started begin" "network.d net1 port-created end"; do
	set -- $op
	front "$1/virt-sriov" "$2" "$3" "$4" - <&- 2>"$T/err" || fail "$op, stdin closed: exit $?: $(cat "$T/err")"
	[ ! -s "$T/err" ] || fail "$op: stderr: $(cat "$T/err")"
done
# stdin that never ends: reading it would block until killed
mkfifo "$T/fifo"
exec 3<>"$T/fifo"
timeout 10 env -i VIRT_SRIOV_RECORD="$T/rec" VIRT_SRIOV_HOOK_PROGRAM="$top_builddir/tests/tools/record-argv" \
	"$T/hooks/qemu.d/virt-sriov" g1 started begin - <"$T/fifo" ||
	fail "the front read stdin for an ignored operation (exit $?)"
[ ! -e "$T/rec" ] || fail "the front ran the full hook for an ignored operation: $(cat "$T/rec")"

front qemu.d/virt-sriov g1 prepare begin - <"$T/in.xml" || fail "prepare: exit $?"
printf '%s\n' "$T/hooks/qemu.d/virt-sriov" g1 prepare begin - "stdin: $(wc -c <"$T/in.xml") bytes" >"$T/want"
cmp -s "$T/rec" "$T/want" || fail "prepare: the full hook got $(cat "$T/rec" 2>/dev/null | tr '\n' ' '), want $(tr '\n' ' ' <"$T/want")"
rm -f "$T/rec"
front network.d/virt-sriov net1 port-deleted begin - <"$T/in.xml" || fail "port-deleted: exit $?"
[ "$(head -n 1 "$T/rec" 2>/dev/null)" = "$T/hooks/network.d/virt-sriov" ] || fail "port-deleted: argv[0] $(head -n 1 "$T/rec" 2>/dev/null)"

# the full hook missing: a start fails with a line saying why, teardown does not
if FULL=$T/nonexistent front qemu.d/virt-sriov g1 prepare begin - <"$T/in.xml" 2>"$T/err"; then
	fail "prepare without the full hook exits 0"
fi
grep -q "^virt-sriov-hook: cannot run $T/nonexistent: No such file or directory$" "$T/err" ||
	fail "prepare without the full hook: $(cat "$T/err")"
FULL=$T/nonexistent front qemu.d/virt-sriov g1 release end - <"$T/in.xml" 2>/dev/null ||
	fail "release without the full hook exits non-zero"

[ "$failures" -eq 0 ] || exit 1
echo PASS
