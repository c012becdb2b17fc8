#!/bin/sh
# `virt-sriov apply` through the command line on generated host trees
# (gen-host-tree r730, hi1822, nvme): the planned changes of a dry run, in
# order and as JSON; trees already as configured say "nothing to change"
# (--json: "changed": false); a real run writes sriov_drivers_autoprobe and
# driver_override ("changed": true, predicted by the dry run) and a second
# run changes nothing; bad configurations and refusals exit 1 with FILE:LINE and the
# value, and leave the tree byte for byte as it was; a guest holding a VF
# (libvirt's test driver, a running guest) keeps its PF's VF count.
#
# Nothing in a generated tree reacts to a write: VF creation and binds that
# need a probe are proven by tests/unit/test-hostsetup (a fake kernel) and
# in the VM; here a numvfs change must be reported as a timeout, never as done.
# Leftover hook state: apply --no-libvirt puts back (first) the state files
# written before this boot, keeps newer ones; the CLI has no fake kernel,
# so here the plan and the refusal, the put back itself in the VM (apply-igb).
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
need jq
tmpdir apply-tree
export VIRT_SRIOV_STATE_DIR=$W/state
conf() { printf "$1" >"$W/c.conf"; }
run_conf() { # run_conf TREE ARGS... -> $rc, $W/out, $W/err (with --config $W/c.conf)
	t=$1; shift
	run_on "$t" "$@" --config "$W/c.conf"
}

for p in r730 hi1822 nvme; do host_tree "$W/$p" --profile "$p"; done

# --- dry run: every step, in order; VFs still to be made are "new"
conf '[pf 8086:1521]\ndrivers-autoprobe = no\n[pf em1]\nnumvfs = 7\ndrivers-autoprobe = yes\n[pf em3]\nnumvfs = 2\n[vfs em3#0]\ndriver = vfio-pci\n[vfs em3#1]\ndriver = host\nspoofchk = off\n[vfs em1#5-6]\ndriver = vfio-pci\n'
snap_keep "$W/r730"
run_conf r730 apply --no-libvirt -n
[ "$rc" -eq 0 ] || fail "r730 dry run: exit $rc: $(cat "$W/err")"
expect_out "r730 dry run" \
	"em2 (0000:01:00.1): sriov_drivers_autoprobe 1 -> 0" \
	"em3 (0000:01:00.2): sriov_drivers_autoprobe 1 -> 0" \
	"em4 (0000:01:00.3): sriov_drivers_autoprobe 1 -> 0" \
	"em3 (0000:01:00.2): numvfs 0 -> 2" \
	"em1#5 (0000:01:12.4): driver igbvf -> vfio-pci" \
	"em1#6 (0000:01:13.0): driver igbvf -> vfio-pci" \
	"em3#0: driver none -> vfio-pci (new VF)" \
	"em3#1: driver none -> igbvf (new VF)" \
	"em3#1: spoofchk off (current settings unknown)"
run_conf r730 --json apply --no-libvirt -n
[ "$rc" -eq 0 ] || fail "r730 --json: exit $rc"
jq -e '.version == 1 and .dry_run == true and (has("error") | not) and (.changes | length) == 9' "$W/out" >/dev/null || fail "json: shape"
jq -e '.changes[3] | .step == "numvfs" and .pf == "0000:01:00.2" and .pf_netdev == "em3" and .from == 0
	and .to == 2 and .line == 7 and (has("index") | not)' "$W/out" >/dev/null || fail "json: numvfs change"
jq -e '.changes[8] | .step == "settings" and .index == 1 and .settings.spoofchk == false and .current_unknown' \
	"$W/out" >/dev/null || fail "json: settings change"
jq -e '.changed == true and .steps == {"autoprobe": 3, "numvfs": 1, "driver": 4, "settings": 1, "pool": 0}' \
	"$W/out" >/dev/null || fail "json: changed and steps: $(jq -c '{changed, steps}' "$W/out")"
unchanged "$W/r730" "dry run wrote to the tree"

