#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of selftests/vwseq, the sequenced-datagram stream that
# measures frame loss (selftests/migration.sh), over the host's loopback:
#
#   vwseq send -d ADDR -p PORT [-r RATE] [-n COUNT | -t SECONDS | -f SECONDS]
#              [-s SIZE] [-i STREAM_ID]
#              [--skip A[-B]]... [--dup K] [--swap K]          (tests only)
#   vwseq recv -p PORT [-b BIND_ADDR] [-t IDLE_S] [-T TOTAL_S]
#              [-e EXPECTED] [-i STREAM_ID] [-w]
#              [-B RCVBUF] [--stall-ms MS]                      (tests only)
#
# The sender prints sent, seqs, skipped, send_errors, seconds and rate; the
# receiver port=N once bound, then received, expected, lost, rcvbuf_drops,
# wire_lost, duplicated, reordered, foreign, first_seq, last_seq,
# max_gap_ms, lost_ranges (-w), holes, max_gap_seqs and rcvbuf, as
# key=value lines (see the top of selftests/vwseq.c).
#
# Asserted, exactly: a clean stream over 127.0.0.1 and ::1 loses nothing
# and is paced (1000 datagrams at 1000/s take about a second, never less);
# holes the sender makes (--skip, at the start, middle and end), a
# duplicate (--dup) and a swap (--swap) are reported as such, with the
# lost ranges; another stream's and malformed datagrams are foreign; a
# receiver started late counts the stream's beginning as lost; a receiver
# with a tiny buffer that stops reading (-B, --stall-ms) overflows, and
# all its loss is rcvbuf_drops, none wire_lost; SIGINT stops the sender
# and SIGTERM the receiver at once, both with their report, the receiver
# counting what was queued; with -f, SIGUSR1 ends the stream that many
# seconds later, and the receiver learns the count from the datagrams;
# SIGUSR2 marks where the stream was (marks=A,B: what was sent between).
# About 9 s.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
vwseq=$top/selftests/vwseq
tmp=$(mktemp -d)
rx_pid=
tx_pid=
trap 'kill $rx_pid $tx_pid 2> /dev/null; rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

# val OUT KEY: the value of KEY in $tmp/OUT.
val() {
	sed -n "s/^$2=//p" "$tmp/$1"
}

# keys OUT KEY...: "KEY=value ..." of $tmp/OUT.
keys() {
	local out=$1 k

	shift
	for k; do
		printf '%s=%s ' "$k" "$(val "$out" "$k")"
	done
}

# holds AWK-CONDITION VAR=VALUE...: "yes", or "no" and the values.
holds() {
	local cond=$1

	shift
	awk "$@" "BEGIN { print ($cond) ? \"yes\" : \"no\" }"
}

# rx OUT ARG...: a receiver in the background, its report in $tmp/OUT;
# sets rx_pid, and port once it is bound (fails if it is not).
rx() {
	local out=$tmp/$1 i

	shift
	rm -f "$out"	# a port read from an old report would be wrong
	"$vwseq" recv -p 0 -T 10 "$@" > "$out" 2> "$out.err" &
	rx_pid=$!
	port=
	for ((i = 0; i < 200; i++)); do
		port=$(sed -n 's/^port=//p' "$out" 2> /dev/null)
		[ -z "$port" ] || return 0
		kill -0 "$rx_pid" 2> /dev/null || break
		sleep 0.05
	done
	sed 's/^/# /' "$out.err"
	return 1
}

# rx_wait: the receiver's exit status, once it has reported.
rx_wait() {
	wait "$rx_pid"
	local rc=$?

	rx_pid=
	return $rc
}

# tx OUT ARG...: a sender, its report in $tmp/OUT.
tx() {
	local out=$tmp/$1

	shift
	"$vwseq" send "$@" > "$out" 2> "$out.err"
}

echo "TAP version 13"
echo "1..31"

