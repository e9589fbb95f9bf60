# make deb: the Debian package build/deb/sroscope_VERSION_amd64.deb.
#
# sroscope and its BPF objects need the BTF of the project's kernel, so
# they are built by the project's own targets (tools ARCH=x86_64, man);
# debian/rules compiles nothing and only packages them (debhelper 13, dh).
# dpkg-buildpackage runs in a copy of debian/ and of what the package
# holds, build/deb/sroscope-VERSION/, so its products land in build/deb/
# and debhelper's work files stay out of the tree. Included by the
# Makefile; alone: make -f Makefile -f mk/deb.mk deb.

Q ?= @
DEB_OUT := build/deb
DEB_VERSION := $(shell sed -n 's/^\#define SROSCOPE_VERSION[[:space:]]*"\(.*\)"/\1/p' user/lib/common.h)
DEB_FILE := $(DEB_OUT)/sroscope_$(DEB_VERSION)_amd64.deb
DEB_SRC := $(DEB_OUT)/sroscope-$(DEB_VERSION)
DEB_VMROOT := build/x86_64/vmroot
# What debian/*.install, .manpages and .docs take, as paths in the tree.
# Only the pages of man/*.scd: build/man/ may keep one whose source is gone.
DEB_INPUTS = $(DEB_VMROOT)/bin/sroscope \
	$(wildcard $(DEB_VMROOT)/lib/sroscope/policies/*.bpf.o) \
	$(patsubst man/%.scd,build/man/%,$(wildcard man/*.scd)) \
	completions/sroscope dashboards/grafana dashboards/prometheus dashboards/mixin schemas \
	packaging/systemd packaging/etc README.md docs kernel/README.md

.PHONY: deb deb-deps deb-check-version

# What the project needs, and debhelper (quick when all are there).
deb-deps:
	$(Q)scripts/install-deps.sh debhelper

# The package's version is the binary's: debian/changelog must say it.
deb-check-version:
	$(Q)test -n "$(DEB_VERSION)" || { echo "deb: no SROSCOPE_VERSION in user/lib/common.h"; exit 1; }
	$(Q)v=$$(dpkg-parsechangelog -l debian/changelog -S Version) && \
		test "$$v" = "$(DEB_VERSION)" || { \
		echo "deb: debian/changelog is at $$v, user/lib/common.h at $(DEB_VERSION):"; \
		echo "     add an entry (dch -v $(DEB_VERSION)) or fix SROSCOPE_VERSION"; exit 1; }

deb: deb-deps deb-check-version
	$(Q)test -f $(CACHE)/build-x86_64/vmlinux || \
		{ echo "deb: no x86_64 kernel in $(CACHE): run 'make kernel ARCH=x86_64' first"; exit 1; }
	$(Q)$(MAKE) --no-print-directory tools ARCH=x86_64
	$(Q)$(MAKE) --no-print-directory man
	$(Q)test "$$($(DEB_VMROOT)/bin/sroscope --version)" = "sroscope $(DEB_VERSION)" || \
		{ echo "deb: $(DEB_VMROOT)/bin/sroscope is not version $(DEB_VERSION)"; exit 1; }
	$(Q)rm -rf $(DEB_OUT) && mkdir -p $(DEB_SRC)
	$(Q)cp -a debian $(DEB_SRC)/
	$(Q)cp -a --parents $(DEB_INPUTS) $(DEB_SRC)/
	$(if $(filter @,$(Q)),@echo "  DEB     $(DEB_FILE)")
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc >../build.log 2>&1 || \
		{ tail -30 ../build.log; echo "deb: dpkg-buildpackage failed; log: $(DEB_OUT)/build.log"; exit 1; }
	$(Q)test -f $(DEB_FILE) || { echo "deb: no $(DEB_FILE)"; exit 1; }
	$(Q)rm -rf $(DEB_SRC)
