#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vwctl's netlink request loop (userspace/netlink.c) against the kernel's
# own nlctrl family: a request's reply and ack, a dump to its end, a kernel
# error with and without an extended ack message, and the socket still
# working after one.  This is "userspace/tests/unit --kernel", the part of
# the unit tests that talks to a kernel: the host unit tests never do
# (scripts/tests/unit-netlink.sh), so it runs here.  Needs no module.

unit=$(cd "$(dirname "$0")/.." && pwd)/userspace/tests/unit
if [ ! -x "$unit" ]; then
	echo "KTAP version 1"
	echo "1..0 # SKIP userspace/tests/unit not built (make builds it)"
	exit 4
fi
exec "$unit" --kernel
