#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Frames whose inner headers the stack never parsed: written into the
# endpoint from an AF_PACKET socket, a small one whole in the linear part
# and a large one (PACKET_VNET_HDR) with only its Ethernet header there,
# the IP header in a fragment.  With ttl and tos inherit, the outer TTL and
# TOS must be those of the inner IPv4 header, not bytes of the Ethernet
# header that an unset network header points at, nor of whatever follows
# the linear part.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=43
PORT=7777
# Bytes 1 and 8 of the Ethernet header, where ip_hdr() of an unparsed
# frame reads tos and ttl: 0xa4 and 0x77, neither the inner tos nor ttl.
ETH_DST=02:a4:00:00:00:02
ETH_SRC=02:00:77:00:00:01
ITOS=0x00
ITTL=33

setup()
{
	vw_endpoint A "$ID" "$(addr4 B)" vw0 ttl inherit tos inherit &&
	in_host A ip link set dev vw0 mtu 9000
}

# raw_outer NAME [raw options]: three frames written into vw0 leave A's
# underlay with the inner TTL and TOS.
raw_outer()
{
	local name=$1
	shift

	cap_start "$name" A eth0 udp and src host "$(addr4 A)" and \
		dst port 4789 &&
	in_host A "${VWPKT[@]}" raw vw0 --count 3 \
		--eth-dst $ETH_DST --eth-src $ETH_SRC \
		--ip-src "$(inner4 A)" --ip-dst "$(inner4 B)" \
		--ip-tos $ITOS --ip-ttl $ITTL --udp-dport $PORT "$@" || return 1
	cap_stop "$name"
	# Ours only: vw0 sends its own IPv6 router solicitations too.
	cap_test "$name" "
		len([p for p in j if p.get('fam') == 4 and
		     (p.get('inner') or {}).get('dport') == $PORT]) == 3 and
		all(p['ttl'] == $ITTL and p['tos'] == $ITOS for p in j
		    if p.get('fam') == 4 and
		       (p.get('inner') or {}).get('dport') == $PORT)"
}

ktap_header
require_env
ktap_plan 3

topo_create A B

check "connector $ID, ttl inherit, tos inherit, mtu 9000" setup
check "AF_PACKET frame: outer ttl and tos from the inner IPv4 header" \
	raw_outer small
check "AF_PACKET frame, IP header in a fragment: the same" \
	raw_outer frag --vnet --size 5000

ktap_finished
