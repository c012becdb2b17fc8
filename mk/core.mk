# Core: shared helpers, PCI addresses, sysfs access, and the command-line
# front end.
src_lib_libvirtsriov_a_SOURCES += \
	src/lib/util.c src/lib/util.h \
	src/lib/vfconfig.c src/lib/vfconfig.h \
	src/lib/pciaddr.c src/lib/pciaddr.h \
	src/lib/sysfs.c src/lib/sysfs.h \
	src/lib/inventory.h src/lib/netlink.h

# Two programs (src/cli/cli.h): virt-sriov runs vf, check and help itself,
# linked against neither libxml2 nor libvirt (so `vf set` starts as fast as
# `ip`: the link fails if their path reaches those libraries), and execs
# virt-sriov-full, which runs every command, for the others.
CLI_COMMON = src/cli/cli.h src/cli/main.c src/cli/cmd-vf.c src/cli/cmd-check.c src/cli/cmd-help.c \
	src/cli/json-out.c src/cli/json-out.h src/cli/table-out.c src/cli/table-out.h \
	src/cli/load.c src/cli/load.h src/cli/options.c src/cli/options.h \
	src/cli/save.c src/cli/save.h
bin_PROGRAMS += virt-sriov
virt_sriov_SOURCES = $(CLI_COMMON) src/cli/full.c
virt_sriov_CPPFLAGS = $(AM_CPPFLAGS) -DVS_CLI_LEAN -DVS_CLI_FULL_PROGRAM='"$(pkglibexecdir)/virt-sriov-full"'
virt_sriov_LDADD = $(top_builddir)/src/lib/libvirtsriov.a $(LIBPCI_LIBS) $(LIBNL_LIBS) $(JSONC_LIBS)
pkglibexec_PROGRAMS += virt-sriov-full
virt_sriov_full_SOURCES = $(CLI_COMMON) \
	src/cli/cmd-list.c src/cli/cmd-show.c \
	src/cli/cmd-numvfs.c src/cli/cmd-bind.c \
	src/cli/cmd-xml.c src/cli/cmd-network.c \
	src/cli/cmd-attach.c src/cli/cmd-detach.c \
	src/cli/cmd-policy.c src/cli/cmd-plan.c src/cli/cmd-reconcile.c \
	src/cli/cmd-apply.c src/cli/cmd-capture.c src/cli/usage.c
virt_sriov_full_LDADD = $(VS_LIBS)

# The state directory's one owner: the hook's state files, attach's lock and
# reservations.
src_lib_libvirtsriov_a_SOURCES += src/lib/statedir.c src/lib/statedir.h
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-statedir
TESTS += tests/unit/test-statedir
tests_unit_test_statedir_SOURCES = tests/unit/test-statedir.c
tests_unit_test_statedir_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_statedir_LDADD = $(CMOCKA_TEST_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-util tests/unit/test-pciaddr tests/unit/test-sysfs tests/unit/test-vfconfig
TESTS += tests/unit/test-util tests/unit/test-pciaddr tests/unit/test-sysfs tests/unit/test-vfconfig
tests_unit_test_vfconfig_SOURCES = tests/unit/test-vfconfig.c
tests_unit_test_vfconfig_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_vfconfig_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_util_SOURCES = tests/unit/test-util.c
tests_unit_test_util_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_util_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_pciaddr_SOURCES = tests/unit/test-pciaddr.c
tests_unit_test_pciaddr_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_pciaddr_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_sysfs_SOURCES = tests/unit/test-sysfs.c
tests_unit_test_sysfs_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_sysfs_LDADD = $(CMOCKA_TEST_LIBS)
endif

# Start-up: what each program links and loads -- virt-sriov
# without libvirt until a command talks to it, the hook's front with libc
# alone; record-argv stands in for the full hook behind the front.
check_PROGRAMS += tests/tools/record-argv
tests_tools_record_argv_SOURCES = tests/tools/record-argv.c
TESTS += tests/integration/startup-libs.sh
dist_check_SCRIPTS += tests/integration/startup-libs.sh

# The library's include graph: no cycle, and the base (util, vfconfig,
# pciaddr, sysfs, netlink) includes no module above it.
TESTS += tests/integration/include-graph.sh
dist_check_SCRIPTS += tests/integration/include-graph.sh
tests/integration/startup-libs.log: virt-sriov$(EXEEXT) virt-sriov-hook$(EXEEXT) virt-sriov-hook-front$(EXEEXT) \
	tests/tools/gen-host-tree$(EXEEXT) tests/tools/record-argv$(EXEEXT)

# The command line's contract: help from the one table, the man page and
# README against it, exit statuses, the root and remote-URI gates.
TESTS += tests/integration/cli-help.sh tests/integration/cli-exit.sh tests/integration/cli-gates.sh
dist_check_SCRIPTS += tests/integration/cli-help.sh tests/integration/cli-exit.sh tests/integration/cli-gates.sh
tests/integration/cli-help.log tests/integration/cli-exit.log tests/integration/cli-gates.log: \
	virt-sriov$(EXEEXT) virt-sriov-full$(EXEEXT) tests/tools/gen-host-tree$(EXEEXT)

dist_man1_MANS = docs/virt-sriov.1
EXTRA_DIST += scripts
EXTRA_DIST += tests/integration/lib.sh

# Every command's --json against its schema in docs/json/ (python3-jsonschema),
# on the attach fixture's host tree and private libvirtd.
TESTS += tests/integration/json-schema.sh
dist_check_SCRIPTS += tests/integration/json-schema.sh

# The --json envelope itself (src/cli/json-out.c), without a command around it.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-json-out
TESTS += tests/unit/test-json-out
tests_unit_test_json_out_SOURCES = tests/unit/test-json-out.c src/cli/json-out.c src/cli/json-out.h
tests_unit_test_json_out_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_json_out_LDADD = $(CMOCKA_TEST_LIBS)
endif
