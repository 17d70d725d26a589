#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet fuzzing: host C sends host A a million malformed and random
# datagrams (vwfuzz_pkt.c: truncated headers, every reserved header bit,
# random IDs, valid IDs from a wrong source or to the other format's port,
# garbage and runt inner frames, outer CE, endpoints that are down, zero
# and wrong UDP checksums, bad UDP lengths, giant datagrams up to 64K and
# small ones in IP fragments, fragments that never reassemble) to both
# formats' ports over IPv4 and IPv6, while B pings A through two connectors.
# C reaches A over a veth pair of their own (no switch in between), so that
# any drop on the way is C's device refusing the packet, which the
# generator sees (IP_RECVERR) and sends again.
#
# The generator predicts the fate of each datagram; A's counters must say
# the same:
#  - the module counts everything the UDP stack hands it, exactly once:
#    UDP InDatagrams (v4 + v6) = drops of the namespace and of every
#    endpoint + rx_packets of every endpoint;
#  - each drop reason, the fuzzed endpoints' deliveries, UDP InCsumErrors
#    and InErrors, IP ReasmOKs equal the prediction, and ReasmFails covers
#    the fragments that cannot reassemble.
# Exact, as the underlay loses nothing it does not report to the sender.
# Should it (a drop after all on the way from C to A: C's tx_dropped beyond
# the sends retried, or A's rx_dropped), each count may fall short by at
# most that many, and never exceed the prediction.
#
# VW_FUZZ_COUNT=N sends N datagrams instead of the mode's count, and
# VW_FUZZ_SEED=S replays a run (the seed is printed).

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

GEN=$SELFTESTS_DIR/vwfuzz_pkt
COUNT=${VW_FUZZ_COUNT:-$(by_mode 30000 1000000 1000000)}
# The link from C (fz) to A (fz): C's addresses, its second ones (the
# wrong sources), A's.
C4=198.18.0.3
ALT4=198.18.0.103
A4=198.18.0.1
C6=2001:db8:99::3
ALT6=2001:db8:99::103
A6=2001:db8:99::1
VXLAN_PORT=4789
VW_PORT=4798
# A's endpoints fed by the fuzzer (remote C): ID FORMAT FAMILY [OPTION...]
FUZZ_EPS=(
	"100 vxlan 4"
	"101 vw 4"
	"102 vxlan 6"
	"2147483749 vw 6 zrx"
	"104 vxlan 4 down"
	"105 vw 6 down"
)
RX_REASONS="short bad_header unknown_id bad_source zero_csum down ecn nomem"

# ------------------------------------------------------------- setup ---

# Two connectors between A and B, the legitimate traffic: vxlan over
# IPv4 (vw0, 198.51.100.0/24) and the vw format over IPv6 (vw1,
# 198.51.101.0/24).  IPv4 inside only, and no link-local address: nothing
# but the pings crosses them, so the counters hold still between pings.
legit()
{
	local h peer n

	for h in A B; do
		peer=B
		[ "$h" = A ] || peer=A
		n=${VW_IDX[$h]}
		in_host "$h" vwctl add 1000 dev vw0 remote "$(addr4 "$peer")" &&
		in_host "$h" vwctl add 1001 dev vw1 remote "$(addr6 "$peer")" \
			format vw &&
		in_host "$h" ip link set vw0 addrgenmode none &&
		in_host "$h" ip link set vw1 addrgenmode none &&
		in_host "$h" ip addr add "198.51.100.$n/24" dev vw0 &&
		in_host "$h" ip addr add "198.51.101.$n/24" dev vw1 &&
		in_host "$h" ip link set vw0 up &&
		in_host "$h" ip link set vw1 up || return 1
	done
}

# The fuzzed endpoints of A, fz0..fz5.
fuzz_eps()
{
	local i=0 e id fmt fam opt args remote

	for e in "${FUZZ_EPS[@]}"; do
		read -r id fmt fam opt <<< "$e"
		[ "$fam" = 4 ] && remote=$C4 || remote=$C6
		args=(remote "$remote" format "$fmt")
		[ "$opt" = zrx ] && args+=(udp6zerocsumrx on)
		in_host A vwctl add "$id" dev "fz$i" "${args[@]}" || return 1
		# No link-local address: A sends nothing through them.
		in_host A ip link set "fz$i" addrgenmode none || return 1
		if [ "$opt" != down ]; then
			in_host A ip link set "fz$i" up || return 1
		fi
		i=$((i + 1))
	done
}

