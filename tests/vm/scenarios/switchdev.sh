# switchdev on netdevsim (kernel 6.1): virt-sriov eswitch to switchdev and
# back; list --json shows the mode, the VF ports, representors and devlink
# rates as `devlink -j`, sysfs and netdevsim's debugfs say (rates set here
# with the devlink tool); check's findings; apply with eswitch = switchdev;
# the errors (a PF without devlink eswitch: igb; a bad mode).
. /vs/lib.sh
load netdevsim igb

igb_pf
IGB=$PF
nsd=/sys/bus/netdevsim/devices/netdevsim1
echo "1 1" >/sys/bus/netdevsim/new_device
wait_for 10 sh -c "ls $nsd/net/* >/dev/null 2>&1" || { fail "netdevsim1 has a netdev"; exit 1; }
NPF=$(ls "$nsd/net" | head -n 1)
$IP link set "$NPF" up
echo 4 >"$nsd/sriov_numvfs"
DL=netdevsim/netdevsim1
require_command eswitch || exit 1

dl_mode() { devlink -j dev eswitch show "$DL" | jq -r '.dev[].mode'; }
# pfj JQ: the netdevsim PF of list --json (/tmp/list.json) through JQ
pfj() { jq -r ".pfs[] | select(.netdev == \"$NPF\") | $1" /tmp/list.json; }
list_json() { vs --json list >/tmp/list.json || fail "list --json" "$(vs_stderr)"; }

# ---- errors
vs eswitch "$IGB" switchdev >/dev/null
expect_eq "eswitch on igb (no devlink eswitch): exit 1" "$?" 1
expect_match "eswitch on igb: says why" "$(vs_stderr)" "$IGB.*no devlink eswitch \(driver igb\)"
vs eswitch "$NPF" bogus >/dev/null
expect_eq "eswitch with a bad mode: exit 2" "$?" 2
expect_match "eswitch with a bad mode: one line" "$(vs_stderr)" "^virt-sriov: eswitch: invalid mode 'bogus'"

# ---- legacy, as created
expect_match "eswitch $NPF: legacy" "$(vs eswitch "$NPF")" "^$DL|$NPF.*: legacy \(devlink $DL\)"
list_json
expect_eq "list --json: netdevsim PF legacy" "$(pfj .eswitch_mode)" legacy
expect_eq "list --json: igb PF has no eswitch (null)" \
	"$(jq -r ".pfs[] | select(.netdev == \"$IGB\") | .eswitch_mode" /tmp/list.json)" null
expect_eq "list --json: no VF ports in legacy mode" "$(pfj '[.vfs[].devlink] | map(select(. != null)) | length')" 0

# ---- dry run, then the change
out=$(vs -n eswitch "$NPF" switchdev)
expect_match "eswitch -n: says the devlink step" "$out" "would: devlink eswitch set $DL mode switchdev"
expect_eq "eswitch -n: nothing changed" "$(dl_mode)" legacy
check "eswitch $NPF switchdev" vs eswitch "$NPF" switchdev
expect_eq "devlink: switchdev" "$(dl_mode)" switchdev
expect_match "eswitch again: already switchdev" "$(vs eswitch "$NPF" switchdev)" "already switchdev"

