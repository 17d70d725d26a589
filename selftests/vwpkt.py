#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Packet helpers for the virtualwire selftests, standard library only (the
# test VM has no scapy).
#
#   vwpkt.py parse PCAP
#       Print the frames of an Ethernet pcap file as a JSON list, one
#       object per frame: t (seconds), eth_src, eth_dst, eth_type; fam (4,
#       6, or None for other frames), src, dst, proto, and for IP ttl (or hop
#       limit), tos (or traffic class), df, proto, frag (a non-first
#       fragment); for TCP tcp_sport and tcp_dport; for UDP also sport,
#       dport, ulen, csum, csum_ok (the checksum verified; None when the
#       capture is truncated or the checksum is zero), hdr (the first 8
#       payload bytes, hex) and inner (the same fields for the frame after
#       an 8-byte tunnel header, plus eth_src, eth_dst, eth_type), or None.
#
#   vwpkt.py send ADDR PORT [options]
#       Send tunnel packets in plain UDP datagrams, so the kernel builds the
#       outer headers.  The 8-byte header is --hdr HEX, or built from
#       --fmt vxlan|vw and --id.  The inner frame is an Ethernet frame
#       carrying an IPv4 UDP datagram when --ip-src/--ip-dst are given,
#       otherwise a broadcast frame of a local experimental EtherType.
#       With --seq, the frames are numbered: the inner UDP source port of
#       the n-th (from 0) is --udp-sport + n.
#
#   vwpkt.py udp ADDR PORT[-LAST] [options]
#       Plain UDP datagrams (inner traffic), --count to each port in the
#       range, with optional IP TOS/TTL and socket mark (SO_MARK).
#
#   vwpkt.py raw DEV [options]
#       The inner frame of "send" (--eth-*, --ip-*, --udp-*, --size bytes
#       in all), written --count times into device DEV from an AF_PACKET
#       socket, so the kernel neither builds nor parses its headers.  With
#       --vnet, through a PACKET_VNET_HDR socket with an empty virtio-net
#       header: a frame of a page or more then reaches the device with
#       only its Ethernet header in the linear part, the rest in fragments.

import argparse
import ipaddress
import json
import socket
import struct
import sys


