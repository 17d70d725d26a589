#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink family as a raw client sees it (vwnl.py): requests
# vwctl would never send are refused with the exact errno and extended ack
# message, pointing at the offending attribute, and change nothing (the
# dump and the device list are the same before and after, and no event is
# announced); the limits of each attribute are accepted and read back by
# GET; add, set and del are announced on the "events" group.
#
# The kernel's own policy checks answer with its generic messages
# ("integer out of range"); those of the module are in vwctl's words, the
# reason only where the ack points at the attribute, and no message names
# an internal constant (include/uapi/linux/virtualwire.h, "Error
# messages").  Kernels before 6.2 say the messages with values in them
# without the values.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# -S: no site packages, which only cost a second per run under TCG.
VWNL=(python3 -S "$SELFTESTS_DIR/vwnl.py")

nl()
{
	in_host A "${VWNL[@]}" "$@"
}

# refused ERRNO MSG WHERE CMD ATTR...: vwnl.py req CMD ATTR... fails with
# exactly ERRNO and the extack MSG; WHERE is the line naming the attribute
# the ack points at ("attr VW_A_X" for NLMSGERR_ATTR_OFFS, "miss VW_A_X" for
# NLMSGERR_ATTR_MISS_TYPE) or "-" for none.  Nothing may change: every
# endpoint as GET dumps it, and the devices of the namespace, are the same
# before and after (vwnl.py --unchanged).
refused()
{
	local want out

	want="errno $1"$'\n'"msg $2"
	[ "$3" = - ] || want+=$'\n'"$3"
	shift 3
	out=$(nl req --unchanged "$@") || return 1
	sed -n 's/^msg //p' <<< "$out" >> "$VW_TMP/acks"
	if [ "$out" != "$want" ]; then
		printf 'got:\n%s\nwant:\n%s\n' "$out" "$want"
		return 1
	fi
}

# refused_either ERRNO MSG1 MSG2 ATTRLINE CMD ATTR...: refused with one of
# two messages.
refused_either()
{
	local errno=$1 m1=$2 m2=$3 attr=$4
	shift 4

	refused "$errno" "$m1" "$attr" "$@" > /dev/null ||
		refused "$errno" "$m2" "$attr" "$@"
}

# accepted CMD ATTR...: acked without an error or a message.
accepted()
{
	local out

	out=$(nl req "$@") || return 1
	[ "$out" = "errno 0" ] || { echo "$out"; return 1; }
}

# Every message the refusals above brought, but the kernel core's own
# ("NLA_F_NESTED not expected" on 6.1), names no internal constant.
acks_in_words()
{
	[ -s "$VW_TMP/acks" ] || { echo "no message was collected"; return 1; }
	grep -v '^NLA_F_NESTED not expected$' "$VW_TMP/acks" > "$VW_TMP/acks.own"
	no_internal_names "$VW_TMP/acks.own"
}

# get_test SELECTOR EXPR: EXPR over j, the GET reply for SELECTOR
# (ID=N, IFNAME=X, ...), keyed by attribute name without VW_A_.
get_test()
{
	nl req get "$1" --test "$2"
}

dump_test()
{
	nl dump | json_test "$1"
}

added_ok()
{
	accepted "$@" &&
	get_test "$2" "j['cmd'] == 'get' and j['WIRE'] == 0"
}

set_only_ok()
{
	accepted set IFNAME=vwmax TTL=0 &&
	get_test ID=16777215 "j['TTL'] == 0 and j['TOS'] == 256 and
		j['PORT'] == 65535 and j['DF'] == 2 and j['CSUM'] == 0 and
		j['SRCPORT_MIN'] == 1 and j['REMOTE4'] == '192.0.2.9'"
}

del_ifindex_ok()
{
	local idx

	idx=$(ifindex A vwvw) &&
	accepted del IFINDEX="$idx" &&
	refused ENOENT "no endpoint has this connector ID" \
		"attr VW_A_ID" get ID=4294967295
}

# The events group, in the background until mon_stop.
mon_start()
{
	mkfifo "$VW_TMP/mon.in"
	exec 7<>"$VW_TMP/mon.in"
	nl monitor stdin <&7 >"$VW_TMP/mon.out" 2>"$VW_TMP/mon.err" &
	poll 30 grep -q ready "$VW_TMP/mon.err"
}