# The generator's -e arguments: every endpoint of A.
gen_eps()
{
	local e id fmt fam opt port remote

	GEN_EPS=()
	for e in "${FUZZ_EPS[@]}"; do
		read -r id fmt fam opt <<< "$e"
		[ "$fmt" = vw ] && port=$VW_PORT || port=$VXLAN_PORT
		[ "$fam" = 4 ] && remote=$C4 || remote=$C6
		GEN_EPS+=(-e "$id,$fmt,$port,$remote${opt:+,$opt}")
	done
	# The legitimate ones, so that a random ID hitting them is foreseen.
	GEN_EPS+=(-e "1000,vxlan,$VXLAN_PORT,$(addr4 B)"
		  -e "1001,vw,$VW_PORT,$(addr6 B)")
}

fuzz_link()
{
	ip -n "$(ns_of C)" link add fz type veth peer name fz \
		netns "$(ns_of A)" &&
	in_host C ip addr add "$C4/24" dev fz &&
	in_host C ip addr add "$ALT4/24" dev fz &&
	in_host C ip addr add "$C6/64" dev fz nodad &&
	in_host C ip addr add "$ALT6/64" dev fz nodad &&
	in_host A ip addr add "$A4/24" dev fz &&
	in_host A ip addr add "$A6/64" dev fz nodad &&
	in_host C ip link set fz up &&
	in_host A ip link set fz up
}

# Fragments that cannot reassemble expire within FRAG_TIME seconds: soon,
# but not before the good ones of a 64K datagram have all arrived, however
# slow the emulated CPU.  Plenty of memory for the many that wait
# meanwhile, so no good fragment is evicted.
FRAG_TIME=10

frag_sysctls()
{
	in_host A sysctl -qw net.ipv4.ipfrag_time=$FRAG_TIME \
		net.ipv6.ip6frag_time=$FRAG_TIME \
		net.ipv4.ipfrag_high_thresh=134217728 \
		net.ipv6.ip6frag_high_thresh=134217728
}

# ---------------------------------------------------------- counters ---

# udp_in: the datagrams A's UDP stack has received, v4 + v6.
udp_in()
{
	in_host A cat /proc/net/snmp /proc/net/snmp6 | awk '
		$1 == "Udp:" && !h { h = 1; next }
		$1 == "Udp:" { n += $2 }
		$1 ~ /^Udp6InDatagrams$/ { n += $2 }
		END { print n + 0 }'
}

# snap FILE: A's counters as key=value lines.  A datagram of the
# connectors (an ARP probe between A and B, say) that arrives between
# reading the module's counters and UDP's would unbalance the identity by
# one: read UDP's before and after, and again until nothing arrived.
snap()
{
	local i u0

	for i in 1 2 3 4 5 6 7 8 9 10; do
		u0=$(udp_in)
		snap_once "$1" || return 1
		[ "$(udp_in)" != "$u0" ] || return 0
		sleep 0.2
	done
	echo "snap: A kept receiving datagrams" >&2
	return 1
}

snap_once()
{
	{
		in_host A vwctl show --json | python3 -c '
import json, sys
j = json.load(sys.stdin)
rx = sys.argv[1].split()
out = {}
for k in rx[:3]:
    out["ns_" + k] = j["namespace"]["drops"].get(k, 0)
for c in j["connectors"]:
    d = c["stats"]["drops"]
    for k in rx:
        out["ep_" + k] = out.get("ep_" + k, 0) + d.get(k, 0)
    name = "fz_rx" if c["dev"].startswith("fz") else "legit_rx"
    out[name] = out.get(name, 0) + c["stats"]["rx_packets"]
for k, v in sorted(out.items()):
    print("%s=%d" % (k, v))
' "$RX_REASONS" &&
		in_host A cat /proc/net/snmp | awk '
			$1 ~ /^(Ip|Udp):$/ {
				if (!($1 in hdr)) { hdr[$1] = $0; next }
				n = split(hdr[$1], k)
				for (i = 2; i <= n; i++)
					print substr($1, 1, length($1) - 1) k[i] "=" $i
			}' &&
		in_host A cat /proc/net/snmp6 |
			awk '$1 ~ /^(Udp6|Ip6Reasm)/ { print $1 "=" $2 }' &&
		echo "c_tx_dropped=$(link_stat C fz tx dropped)" &&
		echo "a_rx_dropped=$(link_stat A fz rx dropped)"
	} > "$1"
}

# ------------------------------------------------------------ traffic ---

