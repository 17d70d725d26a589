#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of the libvirt hook (scripts/libvirt-hook), run as libvirt runs
# it (DOMAIN OPERATION SUBOP EXTRA, the domain XML on stdin), against a fake
# vwctl and a fake ip that keep their endpoints, links and vwd's
# registrations (vwctl connect, disconnect, directory) in a JSON file and
# log every invocation.  FAKE_VWD=down: vwd is not running; FAKE_VWD=forgot:
# vwctl disconnect finds nothing (exit 4).
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

# The fake vwctl and ip (one program, named by argv[0]), "dump", which
# prints the endpoints one a line, and "regs", which prints vwd's
# registrations one a line ("regs DEV STATE" sets one's state).
mkdir "$tmp/bin"
cat > "$tmp/bin/fake" <<'EOF'
#!/usr/bin/python3 -S
import json, os, sys
prog, args = os.path.basename(sys.argv[0]), sys.argv[1:]
if prog not in ("dump", "regs"):
    with open(os.environ["FAKE_LOG"], "a") as f:
        f.write(" ".join([prog] + args) + "\n")
with open(os.environ["FAKE_STATE"]) as f:
    st = json.load(f)
eps, links, regs = st["eps"], st["links"], st.setdefault("regs", [])

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

def vwd(cmd):               # vwctl's words when no vwd answers
    if os.environ.get("FAKE_VWD") == "down":
        die("vwctl: %s: vwd is not running in this network namespace" % cmd)

if prog == "regs" and args:
    for r in regs:
        if r["dev"] == args[0]:
            r["state"] = args[1]
elif prog == "regs":
    for r in regs:
        l = links[r["dev"]]
        print(r["id"], r["dev"], r["state"], r["format"], "vm=%s" % r["vm"],
              "vm-mac=%s" % r["vm_mac"], "master=%s" % l["master"],
              "up" if l["up"] else "down")
elif prog == "dump":
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
    elif cmd == "connect":
        vwd(cmd)
        r = {"id": int(args[1]), "dev": None, "format": "vxlan", "vm": None,
             "vm_mac": None, "state": "waiting"}
        i = 2
        while i < len(args):
            if args[i] == "standby":
                r["state"], i = "standby", i + 1
            elif args[i] in ("dev", "format", "vm", "vm-mac") and i + 1 < len(args):
                r[args[i].replace("-", "_")], i = args[i + 1], i + 2
            else:
                die("vwctl: connect: unexpected argument '%s'" % args[i], 2)
        if r["dev"] in [x["dev"] for x in regs]:
            die("vwctl: connect: dev %s is already connected" % r["dev"], 3)
        if r["dev"] in links:
            die("vwctl: connect: dev %s already exists and vwd did not make it"
                % r["dev"], 3)
        regs.append(r)
        links[r["dev"]] = {"kind": "virtualwire", "master": None, "up": False}
    elif cmd == "disconnect":
        vwd(cmd)
        if os.environ.get("FAKE_VWD") == "forgot":     # a race: gone meanwhile
            die("vwctl: disconnect: %s is not connected" % " ".join(args[1:]), 4)
        gone = [r for r in regs if (args[1:2] == ["dev"] and r["dev"] == args[2])
                or (args[1] != "dev" and str(r["id"]) == args[1])]
        if not gone:
            die("vwctl: disconnect: %s is not connected" % " ".join(args[1:]), 4)
        for r in gone:
            regs.remove(r)
            del links[r["dev"]]
    elif cmd == "directory":
        vwd(cmd)
        print(json.dumps({"host": "h1", "directory": {"connected": True},
                          "connectors": [dict(r, registered=True, far=None,
                                              far_gone=False, kernel=None,
                                              in_step=True, conflict=None)
                                         for r in regs]}))
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
for p in vwctl ip dump regs; do ln -s fake "$tmp/bin/$p"; done

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
echo "1..79"

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

# Connectors without remote: vwd's (vwctl connect, disconnect, directory).
# mixed.xml: 42 vwd's, 3000000000 static; dir.xml: both vwd's.
domain '<vw:connector id="42" bridge="br-vm1"/>
	  <vw:connector id="3000000000" dev="vwb" bridge="br-vm2" format="vw"
	    port="4800" remote="2001:db8::1"/>' > "$tmp/mixed.xml"
domain '<vw:connector id="42" bridge="br-vm1"/>
	  <vw:connector id="7" dev="vw7b" bridge="br-vm2" format="vw"/>' > "$tmp/dir.xml"
macs=52:54:00:00:00:01,52:54:00:ab:cd:02
regs() { "$tmp/bin/regs" "$@"; }

