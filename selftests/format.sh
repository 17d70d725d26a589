#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The native "vw" wire format: traffic over IPv4 and IPv6 underlays, its
# header on the wire ("VW", version 1, flags 0, 32-bit ID) and default UDP
# port 4798, a full 32-bit ID (which the vxlan format refuses), "port N",
# and headers with reserved bits set, which the receiver must drop and
# count in the namespace's bad_header counter without delivering them.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
ID_MAX=4294967295

# vw_hdr ID: the header we expect on the wire for ID, hex.
vw_hdr()
{
	printf '56570100%08x\n' "$1"
}

show_vw()
{
	vw_json_test A "c['format'] == 'vw' and c['port'] == $2" "$1"
}

# sent_as CAP REMOTE PORT HDR: every UDP packet to REMOTE, and at least
# three, went to PORT with header HDR; B answered on the same port.
sent_as()
{
	cap_test "$1" "
		len([p for p in j if p['dst'] == '$2' and 'dport' in p]) >= 3 and
		all(p['dport'] == $3 and p['hdr'] == '$4'
		    for p in j if p['dst'] == '$2' and 'dport' in p) and
		all(p['dport'] == $3 for p in j if p['src'] == '$2' and 'dport' in p)"
}

round()
{
	local fam=$1 t="ipv$1 underlay:" ra rb

	ra=$(addr_of A "$fam")
	rb=$(addr_of B "$fam")

	check "$t A: vwctl add $ID dev vw0 remote $rb format vw" \
		vw_endpoint A $ID "$rb" vw0 format vw
	check "$t B: vwctl add $ID dev vw0 remote $ra format vw" \
		vw_endpoint B $ID "$ra" vw0 format vw
	check "$t show: format vw, port 4798" show_vw $ID 4798
	cap_start fmt A eth0 udp
	check "$t ping A -> B" ping_wait_ok A "$(inner4 B)"
	check "$t ping6 A -> B" ping_wait_ok A "$(inner6 B)"
	cap_stop fmt
	check "$t on the wire: udp port 4798, header $(vw_hdr $ID)" \
		sent_as fmt "$rb" 4798 "$(vw_hdr $ID)"
	if have_iperf3; then
		check "$t iperf3 TCP A -> B" iperf3_ok A B "$(inner4 B)"
	else
		ktap_skip "$t iperf3 TCP A -> B" "iperf3 not found"
	fi

	del_dev A vw0
	del_dev B vw0
}

# pair ID [OPTION...]: connector ID between A and B over IPv4, both ends
# with the OPTIONs.
pair()
{
	local id=$1
	shift

	vw_endpoint A "$id" "$(addr4 B)" vw0 "$@" &&
	vw_endpoint B "$id" "$(addr4 A)" vw0 "$@"
}

id_max()
{
	local t="ID $ID_MAX, format vw:"

	check "$t vwctl add on A and B" pair $ID_MAX format vw
	cap_start max A eth0 udp
	check "$t ping A -> B" ping_wait_ok A "$(inner4 B)"
	cap_stop max
	check "$t header $(vw_hdr $ID_MAX) on the wire" \
		sent_as max "$(addr4 B)" 4798 "$(vw_hdr $ID_MAX)"
	del_dev A vw0
	del_dev B vw0
}

# The ID must be what the message is about.
vxlan_refuses()
{
	local out

	out=$(fails_with_message in_host A vwctl add 16777216 dev vwz0 \
		remote "$(addr4 B)" format vxlan) || { echo "$out"; return 1; }
	echo "$out"
	if in_host A ip link show dev vwz0 2>/dev/null; then
		echo "vwz0 was left behind"
		return 1
	fi
	echo "$out" | grep -Eiq '\bid\b|16777216'
}

other_port()
{
	local t="format vw port 5000:"

	check "$t vwctl add on A and B" pair $ID format vw port 5000
	check "$t show: format vw, port 5000" show_vw $ID 5000
	cap_start port A eth0 udp
	check "$t ping A -> B" ping_wait_ok A "$(inner4 B)"
	cap_stop port
	check "$t on the wire: udp port 5000" \
		sent_as port "$(addr4 B)" 5000 "$(vw_hdr $ID)"
	del_dev A vw0
	del_dev B vw0
}

