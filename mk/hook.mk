# hook area: host configuration file, guest policy, per-guest state, the
# libvirt hook program and the commands that share its code (policy, plan,
# reconcile).
src_lib_libvirtsriov_a_SOURCES += \
	src/lib/conf.c src/lib/conf.h \
	src/lib/policy.c src/lib/policy.h \
	src/lib/state.c src/lib/state.h \
	src/lib/hook-input.c src/lib/hook-input.h \
	src/lib/hook-plan.c src/lib/hook-plan.h \
	src/lib/hook-exec.c src/lib/hook-exec.h \
	src/lib/hook.c src/lib/hook.h \
	src/lib/hook-action.c src/lib/hook-action.h

# libvirt runs every executable in qemu.d/ and network.d/, for every
# operation of every guest and network.  What is installed there is a
# symlink to the front (src/hook/front.c, in pkglibexecdir): libc only, it
# exits 0 at once for the operations the hook ignores and execs the full
# hook, $(pkglibexecdir)/virt-sriov-hook, for the four it acts on (one
# decision table: src/lib/hook-action.c).  The
# same front serves both folders and the full hook tells them apart by the
# directory in argv[0], which the front passes on unchanged.
pkglibexec_PROGRAMS += virt-sriov-hook-front
virt_sriov_hook_front_SOURCES = src/hook/front.c
virt_sriov_hook_front_CPPFLAGS = $(AM_CPPFLAGS) -DVS_HOOK_PROGRAM='"$(pkglibexecdir)/virt-sriov-hook"'
# Not AM_CFLAGS: no library's headers, and the archive's hook-action.o alone
# (the link fails if the front needs anything beyond libc).
virt_sriov_hook_front_CFLAGS = $(WARN_CFLAGS) $(SANITIZER_CFLAGS)
virt_sriov_hook_front_LDADD = $(top_builddir)/src/lib/libvirtsriov.a

# The full hook: linked without libvirt, since a hook that calls the libvirt
# API deadlocks the daemon, so the link fails if anything in the hook's path
# refers to it (the libvirt shim, src/lib/libvirt-dl.c, is in its own
# archive, which the hook does not link).
# Nor libpci: the hook locates VFs from sysfs links alone (vflocate.c) and
# reads no config space, so the link fails if its path reaches pci.o.
HOOK_LIBS = $(top_builddir)/src/lib/libvirtsriov.a $(LIBXML_LIBS) $(LIBNL_LIBS) $(JSONC_LIBS)
pkglibexec_PROGRAMS += virt-sriov-hook
virt_sriov_hook_SOURCES = src/hook/main.c
virt_sriov_hook_LDADD = $(HOOK_LIBS)

dist_man5_MANS = docs/virt-sriov.conf.5
dist_man8_MANS = docs/virt-sriov-hook.8

# libvirt's own hook directory (configure --with-libvirt-hookdir, default
# /etc/libvirt/hooks whatever the prefix): symlinks, not copies, so that
# the hook is upgraded with the package and /etc holds no binaries.  The
# link names the installed front without DESTDIR.
hookdir = @LIBVIRT_HOOKDIR@
VS_HOOK_FRONT = $(pkglibexecdir)/virt-sriov-hook-front$(EXEEXT)
install-exec-hook: install-virt-sriov-hook
install-virt-sriov-hook:
	for d in qemu.d network.d; do \
		$(MKDIR_P) '$(DESTDIR)$(hookdir)'/$$d && \
		rm -f '$(DESTDIR)$(hookdir)'/$$d/virt-sriov && \
		$(LN_S) '$(VS_HOOK_FRONT)' '$(DESTDIR)$(hookdir)'/$$d/virt-sriov || exit 1; \
	done
uninstall-hook: uninstall-virt-sriov-hook
uninstall-virt-sriov-hook:
	rm -f '$(DESTDIR)$(hookdir)'/qemu.d/virt-sriov '$(DESTDIR)$(hookdir)'/network.d/virt-sriov
# distcheck installs as a user into a prefix of its own: the hooks and the
# bash completion too (both default to system directories).
AM_DISTCHECK_CONFIGURE_FLAGS = --with-libvirt-hookdir=$$dc_install_base/etc/libvirt/hooks \
	--with-bash-completion-dir='$$(datadir)/bash-completion/completions'
.PHONY: install-virt-sriov-hook uninstall-virt-sriov-hook

