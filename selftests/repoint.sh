#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vwctl set on a live endpoint.  A "VM" (a namespace plugged into a bridge
# with connector 42) migrates from host B to host C in the middle of a TCP
# stream from host A; A repoints its endpoint with "vwctl set 42 remote C".
# The stream must survive, nothing may go to B after the set, and the
# endpoint must be the same device (changed in place, not recreated).  Then
# the other live attributes, and refused changes, which must change nothing.
#
#   host A: vw0 (42, remote B, then C), 198.51.100.1
#   host B: br0 = vw0 (42, remote A) + port "vm"  --migrates-->  host C: same
#   VM: 198.51.100.9, in its own namespace, so its TCP state survives the move

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
BIG=16777300
# Unlimited, the stream takes every cycle of the emulated guest, and the
# commands of the move crawl; even so they may take seconds, so the stream
# lasts long enough to go on well after them.
STREAM=30
RATE=10M

bridged()
{
	local h=$1

	in_host "$h" vwctl add "$ID" dev vw0 remote "$(addr4 A)" &&
	host_bridge "$h" br0 &&
	in_host "$h" ip link set vw0 master br0 up
}


# The TCP stream runs in the background, its exit status in iperf.rc.
stream_start()
{
	local end=$((SECONDS + 20))

	in_host vm iperf3 -s -1 -D -J -B "$(inner4 vm)" || return 1
	until in_host vm ss -Hltn "sport = :5201" | grep -q .; do
		[ "$SECONDS" -lt "$end" ] || { echo "iperf3 server did not start"; return 1; }
		sleep 0.2
	done
	{
		in_host A iperf3 -c "$(inner4 vm)" -t "$STREAM" -b "$RATE" --json \
			--get-server-output --connect-timeout 10000 \
			> "$VW_TMP/iperf.json" 2>&1
		echo $? > "$VW_TMP/iperf.rc"
	} </dev/null >/dev/null 2>&1 &
	# Until the data flows; then a little while on B.
	until ss -N "$(ns_of A)" -Htn state established "dport = :5201" |
	      grep -q .; do
		[ "$SECONDS" -lt "$end" ] || { echo "iperf3 did not connect"; return 1; }
		sleep 0.2
	done
	sleep 1
}

# The set's wall-clock time, the clock of the capture's timestamps, goes
# to t_set.
migrate()
{
	local t0 t1

	t0=$(date +%s.%N)
	vm_move vm B C br0 || return 1
	t1=$(date +%s.%N)
	in_host A vwctl set "$ID" remote "$(addr4 C)" || return 1
	date +%s.%N > "$VW_TMP/t_set"
	echo "move $t0, set $t1, done $(cat "$VW_TMP/t_set")"
}

stream_wait()
{
	local end=$((SECONDS + STREAM + 60))

	while [ ! -s "$VW_TMP/iperf.rc" ] && [ $SECONDS -lt $end ]; do
		sleep 0.5
	done
}

stream_ok()
{
	local rc

	rc=$(cat "$VW_TMP/iperf.rc" 2>/dev/null) || rc="none (still running?)"
	[ "$rc" = 0 ] || {
		echo "iperf3 client exited $rc"
		cat "$VW_TMP/iperf.json"
		return 1
	}
	json_test "'error' not in j and
		j['end']['sum_received']['bytes'] > 0 and
		j['end']['sum_received']['bits_per_second'] > 2e6" \
		< "$VW_TMP/iperf.json"
}

# The stream went on after the set: every second of it that the server
# saw begin over a second after the set (iperf3's start time has whole
# seconds), one at least, carried data; the short last interval at the
# end does not count.  The counters of A's and C's
# endpoints tell where it stopped when it did.
stream_resumed()
{
	local after="j['server_output_json']['intervals'] if i['sum']['start'] >
		$T_SET - j['server_output_json']['start']['timestamp']['timesecs'] + 1
		and i['sum']['seconds'] >= 0.5"

	json_eval "'\\n'.join('%5.1f-%5.1fs %10d bytes received' %
		(i['sum']['start'], i['sum']['end'], i['sum']['bytes'])
		for i in j['server_output_json']['intervals'])" \
		< "$VW_TMP/iperf.json"
	in_host A vwctl stats "$ID"
	in_host C vwctl stats "$ID"
	json_test "[i for i in $after] and
		all(i['sum']['bytes'] > 0 for i in $after)" \
		< "$VW_TMP/iperf.json" >/dev/null || {
		echo "set at $T_SET, server started at" \
			"$(json_eval "j['server_output_json']['start']['timestamp']['timesecs']" \
			   < "$VW_TMP/iperf.json")"
		return 1
	}
}

