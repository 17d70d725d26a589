#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Outer TTL (hop limit) and TOS (traffic class), and ECN (RFC 6040).
#
# Encapsulation, read from a capture of A's underlay: ttl auto (64), a
# fixed ttl and ttl inherit; a fixed tos and tos inherit; the inner ECN
# bits always copied out, over IPv4 and IPv6 underlays.
#
# Decapsulation, with packets crafted on host B: a CE outer marks an
# ECN-capable inner packet CE; a CE outer on a not-ECT inner packet is
# dropped and counted as ecn; an ECT outer leaves a not-ECT inner alone.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
PORT=7777

# outer FAM "OPTIONS" INNER-TOS INNER-TTL OUTER-TTL OUTER-TOS: with the
# endpoint's OPTIONS, three inner UDP datagrams of INNER-TOS/TTL go out
# with OUTER-TTL/TOS.
outer()
{
	local fam=$1 opts=$2 itos=$3 ittl=$4 ottl=$5 otos=$6

	del_dev A vw0
	# shellcheck disable=SC2086 # the options are words
	vw_endpoint A "$ID" "$(addr_of B "$fam")" vw0 $opts &&
	static_neigh A vw0 B &&
	cap_start outer A eth0 udp and src host "$(addr_of A "$fam")" &&
	in_host A "${VWPKT[@]}" udp "$(inner4 B)" "$PORT" --count 3 \
		--tos "$itos" --ttl "$ittl" || return 1
	cap_stop outer
	cap_test outer "
		len([p for p in j if p.get('inner') and
		     p['inner'].get('dport') == $PORT]) == 3 and
		all(p['fam'] == $fam and p['ttl'] == $ottl and p['tos'] == $otos
		    for p in j if p.get('inner') and p['inner'].get('dport') == $PORT)"
}

# Decapsulation: crafted packets from B for A's endpoint.
ecn_setup()
{
	del_dev A vw0
	vw_endpoint A "$ID" "$(addr4 B)" &&
	wait_ping B "$(addr4 A)" >/dev/null
}

# craft OUTER-TOS INNER-TOS DPORT: three packets from B to A's inner
# address, inner UDP to DPORT.
craft()
{
	in_host B "${VWPKT[@]}" send "$(addr4 A)" 4789 --id $ID --count 3 \
		--tos "$1" --ip-tos "$2" --udp-dport "$3" \
		--eth-dst "$A_MAC" --eth-src "$(inner_mac B)" \
		--ip-src "$(inner4 B)" --ip-dst "$(inner4 A)"
}

# delivered DPORT ECN: three inner packets to DPORT came out of vw0 with
# ECN bits ECN.
delivered()
{
	cap_test ecn "
		len([p for p in j if p.get('dport') == $1]) == 3 and
		all(p['tos'] & 3 == $2 for p in j if p.get('dport') == $1)"
}

ecn_dropped()
{
	poll 30 counter_ge $((ECN0 + 3)) vw_counter A ecn "$ID" &&
	cap_test ecn "not [p for p in j if p.get('dport') == 9002]"
}

# The ecn drops are rx drops of vw0 in "ip -s link", and nothing else is.
ecn_in_link_stats()
{
	local n d

	n=$(vw_counter A ecn "$ID") && d=$(link_stat A vw0 rx dropped) ||
		return 1
	echo "ecn $ECN0 -> $n, rx dropped $RXD0 -> $d"
	[ $((d - RXD0)) = $((n - ECN0)) ]
}

ktap_header
require_env
ktap_plan 13

topo_create A B

check "ipv4: ttl auto: outer ttl 64" outer 4 "" 0 33 64 0
check "ipv4: ttl 10: outer ttl 10" outer 4 "ttl 10" 0 33 10 0
check "ipv4: ttl inherit: inner ttl 33, outer 33" outer 4 "ttl inherit" 0 33 33 0
check "ipv4: tos 0x28, inner ECT(0): outer tos 0x2a" \
	outer 4 "tos 0x28" 0x02 64 64 0x2a
check "ipv4: tos inherit, inner tos 0x28: outer 0x28" \
	outer 4 "tos inherit" 0x28 64 64 0x28
check "ipv4: default tos, inner ECT(0): outer ECT(0)" \
	outer 4 "" 0x02 64 64 0x02
check "ipv6: ttl 10 tos 0x28: hop limit 10, class 0x28" \
	outer 6 "ttl 10 tos 0x28" 0 33 10 0x28
check "ipv6: ttl inherit tos inherit: inner 33/0x2a, outer 33/0x2a" \
	outer 6 "ttl inherit tos inherit" 0x2a 33 33 0x2a

check "decap: connector $ID on A from B" ecn_setup
ECN0=$(vw_counter A ecn "$ID" 2>/dev/null) || ECN0=0
RXD0=$(link_stat A vw0 rx dropped 2>/dev/null) || RXD0=0
A_MAC=$(in_host A cat /sys/class/net/vw0/address 2>/dev/null) || A_MAC=
cap_start ecn A vw0 udp
craft 0x03 0x02 9001 || true
craft 0x03 0x00 9002 || true
craft 0x02 0x00 9003 || true
cap_stop ecn
check "decap: CE outer, ECT(0) inner: delivered as CE" delivered 9001 3
check "decap: CE outer, not-ECT inner: dropped, counted as ecn" ecn_dropped
check "decap: the ecn drops show as vw0's rx dropped in ip -s link" \
	ecn_in_link_stats
check "decap: ECT(0) outer, not-ECT inner: delivered as not-ECT" \
	delivered 9003 0

ktap_finished
