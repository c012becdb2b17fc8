# What a plain `./configure && make && make install` gives, on igb (82576)
# with real VFs: check-vm.sh laid `make install DESTDIR=` of a build with
# configure's defaults over the root.  Only the installed files run here:
# the build tree's copies in /usr/bin are removed, no VIRT_SRIOV_*
# variable points anywhere, the hook runs through the installed symlink
# in /etc/libvirt/hooks/qemu.d with the environment libvirt gives it, reads
# /usr/local/etc/virt-sriov/virt-sriov.conf and keeps its state in
# /run/virt-sriov.
. /vs/lib.sh
load igb igbvf

BIN=/usr/local/bin/virt-sriov
LIBEXEC=/usr/local/libexec/virt-sriov
CONF=/usr/local/etc/virt-sriov/virt-sriov.conf
HOOKDIR=/etc/libvirt/hooks
STATE=/run/virt-sriov
UNIT=/usr/local/lib/systemd/system/virt-sriov.service

[ -x "$BIN" ] || { fail "installed $BIN in the initramfs (check-vm.sh stages make install)"; exit 1; }
# Nothing of the build tree, nothing pointing elsewhere.
rm -f /usr/bin/virt-sriov /usr/bin/virt-sriov-full /usr/bin/virt-sriov-hook /usr/bin/virt-sriov-hook-front
for v in $(env | sed -n 's/^\(VIRT_SRIOV[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin
expect_eq "no VIRT_SRIOV* variable set" "$(env | grep -c '^VIRT_SRIOV')" 0
expect_eq "virt-sriov on PATH is the installed one" "$(command -v virt-sriov)" "$BIN"
# shellcheck disable=SC2034
VIRT_SRIOV=$BIN   # lib.sh's vs(); the product never reads it

# The layout: the programs, the hook links, the sample configuration.
for p in "$LIBEXEC/virt-sriov-full" "$LIBEXEC/virt-sriov-hook" "$LIBEXEC/virt-sriov-hook-front"; do
	check "installed $p is executable" test -x "$p"
done
for d in qemu.d network.d; do
	link=$HOOKDIR/$d/virt-sriov
	if [ -L "$link" ] && [ "$(readlink "$link")" = "$LIBEXEC/virt-sriov-hook-front" ]; then
		pass "$link is a symlink to $LIBEXEC/virt-sriov-hook-front"
	else
		fail "$link is a symlink to $LIBEXEC/virt-sriov-hook-front" "$(ls -l "$link" 2>&1)"
	fi
done
check "sample $CONF installed" test -f "$CONF"
expect_eq "the sample has only comments" "$(grep -vc '^#\|^$' "$CONF")" 0
# Every installed program finds its libraries (libasan/libubsan when the
# build has sanitizers): the loader lists none missing.
ldso=$(ls /lib64/ld-linux-x86-64.so.2)
for p in "$BIN" "$LIBEXEC"/*; do
	libs=$("$ldso" --list "$p" 2>&1)
	case $libs in
	*'not found'*) fail "libraries of $p" "$(echo "$libs" | grep 'not found' | tr '\n' ' ')" ;;
	*) pass "libraries of $p all present" ;;
	esac
done
case $("$ldso" --list "$BIN") in *libasan*) echo "INFO: a sanitizer build: libasan in the guest" ;; esac

igb_pf

# numvfs, then list and check see the PF and its VFs.
check "virt-sriov numvfs $PF 7" virt-sriov numvfs "$PF" 7
expect_eq "sysfs sriov_numvfs after numvfs 7" "$(cat "$pf/sriov_numvfs")" 7
wait_for 20 sh -c "[ \$(ls -d $pf/virtfn*/net/* 2>/dev/null | wc -l) -eq 7 ]" ||
	fail "7 igbvf netdevs appeared"
if vs --json list >/tmp/list.json; then
	pass "virt-sriov --json list"
	expect_eq "list: the igb PF with 7 of 7 VFs" \
		"$(jq -r '.pfs[] | "\(.address) \(.netdev) \(.driver) \(.totalvfs) \(.numvfs)"' /tmp/list.json)" \
		"$PFADDR $PF igb 7 7"
	expect_eq "list: its VFs' addresses" "$(jq -r '.pfs[0].vfs[].address' /tmp/list.json | tr '\n' ' ')" \
		"$(for i in 0 1 2 3 4 5 6; do printf '%s ' "$(vf_addr "$pf" $i)"; done)"
else
	fail "virt-sriov --json list" "$(vs_stderr)"
fi
vs --json check >/tmp/check.json
expect_eq "check: the PF with its VFs passes" \
	"$(jq -r '.checks[] | select(.check == "sriov-pfs") | "\(.status) \(.message)"' /tmp/check.json)" \
	"PASS $PFADDR ($PF), igb: 7 of 7 VFs exist"

# vf set on VF 3, read back in ip.
check "virt-sriov vf set $PF#3" virt-sriov vf set "$PF#3" --mac 52:54:00:1a:00:03 --vlan 30 --spoofchk off
expect_match "ip: VF 3 has the MAC, VLAN 30, spoofchk off" "$(ip_vf "$PF" 3)" \
	'link/ether 52:54:00:1a:00:03 .*vlan 30, spoof checking off'

# apply as the installed boot unit runs it, with the sample: nothing.
cmd=$(sed -n 's/^ExecStart=//p' "$UNIT")
expect_match "the unit runs the installed program" "$cmd" "^$BIN apply"
vfs_now() { $IP -d link show dev "$PF" | grep -E '^ *vf [0-6] '; for i in 0 1 2 3 4 5 6; do dev_driver "$pf/virtfn$i"; done; }
before=$(vfs_now)
# shellcheck disable=SC2086
if $cmd >/tmp/apply.out 2>/tmp/apply.err; then
	pass "'$cmd' with the sample exits 0"
else
	fail "'$cmd' with the sample exits 0" "$(cat /tmp/apply.err)"
fi
expect_eq "apply with the sample prints no change" "$(cat /tmp/apply.out)" "nothing to change"
expect_eq "apply with the sample: VFs, settings and drivers as before" "$(vfs_now)" "$before"
expect_eq "apply with the sample: numvfs as before" "$(cat "$pf/sriov_numvfs")" 7

# The hook, as libvirt runs it, for a guest with VF 1 as a <hostdev> and a
# policy that needs gates: shut in the sample, then opened in the installed
# file as an admin would.
VF=$(vf_addr "$pf" 1)
UUID=5a1e0000-0000-4000-8000-000000000001
hostdev_domain_xml inst "$UUID" "$VF" \
	"spoofchk='off' trust='on' mac='52:54:00:1a:00:01' vlan='11' qos='4'" >/tmp/guest.xml
# hook_run OP SUBOP: libvirt's argv and environment, the XML on stdin
hook_run() {
	env -i LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin HOME=/ \
		"$HOOKDIR/qemu.d/virt-sriov" inst "$1" "$2" - </tmp/guest.xml 2>/tmp/hook.err
}
hook() {
	if hook_run "$1" "$2"; then
		pass "hook qemu.d/virt-sriov inst $1 $2"
	else
		fail "hook qemu.d/virt-sriov inst $1 $2" "exit $?: $(cat /tmp/hook.err)"
	fi
}
vf1_before=$(ip_vf "$PF" 1)
if hook_run prepare begin; then
	fail "with the sample's gates shut the hook refuses the policy" "it exited 0"
else
	expect_match "the refusal names guest, VF and setting" "$(cat /tmp/hook.err)" "inst.*$VF.*spoofchk"
fi
expect_eq "ip: the refused guest changed no VF" "$(ip_vf "$PF" 1)" "$vf1_before"
expect_eq "no state kept for the refused guest" "$(ls "$STATE"/*.json 2>/dev/null | wc -l)" 0
cat >>"$CONF" <<EOF

[pf $PFADDR]
allow-spoofchk-off = yes
allow-trust-on = yes
EOF
hook prepare begin
hook start begin
hook started begin
expect_match "ip: VF 1 has the policy's MAC, VLAN 11 QoS 4, spoofchk off, trust on" "$(ip_vf "$PF" 1)" \
	'link/ether 52:54:00:1a:00:01 .*vlan 11, qos 4, spoof checking off, .*trust on'
vs --json list >/tmp/list2.json
expect_match "list --json: VF 1 as the policy says" \
	"$(jq -r '.pfs[0].vfs[] | select(.index == 1) | "\(.mac) \(.vlan) \(.qos) \(.spoofchk) \(.trust)"' /tmp/list2.json)" \
	'^52:54:00:1a:00:01 11 4 (false|off) (true|on)$'
check "state file $STATE/$UUID.json" test -f "$STATE/$UUID.json"
expect_match "the state file names the VF" "$(cat "$STATE/$UUID.json" 2>&1)" "$VF"
hook stopped end
hook release end
expect_eq "ip: VF 1 as before the guest after release" "$(ip_vf "$PF" 1)" "$vf1_before"
expect_eq "no state left in $STATE after release" "$(ls -A "$STATE" 2>/dev/null | wc -l)" 0

# xml network from the built-in templates, nothing under /usr/local/share.
rm -rf /usr/local/share
if virt-sriov xml network "$PF" >/tmp/net.xml 2>/tmp/xml.err; then
	pass "virt-sriov xml network $PF without /usr/local/share"
	expect_match "the pool names the PF" "$(cat /tmp/net.xml)" "<pf dev=\"$PF\"/>"
	expect_match "the pool is a hostdev forward" "$(cat /tmp/net.xml)" "<forward mode=\"hostdev\""
else
	fail "virt-sriov xml network $PF without /usr/local/share" "$(cat /tmp/xml.err)"
fi

check "virt-sriov numvfs $PF 0" virt-sriov numvfs "$PF" 0
expect_eq "sysfs sriov_numvfs after numvfs 0" "$(cat "$pf/sriov_numvfs")" 0
