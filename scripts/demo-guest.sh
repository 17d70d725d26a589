#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo proper, run inside the test VM by scripts/demo.sh: two hosts in
# network namespaces on one underlay segment, joined by connector 42, and
# what a user sees of it: vwctl show, the VXLAN packets on the wire, ping,
# a short iperf3 stream and the device counters.
#
# selftests/lib.sh builds the topology (hosts A and B, underlay eth0
# 192.0.2.1 and .2 behind a bridge) and removes it on exit.

set -e
source "$(dirname "$0")/../selftests/lib.sh"

ID=42
IPERF_TIME=${DEMO_IPERF_TIME:-3}

step()
{
	printf '\n=== %s\n' "$*"
}

# on HOST CMD...: run CMD in HOST, echoing it the way one would type it.
on()
{
	local h=$1
	shift
	echo "$h# $*"
	in_host "$h" "$@"
}

[ -d /sys/module/virtualwire ] || {
	echo "demo: the virtualwire module is not loaded (make builds it)" >&2
	exit 1
}

step "Two hosts, A and B, on one underlay segment"
topo_create A B
on A ip -br addr show dev eth0
on B ip -br addr show dev eth0

step "Connector $ID between them: one endpoint device on each side"
on A vwctl add $ID dev vw0 remote "$(addr4 B)"
on B vwctl add $ID dev vw0 remote "$(addr4 A)"
on A ip addr add 198.51.100.1/24 dev vw0
on B ip addr add 198.51.100.2/24 dev vw0
on A ip link set vw0 up
on B ip link set vw0 up
on A ip -d link show dev vw0
on A vwctl show

step "Ping through the connector, watching the underlay of B"
wait_ping A 198.51.100.2 > /dev/null
# tcpdump shows the VXLAN encapsulation the endpoints put on the wire.
in_host B timeout 20 tcpdump -l -n -i eth0 -c 4 udp port 4789 2>/dev/null &
dump=$!
sleep 1
on A "${PING[@]}" -c 3 198.51.100.2
wait $dump || true

step "A ${IPERF_TIME}-second TCP stream from A to B"
in_host B iperf3 -s -1 -D -B 198.51.100.2
sleep 1
on A iperf3 -c 198.51.100.2 -t "$IPERF_TIME" --connect-timeout 10000

step "Counters"
on A vwctl show $ID
on B vwctl show $ID --json
on A ip -s link show dev vw0
on B ip -s link show dev vw0

step "Tear down"
on A vwctl del $ID
on B vwctl del $ID
on A vwctl show
echo
echo "demo: done"
