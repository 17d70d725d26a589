#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A throwaway 3-member etcd cluster for the tests of vwd (the endpoint
# controller, Documentation/controller.rst): Debian's /usr/bin/etcd.
#
#   etcd-cluster.sh start DIR ADDR1 ADDR2 ADDR3 [CLIENT_PORT PEER_PORT]
#       members m1, m2, m3 on the three addresses (IPv4 or IPv6; ports
#       2379 and 2380 by default), their data in DIR/mN (put DIR on a
#       tmpfs: etcd syncs every write), logs in DIR/mN.log, pids in
#       DIR/mN.pid; returns once every member says it is healthy
#   etcd-cluster.sh stop DIR          stop every member (SIGTERM, then KILL)
#   etcd-cluster.sh kill DIR N        SIGKILL member N (a crash)
#   etcd-cluster.sh restart DIR N     start member N again on its data;
#                                     returns once it is healthy (which
#                                     needs a quorum: restart the second
#                                     of two killed members first, or the
#                                     wait times out)
#   etcd-cluster.sh endpoints DIR     the client URLs, comma-separated
#   etcd-cluster.sh wait DIR          until every running member is healthy
#
# The members run in the network namespace the script runs in (a test
# wraps it in "ip netns exec"; restart must run in the same one).  Nothing
# is started on the default addresses, so a system etcd does not clash.
#
# Environment: ETCD (default /usr/bin/etcd), ETCDCTL (default
# /usr/bin/etcdctl), ETCD_WAIT (seconds to wait for health, default 60),
# ETCD_OPTS (more etcd flags, e.g. a longer --election-timeout on a slow
# emulated CPU).  Exit 0 on success, 1 on failure (with a message), 2 on
# bad usage.

set -uo pipefail

ETCD=${ETCD:-/usr/bin/etcd}
ETCDCTL=${ETCDCTL:-/usr/bin/etcdctl}
ETCD_WAIT=${ETCD_WAIT:-60}
NAMES=(m1 m2 m3)

usage()
{
	sed -n '6,20s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

die()
{
	echo "etcd-cluster: $*" >&2
	exit 1
}

# url ADDR PORT: an http URL, IPv6 addresses in brackets.
url()
{
	case $1 in
	*:*) echo "http://[$1]:$2" ;;
	*) echo "http://$1:$2" ;;
	esac
}

# The cluster's shape, written by start, read by the other commands:
# DIR/cluster holds ADDRS=(...), CPORT=, PPORT=.
load()
{
	[ -r "$DIR/cluster" ] || die "$DIR: no cluster was started there"
	# shellcheck source=/dev/null
	. "$DIR/cluster"
}

endpoints()
{
	local i out=

	for i in 0 1 2; do
		out+=${out:+,}$(url "${ADDRS[$i]}" "$CPORT")
	done
	echo "$out"
}

pid_of()
{
	cat "$DIR/${NAMES[$1]}.pid" 2>/dev/null
}