# Runs in a subshell of check, which cannot wait for the monitor: it says
# when it is done.
mon_stop()
{
	echo stop >&7
	poll 30 grep -q stopped "$VW_TMP/mon.err"
}

# What was announced while the monitor ran: exactly these events, in this
# order (the refused requests above announced nothing).
events_ok()
{
	mon_stop || { cat "$VW_TMP/mon.err"; return 1; }
	python3 - "$VW_TMP/mon.out" <<'EOF'
import json, sys
ev = [json.loads(line) for line in open(sys.argv[1])]
got = [(e["cmd"], e.get("ID"), e.get("IFNAME")) for e in ev]
want = [("new", 16777215, "vwmax"), ("new", 4294967295, "vwvw"),
        ("changed", 16777215, "vwmax"), ("removed", 4294967295, "vwvw")]
ok = got == want
# An event carries the endpoint as GET does: the new configuration, stats.
ok = ok and ev[2]["TTL"] == 0 and ev[2]["PORT"] == 65535 and \
    "STATS" in ev[0] and ev[1]["REMOTE6"] == "2001:db8::4"
if not ok:
    print("events:", *ev, sep="\n")
    print("want:", want)
    sys.exit(1)
EOF
}

ktap_header
require_env
ktap_plan 50

topo_create A
in_host A vwctl add 10 dev vwa remote 192.0.2.2
in_host A vwctl add 16777216 dev vwb remote 192.0.2.3 format vw
in_host A ip link add vwu type virtualwire
VWA_IDX=$(ifindex A vwa)

check "dump: every endpoint, bound or not" \
	dump_test "len(j['endpoints']) == 3 and
		sorted(e['IFNAME'] for e in j['endpoints']) == ['vwa', 'vwb', 'vwu']"
mon_start

R4=REMOTE4=192.0.2.9
VXLAN_ID="the connector ID is above 16777215, the largest format vxlan carries"
TWICE="the endpoint is named twice; give its ID or dev NAME, not both"
check "ADD without VW_A_ID: EINVAL, missing VW_A_ID" \
	refused EINVAL "no connector ID given; add needs one" \
	"miss VW_A_ID" add "$R4"
check "ADD with VW_A_ID of 2 bytes: EINVAL, invalid length" \
	refused EINVAL "invalid attribute length" "attr VW_A_ID" \
	add ID:u16=20 "$R4"
check "ADD with VW_A_ID of 8 bytes: EINVAL, invalid length" \
	refused EINVAL "invalid attribute length" "attr VW_A_ID" \
	add ID:u64=20 "$R4"
check "ADD with VW_A_FORMAT 7: ERANGE" \
	refused ERANGE "integer out of range" "attr VW_A_FORMAT" \
	add ID=20 FORMAT=7 "$R4"
check "ADD with VW_A_TTL 300: ERANGE" \
	refused ERANGE "integer out of range" "attr VW_A_TTL" \
	add ID=20 TTL=300 "$R4"
check "ADD with VW_A_TOS 257: ERANGE" \
	refused ERANGE "integer out of range" "attr VW_A_TOS" \
	add ID=20 TOS=257 "$R4"
check "ADD with VW_A_PORT 0: ERANGE" \
	refused ERANGE "integer out of range" "attr VW_A_PORT" \
	add ID=20 PORT=0 "$R4"
check "ADD with VW_A_DF 3: ERANGE" \
	refused ERANGE "integer out of range" "attr VW_A_DF" \
	add ID=20 DF=3 "$R4"
check "ADD with VW_A_CSUM 2: ERANGE" \
	refused ERANGE "integer out of range" "attr VW_A_CSUM" \
	add ID=20 CSUM=2 "$R4"
check "ADD with unknown attribute type 200: EINVAL" \
	refused EINVAL "Unknown attribute type" "attr 200" \
	add ID=20 200:u32=1 "$R4"
check "ADD with VW_A_REMOTE4 of 3 bytes: ERANGE" \
	refused ERANGE "binary attribute size out of range" \
	"attr VW_A_REMOTE4" add ID=20 REMOTE4:hex=c00002
check "ADD with VW_A_REMOTE6 of 4 bytes: ERANGE" \
	refused ERANGE "binary attribute size out of range" \
	"attr VW_A_REMOTE6" add ID=20 REMOTE6:hex=20010db8
