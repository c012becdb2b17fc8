#!/bin/sh
# The bash completion (completions/virt-sriov) with bash-completion's own
# helpers, as an interactive bash would run it on TAB: commands, options
# (read from `help --commands` and `help --options`), option values, PFs,
# VFs and PF#N from a generated host tree, guests and networks from
# libvirt's test driver.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
need bash
BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || skip "bash-completion is not installed"
tmpdir completion
host_tree "$W/tree" --profile r730

# One line per case: the command line (cursor at its end) -> COMPREPLY.
bash -s "$BC" "$top_srcdir/completions/virt-sriov" "$(dirname "$VIRT_SRIOV")" "$W/tree" >"$W/replies" 2>"$W/err" <<'BASH' ||
. "$1"
. "$2"
PATH=$3:$PATH
export VIRT_SRIOV_SYSFS_ROOT=$4
comp() {
	local line=$1
	COMP_LINE=$line COMP_POINT=${#line}
	read -ra COMP_WORDS <<<"$line"
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_virt_sriov virt-sriov "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s -> %s\n' "$line" "${COMPREPLY[*]}"
}
[[ $(complete -p virt-sriov) == *_virt_sriov* ]] || echo "not registered"
comp "virt-sriov "
comp "virt-sriov --"
comp "virt-sriov vf "
comp "virt-sriov vf set --"
comp "virt-sriov vf set --spoofchk "
comp "virt-sriov vf set p2p1#"
comp "virt-sriov show "
comp "virt-sriov --sysfs-root /nonexistent show "
comp "virt-sriov numvfs "
comp "virt-sriov bind --driver "
comp "virt-sriov policy "
comp "virt-sriov -c test:///default attach "
comp "virt-sriov -c test:///default policy set test --network "
comp "virt-sriov help "
comp "virt-sriov help vf "
comp "virt-sriov help --"
comp "virt-sriov policy set --"
comp "virt-sriov vf set --trust "
comp "virt-sriov vf set --link-state "
comp "virt-sriov vf set --vlan 5 p2p1#"
comp "virt-sriov -c test:///default network remove "
BASH
	fail "bash: $(cat "$W/err")"
cat "$W/replies"
got() { awk -v c="$1 -> " 'index($0, c) == 1 { print substr($0, length(c) + 1) }' "$W/replies"; }
has() { # CASE WORD...: every WORD is offered
	vs_case=$1
	shift
	for vs_w in "$@"; do
		got "$vs_case" | tr ' ' '\n' | grep -qx -- "$vs_w" || fail "'$vs_case<TAB>' does not offer $vs_w: $(got "$vs_case")"
	done
}
hasnt() {
	got "$1" | tr ' ' '\n' | grep -qx -- "$2" && fail "'$1<TAB>' offers $2"
	return 0
}
grep -q "not registered" "$W/replies" && fail "complete -p virt-sriov: not registered"

# every command of the table, and only commands
has "virt-sriov " list show check numvfs bind vf xml network attach detach policy plan reconcile apply help
[ "$(got "virt-sriov " | wc -w)" = "$("$VIRT_SRIOV" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p' | sort -u | wc -l)" ] ||
	fail "'virt-sriov <TAB>': $(got "virt-sriov ")"
has "virt-sriov --" --connect --sysfs-root --json --dry-run
has "virt-sriov vf " set reset
has "virt-sriov vf set --" --mac --vlan --spoofchk --trust --link-state --max-tx-rate --query-rss
hasnt "virt-sriov vf set --" --driver
[ "$(got "virt-sriov vf set --spoofchk ")" = "on off" ] || fail "--spoofchk values: $(got "virt-sriov vf set --spoofchk ")"
[ "$(got "virt-sriov vf set p2p1#")" = "p2p1#0 p2p1#1 p2p1#2 p2p1#3" ] || fail "p2p1#<TAB>: $(got "virt-sriov vf set p2p1#")"
# PFs by netdev and address (SR-IOV ones only), VFs by address and netdev
pf=$(basename "$(readlink -f "$W/tree/sys/class/net/em1/device")")
vf=$(basename "$(readlink "$W/tree/sys/class/net/em1/device/virtfn0")")
has "virt-sriov show " em1 em2 p2p1 "$pf" "$vf" em1v0
hasnt "virt-sriov show " em1v0#
hasnt "virt-sriov show " em3#
[ -z "$(got "virt-sriov --sysfs-root /nonexistent show ")" ] || fail "--sysfs-root not followed: $(got "virt-sriov --sysfs-root /nonexistent show ")"
has "virt-sriov numvfs " em1 p2p2
hasnt "virt-sriov numvfs " "$vf"
[ "$(got "virt-sriov bind --driver ")" = "vfio-pci host" ] || fail "--driver values: $(got "virt-sriov bind --driver ")"
has "virt-sriov policy " show set clear
if command -v virsh >/dev/null 2>&1; then
	has "virt-sriov -c test:///default attach " test
	has "virt-sriov -c test:///default policy set test --network " default
	has "virt-sriov -c test:///default network remove " default
fi
has "virt-sriov help " list vf policy
[ "$(got "virt-sriov help vf ")" = "set reset" ] || fail "help vf <TAB>: $(got "virt-sriov help vf ")"
has "virt-sriov help --" --options --commands
has "virt-sriov policy set --" --force --network --vf --guest-mac --trust --spoofchk
hasnt "virt-sriov policy set --" --interface
[ "$(got "virt-sriov vf set --trust ")" = "on off" ] || fail "--trust values: $(got "virt-sriov vf set --trust ")"
[ "$(got "virt-sriov vf set --link-state ")" = "auto enable disable" ] ||
	fail "--link-state values: $(got "virt-sriov vf set --link-state ")"
# an option's argument is no positional
[ "$(got "virt-sriov vf set --vlan 5 p2p1#")" = "p2p1#0 p2p1#1 p2p1#2 p2p1#3" ] ||
	fail "--vlan 5 p2p1#<TAB>: $(got "virt-sriov vf set --vlan 5 p2p1#")"
finish "bash completion"
