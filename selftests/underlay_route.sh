#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The outer route follows the frame's mark and the outer TOS, as policy
# routing asks, whatever went through the per-CPU route cache before:
#
#    host A eth0 ---- switch ---- eth0 host B      main table: the remote
#    host A eth1 ---------------- eth1 host B      table 100: the remote
#
# "ip rule fwmark 1" and "ip rule tos 0x10" send A's tunnel to the remote
# through eth1, everything else through eth0.  Marks come from SO_MARK on
# the inner sender's socket.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=44
PORT=7777
REMOTE=203.0.113.2

setup()
{
	ip link add eth1 netns "$(ns_of A)" type veth peer name eth1 \
		netns "$(ns_of B)" &&
	in_host A ip addr add 10.1.1.1/24 dev eth1 &&
	in_host B ip addr add 10.1.1.2/24 dev eth1 &&
	in_host A ip link set eth1 up &&
	in_host B ip link set eth1 up &&
	in_host A ip route add $REMOTE/32 via "$(addr4 B)" dev eth0 &&
	in_host A ip route add $REMOTE/32 via 10.1.1.2 dev eth1 table 100 &&
	in_host A ip rule add fwmark 1 lookup 100 pref 100 &&
	in_host A ip rule add tos 0x10 lookup 100 pref 101 &&
	vw_endpoint A "$ID" $REMOTE &&
	static_neigh A vw0 B
}

# sent_via DEV [vwpkt udp options]: three inner datagrams leave A through
# DEV, none through the other link.
sent_via()
{
	local via=$1 other=eth0 n
	shift

	[ "$via" = eth1 ] || other=eth1
	cap_start via A "$via" udp dst port 4789 &&
	cap_start other A "$other" udp dst port 4789 &&
	in_host A "${VWPKT[@]}" udp "$(inner4 B)" $PORT --count 3 "$@" ||
		return 1
	cap_stop via
	cap_stop other
	n="(p.get('inner') or {}).get('dport') == $PORT"
	cap_test via "len([p for p in j if $n]) == 3" &&
	cap_test other "not [p for p in j if $n]"
}

ktap_header
require_env
ktap_plan 6

topo_create A B

check "two underlay links, fwmark 1 and tos 0x10 to table 100" setup
check "unmarked: through eth0 (main table)" sent_via eth0
check "mark 1, after unmarked frames filled the route cache: eth1" \
	sent_via eth1 --mark 1
check "unmarked again: eth0, the mark left nothing in the cache" \
	sent_via eth0
check "vwctl set $ID tos 0x10: through eth1 (ip rule tos)" \
	eval 'in_host A vwctl set $ID tos 0x10 && sent_via eth1'
check "vwctl set $ID tos 0: eth0 again" \
	eval 'in_host A vwctl set $ID tos 0 && sent_via eth0'

ktap_finished
