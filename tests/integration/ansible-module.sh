#!/bin/sh
# The Ansible module (contrib/ansible): its argv and its reading of
# `virt-sriov --json apply` (python3 unittest, no Ansible needed), its
# DOCUMENTATION/EXAMPLES/RETURN as YAML (python3-yaml), and where
# ansible-playbook is installed the module run by it against a generated
# tree: changed, then unchanged, check mode predicting a change and making
# none, a broken file failing with the tool's message.  The same under
# Debian's ansible-core on a real igb: tests/e2e/scenarios/ansible.sh.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
# Debian's python3 first (python3-yaml, scripts/deps.txt)
PY=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null 2>&1; then PY=$p; break; fi
done
[ -n "$PY" ] || skip "python3 is not installed"
tmpdir ansible-module
MOD=$top_srcdir/contrib/ansible/plugins/modules/virt_sriov_apply.py

PYTHONDONTWRITEBYTECODE=1 "$PY" -m unittest discover -s "$top_srcdir/contrib/ansible/tests/unit" >"$W/unit.out" 2>&1 ||
	fail "python3 unittest of the module: $(tail -n 15 "$W/unit.out")"
not_done=
if "$PY" -c 'import yaml' 2>/dev/null; then
	"$PY" - "$MOD" >"$W/yaml.out" 2>&1 <<'EOF2' || fail "the module's documentation is not YAML: $(cat "$W/yaml.out")"
import importlib.util, sys, yaml
spec = importlib.util.spec_from_file_location('m', sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
doc = yaml.safe_load(m.DOCUMENTATION)
assert doc['module'] == 'virt_sriov_apply', doc['module']
assert set(doc['options']) == {'config', 'uri', 'timeout', 'no_libvirt', 'executable'}, doc['options']
yaml.safe_load(m.EXAMPLES)
assert 'changed' in yaml.safe_load(m.RETURN)
EOF2
else
	not_done="the documentation's YAML (no python3-yaml), "
fi
if ! command -v ansible-playbook >/dev/null 2>&1; then
	[ "$fails" = 0 ] && skip "ansible-playbook is not installed: the module's parsing checked; ${not_done}its run is left to check-e2e"
	finish "the Ansible module"
fi

host_tree "$W/tree" --profile r730
export VIRT_SRIOV_SYSFS_ROOT=$W/tree VIRT_SRIOV_STATE_DIR=$W/state
export ANSIBLE_LIBRARY=$top_srcdir/contrib/ansible/plugins/modules LC_ALL=C.UTF-8 ANSIBLE_NOCOLOR=1
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_RETRY_FILES_ENABLED=0 HOME=$W
cat >"$W/site.yml" <<EOF2
- hosts: localhost
  gather_facts: false
  tasks:
    - virt_sriov_apply:
        config: $W/c.conf
        no_libvirt: true
        executable: $VIRT_SRIOV
EOF2
play() { # play ARGS... -> $rc, $W/play.out, $changed (the recap's)
	ansible-playbook -c local -i localhost, -e ansible_python_interpreter="$(command -v python3)" "$@" "$W/site.yml" \
		>"$W/play.out" 2>&1
	rc=$?
	changed=$(sed -n 's/^localhost *:.* changed=\([0-9]*\).*/\1/p' "$W/play.out")
}
AP=$W/tree/sys/bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe
printf '[pf 8086:1521]\ndrivers-autoprobe = no\n' >"$W/c.conf"
play
[ "$rc" = 0 ] && [ "$changed" = 1 ] && [ "$(cat "$AP")" = 0 ] || fail "first run: exit $rc, changed=$changed: $(tail "$W/play.out")"
play
[ "$rc" = 0 ] && [ "$changed" = 0 ] || fail "second run: exit $rc, changed=$changed: $(tail "$W/play.out")"
printf '[pf 8086:1521]\ndrivers-autoprobe = yes\n' >"$W/c.conf"
play --check
[ "$rc" = 0 ] && [ "$changed" = 1 ] && [ "$(cat "$AP")" = 0 ] || fail "check mode: exit $rc, changed=$changed, autoprobe $(cat "$AP"): $(tail "$W/play.out")"
printf '[pf em1]\nnumvf = 2\n' >"$W/c.conf"
play
[ "$rc" = 2 ] && grep -F 'FAILED!' "$W/play.out" | grep -qF "\"msg\": \"$W/c.conf:2: unknown key 'numvf'\"" ||
	fail "broken file: exit $rc: $(tail "$W/play.out")"
[ -z "$not_done" ] || echo "note: not checked: ${not_done%, }"
finish "the Ansible module under ansible-playbook"
