#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Source validation: host A's endpoint 42 has remote B, and host C, a stock
# vxlan device with VNI 42 pointed at A, sends to it too.  A must drop C's
# packets, count them as bad_source on the endpoint and deliver none of
# them, while B's traffic keeps flowing; over IPv4 and IPv6 underlays.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
COUNT=5

pair()
{
	vw_endpoint A "$ID" "$(addr_of B "$1")" &&
	vw_endpoint B "$ID" "$(addr_of A "$1")"
}

c_tx()
{
	link_stat C vx0 tx packets 2>/dev/null || true
}

# C pings A's inner address; the static neighbour entry spares the ARP,
# so C sends echo requests only, which A must never answer.
c_send()
{
	BAD0=$(vw_counter A bad_source "$ID" 2>/dev/null) || BAD0=
	TX0=$(c_tx)
	in_host C ip neigh replace "$(inner4 A)" lladdr "$A_MAC" \
		dev vx0 nud permanent 2>/dev/null || true
	in_host C "${PING[@]}" -4 -c "$COUNT" -W 1 "$(inner4 A)" \
		>/dev/null 2>&1 || true
	TX1=$(c_tx)
}

sent_ok()
{
	echo "C vx0 tx_packets: $TX0 -> $TX1"
	[ -n "$TX0" ] && [ -n "$TX1" ] && [ $((TX1 - TX0)) -ge "$COUNT" ]
}

bad_source_counted()
{
	if [ -z "$BAD0" ] || [ -z "$TX1" ]; then
		echo "counters unreadable: bad_source '$BAD0', C tx '$TX0' '$TX1'"
		return 1
	fi
	poll 30 counter_ge $((BAD0 + TX1 - TX0)) vw_counter A bad_source "$ID"
}

# Nothing that C's vx0 sent came out of A's vw0, while B's pings did.
nothing_delivered()
{
	cap_test src "not [p for p in j if p['eth_src'] == '$C_MAC'] and
		len([p for p in j if p['eth_src'] == '$B_MAC']) >= 3"
}

round()
{
	local fam=$1 t="ipv$1 underlay:"

	check "$t A, B: connector $ID between them" pair "$fam"
	check "$t C: vxlan id $ID remote $(addr_of A "$fam")" \
		vx_endpoint C "$ID" A "$fam"
	check "$t ping B -> A" ping_wait_ok B "$(inner4 A)"
	A_MAC=$(in_host A cat /sys/class/net/vw0/address 2>/dev/null) || A_MAC=
	B_MAC=$(in_host B cat /sys/class/net/vw0/address 2>/dev/null) || B_MAC=
	C_MAC=$(in_host C cat /sys/class/net/vx0/address 2>/dev/null) || C_MAC=
	# Resolve the underlay first, so no packet waits for it.
	wait_ping C "$(addr_of A "$fam")" >/dev/null || true

	cap_start src A vw0
	c_send
	check "$t ping B -> A still works" ping_ok B "$(inner4 A)"
	cap_stop src
	check "$t C sent $COUNT packets to A" sent_ok
	check "$t A counted them as bad_source" bad_source_counted
	check "$t none of them came out of A's vw0, B's did" nothing_delivered

	del_dev A vw0
	del_dev B vw0
	del_dev C vx0
}

ktap_header
require_env
ktap_plan 14

topo_create A B C
round 4
round 6

ktap_finished
