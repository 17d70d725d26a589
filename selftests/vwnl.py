#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A small generic netlink client for the virtualwire family, in plain
# python3, for tests that need to send what vwctl never would: wrong
# attribute types and lengths, unknown attribute numbers, values out of
# range, attributes that are read-only, odd header fields.
#
#   vwnl.py req CMD [--dump] [--resv N] [--unchanged] [--test EXPR] [ATTR...]
#       One request with NLM_F_ACK and extended acks on; prints
#           errno NAME           (0 when acked)
#           msg TEXT             NLMSGERR_ATTR_MSG, when given
#           attr NAME            the attribute NLMSGERR_ATTR_OFFS points at
#           miss NAME            NLMSGERR_ATTR_MISS_TYPE
#           reply JSON           each reply message, decoded
#           changed: ...         with --unchanged, when the endpoints (as
#                                dumped) or the devices differ afterwards
#       CMD: add, set, del, get, get_ns, flush, or a number.  --test: exit 1
#       unless the python expression EXPR is true of j, the first reply.
#   vwnl.py dump
#       Every endpoint, as JSON: {"parts": datagrams, "messages": N,
#       "intr": any NLM_F_DUMP_INTR, "endpoints": [...]}.
#   vwnl.py dump-intr
#       A dump during which an endpoint changes (the first endpoint's ttl
#       is set, through another socket, after the first part): JSON with
#       "intr_before" (flag seen before the change), "intr_after",
#       "parts" and "messages".
#   vwnl.py add-many FIRST COUNT REMOTE
#       Endpoints FIRST..FIRST+COUNT-1 to REMOTE, as fast as we can.
#   vwnl.py monitor SECONDS
#       The "events" group for SECONDS (or until a line arrives on stdin
#       if SECONDS is "stdin"), one JSON object per event; "ready" is
#       printed on stderr once subscribed, "stopped" when told to stop
#       on stdin and every event queued before has been printed.
#   vwnl.py ctl [--userns-opener] [--unchanged] [--stdin] WORD...
#       Write the words, joined by spaces, to
#       /proc/net/virtualwire/control in one write(2); prints "ok",
#       "open ERRNO" or "write ERRNO".  --userns-opener: the file is opened
#       by a child process that first moved to a user namespace of its own
#       (root there, nowhere else) and passed to us, who write.
#       --unchanged: as for req, the connectors file included.  --stdin:
#       write what standard input holds instead, NUL bytes and all.
#   vwnl.py link-add NAME [ATTR...]
#       An rtnetlink RTM_NEWLINK (create, exclusive) of a virtualwire
#       device NAME, ATTR being IFLA_VW_* attributes in IFLA_INFO_DATA
#       (ID, FORMAT, REMOTE4, REMOTE6, LOCAL4, LOCAL6, PORT: the same
#       syntax, IFLA_VW_ numbers); prints errno, msg and attr (an
#       IFLA_VW_* name) as req does.  What "ip link add NAME type
#       virtualwire" would send if iproute2 knew our attributes.
#
# ATTR: NAME[:TYPE]=VALUE.  NAME is a VW_A_* name without the prefix
# (ID, IFNAME, REMOTE4, ...) or a number.  TYPE defaults to the
# attribute's own: u8, u16, u32, u64, str (NUL-terminated), bytes (no NUL),
# hex (raw bytes), ip (4 or 16 bytes), nest (empty, NLA_F_NESTED set),
# rawnest (empty, flag clear).  "ID:u16=5" sends the ID as two bytes.

import errno
import json
import os
import select
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_EXT_ACK = 11

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP = 0x300
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3fff

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

# include/uapi/linux/virtualwire.h
VW_GENL_NAME = "virtualwire"
VW_GENL_VERSION = 1
CMDS = {"add": 1, "del": 2, "get": 3, "get_ns": 4, "new": 5,
        "removed": 6, "set": 7, "changed": 8, "flush": 9}
CMD_NAMES = {v: k for k, v in CMDS.items()}

