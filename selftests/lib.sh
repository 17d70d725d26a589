#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the virtualwire selftests: KTAP output, a throwaway
# network-namespace topology and a few asserts.  Sourced by every test.
#
# Topology (topo_create A B ...):
#
#            switch namespace: bridge br0
#            port A           port B           ...
#              |                |
#    host A: eth0             host B: eth0
#    192.0.2.1/24             192.0.2.2/24
#    2001:db8:1::1/64         2001:db8:1::2/64
#
# Everything lives in namespaces named $VW_RUN-*, deleted on exit.
#
# A test calls check DESC CMD... for every assertion.  check never fails, so
# tests may run under set -e: a broken assertion prints "not ok", while a
# failing setup command aborts the test with a "not ok" naming the command.
# Functions passed to check run with errexit off (bash ignores it inside a
# condition), so they chain their commands with && to fail properly.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

SELFTESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# A real host running "sudo selftests/run.sh" may not have vwctl in
# root's PATH; the one built in the tree is the one under test anyway.
if [ -x "$SELFTESTS_DIR/../userspace/vwctl" ]; then
	PATH=$(cd "$SELFTESTS_DIR/../userspace" && pwd):$PATH
fi

# Unique per run; the pid lets a later run recognise our leftovers.
VW_RUN=vwt-$$-$RANDOM
VW_HOSTS=()
declare -A VW_IDX
# Per-host underlay addresses that differ from the switch's (topo_routed).
declare -A VW_ADDR4 VW_ADDR6
# Scratch files (captures), removed on exit.
VW_TMP=$(mktemp -d /tmp/vwt.XXXXXX)
VWPKT=(python3 "$SELFTESTS_DIR/vwpkt.py")
# What no message may name (internal_names_in, no_internal_names).
# shellcheck source=selftests/internal_names.sh
source "$SELFTESTS_DIR/internal_names.sh"

# Test lengths.  VW_SHORT=1 (the VM runner sets it on the debug kernel,
# which runs several times slower) shortens streams, repetitions and
# counts; VW_LONG=1 runs the long variants (stress, scale, fuzzing).
VW_SHORT=${VW_SHORT:-0}
VW_LONG=${VW_LONG:-0}

# by_mode SHORT NORMAL [LONG]: the value for the current mode.
by_mode()
{
	if [ "$VW_LONG" = 1 ] && [ $# -ge 3 ]; then
		echo "$3"
	elif [ "$VW_SHORT" = 1 ]; then
		echo "$1"
	else
		echo "$2"
	fi
}

KTAP_PLAN=
KTAP_NUM=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0
KTAP_DONE=
VW_ERR=

set -o pipefail

# ---------------------------------------------------------------- KTAP ----

ktap_header()
{
	echo "TAP version 13"
}

ktap_plan()
{
	KTAP_PLAN=$1
	echo "1..$1"
}

ktap_info()
{
	echo "# $*"
}

ktap_pass()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_NUM - $1"
}

ktap_fail()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_NUM - $1"
}

ktap_skip()
{
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_NUM - $1 # SKIP $2"
}

# Before any plan: the whole test is skipped.
ktap_skip_all()
{
	echo "1..0 # SKIP $1"
	KTAP_DONE=1
	exit $KSFT_SKIP
}

# Totals and exit status: 0 all passed (some may be skipped), 1 a failure
# or a plan not run to its end, 4 everything skipped.
ktap_finished()
{
	local rc=$KSFT_PASS

	KTAP_DONE=1
	if [ "$KTAP_NUM" != "$KTAP_PLAN" ]; then
		echo "# planned $KTAP_PLAN tests but ran $KTAP_NUM"
		rc=$KSFT_FAIL
	fi
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	if [ "$KTAP_FAIL" -gt 0 ]; then
		rc=$KSFT_FAIL
	elif [ "$rc" = "$KSFT_PASS" ] && [ "$KTAP_PASS" = 0 ]; then
		rc=$KSFT_SKIP
	fi
	exit $rc
}

