# attach area: choosing a free VF under a lock, attach and detach through
# libvirt with the hook's own state.
src_lib_libvirtsriov_a_SOURCES += \
	src/lib/attach.c src/lib/attach.h src/lib/attach-int.h \
	src/lib/attach-domain.c src/lib/detach.c

virt_sriov_full_SOURCES += src/cli/attach-cli.c src/cli/attach-cli.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-attach
TESTS += tests/unit/test-attach
tests_unit_test_attach_SOURCES = tests/unit/test-attach.c tests/unit/host-tree.c tests/unit/host-tree.h \
	$(FAKE_KERNEL_SOURCES)
tests_unit_test_attach_CFLAGS = $(CMOCKA_TEST_CFLAGS) -I$(top_srcdir)/tests/tools -DGEN_HOST_TREE='"$(abs_top_builddir)/tests/tools/gen-host-tree"' \
	-DTEMPLATE_DIR='"$(abs_top_srcdir)/xml-templates"'
tests_unit_test_attach_LDADD = $(CMOCKA_TEST_LIBS)
endif

# Against a private real libvirtd (tests/integration/libvirtd-harness.sh).
TESTS += tests/integration/attach-libvirtd.sh tests/integration/attach-concurrent.sh
dist_check_SCRIPTS += tests/integration/attach-libvirtd.sh tests/integration/attach-concurrent.sh
tests/unit/test-attach.log tests/integration/attach-libvirtd.log tests/integration/attach-concurrent.log: \
	tests/tools/gen-host-tree$(EXEEXT) virt-sriov$(EXEEXT)
