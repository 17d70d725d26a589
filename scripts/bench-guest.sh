#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-guest.sh OUTDIR: the benchmark proper, run inside the test VM by
# scripts/bench.sh (or on a real host with the module loaded, as root).
# It only measures: every tool's raw output lands in raw/ and one line per
# sample in index.tsv, all inside OUTDIR/bench.tar; scripts/bench_report.py
# parses and summarises them on the host.
#
# Topologies (namespaces bench-*, IPv6 off so nothing but the measured
# traffic moves):
#
#   remote   A --eth0 (veth, MTU 1550)-- B          underlay 192.0.2.1/.2
#            plain     the underlay addresses themselves
#            vxlan     the kernel's vxlan device, VNI 42, port 4789
#            vw-vxlan  VirtualWire, format vxlan, ID 43, port 4790
#            vw        VirtualWire, format vw, ID 44, port 4798
#            vw-rate   the same with a maximum rate far above what it
#                      reaches (rate 0 1tbit), ID 45: what the rate
#                      limiter costs
#            vw-nocache  the same without the flow cache (its port, 4799,
#                      opened with the module's flow_cache parameter at
#                      0), ID 46: what the cache saves
#            Every inner device has MTU 1500, so each configuration carries
#            the same inner frames and the underlay the same number of
#            frames; only the encapsulation differs.
#
#   scale    C --eth0-- D, set up like A and B with vw-vxlan and vw only,
#            plus BENCH_SCALE idle connectors (bound, up, never used) on
#            each side: vw@N and vw-vxlan@N, measured interleaved with
#            vw and vw-vxlan of A and B.
#
#   local    "VM" 1 and "VM" 2 each joined by veth to host H; in H a
#            bridge per VM side, and between the two bridges either a
#            VirtualWire local wire (vw-local) or a veth pair (veth):
#
#              V1 e1 -- h1 [br1] wa ==local wire== wb [br2] h2 -- e2 V2
#              V1 e3 -- h3 [br3] pa ==veth pair=== pb [br4] h4 -- e4 V2
#
#            which is how a hypervisor cables two VMs of one host; only
#            the wire differs.
#
#   ecmp     E ==up1/up2== F: two underlay veths, each shaped to
#            BENCH_ECMP_RATE (100mbit) by tbf at E, and multipath routes
#            between loopback addresses 10.9.9.1 and .2
#            (fib_multipath_hash_policy 1), as on a host with two uplinks
#            in an L3 fabric:
#            vxlan-ecmp  the kernel's vxlan device, VNI 47
#            vw-ecmp     VirtualWire, format vw, ID 47
#            One workload, tcp16 (iperf3 -P 16): a wire that spreads its
#            flows over both uplinks can use both.  E's uplink byte
#            counters are kept beside each sample (the report's share:
#            the smaller uplink's part of the bytes).
#
# Underlay modes (remote and scale): the underlay veths send MTU-sized
# frames like a NIC without TSO (segmentation offloads off, software GSO
# on, so a super-packet is segmented at the underlay's transmit), and the
# receiving veth has GRO on (gro-on) or off (gro-off).
#
# Workloads: tcp1 (iperf3, one stream, bits/s), tcp4 (iperf3 -P 4),
# pps (iperf3 -u -l 64 -b 0, UDP datagrams received per second), lat
# (sockperf ping-pong, UDP, 64 bytes, usec p50/p99; in the first underlay
# mode only).  The client runs on CPU 0, the servers on CPU 1.
#
# Each round runs every configuration of a group once per workload, in an
# order rotated by the round number, so a slow drift of the machine spreads
# over all configurations instead of favouring one.
#
# Environment: BENCH_ROUNDS (5), BENCH_SECONDS (2), BENCH_SCALE (4096, 0
# skips the scale group), BENCH_MODES ("gro-on gro-off"), BENCH_WORKLOADS
# ("tcp1 tcp4 pps lat"), BENCH_GROUPS ("remote local scale ecmp"),
# BENCH_ECMP_RATE (100mbit), BENCH_PERF (1: also record cpu-clock profiles
# of vxlan and vw into OUTDIR/perf/).

set -euo pipefail