# check DESC CMD...: one test point.  The output of CMD is shown only when
# it fails (or always with VERBOSE=1), as KTAP diagnostics.
check()
{
	local desc=$1 out rc
	shift

	out=$("$@" 2>&1) && rc=0 || rc=$?
	if [ $rc = 0 ]; then
		ktap_pass "$desc"
	else
		ktap_fail "$desc"
		echo "# command: $* (exit $rc)"
	fi
	if [ -n "$out" ] && { [ $rc != 0 ] || [ -n "${VERBOSE:-}" ]; }; then
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
	return 0
}

# check DESC fails CMD...: CMD must exit non-zero.
fails()
{
	if "$@"; then
		echo "expected failure, but it succeeded"
		return 1
	fi
	return 0
}

# fails_with_message CMD...: non-zero exit and something on stderr.
fails_with_message()
{
	local err rc

	err=$("$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	if [ $rc = 0 ]; then
		echo "expected failure, but it succeeded"
		return 1
	fi
	if [ -z "$err" ]; then
		echo "failed (exit $rc) without an error message"
		return 1
	fi
	echo "exit $rc: $err"
}

# ----------------------------------------------------------- prerequisites

# Skip the whole test unless we can run it.  Call after ktap_header.
require_env()
{
	local tool

	[ "$(id -u)" = 0 ] || ktap_skip_all "must run as root"
	[ -d /sys/module/virtualwire ] ||
		ktap_skip_all "virtualwire module not loaded"
	for tool in ip vwctl python3; do
		command -v "$tool" >/dev/null ||
			ktap_skip_all "$tool not found"
	done
}

# The kernel log from a point on.  Counting lines does not work: once the
# ring buffer is full (a fuzzer's run fills it), old lines go as new ones
# come.  kmsg_mark writes a line of its own and prints it; kmsg_since MARK
# prints what came after it (everything for an empty MARK).
kmsg_mark()
{
	local mark="vwtest: mark $$.$RANDOM.$SECONDS"

	echo "$mark" > /dev/kmsg
	echo "$mark"
}

kmsg_since()
{
	# A line that ends with the mark: a mark inside a longer one is not it.
	dmesg | awk -v m="$1" '
		found || m == "" { print }
		length($0) >= length(m) &&
		substr($0, length($0) - length(m) + 1) == m { found = 1 }'
}

have_iperf3()
{
	command -v iperf3 >/dev/null
}

# iputils ping when present, busybox's otherwise (the test VM has only
# busybox).  Both understand -6, -c and -W.
if command -v ping >/dev/null; then
	PING=(ping)
else
	PING=(busybox ping)
fi

# ------------------------------------------------------------- topology ---

ns_of()
{
	echo "$VW_RUN-$1"
}

in_host()
{
	local h=$1
	shift
	ip netns exec "$(ns_of "$h")" "$@"
}

# ipn HOST ip-args...: ip in HOST's namespace by its netlink socket alone,
# much cheaper under emulation than in_host's new mount namespace.
ipn()
{
	local h=$1
	shift
	ip -n "$(ns_of "$h")" "$@"
}

addr4()
{
	echo "${VW_ADDR4[$1]:-192.0.2.${VW_IDX[$1]}}"
}

addr6()
{
	echo "${VW_ADDR6[$1]:-2001:db8:1::${VW_IDX[$1]}}"
}

# Underlay address of host H for family 4 or 6.
addr_of()
{
	if [ "$2" = 6 ]; then addr6 "$1"; else addr4 "$1"; fi
}

# Namespaces left by runs that died without cleaning up: their creator's
# pid is in the name and no longer alive.
cleanup_stale()
{
	local ns pid

	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		case $ns in
		vwt-*-*-*) ;;
		*) continue ;;
		esac
		pid=${ns#vwt-}
		pid=${pid%%-*}
		kill -0 "$pid" 2>/dev/null && continue
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
		ip netns del "$ns" 2>/dev/null || true
	done
	return 0
}

