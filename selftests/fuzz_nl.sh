#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Control-surface fuzzing (vwfuzz_nl.c): random and mutated generic
# netlink requests, rtnetlink link requests of kind virtualwire and
# /proc/net/virtualwire/control writes, in one namespace.  Modelled
# messages must have exactly the predicted outcome, state and events;
# refused ones must change nothing and announce nothing; the state must be
# what the accepted messages made it, in the dump, in "vwctl show --json"
# and in the connectors file; everything deletes cleanly at the end.
# The kernel log is checked for splats by the VM runner (and kmemleak on
# the debug kernel).
#
# Counts (genl/rtnl/proc): 5k/1k/1k short (VW_SHORT=1), 100k/20k/20k
# normal, 400k/80k/80k long (VW_LONG=1).  VW_FUZZ_SEED=N replays a run.
# On a crowded host the fuzzer stops sending after VW_FUZZ_BUDGET seconds
# (default 780, inside run.sh's per-test timeout; 0: none) and says so.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

FUZZ=$SELFTESTS_DIR/vwfuzz_nl
CONN=/proc/net/virtualwire/connectors
STATE=$VW_TMP/state
SEED=${VW_FUZZ_SEED:-$(( $(date +%s) ^ $$ ))}
N_GENL=$(by_mode 5000 100000 400000)
N_RTNL=$(by_mode 1000 20000 80000)
N_PROC=$(by_mode 1000 20000 80000)
BUDGET=${VW_FUZZ_BUDGET:-780}

fuzz()
{
	local start=$SECONDS rc=0

	in_host A "$FUZZ" -s "$SEED" -g "$N_GENL" -r "$N_RTNL" -p "$N_PROC" \
		-t "$BUDGET" -o "$STATE" > "$VW_TMP/fuzz.out" 2>&1 || rc=$?
	echo "# $((SECONDS - start)) s" >> "$VW_TMP/fuzz.out"
	[ "$rc" = 0 ] || { tail -n 60 "$VW_TMP/fuzz.out"; return 1; }
}

# The fuzzer's final state (lines "IFINDEX DEV ID|- WIRE FORMAT REMOTE|PEER
# PORT") against vwctl's JSON.  A device name is bytes, and the fuzzer
# makes names that are not UTF-8: the state and the connectors file are
# read as bytes (split at ASCII white space, as the kernel forbids it in
# names); vwctl writes a byte that starts no valid UTF-8 sequence as
# U+FFFD, and the model's names are compared so.
vwctl_agrees()
{
	in_host A vwctl show --json > "$VW_TMP/show.json" || return 1
	python3 - "$STATE" "$VW_TMP/show.json" <<'EOF'
import json, sys

def as_vwctl(b):
    """Bytes as vwctl's JSON has them: U+FFFD for each stray byte."""
    out, i = [], 0
    while i < len(b):
        for n in range(1, 5):
            try:
                out.append(b[i:i + n].decode('utf-8'))
                i += n
                break
            except UnicodeDecodeError:
                pass
        else:
            out.append('\ufffd')
            i += 1
    return ''.join(out)

want = {}
for line in open(sys.argv[1], 'rb'):
    i, dev, cid, wire, fmt, far, port = line.split()
    dev, cid, wire, fmt, far, port = (as_vwctl(x) for x in
                                      (dev, cid, wire, fmt, far, port))
    want[dev] = None if cid == '-' else (int(cid), wire, fmt, far,
                                        None if wire == 'local' else int(port))
got = {}
for c in json.load(open(sys.argv[2], encoding='utf-8'))['connectors']:
    if c['id'] is None:
        got[c['dev']] = None
    else:
        far = c['remote'] if c['wire'] == 'udp' else (c['peer'] or '-')
        got[c['dev']] = (c['id'], c['wire'], c['format'], far, c['port'])
if want != got:
    print('model:', want)
    print('vwctl:', got)
    sys.exit(1)
EOF
}

# The same against the connectors file.
connectors_agree()
{
	in_host A cat "$CONN" > "$VW_TMP/conn" || return 1
	python3 - "$STATE" "$VW_TMP/conn" <<'EOF'
import sys
want = {}
for line in open(sys.argv[1], 'rb'):
    i, dev, cid, wire, fmt, far, port = line.split()
    want[dev] = None if cid == b'-' else (cid, wire, fmt, far,
                                         b'-' if wire == b'local' else port)
got = {}
for line in open(sys.argv[2], 'rb').readlines()[1:]:
    f = line.split()
    # id dev wire format local remote port state rx tx drops
    got[f[1]] = None if f[0] == b'-' else (f[0], f[2], f[3], f[5], f[6])
if want != got:
    print('model:', want)
    print('connectors:', got)
    sys.exit(1)
EOF
}

vw_devices()
{
	in_host A ip -o link show type virtualwire | awk -F': ' '{ print $2 }' |
		sed 's/@.*//'
}

delete_all()
{
	local dev

	for dev in $(vw_devices); do
		in_host A ip link del dev "$dev" || return 1
	done
}

nothing_left()
{
	local n

	[ -z "$(vw_devices)" ] || { vw_devices; return 1; }
	n=$(in_host A cat "$CONN" | wc -l)
	[ "$n" = 1 ] || { in_host A cat "$CONN"; return 1; }
	in_host A vwctl show --json | json_test "j['connectors'] == []"
}

ktap_header
require_env
[ -x "$FUZZ" ] || ktap_skip_all "$FUZZ not built (make -C selftests)"
ktap_plan 5

topo_create A

check "fuzz: $N_GENL genl, $N_RTNL rtnl, $N_PROC proc messages (seed $SEED)" \
	fuzz
grep '^#' "$VW_TMP/fuzz.out" | grep -v FAIL || true
check "vwctl show --json is the model's final state" vwctl_agrees
check "the connectors file is the model's final state" connectors_agree
check "every endpoint deletes" delete_all
check "no endpoint left (ip link, connectors, vwctl)" nothing_left

ktap_finished