if ! make -s -C "$top/selftests" vwseq > "$tmp/make.log" 2>&1; then
	sed 's/^/# /' "$tmp/make.log"
	echo "not ok 1 - build selftests/vwseq"
	exit 1
fi

# A clean stream over IPv4; the receiver ends once all have arrived.
if rx clean4 -b 127.0.0.1; then
	tx sent4 -d 127.0.0.1 -p "$port" -n 1000
	rx_wait
	ok "ipv4: the sender's counts" \
		"$(keys sent4 sent seqs skipped send_errors)" \
		"sent=1000 seqs=1000 skipped=0 send_errors=0 "
	ok "ipv4: paced, 1000 at 1000/s in 0.999 to 2 s" \
		"$(holds 's >= 0.999 && s < 2' -v s="$(val sent4 seconds)")" yes
	ok "ipv4: nothing lost" \
		"$(keys clean4 received expected lost wire_lost rcvbuf_drops)" \
		"received=1000 expected=1000 lost=0 wire_lost=0 rcvbuf_drops=0 "
	ok "ipv4: in order, once each" \
		"$(keys clean4 duplicated reordered foreign first_seq last_seq \
			holes max_gap_seqs)" \
		"duplicated=0 reordered=0 foreign=0 first_seq=0 last_seq=999 holes=0 max_gap_seqs=0 "
	ok "ipv4: a receive buffer of 4 MiB" \
		"$(holds 'b >= 4194304' -v b="$(val clean4 rcvbuf)")" yes
else
	for i in 1 2 3 4 5; do
		ok "ipv4: receiver bound to 127.0.0.1" no yes
	done
fi

# IPv6, large datagrams, a duration rather than a count.
# The first receiver hears only another stream: it stops after 1 s.
if rx clean6 -b ::1 -T 1; then
	tx sent6 -d ::1 -p "$port" -r 2000 -t 0.25 -s 1400 -i 9
	rx_wait
	ok "ipv6: -t 0.25 at 2000/s sends 500" \
		"$(keys sent6 sent seqs send_errors)" \
		"sent=500 seqs=500 send_errors=0 "
	ok "ipv6: a stream of another id is foreign" \
		"$(keys clean6 received foreign)" "received=0 foreign=500 "
	rx stream6 -b ::1 -i 9
	tx sent6 -d ::1 -p "$port" -r 2000 -t 0.25 -s 1400 -i 9
	rx_wait
	ok "ipv6: nothing lost" \
		"$(keys stream6 received expected lost duplicated reordered \
			foreign)" \
		"received=500 expected=500 lost=0 duplicated=0 reordered=0 "\
"foreign=0 "
else
	for i in 1 2 3; do
		skip "ipv6 over ::1" "cannot bind ::1 (no IPv6?)"
	done
fi

# The sender's faults: holes at the start, middle and end (the receiver
# knows the planned count from the datagrams), seq 30 twice, 6 before 5
# (first_seq is the lowest, not the first to arrive).
rx faults -t 0.5 -w
tx tx_faults -d 127.0.0.1 -p "$port" -n 600 --skip 0-4 --skip 100-399 \
	--skip 450 --skip 590-599 --dup 30 --swap 5
rx_wait
ok "faults: the sender's counts" \
	"$(keys tx_faults sent seqs skipped send_errors)" \
	"sent=285 seqs=600 skipped=316 send_errors=0 "
ok "faults: the loss, all of it on the wire" \
	"$(keys faults received expected lost rcvbuf_drops wire_lost)" \
	"received=284 expected=600 lost=316 rcvbuf_drops=0 wire_lost=316 "
ok "faults: one duplicate, one reorder" \
	"$(keys faults duplicated reordered foreign)" \
	"duplicated=1 reordered=1 foreign=0 "
ok "faults: the lost ranges" \
	"$(keys faults lost_ranges holes max_gap_seqs first_seq last_seq)" \
	"lost_ranges=0-4,100-399,450,590-599 holes=4 max_gap_seqs=300 "\