topo_create()
{
	local sw h i=0

	cleanup_stale
	sw=$(ns_of sw)
	ip netns add "$sw"
	ip -n "$sw" link set lo up
	ip -n "$sw" link add br0 type bridge
	ip -n "$sw" link set br0 up
	for h in "$@"; do
		i=$((i + 1))
		VW_HOSTS+=("$h")
		VW_IDX[$h]=$i
		ip netns add "$(ns_of "$h")"
		ip -n "$(ns_of "$h")" link set lo up
		ip -n "$sw" link add "$h" type veth peer name eth0 \
			netns "$(ns_of "$h")"
		ip -n "$sw" link set "$h" master br0 up
		ip -n "$(ns_of "$h")" addr add "$(addr4 "$h")/24" dev eth0
		ip -n "$(ns_of "$h")" addr add "$(addr6 "$h")/64" dev eth0 nodad
		ip -n "$(ns_of "$h")" link set eth0 up
	done
}

# topo_routed A R B [MTU]: hosts A and B on two subnets, R routing between
# them; the R--B link has MTU (default 1500).  No switch namespace.
#
#    host A               router R                           host B
#    eth0 ------------- ethA            ethB --------------- eth0
#    192.0.2.1/24       192.0.2.254     203.0.113.254        203.0.113.2/24
#    2001:db8:1::1/64   2001:db8:1::fe  2001:db8:2::fe       2001:db8:2::2/64
topo_routed()
{
	local a=$1 r=$2 b=$3 mtu=${4:-1500} h

	cleanup_stale
	VW_IDX[$a]=1
	VW_IDX[$b]=2
	VW_IDX[$r]=254
	VW_ADDR4[$r]=192.0.2.254
	VW_ADDR6[$r]=2001:db8:1::fe
	VW_ADDR4[$b]=203.0.113.2
	VW_ADDR6[$b]=2001:db8:2::2
	for h in "$a" "$r" "$b"; do
		VW_HOSTS+=("$h")
		ip netns add "$(ns_of "$h")"
		ip -n "$(ns_of "$h")" link set lo up
	done
	ip -n "$(ns_of "$r")" link add ethA type veth peer name eth0 \
		netns "$(ns_of "$a")"
	ip -n "$(ns_of "$r")" link add ethB type veth peer name eth0 \
		netns "$(ns_of "$b")"
	ip -n "$(ns_of "$r")" link set ethB mtu "$mtu"
	ip -n "$(ns_of "$b")" link set eth0 mtu "$mtu"

	ip -n "$(ns_of "$a")" addr add 192.0.2.1/24 dev eth0
	ip -n "$(ns_of "$a")" addr add 2001:db8:1::1/64 dev eth0 nodad
	ip -n "$(ns_of "$r")" addr add 192.0.2.254/24 dev ethA
	ip -n "$(ns_of "$r")" addr add 2001:db8:1::fe/64 dev ethA nodad
	ip -n "$(ns_of "$r")" addr add 203.0.113.254/24 dev ethB
	ip -n "$(ns_of "$r")" addr add 2001:db8:2::fe/64 dev ethB nodad
	ip -n "$(ns_of "$b")" addr add 203.0.113.2/24 dev eth0
	ip -n "$(ns_of "$b")" addr add 2001:db8:2::2/64 dev eth0 nodad
	ip -n "$(ns_of "$a")" link set eth0 up
	ip -n "$(ns_of "$b")" link set eth0 up
	ip -n "$(ns_of "$r")" link set ethA up
	ip -n "$(ns_of "$r")" link set ethB up
	ip -n "$(ns_of "$a")" route add 203.0.113.0/24 via 192.0.2.254
	ip -n "$(ns_of "$a")" route add 2001:db8:2::/64 via 2001:db8:1::fe
	ip -n "$(ns_of "$b")" route add 192.0.2.0/24 via 203.0.113.254
	ip -n "$(ns_of "$b")" route add 2001:db8:1::/64 via 2001:db8:2::fe
	# A router, and one that answers every packet it cannot forward.
	in_host "$r" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 net.ipv4.icmp_ratelimit=0 \
		net.ipv6.icmp.ratelimit=0
}

