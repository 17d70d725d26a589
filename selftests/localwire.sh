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
PINGS=60
# Each move loses what is sent between the port's move and the set.
LOSS=12

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
ping_start()
{
	in_host vm1 ping -4 -i 0.2 -c $PINGS -W 1 "$(inner4 vm2)" \
		> "$VW_TMP/ping.out" 2>&1 < /dev/null &
	PING_PID=$!
}

ping_loss_ok()
{
	local sent got

	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$VW_TMP/ping.out")
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$VW_TMP/ping.out")
	tail -n 3 "$VW_TMP/ping.out"
	[ -n "$sent" ] && [ -n "$got" ] && [ "$sent" = "$PINGS" ] &&
		[ "$got" -ge $((PINGS - LOSS)) ]
}

to_b()
{
	vm_move vm2 A B br2 &&
	in_host A vwctl set dev vwa remote "$(addr4 B)" &&
	wire_is vwa udp ""
}

back_to_a()
{
	vm_move vm2 B A br2 &&
	in_host A vwctl set dev vwa peer vwb &&
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

peer_gone()
{
	in_host A ip link del vwb &&
	vw_json_test A "c['wire'] == 'local' and c['peer'] is None" dev vwa &&
	drop_counted no_peer
}

ktap_header
require_env
have_iperf3 || ktap_skip_all "iperf3 not found"
ktap_plan 18

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
cap_mark A "$(addr4 B)"
cap_stop local
check "local wire: no UDP on the underlay" no_udp local

# B's endpoint 7 waits for vm2 in its own br2.
host_bridge B br2
check "B: vwctl add $ID dev vw0 remote $(addr4 A), bridged" b_bridged

cap_start mig A eth0 udp and src host "$(addr4 A)"
ping_start
check "vm2 to B; vwctl set dev vwa remote $(addr4 B)" to_b
check "UDP wire: ping vm1 -> vm2 on B" wait_ping vm1 "$(inner4 vm2)" 15
cap_stop mig
check "UDP wire: encapsulated frames from A to B" udp_to_b mig
check "vm2 home; vwctl set dev vwa peer vwb" back_to_a
cap_start home A eth0 udp and src host "$(addr4 A)"
check "local wire again: ping vm1 -> vm2" wait_ping vm1 "$(inner4 vm2)" 15
wait "$PING_PID" || true
cap_mark A "$(addr4 B)"
cap_stop home
check "local wire again: no UDP from A" no_udp home
check "$PINGS pings across both moves, at most $LOSS lost" ping_loss_ok

in_host A ip link set vwb down
check "vwb down: vwa counts peer_down" drop_counted peer_down
in_host A ip link set vwb up
check "vwb deleted: vwa has no peer and counts no_peer" peer_gone

ktap_finished
