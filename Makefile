# SPDX-License-Identifier: GPL-2.0
#
# VirtualWire top-level build.
#
#   make                 vwctl, the selftests' C programs and the module
#                        (see KVER below)
#   make check           everything, host unit tests, VM selftests on every
#                        kernel of the test matrix; ends "N passed, N failed,
#                        N skipped"
#   make demo            a connector between two hosts, then a VM migrating to
#                        a third, inside the test VM
#   make deps            install the Debian packages that are missing
#                        (scripts/deps.sh; check and demo do it first)
#   make install         module (for KVER), then depmod, and make
#                        install-tools
#   make install-tools   vwctl (userspace/Makefile install), the libvirt hook
#                        (make install-hook) and the systemd units (make
#                        install-systemd)
#   make install-hook    the libvirt qemu hook, scripts/libvirt-hook, as
#                        $(DESTDIR)$(LIBVIRT_HOOK_DIR)/virtualwire
#   make install-systemd virtualwire.service, virtualwire@.service and
#                        vwd.service into SYSTEMDUNITDIR, the restore
#                        script as LIBEXECDIR/virtualwire/restore, example
#                        configurations as SYSCONFDIR/virtualwire/
#                        example.conf.sample and vwd.conf.sample
#                        (scripts/systemd/)
#   make deb             the Debian packages virtualwire-dkms and vwctl
#                        (debian/, dpkg-buildpackage -us -uc -b on a copy
#                        of the tree in build/deb/src) into build/deb/;
#                        needs debhelper, dh-dkms, dpkg-dev and the build
#                        dependencies of vwctl, not root
#
# Kernel choice: KVER=<version> (and optionally KDIR=<build dir>).  Without
# KVER: the running kernel when its headers are installed, otherwise every
# kernel of the test matrix (scripts/kernels.sh).  The module for kernel V
# lands at build/V/virtualwire.ko.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
RUNNING := $(shell uname -r)
MATRIX := $(shell $(TOP)/scripts/kernels.sh)

ifneq ($(KVER),)
KVERS := $(KVER)
else ifneq ($(KDIR),)
KVERS := $(shell $(MAKE) -s -C $(KDIR) kernelversion 2>/dev/null)
else ifneq ($(wildcard /lib/modules/$(RUNNING)/build/Makefile),)
KVERS := $(RUNNING)
else
KVERS := $(MATRIX)
endif

# KDIR only makes sense with a single kernel.  A kernel this tree built
# (scripts/debug-kernel.sh) has its build tree under build/kernels/.
kdir = $(if $(KDIR),$(KDIR),$(if $(wildcard /lib/modules/$(1)/build/Makefile),/lib/modules/$(1)/build,$(TOP)/build/kernels/$(1)/build))

PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_MOD_PATH ?= $(DESTDIR)
# libvirt's own, whatever PREFIX is (a libvirt built from source uses
# /usr/local/etc/libvirt/hooks/qemu.d).
LIBVIRT_HOOK_DIR ?= /etc/libvirt/hooks/qemu.d
# The configuration stays in /etc whatever PREFIX is, as the hook does;
# systemd reads units from /usr/local/lib/systemd/system too.
SBINDIR ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/lib
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

# Run as root in a tree that someone else owns, the targets below hand
# what they made back to the tree's owner (scripts/give-back.sh), so that
# a later run as that user can rebuild and rewrite it.
GIVE_BACK := $(TOP)/scripts/give-back.sh

.PHONY: all modules vwctl selftests check unit vmtest demo install install-tools \
	install-hook install-systemd deb clean bench deps FORCE

all: vwctl selftests modules
	@$(GIVE_BACK)

deps:
	@$(TOP)/scripts/deps.sh

vwctl:
	$(MAKE) -C userspace

# The unit tests' binary too: selftests/nl_request.sh runs its kernel part.
selftests:
	$(MAKE) -C selftests
	$(MAKE) -C userspace tests/unit

modules: $(foreach v,$(KVERS),build/$(v)/virtualwire.ko)

