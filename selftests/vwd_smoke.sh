#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vwd with the real vwctl and module: two hosts, a one-member etcd in the
# switch namespace, one vwd per host.  vwctl connect on both hosts makes a
# working UDP wire; both ends on one host make a local wire; a vwd
# restart runs no command and the wire keeps carrying pings; disconnect
# deletes the end.  (selftests/controller.sh covers the failures, the
# migration and scale.)

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

require_env
for tool in etcd vwd; do
	command -v "$tool" >/dev/null || ktap_skip_all "$tool not found"
done

ktap_header
ktap_plan 8

topo_create A B
sw=$(ns_of sw)
ip -n "$sw" addr add 192.0.2.254/24 dev br0
url=http://192.0.2.254:2379
ip netns exec "$sw" etcd --name smoke --data-dir "$VW_TMP/etcd" \
	--listen-client-urls "$url" --advertise-client-urls "$url" \
	--listen-peer-urls http://127.0.0.1:2380 \
	--initial-advertise-peer-urls http://127.0.0.1:2380 \
	--initial-cluster smoke=http://127.0.0.1:2380 \
	> "$VW_TMP/etcd.log" 2>&1 &
poll 20 ip netns exec "$sw" etcdctl --endpoints "$url" endpoint health \
	> /dev/null

start_vwd()
{
	in_host "$1" vwd -c /dev/null --host "$1" --addr "$(addr4 "$1")" \
		--etcd "$url" --ttl 5 --state "$VW_TMP/$1.state" \
		>> "$VW_TMP/vwd-$1.log" 2>&1 &
	poll 10 directory_has "$1" '"connected":true'
}

directory_has()
{
	in_host "$1" vwctl directory --json | grep -q "$2"
}

# wired HOST ID: vwd says the end is wired and in step.
wired()
{
	poll 10 directory_has "$1" "\"id\":$2,\"dev\":\"vw0\",\"state\":\"wired\"" &&
	poll 10 directory_has "$1" '"in_step":true'
}

local_wire()
{
	vw_json_test A "c['wire'] == 'local' and c['peer'] == 'vwb'" dev vwa
}

# No vwctl or ip command in vwd's log since the line that says it started.
restart_quiet()
{
	! awk '/vwd: host A,/ { b = ""; next } { b = b $0 "\n" }
		END { printf "%s", b }' "$VW_TMP/vwd-A.log" |
		grep -E ': (vwctl|ip) '
}

not_there()
{
	! in_host B vwctl show dev vw0 > /dev/null 2>&1
}

start_vwd A
start_vwd B
in_host A vwctl connect 42 dev vw0
in_host B vwctl connect 42 dev vw0
check "connect 42 on A and B: vwd wires A" wired A 42
check "connect 42 on A and B: vwd wires B" wired B 42
inner_addrs A vw0
inner_addrs B vw0
check "ping A -> B over the wire vwd made" ping_wait_ok A "$(inner4 B)"

in_host A vwctl connect 7 dev vwa
in_host A vwctl connect 7 dev vwb
check "connect 7 twice on A: a local wire" poll 10 local_wire

kill "$(ip netns pids "$(ns_of A)" | while read -r p; do
	[ "$(cat "/proc/$p/comm")" = vwd ] && echo "$p"; done)"
sleep 1
start_vwd A
sleep 2
check "vwd restart on A runs no command" restart_quiet
check "the wire still carries pings" ping_ok A "$(inner4 B)"

check "disconnect 42 on B: exit 0" in_host B vwctl disconnect 42
check "disconnect 42 on B deletes vw0" not_there
sed 's/^/# A: /' "$VW_TMP/vwd-A.log"
sed 's/^/# B: /' "$VW_TMP/vwd-B.log"
ktap_finished