# host_bridge HOST BR: bridge BR in HOST, up, made when missing.
# Snooping off: nothing here answers MLD, and ND must still get through.
host_bridge()
{
	in_host "$1" ip link show dev "$2" >/dev/null 2>&1 && return 0
	in_host "$1" ip link add "$2" type bridge mcast_snooping 0 &&
	in_host "$1" ip link set "$2" up
}

# vm_create VM HOST BR N [MTU]: a "virtual machine", namespace VM, whose
# eth0 is plugged into bridge BR of HOST through the port named VM.  It gets
# the inner addresses of index N (inner4/inner6 VM give them) and MTU
# (default 1450, what fits in a connector over a 1500-byte underlay).  A VM
# survives moving its port to another host: that is how tests migrate it.
vm_create()
{
	local vm=$1 h=$2 br=$3 mtu=${5:-1450} ns

	ns=$(ns_of "$vm")
	VW_HOSTS+=("$vm")
	VW_IDX[$vm]=$4
	ip netns add "$ns" &&
	ip -n "$ns" link set lo up &&
	host_bridge "$h" "$br" &&
	ip -n "$(ns_of "$h")" link add "$vm" mtu "$mtu" type veth \
		peer name eth0 netns "$ns" mtu "$mtu" &&
	ip -n "$(ns_of "$h")" link set "$vm" master "$br" up &&
	ip -n "$ns" addr add "$(inner4 "$vm")/24" dev eth0 &&
	ip -n "$ns" addr add "$(inner6 "$vm")/64" dev eth0 nodad &&
	ip -n "$ns" link set eth0 up
}

# vm_move VM FROM TO BR: unplug VM's port from FROM and plug it into
# bridge BR of TO (which must exist), as a live migration would.
vm_move()
{
	ip -n "$(ns_of "$2")" link set "$1" netns "$(ns_of "$3")" &&
	ip -n "$(ns_of "$3")" link set "$1" master "$4" up
}

# vm_freeze VM STOP|CONT: stop or resume every process of VM, as QEMU
# pauses a guest for the switchover of a live migration; not the
# announcer (VM_ANNOUNCER), which stands for QEMU itself.
vm_freeze()
{
	ip netns pids "$(ns_of "$1")" | grep -vxF -e "${VM_ANNOUNCER:--}" |
		xargs -r kill -"$2"
}

# vm_announcer VM MAC: ready, before the move, the RARP from MAC that QEMU
# sends for a guest on the destination just before it starts its vCPUs: a
# process in VM's namespace, bound to its eth0 (which stays there when
# its peer moves), that sends it on vm_announce.  Its start, seconds
# under emulation on a loaded host, is not part of the freeze.
vm_announcer()
{
	local f=$VW_TMP/announce

	rm -f "$f.fifo" "$f.out"
	mkfifo "$f.fifo" || return 1
	# Not in_host: "ip netns exec" execs it, so $! is its pid.
	ip netns exec "$(ns_of "$1")" python3 -c '
import socket, struct, sys
mac = bytes.fromhex(sys.argv[1].replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
rarp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 3) + mac + bytes(4) + mac + bytes(4)
frame = (b"\xff" * 6 + mac + struct.pack("!H", 0x8035) + rarp).ljust(60, b"\0")
print("ready", flush=True)
open(sys.argv[2]).read(1)
s.send(frame)
' "$2" "$f.fifo" > "$f.out" 2>&1 &
	VM_ANNOUNCER=$!
	poll 60 grep -q ready "$f.out"
}

# vm_announce: the announcer sends its RARP, and is gone.
vm_announce()
{
	local pid=$VM_ANNOUNCER

	VM_ANNOUNCER=
	kill -0 "$pid" 2>/dev/null || { cat "$VW_TMP/announce.out"; return 1; }
	timeout 60 sh -c "echo > '$VW_TMP/announce.fifo'" &&
	wait "$pid"
}