out=${1:?usage: bench-guest.sh OUTDIR}
ROUNDS=${BENCH_ROUNDS:-5}
SECS=${BENCH_SECONDS:-2}
SCALE=${BENCH_SCALE:-4096}
MODES=${BENCH_MODES:-gro-on gro-off}
WORKLOADS=${BENCH_WORKLOADS:-tcp1 tcp4 pps lat}
GROUPS_RUN=${BENCH_GROUPS:-remote local scale ecmp}
ECMP_RATE=${BENCH_ECMP_RATE:-100mbit}
PERF=${BENCH_PERF:-0}

NS=bench
IPERF_PORT=5201
SOCKPERF_PORT=11111
# Keep a wedged tool from stalling the whole run.
TOOL_TIMEOUT=$((SECS + 20))

# Staged in the guest's tmpfs and saved as OUTDIR/bench.tar after each
# round: the results share is 9p, and its writes should not land in a
# measurement.
stage=$(mktemp -d /tmp/bench.XXXXXX)
mkdir -p "$stage/raw" "$out"

log()
{
	echo "bench: $*" >&2
}

die()
{
	log "$*"
	exit 1
}

ns()
{
	echo "$NS-$1"
}

on()
{
	local h=$1
	shift
	ip netns exec "$(ns "$h")" "$@"
}

cleanup()
{
	local n

	for n in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		case $n in
		"$NS"-*) ;;
		*) continue ;;
		esac
		ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null || true
		ip netns del "$n" 2>/dev/null || true
	done
}

# One tar file: creating many small files over 9p is slow enough to show.
sync_out()
{
	tar -C "$stage" -cf "$out/bench.tar.tmp" . &&
		mv "$out/bench.tar.tmp" "$out/bench.tar"
}

trap 'cleanup; sync_out' EXIT

command -v iperf3 > /dev/null || die "iperf3 not found"
command -v sockperf > /dev/null || die "sockperf not found (apt-get install sockperf)"
command -v vwctl > /dev/null || die "vwctl not found"
[ -d /sys/module/virtualwire ] || die "the virtualwire module is not loaded"

newns()
{
	ip netns add "$(ns "$1")"
	on "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	on "$1" ip link set lo up
}

# Servers on CPU 1, persistent: one iperf3 and one sockperf per receiving
# namespace, on every address.
start_servers()
{
	local h=$1

	on "$h" taskset -c 1 iperf3 -s -D -p $IPERF_PORT \
		--pidfile "/tmp/iperf3-$h.pid"
	on "$h" taskset -c 1 sockperf sr -i 0.0.0.0 -p $SOCKPERF_PORT \
		--daemonize > /dev/null 2>&1
}

restart_iperf3()
{
	local h=$1

	kill "$(cat "/tmp/iperf3-$h.pid" 2>/dev/null)" 2>/dev/null || true
	sleep 0.5
	on "$h" taskset -c 1 iperf3 -s -D -p $IPERF_PORT \
		--pidfile "/tmp/iperf3-$h.pid"
	sleep 0.5
}

# underlay_pair X Y: X and Y joined by one veth, 192.0.2.1 and .2.
underlay_pair()
{
	local x=$1 y=$2

	newns "$x"
	newns "$y"
	ip link add eth0 netns "$(ns "$x")" mtu 1550 type veth \
		peer name eth0 netns "$(ns "$y")" mtu 1550
	on "$x" ip addr add 192.0.2.1/24 dev eth0
	on "$y" ip addr add 192.0.2.2/24 dev eth0
	on "$x" ip link set eth0 up
	on "$y" ip link set eth0 up
}

# Underlay offloads of a mode: like a NIC without TSO, segmentation
# happens in software at the underlay's transmit; GRO on or off at its
# receive.
underlay_mode()
{
	local mode=$1 h gro

	case $mode in
	gro-on) gro=on ;;
	gro-off) gro=off ;;
	*) die "unknown mode $mode" ;;
	esac
	for h in A B C D; do
		[ -e "/run/netns/$(ns $h)" ] || continue
		on "$h" ethtool -K eth0 tso off tx-udp_tnl-segmentation off \
			tx-udp_tnl-csum-segmentation off tx-udp-segmentation off \
			tx-gso-list off gso on gro "$gro" 2> /dev/null
	done
}