check "ADD with both VW_A_REMOTE4 and VW_A_REMOTE6: EINVAL" \
	refused EINVAL "one remote address, IPv4 or IPv6, not both" \
	"attr VW_A_REMOTE6" add ID=20 "$R4" REMOTE6=2001:db8::9
# As GET returns it: a nest.
# With NLA_F_NESTED set, older kernels' core (6.1) refuses the flag on a
# non-nest policy before our policy's message gets a say.
check "ADD with VW_A_STATS (a nest): EINVAL, read-only" \
	refused_either EINVAL "the counters are read-only" \
	"NLA_F_NESTED not expected" "attr VW_A_STATS" \
	add ID=20 "$R4" STATS=
check "ADD with VW_A_STATS without NLA_F_NESTED: EINVAL, read-only" \
	refused EINVAL "the counters are read-only" "attr VW_A_STATS" \
	add ID=20 "$R4" STATS:rawnest=
check "ADD with VW_A_WIRE: EINVAL, read-only" \
	refused EINVAL "the wire is read-only; a remote makes it UDP, a peer local" \
	"attr VW_A_WIRE" add ID=20 "$R4" WIRE=1
check "ADD with vxlan ID 16777216: ERANGE" \
	refused ERANGE "$VXLAN_ID" "attr VW_A_ID" add ID=16777216 "$R4"
check "ADD with a duplicate ID: EEXIST, naming the device that holds it" \
	refused_either EEXIST "connector ID 10 is taken by vwa" \
	"the connector ID is taken by another endpoint of this namespace" \
	"attr VW_A_ID" add ID=10 "$R4"
check "ADD without a remote or a peer: EINVAL" \
	refused EINVAL "no remote or peer given; a connector needs remote ADDR or peer DEV" \
	- add ID=20
check "ADD with VW_A_IFINDEX: EINVAL" \
	refused EINVAL "add names the device by dev NAME, not by index" \
	"attr VW_A_IFINDEX" add ID=20 IFINDEX="$VWA_IDX" "$R4"
check "ADD naming a device of another kind: EEXIST" \
	refused EEXIST "a device of another kind has this name" \
	"attr VW_A_IFNAME" add ID=20 IFNAME=lo "$R4"
check "ADD with an invalid device name: EINVAL, named" \
	refused EINVAL "not a valid device name" \
	"attr VW_A_IFNAME" add ID=20 IFNAME=a/b "$R4"
check "ADD with a 16-character VW_A_IFNAME: EINVAL" \
	refused EINVAL "Attribute failed policy validation" "attr VW_A_IFNAME" \
	add ID=20 IFNAME=abcdefghijklmnop "$R4"
check "ADD with TOS ECN bits set: EINVAL" \
	refused EINVAL "the two ECN bits of tos must be zero; ECN comes from the inner header" \
	"attr VW_A_TOS" add ID=20 TOS=1 "$R4"
check "ADD with nonzero genl reserved field: EINVAL" \
	refused EINVAL "genlmsghdr.reserved field is not 0" - \
	add --resv 1 ID=20 "$R4"
check "SET named by VW_A_ID and VW_A_IFNAME: EINVAL" \
	refused EINVAL "$TWICE" "attr VW_A_IFNAME" set ID=10 IFNAME=vwa TTL=5
check "SET named by VW_A_IFINDEX and VW_A_IFNAME: EINVAL" \
	refused EINVAL "$TWICE" "attr VW_A_IFNAME" \
	set IFINDEX="$VWA_IDX" IFNAME=vwa TTL=5
check "SET named by VW_A_ID and VW_A_IFINDEX: EINVAL" \
	refused EINVAL "$TWICE" "attr VW_A_IFINDEX" \
	set ID=10 IFINDEX="$VWA_IDX" TTL=5
check "SET naming no endpoint: EINVAL, missing VW_A_ID" \
	refused EINVAL "no endpoint named; give its connector ID or dev NAME" \
	"miss VW_A_ID" set TTL=5
check "SET making an endpoint its own peer: EINVAL" \
	refused EINVAL "an endpoint cannot be its own peer" \
	"attr VW_A_PEER_IFNAME" set IFNAME=vwa PEER_IFNAME=vwa
