#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Churn under traffic.  Three connectors between hosts A and B carry
# iperf3 streams (A to B on c1, B to A on c2, both ways on c3) while a loop,
# for CHURN_S seconds (VW_SHORT=1: 15, normal: 60, VW_LONG=1: 300), adds
# endpoints, changes them (remote, format, port, local wire and back to
# UDP), takes them down and up and deletes them, and moves c3's underlay:
# its source address to a new address of A's and back (B following), its
# remote to an address of B's behind a route that comes and goes.  Then:
#
#  - the streams made progress during the churn, and each stream's
#    endpoint's counters never went down while it lived; the churned
#    endpoints are all gone, and vwctl's counters agree with ip -s link;
#  - "ip netns del" of a third host with live endpoints and traffic in
#    flight both ways leaves A's side working;
#  - rmmod with endpoints in several namespaces removes them all, insmod
#    brings the family back; then RELOADS (5 short, 100 normal, 500 with
#    VW_LONG=1) rounds of insmod, endpoints in two namespaces (a UDP wire
#    with a ping across it every tenth round, a local wire), rmmod.  The
#    module is loaded again at the end, for the runner's own rmmod;
#  - the kernel never logged "unregister_netdevice: waiting for" (a device
#    reference leaked), and the runner fails the run on any splat.
#
# The module file: $VM_MODULE, or the one vm-run.sh loaded (from the guest's
# out/env), or build/$(uname -r)/virtualwire.ko.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CHURN_S=$(by_mode 15 60 300)
RELOADS=$(by_mode 5 100 500)
RATE=${VW_CHURN_RATE:-20M}

if [ -z "${VM_MODULE:-}" ] && [ -n "${vw_out:-}" ] && [ -r "$vw_out/env" ]; then
	# shellcheck disable=SC1091
	. "$vw_out/env"
fi
MODULE=${VM_MODULE:-$SELFTESTS_DIR/../build/$(uname -r)/virtualwire.ko}
MODPARAMS=${VM_MODPARAMS:-}

vwA()
{
	in_host A vwctl "$@"
}

vwB()
{
	in_host B vwctl "$@"
}

MARK0=

# figure TEXT: a measurement, printed as a KTAP diagnostic after the check
# that made it (check keeps a passing command's output to itself).
figure()
{
	echo "$*" >>"$VW_TMP/figures"
}

# fcheck DESC CMD...: check, then the figures it made.
fcheck()
{
	check "$@"
	if [ -s "$VW_TMP/figures" ]; then
		sed 's/^/# figure: /' "$VW_TMP/figures"
		: >"$VW_TMP/figures"
	fi
}

dmesg_new()
{
	kmsg_since "$MARK0"
}

no_stuck_unregister()
{
	if dmesg_new | grep -a "unregister_netdevice: waiting for"; then
		return 1
	fi
	echo "no 'unregister_netdevice: waiting for' in the kernel log"
}

# ---------------------------------------------------------------- setup

# c1..c3 between A and B, IDs 11..13, inner 10.1.K.1 (A) and .2 (B).
connectors()
{
	local k

	for k in 1 2 3; do
		vwA add $((10 + k)) dev "c$k" remote 192.0.2.2 &&
		vwB add $((10 + k)) dev "c$k" remote 192.0.2.1 &&
		in_host A ip addr add "10.1.$k.1/24" dev "c$k" &&
		in_host B ip addr add "10.1.$k.2/24" dev "c$k" &&
		in_host A ip link set "c$k" up &&
		in_host B ip link set "c$k" up || return 1
	done
	# Where c3's remote moves to: an address of B's behind a route.
	in_host B ip addr add 198.51.100.7/32 dev eth0 &&
	for k in 1 2 3; do
		wait_ping A "10.1.$k.2" || return 1
	done
}

IPERF_PIDS=()

streams_start()
{
	local t=$((CHURN_S + 30))

	in_host B iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	IPERF_PIDS+=($!)
	in_host A iperf3 -s -1 -p 5202 >/dev/null 2>&1 &
	IPERF_PIDS+=($!)
	in_host B iperf3 -s -1 -p 5203 >/dev/null 2>&1 &
	IPERF_PIDS+=($!)
	listens B 5201 && listens A 5202 && listens B 5203 || true
	in_host A iperf3 -c 10.1.1.2 -p 5201 -t "$t" -b "$RATE" \
		--connect-timeout 5000 >"$VW_TMP/iperf1" 2>&1 &
	IPERF_PIDS+=($!)
	IPERF_C1=$!
	in_host B iperf3 -c 10.1.2.1 -p 5202 -t "$t" -b "$RATE" \
		--connect-timeout 5000 >"$VW_TMP/iperf2" 2>&1 &
	IPERF_PIDS+=($!)
	IPERF_C2=$!
	in_host A iperf3 -c 10.1.3.2 -p 5203 -t "$t" -b "$RATE" --bidir \
		--connect-timeout 5000 >"$VW_TMP/iperf3" 2>&1 &
	IPERF_PIDS+=($!)
	IPERF_C3=$!
	sleep 3
}