# tunnels X Y SET: the inner devices of SET ("all" or "vw") on X (.1) and
# Y (.2).
tunnels()
{
	local x=$1 y=$2 set=$3 h me peer i=1

	for h in "$x" "$y"; do
		me=192.0.2.$i
		peer=192.0.2.$((3 - i))
		if [ "$set" = all ]; then
			on "$h" ip link add vx0 type vxlan id 42 remote "$peer" \
				dstport 4789 local "$me" dev eth0
			on "$h" ip addr add "10.42.0.$i/24" dev vx0
		fi
		on "$h" vwctl add 43 dev vwx0 remote "$peer" port 4790
		on "$h" vwctl add 44 dev vwn0 remote "$peer" format vw
		on "$h" ip addr add "10.43.0.$i/24" dev vwx0
		on "$h" ip addr add "10.44.0.$i/24" dev vwn0
		if [ "$set" = all ]; then
			on "$h" vwctl add 45 dev vwr0 remote "$peer" format vw \
				rate 0 1tbit
			on "$h" ip addr add "10.45.0.$i/24" dev vwr0
			# A port opened while flow_cache is 0 has no cache.
			echo 0 > "$FLOW_CACHE"
			on "$h" vwctl add 46 dev vwc0 remote "$peer" format vw \
				port 4799
			echo "$flow_slots" > "$FLOW_CACHE"
			on "$h" ip addr add "10.46.0.$i/24" dev vwc0
		fi
		for d in vx0 vwx0 vwn0 vwr0 vwc0; do
			on "$h" ip link show "$d" > /dev/null 2>&1 || continue
			on "$h" ip link set "$d" mtu 1500 up
		done
		i=$((i + 1))
	done
}

# ecmp_pair: E and F, two shaped uplinks, multipath routes, the tunnels.
setup_ecmp()
{
	local h n i=1 me peer

	newns E
	newns F
	for n in 1 2; do
		ip link add "up$n" netns "$(ns E)" mtu 1550 type veth \
			peer name "up$n" netns "$(ns F)" mtu 1550
	done
	for h in E F; do
		me=10.9.9.$i
		peer=10.9.9.$((3 - i))
		on "$h" sysctl -qw net.ipv4.fib_multipath_hash_policy=1 \
			net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0
		# TCP keeps each flow's hash, so its outer port, after a loss.
		on "$h" sysctl -qw net.core.txrehash=0 2> /dev/null || true
		on "$h" ip addr add "$me/32" dev lo
		for n in 1 2; do
			on "$h" ip addr add "10.1.$n.$i/24" dev "up$n"
			on "$h" ip link set "up$n" up
		done
		on "$h" ip route add "$peer/32" \
			nexthop via "10.1.1.$((3 - i))" dev up1 \
			nexthop via "10.1.2.$((3 - i))" dev up2
		on "$h" ip link add vxe0 type vxlan id 47 remote "$peer" \
			local "$me" dstport 4789
		on "$h" vwctl add 47 dev vwe0 remote "$peer" local "$me" \
			format vw
		on "$h" ip addr add "10.47.0.$i/24" dev vxe0
		on "$h" ip addr add "10.48.0.$i/24" dev vwe0
		on "$h" ip link set vxe0 mtu 1500 up
		on "$h" ip link set vwe0 mtu 1500 up
		i=$((i + 1))
	done
	for n in 1 2; do
		on E tc qdisc add dev "up$n" root tbf rate "$ECMP_RATE" \
			burst 32kb latency 20ms
	done
}

# E's tx bytes on up1 and up2.
uplink_bytes()
{
	on E cat /sys/class/net/up1/statistics/tx_bytes \
		/sys/class/net/up2/statistics/tx_bytes | xargs
}

# idle_connectors H N REMOTE: N bound, up, idle endpoints in H, half of
# each format, through the control file (one write each: far quicker than
# N netlink round trips from N vwctl processes).
idle_connectors()
{
	local h=$1 n=$2 remote=$3

	# shellcheck disable=SC2016 # expanded by the inner bash
	on "$h" bash -c '
		n=$1 remote=$2
		for ((i = 0; i < n; i++)); do
			if ((i % 2)); then
				echo "add $((100000 + i)) dev i$i remote $remote port 4790"
			else
				echo "add $((100000 + i)) dev i$i remote $remote format vw"
			fi > /proc/net/virtualwire/control || exit 1
		done' - "$n" "$remote"
	for ((i = 0; i < n; i++)); do
		echo "link set i$i up"
	done | on "$h" ip -batch -
}

