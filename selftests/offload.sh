#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offloads, for both formats over both underlay families, measured around
# one TCP transfer of 8 MB of pseudo-random bytes from A to B:
#
#   TX: the endpoint takes TCP super-packets whole (SG, HW_CSUM,
#   GSO_SOFTWARE) and encapsulates each once, so A's vw0 sends far more
#   bytes per packet than its MTU.
#
#   RX: the UDP socket's GRO merges the encapsulated segments of one
#   connector, so B's vw0 delivers far fewer packets than B's eth0
#   received.  For there to be segments at all, A's eth0 segments in
#   software (a veth would otherwise pass A's super-packets through whole),
#   and B's eth0 runs GRO (NAPI).  With GRO off on B's eth0 the ratio falls
#   to about 1: the control that shows the RX assertion can fail.
#
#   Integrity: the bytes arrive with the SHA-256 they left with, through
#   segmentation on A and merging on B.
#
#   host A: eth0 (no GSO/TSO)  vw0 42 --- switch --- host B: eth0 (GRO) vw0 42

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
MTU=1450
XFER=$(($(by_mode 2 8) << 20))
XFER_PORT=5001
# The fewest wire packets worth a ratio: far fewer than the transfer
# takes, far more than the setup's few.
MIN_PKTS=1000

# inner HOST FAMILY: the inner address of that family.
inner()
{
	if [ "$2" = 6 ]; then inner6 "$1"; else inner4 "$1"; fi
}

# endpoint HOST PEER FAMILY FORMAT: a fresh vw0 to PEER, addressed and up
# (vw_endpoint's, in fewer processes: each costs a lot under emulation).
endpoint()
{
	local h=$1

	ipn "$h" link del vw0 2>/dev/null || true
	in_host "$h" vwctl add $ID dev vw0 remote "$(addr_of "$2" "$3")" \
		format "$4" &&
	ipn "$h" -batch - <<-EOF
		addr add $(inner4 "$h")/24 dev vw0
		addr add $(inner6 "$h")/64 dev vw0 nodad
		link set vw0 up
	EOF
}

pair()
{
	endpoint A B "$1" "$2" &&
	endpoint B A "$1" "$2" &&
	wait_ping A "$(inner B "$1")"
}

# dev_stat HOST DEV rx|tx: the device's bytes and packets that way.  No
# JSON parser: under emulation each python3 costs seconds.
dev_stat()
{
	local out re="\"$3\":\\{\"bytes\":([0-9]+),\"packets\":([0-9]+)"

	out=$(ipn "$1" -j -s link show dev "$2") || return 1
	[[ $out =~ $re ]] || { echo "no $3 counters in: $out" >&2; return 1; }
	echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
}

# The counters the assertions compare, on one line: A's vw0 tx bytes and
# packets, B's eth0 rx packets (the wire), B's vw0 rx packets (delivered).
counters()
{
	local a e v

	a=$(dev_stat A vw0 tx) && e=$(dev_stat B eth0 rx) &&
	v=$(dev_stat B vw0 rx) &&
	echo "$a ${e#* } ${v#* }"
}

# xfer FAMILY: XFER pseudo-random bytes over TCP from A to B's inner
# address of FAMILY.  The digests of what was sent and what arrived go to
# $VW_TMP/sent and $VW_TMP/got, the counters' deltas to $VW_TMP/delta.
xfer()
{
	local addr line="" c before after end i d=""

	addr=$(inner B "$1")
	rm -f "$VW_TMP"/{sent,got,delta,xfer.err}
	# Not in_host, a function: $! must be the server itself (ip execs it).
	ip netns exec "$(ns_of B)" python3 "$SELFTESTS_DIR/offload_xfer.py" \
		server "$addr" $XFER_PORT > "$VW_TMP/got" 2> "$VW_TMP/xfer.err" &
	end=$((SECONDS + 30))
	until [ "$line" = listening ]; do
		if [ $SECONDS -ge $end ]; then
			echo "server did not start:"
			cat "$VW_TMP/xfer.err"
			return 1
		fi
		sleep 0.2
		read -r line < "$VW_TMP/xfer.err" || true
	done
	c=$(counters) || return 1
	read -r -a before <<< "$c"
	if ! in_host A timeout 120 python3 "$SELFTESTS_DIR/offload_xfer.py" \
		client "$addr" $XFER_PORT $XFER $RANDOM > "$VW_TMP/sent"; then
		# Or the next transfer's server finds the port taken.
		kill $! 2>/dev/null
		return 1
	fi
	# The server's digest, printed once it saw the end of the stream.
	wait $! || { cat "$VW_TMP/xfer.err"; return 1; }
	c=$(counters) || return 1
	read -r -a after <<< "$c"
	for i in 0 1 2 3; do
		d+="$((after[i] - before[i])) "
	done
	echo "$d" > "$VW_TMP/delta"
	echo "A vw0 tx bytes, tx packets; B eth0 rx packets, vw0 rx packets: $d"
}

