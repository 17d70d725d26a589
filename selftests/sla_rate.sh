#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The service level enforced (Documentation/sla.rst), measured on the
# underlay so that the figures do not depend on this machine's speed:
#
#  - the maximum: one connector with rate 0 MAX reaches 90-105% of MAX on
#    the wire with iperf3 TCP and with UDP sent at twice MAX, and no second
#    more than MAX and its burst; what it drops is counted as "rate";
#  - the guarantees: A's underlay shaped to CAP by the HTB tree of
#    "vwctl sla show-tc eth0 capacity CAP" (run as printed), connectors
#    guaranteed 10, 20 and 30% of it (two found by priority, one by mark),
#    all flooding: each gets at least 90% of its guarantee and more than
#    it (the spare is shared), together at least 90% of CAP;
#  - borrowing: with c1 idle, c2 and c3 take its share; c1 starts and has
#    90% of its guarantee back in the second after its first second;
#  - a set of the rate under traffic: the new rate holds in the second
#    after the first (or, if the loaded host starved the guest then, in
#    one of the two after it; none of them above the rate and its burst),
#    and every frame the limiter let through arrived.
#
# Rates are what the underlay's qdiscs count: the outer Ethernet frame.
# The table of what was measured is printed as KTAP diagnostics.  The
# streams run until the test has measured them and stops them: on a busy
# host the steps between take longer than any fixed duration would allow.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

MAX=10mbit
MAX_B=1250000			# bytes per second
CAP=12mbit
CAP_B=1500000
GUAR=(0 150000 300000 450000)	# c1..c3: 10, 20 and 30% of CAP
# UDP: iperf3 counts the payload; a 1200-byte datagram is 1300 bytes on
# the underlay (inner Ethernet, IP and UDP, outer IP, UDP, header and
# Ethernet).
LEN=1200

vw()
{
	local h=$1
	shift
	in_host "$h" vwctl "$@"
}

table()
{
	echo "$*" >>"$VW_TMP/table"
}

# c1..c3 between A and B: IDs 21..23, inner 10.2.K.1 (A) and .2 (B).
# A's eth0 segments in
# software, as a NIC without tunnel offloads would on the wire: its
# counters then count every segment's headers, as the limiter does (a
# veth passes a GSO super-packet whole and counts its headers once).
setup()
{
	local k

	in_host A ethtool -K eth0 tso off tx-udp_tnl-segmentation off \
		tx-udp_tnl-csum-segmentation off tx-udp-segmentation off \
		tx-gso-list off gso on 2>/dev/null || return 1
	# B counts each frame as A sent it: no GRO to merge them on the way.
	in_host B ethtool -K eth0 gro off || return 1

	for k in 1 2 3; do
		vw A add $((20 + k)) dev "c$k" remote "$(addr4 B)" &&
		vw B add $((20 + k)) dev "c$k" remote "$(addr4 A)" &&
		in_host A ip addr add "10.2.$k.1/24" dev "c$k" &&
		in_host B ip addr add "10.2.$k.2/24" dev "c$k" &&
		in_host A ip link set "c$k" up &&
		in_host B ip link set "c$k" up || return 1
	done
	for k in 1 2 3; do
		wait_ping A "10.2.$k.2" || return 1
	done
}

# snap NAME: the underlay's byte counters of A as seen now, eth0's and
# each HTB class's, each with the time it was read, into
# $VW_TMP/snap.NAME; read by rate.  The times are taken inside the
# namespace, around each read, so that the cost of getting there (tens of
# milliseconds under emulation) does not blur a one-second window.
snap()
{
	# shellcheck disable=SC2016 # expanded by the inner bash
	in_host A bash -c '
		a=$EPOCHREALTIME
		read -r b < /sys/class/net/eth0/statistics/tx_bytes
		c=$EPOCHREALTIME
		tc -s class show dev eth0 > "$1.raw"
		echo "$a $c $b $c $EPOCHREALTIME" > "$1.t"' _ "$VW_TMP/snap.$1"
}

# rate FROM TO KEY: bytes per second of counter KEY (eth0, or an HTB
# class "1:21") between two snaps.
rate()
{
	python3 - "$VW_TMP/snap.$1" "$VW_TMP/snap.$2" "$3" <<'EOF'
import re, sys
def load(p, k):
    e0, e1, eth0, c0, c1 = open(p + ".t").read().split()
    if k == "eth0":
        return (float(e0) + float(e1)) / 2, int(eth0)
    # tc -j leaves out HTB's statistics: its text, "class htb 1:21 ...",
    # then " Sent N bytes".
    raw = open(p + ".raw").read()
    v = dict(re.findall(r"^class \S+ (\S+) .*\n\s*Sent (\d+) bytes", raw, re.M))
    return (float(c0) + float(c1)) / 2, int(v.get(k, 0))
(ta, a), (tb, b) = load(sys.argv[1], sys.argv[3]), load(sys.argv[2], sys.argv[3])
print(int((b - a) / (tb - ta)))
EOF
}

