#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb-check.sh KVER...
#
# The Debian packages end to end, on this host (root only; scripts/check.sh
# runs it as a step of make check, KVER... being the test matrix):
#
#   make deb, then apt-get install of the two .deb files (which waits for
#   another apt run, as dpkg -i does not);
#   DKMS built virtualwire.ko for each KVER (dkms status, the file under
#   /lib/modules/KVER/updates/dkms/); the package's postinst builds for the
#   running and the newest kernel only, as Debian's DKMS does, so a KVER it
#   left out is built with "dkms install -k KVER", as the kernel's own
#   postinst would when that kernel is installed;
#   lintian on the packages: no tag (debian/*.lintian-overrides explain the
#   overridden ones);
#   selftests/connector.sh in a VM of each KVER with the DKMS-built module
#   (VM_MODULE=..., not build/KVER/virtualwire.ko; vwctl is still the
#   tree's, first in the guest's PATH; VW_SHORT=1);
#   apt-get purge of both, after which nothing of them is left.
#
# The packages are purged and the DKMS module removed on any exit, so the
# installed /usr/sbin/vwctl never outlives the test.  Not root, a package
# tool missing or vwctl or virtualwire-dkms installed before: one skipped
# test point that says why.  KTAP output; the files it makes belong to
# the tree's owner; logs and VM runs in build/deb-check/.  VW_DEB_CHECK=0:
# a skip.

set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=scripts/tests/ktap.bash
source "$top/scripts/tests/ktap.bash"
logdir=$top/build/deb-check
pkgs=(virtualwire-dkms vwctl)

whole_skip() {
	echo "KTAP version 1"
	echo "1..1"
	echo "ok 1 - Debian packages # SKIP $*"
	exit 0
}

