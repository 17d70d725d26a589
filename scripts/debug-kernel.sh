#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh
#
# Build the debug kernel of the test matrix from Debian's linux-source-6.12
# tarball: tinyconfig plus scripts/debug-kernel.config (KASAN, UBSAN,
# kmemleak, lockdep, PROVE_RCU, DEBUG_NET, refcount trackers...), and print
# its release (uname -r in the guest).  The build lives in
# build/debug-kernel/tree and is redone only when its stamp (a hash of the
# fragment, the recipe below and the source tarball) changes, so a second
# make check costs nothing.  The result is installed the way the VM runner
# and the Makefile look for a kernel that is not in /boot:
#
#   build/kernels/REL/vmlinuz          the image
#   build/kernels/REL/build            the build tree (KDIR for M= builds)
#   build/kernels/REL/lib/modules/REL  modules.dep, modules.builtin
#
# Environment: DEBUG_KERNEL_JOBS (default: nproc).

set -euo pipefail

# Bump when the build steps below change in a way that needs a rebuild.
recipe=1

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
fragment=$top/scripts/debug-kernel.config
die() { echo "debug-kernel: $*" >&2; exit 1; }

tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || die "no /usr/src/linux-source-6.12.tar.*: apt-get install linux-source-6.12"
for t in gcc make bc flex bison; do
	command -v $t > /dev/null || die "$t missing (scripts/deps.sh installs the build dependencies)"
done
[ -r /usr/include/libelf.h ] || die "libelf.h missing: apt-get install libelf-dev"

stamp=$( (echo "recipe $recipe"; cat "$fragment"; stat -c '%n %s %Y' "$tarball") |
	sha256sum | cut -c1-16)
base=$top/build/debug-kernel
dir=$base/tree
log=$base/build.log

if [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
	mkdir -p "$base"
	echo "debug-kernel: building ${dir#$top/} (log: ${log#$top/})" >&2
	start=$(date +%s)
	rm -rf "$dir"
	mkdir -p "$dir/src" "$dir/obj"
	tar -xf "$tarball" -C "$dir/src" --strip-components=1
	kmake=(make -C "$dir/src" O="$dir/obj" ARCH=x86_64
		-j"${DEBUG_KERNEL_JOBS:-$(nproc)}")
	{
		"${kmake[@]}" tinyconfig
		"$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/obj" \
			"$dir/obj/.config" "$fragment"
		"$dir/src/scripts/config" --file "$dir/obj/.config" \
			--set-str LOCALVERSION -vwdebug -d LOCALVERSION_AUTO
		"${kmake[@]}" olddefconfig
	} > "$log" 2>&1 || die "configuration failed, see $log"
	# olddefconfig drops what a dependency rules out, silently: refuse that.
	missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$fragment" | while read -r l; do
		grep -qxF "$l" "$dir/obj/.config" || echo "$l"
	done)
	[ -z "$missing" ] || die "olddefconfig dropped: $(echo $missing)"
	"${kmake[@]}" bzImage modules >> "$log" 2>&1 ||
		die "build failed, see $log"
	rel=$("${kmake[@]}" -s kernelrelease 2> /dev/null)
	"${kmake[@]}" INSTALL_MOD_PATH="$dir/root" modules_install >> "$log" 2>&1 ||
		die "modules_install failed, see $log"
	cp "$dir/obj/arch/x86/boot/bzImage" "$dir/vmlinuz"
	echo "$rel" > "$dir/release"
	echo "$stamp" > "$dir/stamp"
	echo "debug-kernel: built $rel in $(($(date +%s) - start)) s" >&2
fi

rel=$(cat "$dir/release")
k=$top/build/kernels/$rel
mkdir -p "$k/lib/modules"
ln -sfn "$dir/vmlinuz" "$k/vmlinuz"
ln -sfn "$dir/obj" "$k/build"
ln -sfn "$dir/root/lib/modules/$rel" "$k/lib/modules/$rel"
echo "$rel"
