#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP host test of vwd against a real etcd: three hosts a, b, c, each a
# network namespace (its own abstract control socket) with its own vwd,
# state file and fake vwctl (scripts/tests/fake-vwctl.py, which logs the
# commands vwd runs and answers show/monitor --json from a made-up kernel
# state).  The namespaces reach etcd over a bridge.  Covers: connect and
# disconnect run the right commands; a third active end is refused; the
# migration's decisions (standby with vm-mac, the peer accepting the new
# host with roam on, a roamed peer left alone, activation, txn,
# re-point, relay);
# one stalled keepalive is not an outage; fail static (etcd killed:
# nothing run; back: nothing run for right wires); a vwd restart runs
# nothing; a host whose lease expires is seen as gone and its far ends
# keep their config.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../.." && pwd -P)
# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

vwd=$top/userspace/vwd
vwctl=$top/userspace/vwctl
fake=$here/fake-vwctl.py
# VWD_TEST_SLOT=N (0-9): its own namespaces, bridge, subnet and etcd
# ports, for two runs at once on one machine.
slot=${VWD_TEST_SLOT:-}
case $slot in
''|[0-9]) ;;
*) echo "VWD_TEST_SLOT: 0-9, not '$slot'" >&2; exit 2 ;;
esac
ns=vwdt$slot
br=${ns}br
net=10.$((77 + ${slot:-0} * 2)).0
etcd_url=http://$net.1:$((23791 + ${slot:-0} * 10))
etcd_peer=http://127.0.2.1:$((23801 + ${slot:-0} * 10))
tmp=

echo "TAP version 13"
why=
if [ "$(id -u)" != 0 ]; then
	why="needs root (network namespaces)"
elif ! command -v etcd > /dev/null; then
	why="no etcd binary (apt-get install etcd-server)"
elif ! command -v python3 > /dev/null; then
	why="no python3 for the fake vwctl"
elif [ ! -x "$vwd" ] || [ ! -x "$vwctl" ]; then
	why="vwd or vwctl not built (make -C userspace)"
elif ! ip netns add "$ns-probe" 2> /dev/null; then
	why="cannot make network namespaces here"
else
	ip netns del "$ns-probe"
fi
if [ -n "$why" ]; then
	echo "1..1"
	skip "vwd host test" "$why"
	ktap_totals
	exit 0
fi

tmp=$(mktemp -d /tmp/vwd-test.XXXXXX)
etcd_pid=
declare -A vwd_pid

