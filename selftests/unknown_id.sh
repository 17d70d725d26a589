#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VXLAN for an ID nobody has: host A has connector 7, host B a stock vxlan
# device sending VNI 8 to A.  A must drop those packets, count them in the
# namespace's unknown_id counter and deliver none of them to vw0.  Then B
# switches to VNI 7 to show the same path does deliver when the ID matches.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=7
WRONG=8
COUNT=5

# Counter reads that cannot abort the test: an empty value fails the
# check that uses it instead.
ns_unknown()
{
	vw_json A "ns['drops']['unknown_id']" 2>/dev/null || true
}

a_rx()
{
	link_stat A vw0 rx packets 2>/dev/null || true
}

a_id_rx()
{
	vw_json A "c['stats']['rx_packets']" $ID 2>/dev/null || true
}

b_tx()
{
	link_stat B vx0 tx packets 2>/dev/null || true
}

# B pings A's inner address through VNI 8.  The static neighbour skips ARP,
# so B sends exactly the echo requests, which A never answers.
send_wrong_id()
{
	UNK0=$(ns_unknown)
	RX0=$(a_rx)
	IDRX0=$(a_id_rx)
	TX0=$(b_tx)
	in_host B ip neigh replace "$(inner4 A)" lladdr 02:00:00:00:00:07 \
		dev vx0 nud permanent 2>/dev/null || true
	in_host B "${PING[@]}" -4 -c $COUNT -W 1 "$(inner4 A)" \
		>/dev/null 2>&1 || true
	TX1=$(b_tx)
}

sent_ok()
{
	echo "B vx0 tx_packets: $TX0 -> $TX1"
	[ -n "$TX0" ] && [ -n "$TX1" ] && [ $((TX1 - TX0)) -ge "$COUNT" ]
}

# The drops may still be on their way: give them a few seconds.
unknown_counted()
{
	local want unk end=$((SECONDS + 15))

	if [ -z "$UNK0" ] || [ -z "$TX0" ] || [ -z "$TX1" ]; then
		echo "counters unreadable: unknown_id '$UNK0', B tx '$TX0' '$TX1'"
		return 1
	fi
	want=$((UNK0 + TX1 - TX0))
	while :; do
		unk=$(ns_unknown)
		[ -n "$unk" ] && [ "$unk" -ge "$want" ] && break
		if [ "$SECONDS" -ge "$end" ]; then
			echo "unknown_id: $UNK0 -> $unk, wanted >= $want" \
				"(B sent $((TX1 - TX0)))"
			return 1
		fi
		sleep 0.5
	done
	echo "unknown_id: $UNK0 -> $unk (B sent $((TX1 - TX0)))"
}

nothing_delivered()
{
	local rx idrx

	rx=$(a_rx)
	idrx=$(a_id_rx)
	echo "A vw0 rx_packets: $RX0 -> $rx; connector $ID rx_packets: $IDRX0 -> $idrx"
	[ -n "$RX0" ] && [ "$RX0" = "$rx" ] &&
		[ -n "$IDRX0" ] && [ "$IDRX0" = "$idrx" ]
}

control()
{
	in_host B ip link del vx0 &&
	vx_endpoint B "$ID" A "$1" &&
	ping_wait_ok B "$(inner4 A)"
}

round()
{
	local fam=$1 t="ipv$1 underlay:"

	check "$t A: vwctl add $ID dev vw0 remote $(addr_of B "$fam")" \
		vw_endpoint A $ID "$(addr_of B "$fam")"
	check "$t B: vxlan id $WRONG remote $(addr_of A "$fam")" \
		vx_endpoint B $WRONG A "$fam"
	# Resolve the underlay first, so no packet is lost waiting for it.
	wait_ping B "$(addr_of A "$fam")" >/dev/null || true
	send_wrong_id
	check "$t B sent $COUNT packets with VNI $WRONG" sent_ok
	check "$t A counted them in namespace drops.unknown_id" unknown_counted
	check "$t A delivered none of them to vw0" nothing_delivered
	check "$t control: VNI $ID from B reaches A" control "$fam"

	del_dev A vw0
	del_dev B vx0
}

ktap_header
require_env
ktap_plan 12

topo_create A B
round 4
round 6

ktap_finished
