#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vwctl end to end, against the module: every subcommand and option;
# show, stats and monitor JSON hold the members vwctl(8) documents, of the
# documented types; monitor --json reports new, changed and removed for
# add, set, del, binding and a peer's deletion, a valid JSON object a
# line, and exits 0 on SIGTERM; exit status 0 on success, 2 for words that
# do not parse, 3 and 4 for a kernel refusal with EEXIST and ENOENT or
# ENODEV, 1 for any other error (kernel refusal, output), with one
# "vwctl: " line on stderr, in the words a user types (no message of a
# range of bad commands names an internal constant); -batch runs a file or
# standard input on one socket and stops at the first failing line, naming
# it, exiting with its code (idempotent.sh tests the codes of hook-style
# sequences).  The kernel's explanations are matched loosely where kernels
# before 6.2 leave values out.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

MON_PID=
MON_RC=

vw()
{
	in_host A vwctl "$@"
}

# The documented members and types (vwctl(8), JSON OUTPUT), checked by
# python over JSON documents: schema KIND FILE, KIND show, stats or event
# (one JSON object a line).
SCHEMA='
import json, sys

kind, path = sys.argv[1], sys.argv[2]
INT = int
errors = []


def err(where, what):
    errors.append("%s: %s" % (where, what))


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def nullable(check):
    return lambda v: v is None or check(v)


def one_of(*names):
    return lambda v: v in names or (isinstance(v, str) and
                                    v.startswith("unknown("))


FORMAT = one_of("vxlan", "vw")
CONNECTOR = {
    "id": nullable(is_int),
    "dev": nullable(lambda v: isinstance(v, str)),
    "ifindex": nullable(is_int),
    "format": nullable(one_of("vxlan", "vw")),
    "wire": nullable(one_of("udp", "local")),
    "remote": nullable(lambda v: isinstance(v, str)),
    "peer": nullable(lambda v: isinstance(v, str)),
    "local": nullable(lambda v: isinstance(v, str)),
    "port": nullable(is_int),
    "ttl": nullable(lambda v: is_int(v) or v in ("auto", "inherit")),
    "tos": nullable(lambda v: is_int(v) or v == "inherit"),
    "df": nullable(one_of("unset", "set", "inherit")),
    "srcport": nullable(lambda v: isinstance(v, dict) and
                        sorted(v) == ["max", "min"] and
                        is_int(v["min"]) and is_int(v["max"])),
    "csum": nullable(lambda v: isinstance(v, bool)),
    "udp6zerocsumtx": nullable(lambda v: isinstance(v, bool)),
    "udp6zerocsumrx": nullable(lambda v: isinstance(v, bool)),
    "state": nullable(one_of("active", "standby", "relay")),
    "relay": nullable(lambda v: isinstance(v, str)),
    "accept": lambda v: isinstance(v, list) and
                        all(isinstance(p, str) and "/" in p for p in v),
    "roam": nullable(lambda v: isinstance(v, bool)),
    "roam_holddown_ms": nullable(is_int),
    "hold": nullable(is_int),
    "hold_time_ms": nullable(is_int),
    "vm_mac": lambda v: isinstance(v, list) and
                        all(isinstance(m, str) and len(m) == 17 for m in v),
    "rate_bytes_per_sec": nullable(lambda v: isinstance(v, dict) and
                                   sorted(v) == ["max", "min"] and
                                   is_int(v["min"]) and
                                   (v["max"] is None or is_int(v["max"]))),
    "burst_bytes": nullable(is_int),
    "priority": nullable(is_int),
    "mark": nullable(is_int),
}
TRAFFIC = ["rx_packets", "rx_bytes", "tx_packets", "tx_bytes"]
MIGRATION = ["held", "activations", "relayed", "roams"]
DROPS = ["short", "no_route", "loop", "nomem", "xmit", "unbound", "down",
         "bad_source", "too_big", "ecn", "zero_csum", "no_peer",
         "peer_down", "hold_full", "hold_expired", "standby", "relaying",
         "relay_loop", "rate"]
NS_DROPS = ["unknown_id", "bad_header", "short"]


def check_stats(where, st, full):
    if not isinstance(st, dict) or not isinstance(st.get("drops"), dict):
        return err(where, "stats and stats.drops must be objects: %r" % st)
    for k, v in st.items():
        if k != "drops" and not is_int(v):
            err(where, "stats.%s not a counter: %r" % (k, v))
    for k, v in st["drops"].items():
        if not is_int(v):
            err(where, "drops.%s not a counter: %r" % (k, v))
    # stats lists every counter the kernel reports, zeros included.
    if full:
        for k in TRAFFIC + ["route_hit", "route_miss", "route_evict"] + \
                MIGRATION:
            if k not in st:
                err(where, "stats.%s missing" % k)
        for k in DROPS:
            if k not in st["drops"]:
                err(where, "drops.%s missing" % k)


def check_connector(where, c, members, full):
    if not isinstance(c, dict):
        return err(where, "not an object: %r" % c)
    if sorted(c) != sorted(members):
        err(where, "members %s, want %s" % (sorted(c), sorted(members)))
    for k in members:
        if k in CONNECTOR and k in c and not CONNECTOR[k](c[k]):
            err(where, "%s: bad value %r" % (k, c[k]))
    if "stats" in c:
        check_stats(where, c["stats"], full)


def check_doc(where, j, members, full):
    if not isinstance(j, dict) or not isinstance(j.get("connectors"), list):
        return err(where, "no connectors list")
    for i, c in enumerate(j["connectors"]):
        check_connector("%s connectors[%d]" % (where, i), c, members, full)
    # The namespace counters come only with the list of every endpoint.
    one = sys.argv[3:] == ["one"]
    if one and ("namespace" in j or len(j["connectors"]) != 1):
        err(where, "want one connector and no namespace")
    elif not one:
        d = j.get("namespace", {}).get("drops")
        if not isinstance(d, dict) or any(k not in d for k in NS_DROPS) \
           or not all(is_int(v) for v in d.values()):
            err(where, "namespace.drops: %r" % j.get("namespace"))


text = open(path).read()
lines = text.splitlines() if kind == "event" else [text]
if not lines or (kind != "event" and len(text.splitlines()) != 1):
    err(path, "want one line, got %d" % len(text.splitlines()))
for n, line in enumerate(lines, 1):
    try:
        j = json.loads(line)
    except ValueError as e:
        err("line %d" % n, "invalid JSON (%s): %r" % (e, line[:200]))
        continue
    if kind == "show":
        check_doc("show", j, list(CONNECTOR) + ["stats"], False)
    elif kind == "stats":
        check_doc("stats", j, ["id", "dev", "stats"], True)
    else:
        if sorted(j) != ["connector", "event"] or \
           not one_of("new", "changed", "removed")(j["event"]):
            err("event %d" % n, "members/event: %r" % line[:200])
        else:
            check_connector("event %d" % n, j["connector"],
                            list(CONNECTOR) + ["stats"], False)
if errors:
    print("\n".join(errors[:30]))
    print(text[:3000])
    sys.exit(1)
'

# schema KIND CMD...: the output of CMD (in host A) passes the schema.
schema()
{
	local kind=$1 how=all
	shift

	[ "$1" != one ] || { how=one; shift; }
	vw "$@" >"$VW_TMP/out.json" || return 1
	python3 -S -c "$SCHEMA" "$kind" "$VW_TMP/out.json" "$how"
}