# --- already as configured: one line says so, nothing written, for each profile
conf '[pf em1]\nnumvfs = 7\ndrivers-autoprobe = yes\n[vfs em1#0-6]\ndriver = host\n[pf em3]\nnumvfs = 0\n[pf 8086:1521]\ndrivers-autoprobe = yes\n'
cp "$W/c.conf" "$W/r730.conf"
printf '[pf enp4s0]\nnumvfs = 2\n[vfs enp4s0#0-1]\ndriver = host\n[pf enp5s0]\nnumvfs = 0\ndrivers-autoprobe = yes\n[vfs enp3s0#2-3]\ndriver = host\n' >"$W/hi1822.conf"
printf '[pf 0000:5e:00.0]\nnumvfs = 4\ndrivers-autoprobe = yes\n[vfs 0000:5e:00.0#2-3]\ndriver = host\n' >"$W/nvme.conf"
for p in r730 hi1822 nvme; do
	cp "$W/$p.conf" "$W/c.conf"
	snap_keep "$W/$p"
	for mode in -n ""; do
		run_conf "$p" apply --no-libvirt $mode
		[ "$rc" -eq 0 ] || fail "$p in state $mode: exit $rc: $(cat "$W/err")"
		expect_out "$p in state $mode" "nothing to change"
		run_conf "$p" --json apply --no-libvirt $mode
		jq -e '.changed == false and (.changes | length) == 0 and ([.steps[]] | add) == 0' "$W/out" >/dev/null ||
			fail "$p in state $mode: json: $(cat "$W/out")"
	done
	unchanged "$W/$p" "$p in state: tree changed"
done

# --- nvme: a count change is planned (dry run); VF settings need a netdev
printf '[pf 0000:5e:00.0]\nnumvfs = 8\n' >"$W/c.conf"
run_conf nvme apply --no-libvirt -n
[ "$rc" -eq 1 ] || fail "nvme 4->8 with VFs on vfio-pci, libvirt not asked: exit $rc, want 1"
grep -q "c.conf:2: numvfs = 8 for 0000:5e:00.0 (0000:5e:00.0) refused: VF 0 (0000:5e:00.1) is on vfio-pci" "$W/err" ||
	fail "nvme guard: $(cat "$W/err")"
conf '[pf 0000:5e:00.0]\nnumvfs = 0\n'
run_conf nvme -c test:///default apply -n
[ "$rc" -eq 0 ] || fail "nvme 4->0 with libvirt asked: exit $rc: $(cat "$W/err")"
expect_out "nvme remove" "0000:5e:00.0: numvfs 4 -> 0"
conf '[vfs 0000:5e:00.0#3]\ntrust = on\n'
run_conf nvme apply --no-libvirt -n
[ "$rc" -eq 1 ] && grep -q "c.conf:2: \[vfs 0000:5e:00.0#3\]: 0000:5e:00.0: the PF has no netdev" "$W/err" ||
	fail "nvme settings: exit $rc: $(cat "$W/err")"

# --- a real run on what a tree can take: autoprobe, driver_override pins
conf '[pf 8086:1521]\ndrivers-autoprobe = no\n[vfs p2p1#0-3]\ndriver = vfio-pci\n'
run_conf r730 --json apply --no-libvirt -n
jq -e '.dry_run and .changed and .steps.autoprobe == 4 and .steps.driver == 4' "$W/out" >/dev/null ||
	fail "r730 dry run predicts the change: $(jq -c '{changed, steps}' "$W/out")"
