#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host ECMP: a host with two uplinks and a multipath route to the remote
# (fib_multipath_hash_policy 1: the outer ports are in the hash).  The
# flow cache keeps a route per flow, so 32 inner TCP flows spread over
# both uplinks, each uplink carrying at least a quarter of the packets,
# while every flow stays on one uplink (no reordering).  Over IPv4 and
# IPv6 underlays.  The same traffic through a stock vxlan device is
# measured and printed beside it; its route cache holds one route per CPU.
#
#   host A                                       host B
#   up1 10.1.1.1 / 2001:db8:11::1 ------------  up1 10.1.1.2 / 2001:db8:11::2
#   up2 10.1.2.1 / 2001:db8:12::1 ------------  up2 10.1.2.2 / 2001:db8:12::2
#   lo  10.9.9.1 / 2001:db8:99::1               lo  10.9.9.2 / 2001:db8:99::2
#   10.9.9.2: nexthop via up1, nexthop via up2 (and the same back)
#
# The outer source port of a local TCP flow comes from its socket's
# random hash, so which uplink a flow draws is a coin toss: 32 tosses
# leave fewer than 8 flows on one side 0.7% of the time.  A share below
# the quarter is measured once more with 32 new flows; a flow cache of one
# route per CPU fails both.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
FLOWS=32
SECS=${VW_SHORT:+1}
SECS=${SECS:-2}
declare -A LO=([A4]=10.9.9.1 [B4]=10.9.9.2 [A6]=2001:db8:99::1
	[B6]=2001:db8:99::2)
declare -A PLEN=([4]=32 [6]=128)

uplink_addr()
{
	local h=$1 n=$2 fam=$3 i=1

	[ "$h" = B ] && i=2
	if [ "$fam" = 6 ]; then
		echo "2001:db8:1$n::$i"
	else
		echo "10.1.$n.$i"
	fi
}

topology()
{
	local h other fam n mac

	for h in A B; do
		ip netns add "$(ns_of "$h")" || return 1
		ipn "$h" link set lo up
		# A flow keeps its hash: TCP picks a new one after a timeout.
		in_host "$h" sysctl -qw net.ipv4.fib_multipath_hash_policy=1 \
			net.ipv6.fib_multipath_hash_policy=1 \
			net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0 || return 1
		in_host "$h" sysctl -qw net.core.txrehash=0 2>/dev/null || true
	done
	for n in 1 2; do
		ipn A link add "up$n" type veth peer name "up$n" \
			netns "$(ns_of B)" || return 1
	done
	for h in A B; do
		other=B
		[ "$h" = B ] && other=A
		ipn "$h" addr add "${LO[${h}4]}/32" dev lo &&
		ipn "$h" addr add "${LO[${h}6]}/128" dev lo || return 1
		for n in 1 2; do
			ipn "$h" addr add "$(uplink_addr "$h" "$n" 4)/24" \
				dev "up$n" &&
			ipn "$h" addr add "$(uplink_addr "$h" "$n" 6)/64" \
				dev "up$n" nodad &&
			ipn "$h" link set "up$n" up || return 1
		done
		for fam in 4 6; do
			ipn "$h" -"$fam" route add \
				"${LO[$other$fam]}/${PLEN[$fam]}" \
				nexthop via "$(uplink_addr "$other" 1 "$fam")" \
				dev up1 \
				nexthop via "$(uplink_addr "$other" 2 "$fam")" \
				dev up2 || return 1
		done
		# The next hops' neighbours, permanent.  A host (not a
		# router) skips an IPv6 next hop whose neighbour failed; on a
		# loaded emulator a probe can time out, and a flow looked up
		# then, on one CPU, would draw the other uplink there.  That is
		# the kernel's dead next hop, not what is tested here.
		for n in 1 2; do
			mac=$(ipn "$other" -br link show "up$n" | awk '{ print $3 }')
			for fam in 4 6; do
				ipn "$h" -"$fam" neigh replace \
					"$(uplink_addr "$other" "$n" "$fam")" \
					lladdr "$mac" dev "up$n" nud permanent ||
					return 1
			done
		done
	done
}

# wire KIND FAMILY: the tunnel device tun0 on both hosts, KIND vw (this
# module) or vxlan (stock), addressed and answering.
wire()
{
	local kind=$1 fam=$2 h other

	for h in A B; do
		other=B
		[ "$h" = B ] && other=A
		ipn "$h" link del tun0 2>/dev/null || true
		if [ "$kind" = vw ]; then
			in_host "$h" vwctl add $ID dev tun0 \
				remote "${LO[$other$fam]}" \
				local "${LO[$h$fam]}" || return 1
		else
			ipn "$h" link add tun0 type vxlan id $ID \
				remote "${LO[$other$fam]}" \
				local "${LO[$h$fam]}" dstport 4789 || return 1
		fi
		inner_addrs "$h" tun0 || return 1
	done
	wait_ping A "$(inner4 B)"
}

tx_packets()
{
	local out re='"tx":\{"bytes":[0-9]+,"packets":([0-9]+)'

	out=$(ipn A -j -s link show dev "$1") || return 1
	[[ $out =~ $re ]] || { echo "no tx packets in: $out"; return 1; }
	echo "${BASH_REMATCH[1]}"
}

