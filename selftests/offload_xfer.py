#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A TCP transfer whose bytes can be checked end to end, for offload.sh: the
# stream crosses GSO on the sender and GRO on the receiver, and a merge or
# split in the wrong place shows up as a different digest.
#
#   offload_xfer.py server ADDR PORT
#       Accept one connection, read until EOF, print "LENGTH SHA256".
#       Prints "listening" on stderr once it accepts connections.
#
#   offload_xfer.py client ADDR PORT LENGTH [SEED]
#       Send LENGTH pseudo-random bytes (the same for the same SEED), print
#       "LENGTH SHA256" of what was sent.

import hashlib
import random
import socket
import sys


def family(addr):
    return socket.AF_INET6 if ':' in addr else socket.AF_INET


def server(addr, port):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(60)
    print('listening', file=sys.stderr, flush=True)
    c, _ = s.accept()
    c.settimeout(60)
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(1 << 16)
        if not b:
            break
        h.update(b)
        n += len(b)
    c.close()
    print(n, h.hexdigest(), flush=True)


def client(addr, port, length, seed):
    data = random.Random(seed).randbytes(length)
    s = socket.create_connection((addr, port), timeout=30)
    s.settimeout(60)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    # Until the server has read it all and closed.
    while s.recv(4096):
        pass
    s.close()
    print(length, hashlib.sha256(data).hexdigest(), flush=True)


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == 'server':
        server(a[1], int(a[2]))
    elif len(a) in (4, 5) and a[0] == 'client':
        client(a[1], int(a[2]), int(a[3]), int(a[4]) if len(a) == 5 else 1)
    else:
        print('usage: offload_xfer.py server ADDR PORT | client ADDR PORT LENGTH [SEED]',
              file=sys.stderr)
        sys.exit(2)


if __name__ == '__main__':
    main()