setup_local()
{
	local i v

	newns V1
	newns V2
	newns H
	for i in 1 2 3 4; do
		if ((i % 2)); then v=V1; else v=V2; fi
		ip link add "e$i" netns "$(ns $v)" type veth \
			peer name "h$i" netns "$(ns H)"
		on H ip link add "br$i" type bridge
		on H ip link set "h$i" master "br$i" up
		on H ip link set "br$i" up
		on "$v" ip link set "e$i" up
	done
	on H ip link add wb type virtualwire
	on H vwctl add 50 dev wa peer wb
	on H vwctl add 50 dev wb peer wa
	on H ip link add pa type veth peer name pb
	on H ip link set wa mtu 1500 master br1 up
	on H ip link set wb mtu 1500 master br2 up
	on H ip link set pa master br3 up
	on H ip link set pb master br4 up
	on V1 ip addr add 10.50.0.1/24 dev e1
	on V2 ip addr add 10.50.0.2/24 dev e2
	on V1 ip addr add 10.51.0.1/24 dev e3
	on V2 ip addr add 10.51.0.2/24 dev e4
}

# Where each configuration's client and server are.
declare -A CLIENT SERVER
CLIENT[plain]=A SERVER[plain]=192.0.2.2
CLIENT[vxlan]=A SERVER[vxlan]=10.42.0.2
CLIENT[vw-vxlan]=A SERVER[vw-vxlan]=10.43.0.2
CLIENT[vw]=A SERVER[vw]=10.44.0.2
CLIENT[vw-rate]=A SERVER[vw-rate]=10.45.0.2
CLIENT[vw-nocache]=A SERVER[vw-nocache]=10.46.0.2
CLIENT[vxlan-ecmp]=E SERVER[vxlan-ecmp]=10.47.0.2
CLIENT[vw-ecmp]=E SERVER[vw-ecmp]=10.48.0.2
CLIENT[vw-vxlan@N]=C SERVER[vw-vxlan@N]=10.43.0.2
CLIENT[vw@N]=C SERVER[vw@N]=10.44.0.2
CLIENT[vw-local]=V1 SERVER[vw-local]=10.50.0.2
CLIENT[veth]=V1 SERVER[veth]=10.51.0.2
declare -A SERVER_NS=([A]=B [C]=D [V1]=V2 [E]=F)

# A path answers once its devices' link state has reached the bridges:
# the kernel's linkwatch, which tells them, can lag by many seconds behind
# the 8192 idle connectors just brought up.
warm()
{
	local cfg=$1 end=$((SECONDS + 60))

	until on "${CLIENT[$cfg]}" ping -q -c 1 -W 1 "${SERVER[$cfg]}" \
		> /dev/null; do
		[ $SECONDS -lt $end ] ||
			die "$cfg: ${SERVER[$cfg]} does not answer ping"
	done
	on "${CLIENT[$cfg]}" ping -q -c 3 -i 0.2 -W 2 "${SERVER[$cfg]}" \
		> /dev/null || die "$cfg: ${SERVER[$cfg]} answers ping only now and then"
}

# tool_cmd CFG WORKLOAD: the measuring command, in CMD.
tool_cmd()
{
	local cfg=$1 wl=$2 c=${CLIENT[$1]} s=${SERVER[$1]}

	CMD=(ip netns exec "$(ns "$c")" timeout -k 5 "$TOOL_TIMEOUT"
	     taskset -c 0)
	case $wl in
	tcp1|tcp4|tcp16|pps)
		CMD+=(iperf3 -c "$s" -p "$IPERF_PORT" -t "$SECS" -J
		      --connect-timeout 3000)
		;;
	lat)
		CMD+=(sockperf pp -i "$s" -p "$SOCKPERF_PORT" -t "$SECS" -m 64)
		;;
	esac
	case $wl in
	tcp4) CMD+=(-P 4) ;;
	tcp16) CMD+=(-P 16) ;;
	pps) CMD+=(-u -l 64 -b 0) ;;
	esac
}