cleanup() {
	local h

	for h in "${!vwd_pid[@]}"; do
		kill "${vwd_pid[$h]}" 2> /dev/null
	done
	[ -n "$etcd_pid" ] && kill "$etcd_pid" 2> /dev/null
	wait 2> /dev/null
	for h in a b c; do
		ip netns del "$ns-$h" 2> /dev/null
	done
	ip link del "$br" 2> /dev/null
	[ -n "${VWD_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

start_etcd() {
	etcd --name vwdt --data-dir "$tmp/etcd" \
		--listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
		--listen-peer-urls "$etcd_peer" \
		--initial-advertise-peer-urls "$etcd_peer" \
		--initial-cluster "vwdt=$etcd_peer" \
		> "$tmp/etcd.log" 2>&1 &
	etcd_pid=$!
	for _ in $(seq 50); do
		etcdctl --endpoints "$etcd_url" endpoint health > /dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# Host h: namespace $ns-h at $net.N, underlay address 192.0.2.N.
declare -A num=([a]=2 [b]=3 [c]=4)
setup_host() {
	local h=$1 n=${num[$1]}

	ip netns add "$ns-$h"
	ip link add "$ns-$h" type veth peer name eth0 netns "$ns-$h"
	ip link set "$ns-$h" master "$br" up
	ip -n "$ns-$h" addr add "$net.$n/24" dev eth0
	ip -n "$ns-$h" link set eth0 up
	ip -n "$ns-$h" link set lo up
	mkdir -p "$tmp/$h/bin"
	ln -sf "$fake" "$tmp/$h/bin/vwctl"
	ln -sf "$fake" "$tmp/$h/bin/ip"
	: > "$tmp/$h/log"
}

# vwd's log lines with the time they came, for the figures.
stamp() {
	local l

	while IFS= read -r l; do
		echo "$(date +%s.%N) $l"
	done
}

# start_vwd HOST [FLAG...]: the flags after the common ones win.
start_vwd() {
	local h=$1

	shift
	FAKE_DIR=$tmp/$h ip netns exec "$ns-$h" "$vwd" -c /dev/null \
		--host "$h" --addr "192.0.2.${num[$h]}" --etcd "$etcd_url" \
		--prefix /vwdt --ttl 3 --timeout 2 --state "$tmp/$h/state" \
		--vwctl "$tmp/$h/bin/vwctl" --ip "$tmp/$h/bin/ip" \
		-v "$@" 2> >(stamp >> "$tmp/$h/vwd.log") &
	vwd_pid[$h]=$!
	wait_for "vwd on $h connected" status_has "$h" '"connected":true'
}

# The vwctl of host h (the real one: it talks to h's vwd).
on() {
	local h=$1

	shift
	ip netns exec "$ns-$h" "$vwctl" "$@"
}

status_has() {
	on "$1" directory --json 2> /dev/null | grep -q "$2"
}

log_has() {
	grep -q -- "$2" "$tmp/$1/log"
}

# Poll for up to 10 s.
wait_for() {
	local what=$1

	shift
	for _ in $(seq 100); do
		"$@" && return 0
		sleep 0.1
	done
	echo "# timed out waiting: $what"
	return 1
}

no_key() {
	[ -z "$(etcdctl --endpoints "$etcd_url" get --keys-only "$1")" ]
}

lines() {
	wc -l < "$tmp/$1/log"
}

echo "1..32"
# Leftovers of a run that was killed.
for h in a b c; do
	ip netns del "$ns-$h" 2> /dev/null
	ip link del "$ns-$h" 2> /dev/null
done
ip link del "$br" 2> /dev/null
ip link add "$br" type bridge && ip link set "$br" up &&
	ip addr add "$net.1/24" dev "$br"
for h in a b c; do
	setup_host "$h"
done
start_etcd || { echo "# etcd did not start"; tail "$tmp/etcd.log"; }
for h in a b c; do
	# a and b: leases that outlive the stall below; c: one that
	# expires fast (29-30).
	if [ "$h" = c ]; then
		start_vwd c
	else
		start_vwd "$h" --ttl 10 --timeout 4
	fi
done

# 1-3: connect on a waits; connect on b makes a UDP wire both ways.
on a connect 42 > /dev/null
ok "connect 42 on a: no far end, waits (unbound device)" \
	"$(wait_for ip log_has a "ip link add vw0 type virtualwire" && echo yes)" yes
on b connect 42 > /dev/null
ok "connect 42 on b: UDP wire to a" \
	"$(wait_for b log_has b "vwctl replace 42 dev vw0 remote 192.0.2.2 format vxlan port 4789" && echo yes)" yes
ok "a re-points its waiting end at b" \
	"$(wait_for a log_has a "vwctl replace 42 dev vw0 remote 192.0.2.3 format vxlan port 4789" && echo yes)" yes

# 4-5: a third active end is refused, nothing run on c.
before=$(lines c)
err=$(on c connect 42 2>&1)
ok "connect 42 on c: refused, exit 1" "$?" 1
ok "the refusal names both ends" "$err" \
	"vwctl: connect: connector 42 already has two active ends: host a dev vw0, host b dev vw0"
# 6: ... and c ran nothing
ok "refused connect ran nothing on c" "$(lines c)" "$before"

# 7: both ends on one host: a local wire.
on a connect 7 dev vwa > /dev/null
on a connect 7 dev vwb > /dev/null
ok "connect 7 twice on a: a local wire" \
	"$(wait_for local log_has a "vwctl replace 7 dev v.. peer v.. format vxlan" && echo yes)" yes

# Bad requests: told in the operator's words, nothing run.
before=$(lines a)
err=$(on a connect 7 dev vwa 2>&1)
ok "the same connect again: done, nothing run" "$? $err $(lines a)" "0  $before"
err=$(on a connect 7 dev vwa format vw 2>&1)
ok "connect of a device connected otherwise: exit 3" "$? $err" \
	"3 vwctl: connect: dev vwa is already connected (connector 7, with other settings)"
err=$(on a connect 8 dev vwa 2>&1)
ok "connect of a device already connected: exit 3" "$? $err" \
	"3 vwctl: connect: dev vwa is already connected (connector 7)"
err=$(on a disconnect 99 2>&1)
ok "disconnect of a connector not here: exit 4, nothing run" "$? $err $(lines a)" \
	"4 vwctl: disconnect: connector 99 is not connected on this host $before"

# 8-9: status
st=$(on a directory 42 --json)
ok "directory --json: 42 on a is wired, far end host b, in step" \
	"$(echo "$st" | python3 -c 'import json,sys; c=json.load(sys.stdin)["connectors"][0]; print(c["state"], c["far"]["host"], c["far"]["addr"], c["in_step"])')" \
	"wired b 192.0.2.3 True"
ok "directory text: one line per connector" "$(on a directory 42 | tail -n +2)" \
	"42 vw0: wired, far end host b dev vw0 (192.0.2.3), kernel: udp remote 192.0.2.3 active, in step"

# 10-19: migration of vm V from b to c on connector 50; P on a.
on a connect 50 dev p50 vm P > /dev/null
on b connect 50 dev v50 vm V > /dev/null
wait_for "50 wired" log_has a "vwctl replace 50 dev p50 remote 192.0.2.3" > /dev/null
before=$(lines c)
err=$(on c connect 50 dev v50 vm V standby vm-mac 02:00:00:00:00:1 2>&1)
ok "connect with a bad vm-mac: exit 2, told why, nothing run" "$? $err $(lines c)" \
	"2 vwctl: invalid vm-mac '02:00:00:00:00:1': expected a MAC address, 52:54:00:12:34:56 $before"
on c connect 50 dev v50 vm V standby vm-mac 02:00:00:00:00:1A > /dev/null
ok "standby on c: sends to a, accepts b (the relay), the VM's MAC" \
	"$(wait_for standby log_has c "vwctl replace 50 dev v50 remote 192.0.2.2 format vxlan port 4789 standby accept 192.0.2.3 vm-mac 02:00:00:00:00:1a" && echo yes)" yes
ok "directory shows the vm-mac" "$(on c directory 50 | tail -n +2 | cut -d, -f1-2)" \
	"50 v50: standby, vm V vm-mac 02:00:00:00:00:1a"
ok "a accepts c before the move, roam on" \
	"$(wait_for accept log_has a "vwctl replace 50 dev p50 remote 192.0.2.3 format vxlan port 4789 accept 192.0.2.4 roam on" && echo yes)" yes
# The VM's first frame on c: a's kernel roams to c before any vwd acts.
before_a=$(lines a)
FAKE_DIR=$tmp/a "$fake" roam p50 192.0.2.4
sleep 1
# (a's log: one more line, the roam itself)
ok "a roamed to c: in step, nothing run (never put back to b)" \
	"$(lines a) $(on a directory 50 --json | python3 -c 'import json,sys; c=json.load(sys.stdin)["connectors"][0]; print(c["in_step"], c["far"]["host"])')" \
	"$((before_a + 1)) True b"
t0=$(date +%s.%N)
FAKE_DIR=$tmp/c "$fake" activate v50
ok "c: activation makes one txn" \
	"$(wait_for txn grep -q "50 v50: activated by the VM, replacing host b: directory txn" "$tmp/c/vwd.log" && echo yes)" yes
ok "a: remote c, without accept and roam, once the directory says so" \
	"$(wait_for repoint log_has a "vwctl replace 50 dev p50 remote 192.0.2.4 format vxlan port 4789$" && echo yes)" yes
t1=$(grep "replace 50 dev p50 remote 192.0.2.4 format vxlan port 4789$" "$tmp/a/log" | tail -1 | cut -d' ' -f1)
echo "# activation to the directory's re-point on a: $(python3 -c "print(round(($t1 - $t0) * 1000))") ms (fake vwctl, host test)"
ok "b relays to c" \
	"$(wait_for relay log_has b "vwctl set 50 dev v50 relay 192.0.2.4" && echo yes)" yes
ok "b's end is gone from the directory" \
	"$(etcdctl --endpoints "$etcd_url" get --keys-only /vwdt/v1/connectors/50/b/v50)" ""
on b disconnect 50 > /dev/null
ok "disconnect 50 on b deletes the relaying end" \
	"$(wait_for del log_has b "vwctl del dev v50 --if-exists" && echo yes)" yes

# 22-23: etcd stalls until a's keepalive (every 3.3 s, 4 s timeout) has
# failed once, then resumes: the keepalive tried 0.5 s later is answered
# (within its 4 s, a loaded machine too), and a's 10 s lease outlives
# the stall: one failure is not an outage.
mark=$(wc -l < "$tmp/a/vwd.log")
a_log_since_mark() {
	tail -n +$((mark + 1)) "$tmp/a/vwd.log" | grep -c -- "$1"
}
a_logged() {
	[ "$(a_log_since_mark "$1")" -ge 1 ]
}
kill -STOP "$etcd_pid"
wait_for "a's keepalive to fail" a_logged 'lease keepalive failed .*trying again'
kill -CONT "$etcd_pid"
wait_for "a's keepalive to answer again" a_logged 'lease keepalive answered again'
ok "etcd stalled once: a's keepalive failed and was tried again" \
	"$(a_log_since_mark 'lease keepalive failed .*trying again')/$(a_log_since_mark 'lease keepalive answered again')" 1/1
ok "etcd stalled once: a never called it unreachable" \
	"$(a_log_since_mark unreachable) $(status_has a '"connected":true' && echo connected)" "0 connected"

# 24-27: fail static: etcd gone, nothing run; back, nothing run.
before_a=$(lines a) before_b=$(lines b)
{
	kill -9 "$etcd_pid"
	wait "$etcd_pid"
} 2> /dev/null
etcd_pid=
ok "etcd killed: a says unreachable" \
	"$(wait_for unreachable status_has a '"connected":false' && echo yes)" yes
sleep 2
ok "etcd down: nothing run on a or b" "$(lines a) $(lines b)" "$before_a $before_b"
# A disconnect meanwhile is done on a, its key goes when etcd is back.
on a disconnect dev vwb 2> /dev/null
before_a=$(lines a)
start_etcd
wait_for "a back" status_has a '"connected":true' > /dev/null
wait_for "b back" status_has b '"connected":true' > /dev/null
sleep 1
ok "etcd back: reconcile runs nothing for right wires" \
	"$(lines a) $(lines b)" "$before_a $before_b"

ok "disconnected while etcd was away: its key is gone once it is back" \
	"$(wait_for stale no_key /vwdt/v1/connectors/7/a/vwb && echo yes)" yes

# 28: a vwd restart runs nothing.
kill "${vwd_pid[a]}"
wait "${vwd_pid[a]}" 2> /dev/null
start_vwd a --ttl 10 --timeout 4
sleep 1
ok "vwd restart on a runs nothing" "$(lines a)" "$before_a"

# 29-30: c's vwd dies (no revoke): its lease expires, a keeps its config.
{
	kill -9 "${vwd_pid[c]}"
	wait "${vwd_pid[c]}"
} 2> /dev/null
unset 'vwd_pid[c]'
ok "c's lease expired: a sees 50's far end gone" \
	"$(wait_for gone status_has a '"id":50,"dev":"p50","state":"wired","format":"vxlan","vm":"P","vm_mac":null,"registered":true,"far":null,"far_gone":true,"far_gone_host":"c"' && echo yes)" yes
ok "far end gone: a ran nothing" "$(lines a)" "$before_a"

ktap_totals