# fails_with CODE PATTERN CMD...: CMD exits CODE and its stderr is one line
# that starts with "vwctl: " and matches the glob PATTERN (extended: not
# "*(").  Nothing is
# written on stdout.
fails_with()
{
	local code=$1 pat=$2 out err rc
	shift 2

	out=$("$@" 2>"$VW_TMP/err") && rc=0 || rc=$?
	err=$(cat "$VW_TMP/err")
	echo "exit $rc: $err"
	[ "$rc" = "$code" ] || { echo "want exit $code"; return 1; }
	[ -z "$out" ] || { echo "stdout: $out"; return 1; }
	[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || return 1
	# shellcheck disable=SC2053 # a glob, on purpose
	[[ $err == vwctl:\ * && $err == $pat ]] || {
		echo "want: $pat"
		return 1
	}
}

# vw_fails_with CODE PATTERN ARGS...: vwctl ARGS in host A, which must not
# change any endpoint.
vw_fails_with()
{
	local code=$1 pat=$2 before after
	shift 2

	before=$(vw show --json) || return 1
	fails_with "$code" "$pat" in_host A vwctl "$@" || return 1
	after=$(vw show --json) || return 1
	[ "$before" = "$after" ] || { echo "changed: $after"; return 1; }
}

# Same output for each spelling of the JSON option (counters are still).
json_spellings_ok()
{
	local ref out args

	ref=$(vw show 42 --json) || return 1
	for args in "--json show 42" "-j show 42" "show -j 42" "show 42 -j" \
		    "show --json 42" "--json show dev vw42"; do
		# shellcheck disable=SC2086 # words on purpose
		out=$(vw $args) || return 1
		[ "$out" = "$ref" ] || { echo "vwctl $args: $out"; return 1; }
	done
}

# show's first line is the words of add; the rest is indented.
# --pretty and -p: the JSON of --json, a member a line.
pretty_ok()
{
	local ref out args

	ref=$(vw show 42 --json) || return 1
	for args in "--pretty show 42" "show 42 -p"; do
		# shellcheck disable=SC2086 # words on purpose
		out=$(vw $args) || return 1
		[ "$(wc -l <<<"$out")" -gt 20 ] || { echo "$out"; return 1; }
		python3 -S -c 'import json, sys
sys.exit(json.loads(sys.argv[1]) != json.loads(sys.argv[2]))' "$ref" "$out" ||
			{ echo "vwctl $args: $out"; return 1; }
	done
}

show_text_ok()
{
	local out

	out=$(vw show 42) || return 1
	echo "$out"
	[[ $(head -n 1 <<<"$out") == "42 dev vw42 remote 192.0.2.2 local 192.0.2.1 port 4800 format vw ttl 64 tos 0x20 df set srcport 50000 50100 csum off udp6zerocsumtx on udp6zerocsumrx on"* ]] ||
		{ echo "first line"; return 1; }
	for f in "  wire: udp, state: active, ifindex: " \
		 "  rx: 0 packets, 0 bytes"; do
		printf '%s\n' "$out" | grep -qF -- "$f" ||
			{ echo "missing '$f'"; return 1; }
	done
	! tail -n +2 <<<"$out" | grep -qv '^  '
}

stats_text_ok()
{
	local out

	out=$(vw stats) || return 1
	echo "$out"
	printf '%s\n' "$out" | grep -q 'connector 42' &&
	printf '%s\n' "$out" | grep -q 'no_peer 0' &&
	printf '%s\n' "$out" | grep -q 'unknown_id 0'
}

set_ok()
{
	vw set 42 remote 2001:db8:1::2 local any ttl inherit tos inherit \
		df inherit srcport 1 2 csum on udp6zerocsumtx off \
		udp6zerocsumrx off port 4790 format vxlan &&
	vw_json_test A "c['remote'] == '2001:db8:1::2' and c['local'] is None
		and c['ttl'] == 'inherit' and c['tos'] == 'inherit' and
		c['df'] == 'inherit' and c['srcport'] == {'min': 1, 'max': 2}
		and c['csum'] and not c['udp6zerocsumtx'] and
		not c['udp6zerocsumrx'] and c['port'] == 4790 and
		c['format'] == 'vxlan'" 42 &&
	vw set dev vw42 ttl auto tos 0 &&
	vw_json_test A "c['ttl'] == 'auto' and c['tos'] == 0 and
		c['port'] == 4790" dev vw42
}

local_wire_ok()
{
	in_host A ip link add vwb type virtualwire &&
	vw add 7 dev vwa peer vwb &&
	vw add 7 dev vwb peer vwa &&
	vw_json_test A "c['wire'] == 'local' and c['peer'] == 'vwb' and
		c['remote'] is None and c['port'] is None" dev vwa
}

unbound_ok()
{
	in_host A ip link add vwu type virtualwire &&
	schema show one show dev vwu --json &&
	vw_json_test A "c['id'] is None and c['dev'] == 'vwu' and
		all(c[k] is None for k in ('format', 'wire', 'remote', 'peer',
		'local', 'port', 'ttl', 'tos', 'df', 'srcport', 'csum',
		'udp6zerocsumtx', 'udp6zerocsumrx'))" dev vwu
}

help_each_ok()
{
	local c

	for c in add set del show stats monitor help; do
		vwctl help "$c" | grep -q "^Usage: vwctl $c" ||
			{ echo "help $c"; return 1; }
	done
}

stats_one_ok()
{
	schema stats one stats 42 --json &&
	schema stats one stats dev vw42 -j &&
	grep -q '"id":42' "$VW_TMP/out.json"
}

del_ok()
{
	vw del dev vwb && vw del 42 &&
	! in_host A ip link show dev vwb 2>/dev/null &&
	! in_host A ip link show dev vw42 2>/dev/null
}

full_fails()
{
	fails_with 1 "vwctl: *" in_host A sh -c 'vwctl show --json >/dev/full'
}

# ---------------------------------------------------------------- monitor

# Add, set, bind (vwn made by ip link), a peer's deletion (vwo, unbound:
# no event of its own), del.
mon_events()
{
	vw add 50 dev vwm remote 192.0.2.50 &&
	vw set 50 ttl 16 &&
	in_host A ip link add vwn type virtualwire &&
	in_host A ip link add vwo type virtualwire &&
	vw add 51 dev vwn peer vwo &&
	in_host A ip link del vwo &&
	vw del 50 &&
	vw del dev vwn
}

# The events, canaries left out, are exactly these, in order.
mon_json_ok()
{
	schema_events "$VW_TMP/mon.json" &&
	python3 -S - "$VW_TMP/mon.json" <<'EOF'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
ev = [e for e in ev if e["connector"]["dev"] != "canary"]
got = [(e["event"], e["connector"]["id"], e["connector"]["dev"])
       for e in ev]
want = [("new", 50, "vwm"), ("changed", 50, "vwm"), ("new", 51, "vwn"),
        ("changed", 51, "vwn"), ("removed", 50, "vwm"),
        ("removed", 51, "vwn")]
c = [e["connector"] for e in ev]
ok = got == want and c[0]["remote"] == "192.0.2.50" and \
    c[1]["ttl"] == 16 and c[2]["peer"] == "vwo" and c[3]["peer"] is None and \
    c[4]["ttl"] == 16
if not ok:
    print(*ev, sep="\n")
    print("want", want)
sys.exit(0 if ok else 1)
EOF
}

# A monitor stopped (SIGSTOP) while 20 endpoints are added and deleted,
# then sent SIGTERM and resumed: it wakes with the signal and the events
# both pending, prints the 40 events, then exits 0.
mon_drain_ok()
{
	local i n rc=0

	mon_start A drain --json || return 1
	kill -STOP "$MON_PID"
	for ((i = 1; i <= 20; i++)); do
		echo "add $((600 + i)) dev vwdr$i remote 192.0.2.60"
		echo "del $((600 + i))"
	done | in_host A vwctl -batch - || rc=1
	kill -TERM "$MON_PID"
	kill -CONT "$MON_PID"
	wait "$MON_PID" || { echo "monitor exited $?"; rc=1; }
	n=$(grep -c '"vwdr[0-9]*"' "$VW_TMP/mon.drain")
	echo "$n events of the 40 printed"
	[ "$rc" = 0 ] && [ "$n" = 40 ]
}

schema_events()
{
	python3 -S -c "$SCHEMA" event "$1" all
}

# -t: each line starts with the time; then the event and show's first line.
mon_text_ok()
{
	local f=$VW_TMP/mon.text ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}[+-][0-9]{4} '

	grep -v canary "$f" >"$f.2"
	cat "$f.2"
	grep -qvE "^$ts" "$f.2" && { echo "a line without the time"; return 1; }
	sed -E "s/^$ts//" "$f.2" | python3 -S -c '
import sys
want = ["new 50 dev vwm remote 192.0.2.50 port 4789 format vxlan ttl auto ",
        "changed 50 dev vwm remote 192.0.2.50 port 4789 format vxlan ttl 16 ",
        "new 51 dev vwn peer vwo format vxlan ",
        "changed 51 dev vwn peer none format vxlan ",
        "removed 50 dev vwm remote 192.0.2.50 port 4789 format vxlan ttl 16 ",
        "removed 51 dev vwn peer none format vxlan "]
got = sys.stdin.read().splitlines()
ok = len(got) == len(want) and all(g.startswith(w) for g, w in zip(got, want))
sys.exit(0 if ok else 1)'
}