# run_tool CFG WORKLOAD FILE: one measurement; the tool's output in FILE.
run_tool()
{
	tool_cmd "$1" "$2"
	"${CMD[@]}" > "$3" 2>&1
}

# measure ROUND MODE GROUP WORKLOAD CFG: one sample, retried once (a
# persistent iperf3 server can be left busy by a client that died).
measure()
{
	local r=$1 mode=$2 group=$3 wl=$4 cfg=$5 rc=0 dir file t0 t1
	local safe=${cfg//@/_at_}

	dir=$stage/raw/$mode/$wl/$safe
	mkdir -p "$dir"
	file=$dir/r$r
	[ "$group" != ecmp ] || uplink_bytes > "$file.links"
	t0=$(date +%s.%N)
	run_tool "$cfg" "$wl" "$file" || rc=$?
	if [ $rc != 0 ]; then
		log "$mode $wl $cfg round $r failed ($rc), retrying"
		cp "$file" "$file.failed"
		restart_iperf3 "${SERVER_NS[${CLIENT[$cfg]}]}"
		rc=0
		[ "$group" != ecmp ] || uplink_bytes > "$file.links"
		run_tool "$cfg" "$wl" "$file" || rc=$?
	fi
	t1=$(date +%s.%N)
	[ "$group" != ecmp ] || uplink_bytes >> "$file.links"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$mode" "$group" \
		"$wl" "$cfg" "raw/$mode/$wl/$safe/r$r" "$rc" "$t0" "$t1" \
		>> "$stage/index.tsv"
}

# rotate R WORDS...: WORDS rotated left by R.
rotate()
{
	local r=$1
	shift
	local a=("$@") n=$# i

	for ((i = 0; i < n; i++)); do
		printf '%s ' "${a[(i + r) % n]}"
	done
}

run_group()
{
	local r=$1 mode=$2 group=$3 wl cfg
	shift 3

	for wl in $WORKLOADS; do
		# Ping-pong latency does not depend on the underlay's GRO: one
		# mode measures it, which keeps make bench short.
		if [ "$wl" = lat ] && [ "$group" = remote ] &&
		   [ "$mode" != "${MODES%% *}" ]; then
			continue
		fi
		for cfg in $(rotate "$r" "$@"); do
			measure "$r" "$mode" "$group" "$wl" "$cfg"
		done
	done
}

# Scale group: throughput and packet rate only.
run_scale()
{
	local r=$1 mode=$2 wl cfg

	for wl in $WORKLOADS; do
		case $wl in tcp1|pps) ;; *) continue ;; esac
		for cfg in $(rotate "$r" vw vw@N vw-vxlan vw-vxlan@N); do
			measure "$r" "$mode" scale "$wl" "$cfg"
		done
	done
}

# ECMP group: many flows over two shaped uplinks.
run_ecmp()
{
	local r=$1 cfg

	for cfg in $(rotate "$r" vxlan-ecmp vw-ecmp); do
		measure "$r" shaped ecmp tcp16 "$cfg"
	done
}

has_group()
{
	case " $GROUPS_RUN " in *" $1 "*) return 0 ;; esac
	return 1
}

# ---------------------------------------------------------------- setup --

cleanup
FLOW_CACHE=/sys/module/virtualwire/parameters/flow_cache
flow_slots=$(cat "$FLOW_CACHE")
t_start=$(date +%s)
{
	echo "kernel	$(uname -r)"
	echo "rounds	$ROUNDS"
	echo "seconds	$SECS"
	echo "ecmp_rate	$ECMP_RATE"
	echo "scale	$SCALE"
	echo "modes	$MODES"
	echo "workloads	$WORKLOADS"
	echo "groups	$GROUPS_RUN"
	echo "cpus	$(nproc)"
	echo "iperf3	$(iperf3 --version | head -n 1)"
	echo "sockperf	$(sockperf --version 2>&1 | grep -o 'version [^ ]*' | head -n 1)"
} > "$stage/meta.tsv"
: > "$stage/index.tsv"

remote_cfgs=()
if has_group remote; then
	underlay_pair A B
	tunnels A B all
	start_servers B
	remote_cfgs=(plain vxlan vw-vxlan vw vw-rate vw-nocache)