# The build directory holds links to the sources, so one tree builds for
# several kernels side by side; Kbuild generates compat_gen.h there.
build/%/virtualwire.ko: FORCE
	@test -n "$*" || { echo "no kernel headers found: install linux-headers or pass KVER=" >&2; exit 1; }
	@mkdir -p build/$*
	@for f in $(TOP)/kmod/*.c $(TOP)/kmod/*.h $(TOP)/kmod/Kbuild $(TOP)/kmod/compat-probe.sh; do \
		ln -sf $$f build/$*/; done
	$(MAKE) -C $(call kdir,$*) M=$(TOP)/build/$* \
		VW_UAPI=$(TOP)/include modules

# check and demo install the packages they lack first, then build and run
# in a new make: the kernels of the matrix may have just been installed.
check: deps
	@{ $(MAKE) --no-print-directory all && \
	  $(TOP)/scripts/check.sh $$($(TOP)/scripts/kernels.sh); }; \
	rc=$$?; $(GIVE_BACK); exit $$rc

demo: deps
	@{ $(MAKE) --no-print-directory all && \
	  $(TOP)/scripts/demo.sh $$($(TOP)/scripts/kernels.sh | head -n 1); }; \
	rc=$$?; $(GIVE_BACK); exit $$rc

# Performance comparison in the test VM, every kernel of the matrix; see
# Documentation/performance.rst.  Results in build/bench/.
bench: all
	@$(TOP)/scripts/bench.sh $(MATRIX)

install: all install-tools
	@test "$(words $(KVERS))" = 1 || { echo "make install: pass KVER= (one kernel)" >&2; exit 1; }
	$(MAKE) -C $(call kdir,$(KVERS)) M=$(TOP)/build/$(KVERS) \
		VW_UAPI=$(TOP)/include INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) \
		INSTALL_MOD_DIR=extra modules_install
	test -n "$(INSTALL_MOD_PATH)" || depmod -a $(KVERS)

# Everything but the module (debian/rules installs the vwctl package so).
install-tools: vwctl install-hook install-systemd
	$(MAKE) -C userspace install PREFIX=$(PREFIX) SBINDIR=$(SBINDIR) \
		DESTDIR=$(DESTDIR)

# libvirt runs the scripts of qemu.d that exist when its daemon starts:
# restart libvirtd (or virtqemud) after the first install.
install-hook:
	install -d $(DESTDIR)$(LIBVIRT_HOOK_DIR)
	install -m 0755 $(TOP)/scripts/libvirt-hook $(DESTDIR)$(LIBVIRT_HOOK_DIR)/virtualwire

# The units name the restore script and vwd by their installed paths.
install-systemd:
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(LIBEXECDIR)/virtualwire \
		$(DESTDIR)$(SYSCONFDIR)/virtualwire
	for u in virtualwire.service virtualwire@.service vwd.service; do \
		sed -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' \
		    -e 's|@SBINDIR@|$(SBINDIR)|g' \
		    -e 's|@CONFDIR@|$(SYSCONFDIR)/virtualwire|g' \
		    $(TOP)/scripts/systemd/$$u.in > $(DESTDIR)$(SYSTEMDUNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || exit 1; \
	done
	install -m 0755 $(TOP)/scripts/systemd/restore \
		$(DESTDIR)$(LIBEXECDIR)/virtualwire/restore
	install -m 0644 $(TOP)/scripts/systemd/example.conf.sample \
		$(DESTDIR)$(SYSCONFDIR)/virtualwire/example.conf.sample
	install -m 0644 $(TOP)/scripts/systemd/vwd.conf.sample \
		$(DESTDIR)$(SYSCONFDIR)/virtualwire/vwd.conf.sample

# dpkg-buildpackage writes its results next to the source directory and
# its work files into debian/: it runs on a copy in build/deb/src, so the
# tree and its parent stay clean.
deb:
	rm -rf build/deb
	mkdir -p build/deb/src
	tar -C $(TOP) --exclude=./build --exclude=./.git -cf - . | \
		tar -C build/deb/src -xf -
	cd build/deb/src && dpkg-buildpackage -us -uc -b
	rm -rf build/deb/src
	@ls build/deb/*.deb

clean:
	rm -rf build
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean

FORCE:
