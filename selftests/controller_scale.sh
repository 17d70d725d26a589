#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vwd at scale: HOSTS hosts (namespaces on one switch, each with its own
# vwd) and CONNS connectors, each with one end on each of two hosts, a
# 3-member etcd in the switch namespace (selftests/vwd_lib.sh).
#
# First every connector's first end is connected (it waits), then, all
# hosts at once, every second end.  The time from "vwctl connect" of the
# second end to the kernel's event of the wire on both ends (vwctl monitor
# -t in every host, one clock) is the connect-to-working time: its median,
# 99th percentile and maximum are printed as "# figure:" lines, with
# etcd's request rate meanwhile (gRPC calls handled by the three members,
# from their /metrics, which count what the JSON gateway forwards), and
# the proposals (writes) it committed.
#
# Sizes: 20 hosts and 2,000 connectors with VW_LONG=1 (the issue's scale);
# normal mode 8 hosts and 40 connectors (an emulated CPU runs every
# vwctl and ip that vwd and the test start, several per connector, and
# every vwd, etcd member and monitor: a few minutes); short mode 4 and
# 20.  VW_SCALE_HOSTS and VW_SCALE_CONNS override the mode's sizes.  The
# output says which.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vwd_lib.sh
source "$SELFTESTS_DIR/vwd_lib.sh"

HOSTS=${VW_SCALE_HOSTS:-$(by_mode 4 8 20)}
CONNS=${VW_SCALE_CONNS:-$(by_mode 20 40 2000)}
# How long the wires may take to come up, all of them: two minutes and a
# second per connector.
WAIT_S=$((120 + CONNS))
# A TTL that survives a loaded guest: the lease is not under test here.
VWD_TTL=20
BASE=1000

# The hosts of connector I (1-based): A(I) and B(I), never the same,
# spread over every pair.  host_of END I sets REPLY (no subshell: it runs
# for every connector on every host).
host_of()
{
	if [ "$1" = a ]; then
		REPLY=h$(($2 % HOSTS + 1))
	else
		REPLY=h$((($2 % HOSTS + 1 + ($2 / HOSTS) % (HOSTS - 1)) % HOSTS + 1))
	fi
}

host_a()
{
	host_of a "$1"
	echo "$REPLY"
}

host_b()
{
	host_of b "$1"
	echo "$REPLY"
}

setup()
{
	local k names=()

	for ((k = 1; k <= HOSTS; k++)); do
		names+=("h$k")
	done
	topo_create "${names[@]}" && etcd_start || return 1
	for ((k = 1; k <= HOSTS; k++)); do
		mon_start "h$k" && vwd_start "h$k" || return 1
	done
}

# connect_all END: every connector's end END (a or b), each host's
# connects in a loop of its own, the hosts at once.  The second ends'
# start times go to $VW_TMP/t0 ("ID SECONDS" lines).
connect_loop()
{
	local end=$1 me=$2 i ids=()

	for ((i = 1; i <= CONNS; i++)); do
		host_of "$end" "$i"
		[ "$REPLY" != "$me" ] || ids+=($((BASE + i)))
	done
	# One shell in the host's namespace for all of its connects: an "ip
	# netns exec" for each would cost the emulated CPU more than the
	# connect it times.
	# shellcheck disable=SC2016
	in_host "$me" bash -c '
		me=$1 end=$2 tmp=$3
		shift 3
		for id; do
			[ "$end" = a ] || echo "$id $EPOCHREALTIME" >> "$tmp/t0.$me"
			# A client that gave up waiting asks again: connect
			# is idempotent, and vwd may still be busy with it.
			# After three waits it goes on: vwd has the request,
			# and the checks after this one see whether it made
			# the end.  Anything else is a refusal.
			for try in 1 2 3 0; do
				out=$(vwctl connect "$id" dev "vw$id" 2>&1) && break
				if [[ $out != *"talking to vwd"* ]]; then
					echo "$me: connect $id failed: $out" >> "$tmp/failed"
					break
				fi
				[ "$try" != 0 ] || {
					echo "$me: connect $id: $out" >> "$tmp/gaveup"
					break
				}
				echo "$me: connect $id: $out" >> "$tmp/retried"
			done
		done' _ "$me" "$end" "$VW_TMP" "${ids[@]}"
}