# Deltas of the last transfer: txb txp wire rxp.
delta()
{
	cat "$VW_TMP/delta" 2>/dev/null || echo "0 0 0 0"
}

tx_whole()
{
	local txb txp wire rxp

	read -r txb txp wire rxp < <(delta)
	echo "A vw0: $txb bytes in $txp packets (want > $((3 * MTU)) each)"
	[ "$txp" -ge 1 ] && [ "$txb" -ge $XFER ] &&
	[ "$txb" -gt $((3 * MTU * txp)) ]
}

# gro_ratio merged|unmerged: B's eth0 rx packets against B's vw0 rx
# packets over the last transfer (of at least MIN_PKTS wire packets):
# "merged", at least 3 times as many; "unmerged", less than 1.5 times.
gro_ratio()
{
	local txb txp wire rxp

	read -r txb txp wire rxp < <(delta)
	echo "B: $wire packets on eth0, $rxp delivered by vw0"
	[ "$wire" -ge $MIN_PKTS ] && [ "$rxp" -ge 1 ] || return 1
	case $1 in
	merged) [ "$wire" -ge $((3 * rxp)) ] ;;
	unmerged) [ $((2 * wire)) -lt $((3 * rxp)) ] ;;
	esac
}

# What B received is what A sent: same length, same SHA-256.
intact()
{
	local sent got

	sent=$(cat "$VW_TMP/sent" 2>/dev/null)
	got=$(cat "$VW_TMP/got" 2>/dev/null)
	echo "sent:     $sent"
	echo "received: $got"
	[ -n "$sent" ] && [ "$got" = "$sent" ]
}

ktap_header
require_env
command -v ethtool >/dev/null || ktap_skip_all "ethtool not found"
ktap_plan 23

topo_create A B
# A veth skips GRO for what its peer could have sent as TSO super-packets
# (veth_skb_is_eligible_for_gro()): the switch's port facing B must not
# claim TSO, or B's eth0 never merges anything.
in_host sw ethtool -K B tso off
in_host A ethtool -K eth0 tx-udp_tnl-segmentation off \
	tx-udp_tnl-csum-segmentation off gso off tso off
in_host B ethtool -K eth0 gro on

for fam in 4 6; do
	for fmt in vxlan vw; do
		cfg="$fmt over IPv$fam"
		check "$cfg: connector $ID between A and B" pair $fam $fmt
		check "$cfg: $XFER bytes over TCP A -> B" xfer $fam
		check "$cfg: A's vw0 sent super-packets (> 3 x MTU per packet)" \
			tx_whole
		check "$cfg: GRO: B's eth0 rx packets >= 3 x vw0 rx packets" \
			gro_ratio merged
		check "$cfg: the bytes arrived intact" intact
	done
done

# The control: no GRO on B, every segment crosses vw0 on its own.
check "vxlan over IPv4, B's eth0 GRO off: connector $ID" pair 4 vxlan
in_host B ethtool -K eth0 gro off
check "GRO off: $XFER bytes over TCP A -> B" xfer 4
check "GRO off: B's eth0 rx packets < 1.5 x vw0 rx packets" gro_ratio unmerged

ktap_finished
