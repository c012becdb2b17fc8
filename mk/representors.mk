# Representors (switchdev mode): finding a VF's representor, the bridge it
# joins (Linux bridge through rtnetlink, netlink.c; Open vSwitch through
# ovsdb's JSON-RPC, ovsdb.c), and their tests.
src_lib_libvirtsriov_a_SOURCES += \
	src/lib/representor.c src/lib/representor.h \
	src/lib/ovsdb.c src/lib/ovsdb.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-representor tests/unit/test-ovsdb
TESTS += tests/unit/test-representor tests/unit/test-ovsdb
tests_unit_test_representor_SOURCES = tests/unit/test-representor.c tests/tools/fake-nl.c tests/tools/fake-nl.h
tests_unit_test_representor_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_representor_LDADD = $(CMOCKA_TEST_LIBS)
tests_unit_test_ovsdb_SOURCES = tests/unit/test-ovsdb.c
tests_unit_test_ovsdb_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_ovsdb_LDADD = $(CMOCKA_TEST_LIBS)
endif

# A small client of ovsdb.c for the test against a real ovsdb-server.
check_PROGRAMS += tests/tools/vs-ovsdb
tests_tools_vs_ovsdb_SOURCES = tests/tools/vs-ovsdb.c
tests_tools_vs_ovsdb_LDADD = $(VS_LIBS)
TESTS += tests/integration/ovsdb-server.sh
dist_check_SCRIPTS += tests/integration/ovsdb-server.sh
TESTS += tests/integration/representor-hook.sh
dist_check_SCRIPTS += tests/integration/representor-hook.sh