# ------------------------------------------------------------------ batch

batch_ok()
{
	cat >"$VW_TMP/batch" <<'EOF'
# a comment, then an empty line

add 60 dev vwb60 remote 192.0.2.60   # a comment after words
add 61 dev vwb61 remote 192.0.2.61 ttl 5
set 61 ttl 6
--json show 61
del 60
EOF
	vw -batch "$VW_TMP/batch" >"$VW_TMP/batch.out" || return 1
	cat "$VW_TMP/batch.out"
	json_test "c['id'] == 61 and c['ttl'] == 6" <"$VW_TMP/batch.out" &&
	vw_json_test A "[x['id'] for x in j['connectors'] if x['id'] in
		(60, 61)] == [61]"
}

batch_stdin_ok()
{
	printf 'del 61\nshow\n' | vw --json -batch - >"$VW_TMP/batch.out" &&
	json_test "61 not in [x['id'] for x in j['connectors']]" \
		<"$VW_TMP/batch.out"
}

# batch_stops CODE LINE PATTERN: a batch whose line LINE fails with exit
# code CODE: lines before it took effect, lines after did not run, and
# stderr names the line.
batch_stops()
{
	local code=$1 line=$2 pat=$3

	fails_with "$code" "vwctl: batch line $line: $pat" \
		in_host A vwctl -batch "$VW_TMP/batch" || return 1
	vw_json_test A "sorted(x['id'] for x in j['connectors']
		if x['id'] in (70, 71, 72, 73)) == [70, 71]"
}