reset
hook vm1 migrate begin - < "$tmp/mixed.xml"
hook vm1 prepare begin - < "$tmp/mixed.xml"
ok "vwd's connector, arriving: exit" "$rc/$err" 0/
ok "vwd's connector, arriving: vwctl connect with vm, vm-mac and standby, no add" \
	"$(count "^vwctl connect 42 dev vw42 vm vm1 vm-mac $macs standby\$")/$(count '^vwctl (add|set) 42 ')" 1/0
ok "mixed domain, arriving: the static one added in standby, not connected" \
	"$(count '^vwctl add 3000000000 dev vwb remote 2001:db8::1 format vw port 4800 standby$')/$(count '^vwctl connect 3000000000')" 1/0
ok "vwd's connector, arriving: its end bridged and up" \
	"$(regs)" "42 vw42 standby vxlan vm=vm1 vm-mac=$macs master=br-vm1 up"
: > "$FAKE_LOG"
hook vm1 prepare begin - < "$tmp/mixed.xml"
ok "vwd's connector, prepare again: exit, silent, runs no command" \
	"$rc/$err/$(count '^vwctl (connect|disconnect|add|set)|^ip link set')" 0//0
ok "vwd's connector, prepare again: asks vwd what it holds" \
	"$(count '^vwctl directory --json$')" 1

reset
hook vm1 prepare begin - < "$tmp/dir.xml"
ok "vwd's connectors, normal start: connect without standby, format when given" \
	"$rc/$(count "^vwctl connect 42 dev vw42 vm vm1 vm-mac $macs\$")/$(count '^vwctl connect 7 dev vw7b format vw vm vm1$')" 0/1/1
: > "$FAKE_LOG"
hook vm1 release end destroyed < "$tmp/dir.xml"
ok "vwd's connectors, release end: vwctl disconnect dev each, none left" \
	"$rc/$(count '^vwctl disconnect dev vw42$')/$(count '^vwctl disconnect dev vw7b$')/$(regs)" 0/1/1/
: > "$FAKE_LOG"
hook vm1 release end destroyed < "$tmp/dir.xml"
ok "vwd's connectors, release end again: exit, silent, no disconnect" \
	"$rc/$err/$(count '^vwctl disconnect')" 0//0
hook vm1 prepare begin - < "$tmp/dir.xml"
FAKE_VWD=forgot hook vm1 release end - < "$tmp/dir.xml"
ok "vwd's end gone meanwhile (disconnect exits 4): release end silent" \
	"$rc/$err/$(count '^vwctl disconnect dev vw42$')" 0//1

reset
hook vm1 prepare begin - < "$tmp/mixed.xml"
: > "$FAKE_LOG"
hook vm1 stopped end - < "$tmp/mixed.xml"
ok "mixed domain, stopped end: disconnects vwd's, deletes the static one" \
	"$rc/$(count '^vwctl disconnect dev vw42$')/$(count '^vwctl del 3000000000$')/$(regs)/$("$tmp/bin/dump")" 0/1/1//

# The orchestrator's commands: vwd relays its ends itself.
reset
hook vm1 prepare begin - < "$tmp/mixed.xml"
: > "$FAKE_LOG"
hook relay vm1 198.51.100.9 < "$tmp/mixed.xml"
ok "relay, mixed domain: the static one relays, nothing run for vwd's" \
	"$rc/$(count '^vwctl set 3000000000 relay 198.51.100.9$')/$(grep -E '^vwctl' "$FAKE_LOG" | grep -cvE '^vwctl (show|set) 3000000000 ')" \
	0/1/0
: > "$FAKE_LOG"
hook relay-end vm1 < "$tmp/mixed.xml"
ok "relay-end, vwd's end not relaying: left (the static one deleted)" \
	"$rc/$(count '^vwctl disconnect')/$(count '^vwctl del 3000000000$')/$(regs | cut -d' ' -f1)" 0/0/1/42
regs vw42 relaying
: > "$FAKE_LOG"
hook relay-end vm1 < "$tmp/mixed.xml"
ok "relay-end, vwd's end relaying: vwctl disconnect dev" \
	"$rc/$(count '^vwctl disconnect dev vw42$')/$(regs)" 0/1/

