# apply area: declarative host setup at boot (virt-sriov apply):
# the configuration's VF counts, drivers, static VF settings and pools, and
# the systemd unit that runs it before libvirt.
src_lib_libvirtsriov_a_SOURCES += src/lib/hostsetup.c src/lib/hostsetup.h
# --save of vf set, numvfs and bind: virt-sriov.conf edited line by line.
src_lib_libvirtsriov_a_SOURCES += src/lib/conf-edit.c src/lib/conf-edit.h

# The units name the installed binary: made at build time (bindir is only
# final then), not by configure.  virt-sriov-reconcile.service: reconcile at
# each start of libvirt's daemon (issue 13).
VS_UNITS = systemd/virt-sriov.service systemd/virt-sriov-reconcile.service
EXTRA_DIST += systemd/virt-sriov.service.in systemd/virt-sriov-reconcile.service.in
CLEANFILES += $(VS_UNITS)
nodist_noinst_DATA = $(VS_UNITS)
VS_UNIT_GEN = $(MKDIR_P) systemd && \
	sed -e 's|@bindir[@]|$(bindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/$@.in >$@.tmp && mv $@.tmp $@
systemd/virt-sriov.service: $(srcdir)/systemd/virt-sriov.service.in Makefile
	$(AM_V_GEN)$(VS_UNIT_GEN)
systemd/virt-sriov-reconcile.service: $(srcdir)/systemd/virt-sriov-reconcile.service.in Makefile
	$(AM_V_GEN)$(VS_UNIT_GEN)

# Where units go: `make systemdsystemunitdir=DIR` wins; else systemd's own
# pkg-config answer under our prefix; else $(prefix)/lib/systemd/system.
systemdsystemunitdir =
VS_UNIT_DIR = d='$(systemdsystemunitdir)'; \
	test -n "$$d" || d=`$(PKG_CONFIG) --define-variable=prefix='$(prefix)' \
		--define-variable=rootprefix='$(prefix)' --define-variable=root_prefix='$(prefix)' \
		--variable=systemdsystemunitdir systemd 2>/dev/null`; \
	test -n "$$d" || d='$(prefix)/lib/systemd/system'
install-data-local: install-virt-sriov-unit
install-virt-sriov-unit: $(VS_UNITS)
	@$(VS_UNIT_DIR); \
	echo " $(MKDIR_P) '$(DESTDIR)'$$d"; $(MKDIR_P) "$(DESTDIR)$$d" && \
	for u in $(VS_UNITS); do \
		echo " $(INSTALL_DATA) $$u '$(DESTDIR)'$$d"; \
		$(INSTALL_DATA) $$u "$(DESTDIR)$$d/" || exit 1; \
	done
uninstall-local: uninstall-virt-sriov-unit
uninstall-virt-sriov-unit:
	@$(VS_UNIT_DIR); for u in $(VS_UNITS); do rm -f "$(DESTDIR)$$d/$${u#systemd/}"; done
.PHONY: install-virt-sriov-unit uninstall-virt-sriov-unit

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-conf-setup tests/unit/test-hostsetup tests/unit/test-conf-edit
TESTS += tests/unit/test-conf-setup tests/unit/test-hostsetup tests/unit/test-conf-edit
tests_unit_test_conf_edit_SOURCES = tests/unit/test-conf-edit.c
tests_unit_test_conf_edit_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_conf_edit_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_conf_setup_SOURCES = tests/unit/test-conf-setup.c
tests_unit_test_conf_setup_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_conf_setup_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_hostsetup_SOURCES = tests/unit/test-hostsetup.c tests/unit/host-tree.c tests/unit/host-tree.h $(FAKE_KERNEL_SOURCES)
tests_unit_test_hostsetup_CFLAGS = $(CMOCKA_TEST_CFLAGS) -DGEN_HOST_TREE='"$(abs_top_builddir)/tests/tools/gen-host-tree"'
tests_unit_test_hostsetup_LDADD = $(CMOCKA_TEST_LIBS)
endif

# systemd-analyze verify checks the unit as built, ExecStart pointed at the
# built binary; the others drive the generator.
dist_check_SCRIPTS += tests/integration/apply-tree.sh tests/integration/apply-libvirtd.sh \
	tests/integration/apply-systemd.sh
TESTS += tests/integration/apply-tree.sh tests/integration/apply-libvirtd.sh tests/integration/apply-systemd.sh
dist_check_SCRIPTS += tests/integration/save-tree.sh
TESTS += tests/integration/save-tree.sh
tests/integration/save-tree.log: tests/tools/gen-host-tree$(EXEEXT)
tests/unit/test-hostsetup.log tests/integration/apply-tree.log tests/integration/apply-libvirtd.log: \
	tests/tools/gen-host-tree$(EXEEXT)
tests/integration/apply-systemd.log tests/integration/apply-tree.log: $(VS_UNITS)