# The figure of the clients that waited too long for a busy vwd.
client_waits()
{
	local r=0 g=0

	[ ! -s "$VW_TMP/retried" ] || r=$(wc -l < "$VW_TMP/retried")
	[ ! -s "$VW_TMP/gaveup" ] || g=$(wc -l < "$VW_TMP/gaveup")
	[ "$r$g" = 00 ] ||
		ktap_info "figure: $1: $r connects asked again after vwctl's 30 s wait for vwd, $g clients gave up after three"
}

connect_all()
{
	local k pids=()

	rm -f "$VW_TMP/failed" "$VW_TMP/retried" "$VW_TMP/gaveup"
	for ((k = 1; k <= HOSTS; k++)); do
		connect_loop "$1" "h$k" &
		pids+=($!)
	done
	wait "${pids[@]}"
	[ ! -s "$VW_TMP/retried" ] ||
		echo "# $(wc -l < "$VW_TMP/retried") connects asked again after the client's wait for vwd ran out"
	[ ! -s "$VW_TMP/gaveup" ] ||
		echo "# $(wc -l < "$VW_TMP/gaveup") clients gave up after three waits, leaving the request to vwd"
	if [ -s "$VW_TMP/failed" ]; then
		head -n 20 "$VW_TMP/failed"
		echo "what the vwds said about it:"
		grep -hE 'refused|unreachable|too fast|cannot|failed' \
			"$VW_TMP"/vwd-h*.log | head -n 20
		return 1
	fi
}

# Every connector's first end waits: as many waiting ends as connectors.
all_waiting()
{
	local k n=0 w

	for ((k = 1; k <= HOSTS; k++)); do
		w=$(in_host "h$k" vwctl directory --json |
			json_eval "len([x for x in j['connectors'] if x['state'] == 'waiting'])") ||
			return 1
		n=$((n + w))
	done
	echo "waiting ends: $n of $CONNS"
	[ "$n" = "$CONNS" ]
}

# times: from the t0 files and every host's monitor, per connector the
# time from the second connect to the later of its two ends' wire events
# (the first event naming the ID with a remote).  Prints "done median p99
# max" (milliseconds); with -v, the connectors not done.
times()
{
	cat "$VW_TMP"/t0.* | python3 -c '
import datetime, glob, re, sys
t0 = {}
for line in sys.stdin:
    i, t = line.split()
    t0[int(i)] = float(t)
ev = {}
pat = re.compile(r"^(\S+) (new|changed) (\d+) dev \S+ remote ")
for f in glob.glob(sys.argv[1] + "/mon-h*"):
    host = f.rsplit("-", 1)[1]
    for line in open(f):
        m = pat.match(line)
        if not m:
            continue
        key = (int(m.group(3)), host)
        if key not in ev:
            ev[key] = datetime.datetime.strptime(m.group(1),
                "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
per = {}
for (i, h), t in ev.items():
    per.setdefault(i, []).append(t)
done = sorted((max(ts) - t0[i]) * 1000 for i, ts in per.items()
              if i in t0 and len(ts) == 2)
missing = sorted(set(t0) - set(i for i, ts in per.items() if len(ts) == 2))
if len(sys.argv) > 2:
    print("not wired:", missing[:20])
if not done:
    print("0 - - -")
    sys.exit(0)
p = lambda q: done[min(len(done) - 1, int(q * len(done)))]
print("%d %.0f %.0f %.0f" % (len(done), p(0.5), p(0.99), done[-1]))
' "$VW_TMP" "$@"
}

# all_done SECONDS: until every connector is wired, at most SECONDS (the
# monitors' files are read every 2 s: a python each time); fails at once
# when the connectors whose connects succeeded are wired but some failed.
all_done()
{
	local end=$((SECONDS + $1)) n want=$CONNS

	# A connect that failed (the check before says so) makes no wire.
	[ ! -s "$VW_TMP/failed" ] ||
		want=$((CONNS - $(grep -c '^h[0-9]*: connect ' "$VW_TMP/failed")))
	while :; do
		n=$(times | cut -d' ' -f1)
		[ "$n" -lt "$want" ] || { [ "$want" = "$CONNS" ]; return; }
		if [ "$SECONDS" -ge "$end" ]; then
			times -v
			return 1
		fi
		sleep 2
	done
}

# The kernel agrees: every endpoint of every host is a UDP wire to the
# host its connector's other end is on.
kernel_ok()
{
	local k i want=

	for ((i = 1; i <= CONNS; i++)); do
		want+="$((BASE + i)) $(host_a "$i") $(addr4 "$(host_b "$i")")
$((BASE + i)) $(host_b "$i") $(addr4 "$(host_a "$i")")
"
	done
	for ((k = 1; k <= HOSTS; k++)); do
		in_host "h$k" vwctl show --json | json_eval "'\\n'.join(
			'%s h$k %s' % (x['id'], x['remote']) for x in j['connectors']
			if x['wire'] == 'udp')"
	done | sed '/^$/d' | sort > "$VW_TMP/got"
	sort <<< "${want%$'\n'}" > "$VW_TMP/want"
	diff "$VW_TMP/want" "$VW_TMP/got" | head -n 20
	cmp -s "$VW_TMP/want" "$VW_TMP/got"
}

