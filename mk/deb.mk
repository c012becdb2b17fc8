# The Debian package (debian/): `make deb` builds it with dpkg-buildpackage
# from a fresh copy of the distributed tree (`make distdir`), so that
# nothing of this build tree or of an in-place configure leaks into it.
# The .deb, .changes and .buildinfo land in $(DEB_DIR).
#   make deb [DEB_DIR=DIR] [DEB_BUILD_OPTIONS=nocheck]
EXTRA_DIST += debian
DEB_DIR = deb
deb: distdir
	rm -rf '$(DEB_DIR)/$(distdir)' && $(MKDIR_P) '$(DEB_DIR)' && \
	mv $(distdir) '$(DEB_DIR)/' && \
	cd '$(DEB_DIR)/$(distdir)' && dpkg-buildpackage -b -us -uc && \
	cd .. && rm -rf '$(distdir)' && ls -1 $(PACKAGE)_$(VERSION)_*.deb
clean-local: clean-deb
clean-deb:
	rm -rf '$(DEB_DIR)'
.PHONY: deb clean-deb
# What a dpkg-buildpackage run in the source tree leaves in debian/.
dist-hook: dist-deb-clean
dist-deb-clean:
	cd '$(distdir)/debian' && rm -rf build .debhelper virt-sriov debhelper-build-stamp files \
		*.debhelper *.debhelper.log *.substvars *.log autoreconf.before autoreconf.after
.PHONY: dist-deb-clean
