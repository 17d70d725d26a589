#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 4096 endpoints in one namespace: the GET dump comes back complete, every
# ID exactly once, over many messages (a multi-part dump), both to a raw
# client (vwnl.py) and to vwctl show --json and stats --json; the
# connectors file lists them all; a change between two parts of a dump
# marks the rest NLM_F_DUMP_INTR, and an undisturbed dump is not marked.
#
# The endpoints go away with their namespace, in one batch: deleting 4096
# devices one by one would take minutes under TCG.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

N=${VW_SCALE_N:-4096}
VWNL=(python3 -S "$SELFTESTS_DIR/vwnl.py")

# ids_once FILE EXPR: EXPR over the JSON j in FILE lists every ID 1..N
# exactly once.
ids_once()
{
	python3 -S - "$1" "$2" "$N" <<'EOF'
import collections, json, sys
j = json.load(open(sys.argv[1]))
ids = eval(sys.argv[2])
n = int(sys.argv[3])
count = collections.Counter(ids)
dup = sorted(i for i, c in count.items() if c > 1)
missing = sorted(set(range(1, n + 1)) - set(count))
extra = sorted(set(count) - set(range(1, n + 1)))
print("%d IDs, %d distinct" % (len(ids), len(count)))
if dup or missing or extra:
    print("duplicated:", dup[:20], "missing:", missing[:20],
          "unexpected:", extra[:20])
    sys.exit(1)
EOF
}

add_all()
{
	local t0=$SECONDS

	in_host A "${VWNL[@]}" add-many 1 "$N" 192.0.2.2 || return 1
	echo "$N endpoints added in $((SECONDS - t0))s"
}

dump_ok()
{
	in_host A "${VWNL[@]}" dump >"$VW_TMP/dump.json" || return 1
	ids_once "$VW_TMP/dump.json" "[e['ID'] for e in j['endpoints']]" &&
	python3 -S - "$VW_TMP/dump.json" "$N" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
print("%d messages in %d parts, intr %s" % (j["messages"], j["parts"],
                                            j["intr"]))
# One message per endpoint; a 4096-endpoint dump cannot fit one part.
ok = j["messages"] == int(sys.argv[2]) and j["parts"] > 4 and not j["intr"]
ok = ok and all(e["REMOTE4"] == "192.0.2.2" and "STATS" in e
                for e in j["endpoints"])
sys.exit(0 if ok else 1)
EOF
}

show_ok()
{
	in_host A vwctl show --json >"$VW_TMP/show.json" &&
	ids_once "$VW_TMP/show.json" "[c['id'] for c in j['connectors']]"
}

stats_ok()
{
	in_host A vwctl stats --json >"$VW_TMP/stats.json" &&
	ids_once "$VW_TMP/stats.json" "[c['id'] for c in j['connectors']]"
}

proc_ok()
{
	in_host A cat /proc/net/virtualwire/connectors >"$VW_TMP/conn" &&
	python3 -S - "$VW_TMP/conn" "$N" <<'EOF'
import sys
lines = open(sys.argv[1]).read().splitlines()
ids = sorted(int(l.split()[0]) for l in lines[1:])
if lines[0].split()[0] != "id" or ids != list(range(1, int(sys.argv[2]) + 1)):
    print(lines[0], "%d lines" % len(lines), ids[:10])
    sys.exit(1)
EOF
}

# The first part is read, the first endpoint changed through another
# socket, then the rest is read: the kernel has already built the part
# after the first (while we read it), so the mark shows on a later one.
intr_ok()
{
	in_host A "${VWNL[@]}" dump-intr >"$VW_TMP/intr.json" || return 1
	python3 -S - "$VW_TMP/intr.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
del j["endpoints"]
print(j)
sys.exit(0 if not j["intr_before"] and j["intr_after"] else 1)
EOF
}

ktap_header
require_env
ktap_plan 7

topo_create A

check "add $N endpoints" add_all
check "GET dump: every ID once, one message each, several parts" dump_ok
check "vwctl show --json: every ID once" show_ok
check "vwctl stats --json: every ID once" stats_ok
check "connectors file: a line for each ID" proc_ok
check "a change during a dump marks it NLM_F_DUMP_INTR" intr_ok
check "the dump after the change is complete and not marked" dump_ok

ktap_finished