# within V LO HI: LO <= V <= HI, integers.
within()
{
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

pct()
{
	echo $(($1 * 100 / $2))
}

PORT=5300

# client K ARGS...: an iperf3 stream from A to B on c K, in the
# background until client_stop K, to a server of its own on B.
client()
{
	local k=$1
	shift

	PORT=$((PORT + 1))
	ip netns exec "$(ns_of B)" iperf3 -s -1 -p "$PORT" \
		>"$VW_TMP/server$k" 2>&1 &
	echo $! >"$VW_TMP/server$k.pid"
	listens B "$PORT" >/dev/null || true
	ip netns exec "$(ns_of A)" iperf3 -c "10.2.$k.2" -p "$PORT" \
		--connect-timeout 5000 -t 600 "$@" >"$VW_TMP/client$k" 2>&1 &
	echo $! >"$VW_TMP/client$k.pid"
}

# client_alive K: c K's stream still runs (else what it said).
client_alive()
{
	kill -0 "$(cat "$VW_TMP/client$1.pid")" 2>/dev/null && return
	echo "c$1's iperf3 ended before it was stopped:"
	tail -n 5 "$VW_TMP/client$1"
	return 1
}

client_stop()
{
	local k

	for k; do
		kill "$(cat "$VW_TMP/client$k.pid")" \
			"$(cat "$VW_TMP/server$k.pid")" 2>/dev/null || true
		wait "$(cat "$VW_TMP/client$k.pid")" \
			"$(cat "$VW_TMP/server$k.pid")" 2>/dev/null || true
	done
}

# The most one second may carry: MAX and the burst (64 KiB).
SECOND_MAX=$(((MAX_B + 65536) * 105 / 100))

# max_ok QDISC PROTO ARGS...: c1 at rate 0 $MAX, A's underlay with QDISC
# (fq, or none), iperf3 for 9 s; its seconds 2-6 on the wire.
max_ok()
{
	local qdisc=$1 proto=$2 s r all drops0 drops
	shift 2

	if [ "$qdisc" = fq ]; then
		in_host A tc qdisc replace dev eth0 root fq || return 1
	else
		in_host A tc qdisc del dev eth0 root 2>/dev/null || true
	fi
	vw A set dev c1 rate 0 "$MAX" || return 1
	drops0=$(vw_counter A rate dev c1)
	client 1 "$@"
	sleep 2
	snap s0
	for s in 1 2 3 4; do
		sleep 1
		snap "s$s"
	done
	for s in 1 2 3 4; do
		r=$(rate "s$((s - 1))" "s$s" eth0)
		echo "second $s: $r bytes/s (at most $SECOND_MAX)"
		[ "$r" -le "$SECOND_MAX" ] || return 1
	done
	all=$(rate s0 s4 eth0)
	client_alive 1 || return 1
	client_stop 1
	drops=$(($(vw_counter A rate dev c1) - drops0))
	table "$(printf '%-34s %10s %10s %6s%%' "c1 $proto ($qdisc), rate 0 $MAX" \
		"$MAX_B" "$all" "$(pct "$all" "$MAX_B")")"
	echo "$proto, $qdisc: $all bytes/s on the wire, $(pct "$all" "$MAX_B")% of $MAX; $drops dropped by rate"
	# TCP without fq is policed: what it reaches is a figure, not a promise.
	if [ "$proto" = tcp ] && [ "$qdisc" != fq ]; then
		within "$all" 1 $((MAX_B * 105 / 100))
		return
	fi
	within "$all" $((MAX_B * 90 / 100)) $((MAX_B * 105 / 100)) || return 1
	# Policed UDP is dropped, and counted; with fq the sender's socket
	# waits for the frames fq holds instead.
	[ "$qdisc" = fq ] || [ "$drops" -gt 0 ]
}

shape()
{
	local out

	out=$(vw A sla show-tc eth0 capacity "$CAP") || return 1
	printf '%s\n' "$out"
	in_host A sh -e <<<"$out"
}

guarantees_set()
{
	vw A set dev c1 rate 1200kbit unlimited priority 1:21 &&
	vw A set dev c2 rate 2400kbit unlimited priority 1:22 &&
	vw A set dev c3 rate 3600kbit unlimited mark 0x23 &&
	shape
}

# flood K...: UDP from A on each c K at CAP, until client_stop.
flood()
{
	local k

	for k; do
		client "$k" -u -b "$CAP" -l "$LEN"
	done
}

# class_bytes CLASS: what HTB class CLASS of A's eth0 has sent, in bytes.
class_bytes()
{
	in_host A tc -s class show dev eth0 classid "$1" |
		awk '$1 == "Sent" { print $2 }'
}

# class_of K: the HTB class c K is in (show-tc's: by priority 1:21, 1:22;
# c3 by its mark, in the first free minor, 1:10).
class_of()
{
	case $1 in
	1) echo 1:21 ;;
	2) echo 1:22 ;;
	3) echo 1:10 ;;
	esac
}