running()
{
	local pid

	pid=$(pid_of "$1") && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# member I STATE: start member I (0-2) in the background.  The initial
# cluster flags only matter for an empty data directory; a member that
# restarts on its data finds the cluster there.
member()
{
	local i=$1 state=$2 n=${NAMES[$1]} a=${ADDRS[$1]} j cluster=

	for j in 0 1 2; do
		cluster+=${cluster:+,}${NAMES[$j]}=$(url "${ADDRS[$j]}" "$PPORT")
	done
	# shellcheck disable=SC2086
	"$ETCD" --name "$n" --data-dir "$DIR/$n" \
		--listen-client-urls "$(url "$a" "$CPORT")" \
		--advertise-client-urls "$(url "$a" "$CPORT")" \
		--listen-peer-urls "$(url "$a" "$PPORT")" \
		--initial-advertise-peer-urls "$(url "$a" "$PPORT")" \
		--initial-cluster "$cluster" \
		--initial-cluster-state "$state" \
		--initial-cluster-token "vw-$(basename "$DIR")" \
		${ETCD_OPTS:-} >> "$DIR/$n.log" 2>&1 &
	echo $! > "$DIR/$n.pid"
}

# healthy URLS: etcdctl says every one of them is healthy (a member is
# healthy once it can serve a quorum read).
healthy()
{
	"$ETCDCTL" --endpoints="$1" --dial-timeout=2s --command-timeout=3s \
		endpoint health >/dev/null 2>&1
}

# wait_healthy URLS: until healthy, at most ETCD_WAIT seconds; the members'
# logs' tails on failure.
wait_healthy()
{
	local end=$((SECONDS + ETCD_WAIT)) i

	until healthy "$1"; do
		if [ $SECONDS -ge $end ]; then
			for i in 0 1 2; do
				echo "--- ${NAMES[$i]}: $(running "$i" && echo running || echo not running)" >&2
				tail -n 5 "$DIR/${NAMES[$i]}.log" >&2 2>/dev/null
			done
			die "$1 not healthy within ${ETCD_WAIT}s"
		fi
		sleep 0.3
	done
}

# stop_member I SIGNAL: signal member I and wait until it is gone (KILL
# after 10 s).
stop_member()
{
	local pid n=0

	pid=$(pid_of "$1") || return 0
	if [ -n "$pid" ] && kill -"$2" "$pid" 2>/dev/null; then
		while kill -0 "$pid" 2>/dev/null; do
			n=$((n + 1))
			[ $n -ne 100 ] || kill -KILL "$pid" 2>/dev/null
			sleep 0.1
		done
	fi
	rm -f "$DIR/${NAMES[$1]}.pid"
}

member_index()
{
	case $1 in
	1|2|3) echo $(($1 - 1)) ;;
	*) die "member '$1': want 1, 2 or 3" ;;
	esac
}

[ $# -ge 2 ] || usage
cmd=$1
DIR=$2
shift 2

case $cmd in
start)
	[ $# = 3 ] || [ $# = 5 ] || usage
	ADDRS=("$1" "$2" "$3")
	CPORT=${4:-2379}
	PPORT=${5:-2380}
	[ -x "$ETCD" ] || die "$ETCD not found (apt-get install etcd-server)"
	[ -x "$ETCDCTL" ] || die "$ETCDCTL not found (apt-get install etcd-client)"
	mkdir -p "$DIR" || die "cannot make $DIR"
	for i in 0 1 2; do
		running "$i" && die "$DIR: ${NAMES[$i]} is running already (stop it first)"
		rm -rf "${DIR:?}/${NAMES[$i]}" "$DIR/${NAMES[$i]}.log"
	done
	printf 'ADDRS=(%q %q %q)\nCPORT=%q\nPPORT=%q\n' "${ADDRS[@]}" \
		"$CPORT" "$PPORT" > "$DIR/cluster"
	for i in 0 1 2; do
		member "$i" new
	done
	wait_healthy "$(endpoints)" || exit 1
	;;
stop)
	[ $# = 0 ] || usage
	load
	for i in 0 1 2; do
		stop_member "$i" TERM
	done
	;;
kill)
	[ $# = 1 ] || usage
	load
	i=$(member_index "$1") || exit 2
	running "$i" || die "member $1 is not running"
	stop_member "$i" KILL
	;;
restart)
	[ $# = 1 ] || usage
	load
	i=$(member_index "$1") || exit 2
	running "$i" && die "member $1 is running already"
	member "$i" existing
	wait_healthy "$(url "${ADDRS[$i]}" "$CPORT")" || exit 1
	;;
endpoints)
	[ $# = 0 ] || usage
	load
	endpoints
	;;
wait)
	[ $# = 0 ] || usage
	load
	urls=
	for i in 0 1 2; do
		running "$i" && urls+=${urls:+,}$(url "${ADDRS[$i]}" "$CPORT")
	done
	[ -n "$urls" ] || die "no member is running"
	wait_healthy "$urls" || exit 1
	;;
*)
	usage
	;;
esac