run_conf r730 apply --no-libvirt
[ "$rc" -eq 0 ] || fail "r730 apply: exit $rc: $(cat "$W/err")"
expect_out "r730 apply" \
	"em1 (0000:01:00.0): sriov_drivers_autoprobe 1 -> 0" \
	"em2 (0000:01:00.1): sriov_drivers_autoprobe 1 -> 0" \
	"em3 (0000:01:00.2): sriov_drivers_autoprobe 1 -> 0" \
	"em4 (0000:01:00.3): sriov_drivers_autoprobe 1 -> 0" \
	"p2p1#0 (0000:19:10.0): driver vfio-pci -> vfio-pci" \
	"p2p1#1 (0000:19:10.2): driver vfio-pci -> vfio-pci" \
	"p2p1#2 (0000:19:10.4): driver vfio-pci -> vfio-pci" \
	"p2p1#3 (0000:19:10.6): driver vfio-pci -> vfio-pci"
D=$W/r730/sys/bus/pci/devices
for pf in 0000:01:00.0 0000:01:00.1 0000:01:00.2 0000:01:00.3; do
	[ "$(cat "$D/$pf/sriov_drivers_autoprobe")" = 0 ] || fail "$pf: sriov_drivers_autoprobe not written"
done
for vf in 0000:19:10.0 0000:19:10.2 0000:19:10.4 0000:19:10.6; do
	[ "$(cat "$D/$vf/driver_override")" = vfio-pci ] || fail "$vf: driver_override not written"
done
[ "$(cat "$D/0000:19:00.1/sriov_drivers_autoprobe")" = 1 ] || fail "82599 p2p2 autoprobe touched"
snap_keep "$W/r730"
run_conf r730 --json apply --no-libvirt -n
jq -e '.dry_run and .changed == false' "$W/out" >/dev/null || fail "dry run after apply: $(cat "$W/out")"
run_conf r730 --json apply --no-libvirt
[ "$rc" -eq 0 ] || fail "second apply --json: exit $rc: $(cat "$W/err")"
jq -e '(.dry_run | not) and .changed == false and ([.steps[]] | add) == 0' "$W/out" >/dev/null ||
	fail "second apply --json: $(cat "$W/out")"
run_conf r730 apply --no-libvirt
[ "$rc" -eq 0 ] || fail "third apply: exit $rc"
expect_out "third apply" "nothing to change"
unchanged "$W/r730" "second apply wrote"

# --- numvfs on a tree: the write is made, nothing reacts: a bounded wait
# that ends in an error naming the PF, not a change reported as done
conf '[pf em4]\nnumvfs = 2\n'
run_conf r730 apply --no-libvirt --timeout 1
[ "$rc" -eq 1 ] || fail "numvfs on a tree: exit $rc, want 1"
grep -q "0000:01:00.3: only 0 of 2 VFs appeared within 1000 ms" "$W/err" || fail "numvfs timeout: $(cat "$W/err")"
grep -q numvfs "$W/out" && fail "numvfs reported as done: $(cat "$W/out")"

# --- a VF on vfio-pci, libvirt not asked: not moved to the host driver
printf '[vfs enp3s0#0]\ndriver = host\n' >"$W/c.conf"
snap_keep "$W/hi1822"
run_conf hi1822 apply --no-libvirt
[ "$rc" -eq 1 ] || fail "hi1822 unguarded move: exit $rc"
grep -q "c.conf:2: driver = host for enp3s0#0 (0000:03:00.1) refused: the VF is on vfio-pci and libvirt was not asked" \
	"$W/err" || fail "hi1822 guard: $(cat "$W/err")"
unchanged "$W/hi1822" "refused move wrote"