guarantees_ok()
{
	local k r sum=0 bad=0

	flood 1 2 3
	sleep 3
	snap g0
	sleep 3
	snap g1
	for k in 1 2 3; do
		r=$(rate g0 g1 "$(class_of "$k")")
		sum=$((sum + r))
		table "$(printf '%-34s %10s %10s %6s%%' \
			"c$k guaranteed $(pct "${GUAR[$k]}" "$CAP_B")% of $CAP" \
			"${GUAR[$k]}" "$r" "$(pct "$r" "${GUAR[$k]}")")"
		echo "c$k: $r bytes/s, guaranteed ${GUAR[$k]}"
		# At least 90% of the guarantee, and a share of the spare.
		[ "$r" -ge $((GUAR[k] * 90 / 100)) ] &&
			[ "$r" -gt "${GUAR[k]}" ] || bad=1
	done
	table "$(printf '%-34s %10s %10s %6s%%' "all three, of $CAP" "$CAP_B" \
		"$sum" "$(pct "$sum" "$CAP_B")")"
	for k in 1 2 3; do
		client_alive "$k" || bad=1
	done
	client_stop 1 2 3
	echo "together: $sum bytes/s of $CAP_B"
	[ "$bad" = 0 ] && [ "$sum" -ge $((CAP_B * 90 / 100)) ]
}

borrow_ok()
{
	local r2 r3 r1 i t0 b0 b

	flood 2 3
	sleep 3
	snap b0
	sleep 2
	snap b1
	r2=$(rate b0 b1 "$(class_of 2)")
	r3=$(rate b0 b1 "$(class_of 3)")
	table "$(printf '%-34s %10s %10s %6s%%' "c2+c3, c1 idle" "$CAP_B" \
		"$((r2 + r3))" "$(pct $((r2 + r3)) "$CAP_B")")"
	echo "c1 idle: c2 $r2 and c3 $r3 bytes/s, of $CAP_B"
	[ $((r2 + r3)) -ge $((CAP_B * 90 / 100)) ] || return 1
	# c1 starts: the first 20 kB of its flood mark the start (iperf3's
	# control connection is c1's too, and smaller).
	b0=$(class_bytes "$(class_of 1)")
	flood 1
	for ((i = 0; i < 200; i++)); do
		t0=$EPOCHREALTIME
		b=$(class_bytes "$(class_of 1)")
		[ $((b - b0)) -lt 20000 ] || break
		sleep 0.05
	done
	snap b3
	sleep 1
	snap b4
	sleep 1
	snap b5
	r1=$(rate b4 b5 "$(class_of 1)")
	table "$(printf '%-34s %10s %10s %6s%%' "c1 starts: its 2nd second" \
		"${GUAR[1]}" "$r1" "$(pct "$r1" "${GUAR[1]}")")"
	r2=$(rate b4 b5 "$(class_of 2)")
	r3=$(rate b4 b5 "$(class_of 3)")
	echo "c1 from $(rate b3 b4 "$(class_of 1)") bytes/s in its first second (from $t0) to $r1 in its second, guaranteed ${GUAR[1]}; c2 $r2, c3 $r3 meanwhile"
	for i in 1 2 3; do
		client_alive "$i" || return 1
	done
	client_stop 1 2 3
	# c2 and c3 still flooding, and above their guarantees, c1 at its.
	[ "$r1" -ge $((GUAR[1] * 90 / 100)) ] && [ "$r2" -ge "${GUAR[2]}" ] &&
		[ "$r3" -ge "${GUAR[3]}" ]
}

# windows_ok LO HI CAP: after a change of c1's rate, up to three one-second
# windows of A's eth0, from a second after the change: one carries LO-HI
# bytes a second, none before it more than CAP (the rate and its burst).
# A window in which the loaded host did not run the guest for a while
# measures less, never more: the next one is measured.  Sets W_RATE (the
# last window's) and W_ALL (all of them).
windows_ok()
{
	local lo=$1 hi=$2 cap=$3 i

	W_ALL=
	sleep 1
	snap w0
	for i in 1 2 3; do
		sleep 1
		snap "w$i"
		W_RATE=$(rate "w$((i - 1))" "w$i" eth0)
		W_ALL="$W_ALL $W_RATE"
		[ "$W_RATE" -le "$cap" ] || return 1
		! within "$W_RATE" "$lo" "$hi" || return 0
	done
	return 1
}

