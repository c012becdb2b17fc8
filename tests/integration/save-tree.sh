#!/bin/sh
# --save of numvfs, bind and vf set on the generated sample host (r730):
# the change goes into the configuration file, comments and order kept, so
# that `apply -n` from that file has nothing left to do; without --save one
# note says the change lasts until reboot (not with --json, not in a dry
# run); a result the parser refuses, or a change that fails, leaves the file
# byte for byte as it was; apply with a missing file is an error naming it.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
need jq
tmpdir save-tree
export VIRT_SRIOV_STATE_DIR=$W/state
host_tree "$W/t" --profile r730
VS_TREE=$W/t
C=$W/virt-sriov.conf
export VIRT_SRIOV_CONF=$W/unused.conf
printf '# the sample host\n[defaults]\nspoofchk = on   # always\n\n# first port\n[pf em1]\nallow-trust-on = yes\n\n# a pool\n[pool tenants]\npf = em1\n' >"$C"
chmod 640 "$C"
cp "$C" "$W/orig.conf"

# --- apply with no file: an error naming it, exit 1
expect 1 "$W/none.conf: no such file" apply --no-libvirt -n --config "$W/none.conf"
VIRT_SRIOV_CONF=$W/none.conf expect 1 "$W/none.conf: no such file" apply --no-libvirt -n

# --- without --save: the note, once; none in a dry run or with --json
run numvfs em1 7
[ "$rc" -eq 0 ] || fail "numvfs em1 7: exit $rc: $(cat "$W/err")"
[ "$(grep -c 'lasts until reboot' "$W/err")" -eq 1 ] || fail "numvfs: the note, once: $(cat "$W/err")"
grep -q 'use --save to keep it' "$W/err" || fail "numvfs: the note names --save"
run -n numvfs em1 7
grep -q 'until reboot' "$W/err" && fail "dry run: no note"
run -n bind em1#0 --driver igbvf -c test:///default
grep -q 'until reboot' "$W/err" && fail "bind dry run: no note"

# --- numvfs --save: the key added into the existing [pf em1]
run numvfs em1 7 --save --config "$C"
[ "$rc" -eq 0 ] || fail "numvfs --save: exit $rc: $(cat "$W/err")"
grep -q 'until reboot' "$W/err" && fail "numvfs --save: no note"
printf '# the sample host\n[defaults]\nspoofchk = on   # always\n\n# first port\n[pf em1]\nallow-trust-on = yes\nnumvfs = 7\n\n# a pool\n[pool tenants]\npf = em1\n' >"$W/want.conf"
cmp -s "$W/want.conf" "$C" || { diff "$W/want.conf" "$C" >&2; fail "numvfs --save: the file"; }
[ "$(stat -c %a "$C")" = 640 ] || fail "numvfs --save: mode kept: $(stat -c %a "$C")"

# --- bind --save: a new [vfs] section, by the VFSET as given and by address
vf1=$(basename "$(readlink "$W/t/sys/bus/pci/devices/0000:01:00.0/virtfn1")")
run -c test:///default bind em1#0 "$vf1" --driver igbvf --save --config "$C"
[ "$rc" -eq 0 ] || fail "bind --save: exit $rc: $(cat "$W/err")"
tail -n 6 "$C" >"$W/tail"
printf '\n[vfs em1#0]\ndriver = igbvf\n\n[vfs em1#1]\ndriver = igbvf\n' | cmp -s - "$W/tail" ||
	{ cat "$W/tail" >&2; fail "bind --save: the sections added"; }
# numvfs again: the key replaced on its line, not added twice
run numvfs em1 7 --save --config "$C"
[ "$(grep -c '^numvfs = 7$' "$C")" -eq 1 ] || fail "numvfs --save twice: one line"

# --- what was saved is what the host is: apply has nothing to do
run apply --no-libvirt -n --config "$C"
[ "$rc" -eq 0 ] || fail "apply -n: exit $rc: $(cat "$W/err")"
[ "$(cat "$W/out")" = "nothing to change" ] || { cat "$W/out" >&2; fail "apply -n after --save: nothing to do"; }

# --- check: host setup in the file, virt-sriov.service not enabled: WARN;
# enabled (a link in a *.wants/ under the tree's etc/systemd/system): PASS
VIRT_SRIOV_CONF=$C run check --json
unit_status() { jq -r '[.checks[] | select(.check == "boot-unit") | .status] | join(",")' "$W/out"; }
[ "$(unit_status)" = WARN ] || fail "check: boot-unit WARN: $(unit_status)"
grep -q 'systemctl enable virt-sriov.service' "$W/out" || fail "check: the remedy"
mkdir -p "$W/t/etc/systemd/system/multi-user.target.wants"
ln -s /lib/systemd/system/virt-sriov.service "$W/t/etc/systemd/system/multi-user.target.wants/virt-sriov.service"
VIRT_SRIOV_CONF=$C run check --json
[ "$(unit_status)" = PASS ] || fail "check: boot-unit PASS once enabled: $(unit_status)"
VIRT_SRIOV_CONF=$W/orig.conf run check --json
[ -z "$(unit_status)" ] || fail "check: no boot-unit result without host setup"
rm -r "$W/t/etc"

# --- usage
expect 2 "vf reset: unrecognized option '--save'" vf reset 'em1#0' --save

# --- refusals leave the file as it was
cp "$C" "$W/before.conf"
snap_keep "$W/t"
# a MAC is for one VF: conf.c refuses [vfs em1#0-3] mac = ..., naming the line
run vf set 'em1#0-3' --trust on --save --config "$C"
cmp -s "$W/before.conf" "$C" || fail "vf set on a tree without a kernel: nothing saved"
printf '[vfs em1#0-1]\nmac = 02:00:00:00:00:01\n' >>"$C"
cp "$C" "$W/bad.conf"
run -c test:///default bind em1#0 --driver igbvf --save --config "$C"
[ "$rc" -eq 1 ] || fail "invalid result: exit $rc, want 1"
grep -q "$C:[0-9]*: .*mac" "$W/err" || fail "invalid result: names the line: $(cat "$W/err")"
cmp -s "$W/bad.conf" "$C" || fail "invalid result: the file untouched"
unchanged "$W/t" "a refused --save changed the tree"
[ -z "$(find "$W" -maxdepth 1 -name '.virt-sriov.conf.*')" ] || fail "a temporary file was left"
finish "--save on the sample host"