batch_fails()
{
	local code=$1 line=$2 bad=$3 pat=$4 rc

	printf 'add 70 dev vwb70 remote 192.0.2.70\n\n# comment\n' \
		>"$VW_TMP/batch"
	printf 'add 71 dev vwb71 remote 192.0.2.71\n%s\n' "$bad" \
		>>"$VW_TMP/batch"
	printf 'add 73 dev vwb73 remote 192.0.2.73\n' >>"$VW_TMP/batch"
	batch_stops "$code" "$line" "$pat" && rc=0 || rc=$?
	vw del 70 && vw del 71 && ! vw show 73 2>/dev/null && return "$rc"
}

# Bad commands of every kind, for errors_in_words: parse errors, usage
# errors and kernel refusals (of the endpoints errors_in_words makes).
BAD_COMMANDS=(
	"frob" "--frob show" "help frob" "add" "add 43" "add abc remote 192.0.2.2"
	"add 43 remote nowhere" "add 43 remote 192.0.2.2 port abc"
	"add 43 remote 192.0.2.2 colour blue"
	"add 43 remote 192.0.2.2 port 1 port 2" "add 16777216 remote 192.0.2.2"
	"add 43 remote 192.0.2.2 ttl 0" "add 43 remote 192.0.2.2 tos 3"
	"add 43 remote 192.0.2.2 srcport 9 5"
	"add 43 remote 192.0.2.2 local 2001:db8::1"
	"add 43 dev a/b remote 192.0.2.2" "add 43 dev lo remote 192.0.2.2"
	"add 43 remote 224.0.0.5" "add 43 remote 192.0.2.2 vm-mac 01:00:5e:00:00:01"
	"add 43 remote 192.0.2.2 accept 192.0.2.0/16"
	"add 7001 dev vwe2 remote 192.0.2.9" "add 43 dev vwe1 remote 192.0.2.9"
	"add 43 peer vwe1" "add 43 remote 192.0.2.2 port 5555"
	"set 7001" "set 99 ttl 5" "set 3000000000 format vxlan"
	"set 7001 relay 2001:db8::9" "set 7001 relay 192.0.2.71"
	"set dev vweu ttl 5" "set dev vwe1 peer vwe1" "set dev vwe1 peer vwbig"
	"set dev vwe1 peer vweu standby" "del" "del 99" "del dev nosuch"
	"show 99" "show abc" "stats 99" "flush id 9-5" "-batch"
	"-batch /nonexistent"
)

# errors_in_words: every bad command fails with a message on stderr, and
# none of the messages names an internal constant.  A UDP socket holds port
# 5555 meanwhile, for the port a connector cannot have.
errors_in_words()
{
	local cmd rc holder failed=

	vw add 7001 dev vwe1 remote 192.0.2.71 &&
	in_host A ip link add vweu type virtualwire || return 1
	in_host A timeout 60 python3 -S -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5555))