def csum16(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def parse_ip(buf, out):
    """Fill out with the IP (and UDP) fields of buf; return True if IP."""
    if len(buf) < 1:
        return False
    ver = buf[0] >> 4
    if ver == 4 and len(buf) >= 20:
        ihl = (buf[0] & 0xf) * 4
        tot = struct.unpack('!H', buf[2:4])[0]
        fl = struct.unpack('!H', buf[6:8])[0]
        out.update(fam=4, tos=buf[1], ttl=buf[8], proto=buf[9],
                   src=socket.inet_ntop(socket.AF_INET, buf[12:16]),
                   dst=socket.inet_ntop(socket.AF_INET, buf[16:20]),
                   df=bool(fl & 0x4000), mf=bool(fl & 0x2000),
                   frag=bool(fl & 0x1fff), len=tot)
        l4 = buf[ihl:tot] if tot >= ihl else buf[ihl:]
        pseudo = buf[12:20] + struct.pack('!BBH', 0, 17, tot - ihl)
    elif ver == 6 and len(buf) >= 40:
        w = struct.unpack('!I', buf[0:4])[0]
        plen = struct.unpack('!H', buf[4:6])[0]
        out.update(fam=6, tos=(w >> 20) & 0xff, ttl=buf[7], proto=buf[6],
                   src=socket.inet_ntop(socket.AF_INET6, buf[8:24]),
                   dst=socket.inet_ntop(socket.AF_INET6, buf[24:40]),
                   df=None, mf=False, frag=False, len=40 + plen)
        l4 = buf[40:40 + plen]
        pseudo = buf[8:40] + struct.pack('!IxxxB', plen, 17)
    else:
        return False
    if out['proto'] == 17 and not out['frag'] and len(l4) >= 8:
        sport, dport, ulen, ck = struct.unpack('!HHHH', l4[:8])
        out.update(sport=sport, dport=dport, ulen=ulen, csum=ck)
        ok = None
        if ck and not out['mf'] and len(l4) >= ulen:
            ok = csum16(pseudo + l4[:ulen]) == 0xffff
        out['csum_ok'] = ok
        pl = l4[8:]
        out['hdr'] = pl[:8].hex()
        out['inner'] = parse_eth(pl[8:]) if len(pl) >= 8 + 14 else None
    elif out['proto'] == 6 and not out['frag'] and len(l4) >= 4:
        out.update(tcp_sport=struct.unpack('!H', l4[0:2])[0],
                   tcp_dport=struct.unpack('!H', l4[2:4])[0])
    elif out['proto'] in (1, 58) and len(l4) >= 4:
        out.update(icmp_type=l4[0], icmp_code=l4[1])
    return True


def parse_eth(frame):
    if len(frame) < 14:
        return None
    out = {'eth_dst': frame[0:6].hex(':'), 'eth_src': frame[6:12].hex(':'),
           'eth_type': struct.unpack('!H', frame[12:14])[0]}
    parse_ip(frame[14:], out)
    return out


def cmd_parse(a):
    with open(a.pcap, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        print('[]')
        return 0
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        print('%s: not a pcap file' % a.pcap, file=sys.stderr)
        return 2
    nsec = magic in (b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d')
    linktype = struct.unpack(e + 'I', data[20:24])[0]
    if linktype != 1:
        print('%s: link type %d, not Ethernet' % (a.pcap, linktype),
              file=sys.stderr)
        return 2
    pkts = []
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(e + 'IIII', data[off:off + 16])
        off += 16
        frame = data[off:off + incl]
        off += incl
        p = parse_eth(frame)
        if p is None:
            continue
        for k in ('fam', 'src', 'dst', 'proto'):
            p.setdefault(k, None)
        p['t'] = sec + frac / (1e9 if nsec else 1e6)
        pkts.append(p)
    json.dump(pkts, sys.stdout)
    print()
    return 0


def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))


def build_header(a):
    if a.hdr:
        h = bytes.fromhex(a.hdr)
        if len(h) != 8:
            raise SystemExit('--hdr must be 8 bytes')
        return h
    if a.fmt == 'vw':
        return b'VW\x01\x00' + struct.pack('!I', a.id)
    return struct.pack('!BxxxI', 0x08, a.id << 8)


def build_frame(a, sport=None):
    if not a.ip_dst:
        # Nobody's address: the stack drops it after the device counted it.
        return (b'\xff' * 6 + mac(a.eth_src) + struct.pack('!H', 0x88b5) +
                b'\0' * 46)
    body = a.payload.encode()
    udp = struct.pack('!HHHH', a.udp_sport if sport is None else sport,
                      a.udp_dport, 8 + len(body), 0) + body
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, a.ip_tos, 20 + len(udp), 1,
                     0x4000, a.ip_ttl, 17, 0,
                     socket.inet_aton(a.ip_src), socket.inet_aton(a.ip_dst))
    ip = ip[:10] + struct.pack('!H', 0xffff - csum16(ip)) + ip[12:]
    return mac(a.eth_dst) + mac(a.eth_src) + b'\x08\x00' + ip + udp


def family(addr):
    return socket.AF_INET6 if ipaddress.ip_address(addr).version == 6 \
        else socket.AF_INET


def cmd_send(a):
    fam = family(a.addr)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if a.sport:
        s.bind(('::' if fam == socket.AF_INET6 else '0.0.0.0', a.sport))
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, a.tos)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, a.tos)
        if a.zero_csum:
            # UDP_NO_CHECK6_TX (RFC 6935/6936)
            s.setsockopt(socket.IPPROTO_UDP, 101, 1)
    if a.seq and (not a.ip_dst or a.udp_sport + a.count > 65536):
        raise SystemExit('--seq needs --ip-src/--ip-dst and room for '
                         '--count source ports above --udp-sport')
    hdr = build_header(a)
    pkt = hdr + build_frame(a)
    for n in range(a.count):
        if a.seq:
            pkt = hdr + build_frame(a, a.udp_sport + n)
        s.sendto(pkt, (a.addr, a.port))
    return 0


def cmd_raw(a):
    frame = build_frame(a)
    if len(frame) < a.size:
        # Grow the UDP payload, then fix the IP and UDP lengths and sum.
        frame += b'\0' * (a.size - len(frame))
        ip = bytearray(frame[14:34])
        ip[2:4] = struct.pack('!H', len(frame) - 14)
        ip[10:12] = b'\0\0'
        ip[10:12] = struct.pack('!H', 0xffff - csum16(bytes(ip)))
        udp_len = struct.pack('!H', len(frame) - 34)
        frame = frame[:14] + bytes(ip) + frame[34:38] + udp_len + \
            frame[40:]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    if a.vnet:
        s.setsockopt(263, 15, 1)   # SOL_PACKET, PACKET_VNET_HDR
        frame = b'\0' * 10 + frame  # struct virtio_net_hdr, all zero
    s.bind((a.dev, 0x0800))
    for _ in range(a.count):
        s.send(frame)
    return 0


def cmd_udp(a):
    fam = family(a.addr)
    first, _, last = a.ports.partition('-')
    first = int(first)
    last = int(last) if last else first
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if a.mark:
        s.setsockopt(socket.SOL_SOCKET, 36, a.mark)  # SO_MARK
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, a.tos)
        if a.ttl:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, a.ttl)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, a.tos)
        if a.ttl:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS,
                         a.ttl)
    for _ in range(a.count):
        for port in range(first, last + 1):
            s.sendto(b'vwpkt', (a.addr, port))
    return 0


def main():
    num = lambda s: int(s, 0)
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)

    p = sub.add_parser('parse')
    p.add_argument('pcap')

    p = sub.add_parser('send')
    p.add_argument('addr')
    p.add_argument('port', type=num)
    p.add_argument('--count', type=num, default=1)
    p.add_argument('--sport', type=num, default=0)
    p.add_argument('--tos', type=num, default=0, help='outer TOS/TCLASS')
    p.add_argument('--zero-csum', action='store_true',
                   help='IPv6: send a zero UDP checksum')
    p.add_argument('--hdr', help='the 8-byte tunnel header, hex')
    p.add_argument('--seq', action='store_true',
                   help='number the frames in their inner UDP source port')
    p.add_argument('--fmt', choices=('vxlan', 'vw'), default='vxlan')
    p.add_argument('--id', type=num, default=0)
    p.add_argument('--eth-dst', default='ff:ff:ff:ff:ff:ff')
    p.add_argument('--eth-src', default='02:00:00:00:00:fe')
    p.add_argument('--ip-src')
    p.add_argument('--ip-dst')
    p.add_argument('--ip-tos', type=num, default=0)
    p.add_argument('--ip-ttl', type=num, default=64)
    p.add_argument('--udp-sport', type=num, default=40000)
    p.add_argument('--udp-dport', type=num, default=9)
    p.add_argument('--payload', default='vwpkt')

    p = sub.add_parser('udp')
    p.add_argument('addr')
    p.add_argument('ports')
    p.add_argument('--count', type=num, default=1)
    p.add_argument('--tos', type=num, default=0)
    p.add_argument('--ttl', type=num, default=0)
    p.add_argument('--mark', type=num, default=0)

    p = sub.add_parser('raw')
    p.add_argument('dev')
    p.add_argument('--count', type=num, default=1)
    p.add_argument('--size', type=num, default=0)
    p.add_argument('--vnet', action='store_true')
    p.add_argument('--eth-dst', default='ff:ff:ff:ff:ff:ff')
    p.add_argument('--eth-src', default='02:00:00:00:00:fe')
    p.add_argument('--ip-src')
    p.add_argument('--ip-dst')
    p.add_argument('--ip-tos', type=num, default=0)
    p.add_argument('--ip-ttl', type=num, default=64)
    p.add_argument('--udp-sport', type=num, default=40000)
    p.add_argument('--udp-dport', type=num, default=9)
    p.add_argument('--payload', default='vwpkt')

    a = ap.parse_args()
    return {'parse': cmd_parse, 'send': cmd_send, 'udp': cmd_udp,
            'raw': cmd_raw}[a.cmd](a)


if __name__ == '__main__':
    sys.exit(main())
