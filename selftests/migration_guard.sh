#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Security of the migration paths (Documentation/migration.rst): what an
# accepted-source list, roaming, standby and relaying let through, with
# tunnel packets crafted by vwpkt.py from hosts A, B, C and D of one
# switch (192.0.2.N, 2001:db8:1::N).
#
#  1) A's endpoint has remote B, "accept B/31 roam on" (B and C): packets
#     with the right ID from D, outside the prefix, are bad_source, one
#     count each, and move nothing; one from C, inside it, does roam the
#     wire to C.  Over IPv4 (vxlan) and IPv6 (vw).
#  2) C's standby endpoint accepts B alone: D's packets are bad_source and
#     none is held; B's are held.
#  3) C's standby endpoint holds 64 frames: of a flood of 1000 numbered
#     frames from B, every one is held or counted hold_full, at most 64
#     are held, and "vwctl set ID active" delivers exactly those, the
#     first ones, in order.
#  4) B relays to C and C to B: a frame from A is relayed once by B, and
#     C drops it (relay_loop) instead of relaying it back; the counters
#     stay put a second later.
#  5) B relays to C, whose endpoint has remote A, "accept B roam on": the
#     relayed frames are delivered but never roam the wire (rx.c roams on
#     a frame from an accepted source only when it is not marked relayed);
#     an unmarked packet from B does.
#
# The counters measured are printed as "# ..." lines.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
N=$(by_mode 10 20)
FLOOD=1000
HOLD=64
SEQ_SPORT=40000
# The inner frames of the flood: IPv4/UDP to nobody's address, numbered by
# their UDP source port; the stack drops them once delivered.
SEQ_SRC=198.51.100.200
SEQ_DST=198.51.100.201

# ------------------------------------------------------------ helpers ---

port_of()
{
	if [ "$1" = vw ]; then echo 4798; else echo 4789; fi
}

# endpoint HOST WORDS...: connector ID as vw0 of HOST, up, no addresses
# (no chatter of its own).
endpoint()
{
	local h=$1
	shift

	in_host "$h" vwctl add "$ID" dev vw0 "$@" &&
	ip -n "$(ns_of "$h")" link set vw0 addrgenmode none &&
	ip -n "$(ns_of "$h")" link set vw0 up
}

teardown()
{
	local h

	for h in A B C D; do
		ip -n "$(ns_of "$h")" link del vw0 2>/dev/null || true
	done
}

# send FROM TO FAMILY FORMAT COUNT [vwpkt options]: COUNT tunnel packets
# for ID, crafted on FROM, to TO's port of FORMAT.
send()
{
	local from=$1 to=$2 fam=$3 fmt=$4 count=$5
	shift 5

	in_host "$from" "${VWPKT[@]}" send "$(addr_of "$to" "$fam")" \
		"$(port_of "$fmt")" --fmt "$fmt" --id "$ID" --count "$count" "$@"
}

