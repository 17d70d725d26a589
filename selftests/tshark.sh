#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An independent decoder agrees: tshark reads a capture of A's underlay as
# VXLAN with VNI 42, a valid UDP checksum and the inner IPv4 packet, over
# IPv4 and IPv6 underlays.  Checksum offload is off on the underlay so the
# capture holds the checksums as they go on the wire.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42

pair()
{
	vw_endpoint A "$ID" "$(addr_of B "$1")" &&
	vw_endpoint B "$ID" "$(addr_of A "$1")"
}

# tshark's view of A's packets, one line each: VNI, UDP checksums and
# their status (outer first), IPv4 destinations (the inner one last).
decoded()
{
	local src=ip.src

	[ "$1" = 4 ] || src=ipv6.src
	tshark -r "$VW_TMP/ts.pcap" -n -d udp.port==4789,vxlan \
		-o udp.check_checksum:TRUE \
		-Y "udp.dstport == 4789 && $src == $(addr_of A "$1")" \
		-T fields -E separator=';' -e vxlan.vni -e udp.checksum \
		-e udp.checksum.status -e ip.dst 2>/dev/null
}

# All of A's packets decoded as VNI 42 with a good (status 1), non-zero
# checksum; the echo requests show the inner destination.
decoded_ok()
{
	local out

	out=$(decoded "$1") || return 1
	printf '%s\n' "$out" | head -n 8
	printf '%s\n' "$out" | python3 -c '
import sys
lines = [l.strip().split(";") for l in sys.stdin if l.strip()]
ok = len(lines) >= 3
for vni, ck, status, dst in lines:
    ok = (ok and vni == sys.argv[1] and int(ck.split(",")[0], 16) != 0 and
          status.split(",")[0] == "1")
ok = ok and any(l[3].split(",")[-1] == sys.argv[2] for l in lines)
sys.exit(not ok)
' "$ID" "$(inner4 B)"
}

round()
{
	local fam=$1 t="ipv$1 underlay:"

	check "$t connector $ID between A and B" pair "$fam"
	CAP_SNAPLEN=2000 cap_start ts A eth0 udp
	check "$t ping A -> B" ping_wait_ok A "$(inner4 B)"
	cap_stop ts
	check "$t tshark: VXLAN VNI $ID, good non-zero checksum, inner $(inner4 B)" \
		decoded_ok "$fam"
	del_dev A vw0
	del_dev B vw0
}

ktap_header
require_env
command -v tshark >/dev/null || ktap_skip_all "tshark not found"
command -v ethtool >/dev/null || ktap_skip_all "ethtool not found"
ktap_plan 6

topo_create A B
in_host A ethtool -K eth0 tx off >/dev/null
round 4
round 6

ktap_finished