# --- bad configurations: FILE:LINE and the value; nothing changed
bad() { # bad CONF MESSAGE
	conf "[pf em2]\\ndrivers-autoprobe = no\\n$1"
	snap_keep "$W/r730"
	run_conf r730 apply --no-libvirt
	[ "$rc" -eq 1 ] || fail "bad '$1': exit $rc, want 1"
	grep -qF "$W/c.conf:$2" "$W/err" || fail "bad '$1': message: $(cat "$W/err")"
	unchanged "$W/r730" "bad '$1': the tree changed"
}
bad '[pf em1]\nnumvf = 7\n' "4: unknown key 'numvf'"
bad '[pf em9]\nnumvfs = 1\n' "3: [pf em9]: no SR-IOV PF 'em9' on this host"
bad '[pf em1]\nnumvfs = 8\n' "4: numvfs = 8 for em1 (0000:01:00.0): the PF allows at most 7 (sriov_totalvfs)"
bad '[vfs em1#0-3]\ndriver = vfio-pci\n[vfs em1#2-4]\ndriver = host\n' "5: [vfs em1#2-4]: VF 2 of em1 (0000:01:00.0) is also in [vfs em1#0-3] (line 3)"
bad '[vfs em1#6]\nmac = 02:00:00:00:01\n' "4: mac 02:00:00:00:01: not a MAC address"
bad '[pf em1]\nnumvfs = 4\n[vfs em1#0-5]\ndriver = host\n' "5: [vfs em1#0-5]: VF 4 is beyond the 4 VFs em1 (0000:01:00.0) is set to have"
bad '[vfs em1#0]\ndriver = mlx5_core\n' "4: driver = mlx5_core: the driver is not loaded"

# --- a running guest holds em1's VF 2: its count stays, the guest is named
vf2=$(basename "$(readlink "$D/0000:01:00.0/virtfn2")")
write_guest_holding_vf "$vf2" "$W/guests.xml"
conf '[pf em1]\nnumvfs = 3\n'
snap_keep "$W/r730"
for mode in -n ""; do
	run_conf r730 -c "test://$W/guests.xml" apply $mode
	[ "$rc" -eq 1 ] || fail "held VF $mode: exit $rc, want 1"
	grep -q "c.conf:2: numvfs = 3 for em1 (0000:01:00.0) refused: VF 2 ($vf2) is used by guest 'guest1'" "$W/err" ||
		fail "held VF $mode: message: $(cat "$W/err")"
done
run_conf r730 -c "test://$W/guests.xml" --json apply
jq -e '.error | test("guest .guest1.")' "$W/out" >/dev/null || fail "json: error lacks the guest"
unchanged "$W/r730" "held VF: the tree changed"
# settings of the held VF are left to the hook; its neighbour's are not
conf '[vfs em1#1-2]\ntrust = on\n'
run_conf r730 -c "test://$W/guests.xml" apply -n
[ "$rc" -eq 0 ] || fail "held VF settings: exit $rc: $(cat "$W/err")"
grep -q "^em1#1 " "$W/out" && ! grep -q "^em1#2 " "$W/out" || fail "held VF settings: $(cat "$W/out")"

# --- no configuration file: an error naming it (the unit does not start
# without the file: ConditionPathExists=)
rm -f "$W/c.conf"
run_conf r730 apply --no-libvirt
[ "$rc" -eq 1 ] && [ ! -s "$W/out" ] && grep -q "$W/c.conf: no such file" "$W/err" ||
	fail "no file: exit $rc: $(cat "$W/out" "$W/err")"