# get HOST KEY...: from one "vwctl show ID --json", the values of HOST's
# endpoint, space-separated: "remote", "state", or a counter (a traffic
# counter or a drop reason; 0 when absent).  The test reads counters often
# and python3 starts slowly in the test VM: vwctl's JSON is one line with
# no spaces, each key once per connector, which bash reads on its own.
get()
{
	local h=$1 json k out=()
	shift

	json=$(in_host "$h" vwctl show "$ID" --json) || return 1
	# The connector's members only, not the namespace's counters.
	json=${json%%'"namespace":'*}
	for k in "$@"; do
		if [[ $json =~ \"$k\":\"([^\"]*)\" ]] ||
		   [[ $json =~ \"$k\":([0-9]+) ]]; then
			out+=("${BASH_REMATCH[1]}")
		elif [ "$k" = remote ] || [ "$k" = state ]; then
			echo "no $k in: $json" >&2
			return 1
		else
			out+=(0)
		fi
	done
	echo "${out[*]}"
}

# is HOST KEY... -- VALUE...: get gives exactly VALUE...
is()
{
	local h=$1 keys=() got
	shift

	while [ "$1" != -- ]; do
		keys+=("$1")
		shift
	done
	shift
	got=$(get "$h" "${keys[@]}") || return 1
	echo "$h: ${keys[*]} = $got (want $*)"
	[ "$got" = "$*" ]
}

# at_least HOST KEY MIN: counter KEY of HOST is at least MIN.
at_least()
{
	local v

	v=$(get "$1" "$2") || return 1
	echo "$1: $2 = $v (want >= $3)"
	[ "$v" -ge "$3" ]
}

# sum_at_least HOST MIN KEY...: the counters KEY... of HOST add up to at
# least MIN.
sum_at_least()
{
	local h=$1 min=$2 v sum=0
	shift 2

	for v in $(get "$h" "$@"); do
		sum=$((sum + v))
	done
	echo "$h: $* add up to $sum (want >= $min)"
	[ "$sum" -ge "$min" ]
}

# A line for the KTAP output: checks run in a subshell, so their
# measurements reach it through a file, printed after the check.
note()
{
	echo "$*" >> "$VW_TMP/notes"
}

checkn()
{
	local l

	rm -f "$VW_TMP/notes"
	check "$@"
	if [ -f "$VW_TMP/notes" ]; then
		while IFS= read -r l; do
			ktap_info "$l"
		done < "$VW_TMP/notes"
	fi
}

# Time for a work item (a roam that should not happen) to have run.
settle()
{
	sleep 0.5
}

# ------------------------------------------ 1) accepted prefix, roaming ---

# D, outside the prefix, sends N packets: each one counted bad_source,
# nothing delivered, the remote and roams unchanged.
outside_dropped()
{
	local fam=$1 fmt=$2 b bad0 rx0 bad rx remote roams

	b=$(addr_of B "$fam")
	read -r bad0 rx0 < <(get A bad_source rx_packets) || return 1
	send D A "$fam" "$fmt" "$N" || return 1
	poll 30 at_least A bad_source $((bad0 + N)) >/dev/null
	settle
	read -r bad rx remote roams < <(get A bad_source rx_packets remote roams) ||
		return 1
	note "ipv$fam: D sent $N: A bad_source $bad0 -> $bad, rx_packets $rx0 -> $rx, remote $remote, roams $roams"
	echo "bad_source +$((bad - bad0)) (want $N), rx_packets +$((rx - rx0)) (want 0), remote $remote (want $b), roams $roams (want 0)"
	[ $((bad - bad0)) = "$N" ] && [ "$rx" = "$rx0" ] &&
		[ "$remote" = "$b" ] && [ "$roams" = 0 ]
}

# C, inside the prefix, sends one: the wire roams to C.
inside_roams()
{
	local fam=$1 fmt=$2 c t0 out

	c=$(addr_of C "$fam")
	t0=$(date +%s%N)
	send C A "$fam" "$fmt" 1 || return 1
	out=$(poll 30 is A remote roams bad_source -- "$c" 1 "$N")
	local rc=$?
	echo "$out"
	note "ipv$fam: C sent 1: A ${out#A: } after $((($(date +%s%N) - t0) / 1000000)) ms"
	return "$rc"
}

round_prefix()
{
	local fam=$1 fmt=$2 t pfx

	t="ipv$1 $2:"
	if [ "$fam" = 6 ]; then pfx=$(addr6 B)/127; else pfx=$(addr4 B)/31; fi
	checkn "$t A: $ID remote B accept $pfx (B, C) roam on" \
		endpoint A remote "$(addr_of B "$fam")" format "$fmt" \
		accept "$pfx" roam on
	checkn "$t $N packets from D (outside): bad_source +$N, not delivered, no roam" \
		outside_dropped "$fam" "$fmt"
	checkn "$t 1 packet from C (inside): A roams to C" \
		inside_roams "$fam" "$fmt"
	teardown
}

# ------------------------------------------------ 2) standby, accept ---

standby_outside()
{
	local out

	send D C 4 vxlan "$N" || return 1
	poll 30 at_least C bad_source "$N" >/dev/null
	settle
	out=$(is C bad_source held hold_full rx_packets state -- \
		"$N" 0 0 0 standby)
	local rc=$?
	echo "$out"
	note "D sent $N to C's standby endpoint: ${out#C: }"
	return "$rc"
}

standby_accepted()
{
	local out

	send B C 4 vxlan "$N" || return 1
	out=$(poll 30 is C held hold_full bad_source rx_packets state -- \
		"$N" 0 "$N" 0 standby)
	local rc=$?
	echo "$out"
	note "B sent $N to C's standby endpoint: ${out#C: }"
	return "$rc"
}

round_standby()
{
	checkn "ipv4 vxlan: C: $ID remote A standby accept B" \
		endpoint C remote "$(addr4 A)" standby accept "$(addr4 B)"
	checkn "$N packets from D (not accepted): bad_source +$N, none held" \
		standby_outside
	checkn "$N packets from B (accepted): all held" standby_accepted
	teardown
}

# -------------------------------------------------- 3) hold-queue flood ---

# B sends FLOOD numbered frames: each one held or hold_full, at most HOLD
# held.
flood_bounded()
{
	local held full bad

	send B C 6 vw "$FLOOD" --seq --udp-sport "$SEQ_SPORT" \
		--ip-src "$SEQ_SRC" --ip-dst "$SEQ_DST" || return 1
	poll 30 sum_at_least C "$FLOOD" held hold_full >/dev/null
	settle
	read -r held full bad < <(get C held hold_full bad_source) || return 1
	echo "$held" > "$VW_TMP/held"
	note "B flooded $FLOOD frames: C held $held, hold_full $full, bad_source $bad"
	echo "held $held (want <= $HOLD), held + hold_full $((held + full)) (want $FLOOD), bad_source $bad (want 0)"
	[ "$held" -ge 1 ] && [ "$held" -le "$HOLD" ] &&
		[ $((held + full)) = "$FLOOD" ] && [ "$bad" = 0 ]
}

# vwctl set ID active: exactly the held frames come out of vw0.
activate_delivers()
{
	local held rx0 out

	held=$(cat "$VW_TMP/held" 2>/dev/null) || held=
	[ -n "$held" ] || { echo "the flood check measured nothing"; return 1; }
	rx0=$(get C rx_packets) || return 1
	cap_start flood C vw0 udp || return 1
	in_host C vwctl set "$ID" active || return 1
	out=$(poll 30 is C rx_packets state -- $((rx0 + held)) active)
	local rc=$?
	settle
	cap_stop flood
	echo "$out"
	note "vwctl set $ID active: C ${out#C: } (rx_packets was $rx0, held $held)"
	[ "$rc" = 0 ] && is C rx_packets activations hold_expired -- \
		$((rx0 + held)) 1 0
}

# In the order they were sent, the first ones: UDP source ports SEQ_SPORT
# on, one each.
delivered_in_order()
{
	local held got want ports

	held=$(cat "$VW_TMP/held" 2>/dev/null) || return 1
	got=$(cap_json flood | json_eval "(lambda s: '%d frames, ports %s' % (
		len(s), ' '.join(map(str, s))))(
		[p['sport'] for p in j if p.get('src') == '$SEQ_SRC'])") ||
		return 1
	want="$held frames, ports $(seq -s ' ' "$SEQ_SPORT" $((SEQ_SPORT + held - 1)))"
	read -r -a ports <<< "${got#*ports}"
	if [ ${#ports[@]} -gt 0 ]; then
		note "captured on C's vw0: ${got%%, *}, inner UDP source" \
			"ports ${ports[0]}..${ports[-1]}"
	else
		note "captured on C's vw0: no frame of the flood"
	fi
	echo "got:  $got"
	echo "want: $want"
	[ "$got" = "$want" ]
}

round_flood()
{
	checkn "ipv6 vw: C: $ID remote A standby accept B hold $HOLD hold-time 60000" \
		endpoint C remote "$(addr6 A)" format vw standby \
		accept "$(addr6 B)" hold "$HOLD" hold-time 60000
	checkn "$FLOOD frames from B: held <= $HOLD, held + hold_full = $FLOOD" \
		flood_bounded
	checkn "vwctl set $ID active: exactly the held frames delivered" \
		activate_delivers
	checkn "they are the first frames sent, in order" delivered_in_order
	teardown
}

# ------------------------------------------------------ 4) relay loop ---

relay_pair()
{
	endpoint B remote "$(addr4 A)" accept "$(addr4 C)" &&
	endpoint C remote "$(addr4 A)" accept "$(addr4 B)" &&
	in_host B vwctl set "$ID" relay "$(addr4 C)" &&
	in_host C vwctl set "$ID" relay "$(addr4 B)"
}

relay_counters()
{
	echo "B: $(get B relayed relay_loop bad_source)" \
	     "C: $(get C relayed relay_loop bad_source)"
}

# A sends N frames to B: B relays each once, C drops each as a loop.
relay_bounded()
{
	local s1 s2 want

	send A B 4 vxlan "$N" || return 1
	poll 30 at_least C relay_loop "$N" >/dev/null
	s1=$(relay_counters) || return 1
	sleep 1
	s2=$(relay_counters) || return 1
	want="B: $N 0 0 C: 0 $N 0"
	note "A sent $N to B; relayed relay_loop bad_source: $s1; a second later: $s2"
	echo "relayed relay_loop bad_source: $s1, then $s2 (want $want)"
	[ "$s1" = "$want" ] && [ "$s2" = "$s1" ]
}

round_relay_loop()
{
	checkn "ipv4 vxlan: B relays to C, C relays to B" relay_pair
	checkn "$N frames from A: B relays each once, C drops each (relay_loop), nothing more" \
		relay_bounded
	teardown
}

# ----------------------------------------- 5) a relayed frame never roams

relay_roam_setup()
{
	endpoint B remote "$(addr6 A)" format vw &&
	in_host B vwctl set "$ID" relay "$(addr6 C)" &&
	endpoint C remote "$(addr6 A)" format vw accept "$(addr6 B)" roam on
}

relayed_no_roam()
{
	local rx0 out

	rx0=$(get C rx_packets) || return 1
	send A B 6 vw "$N" || return 1
	poll 30 at_least C rx_packets $((rx0 + N)) >/dev/null
	settle
	out=$(is C rx_packets remote roams bad_source -- \
		$((rx0 + N)) "$(addr6 A)" 0 0) &&
	out="$out; $(is B relayed -- "$N")"
	local rc=$?
	echo "$out"
	note "A sent $N to B, relayed to C: $out"
	return "$rc"
}

unmarked_roams()
{
	local out

	send B C 6 vw 1 || return 1
	out=$(poll 30 is C remote roams -- "$(addr6 B)" 1)
	local rc=$?
	echo "$out"
	note "B sent 1 unmarked packet to C: $out"
	return "$rc"
}

round_relay_roam()
{
	checkn "ipv6 vw: B relays to C; C: remote A accept B roam on" \
		relay_roam_setup
	checkn "$N frames relayed by B: delivered on C, which does not roam" \
		relayed_no_roam
	checkn "control: 1 unmarked packet from B roams C to B" unmarked_roams
	teardown
}

# ------------------------------------------------------- 6) refusals ---

# refused WORDS... -- MESSAGE: vwctl set on A's endpoint fails naming it
# and changes nothing.
refused()
{
	local before after out words=()

	while [ "$1" != -- ]; do words+=("$1"); shift; done
	before=$(in_host A vwctl show "$ID" --json) || return 1
	out=$(fails_with_message in_host A vwctl set "$ID" "${words[@]}") ||
		{ echo "$out"; return 1; }
	echo "$out"
	after=$(in_host A vwctl show "$ID" --json | sed 's/"stats":.*//')
	[[ $out == *"$2"* ]] && [ "$after" = "$(sed 's/"stats":.*//' <<< "$before")" ]
}

round_refusals()
{
	endpoint A remote "$(addr4 B)" accept "$(addr4 C)" roam on
	checkn "a relay of another family than the remote is refused, naming it" \
		refused relay "$(addr6 C)" -- "the relay address is of another family"
	checkn "a relay to the remote itself is refused" \
		refused relay "$(addr4 B)" -- "the relay address is the remote's"
	in_host A ip link add vwx type virtualwire
	checkn "a local wire in standby is refused" \
		refused peer vwx standby -- "a local wire (peer) takes no"
	in_host A ip link del vwx
	teardown
}

# ------------------------------------------------------------- main ---

# Every pair that sends, at once.
warm()
{
	local fam pair pids=() rc=0

	for fam in 4 6; do
		for pair in D:A C:A D:C B:C A:B C:B; do
			wait_ping "${pair%:*}" "$(addr_of "${pair#*:}" "$fam")" &
			pids+=($!)
		done
	done
	for pair in "${pids[@]}"; do
		wait "$pair" || rc=1
	done
	return "$rc"
}

ktap_header
require_env
ktap_plan 22

topo_create A B C D
# The senders' neighbour entries first: a packet waiting for one may be
# dropped, and the counts must be exact.
checkn "hosts A, B, C, D: underlay neighbours resolved" warm

round_prefix 4 vxlan
round_prefix 6 vw
round_standby
round_flood
round_relay_loop
round_relay_roam
round_refusals

ktap_finished