# Only what left A: the stream's frames went to B before the set, and
# nothing after it.
none_to_b_after()
{
	cap_test move "
		len([p for p in j if p['dst'] == '$(addr4 B)' and p['t'] < $T_SET and
		     (p.get('inner') or {}).get('proto') == 6]) >= 10 and
		not [p for p in j if p['dst'] == '$(addr4 B)' and p['t'] > $T_SET]"
}

to_c_after()
{
	cap_test move "
		len([p for p in j if p['dst'] == '$(addr4 C)' and p['t'] > $T_SET and
		     (p.get('inner') or {}).get('proto') == 6]) >= 10"
}

same_device()
{
	local now

	now=$(ifindex A vw0) || return 1
	echo "vw0 ifindex: $IFX0 -> $now"
	[ "$now" = "$IFX0" ] &&
	vw_json_test A "c['ifindex'] == $IFX0 and c['dev'] == 'vw0'" "$ID"
}

# set_shows SET-ARGS -- EXPR: vwctl set SET-ARGS, then EXPR over show.
set_shows()
{
	local args=()

	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	in_host A vwctl set "${args[@]}" &&
	vw_json_test A "$2" "$ID"
}

# The configuration alone, stats left out, in a stable form.
show_cfg()
{
	in_host A vwctl show "$1" --json |
		json_eval "json.dumps({k: v for k, v in c.items() if k != 'stats'},
				      sort_keys=True)"
}

# refused ID SET-ARGS...: vwctl set fails and show is as it was.
refused()
{
	local id=$1 before after
	shift

	before=$(show_cfg "$id") || return 1
	fails_with_message in_host A vwctl set "$id" "$@" || return 1
	after=$(show_cfg "$id") || return 1
	if [ "$before" != "$after" ]; then
		echo "before: $before"
		echo "after:  $after"
		return 1
	fi
}

ktap_header
require_env
have_iperf3 || ktap_skip_all "iperf3 not found"
ktap_plan 22

topo_create A B C
vm_create vm B br0 9
check "A: vwctl add $ID dev vw0 remote $(addr4 B)" \
	vw_endpoint A $ID "$(addr4 B)"
check "B: connector $ID to A, bridged with the VM" bridged B
check "C: connector $ID to A, bridged" bridged C
check "ping A -> VM on B" ping_wait_ok A "$(inner4 vm)"
IFX0=$(ifindex A vw0 2>/dev/null) || IFX0=0

cap_start move A eth0 udp dst port 4789
check "TCP stream A -> VM started" stream_start
check "VM moved to C; vwctl set $ID remote $(addr4 C) on A" migrate
stream_wait
cap_stop move
T_SET=$(cat "$VW_TMP/t_set" 2>/dev/null) || T_SET=0
check "the ${STREAM}s stream at $RATE completed, over 2 Mbit/s" stream_ok
check "the stream carried data after the move" stream_resumed
check "no encapsulated packet to B after the set" none_to_b_after
check "encapsulated packets to C after the set" to_c_after
check "vw0 is the same device (ifindex $IFX0)" same_device
check "show: remote $(addr4 C)" \
	vw_json_test A "c['remote'] == '$(addr4 C)' and c['wire'] == 'udp'" $ID

check "vwctl set $ID ttl 10" set_shows $ID ttl 10 -- "c['ttl'] == 10"
check "vwctl set $ID tos 0x28" set_shows $ID tos 0x28 -- "c['tos'] == 0x28"
check "vwctl set $ID srcport 50000 50010" set_shows $ID srcport 50000 50010 -- \
	"c['srcport'] == {'min': 50000, 'max': 50010}"
check "vwctl set $ID port 4790" set_shows $ID port 4790 -- \
	"c['port'] == 4790 and c['remote'] == '$(addr4 C)'"
check "vwctl set dev vw0 port 4789 ttl auto" \
	set_shows dev vw0 port 4789 ttl auto -- \
	"c['port'] == 4789 and c['ttl'] == 'auto' and c['tos'] == 0x28"
check "ping A -> VM after the sets" ping_wait_ok A "$(inner4 vm)"
check "vw0 is still the same device" same_device

check "A: vwctl add $BIG dev vw1 remote $(addr4 B) format vw" \
	in_host A vwctl add $BIG dev vw1 remote "$(addr4 B)" format vw
check "vwctl set $BIG format vxlan refused, nothing changed" \
	refused $BIG format vxlan
check "vwctl set $ID local $(addr6 A) (IPv4 remote) refused, nothing changed" \
	refused $ID local "$(addr6 A)"

ktap_finished