print("bound", flush=True)
time.sleep(60)' > "$VW_TMP/holder" &
	holder=$!
	poll 30 grep -q bound "$VW_TMP/holder" || return 1
	: > "$VW_TMP/errors"
	for cmd in "${BAD_COMMANDS[@]}"; do
		# shellcheck disable=SC2086 # words on purpose
		vw $cmd > /dev/null 2> "$VW_TMP/err" && rc=0 || rc=$?
		if [ "$rc" = 0 ] || [ ! -s "$VW_TMP/err" ]; then
			echo "vwctl $cmd: exit $rc, $(wc -l < "$VW_TMP/err") lines on stderr"
			failed=1
		fi
		cat "$VW_TMP/err" >> "$VW_TMP/errors"
	done
	kill "$holder" 2> /dev/null
	wait "$holder" 2> /dev/null
	vw del 7001 && in_host A ip link del vweu || return 1
	[ -z "$failed" ] && no_internal_names "$VW_TMP/errors"
}

ktap_header
require_env
ktap_plan 59

topo_create A

# ------------------------------------------------------------ good paths
check "--version and -V: exit 0, the version" \
	sh -c 'vwctl --version | grep -q "^vwctl " && vwctl -V | grep -q "^vwctl "'
check "--help, -h and help: exit 0, usage on stdout" \
	sh -c 'vwctl --help | grep -q "^Usage: vwctl" &&
		vwctl -h | grep -q "^Usage: vwctl" &&
		vwctl help | grep -q "^Usage: vwctl"'
check "help add: its usage and the options" \
	sh -c 'vwctl help add | grep -q "^Usage: vwctl add" &&
		vwctl help add | grep -q "udp6zerocsumrx"'
check "help of every command" help_each_ok
check "add with every option" \
	vw add 42 dev vw42 remote 192.0.2.2 local 192.0.2.1 port 4800 \
	format vw ttl 64 tos 0x20 df set srcport 50000 50100 csum off \
	udp6zerocsumtx on udp6zerocsumrx on
check "show --json: the documented members and types" schema show show --json
check "show --json: every option as given" \
	vw_json_test A "c['id'] == 42 and c['dev'] == 'vw42' and
		c['ifindex'] > 0 and c['format'] == 'vw' and c['wire'] == 'udp'
		and c['remote'] == '192.0.2.2' and c['peer'] is None and
		c['local'] == '192.0.2.1' and c['port'] == 4800 and
		c['ttl'] == 64 and c['tos'] == 32 and c['df'] == 'set' and
		c['srcport'] == {'min': 50000, 'max': 50100} and
		c['csum'] is False and c['udp6zerocsumtx'] is True and
		c['udp6zerocsumrx'] is True"
check "show ID --json: one connector, no namespace" \
	schema show one show 42 --json
check "show dev NAME --json: one connector, no namespace" \
	schema show one show dev vw42 --json
check "--json / -j anywhere: the same output" json_spellings_ok
check "--pretty / -p: the same JSON, indented" pretty_ok
check "show ID: the text output" show_text_ok
check "stats --json: every counter, documented members" \
	schema stats stats --json
check "stats ID --json / stats dev NAME -j: one connector" stats_one_ok
check "stats: the text output" stats_text_ok
check "set by ID and by dev, every option" set_ok
check "local wire: add ... peer" local_wire_ok
check "show --json of a local wire: documented members" \
	schema show show --json
check "an unbound device: id and configuration null" unbound_ok
check "del dev NAME and del ID" del_ok
check "the peer's deletion leaves peer null" \
	vw_json_test A "c['peer'] is None and c['wire'] == 'local'" dev vwa

# ---------------------------------------------------------------- monitor
mon_start A json --json
mon_events
mon_stop
check "monitor --json: exits 0 on SIGTERM" test "$MON_RC" = 0
check "monitor --json: valid JSON a line, documented members" \
	schema_events "$VW_TMP/mon.json"
check "monitor --json: new, changed, removed for add, set, bind, peer gone, del" \
	mon_json_ok
mon_start A text -t
mon_events
mon_stop
check "monitor -t: exits 0 on SIGTERM" test "$MON_RC" = 0
check "monitor -t: a line an event, the time, then show's words" mon_text_ok
check "monitor: SIGTERM with events queued: prints them all, exits 0" \
	mon_drain_ok

# ---------------------------------------------------------------- batch
check "-batch FILE: comments, blank lines, --json lines, in order" batch_ok
check "-batch -: from standard input, --json before it for every line" \
	batch_stdin_ok
check "-batch: a line that does not parse stops it, named" \
	batch_fails 2 5 "add 72 dev vwb72 remote 192.0.2.72 port abc" \
	"add: invalid port 'abc': expected 1-65535"
