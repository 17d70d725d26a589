#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Outer UDP checksums.  Sent: over IPv4 a correct checksum by default and
# zero with "csum off"; over IPv6 a correct checksum whatever "csum" says,
# zero only with "udp6zerocsumtx on".  Received over IPv6: a zero checksum
# is dropped and counted as zero_csum unless "udp6zerocsumrx on".
#
# Checksum offload is off on the underlay, so the capture sees the
# checksums as they go on the wire and can verify them.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
PORT=7777

# endpoint HOST PEER FAM [OPTION...]: HOST's endpoint to PEER, both
# neighbour tables filled so that no exchange is needed before traffic.
endpoint()
{
	local h=$1 peer=$2 fam=$3
	shift 3

	del_dev "$h" vw0
	vw_endpoint "$h" "$ID" "$(addr_of "$peer" "$fam")" vw0 "$@" &&
	fixed_mac "$h" vw0 &&
	static_neigh "$h" vw0 "$peer"
}

# sent FAM WHAT [OPTION...]: A's endpoint with OPTIONs sends three inner
# datagrams; the outer UDP checksums are WHAT: "ok" (non-zero and right)
# or "zero".
sent()
{
	local fam=$1 what=$2 expr
	shift 2

	endpoint A B "$fam" "$@" &&
	CAP_SNAPLEN=2000 cap_start csum A eth0 udp and src host \
		"$(addr_of A "$fam")" &&
	in_host A "${VWPKT[@]}" udp "$(inner4 B)" "$PORT" --count 3 ||
		return 1
	cap_stop csum
	if [ "$what" = zero ]; then
		expr="p['csum'] == 0"
	else
		expr="p['csum'] != 0 and p['csum_ok']"
	fi
	cap_test csum "
		len([p for p in j if p.get('inner') and
		     p['inner'].get('dport') == $PORT]) == 3 and
		all(p['fam'] == $fam and $expr
		    for p in j if p.get('inner') and p['inner'].get('dport') == $PORT)"
}

zero_refused()
{
	local n0

	n0=$(vw_counter B zero_csum "$ID") || return 1
	if in_host A "${PING[@]}" -4 -c 3 -W 1 "$(inner4 B)"; then
		echo "B answered zero-checksum packets"
		return 1
	fi
	poll 30 counter_ge $((n0 + 3)) vw_counter B zero_csum "$ID"
}

zero_accepted()
{
	endpoint B A 6 udp6zerocsumrx on &&
	ping_ok A "$(inner4 B)"
}

ktap_header
require_env
command -v ethtool >/dev/null || ktap_skip_all "ethtool not found"
ktap_plan 9

topo_create A B
in_host A ethtool -K eth0 tx off >/dev/null
in_host B ethtool -K eth0 tx off >/dev/null

check "ipv4: default: correct non-zero checksum" sent 4 ok
check "ipv4: show: csum true" vw_json_test A "c['csum'] is True" $ID
check "ipv4: csum off: zero checksum" sent 4 zero csum off
check "ipv6: default: correct non-zero checksum" sent 6 ok
check "ipv6: csum off: still a correct checksum" sent 6 ok csum off
check "ipv6: udp6zerocsumtx on: zero checksum" sent 6 zero udp6zerocsumtx on
check "ipv6: show: udp6zerocsumtx true, udp6zerocsumrx false" \
	vw_json_test A "c['udp6zerocsumtx'] is True and
		c['udp6zerocsumrx'] is False" $ID

# A keeps sending zero checksums.
endpoint B A 6 || true
check "ipv6: zero checksums dropped by default, counted as zero_csum" \
	zero_refused
check "ipv6: udp6zerocsumrx on: zero checksums accepted" zero_accepted

ktap_finished
