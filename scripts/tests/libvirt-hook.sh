#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of the libvirt hook (scripts/libvirt-hook), run as libvirt runs
# it (DOMAIN OPERATION SUBOP EXTRA, the domain XML on stdin), against a fake
# vwctl and a fake ip that keep their endpoints and links in a JSON file and
# log every invocation.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

# The fake vwctl and ip (one program, named by argv[0]) and "dump", which
# prints the endpoints one a line.
mkdir "$tmp/bin"
cat > "$tmp/bin/fake" <<'EOF'
#!/usr/bin/python3 -S
import json, os, sys
prog, args = os.path.basename(sys.argv[0]), sys.argv[1:]
if prog != "dump":
    with open(os.environ["FAKE_LOG"], "a") as f:
        f.write(" ".join([prog] + args) + "\n")
with open(os.environ["FAKE_STATE"]) as f:
    st = json.load(f)
eps, links = st["eps"], st["links"]

def die(msg, rc=1):
    sys.stderr.write(msg + "\n")
    sys.exit(rc)

def save():
    with open(os.environ["FAKE_STATE"], "w") as f:
        json.dump(st, f)

def find(words, cmd):       # ID or dev NAME; the endpoint's key, the rest
    if words[:1] == ["dev"] and len(words) > 1:
        for k, e in eps.items():
            if e["dev"] == words[1]:
                return k, words[2:]
        die("vwctl: %s: dev: no virtualwire device has this name" % cmd)
    if words and words[0] in eps:
        return words[0], words[1:]
    die("vwctl: %s: ID: no endpoint has this connector ID" % cmd)

KW = ("remote", "format", "port", "accept", "hold", "hold-time", "vm-mac",
      "roam", "roam-holddown", "relay")

def configure(e, words, cmd):
    kv, i = {}, 0
    while i < len(words):
        w = words[i]
        if w in ("standby", "active") and not (cmd == "add" and w == "active"):
            kv[w], i = True, i + 1
        elif w in KW and i + 1 < len(words):
            kv[w], i = words[i + 1], i + 2
        else:
            die("vwctl: %s: unknown option or missing value '%s'" % (cmd, w))
    for k, v in kv.items():
        if k in ("port", "hold"):
            e[k] = int(v)
        elif k in ("hold-time", "roam-holddown"):
            e[k.replace("-", "_") + "_ms"] = int(v)
        elif k in ("accept", "vm-mac"):
            e[k.replace("-", "_")] = [] if v == "none" else v.split(",")
        elif k == "roam":
            e[k] = v == "on"
        elif k == "relay":
            e["relay"], e["state"] = (None, "active") if v == "off" else (v, "relay")
        elif k in ("standby", "active"):
            e["state"] = k
        else:
            e[k] = v

if prog == "dump":
    for k in sorted(eps, key=int):
        e, l = eps[k], links[eps[k]["dev"]]
        print(k, e["dev"], e["state"], e["format"], e["port"], e["remote"],
              "relay=%s" % e["relay"], "accept=" + ",".join(e["accept"]),
              "vm-mac=" + ",".join(e["vm_mac"]),
              "hold=%d/%d" % (e["hold"], e["hold_time_ms"]),
              "master=%s" % l["master"], "up" if l["up"] else "down")
elif prog == "vwctl":
    args = [a for a in args if a != "--json"]
    cmd = args[0]
    if cmd == "add":
        if args[1] in eps:
            die("vwctl: add: ID: an endpoint has this connector ID")
        if args[2] != "dev" or args[3] in links:
            die("vwctl: add: dev: a device has this name")
        e = {"id": int(args[1]), "dev": args[3], "format": "vxlan",
             "wire": "udp", "state": "active", "relay": None, "accept": [],
             "roam": False, "roam_holddown_ms": 1000, "hold": 1024,
             "hold_time_ms": 2000, "vm_mac": [], "stats": {}}
        configure(e, args[4:], cmd)
        e.setdefault("port", 4789 if e["format"] == "vxlan" else 4798)
        eps[args[1]] = e
        links[args[3]] = {"kind": "virtualwire", "master": None, "up": False}
    elif cmd == "set":
        k, rest = find(args[1:], cmd)
        configure(eps[k], rest, cmd)
    elif cmd == "del":
        k, _ = find(args[1:], cmd)
        del links[eps.pop(k)["dev"]]
    elif cmd == "show":
        if len(args) > 1:
            print(json.dumps({"connectors": [eps[find(args[1:], cmd)[0]]]}))
        else:
            print(json.dumps({"connectors": [eps[k] for k in sorted(eps, key=int)],
                              "namespace": {"drops": {}}}))
    else:
        die("vwctl: unknown command '%s'" % cmd)
