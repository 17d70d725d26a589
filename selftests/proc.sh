#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# /proc/net/virtualwire: the connectors file (a header, then a line per
# endpoint with its ID, device, wire, format, local and remote address,
# port, state and counters, for UDP, local-wire and unbound endpoints,
# agreeing with vwctl), and the control file (add, set and del in vwctl's
# words, giving what vwctl gives; a command that does not parse fails with
# EINVAL and a kernel log line saying why, a refused one with the errno of
# the netlink request and its message after the keyword it is about; either
# way nothing changes; no log line names an internal constant).

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

VWNL=(python3 -S "$SELFTESTS_DIR/vwnl.py")
CONN=/proc/net/virtualwire/connectors

ctl()
{
	in_host A "${VWNL[@]}" ctl "$@"
}

# ctl_ok WORDS...: the control file takes the command.
ctl_ok()
{
	local out

	out=$(ctl "$@") || return 1
	[ "$out" = ok ] || { echo "$out"; return 1; }
}

# ctl_refused ERRNO LOG WORDS...: the write fails with ERRNO, the kernel
# logs "virtualwire: control: LOG" (LOG a glob pattern: kernels before 6.2
# leave values out of some messages), and nothing changes (the endpoints as
# dumped, the devices and the connectors file; vwnl.py ctl --unchanged).
ctl_refused()
{
	local want=$1 log=$2 out mark line found=
	shift 2

	mark=$(kmsg_mark)
	out=$(ctl --unchanged "$@") || return 1
	if [ "$out" != "write $want" ]; then
		printf "got '%s', want 'write %s'\n" "$out" "$want"
		return 1
	fi
	while IFS= read -r line; do
		# shellcheck disable=SC2053 # a pattern on purpose
		[[ $line == *"virtualwire: control: "$log* ]] && found=1
	done < <(kmsg_since "$mark")
	if [ -z "$found" ]; then
		echo "no kernel log line 'virtualwire: control: $log'; got:"
		kmsg_since "$mark"
		return 1
	fi
}

# The kernel log of this test: every line of the module is in words.
log_in_words()
{
	kmsg_since "$MARK0" | grep 'virtualwire' > "$VW_TMP/log"
	[ -s "$VW_TMP/log" ] || { echo "no log line of the module"; return 1; }
	no_internal_names "$VW_TMP/log"
}

# A NUL byte would end the command early and the rest would be ignored,
# though the write claims every byte: a second command after it, say.
nul_refused()
{
	local out

	out=$(printf 'set 16 ttl 20\0set 16 ttl 30' |
	      in_host A "${VWNL[@]}" ctl --unchanged --stdin) || return 1
	[ "$out" = "write EINVAL" ] || { echo "$out"; return 1; }
}

