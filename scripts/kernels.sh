#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel versions of the test matrix, one a line: every kernel that
# has both an image in /boot and headers under /lib/modules (Debian's 6.1 and
# 6.12 once scripts/deps.sh has installed them).
for img in /boot/vmlinuz-*; do
	[ -e "$img" ] || continue
	v=${img#/boot/vmlinuz-}
	[ -e "/lib/modules/$v/build/Makefile" ] && echo "$v"
done | sort -V
