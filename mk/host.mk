# Host area: readiness check, VF creation (sriov_numvfs), driver binding.
src_lib_libvirtsriov_a_SOURCES += \
	src/lib/check.c src/lib/check.h \
	src/lib/sriov.c src/lib/sriov.h
virt_sriov_full_SOURCES += src/cli/vf-guard.c src/cli/vf-guard.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-check tests/unit/test-sriov
TESTS += tests/unit/test-check tests/unit/test-sriov
tests_unit_test_check_SOURCES = tests/unit/test-check.c tests/unit/host-tree.c tests/unit/host-tree.h
tests_unit_test_check_CFLAGS = $(CMOCKA_TEST_CFLAGS) -DGEN_HOST_TREE='"$(abs_top_builddir)/tests/tools/gen-host-tree"'
tests_unit_test_check_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_sriov_SOURCES = tests/unit/test-sriov.c tests/unit/host-tree.c tests/unit/host-tree.h
tests_unit_test_sriov_CFLAGS = $(CMOCKA_TEST_CFLAGS) -DGEN_HOST_TREE='"$(abs_top_builddir)/tests/tools/gen-host-tree"'
tests_unit_test_sriov_LDADD = $(CMOCKA_TEST_LIBS)
endif

# The tests drive tests/tools/gen-host-tree, a noinst program that `all`
# (and so `check`) builds first.
dist_check_SCRIPTS += \
	tests/integration/check-live.sh \
	tests/integration/check-tree.sh \
	tests/integration/numvfs-tree.sh \
	tests/integration/tty.sh \
	tests/integration/bind-tree.sh
TESTS += \
	tests/integration/check-live.sh \
	tests/integration/check-tree.sh \
	tests/integration/numvfs-tree.sh \
	tests/integration/tty.sh \
	tests/integration/bind-tree.sh
