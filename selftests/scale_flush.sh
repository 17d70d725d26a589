#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Many endpoints in one namespace, made and removed the way an operator
# would: N endpoints (16384; VW_SHORT=1: 1024; VW_LONG=1: 65536) created
# by one "vwctl -batch", traffic on three of them, "vwctl show --json" and
# /proc/net/virtualwire/connectors complete and consistent (the same N
# IDs), DEL_N of them deleted one at a time, the rest with one "vwctl
# flush", after which nothing is left.  The times (create, show, connectors,
# del one by one, flush, each also per endpoint) and the kernel memory per
# endpoint (/proc/meminfo deltas) are printed as KTAP diagnostics
# ("# figure: ..."); Documentation/performance.rst keeps a run of them.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

N=${VW_SCALE_N:-$(by_mode 1024 16384 65536)}
DEL_N=$(by_mode 64 256 256)
# The endpoints that carry traffic: the first, one in the middle, the last.
TRAFFIC="1 $((N / 2)) $N"

# figure TEXT: a measurement, printed as a KTAP diagnostic after the check
# that made it (check keeps a passing command's output to itself).
figure()
{
	echo "$*" >>"$VW_TMP/figures"
}

figures()
{
	[ -s "$VW_TMP/figures" ] || return 0
	sed 's/^/# figure: /' "$VW_TMP/figures"
	: >"$VW_TMP/figures"
}

# fcheck DESC CMD...: check, then the figures it made.
fcheck()
{
	check "$@"
	figures
}

# now: seconds since the epoch, microseconds.
now()
{
	echo "$EPOCHREALTIME"
}

# elapsed T0: seconds since T0, 3 decimals.
elapsed()
{
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'
}

# per MS COUNT: milliseconds per item.
per()
{
	awk -v s="$1" -v n="$2" 'BEGIN { printf "%.3f", s * 1000 / n }'
}

# meminfo: "Slab Percpu VmallocUsed MemUsed" in kB, MemUsed being
# MemTotal - MemAvailable.
meminfo()
{
	awk '/^Slab:/ { s = $2 } /^Percpu:/ { p = $2 }
	     /^VmallocUsed:/ { v = $2 } /^MemTotal:/ { t = $2 }
	     /^MemAvailable:/ { a = $2 }
	     END { print s, p, v, t - a }' /proc/meminfo
}

# mem_delta BEFORE AFTER COUNT: bytes per endpoint of each field.
mem_delta()
{
	awk -v b="$1" -v a="$2" -v n="$3" 'BEGIN {
		split(b, x, " "); split(a, y, " ")
		printf "slab %d B, percpu %d B, vmalloc %d B, slab+percpu %d B, all used memory %d B",
			(y[1] - x[1]) * 1024 / n, (y[2] - x[2]) * 1024 / n,
			(y[3] - x[3]) * 1024 / n,
			(y[1] + y[2] - x[1] - x[2]) * 1024 / n,
			(y[4] - x[4]) * 1024 / n }'
}

settle()
{
	# Freed devices and configs go after grace periods and work items.
	sleep 2
	echo 2 > /proc/sys/vm/drop_caches 2>/dev/null || true
}

create_all()
{
	local t0 s

	seq 1 "$N" | awk '{ print "add", $1, "dev w" $1, "remote 192.0.2.2" }' \
		>"$VW_TMP/add.batch"
	settle
	MEM0=$(meminfo)
	t0=$(now)
	in_host A vwctl -batch "$VW_TMP/add.batch" || return 1
	s=$(elapsed "$t0")
	settle
	MEM1=$(meminfo)
	figure "create $N endpoints (vwctl -batch): $s s, $(per "$s" "$N") ms each"
	figure "kernel memory per endpoint: $(mem_delta "$MEM0" "$MEM1" "$N")"
}

# Traffic: B holds the same IDs towards A; each pair gets a /24 of its own.
traffic()
{
	local i k=0

	for i in $TRAFFIC; do
		k=$((k + 1))
		in_host B vwctl add "$i" dev "w$i" remote 192.0.2.1 &&
		in_host A ip addr add "10.99.$k.1/24" dev "w$i" &&
		in_host B ip addr add "10.99.$k.2/24" dev "w$i" &&
		in_host A ip link set "w$i" up &&
		in_host B ip link set "w$i" up || return 1
	done
	k=0
	for i in $TRAFFIC; do
		k=$((k + 1))
		wait_ping A "10.99.$k.2" &&
		ping_ok A "10.99.$k.2" >/dev/null &&
		counter_ge 3 vw_counter A tx_packets "$i" &&
		counter_ge 3 vw_counter A rx_packets "$i" || return 1
	done
}