# ---- rates with the devlink tool; list --json against devlink, sysfs, debugfs
devlink port function rate set "$DL/128" tx_max 10mbit tx_share 2mbit || fail "devlink rate set 128"
devlink port function rate add "$DL/grp1" tx_max 100mbit tx_share 5mbit || fail "devlink rate add grp1"
devlink port function rate set "$DL/129" parent grp1 || fail "devlink rate set 129 parent grp1"
devlink -j port show >/tmp/ports.json
devlink -j port function rate show >/tmp/rates.json
list_json
expect_eq "list --json: switchdev" "$(pfj .eswitch_mode)" switchdev
expect_eq "list --json: devlink handle" "$(pfj .devlink.handle)" "$DL"
expect_eq "list --json: switch id = sysfs" "$(pfj .devlink.switch_id)" "$(cat /sys/class/net/"$NPF"/phys_switch_id)"
for i in 0 1 2 3; do
	port=$((128 + i))
	rep=$(jq -r --arg k "$DL/$port" '.port[$k].netdev' /tmp/ports.json)
	expect_eq "VF $i: port = devlink's" "$(pfj ".vfs[$i].devlink.port")" "$port"
	expect_eq "VF $i: representor = devlink's" "$(pfj ".vfs[$i].devlink.representor")" "$rep"
	expect_eq "VF $i: representor's phys_port_name" "$(cat "/sys/class/net/$rep/phys_port_name")" "pf0vf$i"
	expect_eq "VF $i: representor's switch id = PF's" "$(cat "/sys/class/net/$rep/phys_switch_id")" \
		"$(cat /sys/class/net/"$NPF"/phys_switch_id)"
	dl_max=$(jq -r --arg k "$DL/$port" '.rate[$k].tx_max // 0' /tmp/rates.json)
	vs_max=$(pfj ".vfs[$i].devlink.rate.tx_max")
	expect_eq "VF $i: tx_max ($vs_max Mbps) = devlink's ($dl_max bytes/s)" "$((vs_max * 125000))" "$dl_max"
	# netdevsim keeps rates in Mbit/s in debugfs
	expect_eq "VF $i: tx_max = netdevsim's debugfs (Mbit/s)" "$vs_max" \
		"$(cat /sys/kernel/debug/netdevsim/netdevsim1/ports/$port/tx_max)"
	dl_share=$(jq -r --arg k "$DL/$port" '.rate[$k].tx_share // 0' /tmp/rates.json)
	expect_eq "VF $i: tx_share = devlink's" "$(($(pfj ".vfs[$i].devlink.rate.tx_share") * 125000))" "$dl_share"
	expect_eq "VF $i: rate group = devlink's" "$(pfj ".vfs[$i].devlink.rate.group")" \
		"$(jq -r --arg k "$DL/$port" '.rate[$k].parent // null' /tmp/rates.json)"
done
expect_eq "VF 0: 10 Mbps" "$(pfj '.vfs[0].devlink.rate.tx_max')" 10
expect_eq "rate groups: grp1 100/5 Mbps" "$(pfj '.devlink.rate_groups | map("\(.name) \(.tx_max) \(.tx_share)") | join(",")')" \
	"grp1 100 5"
expect_match "show VF 0: representor" "$(vs show "$NPF#0")" "Representor: +$(pfj '.vfs[0].devlink.representor')"
expect_match "show VF 1: devlink rate" "$(vs show "$NPF#1")" "Devlink rate: +tx_max 0, tx_share 0 Mbps, group grp1"
expect_match "list: representor column" "$(vs list "$NPF")" "REPRESENTOR"

# ---- check: representors down (netdevsim creates them down), then up
vs --json check >/tmp/check.json
expect_eq "check: representors down: warn" \
	"$(jq -r '[.checks[] | select(.check == "switchdev")][0].status' /tmp/check.json)" WARN
for i in 0 1 2 3; do
	$IP link set "$(pfj ".vfs[$i].devlink.representor")" up
done
vs --json check >/tmp/check.json
expect_eq "check: representors up: pass" \
	"$(jq -r '[.checks[] | select(.check == "switchdev")][0].status' /tmp/check.json)" PASS

# ---- back to legacy
devlink port function rate set "$DL/129" noparent
devlink port function rate del "$DL/grp1"
check "eswitch $NPF legacy" vs eswitch "$NPF" legacy
expect_eq "devlink: legacy" "$(dl_mode)" legacy
list_json
expect_eq "list --json: no VF ports after legacy" "$(pfj '[.vfs[].devlink] | map(select(. != null)) | length')" 0

# ---- apply with eswitch = switchdev: in the plan, made, then nothing to do
printf '[pf %s]\neswitch = switchdev\n' "$NPF" >/tmp/vs.conf
if vs apply --no-libvirt --config /tmp/vs.conf -n >/tmp/apply-n.out; then
	expect_match "apply -n: the eswitch change" "$(cat /tmp/apply-n.out) $(vs_stderr)" "eswitch legacy -> switchdev"
	expect_eq "apply -n: nothing changed" "$(dl_mode)" legacy
	check "apply with eswitch = switchdev" vs apply --no-libvirt --config /tmp/vs.conf
	expect_eq "apply: devlink switchdev" "$(dl_mode)" switchdev
	out=$(vs apply --no-libvirt --config /tmp/vs.conf)
	expect_eq "apply again: no eswitch change" "$(echo "$out" | grep -c eswitch)" 0
else
	fail "apply -n with eswitch = switchdev" "$(vs_stderr)"
fi