# ------------------------------------------------------------ counters

# sample TAG: the counters of c1..c3 in A and B, appended to
# $VW_TMP/samples as "TAG HOST ID rx_packets rx_bytes tx_packets tx_bytes".
sample()
{
	python3 -S -c '
import json, subprocess, sys
for h, ns in (("A", sys.argv[2]), ("B", sys.argv[3])):
    out = subprocess.run(["ip", "netns", "exec", ns, "vwctl", "show", "--json"],
                         check=True, stdout=subprocess.PIPE).stdout
    for c in json.loads(out)["connectors"]:
        if c["id"] in (11, 12, 13) and c["dev"] in ("c1", "c2", "c3"):
            s = c["stats"]
            print(sys.argv[1], h, c["id"], s["rx_packets"], s["rx_bytes"],
                  s["tx_packets"], s["tx_bytes"])
' "$1" "$(ns_of A)" "$(ns_of B)" >>"$VW_TMP/samples"
}

# Every counter of every stream endpoint, sample after sample, never
# went down.
monotonic()
{
	python3 -S - "$VW_TMP/samples" <<'EOF'
import sys
last, bad, n = {}, [], 0
for line in open(sys.argv[1]):
    tag, host, cid, *vals = line.split()
    vals = [int(v) for v in vals]
    key = (host, cid)
    if key in last and any(v < p for v, p in zip(vals, last[key][1])):
        bad.append("%s %s: %s after %s at %s" % (host, cid, vals,
                                               last[key][1], tag))
    last[key] = (tag, vals)
    n += 1
print("%d samples of %d endpoints" % (n, len(last)))
for b in bad[:10]:
    print(b)
sys.exit(1 if bad or len(last) != 6 else 0)
EOF
}

# grew HOST ID FIELD MIN: the field (rx_bytes, tx_bytes...) of HOST's
# endpoint ID grew by at least MIN from the first sample to the last.
grew()
{
	awk -v h="$1" -v id="$2" -v f="$3" -v min="$4" '
		BEGIN { col["rx_packets"] = 4; col["rx_bytes"] = 5
			col["tx_packets"] = 6; col["tx_bytes"] = 7 }
		$2 == h && $3 == id { if (first == "") first = $col[f]; last = $col[f] }
		END { d = last - first
		      printf "%s %s %s: +%d (want >= %d)\n", h, id, f, d, min
		      exit !(d >= min) }' "$VW_TMP/samples"
}

# ---------------------------------------------------------------- churn

CHURN_ERRS=0

# try CMD...: run CMD, count and log a failure, never fail.
try()
{
	if ! "$@" >>"$VW_TMP/churn.log" 2>&1; then
		CHURN_ERRS=$((CHURN_ERRS + 1))
		echo "FAILED: $*" >>"$VW_TMP/churn.log"
	fi
}

churn_round()
{
	local r=$1 id=$((1000 + $1 % 50)) d=x$(($1 % 50))

	# A churned endpoint through its whole life.
	try vwA add "$id" dev "$d" remote 192.0.2.2
	try in_host A ip link set "$d" up
	try vwA set "$id" remote 192.0.2.3
	try vwA set "$id" format vw port $((6000 + r % 100))
	try vwA set "$id" format vxlan port 4789 ttl 16
	try in_host A ip link add "p$d" type virtualwire
	try vwA set dev "$d" peer "p$d"
	try vwA set dev "$d" remote 192.0.2.2
	try in_host A ip link set "$d" down
	try in_host A ip link set "$d" up
	try in_host A ip link del "p$d"
	try vwA del "$id"
	# The same on B, named by device, deleted with a flush of its ID.
	try vwB add "$id" dev "$d" remote 192.0.2.1 format vw
	try in_host B ip link set "$d" up
	try vwB set dev "$d" port 4798 tos 0x10
	try vwB flush id "$id"

	# The streams' endpoints: a change that keeps them working, a
	# down/up of c3.
	try vwA set 11 ttl $((r % 2 ? 64 : 32))
	try vwB set 12 ttl $((r % 2 ? 64 : 32))
	if [ $((r % 4)) = 0 ]; then
		try in_host A ip link set c3 down
		try in_host A ip link set c3 up
	fi

	# c3's underlay: the source moves to a new address of A's, B
	# follows; then back, and the address goes.
	try in_host A ip addr add 192.0.2.11/24 dev eth0
	try vwA set 13 local 192.0.2.11
	try vwB set 13 remote 192.0.2.11
	sleep 0.2
	try vwA set 13 local any
	try vwB set 13 remote 192.0.2.1
	try in_host A ip addr del 192.0.2.11/24 dev eth0
	# c3's remote moves behind a route, which goes and comes back.
	try in_host A ip route add 198.51.100.0/24 via 192.0.2.2 dev eth0
	try vwA set 13 remote 198.51.100.7
	sleep 0.2
	try in_host A ip route del 198.51.100.0/24
	sleep 0.1
	try in_host A ip route add 198.51.100.0/24 via 192.0.2.2 dev eth0
	try vwA set 13 remote 192.0.2.2
	try in_host A ip route del 198.51.100.0/24
}

