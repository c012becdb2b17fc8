#!/bin/sh
# Exit status 2 for every malformed or out-of-range argument, in every
# command: one line on stderr, starting "virt-sriov:", naming the value,
# nothing on stdout, nothing changed.  On a generated tree with libvirt's
# test driver, so that a check that came too late would act on the tree and
# show in it.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
tmpdir cli-exit
host_tree "$W/tree" --pf addr=0000:01:00.0,total=7,num=4,netdev=em1
VS_TREE=$W/tree
VS_URI=test:///default
VIRT_SRIOV_STATE_DIR=$W/state VIRT_SRIOV_CONF=$W/host.conf
export VIRT_SRIOV_STATE_DIR VIRT_SRIOV_CONF
: >"$W/host.conf"
printf '<domain/>\n' >"$W/dom.xml"
snap_keep "$W/tree"

# TEXT the one line must have | the arguments (as the shell splits them)
cat >"$W/table" <<EOF
invalid VF count '-1' for em1|numvfs em1 -1
invalid VF count '65536' for em1|numvfs em1 65536
invalid VF count 'seven' for em1|numvfs em1 seven
expected PF and N, got 1|numvfs em1
expected PF and N, got 3|numvfs em1 2 3
--timeout 'abc'|numvfs em1 2 --timeout abc
--timeout '0'|numvfs em1 2 --timeout 0
--timeout '-5'|numvfs em1 2 --timeout -5
--driver '' is not a driver name|bind em1#0 --driver ''
--driver vfio-pci|host|NAME is required|bind em1#0
no VF given|bind --driver vfio-pci
option '--driver' needs an argument|bind em1#0 --driver
--vlan 5000: out of range|vf set em1#0 --vlan 5000
--max-tx-rate -5: out of range|vf set em1#0 --max-tx-rate -5
--trust maybe|vf set em1#0 --trust maybe
--mac 01:00:5e:00:00:01|vf set em1#0 --mac 01:00:5e:00:00:01
no setting given|vf set em1#0
expected a VFSET|vf reset
unrecognized option '--trust'|vf reset em1#0 --trust on
unknown verb 'frob'|vf frob em1#0
'x' is not a VF index|vf set em1#x --trust on
--vlan 5000|xml network em1 --vlan 5000
--vlan 4095|xml hostdev em1#0 --interface --vlan 4095
--mac zz|xml hostdev em1#0 --interface --mac zz
expected one PF, got 0|xml network
expected one VF, got 2|xml hostdev em1#0 em1#1
unknown verb 'bogus'|xml bogus em1
--vlan 4095|network apply em1 --vlan 4095
unexpected argument 'extra'|network list extra
expected at least one pool NAME|network remove
--name works with one PF, not 2|network apply em1 em2 --name pool
--max-tx-rate -5: out of range|attach g --pf em1 --max-tx-rate -5
--vlan 5000: out of range|attach g --pf em1 --vlan 5000
exactly one of --pf, --network, --vf|attach g
exactly one of --pf, --network, --vf|attach g --pf em1 --vf em1#0
expected one DOMAIN, got 2|attach g h --pf em1
--mac 'zz'|detach g --mac zz
exactly one of --vf, --mac, --all|detach g
--vlan 5000: out of range|policy set g --vlan 5000
--spoofchk sometimes|policy set g --spoofchk sometimes
expected one DOMAIN, got 0|policy show
unknown verb 'frob'|policy frob g
unrecognized option '--trust'|policy clear g --trust on
--op 'frob'|plan --domain-xml $W/dom.xml --op frob
expected --domain-xml FILE|plan
unexpected argument 'extra'|reconcile extra
--timeout '99999'|apply --timeout 99999
unexpected argument 'extra'|apply extra
unexpected argument 'extra'|check extra
expected one PF or VF, got 2|show em1 em1#0
unrecognized option '--frob'|list --frob
unrecognized option '-q'|list -q
unknown command 'nope'|help nope
unrecognized option '--frob'|--frob list
option '-c' needs an argument|-c
unknown command 'nope'|nope
EOF

n=0
while IFS='|' read -r text args; do
	# the text may hold '|' itself: the arguments are after the last one
	case $args in *'|'*) text="$text|${args%|*}"; args=${args##*|} ;; esac
	eval "set -- $args"
	run "$@"
	n=$((n + 1))
	if [ "$rc" -ne 2 ]; then
		fail "virt-sriov $args: exit $rc, want 2: $(cat "$W/err")"
	elif [ -s "$W/out" ]; then
		fail "virt-sriov $args: stdout: $(cat "$W/out")"
	elif [ "$(wc -l <"$W/err")" -ne 1 ] || ! grep -q '^virt-sriov: ' "$W/err"; then
		fail "virt-sriov $args: want one line 'virt-sriov: ...', got: $(cat "$W/err")"
	elif ! grep -qF -- "$text" "$W/err"; then
		fail "virt-sriov $args: the line lacks '$text': $(cat "$W/err")"
	fi
done <"$W/table"
unchanged "$W/tree" "a refused command changed the tree"
[ ! -e "$W/state" ] || fail "a refused command made the state directory"

# the same value, good, goes through: the refusals above are the values'
run -n numvfs em1 2
[ "$rc" -eq 0 ] || fail "numvfs em1 2 (dry run): exit $rc: $(cat "$W/err")"

finish "$n malformed or out-of-range invocations: exit 2, one line naming the value"