# run NAME: FLOWS TCP flows from A to B through tun0 for SECS seconds,
# captured on both uplinks; A's tx packets per uplink in NAME.count.
run()
{
	local name=$1 t1 t2 out rc

	in_host B iperf3 -s -1 -D -B "$(inner4 B)" &&
	listens B 5201 || return 1
	CAP_SNAPLEN=160 cap_start "$name-1" A up1 udp dst port 4789 &&
	CAP_SNAPLEN=160 cap_start "$name-2" A up2 udp dst port 4789 || return 1
	t1=$(tx_packets up1) && t2=$(tx_packets up2) || return 1
	out=$(in_host A iperf3 -c "$(inner4 B)" -P $FLOWS -t "$SECS" \
		--connect-timeout 10000 2>&1) && rc=0 || rc=$?
	echo "$(($(tx_packets up1) - t1)) $(($(tx_packets up2) - t2))" \
		> "$VW_TMP/$name.count"
	cap_stop "$name-1"
	cap_stop "$name-2"
	[ $rc = 0 ] || { printf 'iperf3: exit %s\n%s\n' "$rc" "$out"; return 1; }
}

# judge NAME [--report]: the share of each uplink and the inner TCP
# flows each one carried.  Fails when an uplink has less than a quarter
# of the packets, when a flow was seen on both, or when fewer than FLOWS
# flows were seen; with --report it only prints.
judge()
{
	local name=$1 report=${2:-}

	for n in 1 2; do
		"${VWPKT[@]}" parse "$VW_TMP/$name-$n.pcap" > "$VW_TMP/$name-$n.json" ||
			return 1
	done
	python3 - "$VW_TMP/$name" $FLOWS "$report" > "$VW_TMP/judged" <<-'EOF'
		import json, sys
		base, want, report = sys.argv[1], int(sys.argv[2]), sys.argv[3]
		c1, c2 = map(int, open(base + ".count").read().split())
		links = {}
		for n in (1, 2):
		    for p in json.load(open("%s-%d.json" % (base, n))):
		        i = p.get("inner") or {}
		        if i.get("proto") != 6 or i.get("tcp_dport") != 5201:
		            continue
		        links.setdefault(i["tcp_sport"], set()).add(n)
		both = sorted(f for f, l in links.items() if len(l) > 1)
		on = {n: sum(1 for l in links.values() if l == {n}) for n in (1, 2)}
		total = c1 + c2
		s1 = 100.0 * c1 / total if total else 0
		print("uplink packets: up1 %d (%.0f%%), up2 %d (%.0f%%); "
		      "flows: %d seen, %d on up1 only, %d on up2 only, %d on both"
		      % (c1, s1, c2, 100 - s1 if total else 0, len(links),
		         on[1], on[2], len(both)))
		if report:
		    sys.exit(0)
		# iperf3's control connection is one flow more.
		ok = len(links) >= want and not both
		fair = total > 0 and min(c1, c2) * 4 >= total
		sys.exit(0 if ok and fair else 3 if ok else 1)
	EOF
	local rc=$?
	cat "$VW_TMP/judged"
	return $rc
}

# spread FAMILY: vw's flows spread fairly, each on one uplink; one more
# draw of flows when only the share fell short.
spread()
{
	local fam=$1 try rc

	for try in 1 2; do
		run "vw$fam-$try" || return 1
		judge "vw$fam-$try" && return 0 || rc=$?
		[ $rc = 3 ] || return 1
		echo "draw $try: a share below a quarter, 32 new flows"
	done
	return 1
}

# route_stat hit|miss|evict: A's flow cache counter.
route_stat()
{
	vw_stat A $ID "route_$1"
}

# cached: the flows were served by the flow cache: a miss or two per flow
# and CPU, hits four times as many at least.
cached()
{
	local hit miss evict

	hit=$(route_stat hit) && miss=$(route_stat miss) &&
	evict=$(route_stat evict) || return 1
	echo "route_hit $hit, route_miss $miss, route_evict $evict"
	[ "$hit" -ge $((miss * 4)) ] && [ "$hit" -ge $FLOWS ]
}

vxlan_report()
{
	run vxlan && judge vxlan --report
}

ktap_header
require_env
have_iperf3 || ktap_skip_all "iperf3 not found"
command -v tcpdump >/dev/null || ktap_skip_all "tcpdump not found"
ktap_plan 9

cleanup_stale
# Set here, not in check's subshell: the cleanup and inner4 read them.
VW_HOSTS=(A B)
VW_IDX[A]=1
VW_IDX[B]=2
check "two uplinks between A and B, multipath routes both ways" topology
for fam in 4 6; do
	check "IPv$fam underlay: vw wire over the multipath route" wire vw $fam
	check "IPv$fam underlay: $FLOWS TCP flows: each uplink >= 25% of the packets, every flow on one uplink" \
		spread $fam
	ktap_info "vw, IPv$fam: $(cat "$VW_TMP/judged" 2>/dev/null)"
	check "IPv$fam underlay: the flows were served by the flow cache" cached
done
check "stock vxlan over the same route, IPv4" wire vxlan 4
# Printed, not judged: this is the kernel's behaviour, not the module's.
out=$(vxlan_report 2>&1) && ktap_pass "stock vxlan, same traffic: measured" ||
	ktap_fail "stock vxlan, same traffic: measured"
printf '%s\n' "$out" | sed 's/^/# vxlan: /'
ktap_finished