churn()
{
	local end r=0

	sample start || return 1
	end=$((SECONDS + CHURN_S))
	# At least two rounds, however slow the guest.
	while [ "$SECONDS" -lt "$end" ] || [ $r -lt 2 ]; do
		churn_round "$r"
		r=$((r + 1))
		sample "round$r" || return 1
	done
	figure "churn: $CHURN_S s, $r rounds, $CHURN_ERRS failed commands"
	if [ "$CHURN_ERRS" != 0 ]; then
		grep -B 3 FAILED "$VW_TMP/churn.log" | head -n 40
		return 1
	fi
}

streams_progressed()
{
	local min

	# At least 1 MB each way over the churn (some bytes over the 15 s of short
	# mode, on the debug kernel's 1 Mbit/s streams), the route and address
	# moves included, however slow the guest (the rate is in the figures).
	min=$(by_mode 1 1000000)
	grew A 11 tx_bytes "$min" && grew B 11 rx_bytes "$min" &&
	grew B 12 tx_bytes "$min" && grew A 12 rx_bytes "$min" &&
	grew A 13 tx_bytes "$min" && grew B 13 tx_bytes "$min"
}

# Outside check: only the shell that started the clients can wait for them.
streams_wait()
{
	local p

	STREAMS_RC=0
	for p in $IPERF_C1 $IPERF_C2 $IPERF_C3; do
		wait "$p" || STREAMS_RC=1
	done
}

streams_done()
{
	if [ "$STREAMS_RC" != 0 ]; then
		tail -n 5 "$VW_TMP"/iperf?
		return 1
	fi
	grep -h "receiver" "$VW_TMP"/iperf? | sed 's/^ *//' | while read -r l; do
		figure "iperf3: $l"
	done
}

# Only c1..c3 are left in A and B.
churned_gone()
{
	local h got

	for h in A B; do
		got=$(in_host "$h" vwctl show --json |
			json_eval "' '.join(sorted(c['dev'] for c in j['connectors']))") &&
		[ "$got" = "c1 c2 c3" ] || { echo "$h: $got"; return 1; }
		got=$(in_host "$h" ip -o link show type virtualwire | wc -l)
		[ "$got" = 3 ] || { echo "$h: $got virtualwire devices"; return 1; }
	done
}

# Quiet now: vwctl's packet counters and ip -s link's are the same (read
# between two reads of ip -s link, in case a stray packet passes).
counters_agree()
{
	local h k v l1 l2 dir

	for h in A B; do
		for k in 1 2 3; do
			for dir in rx tx; do
				l1=$(link_stat "$h" "c$k" "$dir" packets) &&
				v=$(vw_counter "$h" "${dir}_packets" "1$k") &&
				l2=$(link_stat "$h" "c$k" "$dir" packets) || return 1
				echo "$h c$k $dir: vwctl $v, ip link $l1..$l2"
				[ "$v" -ge "$l1" ] && [ "$v" -le "$l2" ] || return 1
			done
		done
	done
}

# ----------------------------------------------------- netns deletion

# Host C: an endpoint to A (ID 31), traffic both ways (an iperf3 stream
# from C, pings from A), then its namespace goes while they run.
netns_del_live()
{
	local nc

	nc=$(ns_of C)
	vwA add 31 dev c31 remote 192.0.2.3 &&
	in_host C vwctl add 31 dev c31 remote 192.0.2.1 &&
	in_host C vwctl add 32 dev c32 remote 192.0.2.2 &&
	in_host C ip link add c33 type virtualwire &&
	in_host A ip addr add 10.3.1.1/24 dev c31 &&
	in_host C ip addr add 10.3.1.3/24 dev c31 &&
	in_host A ip link set c31 up &&
	in_host C ip link set c31 up &&
	wait_ping A 10.3.1.3 || return 1
	in_host A iperf3 -s -1 -p 5231 >/dev/null 2>&1 &
	listens A 5231 || return 1
	in_host C iperf3 -c 10.3.1.1 -p 5231 -t 30 -b "$RATE" >/dev/null 2>&1 &
	in_host A ping -c 200 -i 0.05 10.3.1.3 >/dev/null 2>&1 &
	poll 30 counter_ge 100 vw_counter A rx_packets 31 || return 1
	# Gone: the processes in C first (they hold it), then the name.
	ip netns pids "$nc" | xargs -r kill -9
	ip netns del "$nc"
	sleep 2
	! ip netns list | grep -q "^$nc\b" &&
	# A's end lives on and counts: what it sends now goes nowhere.
	vw_counter A tx_packets 31 >/dev/null &&
	vwA del 31
}