"first_seq=5 last_seq=589 "
ok "faults: 300 missing at 1000/s: a gap of 200 ms or more" \
	"$(holds 'g >= 200 && g < 2000' -v g="$(val faults max_gap_ms)")" yes

# Foreign datagrams: another stream, a wrong magic, a runt; -e beyond
# what is sent.
rx foreign -i 5 -e 300 -t 0.5 -w
tx tx_other -d 127.0.0.1 -p "$port" -i 6 -n 20 -r 5000
head -c 64 /dev/zero > "/dev/udp/127.0.0.1/$port"
printf 'VWSQ' > "/dev/udp/127.0.0.1/$port"
tx tx_foreign -d 127.0.0.1 -p "$port" -i 5 -n 200 -r 2000
rx_wait
ok "foreign: counted apart" \
	"$(keys foreign foreign received duplicated)" \
	"foreign=22 received=200 duplicated=0 "
ok "foreign: -e 300 expects 300" \
	"$(keys foreign expected lost lost_ranges)" \
	"expected=300 lost=100 lost_ranges=200-299 "

# A receiver started late (on the last port, free again): the stream's
# beginning is lost; ICMP port unreachable fails no send.
late=$port
tx tx_late -d 127.0.0.1 -p "$late" -n 1000 &
tx_pid=$!
sleep 0.2
rx late -p "$late" -t 0.5 -w
wait "$tx_pid"
tx_pid=
rx_wait
first=$(val late first_seq)
ok "late: started after the first datagrams" \
	"$(holds 'f > 0 && f < 1000' -v f="$first")" yes
ok "late: the sender saw no error" "$(keys tx_late sent send_errors)" \
	"sent=1000 send_errors=0 "
if [ "$(holds 'f > 0 && f < 1000' -v f="$first")" = yes ]; then
	ok "late: the beginning lost, on the wire" \
		"$(keys late received lost wire_lost lost_ranges holes)" \
		"received=$((1000 - first)) lost=$first wire_lost=$first "\
"lost_ranges=0-$((first - 1)) holes=1 "
else
	ok "late: the beginning lost, on the wire" "first_seq=$first" \
		"first_seq > 0"
fi

# The receiver's own drops: the smallest buffer, not read for 300 ms.
rx stall -B 1 --stall-ms 300 -t 0.5 -w
tx tx_stall -d 127.0.0.1 -p "$port" -n 600
rx_wait
drops=$(val stall rcvbuf_drops)
ok "rcvbuf: the socket dropped datagrams" "$(holds 'd > 0' -v d="$drops")" yes
ok "rcvbuf: all the loss is the socket's" "$(keys stall lost)" \
	"lost=${drops:-?} "
ok "rcvbuf: none on the wire" \
	"$(keys stall wire_lost duplicated reordered expected)" \
	"wire_lost=0 duplicated=0 reordered=0 expected=600 "
ok "rcvbuf: received + lost = sent" \
	"$(holds 'r != "" && r + l == 600' -v r="$(val stall received)" \
		-v l="$(val stall lost)")" yes

# Signals: a sender without an end, stopped by SIGINT; a receiver without
# a timeout, stopped by SIGTERM while it does not read (--stall-ms): it
# reads what is queued, then reports.  Both exit 0 at once.
rx signals -t 30 --stall-ms 1000
"$vwseq" send -d 127.0.0.1 -p "$port" -r 2000 > "$tmp/tx_signals" 2>&1 &
tx_pid=$!
sleep 0.3
kill -INT "$tx_pid"
wait "$tx_pid"
ok "SIGINT: the sender stops, exit 0" "$?" 0
tx_pid=
sent=$(val tx_signals sent)
seqs=$(val tx_signals seqs)
ok "SIGINT: the sender reports" \
	"$(holds 's > 0 && s == q' -v s="$sent" -v q="$seqs")" yes
