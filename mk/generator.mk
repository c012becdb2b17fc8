# Generator area: the sysfs host tree generator used by tests, the demo and
# the benchmark, and the checks of its trees against the real lspci.
noinst_PROGRAMS += tests/tools/gen-host-tree
tests_tools_gen_host_tree_SOURCES = tests/tools/gen-host-tree.c src/lib/pciaddr.c src/lib/pciaddr.h
# --vf-settings: the VF tables file of a captured host (src/lib/vftables.c)
tests_tools_gen_host_tree_LDADD = $(top_builddir)/src/lib/libvirtsriov.a $(LIBNL_LIBS) $(JSONC_LIBS)

GENERATOR_TESTS = \
	tests/integration/gen-host-tree-args.sh \
	tests/integration/lspci-gen.sh \
	tests/integration/lspci-compare.sh
TESTS += $(GENERATOR_TESTS)
dist_check_SCRIPTS += $(GENERATOR_TESTS)

# `make bench`: list --json against lspci -vvv on generated 1..8 x 256 VF
# trees; figures go to docs/benchmarks.md by hand.
bench: all
	bash $(srcdir)/bench/inventory.sh $(abs_top_builddir)
.PHONY: bench
