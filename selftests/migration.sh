#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A VM migrates from host B to host C while sequenced streams run both
# ways, 1000 datagrams a second, between it and a peer behind host A
# (selftests/vwseq.c counts what was lost, duplicated and reordered, and
# the longest gap, and the receiver's own socket drops apart).
#
#   peer P -- br0 -- A: vw0 (42)  ====  B: vw0 (42) -- br0 -- VM V
#                                 ====  C: vw0 (42) -- br0     (V moves here)
#
# The move is what QEMU does: freeze V's processes (SIGSTOP), move its
# link from B's bridge to C's, send an announce (RARP) from V's link (a
# process ready before, as QEMU is), resume them (SIGCONT).  The streams
# run STREAM_S / 3 seconds before the freeze and TAIL_S seconds after V
# resumes, however long the move took: each sender is told its count then
# (vwseq send -f, SIGUSR1), and every sequence asserts that both streams
# went on to their last datagram.
# Each sequence prepares C and A its own way:
#
#  a) C standby (vm-mac, accept B) + B relays to C at the freeze + A roams
#     (accept the hypervisors' prefix, roam on): no frame lost, none
#     duplicated;
#  b) the same, A re-pointed by hand (vwctl set 42 remote C) instead of
#     roaming: no frame lost, none duplicated;
#  c) roaming alone (C active, no relay): loses at most the frames sent
#     while V was frozen, plus one: towards V, what P's sender counted
#     between its marks at SIGSTOP and SIGCONT (vwseq send, SIGUSR2);
#     towards P, the frozen time's frames (V sent nothing meanwhile);
#  d) a plain re-point of A at the move, nothing else (the baseline);
#  e) the endpoint controller (Documentation/controller.rst): the ends are
#     made by "vwctl connect" on A (vm P), B (vm V) and, in standby, C
#     (vm V, vm-mac V's MAC), with a vwd on each host and a 3-member etcd
#     in the switch namespace (selftests/vwd_lib.sh); nothing is run at
#     the move but the move itself.  A's vwd gives A "accept C roam on"
#     while C's end is in standby; V's first frame on C activates C's end
#     and re-points (roams) A in the kernel; C's vwd marks its end active
#     and B's gone, A's vwd confirms remote C, B's relays to C until
#     "vwctl disconnect" on B, once A follows C.  The issue's target:
#     loses at most the frames sent while V was frozen (counted as in
#     c), plus one, each way; A re-pointed within 100 ms of C's
#     activation (vwctl monitor -t in C and A, one clock; the roam can
#     come first: C's kernel reports its activation once it delivered
#     what it held).
#
# Each sequence runs for the vxlan and vw formats over IPv4 and IPv6
# underlays, except e: vw over IPv4 and vxlan over IPv6, all four with
# VW_LONG=1 (short mode: sequences a and d, vw over IPv4, 300 datagrams
# a second; e only when vwd and etcd are there).  The figures are
# printed as "# figure: ..." lines.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vwd_lib.sh
source "$SELFTESTS_DIR/vwd_lib.sh"

SEQ=$SELFTESTS_DIR/vwseq
ID=42
PORT=5001
# 1000 a second; 300 on the debug kernel (short mode), which cannot keep up.
RATE=$(by_mode 300 1000 1000)
# The streams run STREAM_S / 3 seconds before the move and TAIL_S after
# it: a loaded host may take seconds to move V, and a stream that ended
# inside the freeze could not show that the path came back.
STREAM_S=$(by_mode 6 8 20)
TAIL_S=$((STREAM_S / 2))
FREEZE_MS=$(by_mode 300 500 1000)
# The freeze lasts as long as the commands run in it: seconds in a loaded
# emulated guest, where a real switchover takes a fraction of one.  C's
# hold queue must cover it (the defaults, 1024 frames for 2 s, are sized
# for the real one).
HOLD=(hold 16384 hold-time 30000)
HV4=192.0.2.0/24
HV6=2001:db8:1::/64
VM_MAC=02:00:00:00:00:14

# ------------------------------------------------------------- setup ---

# The peer P on A, the VM V on B (its MAC fixed: C is told it).
topo()
{
	topo_create A B C &&
	vm_create P A br0 10 &&
	vm_create V B br0 20 &&
	in_host V ip link set eth0 address "$VM_MAC" &&
	# A guest's link does not go down when it migrates, so its neighbour
	# cache lives on; moving V's port to another namespace takes its
	# carrier down for a moment, which must not flush it either.
	in_host V sysctl -qw net.ipv4.conf.all.arp_evict_nocarrier=0 \
		net.ipv6.conf.all.ndisc_evict_nocarrier=0 &&
	host_bridge C br0
}

