#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [KVER]: boot the test VM of kernel KVER (default: the first of the
# test matrix) with the freshly built module and run scripts/demo-guest.sh
# in it: two hosts joined by a connector, ping, iperf3, vwctl show and the
# device counters.  DEMO_IPERF_TIME=N sets the iperf3 run length.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
kver=${1:-$("$top/scripts/kernels.sh" | head -n 1)}

[ -n "$kver" ] || {
	echo "demo: no kernel given and scripts/kernels.sh found none" >&2
	exit 2
}
[ -r "$top/build/$kver/virtualwire.ko" ] || {
	echo "demo: build/$kver/virtualwire.ko is missing: make KVER=$kver first" >&2
	exit 2
}

exec "$top/scripts/vm-run.sh" "$kver" \
	"DEMO_IPERF_TIME=${DEMO_IPERF_TIME:-3} scripts/demo-guest.sh"