kill -TERM "$rx_pid"
for ((i = 0; i < 40; i++)); do
	kill -0 "$rx_pid" 2> /dev/null || break
	sleep 0.05
done
if kill -0 "$rx_pid" 2> /dev/null; then
	ok "SIGTERM: the receiver stops within 2 s" "running" "exited"
	kill -KILL "$rx_pid"
	rx_wait
else
	rx_wait
	ok "SIGTERM: the receiver stops within 2 s, exit 0" "$?" 0
fi
ok "SIGTERM: the receiver reports all that was sent" \
	"$(keys signals received expected lost)" \
	"received=${sent:-?} expected=${sent:-?} lost=0 "

# -f: no end until SIGUSR1, then 0.25 s more at 2000/s: 500 datagrams
# after the signal; the receiver (no -e) stops once it has them all.
rx finish -t 5
"$vwseq" send -d 127.0.0.1 -p "$port" -r 2000 -f 0.25 > "$tmp/tx_finish" 2>&1 &
tx_pid=$!
sleep 0.5
t0=$(date +%s%N)
kill -USR1 "$tx_pid"
wait "$tx_pid"
rc=$?
t1=$(date +%s%N)
tx_pid=
rx_wait
seqs=$(val tx_finish seqs)
ok "SIGUSR1 with -f 0.25: the sender ends 0.25 to 2 s later, exit 0" \
	"$(holds 'd >= 0.25 && d < 2 && rc == 0' -v d="$(((t1 - t0) / 1000))e-6" \
		-v rc="$rc")" yes
ok "SIGUSR1 with -f 0.25: more than the 500 of the tail, all sent" \
	"$(holds 's > 500 && s == q' -v s="$(val tx_finish sent)" -v q="$seqs")" yes
ok "SIGUSR1 with -f 0.25: the receiver learned the count, nothing lost" \
	"$(keys finish received expected lost last_seq)" \
	"received=${seqs:-?} expected=${seqs:-?} lost=0 last_seq=$((${seqs:-0} - 1)) "

# SIGUSR2, twice 0.5 s apart at 1000/s: marks about 500 apart (the
# sender keeps its rate by the clock, whenever it was scheduled; a loaded
# host may run it 0.2 s late).
rx marks -t 5
"$vwseq" send -d 127.0.0.1 -p "$port" -r 1000 -f 0.05 > "$tmp/tx_marks" 2>&1 &
tx_pid=$!
sleep 0.3
kill -USR2 "$tx_pid"
t0=$(date +%s%N)
sleep 0.5
kill -USR2 "$tx_pid"
t1=$(date +%s%N)
kill -USR1 "$tx_pid"
wait "$tx_pid"
tx_pid=
rx_wait
IFS=, read -r m0 m1 <<< "$(val tx_marks marks)"
ok "SIGUSR2 twice: two marks, as far apart as the time between at 1000/s" \
	"$(holds 'm1 - m0 >= (t1 - t0) / 1e6 - 200 && m1 - m0 <= (t1 - t0) / 1e6 + 200 && m0 > 0' \
		-v m0="${m0:-0}" -v m1="${m1:-0}" -v t0="$t0" -v t1="$t1")" yes

# Bad arguments.
"$vwseq" send -d 127.0.0.1 -p 9 -s 31 > /dev/null 2>&1
rc1=$?
"$vwseq" send -d 127.0.0.1 -p 9 -n 10 --swap 9 > /dev/null 2>&1
rc2=$?
"$vwseq" send -d 127.0.0.1 -p 9 -n 10 -f 1 > /dev/null 2>&1
rc3=$?
"$vwseq" listen > /dev/null 2>&1
ok "usage: a datagram smaller than the header, a swap past the end, -n with -f, no mode" \
	"$rc1 $rc2 $rc3 $?" "2 2 2 2"

ktap_totals
