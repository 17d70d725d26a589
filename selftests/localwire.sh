#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Local wires: two endpoints of one namespace joined with "peer", both ends
# holding connector 7, carrying frames between two VMs of host A without
# touching the underlay:
#
#   vm1 -- br1 -- vwa ==local wire 7== vwb -- br2 -- vm2        (host A)
#
# Then vm2 migrates to host B (its port moves to B's br2, bridged with B's
# endpoint 7 to A) while vm1 pings it: "vwctl set dev vwa remote B" turns
# vwa into a UDP wire, and "vwctl set dev vwa peer vwb" back once vm2 has
# come home.  Last, vwa counts peer_down while vwb is down and no_peer once
# vwb is deleted.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=7
# The background ping, 0.2 s apart; it may lose only what is sent while a
# move is under way: from the port's move to the end of the set, give or
# take a second or two for the answers to come back.
PINGS=100

# wire_is DEV WIRE PEER: how show describes DEV.
wire_is()
{
	local peer=None

	[ -z "$3" ] || peer="'$3'"
	vw_json_test A "c['dev'] == '$1' and c['id'] == $ID and
		c['wire'] == '$2' and c['peer'] == $peer" dev "$1"
}

both_local()
{
	wire_is vwa local vwb && wire_is vwb local vwa
}

b_bridged()
{
	in_host B vwctl add "$ID" dev vw0 remote "$(addr4 A)" &&
	in_host B ip link set vw0 master br2 up
}

# The capture saw no UDP but the marker that proves it was running.
no_udp()
{
	cap_test "$1" "[(p['dst'], p['dport']) for p in j if p['proto'] == 17] ==
		[('$(addr4 B)', 9)]"
}

# Encapsulated frames left A for B (the capture is "udp and src host A").
udp_to_b()
{
	cap_test "$1" "len([p for p in j if p['dst'] == '$(addr4 B)' and
			     p.get('dport') == 4789]) >= 3"
}

# The background ping's summary, in ping.out.
# -D -O: every answer and every echo still unanswered when the next goes
# out, with its time.
ping_start()
{
	in_host vm1 ping -4 -D -O -i 0.2 -c "$PINGS" -W 1 "$(inner4 vm2)" \
		> "$VW_TMP/ping.out" 2>&1 < /dev/null &
	PING_PID=$!
}

# Lost echoes were all sent during a move (the windows in move.*); some
# were answered after the first move.
ping_loss_ok()
{
	tail -n 3 "$VW_TMP/ping.out"
	python3 -c '
import re, sys
wins = sorted(tuple(map(float, open(f).read().split())) for f in sys.argv[2:])
answered, late = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r"\[([0-9.]+)\] .*icmp_seq=([0-9]+) ttl=", line)
    if m:
        answered[int(m.group(2))] = float(m.group(1))
    m = re.match(r"\[([0-9.]+)\] no answer yet for icmp_seq=([0-9]+)", line)
    if m:
        late.setdefault(int(m.group(2)), float(m.group(1)))
lost = {s: t for s, t in late.items() if s not in answered}
outside = sorted(s for s, t in lost.items()
                 if not any(a - 1 <= t <= b + 2 for a, b in wins))
print("moves:", ["%.1f-%.1f" % w for w in wins])
print("answered %d, lost %s, lost outside the moves %s" %
      (len(answered), sorted(lost), outside))
sys.exit(bool(outside) or
         not [t for t in answered.values() if t > wins[0][1]])
' "$VW_TMP/ping.out" "$VW_TMP"/move.*
}

# move VM FROM TO SET-ARGS...: vm_move, then vwctl set on A; the window
# goes to move.TO.
move()
{
	local vm=$1 from=$2 to=$3 t0
	shift 3

	t0=$(date +%s.%N)
	vm_move "$vm" "$from" "$to" br2 &&
	in_host A vwctl set "$@" &&
	echo "$t0 $(date +%s.%N)" > "$VW_TMP/move.$to"
}

to_b()
{
	move vm2 A B dev vwa remote "$(addr4 B)" &&
	wire_is vwa udp ""
}

back_to_a()
{
	move vm2 B A dev vwa peer vwb &&
	wire_is vwa local vwb
}

# drop_counted REASON: pings from vm1 end as REASON drops on vwa.
drop_counted()
{
	local n0

	n0=$(vw_counter A "$1" dev vwa) || return 1
	in_host vm1 ping -4 -c 3 -W 1 "$(inner4 vm2)" >/dev/null 2>&1
	counter_ge $((n0 + 3)) vw_counter A "$1" dev vwa
}

# drops_snap REASON: vwa's REASON counter and its tx dropped, read once
# both stand still (frames still trickling in would fall between reads).
drops_snap()
{
	local a b i

	for i in 1 2 3 4 5 6 7 8 9 10; do
		a="$(vw_counter A "$1" dev vwa) $(link_stat A vwa tx dropped)" &&
		sleep 0.5 &&
		b="$(vw_counter A "$1" dev vwa) $(link_stat A vwa tx dropped)" ||
			return 1
		[ "$a" = "$b" ] && { echo "$a"; return 0; }
	done
	echo "never still: $a, then $b" >&2
	return 1
}