# Pings from B to A through both connectors, one a second each, from
# pings_start to pings_stop (SIGINT: ping prints its totals).  exec, so
# that the signal reaches ping rather than a subshell.
pings_start()
{
	(exec ip netns exec "$(ns_of B)" "${PING[@]}" -4 -i 1 -W 2 \
		"$(inner4 A)" > "$VW_TMP/ping0" 2>&1) &
	PING0=$!
	(exec ip netns exec "$(ns_of B)" "${PING[@]}" -4 -i 1 -W 2 \
		198.51.101.1 > "$VW_TMP/ping1" 2>&1) &
	PING1=$!
}

pings_stop()
{
	local n=0

	kill -INT "$PING0" "$PING1" 2>/dev/null || true
	while kill -0 "$PING0" 2>/dev/null || kill -0 "$PING1" 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 50 ] || kill -TERM "$PING0" "$PING1" 2>/dev/null || true
		sleep 0.1
	done
	wait "$PING0" "$PING1" 2>/dev/null || true
}

# Most echoes answered through each connector while the fuzzer ran.
pings_during()
{
	local f tx rx rc=0

	for f in ping0 ping1; do
		read -r tx rx < <(sed -nE \
			's/^([0-9]+) packets transmitted, ([0-9]+) (packets )?received.*/\1 \2/p' \
			"$VW_TMP/$f")
		echo "$f: ${tx:-?} sent, ${rx:-?} answered"
		[ -n "$rx" ] && [ "$rx" -ge 2 ] && [ $((rx * 5)) -ge $((tx * 4)) ] ||
			rc=1
	done
	return "$rc"
}

fuzz()
{
	local t0=$SECONDS

	if ! in_host C "${GEN[@]}" > "$VW_TMP/gen" 2>&1; then
		cat "$VW_TMP/gen"
		return 1
	fi
	echo "generator: $(grep -E '^(sent_total|packets|enobufs|seconds|rate|seed)=' \
		"$VW_TMP/gen" | tr '\n' ' ')($((SECONDS - t0)) s)"
}

# --------------------------------------------------------- verdicts ---

# verdict WHAT: one of the assertions over the snapshots and the
# generator's prediction (see the top of this file).
verdict()
{
	python3 - "$1" "$VW_TMP/before" "$VW_TMP/after" "$VW_TMP/gen" \
		"$RX_REASONS" <<'EOF'
import sys
what, f0, f1, fg, reasons = sys.argv[1:]
reasons = reasons.split()

def kv(path):
    d = {}
    for line in open(path):
        k, sep, v = line.strip().partition("=")
        if sep:
            try:
                d[k] = int(v)
            except ValueError:
                pass
    return d

a, b, g = kv(f0), kv(f1), kv(fg)
D = {k: b.get(k, 0) - a.get(k, 0) for k in set(a) | set(b)}
# C's drops the generator did not send again, A's.
loss = D["c_tx_dropped"] - g["enobufs"] + D["a_rx_dropped"]
print("C's device refused %d packets, sent again: %d; A dropped %d" %
      (D["c_tx_dropped"], g["enobufs"], D["a_rx_dropped"]))
e = lambda k: g["expect_" + k]
ok = True

def cmp(name, got, want, exact=False):
    """got must be want, or short of it by no more than the underlay loss."""
    global ok
    good = got == want if exact or not loss else want - loss <= got <= want
    print("%-34s %10d  expected %10d%s" % (name, got, want,
          "" if good else "   <-- MISMATCH"))
    ok = ok and good

drops = sum(D.get("ns_" + r, 0) for r in reasons[:3]) + \
    sum(D.get("ep_" + r, 0) for r in reasons)
rx = D.get("fz_rx", 0) + D.get("legit_rx", 0)
udp_in = D["UdpInDatagrams"] + D["Udp6InDatagrams"]

if what == "identity":
    print("UDP InDatagrams (v4 %d + v6 %d)" %
          (D["UdpInDatagrams"], D["Udp6InDatagrams"]))
    print("module: drops %d + rx_packets %d (fuzzed %d, legitimate %d)" %
          (drops, rx, D.get("fz_rx", 0), D.get("legit_rx", 0)))
    cmp("module counters = UDP InDatagrams", drops + rx, udp_in, True)
elif what == "reasons":
    for r in reasons[:3]:
        cmp("namespace " + r, D.get("ns_" + r, 0), e(r))
    for r in reasons[3:7]:
        cmp("endpoints " + r, D.get("ep_" + r, 0), e(r))
    cmp("endpoints short (inner frame < 14)", D.get("ep_short", 0), e("runt"))
    cmp("endpoints nomem", D.get("ep_nomem", 0), 0)
    cmp("fuzzed endpoints rx_packets", D.get("fz_rx", 0), e("rx"))
elif what == "udp":
    for f, p in (("4", "Udp"), ("6", "Udp6")):
        cmp(p + "InCsumErrors", D[p + "InCsumErrors"], e("csum_err" + f))
        cmp(p + "InErrors", D[p + "InErrors"],
            e("csum_err" + f) + e("len_err" + f))
        cmp(p + "NoPorts", D[p + "NoPorts"], 0, True)
elif what == "frag":
    for f, p in (("4", "Ip"), ("6", "Ip6")):
        cmp(p + "ReasmOKs", D[p + "ReasmOKs"], g["expect_reasm_ok" + f])
        # One failure per datagram at least: an overlap kills its
        # queue at once, a missing fragment times out (ReasmTimeout).
        fails = D[p + "ReasmFails"]
        want = e("frag_lost" + f)
        good = fails >= want - loss
        print("%-34s %10d  expected >= %7d%s (timeouts %d)" % (
              p + "ReasmFails", fails, want,
              "" if good else "   <-- MISMATCH", D[p + "ReasmTimeout"]))
        ok = ok and good
elif what == "total":
    # Every datagram sent reached the module or was refused before it.
    legit = D.get("legit_rx", 0)
    seen = udp_in - legit + D["UdpInErrors"] + D["Udp6InErrors"] + \
        e("frag_lost4") + e("frag_lost6")
    cmp("reached UDP (+ lost fragments)", seen, g["sent_total"])
    cmp("generator's predictions", sum(v for k, v in g.items()
        if k.startswith("expect_") and not k.startswith("expect_reasm")),
        g["sent_total"], True)
sys.exit(0 if ok else 1)
EOF
}

