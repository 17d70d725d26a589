#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The receive path under the load that once preceded a soft lockup report
# on 6.1 (Documentation/design.rst, "Known hazards"): GRO on every underlay,
# a TCP stream B -> A through connector 42 over IPv4 and one through
# connector 142 over IPv6, while host C floods A from stock vxlan devices
# with the right ID from the wrong source and with an ID nobody has, and A
# re-points connector 42 between B and C and back.  When 42 points at C,
# A's frames reach C's stock vxlan device and its GRO cells; when it points
# at B, C's flood is dropped as bad_source.
#
# Then: both streams made progress, every kind of drop was counted, and the
# wire answers once the storm is over.  The VM runner fails the run on a
# soft lockup that repeats (a real one), a splat or a list corruption
# (CONFIG_DEBUG_LIST on the debug kernel).
#
# Seconds of storm: 8 short (VW_SHORT=1), 20 normal, 300 with VW_LONG=1.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
ID6=142
UNKNOWN=999
DURATION=$(by_mode 8 20 300)

# A and B: connector 42 over IPv4 (vw0), 142 over IPv6 (vw6); C: stock
# vxlan VNI 42 to A (vx0), VNI 999 to A (vx1).  Fixed MACs and static
# neighbours: C's floods need no ARP answer that would never come.
setup()
{
	vw_endpoint A $ID "$(addr_of B 4)" &&
	vw_endpoint B $ID "$(addr_of A 4)" &&
	in_host A vwctl add $ID6 dev vw6 remote "$(addr_of B 6)" &&
	in_host B vwctl add $ID6 dev vw6 remote "$(addr_of A 6)" &&
	in_host A ip addr add 198.51.101.1/24 dev vw6 &&
	in_host B ip addr add 198.51.101.2/24 dev vw6 &&
	in_host A ip link set vw6 up &&
	in_host B ip link set vw6 up &&
	vx_endpoint C $ID A 4 &&
	in_host C ip link add vx1 type vxlan id $UNKNOWN \
		remote "$(addr_of A 4)" local "$(addr_of C 4)" dstport 4789 \
		dev eth0 &&
	in_host C ip addr add 198.51.102.3/24 dev vx1 &&
	in_host C ip link set vx1 up &&
	fixed_mac A vw0 && fixed_mac C vx0 &&
	static_neigh C vx0 A &&
	in_host C ip neigh replace 198.51.102.1 lladdr 02:00:00:00:00:01 \
		dev vx1 nud permanent
}

# flood HOST DST SECONDS: echo requests as fast as the host sends them.
flood()
{
	in_host "$1" "${PING[@]}" -4 -q -f -w "$3" "$2" >/dev/null 2>&1 || true
}

stream_start()
{
	local h=$1 addr=$2 port=$3 out=$4 end=$((SECONDS + 20))

	in_host A iperf3 -s -1 -D -B "$addr" -p "$port" || return 1
	until in_host A ss -Hltn "sport = :$port" | grep -q .; do
		[ "$SECONDS" -lt "$end" ] || { echo "iperf3 server did not start"; return 1; }
		sleep 0.2
	done
	{
		in_host "$h" iperf3 -c "$addr" -p "$port" -t "$DURATION" --json \
			--connect-timeout 10000 > "$out" 2>&1
		echo $? > "$out.rc"
	} </dev/null >/dev/null 2>&1 &
}

# repoint SECONDS: connector 42 of A to C and back to B, twice a second.
repoint()
{
	local end=$((SECONDS + $1)) n=0

	while [ $SECONDS -lt "$end" ]; do
		in_host A vwctl set $ID remote "$(addr_of C 4)" || return 1
		sleep 0.25
		in_host A vwctl set $ID remote "$(addr_of B 4)" || return 1
		sleep 0.25
		n=$((n + 2))
	done
	echo "$n re-points"
}

stream_ok()
{
	local out=$1 end=$((SECONDS + DURATION + 60))

	while [ ! -s "$out.rc" ] && [ $SECONDS -lt $end ]; do
		sleep 0.5
	done
	[ "$(cat "$out.rc" 2>/dev/null)" = 0 ] || {
		echo "iperf3 exited $(cat "$out.rc" 2>/dev/null || echo '(still running)')"
		cat "$out"
		return 1
	}
	json_test "'error' not in j and j['end']['sum_received']['bytes'] > 0" < "$out"
}

grew()
{
	echo "$1: $2 -> $3"
	[ "$3" -gt "$2" ]
}

ktap_header
require_env
have_iperf3 || ktap_skip_all "iperf3 not found"
command -v ethtool >/dev/null || ktap_skip_all "ethtool not found"
ktap_plan 10

topo_create A B C
for h in A B C; do
	in_host "$h" ethtool -K eth0 gro on
done
check "connectors $ID (IPv4) and $ID6 (IPv6) A-B, C's vxlan $ID and $UNKNOWN to A" setup
check "ping B -> A through $ID" ping_wait_ok B "$(inner4 A)"
check "ping B -> A through $ID6" ping_wait_ok B 198.51.101.1

BAD0=$(vw_counter A bad_source $ID)
UNK0=$(ns_counter A unknown_id)
ktap_info "storm: $DURATION s"
stream_start B "$(inner4 A)" 5201 "$VW_TMP/s4.json"
stream_start B 198.51.101.1 5202 "$VW_TMP/s6.json"
flood C "$(inner4 A)" "$DURATION" &
flood C 198.51.102.1 "$DURATION" &
check "A re-pointed $ID between B and C for $DURATION s" repoint "$DURATION"
wait
check "the TCP stream through $ID made progress" stream_ok "$VW_TMP/s4.json"
check "the TCP stream through $ID6 made progress" stream_ok "$VW_TMP/s6.json"
check "C's flood from the wrong source counted as bad_source" \
	grew bad_source "$BAD0" "$(vw_counter A bad_source $ID)"
check "C's flood to an unknown ID counted as unknown_id" \
	grew unknown_id "$UNK0" "$(ns_counter A unknown_id)"
check "after the storm: ping B -> A through $ID" ping_wait_ok B "$(inner4 A)"
check "after the storm: ping B -> A through $ID6" ping_wait_ok B 198.51.101.1

ktap_finished