# Back on a host whose vwd still relays the domain's end.
reset
hook vm1 prepare begin - < "$tmp/dir.xml"
regs vw42 relaying
hook vm1 migrate begin - < "$tmp/dir.xml"
: > "$FAKE_LOG"
hook vm1 prepare begin - < "$tmp/dir.xml"
ok "back while vwd relays: disconnect, then connect in standby" \
	"$rc/$(grep -E '^vwctl (dis)?connect' "$FAKE_LOG" | cut -d' ' -f2,3 | tr '\n' ,)/$(count '^vwctl connect 42 .* standby$')/$(regs | cut -d' ' -f1-3 | tr '\n' ,)" \
	"0/disconnect dev,connect 42,/1/7 vw7b waiting,42 vw42 standby,"

# Ends vwd holds already for something else.
reset
"$VWCTL" connect 42 dev vwx vm vm1
: > "$FAKE_LOG"
hook vm1 prepare begin - < "$tmp/dir.xml"
ok "vwd holds 42 for the domain as another dev: fails naming 'dev', runs nothing" \
	"$([ "$rc" != 0 ] && echo fails)/$(grep -c "attribute 'dev'" <<< "$err")/$(count '^vwctl (connect|disconnect|add|set)|^ip link set')" \
	fails/1/0
reset
"$VWCTL" connect 42 dev vwx vm vm2
: > "$FAKE_LOG"
hook vm1 prepare begin - < "$tmp/dir.xml"
ok "vwd holds 42 for another domain as another dev (a local wire): connects" \
	"$rc/$(count '^vwctl connect 42 dev vw42 ')" 0/1
reset
"$VWCTL" connect 42 dev vw42 vm vm2
: > "$FAKE_LOG"
hook vm1 prepare begin - < "$tmp/dir.xml"
ok "vwd holds the dev for another domain: fails naming 'dev', runs nothing" \
	"$([ "$rc" != 0 ] && echo fails)/$(grep -c "attribute 'dev'" <<< "$err")/$(count '^vwctl (connect|disconnect|add|set)|^ip link set')" \
	fails/1/0
hook vm1 release end - < "$tmp/dir.xml"
ok "vwd holds the dev for another domain: release end leaves it" \
	"$rc/$(count '^vwctl disconnect dev vw42')/$(regs | cut -d' ' -f1,2,5)" "0/0/42 vw42 vm=vm2"

reset
"$VWCTL" add 42 dev vw42 remote 192.0.2.9 > /dev/null
: > "$FAKE_LOG"
hook vm1 prepare begin - < "$tmp/dir.xml"
ok "a static endpoint has vwd's dev: fails naming 'dev', runs nothing" \
	"$([ "$rc" != 0 ] && echo fails)/$(grep -c "attribute 'dev'.*exists and vwd does not hold it" <<< "$err")/$(count '^vwctl (connect|disconnect|add|set|del)|^ip link set')" \
	fails/1/0

# A domain name vwctl connect would refuse as vm: before running anything.
reset
long=$(printf 'v%.0s' {1..64})
hook "$long" prepare begin - < "$tmp/mixed.xml"
ok "a domain name above 63 bytes: prepare fails, runs nothing" \
	"$rc/$(grep -c 'at most 63 bytes' <<< "$err")/$(count '^vwctl (connect|add|set)|^ip link set')" 1/1/0

# No vwd.
reset
FAKE_VWD=down hook vm1 prepare begin - < "$tmp/mixed.xml"
ok "no vwd: prepare fails with vwctl's message, before running anything" \
	"$rc/$(grep -c 'vwd is not running in this network namespace' <<< "$err")/$(count '^vwctl (connect|add|set)|^ip link set')" 1/1/0
FAKE_VWD=down hook vm1 release end - < "$tmp/mixed.xml"
ok "no vwd: release end exits 0 and says so" \
	"$rc/$(grep -c 'vwd is not running in this network namespace' <<< "$err")" 0/1

# Bad metadata: prepare begin fails naming the attribute, adds nothing.
# bad DESC ATTRIBUTE CONNECTOR-XML
bad() {
	reset
	domain "$3" > "$tmp/bad.xml"
	hook vm1 prepare begin - < "$tmp/bad.xml"
	ok "bad metadata, $1: exit non-zero, names '$2', no add" \
		"$([ "$rc" != 0 ] && echo fails)/$(grep -c "attribute '$2'" <<< "$err")/$(count '^vwctl (add|connect)')" \
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
for a in port=4800 accept=192.0.2.0/24 hold=10 hold-time=10 roam=on \
	roam-holddown=10; do
	bad "${a%=*} without remote" "${a%=*}" \
		"$good"'<vw:connector id="42" bridge="br-vm1" '"${a%=*}=\"${a#*=}\""'/>'
done
ok "bad metadata, a static attribute without remote: says to give remote" \
	"$(grep -c "attribute 'roam-holddown': vwd configures a connector without remote; give remote for a static wire" <<< "$err")" 1
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
