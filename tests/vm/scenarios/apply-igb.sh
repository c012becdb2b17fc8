# virt-sriov apply --no-libvirt, as the boot unit runs it, on igb (82576):
# from a configuration file alone the VFs are created, 0-5 bound to
# vfio-pci, 6 left on igbvf with its static settings; checked with sysfs and
# ip.  A second run changes nothing; a count change while VFs are on
# vfio-pci and libvirt cannot be asked is refused.  A hook state file left
# from before this boot (a guest whose release never ran) is put back by
# apply first; one written since boot is kept (a guest may run).
. /vs/lib.sh
load igb igbvf vfio-pci

igb_pf
require_command apply || exit 0

cat >/tmp/vs.conf <<CONF
[pf $PF]
numvfs = 7
drivers-autoprobe = no

[vfs $PF#0-5]
driver = vfio-pci

[vfs $PF#6]
driver = host
mac = 02:00:00:00:01:06
spoofchk = off
trust = on
CONF

if vs apply --no-libvirt --config /tmp/vs.conf >/tmp/apply.out; then
	pass "apply --no-libvirt"
else
	fail "apply --no-libvirt" "$(vs_stderr)"
fi
cat /tmp/apply.out
# autoprobe, numvfs, 7 drivers, the settings of VF 6
expect_eq "apply: one line per change" "$(wc -l </tmp/apply.out)" 10
expect_eq "sysfs sriov_numvfs" "$(cat "$pf/sriov_numvfs")" 7
expect_eq "sysfs sriov_drivers_autoprobe" "$(cat "$pf/sriov_drivers_autoprobe")" 0
for i in 0 1 2 3 4 5; do
	expect_eq "VF $i on vfio-pci" "$(dev_driver "$pf/virtfn$i")" vfio-pci
	expect_eq "VF $i driver_override" "$(cat "$pf/virtfn$i/driver_override")" vfio-pci
done
expect_eq "VF 6 on igbvf" "$(dev_driver "$pf/virtfn6")" igbvf
wait_for 10 sh -c "ls $pf/virtfn6/net/* >/dev/null 2>&1" || fail "VF 6 has an igbvf netdev"
line=$(ip_vf "$PF" 6)
expect_match "ip: VF 6 MAC" "$line" "link/ether 02:00:00:00:01:06"
expect_match "ip: VF 6 spoof checking off" "$line" "spoof checking off"
expect_match "ip: VF 6 trust on" "$line" "trust on"

if vs apply --no-libvirt --config /tmp/vs.conf >/tmp/apply2.out; then
	pass "second apply exits 0"
else
	fail "second apply exits 0" "$(vs_stderr)"
fi
expect_eq "second apply: nothing to change" "$(cat /tmp/apply2.out)" "nothing to change"

cp /tmp/vs.conf /tmp/vs.conf.orig
sed -i 's/^numvfs = 7/numvfs = 6/; s/#6\]/#5]/; s/#0-5\]/#0-4]/' /tmp/vs.conf
check_fails "count change refused while VFs are on vfio-pci, libvirt not asked" \
	vs apply --no-libvirt --config /tmp/vs.conf
expect_match "refusal names the PF and the VF" "$(vs_stderr)" "numvfs = 6 for $PF .* refused: VF 0 .* is on vfio-pci"
expect_eq "count unchanged after the refusal" "$(cat "$pf/sriov_numvfs")" 7

# --- a leftover of the hook: l2hd's VF eth0#1 (0000:01:10.2) configured,
# its release never run
cp /tmp/vs.conf.orig /tmp/vs.conf
STATE=/run/virt-sriov-state
export VIRT_SRIOV_STATE_DIR=$STATE     # for the hook and for apply
D=/vs/data/hook
before=$(ip_vf "$PF" 1)
if env -i LC_ALL=C PATH=/usr/sbin:/usr/bin HOME=/ VIRT_SRIOV_STATE_DIR=$STATE VIRT_SRIOV_CONF=$D/host.conf \
	"${VIRT_SRIOV_HOOK:-/usr/bin/virt-sriov-hook}" l2hd prepare begin - <$D/policy/l2hd_prepare.xml 2>/tmp/hook.err; then
	pass "hook prepare of l2hd"
else
	fail "hook prepare of l2hd" "$(cat /tmp/hook.err)"
fi
expect_match "ip: l2hd's policy on VF 1" "$(ip_vf "$PF" 1)" 'link/ether 52:54:00:e2:e0:10 .*vlan 5, qos 2, spoof checking off, .*trust on'
vs apply --no-libvirt --config /tmp/vs.conf >/tmp/apply3.out
expect_eq "apply --no-libvirt keeps a state file written since boot" "$(ls $STATE | grep '\.json$')" \
	6dd2ed15-ba3e-4b22-858f-bcffc73036be.json
expect_match "apply says why it kept it" "$(vs_stderr)" "1 guest state file.* written since boot kept"
touch -d '2000-01-01 00:00:00' $STATE/6dd2ed15-ba3e-4b22-858f-bcffc73036be.json
if vs apply --no-libvirt --config /tmp/vs.conf >/tmp/apply3.out; then
	pass "apply --no-libvirt with a state file from before boot"
else
	fail "apply --no-libvirt with a state file from before boot" "$(vs_stderr)"
fi
expect_eq "apply: the leftover put back, nothing else changed" "$(cat /tmp/apply3.out)" \
	"put back VF 0000:01:10.2 ($PF#1) of guest l2hd (6dd2ed15-ba3e-4b22-858f-bcffc73036be)"
expect_eq "ip: VF 1 as before the hook" "$(ip_vf "$PF" 1)" "$before"
expect_eq "no state left" "$(ls -A $STATE | wc -l)" 0
