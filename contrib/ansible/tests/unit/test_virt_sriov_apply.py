# The module's command line and its reading of `virt-sriov --json apply`,
# without Ansible: python3 -m unittest discover -s contrib/ansible/tests/unit
# (the whole module runs under ansible-playbook in the e2e VM: tests/e2e/
# scenarios/ansible.sh).
import importlib.util
import json
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, '..', '..', 'plugins', 'modules', 'virt_sriov_apply.py')
spec = importlib.util.spec_from_file_location('virt_sriov_apply', PATH)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)

STEPS0 = {"autoprobe": 0, "numvfs": 0, "driver": 0, "settings": 0, "pool": 0}
CHANGE = {"step": "numvfs", "pf": "0000:01:00.0", "pf_netdev": "eth0", "from": 0, "to": 7,
          "current_unknown": False, "line": 2, "text": "eth0 (0000:01:00.0): numvfs 0 -> 7"}


def doc(**kw):
    d = {"version": 1, "warnings": [], "dry_run": False, "changed": False, "steps": dict(STEPS0),
         "reconciled": [], "changes": []}
    d.update(kw)
    return json.dumps(d)


class Command(unittest.TestCase):
    def test_plain(self):
        self.assertEqual(mod.build_command('virt-sriov'), ['virt-sriov', '--json', 'apply'])

    def test_all(self):
        self.assertEqual(mod.build_command('/usr/bin/virt-sriov', '/tmp/c.conf', 'qemu:///system', 30, True, True),
                         ['/usr/bin/virt-sriov', '--json', '-c', 'qemu:///system', 'apply', '--config', '/tmp/c.conf',
                          '--timeout', '30', '--no-libvirt', '--dry-run'])

    def test_check_mode_is_dry_run(self):
        self.assertIn('--dry-run', mod.build_command('virt-sriov', check_mode=True))
        self.assertNotIn('--dry-run', mod.build_command('virt-sriov', check_mode=False))


class Parse(unittest.TestCase):
    def test_changed(self):
        steps = dict(STEPS0, numvfs=1)
        r = mod.parse_result(0, doc(changed=True, steps=steps, changes=[CHANGE]), '')
        self.assertTrue(r['changed'])
        self.assertEqual(r['steps'], steps)
        self.assertEqual(r['lines'], [CHANGE['text']])
        self.assertEqual(r['rc'], 0)

    def test_unchanged(self):
        r = mod.parse_result(0, doc(), '')
        self.assertFalse(r['changed'])
        self.assertEqual(r['changes'], [])

    def test_dry_run_predicts(self):
        r = mod.parse_result(0, doc(dry_run=True, changed=True, changes=[CHANGE]), '')
        self.assertTrue(r['changed'] and r['dry_run'])

    def test_the_tools_word_over_the_list(self):
        # "changed" is the tool's: a listed change it says did nothing is not one
        self.assertFalse(mod.parse_result(0, doc(changed=False, changes=[CHANGE]), '')['changed'])

    def test_older_tool_without_changed(self):
        d = json.loads(doc(changes=[CHANGE]))
        del d['changed']
        self.assertTrue(mod.parse_result(0, json.dumps(d), '')['changed'])
        d['changes'] = []
        self.assertFalse(mod.parse_result(0, json.dumps(d), '')['changed'])

    def test_reconciled_is_a_change(self):
        d = json.loads(doc(reconciled=[{"guest": "g1"}]))
        del d['changed']
        self.assertTrue(mod.parse_result(0, json.dumps(d), '')['changed'])

    def test_warnings_passed_on(self):
        r = mod.parse_result(0, doc(warnings=['1 guest state file(s) written since boot kept']), '')
        self.assertEqual(r['warnings'], ['1 guest state file(s) written since boot kept'])

    def test_failure_message_is_the_tools(self):
        err = 'apply: /etc/virt-sriov/virt-sriov.conf:4: unknown key \'numvf\''
        with self.assertRaises(mod.ApplyError) as cm:
            mod.parse_result(1, json.dumps({"version": 1, "warnings": [], "error": err}), 'virt-sriov: ' + err + '\n')
        self.assertEqual(cm.exception.msg, err)
        self.assertEqual(cm.exception.result['rc'], 1)
        self.assertFalse(cm.exception.result['changed'])

    def test_partial_failure_keeps_changed(self):
        with self.assertRaises(mod.ApplyError) as cm:
            mod.parse_result(1, doc(changed=True, changes=[CHANGE], error='apply: starting pool p: no VFs'), '')
        self.assertTrue(cm.exception.result['changed'])
        self.assertEqual(cm.exception.msg, 'apply: starting pool p: no VFs')

    def test_usage_error_from_stderr(self):
        # exit 2 prints nothing on stdout
        with self.assertRaises(mod.ApplyError) as cm:
            mod.parse_result(2, '', 'virt-sriov: warning: x\nvirt-sriov: apply: invalid --timeout \'0\'\n')
        self.assertEqual(cm.exception.msg, "apply: invalid --timeout '0'")
        self.assertEqual(cm.exception.result['rc'], 2)

    def test_no_document(self):
        with self.assertRaises(mod.ApplyError):
            mod.parse_result(0, 'eth0: numvfs 0 -> 7\n', '')
        with self.assertRaises(mod.ApplyError):
            mod.parse_result(0, '', '')


if __name__ == '__main__':
    unittest.main()