# ids_check FILE: the sorted IDs, one a line, are exactly 1..N.
ids_check()
{
	seq 1 "$N" >"$VW_TMP/want"
	sort -n "$1" | diff -q - "$VW_TMP/want" >/dev/null || {
		echo "$(wc -l <"$1") IDs in $1, want $N:"
		sort -n "$1" | diff - "$VW_TMP/want" | head -n 10
		return 1
	}
}

show_all()
{
	local t0 s

	t0=$(now)
	in_host A vwctl show --json >"$VW_TMP/show.json" || return 1
	s=$(elapsed "$t0")
	figure "vwctl show --json of $N endpoints: $s s ($(wc -c <"$VW_TMP/show.json") bytes)"
	python3 -S -c '
import json, sys
j = json.load(open(sys.argv[1]))
for c in j["connectors"]:
    print(c["id"])' "$VW_TMP/show.json" >"$VW_TMP/show.ids" &&
	ids_check "$VW_TMP/show.ids"
}

proc_all()
{
	local t0 s

	t0=$(now)
	in_host A cat /proc/net/virtualwire/connectors >"$VW_TMP/conn" || return 1
	s=$(elapsed "$t0")
	figure "connectors file of $N endpoints: $s s ($(wc -c <"$VW_TMP/conn") bytes)"
	head -n 1 "$VW_TMP/conn" | grep -q '^id ' &&
	tail -n +2 "$VW_TMP/conn" | awk '{ print $1 }' >"$VW_TMP/conn.ids" &&
	ids_check "$VW_TMP/conn.ids" &&
	# The same endpoints, by device too.
	diff <(tail -n +2 "$VW_TMP/conn" | awk '{ print $1, $2 }' | sort) \
	     <(seq 1 "$N" | awk '{ print $1, "w" $1 }' | sort) >/dev/null
}

del_some()
{
	local t0 s

	# IDs 2..DEL_N+1: none of them carries traffic.
	seq 2 $((DEL_N + 1)) | awk '{ print "del", $1 }' >"$VW_TMP/del.batch"
	t0=$(now)
	in_host A vwctl -batch "$VW_TMP/del.batch" || return 1
	s=$(elapsed "$t0")
	DEL_MS=$(per "$s" "$DEL_N")
	# check runs this in a subshell: the next check reads it from here.
	echo "$DEL_MS" >"$VW_TMP/del_ms"
	figure "del $DEL_N endpoints one at a time (vwctl -batch of del): $s s, $DEL_MS ms each"
}

flush_rest()
{
	local t0 s left=$((N - DEL_N)) DEL_MS

	DEL_MS=$(cat "$VW_TMP/del_ms" 2>/dev/null || echo 0)
	t0=$(now)
	in_host A vwctl flush || return 1
	s=$(elapsed "$t0")
	FLUSH_MS=$(per "$s" "$left")
	figure "flush $left endpoints (vwctl flush): $s s, $FLUSH_MS ms each; del one at a time: $DEL_MS ms each, $(awk -v d="$DEL_MS" -v f="$FLUSH_MS" 'BEGIN { printf "%.1f", (f > 0 ? d / f : 0) }')x faster"
}

nothing_left()
{
	local n

	n=$(in_host A vwctl show --json | json_eval "len(j['connectors'])") &&
	[ "$n" = 0 ] || { echo "show lists $n"; return 1; }
	n=$(in_host A cat /proc/net/virtualwire/connectors | wc -l)
	[ "$n" = 1 ] || { echo "connectors has $n lines"; return 1; }
	n=$(in_host A ip -o link show type virtualwire | wc -l)
	[ "$n" = 0 ] || { echo "$n virtualwire devices left"; return 1; }
	settle
	figure "memory left after the flush, per endpoint made: $(mem_delta "$MEM0" "$(meminfo)" "$N")"
}

ktap_header
require_env
ktap_plan 7
ktap_info "$N endpoints, $DEL_N deleted one at a time"

topo_create A B

fcheck "create $N endpoints with vwctl -batch" create_all
fcheck "traffic on endpoints $TRAFFIC" traffic
fcheck "vwctl show --json: the $N IDs, once each" show_all
fcheck "connectors file: the same $N IDs and devices" proc_all
fcheck "del $DEL_N one at a time" del_some
fcheck "flush the other $((N - DEL_N))" flush_rest
fcheck "nothing left: show, connectors, devices" nothing_left

ktap_finished
