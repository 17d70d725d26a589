#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vwctl flush (VW_CMD_FLUSH): every endpoint of the namespace, unbound ones
# included, or the bound ones of an ID range, go in one request; the others
# stay; both ends of a local wire go together; each bound endpoint deleted
# is announced as "removed"; a flush that matches nothing succeeds; a range
# whose MIN is above MAX is refused by vwctl and by the kernel (extack
# pointing at VW_A_ID_MAX, in words) and changes nothing; flush works in a
# batch.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

VWNL=(python3 -S "$SELFTESTS_DIR/vwnl.py")
MON_PID=

vw()
{
	in_host A vwctl "$@"
}

# ids_are "ID ID ...": the endpoints of host A, as show --json lists them,
# by ID, "-" for each unbound one, last.
ids_are()
{
	local got

	got=$(vw show --json | json_eval \
		"' '.join(sorted((str(c['id']) if c['id'] is not None else '-' for c in j['connectors']), key=lambda x: (x == '-', int(x) if x != '-' else 0)))")
	[ "$got" = "$1" ] || { echo "got '$got', want '$1'"; return 1; }
}

# The devices of kind virtualwire in host A.
vw_devs()
{
	in_host A ip -o link show type virtualwire | wc -l
}

populate()
{
	local i

	for i in $(seq 1 20); do
		echo "add $i remote 192.0.2.2"
	done | vw -batch - &&
	# A local wire, both ends ID 100, and an unbound device.
	in_host A ip link add la type virtualwire &&
	in_host A ip link add lb type virtualwire &&
	vw add 100 dev la peer lb &&
	vw add 100 dev lb peer la &&
	in_host A ip link add ub type virtualwire
}

TEN_20=$(seq -s " " 10 20)
ALL="$(seq -s " " 1 20) 100 100 -"

# Started outside check, so that this shell can stop it.  A canary
# endpoint, added and deleted until the monitor reports it, shows that it
# listens.
mon_start()
{
	local n=0

	ip netns exec "$(ns_of A)" vwctl monitor --json >"$VW_TMP/mon" &
	MON_PID=$!
	until grep -q canary "$VW_TMP/mon"; do
		n=$((n + 1))
		[ $n -le 30 ] || { echo "monitor reports nothing"; return 1; }
		vw add 999 dev canary remote 192.0.2.99 && vw del 999 || return 1
		sleep 0.3
	done
}

mon_stop()
{
	sleep 0.5
	kill -TERM "$MON_PID"
	wait "$MON_PID" || true
}

# removed_are "ID ...": the removed events after the canary's, by ID.
removed_are()
{
	local got

	got=$(grep -v canary "$VW_TMP/mon" | python3 -S -c '
import json, sys
ids = []
for line in sys.stdin:
    e = json.loads(line)
    if e.get("event") == "removed":
        ids.append(str(e["connector"]["id"]))
print(" ".join(sorted(ids, key=int)))')
	[ "$got" = "$1" ] || { echo "removed: '$got', want '$1'"; cat "$VW_TMP/mon"; return 1; }
}

# nl_refused: the kernel itself refuses MIN above MAX, pointing at
# VW_A_ID_MAX.
nl_refused()
{
	local out want

	want=$'errno EINVAL\nmsg the ID range ends below its start\nattr VW_A_ID_MAX'
	out=$(in_host A "${VWNL[@]}" req --unchanged flush ID_MIN=9 ID_MAX=5)
	[ "$out" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$out" "$want"; return 1; }
}

# Attributes of other commands are refused by FLUSH's own policy.
nl_other_attr_refused()
{
	local out

	out=$(in_host A "${VWNL[@]}" req --unchanged flush ID=5)
	echo "$out"
	[ "$out" = $'errno EINVAL\nmsg not taken here; flush takes only an ID range (id MIN-MAX)\nattr VW_A_ID' ]
}

cli_refused()
{
	local err rc

	err=$(vw flush id 9-5 2>&1) && rc=0 || rc=$?
	echo "exit $rc: $err"
	[ "$rc" = 2 ] &&
	[ "$err" = "vwctl: flush: invalid range '9-5': MIN is above MAX" ]
}

ktap_header
require_env
ktap_plan 14

topo_create A

check "flush of an empty namespace succeeds" vw flush
check "20 endpoints, a local wire and an unbound device" populate
check "they are all there" ids_are "$ALL"
check "flush id 9-5: vwctl refuses, exit 2 (usage), one message" cli_refused
check "flush MIN above MAX: the kernel refuses, pointing at VW_A_ID_MAX" nl_refused
check "flush with VW_A_ID: refused by the command's policy" nl_other_attr_refused
check "nothing changed" ids_are "$ALL"
mon_start
check "flush id 5-9" vw flush id 5-9
mon_stop
check "flush id 5-9: the others stay" \
	ids_are "1 2 3 4 $TEN_20 100 100 -"
check "flush id 5-9: one removed event each" removed_are "5 6 7 8 9"
check "flush id 100: both ends of the local wire go, the unbound one stays" \
	eval 'vw flush id 100 && ids_are "1 2 3 4 $TEN_20 -"'
check "flush of a range that holds no endpoint succeeds, changes nothing" \
	eval 'vw flush id 1000-2000 && ids_are "1 2 3 4 $TEN_20 -"'
check "flush in a batch" \
	eval 'printf "flush id 1-3\nshow 4\n" | vw -batch - >/dev/null &&
	      ids_are "4 $TEN_20 -"'
check "flush: every endpoint and device is gone, the unbound one too" \
	eval 'vw flush && ids_are "" && test "$(vw_devs)" = 0'

ktap_finished
