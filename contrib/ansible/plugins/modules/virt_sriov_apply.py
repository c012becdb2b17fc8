#!/usr/bin/python
# -*- coding: utf-8 -*-
#
# virt_sriov_apply: bring a host to its /etc/virt-sriov/virt-sriov.conf with
# `virt-sriov --json apply`, from Ansible.  The tool does the work and says
# what it changed; this module only maps Ansible's options and check mode to
# its command line and its JSON document to Ansible's result.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: virt_sriov_apply
short_description: Bring a host's SR-IOV VFs and hostdev pools to virt-sriov.conf
description:
  - Runs C(virt-sriov --json apply) on the managed host, which brings VF
    counts (sriov_numvfs), sriov_drivers_autoprobe, the driver of each VF,
    static VF settings and libvirt hostdev pools to what
    C(/etc/virt-sriov/virt-sriov.conf) says (see virt-sriov.conf(5)), and
    first puts back the VFs of guests that are gone.
  - The configuration is checked against the host as a whole before the first
    change; a bad one changes nothing and fails with the tool's message
    (file, line, value).
  - Reports C(changed) as the tool does, per step in C(steps); a second run
    with nothing to do reports C(changed=false).
  - In check mode it runs C(apply --dry-run), which changes nothing and says
    whether a real run would change something.
  - Runs on the host itself (it reads local sysfs and rtnetlink); a remote
    libvirt URI is refused by the tool.