# --- leftover hook state (a guest whose release never ran): the fake hook
# saves it for em1#0, then apply puts it back before anything else
vf0=$(basename "$(readlink "$D/0000:01:00.0/virtfn0")")
{
	printf '{"em1":['
	for i in 0 1 2 3 4 5; do printf '%s,' "$(fake_vf $i)"; done
	printf '%s]}\n' "$(fake_vf 6)"
} >"$W/fake.json"
printf '[pf em1]\nallow-spoofchk-off = yes\nallow-trust-on = yes\n' >"$W/hook.conf"
bus=${vf0#*:} bus=${bus%%:*} slot=${vf0##*:} slot=${slot%.*} fn=${vf0##*.}
sed "s|<address domain='0x0000' bus='0x01' slot='0x10' function='0x2'/>|<address domain='0x0000' bus='0x$bus' slot='0x$slot' function='0x$fn'/>|" \
	"$top_srcdir/tests/data/hook/policy/l2hd_prepare.xml" >"$W/l2hd.xml"
env -i LC_ALL=C PATH=/usr/bin:/bin HOME=/ VIRT_SRIOV_SYSFS_ROOT="$W/r730" VIRT_SRIOV_STATE_DIR="$W/state" \
	VIRT_SRIOV_CONF="$W/hook.conf" VIRT_SRIOV_FAKE_VFS="$W/fake.json" VIRT_SRIOV_HOOK_LOG="$W/hook.log" \
	"$top_builddir/tests/tools/virt-sriov-hook-fake" l2hd prepare begin - <"$W/l2hd.xml" 2>"$W/err" ||
	fail "leftover: hook prepare: $(cat "$W/err")"
st=$W/state/6dd2ed15-ba3e-4b22-858f-bcffc73036be.json
[ -f "$st" ] || fail "leftover: no state file"
: >"$W/c.conf"
run_conf r730 apply --no-libvirt -n
[ "$rc" -eq 0 ] && [ "$(cat "$W/out")" = "nothing to change" ] || fail "leftover since boot: exit $rc: $(cat "$W/out" "$W/err")"
grep -q "1 guest state file(s) written since boot kept" "$W/err" || fail "leftover since boot: $(cat "$W/err")"
touch -d @946684800 "$st"
run_conf r730 apply --no-libvirt -n
[ "$rc" -eq 0 ] || fail "leftover dry run: exit $rc: $(cat "$W/err")"
expect_out "leftover dry run" "would put back VF $vf0 (em1#0) of guest l2hd (6dd2ed15-ba3e-4b22-858f-bcffc73036be)"
run_conf r730 --json apply --no-libvirt -n
jq -e '(.reconciled | length) == 1 and .reconciled[0].guest == "l2hd" and .reconciled[0].vfs[0].address == "'"$vf0"'"
	and (.changes | length) == 0 and .changed' "$W/out" >/dev/null || fail "leftover json: $(cat "$W/out")"
# with libvirt (its test driver): kept while the guest runs, whatever the age
sed "s|<name>guest1</name>|<name>l2hd</name><uuid>6dd2ed15-ba3e-4b22-858f-bcffc73036be</uuid>|" \
	"$W/guests.xml" >"$W/l2hd-runs.xml"
run_conf r730 -c "test://$W/l2hd-runs.xml" apply -n
[ "$rc" -eq 0 ] && [ "$(cat "$W/out")" = "nothing to change" ] && [ ! -s "$W/err" ] ||
	fail "leftover of a running guest: $(cat "$W/out" "$W/err")"
run_conf r730 -c "test://$W/guests.xml" apply -n
[ "$rc" -eq 0 ] || fail "leftover, guest not running: exit $rc: $(cat "$W/err")"
expect_out "leftover, guest not running" "would put back VF $vf0 (em1#0) of guest l2hd (6dd2ed15-ba3e-4b22-858f-bcffc73036be)"
snap_keep "$W/r730"
# after the validation: a bad configuration puts nothing back either
conf '[pf em1]\nnumvf = 7\n'
run_conf r730 apply --no-libvirt
[ "$rc" -eq 1 ] && [ ! -s "$W/out" ] && [ -f "$st" ] || fail "leftover, bad config: exit $rc: $(cat "$W/out")"
: >"$W/c.conf"
run_conf r730 apply --no-libvirt
[ "$rc" -eq 1 ] || fail "leftover, no em1 in this kernel: exit $rc, want 1"
grep -q "^could not put back VF $vf0 (em1#0) of guest l2hd" "$W/out" || fail "leftover: $(cat "$W/out")"
grep -q "could not be put back" "$W/err" || fail "leftover message: $(cat "$W/err")"
[ -f "$st" ] || fail "leftover: apply dropped a VF it could not put back"
unchanged "$W/r730" "leftover: the tree changed"
rm -rf "$W/state"

# --- usage errors
run_conf r730 apply --no-libvirt extra
[ "$rc" -eq 2 ] || fail "extra argument: exit $rc, want 2"
run_conf r730 apply --timeout 0
[ "$rc" -eq 2 ] || fail "--timeout 0: exit $rc, want 2"

finish "apply on generated trees"
