#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh          install the Debian 12 packages this project lacks
# deps.sh --list   print them, one a line (what the README points to)
#
# The one list of the packages that building, packaging and testing
# VirtualWire need; "make check", "make demo" and .ci/run call this first,
# so a fresh clone needs nothing run before.  When every package is
# installed it says nothing and succeeds.  Otherwise, run as root, it runs
# "apt-get update" once and installs just the missing ones; run as anyone
# else, it prints the exact command to run and exits 1.
#
# Test only (scripts/tests/deps.sh): VW_DEPS_UID=N stands in for the
# effective user ID.

set -euo pipefail

pkgs=(
	# build: vwctl, vwd and the module for both kernels of the test matrix
	build-essential pkg-config libnl-3-dev libnl-genl-3-dev kmod xz-utils
	linux-headers-amd64 linux-headers-6.12-amd64
	# the kernels the test VM boots
	linux-image-amd64 linux-image-6.12-amd64
	# the debug kernel, built from linux-source-6.12 (scripts/debug-kernel.sh)
	bc bison flex libelf-dev libssl-dev
	# the VM and the tools its tests use (the guest sees the host's root)
	qemu-system-x86 busybox-static
	iproute2 iputils-ping iperf3 ethtool tcpdump python3
	# packet captures decoded by the selftests
	tshark
	# coding standards: sparse, and checkpatch.pl from the kernel source
	sparse linux-source-6.12
	# the libFuzzer target of vwctl's parser
	clang libclang-rt-14-dev
	# vwd's etcd client (libcurl, json-c) and the real etcd its tests run
	# (scripts/etcd-cluster.sh: their own members, on addresses of the
	# tests' namespaces or 127.0.x.y; the etcd service the package starts
	# on localhost:2379 is not used and does not clash with them)
	libcurl4-openssl-dev libjson-c-dev etcd-server etcd-client
	# the host unit tests prove they open no netlink socket (strace)
	strace
	# make deb: the Debian packages (debian/), DKMS and their checks
	debhelper dh-dkms dkms dpkg-dev fakeroot lintian
	# make bench: latency and the ratio plot
	sockperf python3-matplotlib
)

if [ "${1:-}" = --list ]; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi
if [ $# -gt 0 ]; then
	echo "usage: $0 [--list]" >&2
	exit 2
fi

# The installed ones, by dpkg's own word ("ii": wanted and installed);
# a package dpkg never heard of prints nothing here.
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${pkgs[@]}" \
	2> /dev/null | awk '$1 == "ii" { print $2 }' || true)
missing=()
for p in "${pkgs[@]}"; do
	grep -qxF "$p" <<< "$installed" || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "${VW_DEPS_UID:-$(id -u)}" != 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: install them with:" >&2
	echo "sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Another apt (unattended-upgrades, a second checkout) may hold dpkg's lock:
# wait for it rather than fail.
apt-get update
apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
	"${missing[@]}"