fi
if has_group scale && [ "$SCALE" -gt 0 ]; then
	underlay_pair C D
	tunnels C D vw
	t0=$(date +%s.%N)
	idle_connectors C "$SCALE" 192.0.2.2
	idle_connectors D "$SCALE" 192.0.2.1
	t1=$(date +%s.%N)
	t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	echo "scale_setup_seconds	$t" >> "$stage/meta.tsv"
	log "$((2 * SCALE)) idle connectors in $t s"
	start_servers D
	# The scale group measures vw and vw-vxlan of A and B too.
	has_group remote || die "the scale group needs the remote group"
else
	GROUPS_RUN=${GROUPS_RUN/scale/}
fi
if has_group local; then
	setup_local
	start_servers V2
fi
if has_group ecmp; then
	setup_ecmp
	start_servers F
fi
sleep 1
for mode in $MODES; do
	underlay_mode "$mode"
	for cfg in "${remote_cfgs[@]}"; do
		warm "$cfg"
	done
	if has_group scale; then
		warm vw@N
		warm vw-vxlan@N
	fi
done
if has_group local; then
	warm vw-local
	warm veth
fi
if has_group ecmp; then
	warm vxlan-ecmp
	warm vw-ecmp
fi
# What was measured, for the record (vxlan's udpcsum default, say).
for h in A B V1 H E; do
	[ -e "/run/netns/$(ns $h)" ] || continue
	on "$h" ip -d link show > "$stage/links-$h.txt" 2>&1 || true
done
log "setup done in $(($(date +%s) - t_start)) s; $ROUNDS rounds of ${SECS} s measurements"

# --------------------------------------------------------------- rounds --

for ((r = 0; r < ROUNDS; r++)); do
	t0=$(date +%s)
	# The underlay mode order alternates too.
	# shellcheck disable=SC2086 # a list
	for mode in $(rotate "$r" $MODES); do
		has_group remote || break
		underlay_mode "$mode"
		run_group "$r" "$mode" remote "${remote_cfgs[@]}"
		if has_group scale && [ "$mode" = "${MODES%% *}" ]; then
			run_scale "$r" "$mode"
		fi
	done
	has_group local && run_group "$r" host local vw-local veth
	has_group ecmp && run_ecmp "$r"
	sync_out
	log "round $((r + 1))/$ROUNDS done in $(($(date +%s) - t0)) s"
done

# ------------------------------------------------------------- profiles --

# cpu-clock profiles of the whole guest while one configuration runs: what
# the datapath spends its time on (software event; TCG has no PMU to speak
# of).  Not part of the figures.
if [ "$PERF" = 1 ] && command -v perf > /dev/null; then
	mkdir -p "$stage/perf"
	underlay_mode "${MODES%% *}"
	cfgs=
	has_group remote && cfgs+="plain vxlan vw-vxlan vw vw-rate vw-nocache "
	has_group local && cfgs+="veth vw-local"
	for wl in tcp1 pps; do
		for cfg in $cfgs; do
			f=$stage/perf/$wl-$cfg
			log "profiling $wl over $cfg"
			tool_cmd "$cfg" "$wl"
			perf record -q -a -e cpu-clock -F 999 -o "$f.data" \
				-- "${CMD[@]}" > "$f.tool" 2>&1 || true
			perf report -i "$f.data" --stdio --no-children \
				--sort sym --percent-limit 0.3 -g none \
				> "$f.txt" 2> /dev/null || true
			perf report -i "$f.data" --stdio --no-children \
				--sort dso --percent-limit 0.5 -g none \
				> "$f.dso.txt" 2> /dev/null || true
			# The tunnels' own functions, however small.
			perf report -i "$f.data" --stdio --no-children \
				--sort sym -g none 2> /dev/null |
				grep -E '\] (vw_|vxlan_|udp_tunnel|iptunnel|veth_|dev_forward_skb|__dev_forward_skb|gro_cells)' \
				> "$f.datapath.txt" || true
			rm -f "$f.data"
		done
	done
fi

echo "elapsed	$(($(date +%s) - t_start))" >> "$stage/meta.tsv"
log "done in $(($(date +%s) - t_start)) s"