# endpoint HOST REMOTE FORMAT [vwctl words...]: connector 42 as vw0 in
# HOST's br0.
endpoint()
{
	local h=$1 remote=$2 fmt=$3
	shift 3

	in_host "$h" vwctl add "$ID" dev vw0 remote "$remote" format "$fmt" \
		"$@" &&
	in_host "$h" ip link set vw0 addrgenmode none &&
	in_host "$h" ip link set vw0 master br0 up
}

# prepare SEQ FORMAT FAMILY: the endpoints of A, B and C for a sequence.
prepare()
{
	local seq=$1 fmt=$2 fam=$3 hv=$HV4 a b
	local -a awords cwords

	[ "$fam" = 6 ] && hv=$HV6
	a=$(addr_of A "$fam")
	b=$(addr_of B "$fam")
	case $seq in
	a) awords=(accept "$hv" roam on)
	   cwords=(standby vm-mac "$VM_MAC" accept "$b" "${HOLD[@]}") ;;
	b) cwords=(standby vm-mac "$VM_MAC" accept "$b" "${HOLD[@]}") ;;
	c) awords=(accept "$hv" roam on) ;;
	esac
	[ "$seq" != e ] || { connect_e "$fmt" "$fam"; return; }
	endpoint A "$b" "$fmt" "${awords[@]}" &&
	endpoint B "$a" "$fmt" &&
	endpoint C "$a" "$fmt" "${cwords[@]}"
}

# ------------------------------------------------- (e) the controller ---

# The etcd cluster and the monitors, once, before the first run of e:
# "skip" when vwd or etcd is missing.
E_READY=
e_setup()
{
	[ -z "$E_READY" ] || return 0
	if ! command -v vwd >/dev/null || [ ! -x /usr/bin/etcd ] ||
	   [ ! -x /usr/bin/etcdctl ] || [ ! -x "$ETCD_CLUSTER" ]; then
		E_READY="vwd or etcd (etcd-server, etcd-client) missing"
		return 0
	fi
	if etcd_start && mon_start A --json -t && mon_start C --json -t; then
		E_READY=ok
	else
		E_READY="etcd did not start"
		return 1
	fi
}

# conn HOST FORMAT WORDS...: vwctl connect 42 as vw0 in HOST's br0.
conn()
{
	local h=$1 fmt=$2
	shift 2

	in_host "$h" vwctl connect "$ID" dev vw0 format "$fmt" "$@" &&
	in_host "$h" ip link set vw0 addrgenmode none &&
	in_host "$h" ip link set vw0 master br0 up
}

# A accepts C and roams (vwd added both, so that C's first frame
# re-points A in the kernel).
accepts_c()
{
	vw_json_test A "c['roam'] is True and
		any(a.split('/')[0] == '$1' for a in c['accept'])" "$ID"
}

# connect_e FORMAT FAMILY: a vwd per host, wiring over FAMILY, in a
# directory prefix of this run's own; ends on A and B wired, C's in
# standby (remote A, accepting B, V's MAC), A accepting C and roaming.
connect_e()
{
	local fmt=$1 fam=$2 a b c h

	a=$(addr_of A "$fam")
	b=$(addr_of B "$fam")
	c=$(addr_of C "$fam")
	[ "$E_READY" = ok ] || return 1
	VWD_FAMILY=$fam
	VWD_PREFIX=/vwt-e-$fmt-$fam
	for h in A B C; do
		vwd_start "$h" || return 1
	done
	conn A "$fmt" vm P && conn B "$fmt" vm V &&
	poll 20 vw_json_test A "c['remote'] == '$b'" "$ID" &&
	poll 20 vw_json_test B "c['remote'] == '$a'" "$ID" &&
	conn C "$fmt" standby vm V vm-mac "$VM_MAC" &&
	poll 20 vw_json_test C "c['state'] == 'standby' and
		c['remote'] == '$a' and c['vm_mac'] == ['$VM_MAC'] and
		any(x.split('/')[0] == '$b' for x in c['accept'])" "$ID" &&
	poll 20 accepts_c "$c" &&
	ping_wait_ok P "$(inner4 V)"
}

# After the announce, once A follows C, libvirt's "release end" on B.
release_b()
{
	local c=$1

	poll 30 vw_json_test A "c['remote'] == '$c'" "$ID" >/dev/null || true
	sleep 0.5
	in_host B vwctl disconnect "$ID"
}