# A sample wire carries a ping: the first connector.
sample_ping()
{
	local a b

	a=$(host_a 1)
	b=$(host_b 1)
	inner_addrs "$a" "vw$((BASE + 1))" &&
	inner_addrs "$b" "vw$((BASE + 1))" &&
	ping_wait_ok "$a" "$(inner4 "$b")"
}

wires_ok()
{
	kernel_ok && sample_ping
}

# etcd's counters, summed over the members: "GRPC PROPOSALS".
etcd_counters()
{
	local a

	for a in "${ETCD_ADDRS[@]}"; do
		echo "http://$a:2379/metrics"
	done | in_sw python3 -c '
import sys, urllib.request
grpc = prop = 0
for url in sys.stdin.read().split():
    for line in urllib.request.urlopen(url, timeout=10).read().decode().splitlines():
        if line.startswith("grpc_server_handled_total{"):
            grpc += float(line.split()[-1])
        elif line.startswith("etcd_server_proposals_committed_total "):
            prop = max(prop, float(line.split()[-1]))
print("%d %d" % (grpc, prop))'
}

# ---------------------------------------------------------------- main --

ktap_header
require_env
vwd_require
ktap_plan 6

ktap_info "size: $HOSTS hosts, $CONNS connectors$( [ "$CONNS" -ge 2000 ] ||
	echo " (reduced for an emulated CPU: VW_LONG=1 runs 20 hosts and 2,000 connectors)")"
if setup > "$VW_TMP/setup.out" 2>&1; then
	ktap_pass "etcd, $HOSTS hosts, a vwd and a monitor in each"
else
	ktap_fail "etcd, $HOSTS hosts, a vwd and a monitor in each"
	sed 's/^/#   /' "$VW_TMP/setup.out"
	ktap_finished
fi

t=$SECONDS
check "$CONNS first ends connected, each host at once" connect_all a
ktap_info "figure: $CONNS first ends connected in $((SECONDS - t)) s"
client_waits "first ends"
check "every first end waits" poll "$WAIT_S" all_waiting

read -r g0 p0 < <(etcd_counters) || true
t0=$(date +%s%N)
check "$CONNS second ends connected, each host at once" connect_all b
client_waits "second ends"
check "every connector wired on both ends (monitor)" all_done "$WAIT_S"
t1=$(date +%s%N)
read -r g1 p1 < <(etcd_counters) || true
check "the kernels agree: each end a UDP wire to the other end's host" \
	wires_ok

read -r n med p99 max < <(times)
ktap_info "figure: connect to working wire, $HOSTS hosts, $CONNS connectors:" \
	"median $med ms, p99 $p99 ms, max $max ms ($n wired)"
secs=$(awk "BEGIN { print ($t1 - $t0) / 1e9 }")
ktap_info "figure: second ends: $CONNS connects to all wired in $secs s"
if [ -n "${g0:-}" ] && [ -n "${g1:-}" ]; then
	ktap_info "figure: etcd meanwhile: $(awk "BEGIN { printf \"%.0f gRPC requests/s, %.0f proposals/s\", ($g1 - $g0) / $secs, ($p1 - $p0) / $secs }")" \
		"(3 members, $((g1 - g0)) requests, $((p1 - p0)) proposals in ${secs} s)"
fi

ktap_finished
