#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP test that the host unit tests (make -C userspace test) never talk
# to the kernel: asking it for the virtualwire generic netlink family
# loads the module on a host where it is installed.  Runs tests/unit under
# strace and fails on any generic netlink socket it or a vwctl it starts
# opens.  The control: strace sees one opened by python.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

echo "KTAP version 1"
echo "1..3"

if ! command -v strace > /dev/null; then
	for i in 1 2 3; do
		skip "generic netlink sockets of the unit tests" "no strace (scripts/deps.sh installs it)"
	done
	ktap_totals
	exit
fi

# genl LOG: how many generic netlink sockets LOG shows opened.
genl() {
	grep -c 'socket(AF_NETLINK, .*NETLINK_GENERIC)' "$1"
}

strace -f -qq -e trace=socket -o "$tmp/control" python3 -c \
	'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)'
ok "control: strace sees a generic netlink socket" "$(genl "$tmp/control")" 1

make -s -C "$top/userspace" vwctl tests/unit > "$tmp/build" 2>&1
ok "the unit tests build" "$?" 0
(cd "$top/userspace" && strace -f -qq -e trace=socket -o "$tmp/unit" \
	./tests/unit ./vwctl > "$tmp/out" 2>&1)
ok "the unit tests and the vwctl they run open no generic netlink socket" \
	"$(genl "$tmp/unit")" 0
grep 'NETLINK_GENERIC' "$tmp/unit" | head -n 5 | sed 's/^/# /'

ktap_totals