sent_ok()
{
	local n

	n=$(sed -n 's/^sent_total=//p' "$VW_TMP/gen")
	grep -E '^sent_' "$VW_TMP/gen" | tr '\n' ' '
	echo
	[ -n "$n" ] && [ "$n" -ge "$COUNT" ]
}

# ------------------------------------------------------------- main ---

ktap_header
require_env
[ -x "$GEN" ] || ktap_skip_all "$GEN not built (make -C selftests)"
ktap_plan 14

topo_create A B C
fuzz_link
frag_sysctls

check "A, B: connectors 1000 (vxlan, IPv4) and 1001 (vw, IPv6)" legit
check "A: six fuzzed endpoints with remote C (two down)" fuzz_eps
check "ping B -> A through connector 1000" ping_wait_ok B "$(inner4 A)"
check "ping B -> A through connector 1001" ping_wait_ok B 198.51.101.1
# Resolve the underlay neighbours, so that nothing waits for them.
wait_ping C "$A4" >/dev/null || true
wait_ping C "$A6" >/dev/null || true

gen_eps
GEN=("$GEN" -n "$COUNT" -4 "$C4,$ALT4,$A4" -6 "$C6,$ALT6,$A6" "${GEN_EPS[@]}"
	${VW_FUZZ_SEED:+-s "$VW_FUZZ_SEED"})
ktap_info "fuzzing: $COUNT datagrams"
snap "$VW_TMP/before"
pings_start
check "C sent $COUNT malformed and random datagrams to A" fuzz
ktap_info "$(grep -E '^(seed|seconds|rate|packets|enobufs)=' "$VW_TMP/gen" |
	tr '\n' ' ')"
ktap_info "$(grep -E '^sent_' "$VW_TMP/gen" | tr '\n' ' ')"
ktap_info "$(grep -E '^expect_' "$VW_TMP/gen" | tr '\n' ' ')"
pings_stop
# Let fragments that cannot reassemble expire.
sleep $((FRAG_TIME + 2))
snap "$VW_TMP/after"

check "generator: every category sent" sent_ok
check "pings through both connectors during the fuzzing" pings_during
check "module counters account for every datagram UDP handed it" \
	verdict identity
check "drop reasons and deliveries as predicted" verdict reasons
check "UDP checksum and length errors as predicted" verdict udp
check "IP reassembly as predicted" verdict frag
check "every datagram sent is accounted for" verdict total
check "ping B -> A through connector 1000 after the fuzzing" \
	ping_ok B "$(inner4 A)"
check "ping B -> A through connector 1001 after the fuzzing" \
	ping_ok B 198.51.101.1

ktap_finished
