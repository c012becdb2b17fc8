# migrate-check: can a guest with VFs (failover pairs) be live-migrated.
src_lib_libvirtsriov_a_SOURCES += src/lib/migrate.c src/lib/migrate.h
virt_sriov_full_SOURCES += src/cli/cmd-migrate-check.c
dist_check_SCRIPTS += tests/integration/migrate-check.sh
TESTS += tests/integration/migrate-check.sh