# The same hook program with the PFs' VF tables in a file instead of the
# kernel (tests/tools/fake-kernel.h), for tests that run it as libvirt does.
check_PROGRAMS += tests/tools/virt-sriov-hook-fake
tests_tools_virt_sriov_hook_fake_SOURCES = src/hook/main.c $(FAKE_KERNEL_SOURCES)
tests_tools_virt_sriov_hook_fake_CFLAGS = $(AM_CFLAGS) -DVS_HOOK_TEST_OPS -I$(top_srcdir)/tests/tools
tests_tools_virt_sriov_hook_fake_LDADD = $(HOOK_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-conf tests/unit/test-policy tests/unit/test-state tests/unit/test-hook tests/unit/test-hook-action
TESTS += tests/unit/test-conf tests/unit/test-policy tests/unit/test-state tests/unit/test-hook tests/unit/test-hook-action
# the library archive and cmocka alone: hook-action.o must need only libc
tests_unit_test_hook_action_SOURCES = tests/unit/test-hook-action.c
tests_unit_test_hook_action_CFLAGS = $(WARN_CFLAGS) $(SANITIZER_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_hook_action_LDADD = $(top_builddir)/src/lib/libvirtsriov.a $(CMOCKA_LIBS)
tests_unit_test_conf_SOURCES = tests/unit/test-conf.c tests/unit/conf-sample.h
tests_unit_test_conf_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_conf_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_policy_SOURCES = tests/unit/test-policy.c tests/unit/conf-sample.h
tests_unit_test_policy_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_policy_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_state_SOURCES = tests/unit/test-state.c
tests_unit_test_state_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_state_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_hook_SOURCES = tests/unit/test-hook.c $(FAKE_KERNEL_SOURCES)
tests_unit_test_hook_CFLAGS = $(CMOCKA_TEST_CFLAGS) -I$(top_srcdir)/tests/tools -DGEN_HOST_TREE='"$(abs_top_builddir)/tests/tools/gen-host-tree"' \
	-DHOOK_DATA='"$(abs_top_srcdir)/tests/data/hook"'
tests_unit_test_hook_LDADD = $(CMOCKA_TEST_LIBS)
endif
TESTS += tests/integration/hook-captures.sh tests/integration/hook-libvirtd.sh
dist_check_SCRIPTS += tests/integration/hook-captures.sh tests/integration/hook-libvirtd.sh

# Fuzz targets (tests/fuzz): replayed over their corpora by `make check`
# with the build's compiler; run under libFuzzer by libfuzzer.sh (clang).
check_PROGRAMS += tests/fuzz/fuzz-policy-replay tests/fuzz/fuzz-conf-replay tests/fuzz/fuzz-hook-input-replay
tests_fuzz_fuzz_policy_replay_SOURCES = tests/fuzz/fuzz-policy.c tests/fuzz/replay.c
tests_fuzz_fuzz_policy_replay_LDADD = $(VS_LIBS)
tests_fuzz_fuzz_conf_replay_SOURCES = tests/fuzz/fuzz-conf.c tests/fuzz/replay.c
tests_fuzz_fuzz_conf_replay_LDADD = $(VS_LIBS)
tests_fuzz_fuzz_hook_input_replay_SOURCES = tests/fuzz/fuzz-hook-input.c tests/fuzz/replay.c
tests_fuzz_fuzz_hook_input_replay_LDADD = $(VS_LIBS)
TESTS += tests/fuzz/replay.sh tests/fuzz/libfuzzer.sh
dist_check_SCRIPTS += tests/fuzz/replay.sh tests/fuzz/libfuzzer.sh
EXTRA_DIST += tests/fuzz/corpus
tests/fuzz/replay.log: tests/fuzz/fuzz-policy-replay$(EXEEXT) tests/fuzz/fuzz-conf-replay$(EXEEXT) tests/fuzz/fuzz-hook-input-replay$(EXEEXT)

# The tests drive the generator: it must be built before they run.
tests/unit/test-hook.log tests/integration/hook-captures.log tests/integration/hook-libvirtd.log: tests/tools/gen-host-tree$(EXEEXT) virt-sriov-hook$(EXEEXT) \
	virt-sriov-hook-front$(EXEEXT) tests/tools/virt-sriov-hook-fake$(EXEEXT)

# The configuration: a commented sample where none exists (every line a
# comment, so installing changes nothing); an admin's file is never
# overwritten, and uninstall removes it only while it is the sample.
EXTRA_DIST += conf/virt-sriov.conf
VS_CONF_FILE = $(DESTDIR)$(sysconfdir)/virt-sriov/virt-sriov.conf
install-data-local: install-virt-sriov-conf
install-virt-sriov-conf:
	@if test -e '$(VS_CONF_FILE)'; then \
		echo " $(VS_CONF_FILE) exists: kept"; \
	else \
		echo " $(INSTALL_DATA) conf/virt-sriov.conf '$(VS_CONF_FILE)'"; \
		$(MKDIR_P) '$(DESTDIR)$(sysconfdir)/virt-sriov' && \
		$(INSTALL_DATA) $(srcdir)/conf/virt-sriov.conf '$(VS_CONF_FILE)'; \
	fi
uninstall-local: uninstall-virt-sriov-conf
uninstall-virt-sriov-conf:
	if cmp -s $(srcdir)/conf/virt-sriov.conf '$(VS_CONF_FILE)'; then rm -f '$(VS_CONF_FILE)'; fi
.PHONY: install-virt-sriov-conf uninstall-virt-sriov-conf

# What `make install DESTDIR=` puts where with configure's defaults (hook
# symlinks, state directory, sample configuration), and the build tree
# running without installed templates.
TESTS += tests/integration/install-tree.sh
dist_check_SCRIPTS += tests/integration/install-tree.sh
tests/integration/install-tree.log: virt-sriov$(EXEEXT) virt-sriov-hook$(EXEEXT) virt-sriov-hook-front$(EXEEXT) \
	tests/tools/gen-host-tree$(EXEEXT)