elif args[:5] == ["-d", "-j", "link", "show", "dev"]:
    l = links.get(args[5])
    if l is None:
        die('Device "%s" does not exist.' % args[5])
    out = {"ifname": args[5], "flags": ["BROADCAST", "MULTICAST"] +
           (["UP"] if l["up"] else []), "linkinfo": {"info_kind": l["kind"]}}
    if l["master"]:
        out["master"] = l["master"]
    print(json.dumps([out]))
elif args[:3] == ["link", "set", "dev"] and args[4:5] == ["master"]:
    if links.get(args[5], {}).get("kind") != "bridge":
        die("Error: the master is not a bridge.", 2)
    links[args[3]]["master"] = args[5]
elif args[:3] == ["link", "set", "dev"] and args[4:] == ["up"]:
    links[args[3]]["up"] = True
else:
    die("fake: unexpected: %s %s" % (prog, " ".join(args)), 2)
save()
EOF
chmod +x "$tmp/bin/fake"
for p in vwctl ip dump; do ln -s fake "$tmp/bin/$p"; done

export VWCTL=$tmp/bin/vwctl IP=$tmp/bin/ip VW_HOOK_STATE_DIR=$tmp/state
export VW_HOOK_SYSLOG=0 FAKE_STATE=$tmp/fake.json FAKE_LOG=$tmp/log

# reset: two bridges and a veth, no endpoint, an empty log, no marker.
reset() {
	echo '{"eps": {}, "links": {"br-vm1": {"kind": "bridge", "master": null,
	 "up": true}, "br-vm2": {"kind": "bridge", "master": null, "up": true},
	 "eth1": {"kind": "veth", "master": null, "up": true}}}' > "$FAKE_STATE"
	: > "$FAKE_LOG"
	rm -rf "$VW_HOOK_STATE_DIR"
}