check "-batch: a kernel refusal stops it, named" \
	batch_fails 3 5 "add 70 dev vwb72 remote 192.0.2.72" \
	"add: *connector ID *taken by *File exists)"
check "-batch: monitor is not a batch line" \
	batch_fails 2 5 "monitor" "monitor: not available in a batch"
check "-batch: a missing file" \
	fails_with 1 "vwctl: batch: cannot open*" \
	vwctl -batch /nonexistent/batch
check "-batch without a file" \
	fails_with 2 "vwctl: '-batch' needs a FILE*" vwctl -batch
check "-batch with a command too" \
	fails_with 2 "vwctl: unexpected argument 'show'*" \
	vwctl -batch "$VW_TMP/batch" show

# ---------------------------------------------------------- error paths
vw add 3000000000 dev vwbig remote 192.0.2.8 format vw
check "no command: exit 2, usage on stderr" \
	sh -c '! vwctl >/dev/null 2>&1 && vwctl 2>&1 >/dev/null |
		grep -q "^Usage: vwctl"'
check "unknown command: exit 2" \
	fails_with 2 "vwctl: unknown command 'frob'*" vwctl frob
check "unknown option: exit 2" \
	fails_with 2 "vwctl: unknown option '--frob'*" vwctl --frob show
check "unknown option after the command: exit 2" \
	fails_with 2 "vwctl: show: unknown option '--frob'*" vwctl show --frob
check "help of an unknown command: exit 2" \
	fails_with 2 "vwctl: help: unknown command 'frob'" vwctl help frob
check "add: a value that does not parse: exit 2, quoted" \
	vw_fails_with 2 "vwctl: invalid port 'abc': expected 1-65535" \
	add 43 remote 192.0.2.2 port abc
check "add: missing remote: exit 2" \
	vw_fails_with 2 "vwctl: add: missing 'remote ADDR' or 'peer DEV'" \
	add 43
check "add: unknown keyword: exit 2" \
	vw_fails_with 2 "vwctl: add: unknown option 'colour'*" \
	add 43 remote 192.0.2.2 colour blue
check "add: keyword twice: exit 2" \
	vw_fails_with 2 "vwctl: add: 'port' given twice" \
	add 43 remote 192.0.2.2 port 1 port 2
check "add: vxlan ID above 24 bits: exit 2" \
	vw_fails_with 2 "vwctl: invalid ID '16777216'*" \
	add 16777216 remote 192.0.2.2
check "add: duplicate ID, refused by the kernel: exit 3" \
	vw_fails_with 3 "vwctl: add: *connector ID *taken by *File exists)" \
	add 3000000000 dev vwc remote 192.0.2.2 format vw
for r in 0.1.2.3 224.0.0.5 240.1.2.3 255.255.255.255; do
	check "add: remote $r, not unicast, refused by the kernel: exit 1" \
		vw_fails_with 1 "vwctl: add: *the remote must be a unicast address (Invalid argument)" \
		add 43 remote $r
done
check "add: a local wire with local 0.1.2.3, not unicast: exit 1, nothing made" \
	vw_fails_with 1 "vwctl: add: local: the local address must be unicast (Invalid argument)" \
	add 44 dev vwl1 peer vwl2 local 0.1.2.3
check "set: nothing to change: exit 2" \
	vw_fails_with 2 "vwctl: set: nothing to change*" set 7
check "set: missing ID, refused by the kernel: exit 4" \
	vw_fails_with 4 "vwctl: set: *no endpoint has this connector ID (No such file or directory)" \
	set 99 ttl 5
check "set: a change the kernel refuses: exit 1, nothing changed" \
	vw_fails_with 1 "vwctl: set: *the connector ID is above 16777215, the largest format vxlan carries (Numerical result out of range)" \
	set 3000000000 format vxlan ttl 9
check "del: missing ID: exit 4" \
	vw_fails_with 4 "vwctl: del: *no endpoint has this connector ID (No such file or directory)" \
	del 99
check "del: missing device: exit 4" \
	vw_fails_with 4 "vwctl: del: *no virtualwire device has this name (No such device)" \
	del dev nosuch
check "show: missing ID: exit 4" \
	vw_fails_with 4 "vwctl: show: *no endpoint has this connector ID (No such file or directory)" \
	show 99
check "show: an output that cannot be written: exit 1" full_fails
check "${#BAD_COMMANDS[@]} bad commands: each fails with a message, none naming an internal constant" \
	errors_in_words

ktap_finished
