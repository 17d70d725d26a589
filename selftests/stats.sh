#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vwctl stats: the text and JSON forms, for all endpoints or one (by ID or
# device); counters that follow the traffic sent (pings in, unknown-ID
# packets crafted on B, packets the underlay refuses), and errors for
# what does not exist.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
N=5

pair()
{
	vw_endpoint A "$ID" "$(addr4 B)" &&
	vw_endpoint B "$ID" "$(addr4 A)"
}

# stat EXPR [stats args]: EXPR over "vwctl stats [args] --json" on A.
stat()
{
	local expr=$1
	shift
	in_host A vwctl stats "$@" --json | json_eval "$expr"
}

text_ok()
{
	local out

	out=$(in_host A vwctl stats) || return 1
	printf '%s\n' "$out"
	printf '%s\n' "$out" | grep -qw vw0 &&
	printf '%s\n' "$out" | grep -qw "$ID"
}

json_ok()
{
	in_host A vwctl stats --json | json_test "
		len(j['connectors']) == 1 and c['id'] == $ID and c['dev'] == 'vw0' and
		all(isinstance(c['stats'][k], int) for k in
		    ('rx_packets', 'rx_bytes', 'tx_packets', 'tx_bytes')) and
		isinstance(c['stats']['drops'], dict) and
		all(isinstance(v, int) for v in c['stats']['drops'].values()) and
		all(isinstance(ns['drops'][k], int) for k in
		    ('unknown_id', 'bad_header', 'short'))"
}

# N pings more: tx and rx grew by N packets and N echo frames' bytes.
counts_ok()
{
	local before after

	before=$(in_host A vwctl stats "$ID" --json) || return 1
	in_host A "${PING[@]}" -4 -c "$N" -W 2 "$(inner4 B)" >/dev/null ||
		return 1
	after=$(in_host A vwctl stats "$ID" --json) || return 1
	python3 -c '
import json, sys
b = json.loads(sys.argv[1])["connectors"][0]["stats"]
a = json.loads(sys.argv[2])["connectors"][0]["stats"]
n = int(sys.argv[3])
d = {k: a[k] - b[k] for k in ("tx_packets", "rx_packets", "tx_bytes", "rx_bytes")}
print("after %d pings: %s" % (n, d))
sys.exit(not (d["tx_packets"] >= n and d["rx_packets"] >= n and
              d["tx_bytes"] >= n * 84 and d["rx_bytes"] >= n * 84))
' "$before" "$after" "$N"
}

# Both ways of naming the endpoint give it alone.
one_ok()
{
	in_host A vwctl stats "$@" --json | json_test "
		len(j['connectors']) == 1 and c['id'] == $ID and
		c['dev'] == 'vw0' and c['stats']['tx_packets'] >= $N"
}

unknown_counted()
{
	local n0

	n0=$(stat "ns['drops']['unknown_id']") || return 1
	in_host B "${VWPKT[@]}" send "$(addr4 A)" 4789 --id 999 --count 3 &&
	poll 30 counter_ge $((n0 + 3)) stat "ns['drops']['unknown_id']"
}

# A qdisc that drops everything on A's underlay: the pings' packets are
# refused below the endpoint and counted as xmit, which "ip -s link" shows
# as tx_dropped.  A ping first keeps B's neighbour entry fresh: a packet
# queued on an ARP resolution is not refused.
xmit_counted()
{
	local x0 x1 d0 d1 rc=0

	in_host A "${PING[@]}" -4 -c 1 -W 2 "$(inner4 B)" >/dev/null || return 1
	x0=$(stat "c['stats']['drops']['xmit']" "$ID") &&
	d0=$(link_stat A vw0 tx dropped) || return 1
	in_host A tc qdisc add dev eth0 root pfifo limit 0 || return 1
	in_host A "${PING[@]}" -4 -c 3 -i 0.2 -W 1 "$(inner4 B)" >/dev/null &&
		rc=1
	in_host A tc qdisc del dev eth0 root || rc=1
	x1=$(stat "c['stats']['drops']['xmit']" "$ID") &&
	d1=$(link_stat A vw0 tx dropped) || return 1
	echo "xmit $x0 -> $x1, tx_dropped $d0 -> $d1"
	[ $rc = 0 ] && [ $((x1 - x0)) -ge 1 ] && [ $((d1 - d0)) = $((x1 - x0)) ]
}

ktap_header
require_env
ktap_plan 11

topo_create A B
check "connector $ID between A and B" pair
check "ping A -> B" ping_wait_ok A "$(inner4 B)"
check "vwctl stats: text naming $ID and vw0" text_ok
check "vwctl stats --json: connector and namespace counters" json_ok
check "$N pings: tx/rx packets and bytes follow" counts_ok
check "vwctl stats $ID --json" one_ok $ID
check "vwctl stats dev vw0 --json" one_ok dev vw0
check "3 packets for ID 999 from B: namespace unknown_id +3" unknown_counted
check "underlay refuses the packets: xmit drops, ip -s link tx_dropped" \
	xmit_counted
check "vwctl stats 999 fails" fails in_host A vwctl stats 999
check "vwctl stats dev nosuch0 fails" fails in_host A vwctl stats dev nosuch0

ktap_finished
