#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ECMP entropy: the outer UDP source port comes from a hash of the inner
# flow.  24 inner UDP flows (one destination port each) must spread over
# at least 10 outer source ports, every flow keeping one port, all within
# the range: the default 49152-65535, or "srcport 50000 50010".

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
FLOWS=24
FIRST=10000

# A's packets carry inner UDP datagrams to B's inner address, on port
# FIRST..FIRST+FLOWS-1; the capture keeps what A sent.
flows()
{
	local fam=$1

	cap_start flows A eth0 udp and src host "$(addr_of A "$fam")" || return 1
	in_host A "${VWPKT[@]}" udp "$(inner4 B)" \
		"$FIRST-$((FIRST + FLOWS - 1))" --count 3
	cap_stop flows
}

# spread MIN MAX DISTINCT: per flow one outer source port, within
# MIN-MAX, at least DISTINCT of them over all flows.
spread()
{
	cap_json flows | python3 -c '
import json, sys
lo, hi, want, first, n = map(int, sys.argv[1:])
ports = {}
for p in json.load(sys.stdin):
    i = p.get("inner") or {}
    if i.get("proto") == 17 and first <= i.get("dport", -1) < first + n:
        ports.setdefault(i["dport"], set()).add(p["sport"])
seen = set().union(*ports.values())
print("flows: %d, outer source ports: %s" % (len(ports), sorted(seen)))
split = {f: sorted(s) for f, s in ports.items() if len(s) != 1}
if split:
    print("flows on several ports:", split)
out = sorted(x for x in seen if not lo <= x <= hi)
if out:
    print("out of range:", out)
sys.exit(not (len(ports) == n and not split and not out and
              len(seen) >= want))
' "$1" "$2" "$3" "$FIRST" "$FLOWS"
}

# The inner traffic needs no answer: a static neighbour stands for B.
endpoint()
{
	local fam=$1
	shift

	vw_endpoint A "$ID" "$(addr_of B "$fam")" vw0 "$@" &&
	static_neigh A vw0 B
}

round()
{
	local fam=$1 min=$2 max=$3 distinct=$4 t="ipv$1 underlay"
	shift 4

	[ $# = 0 ] || t+=", $*"
	t+=":"
	check "$t connector $ID from A to B" endpoint "$fam" "$@"
	check "$t $FLOWS inner UDP flows sent" flows "$fam"
	check "$t one port per flow, $distinct+ distinct, all in $min-$max" \
		spread "$min" "$max" "$distinct"
	check "$t show: srcport $min-$max" vw_json_test A \
		"c['srcport'] == {'min': $min, 'max': $max}" $ID
	del_dev A vw0
}

ktap_header
require_env
ktap_plan 12

topo_create A B
round 4 49152 65535 10
round 6 49152 65535 10
round 4 50000 50010 5 srcport 50000 50010

ktap_finished
