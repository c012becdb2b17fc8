# System tests on a real kernel with SR-IOV devices under QEMU (TCG):
# tests/vm/, described in docs/testing-vm.md. Not part of `make check`
# (minutes, downloads, needs root): CI runs `make check-vm` on its own.
#   make check-vm [VM_SCENARIOS="igb nvme"]   scenarios, "N passed, N failed"
#   make bench-vm                             the in-VM benchmarks
#   make clean-vm                             drop the download/build cache
EXTRA_DIST += tests/vm

VM_ENV = top_builddir='$(abs_top_builddir)'; export top_builddir; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir;

check-vm: all
	@$(VM_ENV) $(SHELL) '$(abs_top_srcdir)/tests/vm/check-vm.sh'

bench-vm: all
	@$(VM_ENV) $(SHELL) '$(abs_top_srcdir)/tests/vm/check-vm.sh' bench-igb bench-netdevsim

clean-vm:
	rm -rf tests/vm/cache tests/vm/logs tests/vm/initramfs.cpio tests/vm/install-root tests/vm/install.log

.PHONY: check-vm bench-vm clean-vm
