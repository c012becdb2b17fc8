# libvirt area: libvirt API (in_use_by, hostdev pools), the libxml2 helpers
# (the hook reads its input with them too), XML templates.
src_lib_libvirtsriov_a_SOURCES += \
	src/lib/libvirt.c src/lib/libvirt.h \
	src/lib/xml.c src/lib/xml.h \
	src/lib/xmlgen.c src/lib/xmlgen.h

# libvirt.so is not linked: src/lib/libvirt-dl.c defines the vir* functions
# the tree calls and loads libvirt.so.0 on the first call, so the commands
# that never talk to libvirt do not pay for loading it.  An archive of its
# own, after libvirtsriov.a in VS_LIBS, that the hook does not link.
noinst_LIBRARIES += src/lib/libvirtdl.a
src_lib_libvirtdl_a_SOURCES = src/lib/libvirt-dl.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-xmlgen tests/unit/test-libvirt-usage tests/unit/test-libvirt-pools
TESTS += tests/unit/test-xmlgen tests/unit/test-libvirt-usage tests/unit/test-libvirt-pools
tests_unit_test_xmlgen_SOURCES = tests/unit/test-xmlgen.c
tests_unit_test_xmlgen_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_xmlgen_LDADD = $(CMOCKA_TEST_LIBS)
# in_use_by from libvirt's test driver loaded with tests/data/xml/libvirt/usage-node.xml
tests_unit_test_libvirt_usage_SOURCES = tests/unit/test-libvirt-usage.c
tests_unit_test_libvirt_usage_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_libvirt_usage_LDADD = $(CMOCKA_TEST_LIBS)
# pools on test:///default, all in one process (the driver forgets at exit)
tests_unit_test_libvirt_pools_SOURCES = tests/unit/test-libvirt-pools.c
tests_unit_test_libvirt_pools_CFLAGS = $(CMOCKA_TEST_CFLAGS)
tests_unit_test_libvirt_pools_LDADD = $(CMOCKA_TEST_LIBS)
endif

# Templates: compiled in as the defaults (so the build tree runs without
# installing), overridden file by file in $(sysconfdir)/virt-sriov/templates.
# The C array is made with sed alone (no xxd, no assembler tricks); the
# copies installed under $(pkgdatadir) are for the admin to start from.
VS_TEMPLATE_FILES = \
	xml-templates/network-pf.xml xml-templates/network-vfs.xml \
	xml-templates/hostdev.xml xml-templates/interface-hostdev.xml \
	xml-templates/failover-virtio.xml xml-templates/failover-vf.xml
templatesdir = $(pkgdatadir)/templates
dist_templates_DATA = $(VS_TEMPLATE_FILES)
nodist_src_lib_libvirtsriov_a_SOURCES = src/lib/templates-builtin.c
CLEANFILES += src/lib/templates-builtin.c
src/lib/templates-builtin.c: $(VS_TEMPLATE_FILES) $(srcdir)/mk/libvirt.mk
	$(AM_V_GEN)$(MKDIR_P) src/lib && { \
		echo '/* Made from xml-templates/ by mk/libvirt.mk: do not edit. */'; \
		echo '#include "config.h"'; \
		echo '#include "xmlgen.h"'; \
		echo 'const struct vs_builtin_template vs_builtin_templates[] = {'; \
		for f in $(VS_TEMPLATE_FILES); do \
			echo "	{ \"`basename $$f`\","; \
			sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	  "/' -e 's/$$/\\n"/' $(srcdir)/$$f || exit 1; \
			echo '	},'; \
		done; \
		echo '	{ NULL, NULL }'; \
		echo '};'; \
	} >$@.tmp && mv $@.tmp $@

# Shell tests: golden XML + libvirt's RNG schemas, and a real private libvirtd.
EXTRA_DIST += tests/integration/libvirtd-harness.sh
dist_check_SCRIPTS += tests/integration/xml-golden.sh tests/integration/libvirt-daemon.sh \
	tests/integration/libvirt-harness.sh
TESTS += tests/integration/xml-golden.sh tests/integration/libvirt-daemon.sh \
	tests/integration/libvirt-harness.sh
tests/integration/xml-golden.log tests/integration/libvirt-daemon.log: \
	tests/tools/gen-host-tree$(EXEEXT) virt-sriov$(EXEEXT)

# The QEMU capability cache the libvirtd harness keeps between runs.
distclean-local: distclean-libvirtd-cache
distclean-libvirtd-cache:
	rm -rf tests/.libvirtd-cache
.PHONY: distclean-libvirtd-cache