# tx_dropped_follows REASON: frames dropped for REASON are vwa's tx drops
# in "ip -s link", one for one.
tx_dropped_follows()
{
	local out s0 s1

	out=$(drops_snap "$1") || return 1
	read -r -a s0 <<< "$out"
	in_host vm1 ping -4 -c 3 -W 1 "$(inner4 vm2)" >/dev/null 2>&1
	out=$(drops_snap "$1") || return 1
	read -r -a s1 <<< "$out"
	echo "$1 ${s0[0]} -> ${s1[0]}, tx dropped ${s0[1]} -> ${s1[1]}"
	[ $((s1[0] - s0[0])) -ge 3 ] &&
		[ $((s1[1] - s0[1])) = $((s1[0] - s0[0])) ]
}

peer_gone()
{
	in_host A ip link del vwb &&
	vw_json_test A "c['wire'] == 'local' and c['peer'] is None" dev vwa &&
	drop_counted no_peer
}

ktap_header
require_env
# A local wire keeps its maximum rate too (charged the frame alone): TCP
# across it stays under 5 Mbit/s, and what it drops is counted as rate.
local_rate_ok()
{
	local d0 d1 bps rc=0

	in_host A vwctl set dev vwa rate 0 5mbit || return 1
	d0=$(vw_counter A rate dev vwa)
	in_host vm2 iperf3 -s -1 -D -B "$(inner4 vm2)" -p 5210 || return 1
	listens vm2 5210 || return 1
	bps=$(in_host vm1 iperf3 -c "$(inner4 vm2)" -p 5210 -t 3 \
		--connect-timeout 10000 --json |
		json_eval 'int(j["end"]["sum_received"]["bits_per_second"])') || rc=1
	d1=$(vw_counter A rate dev vwa)
	in_host A vwctl set dev vwa rate 0 unlimited || return 1
	echo "received $bps bit/s at rate 0 5mbit; $((d1 - d0)) dropped as rate"
	[ "$rc" = 0 ] && [ "$bps" -gt 0 ] && [ "$bps" -le 5250000 ] &&
		[ "$d1" -gt "$d0" ]
}

have_iperf3 || ktap_skip_all "iperf3 not found"
ktap_plan 20

topo_create A B
vm_create vm1 A br1 11
vm_create vm2 A br2 12

check "ip link add vwb type virtualwire" \
	in_host A ip link add vwb type virtualwire
check "vwctl add $ID dev vwa peer vwb" in_host A vwctl add $ID dev vwa peer vwb
check "vwctl add $ID dev vwb peer vwa (binds vwb)" \
	in_host A vwctl add $ID dev vwb peer vwa
check "show: vwa and vwb are a local wire" both_local
in_host A ip link set vwa master br1 up
in_host A ip link set vwb master br2 up

cap_start local A eth0 udp
check "local wire: ping vm1 -> vm2" ping_wait_ok vm1 "$(inner4 vm2)"
check "local wire: ping6 vm1 -> vm2" ping_wait_ok vm1 "$(inner6 vm2)"
check "local wire: iperf3 TCP vm1 -> vm2" iperf3_ok vm1 vm2 "$(inner4 vm2)"
check "local wire: rate 0 5mbit holds TCP under it, drops counted" local_rate_ok
cap_mark A "$(addr4 B)"
cap_stop local
check "local wire: no UDP on the underlay" no_udp local

# B's endpoint 7 waits for vm2 in its own br2.
host_bridge B br2
check "B: vwctl add $ID dev vw0 remote $(addr4 A), bridged" b_bridged

cap_start mig A eth0 udp and src host "$(addr4 A)"
ping_start
check "vm2 to B; vwctl set dev vwa remote $(addr4 B)" to_b
check "UDP wire: ping vm1 -> vm2 on B" wait_ping vm1 "$(inner4 vm2)"
cap_stop mig
check "UDP wire: encapsulated frames from A to B" udp_to_b mig
check "vm2 home; vwctl set dev vwa peer vwb" back_to_a
cap_start home A eth0 udp and src host "$(addr4 A)"
check "local wire again: ping vm1 -> vm2" wait_ping vm1 "$(inner4 vm2)"
wait "$PING_PID" || true
cap_mark A "$(addr4 B)"
cap_stop home
check "local wire again: no UDP from A" no_udp home
check "$PINGS pings across both moves: lost only during them" ping_loss_ok

in_host A ip link set vwb down
check "vwb down: vwa counts peer_down" drop_counted peer_down
check "vwb down: the peer_down drops are vwa's tx dropped in ip -s link" \
	tx_dropped_follows peer_down
in_host A ip link set vwb up
check "vwb deleted: vwa has no peer and counts no_peer" peer_gone

ktap_finished
