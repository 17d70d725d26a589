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
#   make install         module (for KVER) and vwctl, then depmod; the
#                        libvirt hook (make install-hook)
#   make install-hook    the libvirt qemu hook, scripts/libvirt-hook, as
#                        $(DESTDIR)$(LIBVIRT_HOOK_DIR)/virtualwire
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

.PHONY: all modules vwctl selftests check unit vmtest demo install install-hook \
	clean bench deps FORCE

# Run as root in a tree that someone else owns, the targets below hand
# what they made back to the tree's owner (scripts/give-back.sh), so that
# a later run as that user can rebuild and rewrite it.
GIVE_BACK := $(TOP)/scripts/give-back.sh

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

install: all install-hook
	@test "$(words $(KVERS))" = 1 || { echo "make install: pass KVER= (one kernel)" >&2; exit 1; }
	$(MAKE) -C $(call kdir,$(KVERS)) M=$(TOP)/build/$(KVERS) \
		VW_UAPI=$(TOP)/include INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) \
		INSTALL_MOD_DIR=extra modules_install
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	test -n "$(INSTALL_MOD_PATH)" || depmod -a $(KVERS)

# libvirt runs the scripts of qemu.d that exist when its daemon starts:
# restart libvirtd (or virtqemud) after the first install.
install-hook:
	install -d $(DESTDIR)$(LIBVIRT_HOOK_DIR)
	install -m 0755 $(TOP)/scripts/libvirt-hook $(DESTDIR)$(LIBVIRT_HOOK_DIR)/virtualwire

clean:
	rm -rf build
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean

FORCE:
