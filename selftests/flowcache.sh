#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The flow cache of outer routes (vwctl stats: route_hit, route_miss), over
# IPv4 and IPv6 underlays:
#
#   A stream of thousands of packets is served from the cache: hits grow
#   by at least 1000, misses by at most a few (one per CPU at most).
#
#   A route change is noticed: when A gets a more specific route to B
#   through a second link (eth1), the next packets leave through eth1 and
#   the cache missed; when the route goes, they return to eth0.  A keeps
#   its outer source (local) so that B still recognises it.
#
#   A device going away while the cache points at it: deleting eth1 does
#   not hang on references the cache holds, and traffic resumes via eth0.
#
#   The module parameter flow_cache, read when a port opens: with one
#   entry per CPU, interleaved flows push each other out (route_evict);
#   with 0 there is no cache (no hit, a miss per datagram).
#
#   host A                                   host B
#   eth0 192.0.2.1   ----- switch -----      eth0 192.0.2.2
#   eth1 203.0.113.1 ----------------------- eth1 203.0.113.2
#   vw0 42, local = A's eth0 address         vw0 42, remote = A's eth0 address

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
BURST=3000
MIN_HITS=1000
# One miss per CPU that sends, and a little slack for an invalidation
# (a neighbour or route event) the test did not cause.
MAX_MISSES=8
# Pings per phase; a phase's path must carry at least this many packets
# and the other path fewer than half of it.
N=20
# A deletion that waits for references never returns; a slow one under
# emulation on a loaded machine takes a few seconds.
DEL_TIMEOUT=20

declare -A ETH1_ADDR=([A4]=203.0.113.1 [B4]=203.0.113.2
	[A6]=2001:db8:3::1 [B6]=2001:db8:3::2)
declare -A PLEN=([4]=32 [6]=128)

# endpoint HOST PEER FAMILY [OPTION...]: a fresh vw0 to PEER, addressed
# and up (vw_endpoint's, in fewer processes).
endpoint()
{
	local h=$1 peer=$2 fam=$3
	shift 3

	ipn "$h" link del vw0 2>/dev/null || true
	in_host "$h" vwctl add $ID dev vw0 remote "$(addr_of "$peer" "$fam")" \
		"$@" &&
	ipn "$h" -batch - <<-EOF
		addr add $(inner4 "$h")/24 dev vw0
		addr add $(inner6 "$h")/64 dev vw0 nodad
		link set vw0 up
	EOF
}

pair()
{
	local fam=$1

	endpoint A B "$fam" local "$(addr_of A "$fam")" &&
	endpoint B A "$fam" &&
	wait_ping A "$(inner4 B)"
}

FLOW_CACHE=/sys/module/virtualwire/parameters/flow_cache
FLOW_SLOTS=$(cat "$FLOW_CACHE")
PARAM_FLOWS=20

slots_restore()
{
	echo "$FLOW_SLOTS" > "$FLOW_CACHE"
}

# with_slots N: A's endpoint made again while flow_cache is N, so that its
# port opens with N entries per CPU.
with_slots()
{
	ipn A link del vw0 2>/dev/null || true
	echo "$1" > "$FLOW_CACHE" &&
	pair 4 || { slots_restore; return 1; }
	slots_restore
}

# counters_over CMD...: route_hit, route_miss and route_evict of A grown
# over CMD, in $VW_TMP/grown as "HIT MISS EVICT".
counters_over()
{
	local h0 m0 e0 h1 m1 e1

	h0=$(route_stat hit) && m0=$(route_stat miss) &&
	e0=$(route_stat evict) && "$@" &&
	h1=$(route_stat hit) && m1=$(route_stat miss) &&
	e1=$(route_stat evict) || return 1
	echo "route_hit +$((h1 - h0)), route_miss +$((m1 - m0)), route_evict +$((e1 - e0))"
	echo "$((h1 - h0)) $((m1 - m0)) $((e1 - e0))" > "$VW_TMP/grown"
}

# PARAM_FLOWS flows (one inner UDP port each), interleaved, 3 rounds.
interleaved()
{
	in_host A "${VWPKT[@]}" udp "$(inner4 B)" \
		"10000-$((10000 + PARAM_FLOWS - 1))" --count 3
}

# One entry per CPU: most of the interleaved datagrams evict the
# previous flow's entry.
evicting()
{
	local hit miss evict

	counters_over interleaved || return 1
	read -r hit miss evict < "$VW_TMP/grown"
	[ "$evict" -ge "$PARAM_FLOWS" ]
}

# No cache: no hit, and a miss for every datagram at least.
uncached()
{
	local hit miss evict

	counters_over interleaved || return 1
	read -r hit miss evict < "$VW_TMP/grown"
	[ "$hit" = 0 ] && [ "$miss" -ge $((PARAM_FLOWS * 3)) ] &&
	[ "$evict" = 0 ]
}

# route_stat hit|miss: A's flow cache counter.
route_stat()
{
	vw_stat A $ID "route_$1"
}

# Hits and misses over BURST datagrams through the endpoint.
burst_cached()
{
	local h0 m0 h1 m1

	h0=$(route_stat hit) && m0=$(route_stat miss) &&
	in_host A "${VWPKT[@]}" udp "$(inner4 B)" 9 --count $BURST &&
	h1=$(route_stat hit) && m1=$(route_stat miss) || return 1
	echo "$BURST datagrams: route_hit +$((h1 - h0)), route_miss +$((m1 - m0))"
	[ $((h1 - h0)) -ge $MIN_HITS ] && [ $((m1 - m0)) -le $MAX_MISSES ]
}

# The second link, A.eth1 <-> B.eth1, with the addresses of both families.
second_link()
{
	local h

	# B takes A's packets from eth1 whatever its reverse path; A's eth1
	# sends no router solicitations, which would blur its tx counter
	# for seconds.
	in_host B sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 &&
	in_host A sysctl -qw net.ipv6.conf.default.router_solicitations=0 &&
	ipn A link add eth1 type veth peer name eth1 netns "$(ns_of B)" ||
		return 1
	for h in A B; do
		ipn "$h" -batch - <<-EOF || return 1
			addr add ${ETH1_ADDR[${h}4]}/24 dev eth1
			addr add ${ETH1_ADDR[${h}6]}/64 dev eth1 nodad
			link set eth1 up
		EOF
	done
}

# The more specific route to B's underlay address, through eth1.
via_eth1()
{
	local fam=$1

	ipn A -"$fam" route "$2" "$(addr_of B "$fam")/${PLEN[$fam]}" \
		via "${ETH1_ADDR[B$fam]}" dev eth1
}

# tx HOST DEV: a device's tx packet counter.
tx()
{
	local out re='"tx":\{"bytes":[0-9]+,"packets":([0-9]+)'

	out=$(ipn "$1" -j -s link show dev "$2") || return 1
	[[ $out =~ $re ]] || { echo "no tx packets in: $out"; return 1; }
	echo "${BASH_REMATCH[1]}"
}

# phase PATH: N pings from A to B over the connector, which must be
# answered (at most 2 lost), while A's underlay device PATH (eth0 or eth1)
# carries at least N packets and the other one (if it still exists) fewer
# than N / 2.
phase()
{
	local path=$1 other=eth1 out got e0 e1 d0 d1=0 mine theirs re

	[ "$path" = eth1 ] && other=eth0
	e0=$(tx A eth0) || return 1
	e1=$(tx A eth1 2>/dev/null) || e1=
	out=$(in_host A "${PING[@]}" -4 -c $N -i 0.1 -W 2 "$(inner4 B)")
	d0=$(($(tx A eth0) - e0)) || return 1
	[ -z "$e1" ] || d1=$(($(tx A eth1) - e1)) || return 1
	re='([0-9]+) (packets )?received'
	[[ $out =~ $re ]] && got=${BASH_REMATCH[1]} || got=0
	echo "$N pings, $got answered; A tx packets: eth0 +$d0, eth1 +$d1" \
		"(want $path >= $N, $other < $((N / 2)))"
	[ "$got" -ge $((N - 2)) ] || return 1
	if [ "$path" = eth0 ]; then
		mine=$d0 theirs=$d1
	else
		mine=$d1 theirs=$d0
	fi
	[ "$mine" -ge $N ] && [ "$theirs" -lt $((N / 2)) ]
}

# miss_mark, then miss_grew: route_miss grew in between.
miss_mark()
{
	route_stat miss > "$VW_TMP/miss"
}

miss_grew()
{
	local m0 m1

	m0=$(cat "$VW_TMP/miss") && m1=$(route_stat miss) || return 1
	echo "route_miss: $m0 -> $m1"
	[ "$m1" -gt "$m0" ]
}

# eth1 deleted while the cache holds a route through it: the deletion must
# not wait for references the cache keeps.
eth1_gone()
{
	local t0=$SECONDS

	timeout $DEL_TIMEOUT ip -n "$(ns_of A)" link del eth1 || {
		echo "ip link del eth1 failed or took over $DEL_TIMEOUT s"
		return 1
	}
	echo "ip link del eth1: $((SECONDS - t0)) s"
	# The route normally went with the device.
	via_eth1 "$1" del 2>/dev/null || true
}

ktap_header
require_env
ktap_plan 32

topo_create A B
for fam in 4 6; do
	u="IPv$fam underlay"
	check "$u: connector $ID, A with local $(addr_of A $fam)" pair $fam
	check "$u: $BURST datagrams: route_hit +$MIN_HITS or more, route_miss +$MAX_MISSES or less" \
		burst_cached
	check "$u: second link A.eth1 <-> B.eth1" second_link
	check "$u: pings answered, through eth0" phase eth0
	miss_mark || true
	check "$u: route to $(addr_of B $fam) via eth1 added" via_eth1 $fam add
	check "$u: pings answered, through eth1" phase eth1
	check "$u: route_miss grew (the cache noticed)" miss_grew
	miss_mark || true
	check "$u: route via eth1 deleted" via_eth1 $fam del
	check "$u: pings answered, through eth0 again" phase eth0
	check "$u: route_miss grew (the cache noticed)" miss_grew
	check "$u: route via eth1 again: pings through eth1" \
		chain via_eth1 $fam add -- phase eth1
	check "$u: ip link del eth1 under the cache returns promptly" \
		eth1_gone $fam
	check "$u: pings answered, through eth0" phase eth0
	check "$u: A's endpoint deleted promptly" \
		timeout $DEL_TIMEOUT ip -n "$(ns_of A)" link del vw0
done

VW_CLEANUP+=(slots_restore)
check "flow_cache=1: A's endpoint made again, its port with one entry per CPU" \
	with_slots 1
check "$PARAM_FLOWS interleaved flows: route_evict +$PARAM_FLOWS or more" \
	evicting
check "flow_cache=0: A's endpoint made again, its port without a cache" \
	with_slots 0
check "$PARAM_FLOWS flows x 3: no route_hit, a route_miss per datagram, no route_evict" \
	uncached

ktap_finished