# e_times: the activation of C's end and the re-point of A, in seconds
# since the epoch, from the JSON monitors (events since the marks):
# T_ACT, T_REPOINT (empty when not seen).
e_times()
{
	local c=$1

	read -r T_ACT T_REPOINT < <(python3 -c '
import datetime, json, sys

def events(f, mark):
    for line in open(f).read().splitlines()[mark:]:
        try:
            e = json.loads(line)
        except ValueError:
            continue
        t = datetime.datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%S.%f%z")
        yield t.timestamp(), e["event"], e["connector"]

mc, ma, c = sys.argv[1], int(sys.argv[2]), sys.argv[5]
act = next((t for t, ev, x in events(mc, ma) if ev == "changed" and
            x["id"] == 42 and x["state"] == "active"), None)
rep = next((t for t, ev, x in events(sys.argv[3], int(sys.argv[4]))
            if ev in ("changed", "new") and x["id"] == 42 and
            x["remote"] == c), None)
print("%s %s" % ("%.6f" % act if act else "-", "%.6f" % rep if rep else "-"))
' "$VW_TMP/mon-C" "$E_MC" "$VW_TMP/mon-A" "$E_MA" "$c")
	[ "$T_ACT" != - ] || T_ACT=
	[ "$T_REPOINT" != - ] || T_REPOINT=
}

# verdict_e: the issue's target: each way, lost at most what was sent
# while V was frozen, plus one; A re-pointed (its roam) within 100 ms of
# C's activation.
verdict_e()
{
	local rc=0 lost_vm lost_peer

	echo "to_vm: $(report to_vm)"
	echo "to_peer: $(report to_peer)"
	if [ -z "$T_ACT" ] || [ -z "$T_REPOINT" ]; then
		echo "activation at ${T_ACT:-never}, re-point at ${T_REPOINT:-never}"
		diagnose
		return 1
	fi
	lost_vm=$(val to_vm wire_lost)
	lost_peer=$(val to_peer wire_lost)
	went_on to_vm || rc=1
	went_on to_peer || rc=1
	echo "lost to V $lost_vm (at most $(limit to_vm)), to P $lost_peer" \
		"(at most $(limit to_peer)), re-point $(repoint_ms) ms after the activation"
	[ -n "$lost_vm" ] && [ "$lost_vm" -le "$(limit to_vm)" ] || rc=1
	[ -n "$lost_peer" ] && [ "$lost_peer" -le "$(limit to_peer)" ] || rc=1
	# Negative when A roamed before C's kernel reported the activation.
	[ "$(repoint_ms)" -le 100 ] || rc=1
	[ "$rc" = 0 ] || diagnose
	return "$rc"
}

# repoint_ms: A's re-point after C's activation, ms (rounded down).
repoint_ms()
{
	awk "BEGIN { printf \"%d\", ($T_REPOINT - $T_ACT) * 1000 }"
}

figures_e()
{
	local what=$1 delay="?"

	[ -z "$T_ACT" ] || [ -z "$T_REPOINT" ] ||
		delay=$(awk "BEGIN { printf \"%.1f\", ($T_REPOINT - $T_ACT) * 1000 }")
	ktap_info "figure: $what: frozen ${FROZEN_MS} ms, $(frozen_sent) sent to V meanwhile"
	ktap_info "figure: $what: lost to the VM $(val to_vm wire_lost)" \
		"(target: at most $(limit to_vm)), to the peer" \
		"$(val to_peer wire_lost) (target: at most $(limit to_peer))"
	ktap_info "figure: $what: re-point of A ${delay} ms after C's activation (target: 100)"
	ktap_info "figure: $what: to the VM: $(report to_vm)"
	ktap_info "figure: $what: to the peer: $(report to_peer)"
}

teardown_e()
{
	local h

	for h in A B C; do
		in_host "$h" vwctl disconnect "$ID" 2>/dev/null || true
		vwd_stop "$h"
	done
}

teardown()
{
	local h

	[ "${1:-}" != e ] || teardown_e
	for h in A B C; do
		in_host "$h" vwctl del "$ID" 2>/dev/null || true
	done
	# V back to B for the next sequence.
	if in_host C ip link show V >/dev/null 2>&1; then
		vm_move V C B br0
	fi
}

# ------------------------------------------------------------ streams ---

# The receivers stop once every datagram arrived (the count comes in the
# datagrams of the tail), or 60 s after the last one: the freeze lasts as
# long as the commands run in it, seconds on a loaded host (20 on the
# debug kernel), and a receiver must not give up on a VM that is frozen.
streams_start()
{
	in_host V "$SEQ" recv -p "$PORT" -t 60 -T 300 -w \
		> "$VW_TMP/to_vm" 2>&1 &
	RECV_V=$!
	in_host P "$SEQ" recv -p "$PORT" -t 60 -T 300 -w \
		> "$VW_TMP/to_peer" 2>&1 &
	RECV_P=$!
	sleep 0.5
	# Not in_host: "ip netns exec" execs the sender, so $! is its pid.
	ip netns exec "$(ns_of P)" "$SEQ" send -d "$(inner4 V)" -p "$PORT" \
		-r "$RATE" -f "$TAIL_S" > "$VW_TMP/from_peer" 2>&1 &
	SEND_P=$!
	ip netns exec "$(ns_of V)" "$SEQ" send -d "$(inner4 P)" -p "$PORT" \
		-r "$RATE" -f "$TAIL_S" > "$VW_TMP/from_vm" 2>&1 &
	SEND_V=$!
}

# Both senders go on for TAIL_S seconds more, then stop; the receivers
# stop once they have it all.
streams_finish()
{
	kill -USR1 "$SEND_P" "$SEND_V" 2>/dev/null || true
	wait "$SEND_P" "$SEND_V" "$RECV_V" "$RECV_P" 2>/dev/null || true
}

# went_on TO_VM|TO_PEER: the stream reached its receiver to the sender's
# last datagram (the path works after the move).
went_on()
{
	local from=from_vm seqs

	[ "$1" = to_vm ] && from=from_peer
	seqs=$(val "$from" seqs)
	[ -n "$seqs" ] && [ "$(val "$1" last_seq)" = $((seqs - 1)) ]
}

# migrate SEQ FAMILY: the move, while the streams run.
migrate()
{
	local seq=$1 fam=$2 c t0

	c=$(addr_of C "$fam")
	vm_announcer V "$VM_MAC" || return 1
	sleep $((STREAM_S / 3))
	# P's sender marks the freeze (SIGUSR2): what it sent meanwhile.
	kill -USR2 "$SEND_P"
	vm_freeze V STOP
	t0=$(date +%s%N)
	case $seq in
	a|b) in_host B vwctl set "$ID" relay "$c" ;;
	esac
	vm_move V B C br0
	case $seq in
	b|d) in_host A vwctl set "$ID" remote "$c" ;;
	esac
	sleep "$(awk "BEGIN { print $FREEZE_MS / 1000 }")"
	# QEMU announces the guest (qemu_announce_self) just before it starts
	# its vCPUs on the destination: the announce is part of the freeze.
	vm_announce
	vm_freeze V CONT
	FROZEN_MS=$((($(date +%s%N) - t0) / 1000000))
	kill -USR2 "$SEND_P"
	[ "$seq" != e ] || release_b "$c"
}