# name: (number, default type)
ATTRS = {
    "PAD": (1, "hex"),
    "ID": (2, "u32"),
    "IFINDEX": (3, "u32"),
    "IFNAME": (4, "str"),
    "FORMAT": (5, "u8"),
    "REMOTE4": (6, "ip"),
    "REMOTE6": (7, "ip"),
    "LOCAL4": (8, "ip"),
    "LOCAL6": (9, "ip"),
    "PORT": (10, "u16"),
    "STATS": (11, "nest"),
    "WIRE": (12, "u8"),
    "PEER_IFINDEX": (13, "u32"),
    "PEER_IFNAME": (14, "str"),
    "TTL": (15, "u16"),
    "TOS": (16, "u16"),
    "DF": (17, "u8"),
    "SRCPORT_MIN": (18, "u16"),
    "SRCPORT_MAX": (19, "u16"),
    "CSUM": (20, "u8"),
    "UDP6_ZERO_CSUM_TX": (21, "u8"),
    "UDP6_ZERO_CSUM_RX": (22, "u8"),
    "ID_MIN": (23, "u32"),
    "ID_MAX": (24, "u32"),
    "RATE_MIN": (37, "u64"),
    "RATE_MAX": (38, "u64"),
    "RATE_BURST": (39, "u32"),
    "PRIORITY": (40, "u32"),
    "MARK": (41, "u32"),
}
ATTR_NAMES = {v[0]: k for k, v in ATTRS.items()}

# rtnetlink, IFLA_INFO_DATA of kind "virtualwire"
NETLINK_ROUTE = 0
RTM_NEWLINK = 16
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
IFLA_IFNAME = 3
IFLA_LINKINFO = 18
IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
LINK_ATTRS = {
    "ID": (1, "u32"),
    "FORMAT": (2, "u8"),
    "REMOTE4": (3, "ip"),
    "REMOTE6": (4, "ip"),
    "LOCAL4": (5, "ip"),
    "LOCAL6": (6, "ip"),
    "PORT": (7, "u16"),
}
LINK_ATTR_NAMES = {v[0]: k for k, v in LINK_ATTRS.items()}

STATS = ["UNSPEC", "PAD", "RX_PACKETS", "RX_BYTES", "TX_PACKETS",
         "TX_BYTES", "DROP_UNKNOWN_ID", "DROP_BAD_HEADER", "DROP_SHORT",
         "DROP_NO_ROUTE", "DROP_LOOP", "DROP_NOMEM", "DROP_XMIT",
         "DROP_UNBOUND", "DROP_DOWN", "DROP_BAD_SOURCE", "DROP_TOO_BIG",
         "DROP_ECN", "DROP_ZERO_CSUM", "DROP_NO_PEER", "DROP_PEER_DOWN",
         "ROUTE_HIT", "ROUTE_MISS", "HELD", "ACTIVATIONS", "RELAYED",
         "ROAMS", "DROP_HOLD_FULL", "DROP_HOLD_EXPIRED", "DROP_STANDBY",
         "DROP_RELAYING", "DROP_RELAY_LOOP", "DROP_RATE", "ROUTE_EVICT"]


class Usage(Exception):
    pass


def attr_name(t):
    return "VW_A_" + ATTR_NAMES[t] if t in ATTR_NAMES else str(t)


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * (-len(payload) % 4)
    return hdr + payload + pad


def parse_attrs(buf):
    """[(type, flags, payload)] of the attributes in buf."""
    out = []
    off = 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4 or off + alen > len(buf):
            break
        out.append((atype & NLA_TYPE_MASK, atype & ~NLA_TYPE_MASK,
                    buf[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out


def encode(spec, attrs=ATTRS):
    """NAME[:TYPE]=VALUE -> attribute bytes."""
    if "=" not in spec:
        raise Usage("attribute %r: expected NAME[:TYPE]=VALUE" % spec)
    key, value = spec.split("=", 1)
    name, _, atype = key.partition(":")
    if name.upper() in attrs:
        num, default = attrs[name.upper()]
    elif name.isdigit():
        num, default = int(name), "u32"
    else:
        raise Usage("unknown attribute %r" % name)
    atype = atype or default
    flag = 0
    if atype in ("u8", "u16", "u32", "u64"):
        fmt = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}[atype]
        payload = struct.pack(fmt, int(value, 0))
    elif atype == "str":
        payload = value.encode() + b"\0"
    elif atype == "bytes":
        payload = value.encode()
    elif atype == "hex":
        payload = bytes.fromhex(value)
    elif atype == "ip":
        fam = socket.AF_INET6 if ":" in value else socket.AF_INET
        payload = socket.inet_pton(fam, value)
    elif atype == "nest":
        payload = b""
        flag = NLA_F_NESTED
    elif atype == "rawnest":
        payload = b""
    else:
        raise Usage("unknown type %r" % atype)
    return nla(num | flag, payload)


def decode_endpoint(attrs):
    """A GET reply or event as a dict keyed by attribute name."""
    ep = {}
    for t, _, p in attrs:
        name = ATTR_NAMES.get(t, str(t))
        if name == "STATS":
            ep["STATS"] = {STATS[st] if st < len(STATS) else str(st):
                           struct.unpack("=Q", sp)[0]
                           for st, _, sp in parse_attrs(p)}
        elif name in ("IFNAME", "PEER_IFNAME"):
            ep[name] = p.rstrip(b"\0").decode()
        elif name in ("REMOTE4", "REMOTE6", "LOCAL4", "LOCAL6"):
            fam = socket.AF_INET if len(p) == 4 else socket.AF_INET6
            ep[name] = socket.inet_ntop(fam, p)
        elif len(p) in (1, 2, 4, 8):
            ep[name] = int.from_bytes(p, sys.byteorder)
        else:
            ep[name] = p.hex()
    return ep


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.seq = int(time.time()) & 0xffff
        self.family, self.groups = self.resolve()

    def send(self, mtype, flags, cmd, version, attrs, resv=0):
        self.seq += 1
        payload = struct.pack("=BBH", cmd, version, resv) + attrs
        msg = struct.pack("=IHHII", 16 + len(payload), mtype, flags,
                          self.seq, 0) + payload
        self.sock.send(msg)
        return msg

    def messages(self, data):
        """(type, flags, seq, payload) of each message in a datagram."""
        off = 0
        while off + 16 <= len(data):
            mlen, mtype, flags, seq, _ = struct.unpack_from("=IHHII", data,
                                                            off)
            if mlen < 16 or off + mlen > len(data):
                break
            yield mtype, flags, seq, data[off + 16:off + mlen]
            off += (mlen + 3) & ~3

    def recv(self):
        return self.sock.recv(1 << 16)

    def resolve(self):
        self.send(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
                  CTRL_CMD_GETFAMILY, 1,
                  nla(CTRL_ATTR_FAMILY_NAME, VW_GENL_NAME.encode() + b"\0"))
        family, groups = None, {}
        while True:
            for mtype, flags, seq, p in self.messages(self.recv()):
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", p)[0]
                    if err:
                        raise OSError(err, "family %s: %s" %
                                      (VW_GENL_NAME, os.strerror(err)))
                    return family, groups
                for t, _, ap in parse_attrs(p[4:]):
                    if t == CTRL_ATTR_FAMILY_ID:
                        family = struct.unpack("=H", ap)[0]
                    elif t == CTRL_ATTR_MCAST_GROUPS:
                        for _, _, g in parse_attrs(ap):
                            ga = {gt: gp for gt, _, gp in parse_attrs(g)}
                            name = ga[CTRL_ATTR_MCAST_GRP_NAME]
                            groups[name.rstrip(b"\0").decode()] = \
                                struct.unpack("=I",
                                              ga[CTRL_ATTR_MCAST_GRP_ID])[0]

    def request(self, cmd, attrs, flags=0, resv=0):
        """Send one request; returns (errno, ext, request, replies)."""
        req = self.send(self.family, NLM_F_REQUEST | NLM_F_ACK | flags, cmd,
                        VW_GENL_VERSION, attrs, resv)
        seq = self.seq
        replies = []
        while True:
            for mtype, mflags, mseq, p in self.messages(self.recv()):
                if mseq != seq:
                    continue
                if mtype in (NLMSG_ERROR, NLMSG_DONE):
                    return (-struct.unpack_from("=i", p)[0],
                            self.ext_ack(mtype, mflags, p), req, replies)
                replies.append((mflags, p))

    @staticmethod
    def ext_ack(mtype, flags, p):
        """The NLMSGERR_ATTR_* of an error or done message."""
        if not flags & NLM_F_ACK_TLVS:
            return {}
        off = 4
        if mtype == NLMSG_ERROR:
            # The request comes back: its header, or all of it.
            olen = struct.unpack_from("=I", p, 4)[0]
            off += 16 if flags & NLM_F_CAPPED else (olen + 3) & ~3
        return {t: v for t, _, v in parse_attrs(p[off:])}


def attr_at(req, offs):
    """The attribute of request req that starts at byte offset offs."""
    off = 16 + 4
    while off + 4 <= len(req):
        alen, atype = struct.unpack_from("=HH", req, off)
        if off == offs:
            return attr_name(atype & NLA_TYPE_MASK)
        off += (alen + 3) & ~3
    return "offset %d" % offs


def print_changes(before, after):
    """Lines "changed: ..." saying how two snapshots differ, if they do."""
    if before == after:
        return
    eps0, devs0, *rest0 = before
    eps1, devs1, *rest1 = after
    old = {e.get("IFNAME"): e for e in eps0}
    new = {e.get("IFNAME"): e for e in eps1}
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a is None or b is None:
            print("changed: endpoint %s %s" % (name, "added" if a is None
                                                else "removed"))
            continue
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                print("changed: %s %s: %r -> %r" % (name, k, a.get(k),
                                                    b.get(k)))
    if devs0 != devs1:
        print("changed: devices %s -> %s" % (devs0, devs1))
    for f0, f1 in zip(rest0, rest1):
        lines0, lines1 = f0.splitlines(), f1.splitlines()
        for line in lines0:
            if line not in lines1:
                print("changed: connectors file line gone: %s" % line)
        for line in lines1:
            if line not in lines0:
                print("changed: connectors file line new: %s" % line)


def errname(err):
    """EOPNOTSUPP rather than its alias ENOTSUP, as the kernel spells it."""
    if err == errno.EOPNOTSUPP:
        return "EOPNOTSUPP"
    return errno.errorcode.get(err, str(err)) if err else "0"


def cmd_number(word):
    if word in CMDS:
        return CMDS[word]
    if word.isdigit():
        return int(word)
    raise Usage("unknown command %r" % word)


def snapshot(nl):
    """The endpoints as dumped and the devices of the namespace."""
    d = Dump(nl)
    while not d.done:
        d.part()
    return d.endpoints, sorted(socket.if_nameindex())


def do(args):
    flags, resv = 0, 0
    specs = []
    unchanged = False
    test = None
    cmd = None
    i = 0
    while i < len(args):
        if args[i] == "--dump":
            flags |= NLM_F_DUMP
        elif args[i] == "--resv":
            i += 1
            resv = int(args[i], 0)
        elif args[i] == "--unchanged":
            unchanged = True
        elif args[i] == "--test":
            i += 1
            test = args[i]
        elif cmd is None:
            cmd = cmd_number(args[i])
        else:
            specs.append(args[i])
        i += 1
    if cmd is None:
        raise Usage("req: which command?")
    attrs = b"".join(encode(s) for s in specs)
    nl = Genl()
    before = snapshot(nl) if unchanged else None
    err, ext, req, replies = nl.request(cmd, attrs, flags, resv)
    after = snapshot(nl) if unchanged else None
    print("errno %s" % errname(err))
    if NLMSGERR_ATTR_MSG in ext:
        print("msg %s" % ext[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode())
    if NLMSGERR_ATTR_OFFS in ext:
        print("attr %s" % attr_at(req,
                                  struct.unpack("=I",
                                                ext[NLMSGERR_ATTR_OFFS])[0]))
    if NLMSGERR_ATTR_MISS_TYPE in ext:
        print("miss %s" % attr_name(struct.unpack(
            "=I", ext[NLMSGERR_ATTR_MISS_TYPE])[0]))
    decoded = []
    for _, p in replies:
        ep = decode_endpoint(parse_attrs(p[4:]))
        ep["cmd"] = CMD_NAMES.get(p[0], p[0])
        decoded.append(ep)
        print("reply %s" % json.dumps(ep, sort_keys=True))
    print_changes(before, after)
    if test is not None:
        j = decoded[0] if decoded else None
        try:
            ok = eval("(" + test + ")", {"j": j})
        except Exception as e:
            ok = False
            print("%s: %r" % (test, e))
        if not ok:
            print("false: %s" % test)
            sys.exit(1)


class Dump:
    """A dump of every endpoint, read one datagram (part) at a time."""

    def __init__(self, nl):
        self.nl = nl
        nl.send(nl.family, NLM_F_REQUEST | NLM_F_DUMP, CMDS["get"],
                VW_GENL_VERSION, b"")
        self.seq = nl.seq
        self.parts = 0
        self.messages = 0
        self.endpoints = []
        self.done = False

    def part(self):
        """Read one part; returns whether it had NLM_F_DUMP_INTR."""
        intr = False
        counted = False
        for mtype, flags, seq, p in self.nl.messages(self.nl.recv()):
            if seq != self.seq:
                continue
            if not counted:
                self.parts += 1
                counted = True
            intr |= bool(flags & NLM_F_DUMP_INTR)
            if mtype == NLMSG_ERROR or mtype == NLMSG_DONE:
                err = -struct.unpack_from("=i", p)[0]
                if err:
                    raise OSError(err, "dump: %s" % os.strerror(err))
                self.done = True
                continue
            if not flags & NLM_F_MULTI:
                raise OSError(errno.EPROTO, "dump reply without NLM_F_MULTI")
            self.messages += 1
            self.endpoints.append(decode_endpoint(parse_attrs(p[4:])))
        return intr

    def result(self, **extra):
        r = {"parts": self.parts, "messages": self.messages}
        r.update(extra)
        r["endpoints"] = self.endpoints
        return r


def dump(args):
    d = Dump(Genl())
    intr = False
    while not d.done:
        intr |= d.part()
    print(json.dumps(d.result(intr=intr), sort_keys=True))


def dump_intr(args):
    """Change an endpoint between two parts of a dump."""
    nl = Genl()
    d = Dump(nl)
    before = d.part()
    if d.done or not d.endpoints:
        raise OSError(errno.ENODATA, "dump ended in one part")
    other = Genl()
    ifindex = d.endpoints[0]["IFINDEX"]
    err, ext, _, _ = other.request(
        CMDS["set"], nla(ATTRS["IFINDEX"][0], struct.pack("=I", ifindex)) +
        nla(ATTRS["TTL"][0], struct.pack("=H", 77)))
    if err:
        raise OSError(err, "set: %s" % ext.get(NLMSGERR_ATTR_MSG, b""))
    after = False
    while not d.done:
        after |= d.part()
    print(json.dumps(d.result(intr_before=before, intr_after=after),
                     sort_keys=True))


def add_many(args):
    if len(args) != 3:
        raise Usage("add-many FIRST COUNT REMOTE")
    first, count = int(args[0], 0), int(args[1], 0)
    remote = encode("REMOTE4=" + args[2] if ":" not in args[2]
                    else "REMOTE6=" + args[2])
    nl = Genl()
    for i in range(first, first + count):
        err, ext, _, _ = nl.request(CMDS["add"],
                                    nla(ATTRS["ID"][0], struct.pack("=I", i))
                                    + remote)
        if err:
            raise OSError(err, "add %d: %s" %
                          (i, ext.get(NLMSGERR_ATTR_MSG, b"").decode()))


def monitor(args):
    if len(args) != 1:
        raise Usage("monitor SECONDS|stdin")
    nl = Genl()
    nl.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                       nl.groups["events"])
    print("ready", file=sys.stderr, flush=True)
    until = None if args[0] == "stdin" else time.monotonic() + float(args[0])
    watch = [nl.sock] + ([sys.stdin] if until is None else [])
    while True:
        left = None if until is None else until - time.monotonic()
        if left is not None and left <= 0:
            return
        ready, _, _ = select.select(watch, [], [], left)
        if nl.sock in ready:
            print_events(nl, nl.recv())
        if sys.stdin in ready:
            # Told to stop: what the kernel queued before is still ours.
            nl.sock.setblocking(False)
            try:
                while True:
                    print_events(nl, nl.recv())
            except BlockingIOError:
                print("stopped", file=sys.stderr, flush=True)
                return


def print_events(nl, data):
    for mtype, flags, seq, p in nl.messages(data):
        if mtype != nl.family:
            continue
        ep = decode_endpoint(parse_attrs(p[4:]))
        ep["cmd"] = CMD_NAMES.get(p[0], p[0])
        print(json.dumps(ep, sort_keys=True), flush=True)


CONTROL = "/proc/net/virtualwire/control"
CONNECTORS = "/proc/net/virtualwire/connectors"
CLONE_NEWUSER = 0x10000000


def userns_open(path):
    """path opened for writing by a child in a user namespace of its own."""
    import ctypes

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    pid = os.fork()
    if pid == 0:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(CLONE_NEWUSER):
                raise OSError(ctypes.get_errno(), "unshare")
            fd = os.open(path, os.O_WRONLY)
            socket.send_fds(theirs, [b"fd"], [fd])
        except OSError as e:
            theirs.send(b"open " + errname(e.errno).encode())
        os._exit(0)
    msg, fds, _, _ = socket.recv_fds(ours, 64, 1)
    os.waitpid(pid, 0)
    if not fds:
        raise OSError(errno.EIO, msg.decode())
    return fds[0]


def ctl(args):
    opts = ("--userns-opener", "--unchanged", "--stdin")
    given = set()
    while args and args[0] in opts:
        given.add(args.pop(0))
    opener = "--userns-opener" in given
    unchanged = "--unchanged" in given
    if "--stdin" in given:
        text = sys.stdin.buffer.read()
    else:
        text = " ".join(args).encode()
    before = ctl_snapshot() if unchanged else None
    ctl_write(text, opener)
    after = ctl_snapshot() if unchanged else None
    print_changes(before, after)


def ctl_snapshot():
    with open(CONNECTORS) as f:
        return snapshot(Genl()) + (f.read(),)


def ctl_write(text, opener):
    try:
        fd = userns_open(CONTROL) if opener else os.open(CONTROL,
                                                          os.O_WRONLY)
    except OSError as e:
        if opener:
            raise
        print("open %s" % errname(e.errno))
        return
    try:
        n = os.write(fd, text)
        print("ok" if n == len(text) else "short write %d" % n)
    except OSError as e:
        print("write %s" % errname(e.errno))
    finally:
        os.close(fd)


def link_add(args):
    if not args:
        raise Usage("link-add: which name?")
    data = b"".join(encode(s, LINK_ATTRS) for s in args[1:])
    info = nla(IFLA_INFO_KIND, b"virtualwire\0")
    info_data_off = len(info)
    info += nla(IFLA_INFO_DATA, data)
    ifname = nla(IFLA_IFNAME, args[0].encode() + b"\0")
    body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0) + ifname + \
        nla(IFLA_LINKINFO, info)
    msg = struct.pack("=IHHII", 16 + len(body), RTM_NEWLINK,
                      NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
                      1, 0) + body
    # Where the IFLA_VW_* attributes start in the message.
    data_start = 16 + 16 + len(ifname) + 4 + info_data_off + 4
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    sock.bind((0, 0))
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    sock.send(msg)
    while True:
        data = sock.recv(1 << 16)
        alen, mtype, mflags = struct.unpack_from("=IHH", data)
        if mtype == NLMSG_ERROR:
            break
    p = data[16:alen]
    print("errno %s" % errname(-struct.unpack_from("=i", p)[0]))
    ext = Genl.ext_ack(mtype, mflags, p)
    if NLMSGERR_ATTR_MSG in ext:
        print("msg %s" % ext[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode())
    if NLMSGERR_ATTR_OFFS in ext:
        offs = struct.unpack("=I", ext[NLMSGERR_ATTR_OFFS])[0]
        off, where = data_start, "offset %d" % offs
        while off + 4 <= len(msg):
            alen, atype = struct.unpack_from("=HH", msg, off)
            if off == offs:
                t = atype & NLA_TYPE_MASK
                where = "IFLA_VW_" + LINK_ATTR_NAMES.get(t, str(t))
                break
            off += (alen + 3) & ~3
        print("attr %s" % where)
    if NLMSGERR_ATTR_MISS_TYPE in ext:
        t = struct.unpack("=I", ext[NLMSGERR_ATTR_MISS_TYPE])[0]
        print("miss IFLA_VW_%s" % LINK_ATTR_NAMES.get(t, str(t)))


def main(argv):
    cmds = {"req": do, "dump": dump, "dump-intr": dump_intr,
            "add-many": add_many, "monitor": monitor, "ctl": ctl,
            "link-add": link_add}
    if len(argv) < 2 or argv[1] not in cmds:
        print("usage: vwnl.py req|dump|dump-intr|add-many|monitor|ctl|link-add ...",
              file=sys.stderr)
        return 2
    try:
        cmds[argv[1]](argv[2:])
    except Usage as e:
        print("vwnl.py: %s" % e, file=sys.stderr)
        return 2
    except OSError as e:
        print("vwnl.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
