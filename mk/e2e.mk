# End-to-end tests: a real libvirtd inside the QEMU VM of the VM
# tier starts nested guests on real (emulated igb) VFs, with virt-sriov
# installed into the VM's Debian root from its package (`make deb`,
# dpkg -i). tests/e2e/, docs/testing-e2e.md.
# Not part of `make check` (minutes, downloads, needs root).
#   make check-e2e [E2E_SCENARIOS="pool net"]   "N passed, N failed"
#   make clean-e2e                              drop the root filesystem cache
EXTRA_DIST += tests/e2e

E2E_ENV = top_builddir='$(abs_top_builddir)'; export top_builddir; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir;

check-e2e:
	@$(E2E_ENV) $(SHELL) '$(abs_top_srcdir)/tests/e2e/check-e2e.sh'

clean-e2e:
	rm -rf tests/e2e/cache tests/e2e/logs tests/e2e/root tests/e2e/root.img \
		tests/e2e/initramfs.cpio tests/e2e/deb

.PHONY: check-e2e clean-e2e