check "SET with a peer bound to another ID: EINVAL, naming it" \
	refused_either EINVAL "the peer vwb is bound to connector ID 16777216, not this one" \
	"the peer is bound to another connector ID" \
	"attr VW_A_PEER_IFNAME" set IFNAME=vwa PEER_IFNAME=vwb
check "SET with VW_A_TTL 300: ERANGE, the endpoint unchanged" \
	refused ERANGE "integer out of range" "attr VW_A_TTL" \
	set ID=10 TTL=300 TOS=4
check "SET format vxlan on ID 16777216: ERANGE, checked as a whole" \
	refused ERANGE "$VXLAN_ID" "attr VW_A_FORMAT" set IFNAME=vwb FORMAT=0 TTL=9
check "SET of an unbound endpoint: EINVAL" \
	refused EINVAL "the device is unbound; bind it first with add ID dev NAME" \
	"attr VW_A_IFNAME" set IFNAME=vwu TTL=9
SEL_ONLY="not taken here; this command takes only the endpoint, by ID or dev NAME"
check "DEL with a config attribute (VW_A_REMOTE4): EINVAL, not deleted" \
	refused EINVAL "$SEL_ONLY" "attr VW_A_REMOTE4" \
	del ID=10 "$R4"
check "DEL with VW_A_TTL: EINVAL, not deleted" \
	refused EINVAL "$SEL_ONLY" "attr VW_A_TTL" \
	del IFNAME=vwa TTL=5
check "GET with a config attribute (VW_A_PORT): EINVAL" \
	refused EINVAL "$SEL_ONLY" "attr VW_A_PORT" \
	get ID=10 PORT=4789
check "GET_NS with VW_A_ID: EINVAL" \
	refused EINVAL "not taken here; the namespace's counters take no argument" \
	"attr VW_A_ID" get_ns ID=10
check "DEL of a missing ID: ENOENT" \
	refused ENOENT "no endpoint has this connector ID" \
	"attr VW_A_ID" del ID=99
check "DEL of a missing device: ENODEV" \
	refused ENODEV "no virtualwire device has this name" \
	"attr VW_A_IFNAME" del IFNAME=lo
check "GET of a missing ID: ENOENT" \
	refused ENOENT "no endpoint has this connector ID" \
	"attr VW_A_ID" get ID=99
check "every message of the module above is in words, no internal name" \
	acks_in_words

# The limits themselves are accepted, and read back as given.
check "ADD at the limits: vxlan ID 16777215, port 65535, ttl/tos inherit" \
	added_ok add ID=16777215 IFNAME=vwmax "$R4" FORMAT=0 PORT=65535 \
	TTL=256 TOS=256 DF=2 SRCPORT_MIN=1 SRCPORT_MAX=1 CSUM=0
check "GET returns the limits as given" \
	get_test IFNAME=vwmax "j['ID'] == 16777215 and j['FORMAT'] == 0 and
		j['PORT'] == 65535 and j['TTL'] == 256 and j['TOS'] == 256 and
		j['DF'] == 2 and j['SRCPORT_MIN'] == 1 and
		j['SRCPORT_MAX'] == 1 and j['CSUM'] == 0 and
		j['REMOTE4'] == '192.0.2.9' and 'LOCAL4' not in j"
check "ADD at the limits: vw ID 4294967295, port 1, ttl 255, tos 252" \
	added_ok add ID=4294967295 IFNAME=vwvw REMOTE6=2001:db8::4 FORMAT=1 \
	PORT=1 TTL=255 TOS=252 UDP6_ZERO_CSUM_TX=1 UDP6_ZERO_CSUM_RX=1
check "GET returns them as given" \
	get_test ID=4294967295 "j['FORMAT'] == 1 and j['PORT'] == 1 and
		j['TTL'] == 255 and j['TOS'] == 252 and
		j['UDP6_ZERO_CSUM_TX'] == 1 and j['UDP6_ZERO_CSUM_RX'] == 1 and
		j['REMOTE6'] == '2001:db8::4' and j['IFNAME'] == 'vwvw'"
check "SET changes only what it is given" set_only_ok
check "DEL by VW_A_IFINDEX removes the endpoint" del_ifindex_ok
check "events: new, new, changed, removed, and none for refusals" events_ok

ktap_finished
