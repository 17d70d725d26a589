#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0
#
# A stand-in for vwctl and ip in vwd's host test (scripts/tests/vwd.sh):
# vwd drives the kernel only through them, so this records every command
# vwd runs and keeps a made-up kernel state that "show --json" and
# "monitor --json" report, in $FAKE_DIR:
#   log          one line per command that changes something: TIME ARGV...
#   kernel.json  {"connectors": [...]}, as vwctl show --json
#   events       the lines vwctl monitor --json prints
# Run as "ip" (argv[0] ending in ip, or first word "link") it takes
# "ip link add DEV type virtualwire".  "activate DEV" (the test's own
# command) makes a standby endpoint active, as the VM's first frame would;
# "roam DEV ADDR" moves an endpoint's remote to an accepted source with
# roam on, as a frame from there would.
import fcntl
import json
import os
import sys
import time

D = os.environ["FAKE_DIR"]
KERNEL = os.path.join(D, "kernel.json")
EVENTS = os.path.join(D, "events")
LOG = os.path.join(D, "log")


def load():
    try:
        with open(KERNEL) as f:
            return json.load(f)
    except FileNotFoundError:
        return {"connectors": []}


def save(k):
    tmp = KERNEL + ".tmp"
    with open(tmp, "w") as f:
        json.dump(k, f)
    os.rename(tmp, KERNEL)


def event(kind, ep):
    with open(EVENTS, "a") as f:
        f.write(json.dumps({"event": kind, "connector": ep}) + "\n")


def find(k, dev):
    for ep in k["connectors"]:
        if ep["dev"] == dev:
            return ep
    return None


def opts(words):
    o = {}
    i = 0
    while i < len(words):
        w = words[i]
        if w in ("standby", "active", "--if-exists"):
            o[w] = True
            i += 1
        else:
            o[w] = words[i + 1]
            i += 2
    return o


def endpoint(ident, dev, o):
    ep = {"id": ident, "dev": dev, "format": o.get("format", "vxlan"),
          "state": "standby" if "standby" in o else "active",
          "relay": None, "accept": [], "roam": o.get("roam") == "on",
          "vm_mac": [m for m in o.get("vm-mac", "none").split(",")
                     if m != "none"]}
    if "peer" in o:
        ep.update(wire="local", peer=o["peer"], remote=None, port=None)
    else:
        ep.update(wire="udp", peer=None, remote=o["remote"],
                  port=int(o.get("port", 4789)))
    if o.get("accept", "none") != "none":
        ep["accept"] = [a if "/" in a else a + ("/128" if ":" in a else "/32")
                        for a in o["accept"].split(",")]
    return ep


def change(argv):
    k = load()
    if argv[0] == "link":                     # ip link add DEV type virtualwire
        dev = argv[2]
        if find(k, dev):
            return 2
        ep = {"id": None, "dev": dev}
        k["connectors"].append(ep)
        save(k)
        event("new", ep)
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "activate":
        ep = find(k, rest[0])
        ep["state"] = "active"
        save(k)
        event("changed", ep)
        return 0
    if cmd == "roam":
        ep = find(k, rest[0])
        if not ep.get("roam") or rest[1] + "/32" not in ep["accept"]:
            return 1
        ep["remote"] = rest[1]
        save(k)
        event("changed", ep)
        return 0
    if cmd == "del":
        o = opts(rest)
        ep = find(k, o["dev"])
        if not ep:
            return 0 if "--if-exists" in o else 4
        k["connectors"].remove(ep)
        save(k)
        event("removed", ep)
        return 0
    ident = int(rest[0])
    o = opts(rest[1:])
    ep = find(k, o["dev"])
    if cmd == "replace":
        new = endpoint(ident, o["dev"], o)
        if ep:
            k["connectors"].remove(ep)
        k["connectors"].append(new)
        kind = "changed" if ep else "new"
        ep = new
    elif cmd == "set":
        if not ep:
            return 4
        if "relay" in o:
            ep["state"], ep["relay"] = "relay", o["relay"]
        kind = "changed"
    else:
        return 2
    save(k)
    event(kind, ep)
    if ep.get("peer"):                        # a local wire: both ends
        other = find(k, ep["peer"])
        if other:
            other.update(id=ident, wire="local", peer=ep["dev"],
                         format=ep["format"], remote=None, port=None,
                         state="active")
            save(k)
            event("changed", other)
    return 0


def monitor():
    open(EVENTS, "a").close()
    with open(EVENTS) as f:
        f.seek(0, 2)
        while True:
            line = f.readline()
            if not line:
                time.sleep(0.01)
                continue
            sys.stdout.write(line)
            sys.stdout.flush()


def main():
    argv = sys.argv[1:]
    if os.path.basename(sys.argv[0]).endswith("ip") and argv[:1] != ["link"]:
        return 2
    if argv[:2] == ["show", "--json"]:
        print(json.dumps(load()))
        return 0
    if argv[:2] == ["monitor", "--json"]:
        monitor()
        return 0
    with open(os.path.join(D, "lock"), "w") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        rc = change(argv)
        with open(LOG, "a") as f:
            words = (["ip"] if argv[0] == "link" else ["vwctl"]) + argv
            f.write("%.6f %s\n" % (time.time(), " ".join(words)))
    return rc


sys.exit(main())
