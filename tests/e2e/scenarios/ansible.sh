# The Ansible module (contrib/ansible, copied into the image from the tree as
# /vs/ansible) under Debian's ansible-core: `ansible-playbook -c local` runs
# virt_sriov_apply against a virt-sriov.conf of its own (3 VFs on eth0, VF 2
# on vfio-pci, a pool ansible-eth0 started): the first run reports changed
# and makes it (sysfs, libvirt), the second reports unchanged; check mode on
# a changed file reports changed and changes nothing; a broken file fails
# the task with the tool's FILE:LINE message. Ends with eth0's VF count as it
# found it, the pool removed, and guests that held a VF (set aside) defined again.
. /vs/e2e-lib.sh
pf=$(pf_sys)
A=/tmp/ansible
CONF=$A/virt-sriov.conf
APOOL=ansible-eth0
n0=$(cat "$pf/sriov_numvfs")
mkdir -p $A

if ! command -v ansible-playbook >/dev/null; then
	fail "ansible-playbook in the image" "not installed: the e2e root predates ansible-core in mkbase.sh (remove E2E_CACHE's base)"
	exit 0
fi
# Guests other scenarios left defined with a VF (hostdev's e2e-hd) make any
# change of the VF count refused, as they should: set aside (undefined, their
# XML kept) for this scenario and defined again at its end.
held=''
for d in $(virsh list --inactive --name); do
	virsh dumpxml --inactive "$d" >"$A/held-$d.xml" 2>/dev/null && grep -q '<hostdev' "$A/held-$d.xml" || continue
	virsh undefine "$d" >/dev/null && held="$held $d" || fail "set aside guest $d" "undefine failed"
done
info "guests with a VF set aside:${held:- none}"

# The module from the tree (short name), and its documentation parsed.
# Ansible wants a UTF-8 locale; pipelining spares a temporary directory per
# task (each process counts under TCG).
export ANSIBLE_LIBRARY=/vs/ansible/plugins/modules ANSIBLE_PIPELINING=1
export LC_ALL=C.UTF-8 ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCALHOST_WARNING=0
info "$(ansible-playbook --version 2>&1 | head -n 1), eth0 has $n0 VFs"
check "ansible-doc virt_sriov_apply (DOCUMENTATION, EXAMPLES, RETURN parse)" ansible-doc -t module virt_sriov_apply
check "the example playbook passes --syntax-check" \
	ansible-playbook --syntax-check -i localhost, /vs/ansible/playbooks/virt-sriov.yml
if [ -d /usr/share/virt-sriov/ansible ]; then
	check "the package's module is the tree's" cmp /usr/share/virt-sriov/ansible/plugins/modules/virt_sriov_apply.py \
		/vs/ansible/plugins/modules/virt_sriov_apply.py
else
	fail "the package installs the module in /usr/share/virt-sriov/ansible"
fi

# The playbook: the module alone; -v prints its result, one JSON line.
cat >$A/site.yml <<'EOF'
- hosts: localhost
  gather_facts: false
  tasks:
    - name: virt-sriov apply
      virt_sriov_apply:
        config: /tmp/ansible/virt-sriov.conf
EOF
# play [ARGS...]: the playbook; $A/play.out, its exit status in $rc, the
# recap's changed count in $changed, the module's result in $A/result.json.
play() {
	ansible-playbook -v -c local -i localhost, -e ansible_python_interpreter=/usr/bin/python3 "$@" $A/site.yml \
		>$A/play.out 2>&1
	rc=$?
	changed=$(sed -n 's/^localhost *:.* changed=\([0-9]*\).*/\1/p' $A/play.out)
	sed -n 's/^\(ok\|changed\): \[localhost\] => //p' $A/play.out >$A/result.json
}
play_out() { tail -n 12 $A/play.out | tr '\n' ' ' | cut -c1-600; }
result() { jq -r "$1" $A/result.json 2>/dev/null; }