[ "${VW_DEB_CHECK:-1}" != 0 ] || whole_skip "VW_DEB_CHECK=0"
[ "$(id -u)" = 0 ] || whole_skip "not root: installing the packages needs root"
[ $# -gt 0 ] || whole_skip "no kernel to test (scripts/kernels.sh found none)"
for tool in dpkg-buildpackage dh dh_dkms dkms lintian; do
	command -v "$tool" > /dev/null ||
		whole_skip "$tool not found (apt-get install dpkg-dev debhelper dh-dkms dkms lintian)"
done
for p in "${pkgs[@]}"; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed; then
		whole_skip "$p is installed on this host: the test would replace and purge it"
	fi
done

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
owner=$(stat -c %u:%g "$top")

# apt-get waits for another apt or dpkg run to finish (dpkg fails at once).
apt=(apt-get -y -q --no-install-recommends -o DPkg::Lock::Timeout=900)

# DKMS makes a key to sign modules with on its first build: keep the host
# as it was.
mok=()
for f in /var/lib/dkms/mok.key /var/lib/dkms/mok.pub; do
	[ -e "$f" ] || mok+=("$f")
done

cleanup() {
	if dpkg-query -W -f='${Status}' "${pkgs[@]}" 2>/dev/null | grep -q installed; then
		"${apt[@]}" purge "${pkgs[@]}" > "$logdir/cleanup.log" 2>&1
	fi
	if [ -d "/var/lib/dkms/virtualwire/$version" ]; then
		dkms remove "virtualwire/$version" --all >> "$logdir/cleanup.log" 2>&1
	fi
	rm -f "${mok[@]}"
	chown -R "$owner" "$logdir" "$top/build/deb" 2>/dev/null
}
rm -rf "$logdir"
mkdir -p "$logdir"
trap cleanup EXIT

# log NAME CMD...: run CMD, its output in $logdir/NAME.log; on failure the
# log's tail as diagnostics.
log() {
	local name=$1 rc

	shift
	"$@" > "$logdir/$name.log" 2>&1
	rc=$?
	[ "$rc" = 0 ] || tail -n 20 "$logdir/$name.log" | sed 's/^/# /'
	return "$rc"
}

# dkms_ko KVER: the module file DKMS installed for KVER (compressed when
# the kernel's modules are: .ko.xz on 6.12), or nothing.
dkms_ko() {
	find "/lib/modules/$1/updates/dkms" -maxdepth 1 -name 'virtualwire.ko*' \
		2>/dev/null | head -n 1
}

echo "KTAP version 1"
echo "1..$((4 + 2 * $#))"
t0=$SECONDS

# The packages' own unit tests are make check's (nocheck).
log deb env DEB_BUILD_OPTIONS=nocheck make -C "$top" deb
rc=$?
ok "make deb builds both packages" "$rc:$(ls "$top"/build/deb/virtualwire-dkms_*_all.deb \
	"$top"/build/deb/vwctl_*.deb 2>/dev/null | wc -l)" "0:2"
debs=("$top"/build/deb/virtualwire-dkms_*_all.deb "$top"/build/deb/vwctl_*_*.deb)

log install env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "${debs[@]}"
ok "apt-get install virtualwire-dkms vwctl (the .deb files)" "$?" 0
echo "# installed after $((SECONDS - t0)) s"

for k in "$@"; do
	how=postinst
	if ! dkms status "virtualwire/$version" -k "$k" 2>/dev/null | grep -q installed; then
		how="dkms install -k $k"
		log "dkms-$k" dkms install "virtualwire/$version" -k "$k"
	fi
	ko=$(dkms_ko "$k")
	state=$(dkms status "virtualwire/$version" -k "$k" 2>/dev/null | grep -c installed)
	echo "# $k: built by $how: ${ko:-no module file}"
	ok "DKMS built virtualwire.ko for $k" "$state:${ko:+file}" "1:file"
done
echo "# DKMS done after $((SECONDS - t0)) s"

lintian -I --pedantic "$top"/build/deb/virtualwire_*.changes \
	> "$logdir/lintian.log" 2>&1
sed 's/^/# lintian: /' "$logdir/lintian.log"
ok "lintian -I --pedantic: no tag" "$(grep -c '^[EWIPX]: ' "$logdir/lintian.log")" 0

for k in "$@"; do
	ko=$(dkms_ko "$k")
	if [ -z "$ko" ]; then
		ok "$k: connector.sh in the VM with the DKMS-built module" "no module" "a module"
		continue
	fi
	# Short streams: this is about the module DKMS built, not speed.
	VM_MODULE=$ko VM_RUN_DIR=$logdir/$k.vm VM_TIMEOUT=${VM_TIMEOUT:-900} \
		VW_SHORT=1 "$top/scripts/vm-run.sh" "$k" 'selftests/run.sh connector.sh' \
		> "$logdir/$k.run" 2>&1
	rc=$?
	sed 's/^/# /' "$logdir/$k.run"
	verdict=bad
	# The guest loaded vm-run's copy of the DKMS-built file.
	if ! cmp -s "$ko" "$logdir/$k.vm/out/$(basename "$ko")" ||
	   ! grep -qx 'module=loaded' "$logdir/$k.vm/result" 2>/dev/null; then
		verdict="DKMS-built module not loaded"
	elif [ "$rc" = 0 ] && grep -q '^ok' "$logdir/$k.run" &&
	   ! grep -q 'not ok' "$logdir/$k.run"; then
		verdict=passed
	fi
	ok "$k: connector.sh in the VM with the DKMS-built module" "$verdict:exit $rc" "passed:exit 0"
done
echo "# VMs done after $((SECONDS - t0)) s"

log purge "${apt[@]}" purge "${pkgs[@]}"
left=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed && left+=("package $p")
done
for f in /usr/sbin/vwctl "/usr/src/virtualwire-$version" /var/lib/dkms/virtualwire \
	 /lib/systemd/system/virtualwire.service /etc/virtualwire \
	 /etc/libvirt/hooks/qemu.d/virtualwire "/lib/modules/"*/updates/dkms/virtualwire.ko*; do
	[ -e "$f" ] && left+=("$f")
done
ok "apt-get purge leaves nothing behind" "${left[*]}" ""
echo "# deb-check took $((SECONDS - t0)) s"
ktap_totals