# Commands topo_destroy runs first: a test's own cleanup, for processes
# that SIGTERM does not end soon enough (etcd, see vwd_lib.sh).
VW_CLEANUP=()

# Kill what the test started in its hosts (iperf3 servers), then drop the
# namespaces, which takes their devices with them.
topo_destroy()
{
	local h ns c

	for c in "${VW_CLEANUP[@]}"; do
		$c || true
	done
	for h in "${VW_HOSTS[@]}" sw; do
		ns=$(ns_of "$h")
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
		ip netns del "$ns" 2>/dev/null || true
	done
	VW_HOSTS=()
	return 0
}

vw_exit()
{
	local rc=$?

	trap - EXIT
	set +e
	topo_destroy
	[ -z "$VW_TMP" ] || rm -rf "$VW_TMP"
	if [ -n "$KTAP_PLAN" ] && [ -z "$KTAP_DONE" ]; then
		ktap_fail "$(basename "$0") aborted (exit $rc)${VW_ERR:+: $VW_ERR}"
		echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
		exit $KSFT_FAIL
	fi
	exit $rc
}

# Remember the first command that failed outside a condition: under set -e
# that is the one that aborts the test.
vw_err()
{
	[ -n "$VW_ERR" ] || VW_ERR="line $1: $2"
}

set -E
trap 'vw_err "$LINENO" "$BASH_COMMAND"' ERR
trap vw_exit EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------ traffic ----

# ping_ok HOST ADDR: three echoes, answered.
ping_ok()
{
	local fam=4

	case $2 in *:*) fam=6 ;; esac
	in_host "$1" "${PING[@]}" -"$fam" -c 3 -W 2 "$2"
}

# wait_ping HOST ADDR [SECONDS]: until one echo is answered, to warm up
# neighbour caches before the real assertion.
wait_ping()
{
	local h=$1 addr=$2 t=${3:-30} fam=4 end

	case $addr in *:*) fam=6 ;; esac
	end=$((SECONDS + t))
	while [ $SECONDS -lt $end ]; do
		in_host "$h" "${PING[@]}" -"$fam" -c 1 -W 1 "$addr" \
			>/dev/null 2>&1 && return 0
		sleep 0.5
	done
	echo "no answer from $addr within ${t}s"
	return 1
}

# ping_wait_ok HOST ADDR: warm up, then ping_ok.
ping_wait_ok()
{
	wait_ping "$1" "$2" && ping_ok "$1" "$2"
}

# listening HOST PORT: a TCP socket of HOST listens on PORT.
listening()
{
	in_host "$1" ss -Hltn "sport = :$2" | grep -q . ||
		{ echo "nothing listens on TCP port $2 in $1"; return 1; }
}

# listens HOST PORT: wait, at most 30 s, until a server started in the
# background (an iperf3, whose -D returns before it listens) listens on
# TCP PORT of HOST: a client sooner would be refused.
listens()
{
	poll 30 listening "$@"
}

# iperf3_ok CLIENT SERVER ADDR [client args...]: a 3-second TCP stream from
# CLIENT to an iperf3 server in SERVER listening on ADDR.
iperf3_ok()
{
	local c=$1 s=$2 addr=$3 out
	shift 3

	in_host "$s" iperf3 -s -1 -D -B "$addr" || return 1
	listens "$s" 5201 || return 1
	out=$(in_host "$c" iperf3 -c "$addr" -t 3 --connect-timeout 10000 \
		--json "$@")
	local rc=$?
	printf '%s\n' "$out" | json_test \
		'j["end"]["sum_sent"]["bytes"] > 0 and j["end"]["sum_received"]["bytes"] > 0' ||
		return 1
	[ $rc = 0 ] || { echo "iperf3 client exited $rc"; return 1; }
}

# ----------------------------------------------------------------- JSON ---