# Headers the receiver must refuse: vxlan ones for connector 42 (port
# 4789), vw ones for connector 43 (port 4798).
BAD_VXLAN=(
	0c00000000002a00	# a reserved flag next to I
	0000000000002a00	# I flag clear
	0800010000002a00	# reserved bytes 1-3 (the last bit is the relay mark)
	0800000000002a01	# reserved byte 7
)
BAD_VW=(
	565702000000002b	# version 2
	565701020000002b	# flags 0x02 (0x01 is the relay mark)
	565701800000002b	# flags 0x80
	575601000000002b	# magic "WV"
)
BAD_EACH=2

bad_setup()
{
	in_host A vwctl add 42 dev vw0 remote "$(addr4 B)" &&
	in_host A vwctl add 43 dev vw1 remote "$(addr4 B)" format vw &&
	in_host A ip link set vw0 up &&
	in_host A ip link set vw1 up &&
	wait_ping B "$(addr4 A)" >/dev/null
}

rx_of()
{
	vw_counter A rx_packets "$1"
}

# A crafted packet with a good header gets through: the crafting is right.
good_delivered()
{
	local rx42 rx43

	rx42=$(rx_of 42) && rx43=$(rx_of 43) || return 1
	in_host B "${VWPKT[@]}" send "$(addr4 A)" 4789 --fmt vxlan --id 42 &&
	in_host B "${VWPKT[@]}" send "$(addr4 A)" 4798 --fmt vw --id 43 &&
	poll 30 counter_ge $((rx42 + 1)) rx_of 42 &&
	poll 30 counter_ge $((rx43 + 1)) rx_of 43
}

bad_send()
{
	local h

	BAD0=$(ns_counter A bad_header) || return 1
	RX42=$(rx_of 42) && RX43=$(rx_of 43) || return 1
	BAD_SENT=0
	for h in "${BAD_VXLAN[@]}"; do
		in_host B "${VWPKT[@]}" send "$(addr4 A)" 4789 --hdr "$h" \
			--count $BAD_EACH || return 1
		BAD_SENT=$((BAD_SENT + BAD_EACH))
	done
	for h in "${BAD_VW[@]}"; do
		in_host B "${VWPKT[@]}" send "$(addr4 A)" 4798 --hdr "$h" \
			--count $BAD_EACH || return 1
		BAD_SENT=$((BAD_SENT + BAD_EACH))
	done
}

bad_counted()
{
	local n

	poll 30 counter_ge $((BAD0 + BAD_SENT)) ns_counter A bad_header ||
		return 1
	n=$(ns_counter A bad_header) || return 1
	echo "bad_header: $BAD0 -> $n, sent $BAD_SENT"
	[ "$n" = $((BAD0 + BAD_SENT)) ]
}

bad_not_delivered()
{
	local rx42 rx43

	rx42=$(rx_of 42) && rx43=$(rx_of 43) || return 1
	echo "rx_packets: 42 $RX42 -> $rx42, 43 $RX43 -> $rx43"
	[ "$rx42" = "$RX42" ] && [ "$rx43" = "$RX43" ]
}

bad_headers()
{
	local t="bad headers:"

	check "$t A: connector 42 (vxlan) and 43 (vw) from B" bad_setup
	check "$t control: well-formed crafted packets are delivered" \
		good_delivered
	BAD0="" BAD_SENT=0
	bad_send || true
	check "$t namespace bad_header counts exactly the $BAD_SENT sent" \
		bad_counted
	check "$t none of them delivered (rx_packets unchanged)" \
		bad_not_delivered
	del_dev A vw0
	del_dev A vw1
}

ktap_header
require_env
ktap_plan 26

topo_create A B
round 4
round 6
id_max
check "vwctl add 16777216 format vxlan fails, naming the ID" vxlan_refuses
other_port
bad_headers

ktap_finished
