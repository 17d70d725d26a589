#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two hosts joined by connector 42: inner IPv4 and IPv6 ping, a TCP
# stream, the device and vwctl counters, and deletion; once over an IPv4
# underlay and once over IPv6.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42

round()
{
	local fam=$1 t="ipv$1 underlay:"
	local ra rb

	ra=$(addr_of A "$fam")
	rb=$(addr_of B "$fam")

	check "$t A: vwctl add $ID dev vw0 remote $rb" vw_endpoint A $ID "$rb"
	check "$t B: vwctl add $ID dev vw0 remote $ra" vw_endpoint B $ID "$ra"
	check "$t ping A -> B over the connector" ping_wait_ok A "$(inner4 B)"
	check "$t ping6 A -> B over the connector" ping_wait_ok A "$(inner6 B)"
	if have_iperf3; then
		check "$t iperf3 TCP A -> B" iperf3_ok A B "$(inner4 B)"
	else
		ktap_skip "$t iperf3 TCP A -> B" "iperf3 not found"
	fi
	check "$t vw0 rx/tx packets grew on A and B" link_counters_grew
	check "$t vwctl show $ID --json on A" show_ok A "$rb"
	check "$t vwctl show $ID --json on B" show_ok B "$ra"
	check "$t vwctl del $ID removes vw0 on A" del_ok A $ID
	check "$t vwctl del dev vw0 removes vw0 on B" del_ok B dev vw0

	# Whatever failed above, start the next round from scratch.
	del_dev A vw0
	del_dev B vw0
}

link_counters_grew()
{
	local h d n

	for h in A B; do
		for d in rx tx; do
			n=$(link_stat "$h" vw0 "$d" packets) || return 1
			echo "$h vw0 $d packets: $n"
			[ "$n" -gt 0 ] || return 1
		done
	done
}

# show_ok HOST REMOTE: one connector, ours, with traffic in both ways.
show_ok()
{
	vw_json_test "$1" "len(j['connectors']) == 1 and
		c['id'] == $ID and c['dev'] == 'vw0' and
		c['format'] == 'vxlan' and c['port'] == 4789 and
		c['remote'] == '$2' and
		c['stats']['rx_packets'] > 0 and c['stats']['tx_packets'] > 0 and
		c['stats']['rx_bytes'] > 0 and c['stats']['tx_bytes'] > 0" "$ID"
}

# del_ok HOST ARGS...: vwctl del ARGS, then neither the device nor the ID
# is left.
del_ok()
{
	local h=$1
	shift

	in_host "$h" vwctl del "$@" || return 1
	if in_host "$h" ip link show dev vw0 2>/dev/null; then
		echo "vw0 still exists"
		return 1
	fi
	if in_host "$h" vwctl show "$ID" 2>/dev/null; then
		echo "vwctl show $ID still succeeds"
		return 1
	fi
}

ktap_header
require_env
ktap_plan 20

topo_create A B
round 4
round 6

ktap_finished