# JSON on stdin is j; for vwctl output, c is the first connector and ns the
# namespace object (None when absent).  Expressions may span lines.
VW_PY_PRELUDE='
import json, sys
src = sys.stdin.read()
try:
    j = json.loads(src)
except ValueError as e:
    print("invalid JSON (%s): %r" % (e, src[:2000]), file=sys.stderr)
    sys.exit(2)
c = j["connectors"][0] if isinstance(j, dict) and j.get("connectors") else None
ns = j.get("namespace") if isinstance(j, dict) else None
'

# json_eval EXPR: print the value of EXPR.
json_eval()
{
	python3 -c "$VW_PY_PRELUDE
try:
    print(eval('(' + sys.argv[1] + ')'))
except Exception as e:
    print('%s: %s in %s' % (sys.argv[1], repr(e), src[:2000]), file=sys.stderr)
    sys.exit(1)
" "$1"
}

# json_test EXPR: succeed when EXPR is true; print the JSON when it is not.
json_test()
{
	python3 -c "$VW_PY_PRELUDE
try:
    ok = eval('(' + sys.argv[1] + ')')
except Exception as e:
    ok = False
    print('%s: %s' % (sys.argv[1], repr(e)))
if not ok:
    print('false: %s' % sys.argv[1])
    print(src[:4000])
    sys.exit(1)
" "$1"
}

# vw_json HOST EXPR [show args]: EXPR over "vwctl show [args] --json".
vw_json()
{
	local h=$1 expr=$2
	shift 2
	in_host "$h" vwctl show "$@" --json | json_eval "$expr"
}

# vw_json_test HOST EXPR [show args]: assert EXPR over vwctl's JSON.
vw_json_test()
{
	local h=$1 expr=$2
	shift 2
	in_host "$h" vwctl show "$@" --json | json_test "$expr"
}

# vw_config HOST: the configuration of every endpoint of HOST, as show
# --json has it, without what a new device legitimately changes (counters,
# ifindex), sorted: equal before and after means nothing changed.
vw_config()
{
	in_host "$1" vwctl show --json | python3 -S -c '
import json, sys
j = json.load(sys.stdin)
cs = [{k: v for k, v in c.items() if k not in ("stats", "ifindex")}
      for c in j["connectors"]]
cs.sort(key=lambda c: (c["id"] is None, c["id"] or 0, c["dev"]))
print(json.dumps(cs, indent=1, sort_keys=True))'
}

# mon_start HOST NAME [ARGS...]: "vwctl monitor ARGS" in HOST, into
# $VW_TMP/mon.NAME (stderr in mon.NAME.err), its pid in MON_PID.  Called
# outside check, so that the shell running the test can signal and wait
# for it.  A canary endpoint, added and deleted until the monitor reports
# it, shows that it listens.
mon_start()
{
	local h=$1 f=$VW_TMP/mon.$2 n=0
	shift 2

	ip netns exec "$(ns_of "$h")" vwctl monitor "$@" >"$f" 2>"$f.err" &
	# shellcheck disable=SC2034 # for mon_stop, in the test's shell
	MON_PID=$!
	until grep -q canary "$f"; do
		n=$((n + 1))
		[ $n -le 30 ] || { echo "monitor reports nothing"; return 1; }
		in_host "$h" vwctl add 999 dev canary remote 192.0.2.99 &&
		in_host "$h" vwctl del 999 || return 1
		sleep 0.3
	done
}

# mon_stop: end the monitor of mon_start, its exit code in MON_RC (read
# by the test).
# shellcheck disable=SC2034
mon_stop()
{
	MON_RC=0
	kill -TERM "$MON_PID"
	wait "$MON_PID" || MON_RC=$?
}

# ping_bg HOST ADDR COUNT: COUNT echoes, 0.2 s apart, from HOST in the
# background (PING_PID), into $VW_TMP/ping.out: for a change made while
# traffic crosses the wire.  Wait for PING_PID in the test's own shell,
# then check ping_lost_none.
ping_bg()
{
	in_host "$1" "${PING[@]}" -4 -i 0.2 -c "$3" -W 2 "$2" \
		> "$VW_TMP/ping.out" 2>&1 < /dev/null &
	# shellcheck disable=SC2034 # waited for by the test
	PING_PID=$!
}

