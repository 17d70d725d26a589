#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A virtualwire endpoint talks to Linux's own vxlan driver: host A has
# connector 100, host B a vxlan device with VNI 100, both pointing at each
# other on port 4789.  Traffic must flow both ways, over an IPv4 and an
# IPv6 underlay.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=100

round()
{
	local fam=$1 t="ipv$1 underlay:"

	check "$t A: vwctl add $ID dev vw0 remote $(addr_of B "$fam")" \
		vw_endpoint A $ID "$(addr_of B "$fam")"
	check "$t B: vxlan id $ID remote $(addr_of A "$fam") dstport 4789" \
		vx_endpoint B $ID A "$fam"
	check "$t ping A (virtualwire) -> B (vxlan)" \
		ping_wait_ok A "$(inner4 B)"
	check "$t ping B (vxlan) -> A (virtualwire)" \
		ping_wait_ok B "$(inner4 A)"
	check "$t ping6 A (virtualwire) -> B (vxlan)" \
		ping_wait_ok A "$(inner6 B)"
	if have_iperf3; then
		check "$t iperf3 TCP A (virtualwire) -> B (vxlan)" \
			iperf3_ok A B "$(inner4 B)"
		check "$t iperf3 TCP B (vxlan) -> A (virtualwire)" \
			iperf3_ok B A "$(inner4 A)"
	else
		ktap_skip "$t iperf3 TCP A (virtualwire) -> B (vxlan)" \
			"iperf3 not found"
		ktap_skip "$t iperf3 TCP B (vxlan) -> A (virtualwire)" \
			"iperf3 not found"
	fi

	del_dev A vw0
	del_dev B vx0
}

ktap_header
require_env
ktap_plan 14

topo_create A B
round 4
round 6

ktap_finished