version_added: "1.0.0"
options:
  config:
    description:
      - The configuration file to apply.
      - Default is the tool's, C(/etc/virt-sriov/virt-sriov.conf).
    type: path
  uri:
    description:
      - libvirt connection URI (C(virt-sriov -c)); the tool's default when
        not given (C(qemu:///system)). Only local URIs are accepted.
    type: str
  timeout:
    description:
      - Seconds to wait for new VFs to appear after a count change (1-3600).
    type: int
  no_libvirt:
    description:
      - Leave pools alone and do not ask libvirt which guest holds a VF (the
        boot step, before libvirt runs). Only hook state files written before
        this boot are put back.
    type: bool
    default: false
  executable:
    description:
      - Path or name of the C(virt-sriov) program.
    type: path
    default: virt-sriov
requirements:
  - virt-sriov on the managed host
notes:
  - Needs root (C(become=true)).
  - Supports check mode. In check mode a file put in place by an earlier task
    (also in check mode) is not there yet, so the host's current file is checked.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
author:
  - virt-sriov developers
'''

EXAMPLES = r'''
- name: Install the SR-IOV configuration (checked against the host first)
  ansible.builtin.copy:
    src: virt-sriov.conf
    dest: /etc/virt-sriov/virt-sriov.conf
    validate: virt-sriov apply --dry-run --config %s

- name: Bring VFs, drivers, settings and pools to it
  virt_sriov_apply:
  register: sriov

- name: Only the boot step (no libvirt), from another file
  virt_sriov_apply:
    config: /etc/virt-sriov/boot.conf
    no_libvirt: true
    timeout: 30

- name: Show what changed
  ansible.builtin.debug:
    var: sriov.steps
  when: sriov is changed
'''

RETURN = r'''
changed:
  description: Whether apply changed something (in check mode, would change).
  returned: always
  type: bool
dry_run:
  description: Whether the tool ran with --dry-run (check mode).
  returned: success
  type: bool
steps:
  description: The count of changes per step of apply, every step named.
  returned: success
  type: dict
  sample: {"autoprobe": 0, "numvfs": 1, "driver": 7, "settings": 1, "pool": 1}
changes:
  description:
    - One object per change made (or, in check mode, planned), in order; the
      keys are those of C(virt-sriov --json apply) (docs/json.md).
  returned: always
  type: list
  elements: dict
  sample: [{"step": "numvfs", "pf": "0000:01:00.0", "pf_netdev": "eth0", "from": 0, "to": 7,
            "current_unknown": false, "line": 2, "text": "eth0 (0000:01:00.0): numvfs 0 -> 7"}]
reconciled:
  description: The plans of the guests whose VFs were put back first.
  returned: always
  type: list
  elements: dict
lines:
  description: The changes as the tool's one-line texts.
  returned: always
  type: list
  elements: str
  sample: ["eth0 (0000:01:00.0): numvfs 0 -> 7"]
rc:
  description: The tool's exit status (0 ok, 1 failure, 2 bad argument).
  returned: always
  type: int
'''

import json

try:
    from ansible.module_utils.basic import AnsibleModule
except ImportError:  # the parsing below is tested without Ansible
    AnsibleModule = None


class ApplyError(Exception):
    """apply failed: msg is the tool's one line, result what it said besides."""

    def __init__(self, msg, result):
        Exception.__init__(self, msg)
        self.msg = msg
        self.result = result


def build_command(binary, config=None, uri=None, timeout=None, no_libvirt=False, check_mode=False):
    """The argv of `virt-sriov --json apply` for these options."""
    argv = [binary, '--json']
    if uri:
        argv += ['-c', uri]
    argv.append('apply')
    if config:
        argv += ['--config', config]
    if timeout is not None:
        argv += ['--timeout', str(timeout)]
    if no_libvirt:
        argv.append('--no-libvirt')
    if check_mode:
        argv.append('--dry-run')
    return argv


def _last_line(text):
    lines = [l for l in (text or '').splitlines() if l.strip()]
    return lines[-1] if lines else ''


def _error_line(stderr):
    """The tool's failure line on stderr, without its 'virt-sriov: ' prefix."""
    lines = [l for l in (stderr or '').splitlines()
             if l.startswith('virt-sriov: ') and not l.startswith('virt-sriov: warning: ')]
    line = lines[0] if lines else _last_line(stderr)
    return line[len('virt-sriov: '):] if line.startswith('virt-sriov: ') else line


def parse_result(rc, stdout, stderr):
    """Ansible's result from what `virt-sriov --json apply` printed.

    Returns a dict (changed, dry_run, steps, changes, reconciled, lines,
    warnings, rc); raises ApplyError on a non-zero exit, with the tool's
    message and whatever its document said (a failed apply may have changed
    things before the failure: its "changed" is kept)."""
    doc = None
    if stdout and stdout.strip():
        try:
            doc = json.loads(stdout)
        except ValueError as e:
            if rc == 0:
                raise ApplyError('virt-sriov apply printed no JSON document (%s): %s' % (e, stdout[:200]),
                                 {'rc': rc, 'changed': False})
    if not isinstance(doc, dict):
        doc = {}
    changes = doc.get('changes') or []
    reconciled = doc.get('reconciled') or []
    result = {
        'rc': rc,
        # a tool without "changed" (older than the key): anything listed changed
        'changed': bool(doc.get('changed', bool(changes or reconciled))),
        'dry_run': bool(doc.get('dry_run', False)),
        'steps': doc.get('steps') or {},
        'changes': changes,
        'reconciled': reconciled,
        'lines': [c.get('text', '') for c in changes],
        'warnings': list(doc.get('warnings') or []),
    }
    if rc != 0:
        msg = doc.get('error') or _error_line(stderr) or 'virt-sriov apply exited with status %d' % rc
        raise ApplyError(msg, result)
    if not doc:
        raise ApplyError('virt-sriov apply printed no JSON document: %s' % _last_line(stderr),
                         dict(result, changed=False))
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config=dict(type='path'),
            uri=dict(type='str'),
            timeout=dict(type='int'),
            no_libvirt=dict(type='bool', default=False),
            executable=dict(type='path', default='virt-sriov'),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if p['timeout'] is not None and not 1 <= p['timeout'] <= 3600:
        module.fail_json(msg='timeout must be 1-3600 seconds, not %d' % p['timeout'])
    binary = p['executable']
    if '/' not in binary:
        binary = module.get_bin_path(binary, required=True, opt_dirs=['/usr/sbin', '/usr/local/bin'])
    argv = build_command(binary, p['config'], p['uri'], p['timeout'], p['no_libvirt'], module.check_mode)
    rc, stdout, stderr = module.run_command(argv, environ_update={'LC_ALL': 'C'})
    try:
        result = parse_result(rc, stdout, stderr)
    except ApplyError as e:
        for w in e.result.pop('warnings', []):
            module.warn(w)
        module.fail_json(msg=e.msg, cmd=argv, stdout=stdout, stderr=stderr, **e.result)
    for w in result.pop('warnings'):
        module.warn(w)
    module.exit_json(cmd=argv, **result)


if __name__ == '__main__':
    main()