# The summary of ping_bg's ping: not one echo lost.
ping_lost_none()
{
	tail -n 2 "$VW_TMP/ping.out"
	grep -q " 0% packet loss" "$VW_TMP/ping.out"
}

# link_stat HOST DEV rx|tx FIELD: a device counter from ip -s link.
link_stat()
{
	in_host "$1" ip -j -s link show dev "$2" |
		json_eval "j[0]['stats64']['$3']['$4']"
}

# ---------------------------------------------------------- endpoints -----

# vw_endpoint HOST ID REMOTE [DEV [OPTION...]]: vwctl add, then the inner
# addresses 198.51.100.N/24 and 2001:db8:42::N/64, N being the host's index.
vw_endpoint()
{
	local h=$1 id=$2 remote=$3 dev=${4:-vw0}

	shift $(($# < 4 ? $# : 4))
	in_host "$h" vwctl add "$id" dev "$dev" remote "$remote" "$@" &&
	inner_addrs "$h" "$dev"
}

inner_addrs()
{
	local h=$1 dev=$2 n=${VW_IDX[$1]}

	in_host "$h" ip addr add "198.51.100.$n/24" dev "$dev" &&
	in_host "$h" ip addr add "2001:db8:42::$n/64" dev "$dev" nodad &&
	in_host "$h" ip link set "$dev" up
}

inner4()
{
	echo "198.51.100.${VW_IDX[$1]}"
}

inner6()
{
	echo "2001:db8:42::${VW_IDX[$1]}"
}

# Stock Linux VXLAN peer: vx_endpoint HOST VNI REMOTE-HOST FAMILY.
vx_endpoint()
{
	local h=$1 vni=$2 peer=$3 fam=$4

	in_host "$h" ip link add vx0 type vxlan id "$vni" \
		remote "$(addr_of "$peer" "$fam")" \
		local "$(addr_of "$h" "$fam")" dstport 4789 dev eth0 &&
	inner_addrs "$h" vx0
}

# Forget a host's devices between rounds, whatever state a failed
# check left them in.
del_dev()
{
	in_host "$1" ip link del "$2" 2>/dev/null || true
}

# Fixed inner MAC addresses, so a host can fill its neighbour table without
# asking: fixed_mac HOST DEV sets HOST's, static_neigh HOST DEV PEER adds
# PEER's inner addresses with it.
inner_mac()
{
	printf '02:00:00:00:00:%02x\n' "${VW_IDX[$1]}"
}

fixed_mac()
{
	in_host "$1" ip link set dev "$2" address "$(inner_mac "$1")"
}

static_neigh()
{
	local h=$1 dev=$2 peer=$3

	in_host "$h" ip neigh replace "$(inner4 "$peer")" \
		lladdr "$(inner_mac "$peer")" dev "$dev" nud permanent &&
	in_host "$h" ip neigh replace "$(inner6 "$peer")" \
		lladdr "$(inner_mac "$peer")" dev "$dev" nud permanent
}

ifindex()
{
	in_host "$1" ip -j link show dev "$2" | json_eval "j[0]['ifindex']"
}

# ------------------------------------------------------------ counters ----

# vw_counter HOST NAME [show args]: counter NAME of the first connector
# shown, a traffic counter ("rx_packets") or a drop reason ("bad_source");
# 0 when the kernel does not report it.
vw_counter()
{
	local h=$1 n=$2
	shift 2
	vw_json "$h" "c['stats'].get('$n', c['stats']['drops'].get('$n', 0))" "$@"
}

# vw_stat HOST ID NAME: a counter (not a drop) of connector ID on HOST,
# read without a JSON parser: under emulation each python3 costs seconds.
vw_stat()
{
	local out re="\"$3\": *([0-9]+)"

	out=$(in_host "$1" vwctl stats "$2" --json) || return 1
	[[ $out =~ $re ]] || { echo "no $3 in: $out"; return 1; }
	echo "${BASH_REMATCH[1]}"
}

# ns_counter HOST NAME: a drop counter of HOST's namespace.
ns_counter()
{
	vw_json "$1" "ns['drops'].get('$2', 0)"
}

# counter_ge MIN vw_counter|ns_counter ARGS...: the counter is at least
# MIN (says what it is either way).
counter_ge()
{
	local min=$1 v
	shift

	v=$("$@") || return 1
	echo "${*:2}: $v (want >= $min)"
	[ "$v" -ge "$min" ]
}

# chain CMD... -- CMD...: both, the second only if the first succeeded.
chain()
{
	local first=()

	while [ "$1" != -- ]; do
		first+=("$1")
		shift
	done
	shift
	"${first[@]}" && "$@"
}

# poll SECONDS CMD...: run CMD until it succeeds, for at most SECONDS; the
# output of the last try is shown.
poll()
{
	local end=$((SECONDS + $1)) out
	shift

	until out=$("$@" 2>&1); do
		if [ $SECONDS -ge "$end" ]; then
			printf '%s\n' "$out"
			return 1
		fi
		sleep 0.2
	done
	[ -z "$out" ] || printf '%s\n' "$out"
}

# ------------------------------------------------------------- capture ----

# cap_start NAME HOST DEV [FILTER...]: capture on DEV of HOST in the
# background into $VW_TMP/NAME.pcap until cap_stop NAME; returns once
# tcpdump listens.  CAP_SNAPLEN (default 256) bytes of each packet.
# Safe to call inside check: tcpdump holds none of its output.
cap_start()
{
	local h=$2 dev=$3 f=$VW_TMP/$1 end
	shift 3

	rm -f "$f.pcap" "$f.err"
	in_host "$h" tcpdump -i "$dev" -n -U --immediate-mode -Z root \
		-s "${CAP_SNAPLEN:-256}" -w "$f.pcap" "$@" \
		>/dev/null 2>"$f.err" &
	echo $! > "$f.pid"
	end=$((SECONDS + 60))
	until grep -q 'listening on' "$f.err" 2>/dev/null; do
		if [ $SECONDS -ge $end ] ||
		   ! kill -0 "$(cat "$f.pid")" 2>/dev/null; then
			echo "tcpdump on $h $dev did not start:"
			cat "$f.err"
			return 1
		fi
		sleep 0.1
	done
}

# cap_stop NAME: once the file stopped growing for a second (tcpdump has
# written what it saw: SIGTERM drops what it has not read yet, and a loaded
# guest may not run it for a while), stop the capture.
cap_stop()
{
	local f=$VW_TMP/$1 pid n=0 same=0 size last=-1

	pid=$(cat "$f.pid" 2>/dev/null) || return 0
	rm -f "$f.pid"
	while [ $n -lt 40 ] && [ $same -lt 3 ]; do
		size=$(stat -c %s "$f.pcap" 2>/dev/null || echo 0)
		if [ "$size" = "$last" ]; then
			same=$((same + 1))
		else
			same=0
		fi
		last=$size
		n=$((n + 1))
		sleep 0.3
	done
	kill "$pid" 2>/dev/null || return 0
	n=0
	while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do
		n=$((n + 1))
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

# cap_mark HOST ADDR: one UDP datagram from HOST to ADDR, port 9 (discard),
# for a capture expected to see nothing else: proof that it was running.
cap_mark()
{
	in_host "$1" "${VWPKT[@]}" udp "$2" 9
}

# cap_json NAME: the packets captured, as "vwpkt.py parse" lists them.
cap_json()
{
	"${VWPKT[@]}" parse "$VW_TMP/$1.pcap"
}

# cap_test NAME EXPR: assert EXPR over the packet list j of capture NAME.
cap_test()
{
	cap_json "$1" | json_test "$2"
}