# send_frames HOST DEV N: N broadcast frames into DEV, nothing else (IPv6
# is off on the devices used, so their counters then stay still).
send_frames()
{
	in_host "$1" python3 -S -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
for _ in range(int(sys.argv[2])):
    s.send(b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5" + bytes(50))
' "$2" "$3"
}

quiet_up()
{
	in_host A sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" &&
	in_host A ip link set "$1" up
}

# The connectors file against what each endpoint should show and against
# vwctl's counters.
connectors_ok()
{
	in_host A cat "$CONN" >"$VW_TMP/conn" &&
	in_host A vwctl show --json >"$VW_TMP/show.json" || return 1
	cat "$VW_TMP/conn"
	python3 -S - "$VW_TMP/conn" "$VW_TMP/show.json" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
show = {c["dev"]: c for c in json.load(open(sys.argv[2]))["connectors"]}
head = ["id", "dev", "wire", "format", "local", "remote", "port", "state",
        "rx_packets", "tx_packets", "drops", "rate_min", "rate_max", "burst",
        "priority", "mark"]
ok = lines[0].split() == head
if not ok:
    print("header:", lines[0].split())
want = {
    "vwu0": ["100", "vwu0", "udp", "vw", "192.0.2.1", "192.0.2.2", "5000",
             "up"],
    "vwu6": ["101", "vwu6", "udp", "vxlan", "any", "2001:db8:1::2", "4789",
             "down"],
    "vwla": ["7", "vwla", "local", "vxlan", "-", "vwlb", "-", "up"],
    "vwlb": ["-", "vwlb", "-", "-", "-", "-", "-", "unbound"],
}
rows = {}
for l in lines[1:]:
    f = l.split()
    if len(f) != len(head):
        print("not %d fields: %r" % (len(head), l))
        ok = False
        continue
    rows[f[1]] = f
if sorted(rows) != sorted(want):
    print("devices:", sorted(rows), "want:", sorted(want))
    sys.exit(1)
for dev, w in want.items():
    f = rows[dev]
    st = show[dev]["stats"]
    counters = [str(st.get("rx_packets", 0)), str(st.get("tx_packets", 0)),
                str(sum(st["drops"].values()))]
    sla = ["-"] * 5 if dev == "vwlb" else \
        ["0", "unlimited", "65536", "0x0", "0x0"]
    if f[:8] != w or f[8:11] != counters or f[11:] != sla:
        print("%s: %s, want %s + %s + %s" % (dev, f, w, counters, sla))
        ok = False
# The frames sent in: 3 out of vwu0; 2 out of vwla into vwlb, 3 dropped.
ok = ok and rows["vwu0"][9] == "3" and rows["vwla"][9:11] == ["2", "3"] and \
    rows["vwlb"][8] == "2"
sys.exit(0 if ok else 1)
EOF
}

# same_as_vwctl ARGS...: "add 300 dev vwp ARGS" through the control file
# and "vwctl add 301 dev vwv ARGS" give the same endpoint.
same_as_vwctl()
{
	ctl_ok add 300 dev vwp "$@" &&
	in_host A vwctl add 301 dev vwv "$@" || return 1
	in_host A vwctl show --json | python3 -S -c '
import json, sys
c = {x["dev"]: x for x in json.load(sys.stdin)["connectors"]}
a, b = c["vwp"], c["vwv"]
for x in a, b:
    for k in "id", "dev", "ifindex", "stats":
        del x[k]
print(a)
sys.exit(0 if a == b else print(b) or 1)
'
}

del_both()
{
	ctl_ok del dev vwp && ctl_ok del 301 &&
	! in_host A ip link show dev vwp 2>/dev/null &&
	! in_host A ip link show dev vwv 2>/dev/null
}

syntax_ok()
{
	in_host A cat /proc/net/virtualwire/control | grep -q '^add ID'
}

# Writers adding endpoints through the control file of a namespace while
# it is deleted: the namespace goes once they stop, taking every endpoint
# they made with it, quietly (a kernel warning fails the run in the test
# VM).  An open control file holds the namespace, so the race that matters,
# a write waiting for RTNL while the module unloads, cannot be had here;
# this keeps the teardown order honest on the way.
netns_race_ok()
{
	local ns=$VW_RUN-race pids=() i

	ip netns add "$ns" || return 1
	for i in 1 2; do
		ip netns exec "$ns" bash -c '
			n='"$i"'000
			while echo "add $n remote 192.0.2.9" \
				> /proc/net/virtualwire/control; do
				n=$((n + 1))
			done 2>/dev/null' &
		pids+=($!)
	done
	sleep 2
	ip netns del "$ns" || return 1
	sleep 1
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	sleep 2
	! ip netns list | grep -qw "$ns"
}

ktap_header
require_env
ktap_plan 44
MARK0=$(kmsg_mark)

topo_create A B
in_host A vwctl add 100 dev vwu0 remote 192.0.2.2 local 192.0.2.1 port 5000 \
	format vw
in_host A vwctl add 101 dev vwu6 remote 2001:db8:1::2
in_host A ip link add vwlb type virtualwire
in_host A vwctl add 7 dev vwla peer vwlb
quiet_up vwu0
quiet_up vwla
quiet_up vwlb
send_frames A vwu0 3
# Through the local wire to the peer, then dropped while the peer is down.
send_frames A vwla 2
in_host A ip link set vwlb down
send_frames A vwla 3

check "connectors: header, UDP, local and unbound lines, vwctl's counters" \
	connectors_ok
check "control: reading it tells the syntax" syntax_ok

# Every option in vwctl's words, through both interfaces.
OPTS=(remote 192.0.2.2 local 192.0.2.1 port 6000 format vw ttl 64 tos 0x20
	df set srcport 50000 50100 csum off udp6zerocsumtx on
	udp6zerocsumrx on)
check "control: add with every option is what vwctl add makes" \
	same_as_vwctl "${OPTS[@]}"
check "control: del dev NAME and del ID" del_both
check "control: add ... peer, set ... ttl inherit is what vwctl makes" \
	same_as_vwctl peer vwlb ttl inherit tos inherit df inherit
check "control: del of both" del_both
check "control: add over IPv6, ttl auto" \
	same_as_vwctl remote 2001:db8:1::2 local 2001:db8:1::1 ttl auto
check "control: del of both" del_both

check "control: add 0x10 (hex ID)" ctl_ok add 0x10 dev vwh remote 192.0.2.5
check "vwctl shows ID 16 as added" \
	vw_json_test A "c['id'] == 16 and c['dev'] == 'vwh' and
		c['remote'] == '192.0.2.5' and c['port'] == 4789" 16
check "control: set ID with options" \
	ctl_ok set 16 ttl 9 tos inherit df inherit srcport 1000 2000 csum off
check "vwctl shows the set, the rest unchanged" \
	vw_json_test A "c['ttl'] == 9 and c['tos'] == 'inherit' and
		c['df'] == 'inherit' and c['srcport'] == {'min': 1000, 'max': 2000}
		and not c['csum'] and c['remote'] == '192.0.2.5' and
		c['port'] == 4789" 16
check "control: set dev NAME remote over IPv6, local any" \
	ctl_ok set dev vwh remote 2001:db8:1::5 local any
check "vwctl shows the new remote, the options kept" \
	vw_json_test A "c['remote'] == '2001:db8:1::5' and c['local'] is None
		and c['ttl'] == 9" 16
check "control: a final newline is fine" ctl_ok $'set 16 ttl 10\n'
# The longest command: 512 bytes.
check "control: a 512-byte command is taken" \
	ctl_ok "$(printf 'set 16 ttl 11%499s' '')"
check "vwctl shows ttl 11" vw_json_test A "c['ttl'] == 11" 16

WORDS40=()
for _ in {1..40}; do WORDS40+=(x); done
check "control: unknown command: EINVAL" \
	ctl_refused EINVAL "unknown command 'frobnicate'" frobnicate 16
check "control: unknown keyword: EINVAL" \
	ctl_refused EINVAL "unknown keyword 'colour'" \
	add 17 remote 192.0.2.2 colour blue
check "control: bad number: EINVAL" \
	ctl_refused EINVAL "value out of range or not a number '7x'" \
	add 17 remote 192.0.2.2 port 7x
check "control: number out of range: EINVAL" \
	ctl_refused EINVAL "value out of range or not a number '65536'" \
	add 17 remote 192.0.2.2 port 65536
check "control: missing value: EINVAL" \
	ctl_refused EINVAL "a value is missing after 'ttl'" \
	add 17 remote 192.0.2.2 ttl
check "control: keyword twice: EINVAL" \
	ctl_refused EINVAL "keyword given twice 'port'" \
	add 17 remote 192.0.2.2 port 1 port 2
check "control: bad address: EINVAL" \
	ctl_refused EINVAL "not an IPv4 or IPv6 address '192.0.2.256'" \
	add 17 remote 192.0.2.256
check "control: word after del: EINVAL" \
	ctl_refused EINVAL "unexpected word after del 'now'" del 16 now
check "control: empty command: EINVAL" \
	ctl_refused EINVAL "empty command ''" $'\n'
check "control: 513 bytes: EINVAL" \
	ctl_refused EINVAL "command longer than 512 bytes" \
	"$(printf 'set 16 ttl 12%500s' '')"
check "control: two commands in one write: EINVAL" \
	ctl_refused EINVAL "one command per write" \
	$'set 16 ttl 12\nset 100 ttl 12'
check "control: a NUL byte in a write: EINVAL, nothing run" nul_refused
check "control: more than 40 words: EINVAL" \
	ctl_refused EINVAL "more than 40 words" set 16 ttl 12 "${WORDS40[@]}"
check "control: set with nothing to change: EINVAL" \
	ctl_refused EINVAL "nothing to change for '16'" set 16
check "control: hex where vwctl takes decimal only: EINVAL" \
	ctl_refused EINVAL "value out of range or not a number '0x10'" \
	set 16 ttl 0x10
check "control: 0x0x10 is not an ID: EINVAL" \
	ctl_refused EINVAL "not a connector ID '0x0x10'" set 0x0x10 ttl 5
check "control: 010 is ten, not octal" ctl_ok set 16 ttl 010
check "vwctl shows ttl 10" vw_json_test A "c['ttl'] == 10" 16

check "control: duplicate ID: EEXIST" \
	ctl_refused EEXIST "add: ID: *connector ID *taken by * (-17)" \
	add 100 dev vwd remote 192.0.2.9
check "control: set of a missing ID: ENOENT" \
	ctl_refused ENOENT "set: ID: no endpoint has this connector ID (-2)" \
	set 999 ttl 5
check "control: del of a missing device: ENODEV" \
	ctl_refused ENODEV "del: dev: no virtualwire device has this name (-19)" \
	del dev nosuchdev
check "control: vxlan ID 16777216: ERANGE" \
	ctl_refused ERANGE "add: ID: the connector ID is above 16777215, the largest format vxlan carries (-34)" \
	add 16777216 remote 192.0.2.9
check "control: tos with ECN bits: EINVAL from the kernel's checks" \
	ctl_refused EINVAL "set: tos: the two ECN bits of tos must be zero; ECN comes from the inner header (-22)" \
	set 16 tos 3
check "control: del 16" ctl_ok del 16
check "connectors: the endpoints of the start, unchanged" connectors_ok
check "control: writes racing with ip netns del of their namespace" \
	netns_race_ok
check "kernel log: every line of the module in words, no internal name" \
	log_in_words

ktap_finished