# c1_counts: A's c1 tx_packets and B's c1 rx_packets at one moment: A's,
# B's, then A's again, until no frame left A meanwhile.  A frame sent
# between the two hosts' reads (an ARP probe, a TCP segment of a stopped
# iperf3) would count on one side only.
c1_counts()
{
	local t0 r t1 i

	for ((i = 0; i < 10; i++)); do
		t0=$(vw_counter A tx_packets dev c1)
		r=$(vw_counter B rx_packets dev c1)
		t1=$(vw_counter A tx_packets dev c1)
		[ "$t0" != "$t1" ] || { echo "$t0 $r"; return 0; }
	done
	echo "c1 never quiet: $t0 then $t1 frames sent"
	return 1
}

change_ok()
{
	local want tx0 rx0 tx rx drops0 drops rc n

	in_host A tc qdisc del dev eth0 root || return 1
	vw A set dev c1 rate 0 5mbit || return 1
	drops0=$(vw_counter A rate dev c1)
	n=$(c1_counts) || { echo "$n"; return 1; }
	read -r tx0 rx0 <<< "$n"
	flood 1
	sleep 2
	vw A set dev c1 rate 0 "$MAX" || return 1
	windows_ok $((MAX_B * 90 / 100)) $((MAX_B * 105 / 100)) "$SECOND_MAX" &&
		rc=0 || rc=1
	table "$(printf '%-34s %10s %10s %6s%%' "c1 5mbit -> $MAX, 2nd s" \
		"$MAX_B" "$W_RATE" "$(pct "$W_RATE" "$MAX_B")")"
	echo "rate 0 5mbit -> 0 $MAX: bytes/s in the seconds after the first:$W_ALL"
	[ "$rc" = 0 ] || return 1
	vw A set dev c1 rate 0 5mbit || return 1
	want=625000
	windows_ok $((want * 90 / 100)) $((want * 105 / 100)) \
		$(((want + 65536) * 105 / 100)) && rc=0 || rc=1
	table "$(printf '%-34s %10s %10s %6s%%' "c1 $MAX -> 5mbit, 2nd s" \
		"$want" "$W_RATE" "$(pct "$W_RATE" "$want")")"
	echo "back to 5mbit: bytes/s in the seconds after the first:$W_ALL"
	[ "$rc" = 0 ] || return 1
	client_alive 1 || return 1
	client_stop 1
	sleep 1
	n=$(c1_counts) || { echo "$n"; return 1; }
	read -r tx rx <<< "$n"
	tx=$((tx - tx0))
	rx=$((rx - rx0))
	drops=$(($(vw_counter A rate dev c1) - drops0))
	echo "A's c1 sent $tx frames and dropped $drops above the rate; B's c1 received $rx"
	if [ "$rx" != "$tx" ]; then
		in_host A vwctl stats dev c1 | grep -v ' 0$'
		in_host B vwctl stats dev c1 | grep -v ' 0$'
	fi
	[ "$tx" -gt 0 ] && [ "$drops" -gt 0 ] && [ "$rx" = "$tx" ]
}

ktap_header
require_env
have_iperf3 || ktap_skip_all "iperf3 not found"
command -v tc >/dev/null || ktap_skip_all "tc not found"
ktap_plan 9

topo_create A B
check "three connectors between A and B" setup
check "rate 0 $MAX, fq underlay: TCP 90-105% of it on the wire, no second above" \
	max_ok fq tcp -P 4
check "rate 0 $MAX, fq underlay: UDP at twice it, 90-105%" \
	max_ok fq udp -u -b 20mbit -l "$LEN"
check "rate 0 $MAX, no qdisc: UDP at twice it, policed to 90-105%, drops counted" \
	max_ok none udp -u -b 20mbit -l "$LEN"
check "rate 0 $MAX, no qdisc: TCP policed, no second above" \
	max_ok none tcp -P 4
check "sla show-tc eth0 capacity $CAP, run: the HTB tree" guarantees_set
check "guarantees 10/20/30% of $CAP, all flooding: each >= 90% and a share of the spare" \
	guarantees_ok
check "c1 idle: c2 and c3 borrow; c1 starts: its share within a second" \
	borrow_ok
check "rate changed under traffic: in force within a second, no loss but the policer's" \
	change_ok
echo "# sla: case                                    want B/s    got B/s got/want"
sed 's/^/# sla: /' "$VW_TMP/table"
topo_destroy
ktap_finished