# ----------------------------------------------------- module reload

mod_load()
{
	# shellcheck disable=SC2086 # parameters are words
	insmod "$MODULE" $MODPARAMS
}

mod_loaded()
{
	[ -d /sys/module/virtualwire ]
}

# Leave the module loaded whatever happened, for the runner's rmmod.
ensure_loaded()
{
	mod_loaded || mod_load
}

# Endpoints in A, B and the switch namespace, then rmmod: it succeeds and
# nothing is left anywhere; insmod brings the family back.
rmmod_with_endpoints()
{
	local h n

	for h in A B sw; do
		printf 'add 41 dev r41 remote 192.0.2.9\nadd 42 dev r42 remote 192.0.2.9 format vw\n' |
			in_host "$h" vwctl -batch - || return 1
	done
	in_host A ip link add rloc type virtualwire &&
	vwA add 43 dev rl peer rloc || return 1
	rmmod virtualwire || { ensure_loaded; return 1; }
	for h in A B sw; do
		n=$(in_host "$h" ip -o link show type virtualwire 2>/dev/null | wc -l)
		[ "$n" = 0 ] || { echo "$h: $n devices left"; ensure_loaded; return 1; }
		[ ! -e "/proc/$$/net/virtualwire" ] || { echo "/proc/net/virtualwire left"; ensure_loaded; return 1; }
	done
	mod_load && vwA show --json | json_test "len(j['connectors']) == 0"
}

reload_cycles()
{
	local i t0=$SECONDS

	mod_loaded && rmmod virtualwire || return 1
	for i in $(seq 1 "$RELOADS"); do
		mod_load || { echo "insmod failed in round $i"; return 1; }
		# Two UDP wires and a local one (ml made a UDP wire first, so
		# that mloc has a peer to name) in A, one UDP wire in B.
		printf '%s\n' "add 51 dev m51 remote 192.0.2.2" \
			"add 52 dev m52 remote 192.0.2.2 format vw" \
			"add 53 dev ml remote 192.0.2.9" "add 53 dev mloc peer ml" \
			"set dev ml peer mloc" | vwA -batch - &&
		vwB add 51 dev m51 remote 192.0.2.1 ||
			{ echo "round $i: setup failed"; ensure_loaded; return 1; }
		if [ $((i % 10)) = 1 ]; then
			in_host A ip addr add 10.5.0.1/24 dev m51 &&
			in_host B ip addr add 10.5.0.2/24 dev m51 &&
			in_host A ip link set m51 up && in_host B ip link set m51 up &&
			wait_ping A 10.5.0.2 || { echo "round $i: no ping"; ensure_loaded; return 1; }
		fi
		rmmod virtualwire || { echo "rmmod failed in round $i"; ensure_loaded; return 1; }
	done
	mod_load || return 1
	figure "$RELOADS insmod/rmmod rounds with endpoints in 2 namespaces: $((SECONDS - t0)) s"
}

ktap_header
require_env
command -v iperf3 >/dev/null || ktap_skip_all "iperf3 not found"
ktap_plan 12

MARK0=$(kmsg_mark)
topo_create A B C

check "three connectors A <-> B" connectors
streams_start
fcheck "churn for $CHURN_S s under traffic: every command succeeds" churn
check "the streams moved data both ways during the churn" streams_progressed
check "the stream endpoints' counters never went down" monotonic
streams_wait
fcheck "the iperf3 streams finished" streams_done
check "only the stream endpoints are left" churned_gone
check "vwctl's counters agree with ip -s link" counters_agree
check "ip netns del of a host with live endpoints and traffic in flight" netns_del_live
if [ -r "$MODULE" ]; then
	check "rmmod with endpoints in three namespaces removes them; insmod" \
		rmmod_with_endpoints
	fcheck "$RELOADS rounds of insmod, endpoints, rmmod" reload_cycles
else
	ktap_skip "rmmod with endpoints in three namespaces" "no module file $MODULE"
	ktap_skip "$RELOADS rounds of insmod, endpoints, rmmod" "no module file $MODULE"
fi
check "the module is loaded at the end" ensure_loaded
check "no 'unregister_netdevice: waiting for' in the kernel log" no_stuck_unregister

ktap_finished
