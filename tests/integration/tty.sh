#!/bin/sh
# What a terminal gets and a pipe or a script does not: `check` colours
# PASS/WARN/FAIL (never with NO_COLOR set, nor with --json), and `numvfs`
# draws a progress line on stderr for a wait over a second, over itself,
# cleared at the end.  script(1) gives the program a pty.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
need script "util-linux"
tmpdir tty
esc=$(printf '\033')
cr=$(printf '\r')

host_tree "$W/noiommu" --no-iommu --pf addr=0000:01:00.0,num=2,netdev=em1
host_tree "$W/grow" --pf addr=0000:02:00.0,total=7,num=0,netdev=em3

# on a pty: stdout and stderr both go to $W/pty
pty() {
	script -qec "$*" /dev/null >"$W/pty" 2>&1 </dev/null || true
}

# --- check
pty "$VIRT_SRIOV" --sysfs-root "$W/noiommu" check
grep -q ": ${esc}\[31mFAIL${esc}\[0m (no IOMMU groups" "$W/pty" || fail "check on a terminal: no red FAIL: $(cat -v "$W/pty")"
grep -q ": ${esc}\[32mPASS${esc}\[0m (vfio-pci driver loaded)" "$W/pty" || fail "check on a terminal: no green PASS"
grep -q ": ${esc}\[33mWARN${esc}\[0m" "$W/pty" || fail "check on a terminal: no yellow WARN"
pty NO_COLOR=1 "$VIRT_SRIOV" --sysfs-root "$W/noiommu" check
grep -q ': FAIL (no IOMMU groups' "$W/pty" || fail "check with NO_COLOR: $(cat -v "$W/pty")"
grep -q "$esc" "$W/pty" && fail "check with NO_COLOR=1 on a terminal: escape codes"
pty NO_COLOR= "$VIRT_SRIOV" --sysfs-root "$W/noiommu" check
grep -q "${esc}\[31mFAIL" "$W/pty" || fail "an empty NO_COLOR turned colour off (no-color.org: set and non-empty)"
pty "$VIRT_SRIOV" --sysfs-root "$W/noiommu" check --json
grep -q "$esc" "$W/pty" && fail "check --json on a terminal: escape codes"
VS_TREE=$W/noiommu
run check
grep -q ': FAIL (no IOMMU groups' "$W/out" || fail "check into a file: $(cat "$W/out")"
grep -q "$esc" "$W/out" && fail "check into a file: escape codes"

# --- numvfs: nothing makes the VFs appear here, so it waits out --timeout
pty "$VIRT_SRIOV" --sysfs-root "$W/grow" -c test:///default numvfs em3 2 --timeout 2
grep -q "only 0 of 2 VFs appeared within 2000 ms" "$W/pty" || fail "numvfs on a terminal: $(cat -v "$W/pty")"
n=$(grep -o "${esc}\[Kwaiting for em3's 2 VFs: 0/2 \.\.\." "$W/pty" | wc -l)
[ "$n" -ge 2 ] && [ "$n" -le 8 ] || fail "numvfs on a terminal: $n progress lines in 2 s (want 2-8: from 1 s, at most 5 a second)"
grep -q "\.\.\.${cr}${esc}\[Kvirt-sriov: " "$W/pty" ||
	fail "numvfs on a terminal: the progress line is not cleared before the message: $(cat -v "$W/pty")"
pty "$VIRT_SRIOV" --sysfs-root "$W/grow" -c test:///default --json numvfs em3 2 --timeout 2
grep -q "waiting for" "$W/pty" && fail "numvfs --json on a terminal: progress line"
VS_TREE=$W/grow
run -c test:///default numvfs em3 2 --timeout 2
[ "$rc" -eq 1 ] || fail "numvfs with no VFs appearing: exit $rc"
grep -q "waiting for\|$esc" "$W/err" && fail "numvfs into a file: progress line: $(cat -v "$W/err")"

finish "colour and progress on a terminal"