# report FILE: the receiver's key=value lines as one line.
report()
{
	grep -E '^(received|lost|wire_lost|duplicated|reordered|rcvbuf_drops|max_gap_ms)=' \
		"$VW_TMP/$1" | tr '\n' ' '
}

val()
{
	sed -n "s/^$2=//p" "$VW_TMP/$1"
}

# frozen_sent: what P's sender sent while V was frozen, from its marks
# at SIGSTOP and SIGCONT (empty without them).  At the nominal rate that
# is the frozen time's frames; a sender that the loaded host ran late
# catches up, so only its own count is exact.
frozen_sent()
{
	local m0 m1

	IFS=, read -r m0 m1 <<< "$(val from_peer marks)"
	[ -z "$m0" ] || [ -z "$m1" ] || echo $((m1 - m0))
}

# limit TO_VM|TO_PEER: the most (c) and (e) may lose of a stream: the
# frames sent while V was frozen, plus one.  Towards V, P's own count;
# V's sender, frozen, sent nothing meanwhile: the frozen time's frames.
limit()
{
	local n

	if [ "$1" = to_vm ]; then
		n=$(frozen_sent)
		# No marks: -1, which every count exceeds.
		echo $((${n:--2} + 1))
	else
		echo $((FROZEN_MS * RATE / 1000 + 1))
	fi
}

