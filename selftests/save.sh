#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vwctl save: the namespace's endpoints as vwctl -batch input.  For UDP
# wires of both formats and families with every option away from its
# default, migration settings, and local wires (to a UDP end and, when
# "add ID dev A peer B" makes B, to each other), "vwctl save > f; vwctl
# flush; vwctl -batch f" gives back what show --json said (but counters
# and ifindex); an endpoint at the defaults saves as its ID, dev and
# remote alone; an unbound device is a comment; a saved empty namespace
# restores to empty.  And show's first line of an endpoint, pasted after
# "vwctl add", makes the same endpoint.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

vw()
{
	in_host A vwctl "$@"
}

# The configuration of every endpoint (lib.sh).
config()
{
	vw_config A
}

# round_trip: save, flush, -batch; the same configuration as before.
round_trip()
{
	local before after

	before=$(config) || return 1
	vw save >"$VW_TMP/saved" || return 1
	echo "saved:"
	cat "$VW_TMP/saved"
	vw flush || return 1
	[ "$(vw show --json | json_eval "len(j['connectors'])")" = 0 ] ||
		{ echo "flush left endpoints"; return 1; }
	vw -batch "$VW_TMP/saved" || return 1
	after=$(config) || return 1
	[ "$before" = "$after" ] || {
		diff -u <(echo "$before") <(echo "$after")
		return 1
	}
}

udp_wires()
{
	vw add 1 dev vs1 remote 192.0.2.2 &&
	vw add 2 dev vs2 remote 192.0.2.3 local 192.0.2.1 port 5000 ttl 9 \
		tos 0x20 df set srcport 40000 40100 csum off &&
	vw add 16777215 dev vs3 remote 2001:db8:1::3 local 2001:db8:1::1 \
		ttl inherit tos inherit df inherit udp6zerocsumtx on \
		udp6zerocsumrx on &&
	vw add 3000000000 dev vs4 remote 2001:db8:1::4 format vw &&
	vw add 5 dev vs5 remote 192.0.2.5 format vw port 4789 ttl auto
}

migration()
{
	vw add 6 dev vs6 remote 192.0.2.6 standby hold 7 hold-time 300 \
		vm-mac 52:54:00:12:34:56,52:54:00:12:34:57 &&
	vw add 7 dev vs7 remote 2001:db8:1::7 \
		accept 192.0.2.0/24,2001:db8:5::/48 roam on roam-holddown 500 &&
	vw add 8 dev vs8 remote 192.0.2.8 relay 192.0.2.9
}

# A local end whose peer is a UDP wire of its ID: the UDP wire first.
local_to_udp()
{
	vw add 20 dev vu20 remote 192.0.2.20 &&
	vw add 20 dev vl20 peer vu20 ttl 4
}

# The defaults are left out; what save cannot make again is a comment.
save_lines_ok()
{
	local out

	out=$(vw save) || return 1
	echo "$out"
	grep -qx 'add 1 dev vs1 remote 192.0.2.2' <<<"$out" &&
	grep -qx 'add 3000000000 dev vs4 remote 2001:db8:1::4 format vw' \
		<<<"$out" &&
	grep -qx 'add 5 dev vs5 remote 192.0.2.5 port 4789 format vw' \
		<<<"$out" &&
	grep -qx '# dev vwu: unbound, not saved' <<<"$out" &&
	# The UDP wire comes before the local end that names it.
	[ "$(grep -n 'dev vu20 ' <<<"$out" | cut -d: -f1)" -lt \
	  "$(grep -n 'dev vl20 ' <<<"$out" | cut -d: -f1)" ]
}

# show's first line of DEV, after "vwctl add", makes the same endpoint.
paste_ok()
{
	local dev=$1 line before after

	before=$(vw show --json dev "$dev" | json_eval "json.dumps({k: v for k, v in c.items() if k not in ('stats', 'ifindex')}, sort_keys=True)") ||
		return 1
	line=$(vw show dev "$dev" | head -n 1) || return 1
	echo "vwctl add $line"
	vw del dev "$dev" || return 1
	# shellcheck disable=SC2086 # the words of the line
	vw add $line || return 1
	after=$(vw show --json dev "$dev" | json_eval "json.dumps({k: v for k, v in c.items() if k not in ('stats', 'ifindex')}, sort_keys=True)") ||
		return 1
	[ "$before" = "$after" ] || { echo "before: $before"; echo "after: $after"; return 1; }
}

# Whether "add ID dev A peer B" makes B when it does not exist.
add_makes_peer()
{
	vw add 99 dev vwp1 peer vwp2 >/dev/null 2>&1 || return 1
	vw flush id 99 >/dev/null 2>&1
	in_host A ip link del vwp2 >/dev/null 2>&1 || true
	return 0
}

local_pair()
{
	vw add 30 dev vwa peer vwb ttl 9 &&
	vw set dev vwb ttl 5 tos 0x08
}

empty_ok()
{
	vw flush &&
	vw save >"$VW_TMP/empty" &&
	[ ! -s "$VW_TMP/empty" ] &&
	vw -batch "$VW_TMP/empty" &&
	[ "$(vw show --json | json_eval "len(j['connectors'])")" = 0 ]
}

ktap_header
require_env
ktap_plan 12

topo_create A

check "UDP wires: vxlan and vw, IPv4 and IPv6, every transport option" \
	udp_wires
check "migration settings: standby, hold, vm-mac, accept, roam, relay" \
	migration
check "a local end to a UDP wire of its ID" local_to_udp
check "an unbound device" in_host A ip link add vwu type virtualwire
check "save: defaults left out, unbound a comment, peers first" save_lines_ok
in_host A ip link del vwu
check "save, flush, -batch: show --json as before" round_trip
check "show's line of a vw/IPv6 endpoint pasted after add makes it again" \
	paste_ok vs3
check "show's line of an endpoint in standby pasted after add makes it again" \
	paste_ok vs6
check "show's line of a local end pasted after add makes it again" \
	paste_ok vl20
if add_makes_peer; then
	vw flush
	check "a local wire (each end the other's peer)" local_pair
	check "save, flush, -batch of a local wire: show --json as before" \
		round_trip
else
	ktap_skip "a local wire" "add ID dev A peer B does not make B: its two ends cannot be restored yet"
	ktap_skip "save, flush, -batch of a local wire" "add ID dev A peer B does not make B"
fi
check "save of an empty namespace restores to empty" empty_ok

ktap_finished
