#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the tests of vwd, the endpoint controller
# (Documentation/controller.rst): a 3-member etcd cluster and one vwd per
# host namespace.  Sourced after lib.sh, once topo_create has made the
# switch namespace.
#
# The etcd cluster lives in the switch namespace, on three more addresses
# of br0 (192.0.2.201-203), so every host reaches it over its underlay
# eth0 as a real hypervisor reaches its etcd: killing members cuts the
# directory off without touching the hosts' links.  Its data is in
# $VW_TMP, a tmpfs in the test VM.  The members and the vwds are
# processes of the test's namespaces: topo_destroy kills them.

ETCD_CLUSTER=$SELFTESTS_DIR/../scripts/etcd-cluster.sh
ETCD_DIR=$VW_TMP/etcd
ETCD_ADDRS=(192.0.2.201 192.0.2.202 192.0.2.203)
# An emulated CPU shared by three members, vwds and the datapath: a
# heartbeat missed under load must not start an election.
export ETCD_OPTS="--heartbeat-interval 250 --election-timeout 2500"
export ETCD_WAIT=90
ETCD_EP=
# The lease TTL every vwd gets: short, for the lease expiry case, but
# several keepalives (every TTL/3) long.
VWD_TTL=${VWD_TTL:-6}
declare -A VWD_PID
# The directory's prefix: a test may give each round its own.
VWD_PREFIX=/virtualwire
# The underlay family vwd wires with: a host's first address is of it.
VWD_FAMILY=4

# vwd_require: skip the whole test without vwd or etcd.
vwd_require()
{
	command -v vwd >/dev/null || ktap_skip_all "vwd not built (make -C userspace)"
	[ -x /usr/bin/etcd ] || ktap_skip_all "etcd not installed (etcd-server)"
	[ -x /usr/bin/etcdctl ] || ktap_skip_all "etcdctl not installed (etcd-client)"
	[ -x "$ETCD_CLUSTER" ] || ktap_skip_all "$ETCD_CLUSTER not found"
}

in_sw()
{
	ip netns exec "$(ns_of sw)" "$@"
}

# A member whose peers are gone can take long to end on SIGTERM (it
# tries to hand its leadership over): SIGKILL them all on the way out.
etcd_cleanup()
{
	local i

	for i in 1 2 3; do
		"$ETCD_CLUSTER" kill "$ETCD_DIR" "$i" 2>/dev/null
	done
	return 0
}

# etcd_start: the cluster on br0 of the switch namespace, healthy.
etcd_start()
{
	local a

	VW_CLEANUP+=(etcd_cleanup)

	for a in "${ETCD_ADDRS[@]}"; do
		ip -n "$(ns_of sw)" addr add "$a/24" dev br0 || return 1
	done
	in_sw "$ETCD_CLUSTER" start "$ETCD_DIR" "${ETCD_ADDRS[@]}" || return 1
	ETCD_EP=$("$ETCD_CLUSTER" endpoints "$ETCD_DIR")
}

# etcd_kill N / etcd_restart N: a member crashes, comes back on its data.
etcd_kill()
{
	"$ETCD_CLUSTER" kill "$ETCD_DIR" "$1"
}

etcd_restart()
{
	in_sw "$ETCD_CLUSTER" restart "$ETCD_DIR" "$1"
}

etcdctl_()
{
	in_sw etcdctl --endpoints="$ETCD_EP" --command-timeout=5s "$@"
}

# etcd_keys PREFIX: the keys under PREFIX, one a line.
etcd_keys()
{
	etcdctl_ get --prefix --keys-only "$1" | sed '/^$/d'
}

# etcd_value KEY: its value (a line of JSON), nothing when absent.
etcd_value()
{
	etcdctl_ get --print-value-only "$1"
}

has_key()
{
	[ -n "$(etcd_value "$1")" ]
}