# verdict SEQ: the target of the sequence, both directions.
verdict()
{
	local seq=$1 f lost dup rc=0

	for f in to_vm to_peer; do
		lost=$(val "$f" wire_lost)
		dup=$(val "$f" duplicated)
		echo "$f: $(report "$f")"
		[ -n "$lost" ] && [ -n "$dup" ] || { rc=1; continue; }
		# Every sequence, the baseline too: the stream goes on after
		# the move, to its last datagram.
		went_on "$f" || rc=1
		case $seq in
		a|b) [ "$lost" -eq 0 ] && [ "$dup" -eq 0 ] || rc=1 ;;
		c) [ "$lost" -le "$(limit "$f")" ] || rc=1 ;;
		esac
	done
	[ "$rc" = 0 ] || diagnose
	return "$rc"
}

# What the hosts saw, for a verdict that failed.
diagnose()
{
	local h

	echo "senders: $(tr '\n' ' ' < "$VW_TMP/from_peer") / $(tr '\n' ' ' < "$VW_TMP/from_vm")"
	for h in A B C; do
		echo "$h: $(in_host "$h" vwctl show "$ID" 2>&1 | tr '\n' ' ')"
		in_host "$h" vwctl stats "$ID" 2>&1 | grep -v ' 0$' | tr '\n' ' '
		echo
		in_host "$h" bridge fdb show br br0 dynamic 2>&1 | tr '\n' ' '
		echo
	done
	in_host V ip neigh
	in_host V ip -s link show eth0
	in_host P ip neigh
}

run_seq()
{
	local seq=$1 fmt=$2 fam=$3 what

	what="($seq) $fmt over IPv$fam"
	if [ "$seq" = e ]; then
		e_setup || true
		if [ "$E_READY" != ok ]; then
			ktap_skip "$what" "$E_READY"
			return
		fi
	fi
	if ! prepare "$seq" "$fmt" "$fam"; then
		ktap_fail "$what: endpoints"
		[ "$seq" != e ] || vwd_log_tail C
		teardown "$seq"
		return
	fi
	if [ "$seq" = e ]; then
		E_MA=$(mon_mark A) E_MC=$(mon_mark C)
	fi
	streams_start
	migrate "$seq" "$fam" || true
	streams_finish
	if [ "$seq" = e ]; then
		e_times "$(addr_of C "$fam")"
		check "$what: lost at most the frames sent while V was frozen + 1 each way; A re-pointed within 100 ms" \
			verdict_e
		figures_e "$what"
		teardown e
		return
	fi
	check "$what: $(case $seq in a|b) echo "no frame lost or duplicated" ;;
		c) echo "lost at most the frames sent while V was frozen + 1" ;;
		d) echo "the baseline, measured; the streams go on" ;; esac)" verdict "$seq"
	ktap_info "figure: $what: frozen ${FROZEN_MS} ms, $(frozen_sent) sent to V meanwhile"
	ktap_info "figure: $what: to the VM: $(report to_vm)"
	ktap_info "figure: $what: to the peer: $(report to_peer)"
	teardown
}

# ------------------------------------------------------------- main ---

ktap_header
require_env
[ -x "$SEQ" ] || ktap_skip_all "$SEQ not built (make -C selftests)"

if [ -n "${VW_MIG_RUNS:-}" ]; then
	# VW_MIG_RUNS="a vw 4,d vxlan 6": those only (debugging).
	IFS=, read -r -a RUNS <<< "$VW_MIG_RUNS"
elif [ "${VW_SHORT:-0}" = 1 ]; then
	# Not e: etcd and three vwds on the debug kernel starve the senders
	# (26 datagrams a second for 300) and the tail of the stream is cut.
	RUNS=("a vw 4" "d vw 4")
else
	# Sequence (e) starts etcd and a vwd on each host: two of its four
	# variants in normal mode (each format, each family once), all four
	# with VW_LONG=1.
	RUNS=()
	for s in a b c d e; do
		for f in vxlan vw; do
			for fam in 4 6; do
				[ "$s$f$fam" != evw6 ] && [ "$s$f$fam" != evxlan4 ] ||
					[ "${VW_LONG:-0}" = 1 ] || continue
				RUNS+=("$s $f $fam")
			done
		done
	done
fi
ktap_plan $((${#RUNS[@]} + 1))

# Not under check, which runs its command in a subshell: the topology's
# variables are needed afterwards.
if topo; then
	ktap_pass "hosts A, B, C; peer P on A, VM V on B"
else
	ktap_fail "hosts A, B, C; peer P on A, VM V on B"
fi
for r in "${RUNS[@]}"; do
	# shellcheck disable=SC2086
	run_seq $r
done

ktap_finished
