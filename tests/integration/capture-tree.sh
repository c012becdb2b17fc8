#!/bin/sh
# `virt-sriov capture DIR` with a generated host as its source (the sample
# host r730 with its VF tables, gen-host-tree --vf-settings; hi1822 with
# VFs on vfio-pci; a host without VF tables): `list --json`, `show` and
# `check` on the capture print what they print on the source, VF settings
# included (DIR/virt-sriov/vfs.json, read instead of rtnetlink); the links
# stay relative; a capture into a non-empty directory is refused.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
tmpdir capture-tree
export VIRT_SRIOV_CONF=$W/none.conf
host_tree "$W/r730" --profile r730 --vf-settings
host_tree "$W/hi1822" --profile hi1822 --vf-settings
host_tree "$W/bare" --profile r730

same() { # same TREE CAPTURE ARGS...: stdout and stderr of both alike
	s=$1 c=$2
	shift 2
	"$VIRT_SRIOV" --sysfs-root "$W/$s" -c test:///default "$@" >"$W/s.out" 2>"$W/s.err"
	"$VIRT_SRIOV" --sysfs-root "$W/$c" -c test:///default "$@" >"$W/c.out" 2>"$W/c.err"
	sed -i "s|$W/$s|ROOT|g" "$W/s.out" "$W/s.err"
	sed -i "s|$W/$c|ROOT|g" "$W/c.out" "$W/c.err"
	if cmp -s "$W/s.out" "$W/c.out" && cmp -s "$W/s.err" "$W/c.err"; then
		pass "$s: $* alike on the capture"
	else
		diff "$W/s.out" "$W/c.out" >&2
		diff "$W/s.err" "$W/c.err" >&2
		fail "$s: $* differs on the capture"
	fi
}

for t in r730 hi1822 bare; do
	run_on "$t" capture "$W/$t.cap"
	[ "$rc" -eq 0 ] || fail "$t: capture: exit $rc: $(cat "$W/err")"
	same "$t" "$t.cap" --json list
	same "$t" "$t.cap" list
	same "$t" "$t.cap" check
	[ -z "$(find "$W/$t.cap" -lname '/*')" ] || fail "$t: absolute links in the capture"
done
same r730 r730.cap show 'em1#3'
same hi1822 hi1822.cap --json show 0000:03:00.0

# the VF settings came from the file, not from "?"
"$VIRT_SRIOV" --sysfs-root "$W/r730.cap" --json list 2>/dev/null >"$W/l.json"
grep -q '"mac": *"02:5e:' "$W/l.json" || fail "r730: VF MACs in list --json of the capture"
grep -q '"spoofchk": *true' "$W/l.json" || fail "r730: spoofchk in list --json of the capture"
cmp -s "$W/r730/virt-sriov/vfs.json" "$W/r730.cap/virt-sriov/vfs.json" || fail "r730: the VF tables as the source's"
[ ! -e "$W/bare.cap/virt-sriov/vfs.json" ] || fail "bare: no VF tables written when none is known"

# a broken VF tables file: a warning naming it, the settings unknown
cp -r "$W/r730.cap" "$W/broken"
printf '{"em1": [{"index": "zero"}]}\n' >"$W/broken/virt-sriov/vfs.json"
run_on broken list em1
[ "$rc" -eq 0 ] || fail "broken tables: exit $rc"
grep -q "vfs.json: em1: entry 0" "$W/err" || fail "broken tables: warning: $(cat "$W/err")"

# refusals
run_on r730 capture "$W/r730.cap"
[ "$rc" -eq 1 ] && grep -q "is not empty" "$W/err" || fail "non-empty DIR: exit $rc: $(cat "$W/err")"
run_on r730 capture
[ "$rc" -eq 2 ] || fail "no DIR: exit $rc, want 2"
finish "capture of generated hosts"