# vwd_start HOST [vwd flags...]: vwd in HOST (addresses of VWD_FAMILY
# first, directory prefix VWD_PREFIX), its log in $VW_TMP/vwd-HOST.log
# (appended to across restarts), its registrations in
# $VW_TMP/vwd-HOST.state (one file per prefix); returns once it says it is
# connected to the directory.
vwd_start()
{
	local h=$1 addrs
	shift

	addrs=$(addr4 "$h"),$(addr6 "$h")
	[ "$VWD_FAMILY" != 6 ] || addrs=$(addr6 "$h"),$(addr4 "$h")
	echo "--- vwd started $(date +%T.%N)" >> "$VW_TMP/vwd-$h.log"
	# Not through in_host: a function run in the background is a subshell,
	# and $! must be vwd's own pid (ip netns exec execs it).
	ip netns exec "$(ns_of "$h")" vwd --host "$h" --addr "$addrs" --etcd "$ETCD_EP" \
		--ttl "$VWD_TTL" --prefix "$VWD_PREFIX" \
		--state "$VW_TMP/vwd-$h$(tr / - <<< "$VWD_PREFIX").state" -v "$@" \
		>> "$VW_TMP/vwd-$h.log" 2>&1 < /dev/null &
	VWD_PID[$h]=$!
	vwd_wait "$h" 30
}

# vwd_wait HOST SECONDS: until HOST's vwd answers and is connected.
vwd_wait()
{
	poll "$2" dir_test "$1" "j['directory']['connected'] is True" ||
		{ vwd_log_tail "$1"; return 1; }
}

# vwd_stop HOST [SIGNAL]: SIGTERM (or SIGNAL) to HOST's vwd, and wait.
vwd_stop()
{
	local pid=${VWD_PID[$1]:-}

	[ -n "$pid" ] || return 0
	kill -"${2:-TERM}" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
	VWD_PID[$1]=
	return 0
}

vwd_log_tail()
{
	echo "vwd $1's log:"
	tail -n 20 "$VW_TMP/vwd-$1.log"
}

# dir_test HOST EXPR [ID]: EXPR over "vwctl directory [ID] --json" in HOST
# (c is the first connector there).
dir_test()
{
	local h=$1 expr=$2
	shift 2
	in_host "$h" vwctl directory "$@" --json | json_test "$expr"
}

# ---------------------------------------------------------- the kernel ---

# mon_start HOST [ARGS...]: "vwctl monitor -t" (or with ARGS) in HOST,
# into $VW_TMP/mon-HOST, for the whole test: what the kernel saw change,
# whoever changed it.
mon_start()
{
	local h=$1
	shift

	[ $# -gt 0 ] || set -- -t
	ip netns exec "$(ns_of "$h")" vwctl monitor "$@" > "$VW_TMP/mon-$h" 2>&1 < /dev/null &
	# monitor subscribes before it reads: give it a moment.
	sleep 0.5
}

# mon_mark HOST: the number of events HOST's monitor printed so far.
mon_mark()
{
	wc -l < "$VW_TMP/mon-$1"
}

# mon_quiet HOST MARK ID...: no event about those connectors since MARK
# (prints them when there are).
mon_quiet()
{
	local h=$1 mark=$2 ids out
	shift 2

	ids=$(IFS='|'; echo "$*")
	out=$(tail -n +"$((mark + 1))" "$VW_TMP/mon-$h" |
		grep -E " (new|changed|removed) ($ids) ") || return 0
	echo "kernel events in $h:"
	printf '%s\n' "$out"
	return 1
}

# log_mark HOST / log_cmds HOST MARK: the lines of HOST's vwd log since
# MARK that name a command it ran (vwctl, or ip for an unbound device).
log_mark()
{
	wc -l < "$VW_TMP/vwd-$1.log"
}

log_cmds()
{
	tail -n +"$(($2 + 1))" "$VW_TMP/vwd-$1.log" |
		grep -E ': (vwctl (add|replace|set|del)|ip link (add|del)) '
}

# log_no_cmds HOST MARK [ID...]: vwd ran no command (about those IDs)
# since MARK.
log_no_cmds()
{
	local h=$1 mark=$2 out ids
	shift 2

	out=$(log_cmds "$h" "$mark")
	if [ $# -gt 0 ]; then
		ids=$(IFS='|'; echo "$*")
		out=$(grep -E "^vwd: ($ids) " <<< "$out")
	fi
	[ -z "$out" ] && return 0
	echo "vwd $h ran:"
	printf '%s\n' "$out"
	return 1
}

# mon_epoch TIME: a monitor -t time stamp in seconds since the epoch.
mon_epoch()
{
	python3 -c '
import datetime, sys
print("%.6f" % datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%S.%f%z").timestamp())' "$1"
}
