# SPDX-License-Identifier: GPL-2.0
#
# VirtualWire top-level build.
#
#   make                 vwctl and the module (see KVER below)
#   make check           everything, host unit tests, VM selftests on every
#                        kernel of the test matrix; ends "N passed, N failed,
#                        N skipped"
#   make demo            two hosts joined by a connector, inside the test VM
#   make install         module (for KVER) and vwctl, then depmod
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

.PHONY: all modules vwctl check unit vmtest demo install clean bench FORCE
.PHONY: selftests

all: vwctl modules selftests

# C programs of the selftests (fuzzers).
selftests:
	$(MAKE) -C selftests all

vwctl:
	$(MAKE) -C userspace

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

check: all
	@$(TOP)/scripts/check.sh $(MATRIX)

demo: all
	@$(TOP)/scripts/demo.sh $(firstword $(MATRIX))

# Performance comparison in the test VM, every kernel of the matrix; see
# Documentation/performance.rst.  Results in build/bench/.
bench: all
	@$(TOP)/scripts/bench.sh $(MATRIX)

install: all
	@test "$(words $(KVERS))" = 1 || { echo "make install: pass KVER= (one kernel)" >&2; exit 1; }
	$(MAKE) -C $(call kdir,$(KVERS)) M=$(TOP)/build/$(KVERS) \
		VW_UAPI=$(TOP)/include INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) \
		INSTALL_MOD_DIR=extra modules_install
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	test -n "$(INSTALL_MOD_PATH)" || depmod -a $(KVERS)

clean:
	rm -rf build
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean

FORCE:
