# contrib/ansible: the Ansible module that runs `virt-sriov --json apply`
# (issue 17), installed as a collection tree under $(pkgdatadir)/ansible so
# that admins find it: ANSIBLE_LIBRARY=$(pkgdatadir)/ansible/plugins/modules,
# or `ansible-galaxy collection build` there.
ansibledir = $(pkgdatadir)/ansible
dist_ansible_DATA = contrib/ansible/README.md contrib/ansible/galaxy.yml
ansiblemetadir = $(ansibledir)/meta
dist_ansiblemeta_DATA = contrib/ansible/meta/runtime.yml
ansiblemodulesdir = $(ansibledir)/plugins/modules
dist_ansiblemodules_DATA = contrib/ansible/plugins/modules/virt_sriov_apply.py
ansibleplaybooksdir = $(ansibledir)/playbooks
dist_ansibleplaybooks_DATA = contrib/ansible/playbooks/virt-sriov.yml
EXTRA_DIST += contrib/ansible/tests/unit/test_virt_sriov_apply.py

dist_check_SCRIPTS += tests/integration/ansible-module.sh
TESTS += tests/integration/ansible-module.sh