cat >$CONF <<EOF
[pf $PF]
numvfs = 3
[vfs $PF#2]
driver = vfio-pci
[pool $APOOL]
pf = $PF
autostart = no
EOF

# --- first run: changed, and made
t0=$(now_ms)
play
expect_eq "first run: ansible-playbook exits 0 ($(($(now_ms) - t0)) ms)" "$rc" 0
expect_eq "first run: the recap says changed=1" "$changed" 1
expect_eq "first run: the module's result says changed" "$(result .changed)" true
expect_eq "first run: steps numvfs, driver, pool" "$(result '[.steps.numvfs, .steps.driver, .steps.pool] | map(. > 0) | all')" true
expect_match "first run: the tool's lines in the result" "$(result '.lines[]')" "numvfs $n0 -> 3"
expect_eq "sysfs: sriov_numvfs of $PF is 3" "$(cat "$pf/sriov_numvfs")" 3
wait_for 20 vf_on 2 vfio-pci && pass "sysfs: VF 2 on vfio-pci" || fail "sysfs: VF 2 on vfio-pci" "$(vf_driver_n 2)"
info=$(virsh net-info $APOOL 2>&1)
expect_match "virsh net-info: $APOOL defined" "$info" 'Persistent: +yes'
expect_match "virsh net-info: $APOOL active" "$info" 'Active: +yes'
expect_match "virsh net-info: $APOOL not autostarted (autostart = no)" "$info" 'Autostart: +no'
[ "$rc" = 0 ] || info "first run: $(play_out)"

# --- second run: nothing to do
play
expect_eq "second run: ansible-playbook exits 0" "$rc" 0
expect_eq "second run: the recap says changed=0" "$changed" 0
expect_eq "second run: the result says not changed, no change listed" "$(result '.changed, (.changes | length)' | tr '\n' ' ')" "false 0 "
[ "$rc" = 0 ] || info "second run: $(play_out)"

# --- check mode on a changed file: changed predicted, nothing changed
sed -i 's/^numvfs = 3/numvfs = 4/; s/^autostart = no/autostart = yes/' $CONF
uuid=$(virsh net-uuid $APOOL 2>/dev/null)
play --check
expect_eq "--check: ansible-playbook exits 0" "$rc" 0
expect_eq "--check: the recap says changed=1" "$changed" 1
expect_eq "--check: the module ran apply --dry-run" "$(result .dry_run)" true
expect_match "--check: the lines say what would change" "$(result '.lines[]' | tr '\n' ' ')" "numvfs 3 -> 4.*pool $APOOL.*autostart on"
expect_eq "--check: sriov_numvfs still 3" "$(cat "$pf/sriov_numvfs")" 3
expect_eq "--check: VF 2 still on vfio-pci" "$(vf_driver_n 2)" vfio-pci
expect_match "--check: $APOOL still not autostarted" "$(virsh net-info $APOOL 2>&1)" 'Autostart: +no'
expect_eq "--check: $APOOL not redefined" "$(virsh net-uuid $APOOL 2>/dev/null)" "$uuid"
[ "$rc" = 0 ] || info "--check: $(play_out)"

# --- a broken file: the task fails with the tool's message, nothing changed
printf '[pf %s]\nnumvf = 2\n' "$PF" >$CONF
play
expect_eq "broken file: ansible-playbook exits 2 (a task failed)" "$rc" 2
expect_match "broken file: the failure is the tool's FILE:LINE message" "$(grep -F 'FAILED!' $A/play.out)" \
	"\"msg\": \"$CONF:2: unknown key 'numvf'"
expect_match "broken file: the module's rc is the tool's (1)" "$(grep -F 'FAILED!' $A/play.out)" '"rc": 1[,}]'
expect_eq "broken file: sriov_numvfs still 3" "$(cat "$pf/sriov_numvfs")" 3

# --- as found: the pool gone, the VF count back
virsh net-destroy $APOOL >/dev/null 2>&1
virsh net-undefine $APOOL >/dev/null 2>&1 || fail "cleanup: net-undefine $APOOL"
vs numvfs $PF 0 >/dev/null || fail "cleanup: numvfs $PF 0" "$(vs_stderr)"
[ "$n0" = 0 ] || vs numvfs $PF "$n0" >/dev/null || fail "cleanup: numvfs $PF $n0" "$(vs_stderr)"
[ "$n0" = 0 ] || ensure_pool
for d in $held; do
	virsh define "$A/held-$d.xml" >/dev/null || fail "guest $d defined again" "$(virsh define "$A/held-$d.xml" 2>&1)"
done