# hook ARG... < XML: run the hook; $rc, $out (stdout), $err (stderr).
hook() {
	"$top/scripts/libvirt-hook" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# count PATTERN: lines of the invocation log that match.
count() { grep -cE -- "$1" "$FAKE_LOG"; }

# domain [CONNECTOR-XML]: vm1, with 42 and 3000000000 unless given others,
# and interfaces on br-vm1 (two) and on a libvirt network.
domain() {
	local conns=${1:-'<vw:connector id="42" bridge="br-vm1" remote="192.0.2.1"
	    accept="192.0.2.0/24,2001:db8::/64" hold="512" hold-time="1500"/>
	  <vw:connector id="3000000000" dev="vwb" bridge="br-vm2" format="vw"
	    port="4800" remote="2001:db8::1"/>'}
	cat <<-EOF
	<domain type='kvm'>
	  <name>vm1</name>
	  <metadata>
	    <other:thing xmlns:other="http://example.org/other"/>
	    <vw:virtualwire xmlns:vw="https://virtualwire.dev/xmlns/libvirt/1">
	      $conns
	    </vw:virtualwire>
	  </metadata>
	  <devices>
	    <interface type='bridge'>
	      <mac address='52:54:00:00:00:01'/><source bridge='br-vm1'/>
	    </interface>
	    <interface type='bridge'>
	      <mac address='52:54:00:AB:CD:02'/><source bridge='br-vm1'/>
	    </interface>
	    <interface type='network'>
	      <mac address='52:54:00:00:00:03'/><source network='default'/>
	    </interface>
	  </devices>
	</domain>
	EOF
}
domain > "$tmp/vm1.xml"
sed '/<metadata>/,/<\/metadata>/d' "$tmp/vm1.xml" > "$tmp/plain.xml"

ep42_standby="42 vw42 standby vxlan 4789 192.0.2.1 relay=None accept=192.0.2.0/24,2001:db8::/64 vm-mac=52:54:00:00:00:01,52:54:00:ab:cd:02 hold=512/1500 master=br-vm1 up"
epb_standby="3000000000 vwb standby vw 4800 2001:db8::1 relay=None accept= vm-mac= hold=1024/2000 master=br-vm2 up"

echo "TAP version 13"
echo "1..49"

# An incoming migration.
reset
hook vm1 migrate begin - < "$tmp/vm1.xml"
ok "migrate begin: exit" "$rc" 0
ok "migrate begin: nothing on stdout (libvirt reads a new XML there)" "$out" ""
ok "migrate begin: records the arrival, runs nothing" \
	"$(find "$VW_HOOK_STATE_DIR" -type f 2> /dev/null | wc -l)/$(count .)" 1/0
hook vm1 prepare begin - < "$tmp/vm1.xml"
ok "prepare begin (arriving): exit" "$rc" 0
ok "prepare begin (arriving): two adds, both standby" \
	"$(count '^vwctl add ')/$(count '^vwctl add .* standby$')" 2/2
ok "prepare begin (arriving): connector 42 standby, accept, vm-mac, bridged, up" \
	"$("$tmp/bin/dump" | grep '^42 ')" "$ep42_standby"
ok "prepare begin (arriving): connector 3000000000, no vm-mac (announce)" \
	"$("$tmp/bin/dump" | grep '^3000000000 ')" "$epb_standby"
: > "$FAKE_LOG"
hook vm1 prepare begin - < "$tmp/vm1.xml"
ok "prepare begin again: exit" "$rc" 0
ok "prepare begin again: no add, no set, no ip link set" \
	"$(count '^vwctl (add|set)|^ip link set')" 0
ok "prepare begin again: nothing on stderr" "$err" ""
hook vm1 start begin - < "$tmp/vm1.xml"
ok "start begin: exit" "$rc" 0
hook vm1 started begin - < "$tmp/vm1.xml"
ok "started begin: exit" "$rc" 0
ok "started begin: the arrival marker is gone" "$(ls -A "$VW_HOOK_STATE_DIR" 2> /dev/null)" ""
ok "started begin: nothing activated by hand, still standby" \
	"$(count '^vwctl set')/$("$tmp/bin/dump" | grep -c ' standby ')" 0/2
hook vm1 started begin - < "$tmp/vm1.xml"
ok "started begin again: exit, no change" "$rc/$(count '^vwctl (add|set|del)')" 0/0

# A normal start, and an endpoint the operator made with another remote.
reset
hook vm1 prepare begin - < "$tmp/vm1.xml"
ok "prepare begin (normal start): exit" "$rc" 0
ok "prepare begin (normal start): two adds, none standby" \
	"$(count '^vwctl add ')/$(count 'standby')" 2/0
ok "prepare begin (normal start): both active, bridged and up" \
	"$("$tmp/bin/dump" | grep -c ' active .* master=br-vm[12] up$')" 2
hook vm1 started begin - < "$tmp/vm1.xml"
ok "started begin (normal start): no change" "$rc/$(count '^vwctl set')" 0/0
reset
"$VWCTL" add 42 dev vw42 remote 198.51.100.1 hold 512 hold-time 1500 2> /dev/null
: > "$FAKE_LOG"
hook vm1 prepare begin - < "$tmp/vm1.xml"
ok "prepare begin, 42 exists: exit" "$rc" 0
ok "prepare begin, 42 exists: set only what differs, no add of 42" \
	"$(count '^vwctl set 42 remote 192.0.2.1 accept 192.0.2.0/24,2001:db8::/64 vm-mac 52:54:00:00:00:01,52:54:00:ab:cd:02$')/$(count '^vwctl add 42')" 1/0

# The source of a migration: release leaves a relaying endpoint.
reset
hook vm1 prepare begin - < "$tmp/vm1.xml"
"$VWCTL" set 42 relay 198.51.100.9
: > "$FAKE_LOG"
hook vm1 stopped end - < "$tmp/vm1.xml"
ok "stopped end: exit" "$rc" 0
ok "stopped end: deletes the active endpoint, leaves the relaying one" \
	"$(count '^vwctl del 3000000000$')/$(count '^vwctl del 42')/$("$tmp/bin/dump" | cut -d' ' -f1-3)" \
	"1/0/42 vw42 relay"
hook vm1 release end migrated < "$tmp/vm1.xml"
ok "release end after stopped end: exit, no second del" "$rc/$(count '^vwctl del')" 0/1
hook relay-end vm1 < "$tmp/vm1.xml"
ok "relay-end: exit" "$rc" 0
ok "relay-end: deletes the relaying endpoint" "$(count '^vwctl del 42$')/$("$tmp/bin/dump")" 1/
hook relay-end vm1 < "$tmp/vm1.xml"
ok "relay-end again: exit, no del" "$rc/$(count '^vwctl del 42')" 0/1

# The orchestrator's relay.
reset
hook vm1 prepare begin - < "$tmp/vm1.xml"
hook relay vm1 198.51.100.9 < "$tmp/vm1.xml"
ok "relay: exit" "$rc" 0
ok "relay: both endpoints relay to the new host" \
	"$("$tmp/bin/dump" | grep -c ' relay .* relay=198.51.100.9 ')" 2
hook relay vm1 198.51.100.9 < "$tmp/vm1.xml"
ok "relay again: exit, no second set" "$rc/$(count '^vwctl set')" 0/2
hook relay vm1 198.51.100.300 < "$tmp/vm1.xml"
ok "relay to a bad address: fails, names it" \
	"$rc/$(grep -c "'198.51.100.300' is not an IPv4 or IPv6 address" <<< "$err")" 1/1
reset
"$VWCTL" add 3000000000 dev vwb remote 2001:db8::1 format vw port 4800
hook relay vm1 198.51.100.9 < "$tmp/vm1.xml"
ok "relay, 42 missing: fails naming it, relays the other all the same" \
	"$rc/$(grep -c 'id 42): no endpoint to relay' <<< "$err")/$("$tmp/bin/dump" | cut -d' ' -f1,3)" \
	"1/1/3000000000 relay"
hook vm1 prepare begin - < "$tmp/vm1.xml"
hook relay vm1 198.51.100.9 < "$tmp/vm1.xml"
hook vm1 migrate begin - < "$tmp/vm1.xml"
hook vm1 prepare begin - < "$tmp/vm1.xml"
ok "back before relay-end: relay off, standby" \
	"$rc/$(count '^vwctl set 42 relay off standby$')/$("$tmp/bin/dump" | grep -c ' standby ')" 0/1/2
hook vm1 release end destroyed < "$tmp/vm1.xml"
ok "release end: deletes both" "$rc/$("$tmp/bin/dump")/$(ls -A "$VW_HOOK_STATE_DIR" 2> /dev/null)" 0//

# Un-prefixed connectors (virsh metadata --set namespaces only the top one).
reset
domain '<connector id="42" bridge="br-vm1" remote="192.0.2.1"/>' > "$tmp/unprefixed.xml"
hook vm1 prepare begin - < "$tmp/unprefixed.xml"
ok "an un-prefixed connector element: added" "$rc/$(count '^vwctl add 42 ')" 0/1

# Bad metadata: prepare begin fails naming the attribute, adds nothing.
# bad DESC ATTRIBUTE CONNECTOR-XML
bad() {
	reset
	domain "$3" > "$tmp/bad.xml"
	hook vm1 prepare begin - < "$tmp/bad.xml"
	ok "bad metadata, $1: exit non-zero, names '$2', no add" \
		"$([ "$rc" != 0 ] && echo fails)/$(grep -c "attribute '$2'" <<< "$err")/$(count '^vwctl add')" \
		"fails/1/0"
}
good='<vw:connector id="7" bridge="br-vm2" remote="192.0.2.7"/>'
bad "missing id" id "$good"'<vw:connector bridge="br-vm1" remote="192.0.2.1"/>'
bad "ID above 32 bits" id '<vw:connector id="4294967296" bridge="br-vm1" format="vw" remote="192.0.2.1"/>'
bad "ID above 24 bits, format vxlan" id '<vw:connector id="16777216" bridge="br-vm1" remote="192.0.2.1"/>'
bad "bad remote" remote "$good"'<vw:connector id="42" bridge="br-vm1" remote="192.0.2.300"/>'
bad "bad accept prefix" accept "$good"'<vw:connector id="42" bridge="br-vm1" remote="192.0.2.1" accept="192.0.2.0/24,192.0.2.1/24"/>'
bad "no such bridge" bridge "$good"'<vw:connector id="42" bridge="br-none" remote="192.0.2.1"/>'
bad "not a bridge" bridge '<vw:connector id="42" bridge="eth1" remote="192.0.2.1"/>'
bad "misspelt attribute" hold_time '<vw:connector id="42" bridge="br-vm1" remote="192.0.2.1" hold_time="5"/>'
domain '<vw:connector bridge="br-vm1" remote="192.0.2.1"/>' > "$tmp/bad.xml"
hook vm1 migrate begin - < "$tmp/bad.xml"
ok "bad metadata: migrate begin fails too, no marker" \
	"$rc/$(ls -A "$VW_HOOK_STATE_DIR" 2> /dev/null)" 1/

# A domain without our metadata, and operations the hook ignores.
reset
for phase in migrate:begin prepare:begin start:begin started:begin \
	stopped:end release:end; do
	hook vm1 "${phase%:*}" "${phase#*:}" - < "$tmp/plain.xml"
	echo "$phase: $rc $out$err"
done > "$tmp/plain.out"
ok "no metadata: every phase exits 0, silent" \
	"$(grep -vc ': 0 $' "$tmp/plain.out")" 0
ok "no metadata: runs nothing" "$(count .)" 0
for phase in reconnect:begin attach:begin restore:begin migrate:end \
	prepare:end shutdown:begin; do
	hook vm1 "${phase%:*}" "${phase#*:}" - < "$tmp/vm1.xml"
	echo "$phase: $rc $out$err"
done > "$tmp/other.out"
ok "other operations: exit 0, silent" "$(grep -vc ': 0 $' "$tmp/other.out")" 0
ok "other operations: run nothing" "$(count .)" 0

# A marker left by a migration that failed before prepare is stale.
reset
hook vm1 migrate begin - < "$tmp/vm1.xml"
touch -d '-20 minutes' "$VW_HOOK_STATE_DIR"/*
hook vm1 prepare begin - < "$tmp/vm1.xml"
ok "stale arrival marker: a normal start" "$rc/$(count 'standby')" 0/0

ktap_totals
