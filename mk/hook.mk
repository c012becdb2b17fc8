# hook area: guest policy, host configuration file, per-guest state, the
# libvirt hook program and the commands that share its code (policy, plan,
# reconcile).
src_lib_libvirtsriov_a_SOURCES += \
	src/lib/policy.c src/lib/policy.h \
	src/lib/state.c src/lib/state.h \
	src/lib/hook.c src/lib/hook.h

# libvirt runs every executable in qemu.d/ and network.d/: the same program
# serves both and tells them apart by the directory it was run from.
# Linked without libvirt: a hook that calls the libvirt API deadlocks the
# daemon, so the link fails if anything in the hook's path refers to it
# (and the hook does not pay for loading libvirt.so on every guest start).
HOOK_LIBS = $(top_builddir)/src/lib/libvirtsriov.a $(LIBXML_LIBS) $(LIBPCI_LIBS) $(LIBNL_LIBS) $(JSONC_LIBS)
libexec_PROGRAMS = virt-sriov-hook
virt_sriov_hook_SOURCES = src/hook/main.c
virt_sriov_hook_LDADD = $(HOOK_LIBS)

dist_man5_MANS = docs/virt-sriov.conf.5
dist_man8_MANS = docs/virt-sriov-hook.8

hookdir = $(sysconfdir)/libvirt/hooks
install-exec-hook: install-virt-sriov-hook
install-virt-sriov-hook:
	for d in qemu.d network.d; do \
		$(MKDIR_P) '$(DESTDIR)$(hookdir)'/$$d && \
		$(INSTALL_PROGRAM) virt-sriov-hook$(EXEEXT) '$(DESTDIR)$(hookdir)'/$$d/virt-sriov || exit 1; \
	done
uninstall-hook: uninstall-virt-sriov-hook
uninstall-virt-sriov-hook:
	rm -f '$(DESTDIR)$(hookdir)'/qemu.d/virt-sriov '$(DESTDIR)$(hookdir)'/network.d/virt-sriov
.PHONY: install-virt-sriov-hook uninstall-virt-sriov-hook

# The same hook program with the PFs' VF tables in a file instead of the
# kernel (tests/tools/fake-kernel.h), for tests that run it as libvirt does.
check_PROGRAMS += tests/tools/virt-sriov-hook-fake
tests_tools_virt_sriov_hook_fake_SOURCES = src/hook/main.c $(FAKE_KERNEL_SOURCES)
tests_tools_virt_sriov_hook_fake_CFLAGS = $(AM_CFLAGS) -DVS_HOOK_TEST_OPS -I$(top_srcdir)/tests/tools
tests_tools_virt_sriov_hook_fake_LDADD = $(HOOK_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-policy tests/unit/test-state tests/unit/test-hook
TESTS += tests/unit/test-policy tests/unit/test-state tests/unit/test-hook
tests_unit_test_policy_SOURCES = tests/unit/test-policy.c
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
tests/unit/test-hook.log tests/integration/hook-captures.log tests/integration/hook-libvirtd.log: tests/tools/gen-host-tree$(EXEEXT) virt-sriov-hook$(EXEEXT) tests/tools/virt-sriov-hook-fake$(EXEEXT)
