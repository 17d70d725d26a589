#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo proper, run inside the test VM by scripts/demo.sh: two hosts in
# network namespaces on one underlay segment, joined by connector 42, and
# what a user sees of it: vwctl show, the VXLAN packets on the wire, ping,
# a short iperf3 stream and the device counters.  Then a VM moves to a
# third host while a sequenced stream runs, with the standby, relay and
# roaming sequence of Documentation/migration.rst: nothing is lost.
#
# selftests/lib.sh builds the topology (hosts A and B, underlay eth0
# 192.0.2.1 and .2 behind a bridge) and removes it on exit.

set -e
source "$(dirname "$0")/../selftests/lib.sh"

ID=42
IPERF_TIME=${DEMO_IPERF_TIME:-3}
MIGRATE_S=${DEMO_MIGRATE_S:-6}

step()
{
	printf '\n=== %s\n' "$*"
}

# on HOST CMD...: run CMD in HOST, echoing it the way one would type it.
on()
{
	local h=$1
	shift
	echo "$h# $*"
	in_host "$h" "$@"
}

[ -d /sys/module/virtualwire ] || {
	echo "demo: the virtualwire module is not loaded (make builds it)" >&2
	exit 1
}

step "Two hosts, A and B, on one underlay segment"
topo_create A B
on A ip -br addr show dev eth0
on B ip -br addr show dev eth0

step "Connector $ID between them: one endpoint device on each side"
on A vwctl add $ID dev vw0 remote "$(addr4 B)"
on B vwctl add $ID dev vw0 remote "$(addr4 A)"
on A ip addr add 198.51.100.1/24 dev vw0
on B ip addr add 198.51.100.2/24 dev vw0
on A ip link set vw0 up
on B ip link set vw0 up
on A ip -d link show dev vw0
on A vwctl show

step "Ping through the connector, watching the underlay of B"
wait_ping A 198.51.100.2 > /dev/null
# tcpdump shows the VXLAN encapsulation the endpoints put on the wire.
in_host B timeout 20 tcpdump -l -n -i eth0 -c 4 udp port 4789 2>/dev/null &
dump=$!
sleep 1
on A "${PING[@]}" -c 3 198.51.100.2
wait $dump || true

step "A ${IPERF_TIME}-second TCP stream from A to B"
in_host B iperf3 -s -1 -D -B 198.51.100.2
sleep 1
on A iperf3 -c 198.51.100.2 -t "$IPERF_TIME" --connect-timeout 10000

step "Counters"
on A vwctl show $ID
on B vwctl show $ID --json
on A ip -s link show dev vw0
on B ip -s link show dev vw0

step "Tear down"
on A vwctl del $ID
on B vwctl del $ID
on A vwctl show
topo_destroy

# ------------------------------------------------------------------------
# The reason the project exists: a VM keeps its wire when it moves.

SEQ=$SELFTESTS_DIR/vwseq
VM_MAC=02:00:00:00:00:14
RATE=1000
N=$((MIGRATE_S * RATE))

step "Live migration: VM V on host B, its peer P on host A, host C to move to"
topo_create A B C
vm_create P A br0 10
vm_create V B br0 20
in_host V ip link set eth0 address $VM_MAC
host_bridge C br0
for h in A B C; do
	case $h in
	A) on A vwctl add $ID dev vw0 remote "$(addr4 B)" \
		accept 192.0.2.0/24 roam on ;;
	B) on B vwctl add $ID dev vw0 remote "$(addr4 A)" ;;
	C) on C vwctl add $ID dev vw0 remote "$(addr4 A)" \
		standby vm-mac $VM_MAC accept "$(addr4 B)" ;;
	esac
	in_host $h ip link set vw0 addrgenmode none
	in_host $h ip link set vw0 master br0 up
done
on C vwctl show $ID

step "$RATE numbered datagrams a second each way between P and V for ${MIGRATE_S} s"
in_host V "$SEQ" recv -p 5001 -e $N -t 20 -T 120 -w > "$VW_TMP/to_vm" 2>&1 &
recv_v=$!
in_host P "$SEQ" recv -p 5001 -e $N -t 20 -T 120 -w > "$VW_TMP/to_peer" 2>&1 &
recv_p=$!
sleep 0.5
in_host P "$SEQ" send -d "$(inner4 V)" -p 5001 -r $RATE -n $N > /dev/null &
send_p=$!
in_host V "$SEQ" send -d "$(inner4 P)" -p 5001 -r $RATE -n $N > /dev/null &
send_v=$!
sleep $((MIGRATE_S / 3))

echo "V is paused (SIGSTOP), as QEMU pauses it for the switchover"
vm_freeze V STOP
on B vwctl set $ID relay "$(addr4 C)"
echo "V's port moves from B's bridge to C's; 300 ms later V runs again"
vm_move V B C br0
sleep 0.3
vm_freeze V CONT
echo "V announces itself (RARP), as QEMU does"
vm_announce V $VM_MAC
wait $send_p $send_v $recv_v $recv_p || true

step "What the move cost"
for f in to_vm to_peer; do
	printf '%-8s %s\n' "$f:" "$(grep -E '^(received|lost|duplicated|reordered|max_gap_ms)=' \
		"$VW_TMP/$f" | tr '\n' ' ')"
done
echo "C held what arrived before V ran there, then delivered it in order;"
echo "B relayed to C what A still sent it; A roamed to C on C's first frame."
on C vwctl stats $ID
on B vwctl stats $ID
on A vwctl stats $ID
on A vwctl show $ID
echo
echo "demo: done"
