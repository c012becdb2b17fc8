#!/bin/sh
# The hook installed in a real, private libvirtd's hooks folder
# (libvirtd-harness.sh): the policy is stored with `virt-sriov policy` over
# the daemon's API; a guest whose policy the host forbids does not start and
# libvirt's error carries the hook's message; a guest with a <hostdev> on a
# VF runs prepare, then (the start failing on this machine without the
# device) release, and the VF and the state directory end as they began.
#
# libvirt gives hooks only LC_ALL, PATH and HOME: a small wrapper in the
# hooks folder adds the test roots (generated sysfs tree, state dir, config,
# the fake VF tables) and execs the hook's front under its own name, so the
# hook still tells qemu.d from network.d; the front execs the test build of
# the full hook ($VIRT_SRIOV_HOOK_PROGRAM) for the operations it acts on.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${VIRT_SRIOV:?}"
. "$top_srcdir/tests/integration/libvirtd-harness.sh"

command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing" >&2; exit 77; }
command -v bash >/dev/null 2>&1 || { echo "SKIP: bash missing (exec -a)" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/vs-hook-libvirtd.XXXXXX")
vs_test_cleanup() { rm -rf "$T"; }
fail() { echo "FAIL: $*" >&2; tail -n 20 "$T/hook.log" >&2 2>/dev/null; exit 1; }

"$top_builddir/tests/tools/gen-host-tree" \
	--pf addr=0000:03:00.0,netdev=em1,offset=129,stride=2,num=2,total=7 "$T/tree" >/dev/null || fail gen-host-tree
vf() { printf '{"index":%d,"mac":"00:00:00:00:00:00","vlan":0,"qos":0,"spoofchk":true,"trust":false,"link_state":"auto","min_tx_rate":0,"max_tx_rate":0}' "$1"; }
printf '{"em1":[%s,%s]}\n' "$(vf 0)" "$(vf 1)" >"$T/fake.json"
cp "$T/fake.json" "$T/orig.json"
: >"$T/host.conf"
mkdir -p "$T/hooks/qemu.d" "$T/hooks/network.d"
for d in qemu.d network.d; do
	cat >"$T/hooks/$d/virt-sriov" <<EOF
#!/bin/bash
export VIRT_SRIOV_SYSFS_ROOT=$T/tree VIRT_SRIOV_STATE_DIR=$T/state VIRT_SRIOV_CONF=$T/host.conf
export VIRT_SRIOV_FAKE_VFS=$T/fake.json VIRT_SRIOV_HOOK_LOG=$T/hook.log
export VIRT_SRIOV_HOOK_PROGRAM=$top_builddir/tests/tools/virt-sriov-hook-fake
exec -a "\$0" $top_builddir/virt-sriov-hook-front "\$@"
EOF
	chmod +x "$T/hooks/$d/virt-sriov"
done

mkdir -p "$T/daemon"
vs_libvirtd_start "$T/daemon" "$T/hooks"
rc=$?
[ $rc -eq 0 ] || exit $rc
echo "libvirtd up in ${VS_LIBVIRTD_START_MS} ms"
virsh_() { virsh -q -c "$VS_LIBVIRT_URI" "$@"; }
vs() { "$VIRT_SRIOV" -c "$VS_LIBVIRT_URI" "$@"; }

vs_libvirtd_domain_xml g1 "<hostdev mode='subsystem' type='pci' managed='yes'>
  <source><address domain='0x0000' bus='0x03' slot='0x10' function='0x1'/></source></hostdev>" >"$T/g1.xml"
virsh_ define "$T/g1.xml" >/dev/null || fail "define g1"

# --- policy set / show / clear through the daemon
vs policy set g1 --spoofchk off --trust on --config || fail "policy set"
vs policy set g1 --vf 0000:03:10.1 --max-tx-rate 100 --config || fail "policy set --vf"
vs --json policy show g1 >"$T/show.json" || fail "policy show"
[ "$(jq -r '.rules | length' "$T/show.json")" = 2 ] || fail "policy show: $(cat "$T/show.json")"
[ "$(jq -r '.rules[1].match + " " + .rules[1].settings."max-tx-rate"' "$T/show.json")" = "0000:03:10.1 100" ] ||
	fail "policy show: $(cat "$T/show.json")"
virsh_ dumpxml --inactive g1 | grep -q "<vsp:policy xmlns:vsp=\"https://virt-sriov.org/xmlns/policy/1\">" ||
	fail "policy is not in the domain's <metadata>"
vs policy clear g1 --vf 0000:03:10.1 --config || fail "policy clear --vf"
[ "$(vs --json policy show g1 | jq -r '.rules | length')" = 1 ] || fail "policy clear --vf removed more than one rule"
if vs policy set g1 --spoofchk sometimes --config 2>"$T/err"; then fail "bad value accepted"; fi
grep -q "spoofchk 'sometimes' is not valid" "$T/err" || fail "policy set message: $(cat "$T/err")"

# --- forbidden by the host: libvirt refuses to start, with the hook's words
if virsh_ start g1 2>"$T/start.err"; then fail "a guest the host forbids started"; fi
cat "$T/start.err"
grep -q "guest 'g1': VF 0000:03:10.1 (em1#0): spoofchk off is not allowed" "$T/start.err" ||
	fail "libvirt's error does not carry the hook's message"
[ "$(jq -S . "$T/fake.json")" = "$(jq -S . "$T/orig.json")" ] || fail "refused guest changed the VF"

# --- allowed: prepare applies, the start fails (no such device here), release puts back
printf '[pf em1]\nallow-spoofchk-off = yes\nallow-trust-on = yes\n' >"$T/host.conf"
: >"$T/hook.log"
if virsh_ start g1 2>"$T/start.err"; then virsh_ destroy g1 >/dev/null 2>&1; fi
cat "$T/start.err"
grep -q "^prepare: guest 'g1': VF 0000:03:10.1 (em1#0): spoofchk=off trust=on" "$T/hook.log" || fail "prepare did not apply"
grep -q "^release: guest 'g1': VF 0000:03:10.1 (em1#0): put back spoofchk=on trust=off" "$T/hook.log" ||
	fail "release did not put the VF back"
[ "$(jq -S . "$T/fake.json")" = "$(jq -S . "$T/orig.json")" ] || fail "VF not as it began"
[ -z "$(ls -A "$T/state" 2>/dev/null)" ] || fail "state dir not empty: $(ls -A "$T/state")"
vs policy clear g1 --config || fail "policy clear"
[ "$(vs --json policy show g1 | jq -r '.rules | length')" = 0 ] || fail "policy clear left rules"

# --- reconcile: a state file left by a hook that never saw release (g1 is
# not running).  The product's netlink finds no em1 in this kernel, so the
# VF cannot be put back: it is reported and stays saved.
uuid=$(virsh_ domuuid g1)
"$T/hooks/qemu.d/virt-sriov" g1 prepare begin - <"$T/g1.xml" 2>"$T/err" || true
sed "s|<name>g1</name>|<name>g1</name><uuid>$uuid</uuid><metadata><p:policy xmlns:p='https://virt-sriov.org/xmlns/policy/1'><p:vf trust='on'/></p:policy></metadata>|" \
	"$T/g1.xml" >"$T/g1-policy.xml"
"$T/hooks/qemu.d/virt-sriov" g1 prepare begin - <"$T/g1-policy.xml" || fail "prepare outside libvirt"
[ -f "$T/state/$uuid.json" ] || fail "no state file for g1"
export VIRT_SRIOV_STATE_DIR=$T/state
vs --json reconcile --dry-run >"$T/rec.json" || fail "reconcile --dry-run"
[ "$(jq -r '.[0].guest + " " + .[0].vfs[0].address' "$T/rec.json")" = "g1 0000:03:10.1" ] ||
	fail "reconcile --dry-run: $(cat "$T/rec.json")"
if vs reconcile >"$T/out" 2>"$T/err"; then fail "reconcile claims to have put back a VF of a PF the kernel lacks"; fi
grep -q "em1" "$T/err" || fail "reconcile message: $(cat "$T/err")"
grep -q "^could not put back VF 0000:03:10.1 (em1#0) of guest g1" "$T/out" || fail "reconcile output: $(cat "$T/out")"
[ -f "$T/state/$uuid.json" ] || fail "reconcile dropped a VF it could not put back"
if "$VIRT_SRIOV" -c "qemu:///system?socket=$T/nonexistent" reconcile 2>"$T/err"; then fail "reconcile guessed without libvirt"; fi
grep -q "cannot tell which guests run" "$T/err" || fail "reconcile without libvirt: $(cat "$T/err")"
echo PASS
