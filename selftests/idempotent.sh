#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Commands a hook can re-run, and exit codes it can tell apart (vwctl(8),
# EXIT STATUS): add --may-exist and del --if-exists twice each; replace
# creating, updating and resetting an endpoint in place while a ping
# crosses it (same device, not one echo lost); the exit code of every
# kind of failure (2 usage, 3 already exists, 4 not found, 1 the rest);
# -batch -force going on past failing lines; -n NETNS; and a local wire
# made in one command (add ID dev A peer B), which leaves nothing behind
# when the kernel refuses it.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

vw()
{
	in_host A vwctl "$@"
}

# rc_is CODE CMD...: CMD exits CODE (its stderr shown).
rc_is()
{
	local want=$1 rc
	shift

	"$@" && rc=0 || rc=$?
	echo "exit $rc (want $want): $*"
	[ "$rc" = "$want" ]
}

# vw_rc CODE ARGS...: vwctl ARGS in host A exits CODE.
vw_rc()
{
	local want=$1
	shift
	rc_is "$want" in_host A vwctl "$@"
}

ifindex_of()
{
	vw_json A "c['ifindex']" dev "$1"
}

may_exist_ok()
{
	vw_rc 0 add --may-exist 42 dev vw42 remote "$(addr4 B)" &&
	vw_rc 0 add 42 dev vw42 remote "$(addr4 B)" --may-exist &&
	vw_rc 0 add --may-exist 42 remote 192.0.2.99 &&
	vw_json_test A "len(j['connectors']) == 1 and c['dev'] == 'vw42' and
		c['remote'] == '$(addr4 B)'"
}

del_if_exists_ok()
{
	vw add 77 dev vw77 remote 192.0.2.77 &&
	vw_rc 0 del --if-exists 77 &&
	vw_rc 0 del --if-exists 77 &&
	vw_rc 0 del dev vw77 --if-exists &&
	! in_host A ip link show dev vw77 2>/dev/null
}

# The exit code of each kind of failure.
codes_ok()
{
	vw_rc 3 add 42 dev vw42 remote "$(addr4 B)" &&
	vw_rc 3 add 42 dev vwx remote 192.0.2.9 &&
	vw_rc 3 add --may-exist 42 dev vwx remote 192.0.2.9 &&
	vw_rc 3 add 5 dev eth0 remote 192.0.2.9 &&
	vw_rc 4 del 77 &&
	vw_rc 4 del dev vw77 &&
	vw_rc 4 set 77 ttl 5 &&
	vw_rc 4 show 77 &&
	vw_rc 4 stats dev nosuch &&
	vw_rc 4 set 42 peer nosuch &&
	vw_rc 2 add 43 remote 192.0.2.2 port abc &&
	vw_rc 2 add 43 remote 192.0.2.2 --frob &&
	vw_rc 2 show --frob &&
	vw_rc 2 del &&
	vw_rc 2 frob &&
	vw_rc 2 --frob show &&
	vw_rc 2 -force show &&
	vw_rc 1 add 43 remote 224.0.0.1 &&
	vw_rc 1 set 42 tos 1 &&
	! in_host A ip link show dev vwx 2>/dev/null
}

# replace: created, changed, reset to the defaults, on the same device.
replace_ok()
{
	local idx

	idx=$(ifindex_of vw42) &&
	vw_rc 0 replace 42 dev vw42 remote "$(addr4 B)" ttl 9 tos 0x20 \
		srcport 50000 50100 &&
	vw_json_test A "c['ttl'] == 9 and c['tos'] == 32 and
		c['srcport'] == {'min': 50000, 'max': 50100} and
		c['ifindex'] == $idx" 42 &&
	vw_rc 0 replace 42 remote "$(addr4 B)" df set &&
	vw_json_test A "c['ttl'] == 'auto' and c['tos'] == 0 and
		c['df'] == 'set' and
		c['srcport'] == {'min': 49152, 'max': 65535} and
		c['ifindex'] == $idx" 42 &&
	vw_rc 0 replace 42 dev vw42 remote "$(addr4 B)" &&
	vw_json_test A "c['ttl'] == 'auto' and c['df'] == 'unset' and
		c['csum'] is True and c['format'] == 'vxlan' and
		c['port'] == 4789 and c['ifindex'] == $idx" 42
}

replace_refused()
{
	vw add 44 dev vw44 remote 192.0.2.44 &&
	# A connector is not moved to another device ...
	vw_rc 3 replace 44 dev vw45 remote 192.0.2.44 &&
	# ... and a device keeps its ID.
	vw_rc 3 replace 45 dev vw44 remote 192.0.2.45 &&
	vw_json_test A "c['remote'] == '192.0.2.44'" 44 &&
	! in_host A ip link show dev vw45 2>/dev/null &&
	vw_rc 0 replace 46 dev vw46 remote 192.0.2.46 ttl 3 &&
	vw_json_test A "c['ttl'] == 3" dev vw46 &&
	vw del 44 && vw del 46
}

batch_force_ok()
{
	local err=$VW_TMP/batch.err

	cat > "$VW_TMP/batch" <<EOB
add 60 dev vwb60 remote 192.0.2.60
add 42 dev vw42 remote $(addr4 B)
add 61 dev vwb61 remote 192.0.2.61
del 99
del --if-exists 99
show --bogus
replace 61 dev vwb61 remote 192.0.2.62
EOB
	vw_rc 3 -batch "$VW_TMP/batch" -force 2>"$err" || { cat "$err"; return 1; }
	cat "$err"
	[ "$(wc -l < "$err")" = 3 ] &&
	grep -q "^vwctl: batch line 2: add: " "$err" &&
	grep -q "^vwctl: batch line 4: del: " "$err" &&
	grep -q "^vwctl: batch line 6: show: unknown option '--bogus'" "$err" &&
	vw_json_test A "c['remote'] == '192.0.2.62'" 61 &&
	vw_json_test A "c['remote'] == '192.0.2.60'" 60 &&
	# Without -force, the first failure stops it, with its code.
	vw_rc 4 -force -batch - <<< "del 99
add 62 dev vwb62 remote 192.0.2.62" &&
	vw_rc 4 -batch - <<< "del 98
del 60" &&
	vw_json_test A "c['id'] == 60" 60 &&
	vw_rc 0 -batch - <<< "del 60
del 61
del 62"
}

netns_ok()
{
	local out

	vwctl -n "$(ns_of A)" show 42 --json | json_test "c['dev'] == 'vw42'" &&
	rc_is 0 vwctl -n "$(ns_of A)" add --may-exist 42 dev vw42 remote 192.0.2.2 &&
	rc_is 4 vwctl -netns "$(ns_of A)" del 4242 &&
	vwctl --netns "$(ns_of A)" -batch - <<< "show 42" | grep -q vw42 &&
	rc_is 1 vwctl -n vwt-no-such-netns show &&
	out=$(vwctl -n vwt-no-such-netns show 2>&1; true) &&
	[[ $out == *"network namespace 'vwt-no-such-netns' not found"* ]]
}

local_wire_ok()
{
	vw_rc 0 add 7 dev vwa peer vwb &&
	vw_json_test A "c['wire'] == 'local' and c['peer'] == 'vwb' and
		c['id'] == 7" dev vwa &&
	vw_json_test A "c['wire'] == 'local' and c['peer'] == 'vwa' and
		c['id'] == 7" dev vwb &&
	vw_rc 0 add --may-exist 7 dev vwa peer vwb &&
	vw_rc 3 add 7 dev vwa peer vwb &&
	vw_rc 1 set 7 ttl 3 &&
	vw_rc 0 replace 7 dev vwa peer vwb ttl 4 &&
	vw_json_test A "c['ttl'] == 4 and c['peer'] == 'vwb'" dev vwa &&
	# replace makes a missing peer too
	vw_rc 0 replace 8 dev vwc peer vwd format vw &&
	vw_json_test A "c['peer'] == 'vwc' and c['id'] == 8 and
		c['format'] == 'vw'" dev vwd &&
	in_host A ip link set vwa up && in_host A ip link set vwb up &&
	vw_rc 0 del dev vwa && vw_rc 0 del dev vwb &&
	vw_rc 0 flush id 8
}

# The kernel refuses the first end (tos with ECN bits) after it made the
# second: neither is left; nor when the first end's name is taken.
local_wire_cleanup()
{
	local before after

	before=$(in_host A ip -o link show | awk '{ print $2 }' | sort) &&
	vw_rc 1 add 9 dev vwe peer vwf tos 1 &&
	vw_rc 3 add 9 dev eth0 peer vwf &&
	vw_rc 1 add --may-exist 9 dev vwe peer vwf tos 1 &&
	vw_rc 1 replace 9 dev vwe peer vwf tos 1 &&
	after=$(in_host A ip -o link show | awk '{ print $2 }' | sort) &&
	echo "before: $before" && echo "after: $after" &&
	[ "$before" = "$after" ]
}

ktap_header
require_env
ktap_plan 13

topo_create A B
PINGS=$(by_mode 30 60)

check "add --may-exist twice, and without dev: exit 0, one endpoint" \
	may_exist_ok
check "del --if-exists twice, by ID and by dev: exit 0" del_if_exists_ok
check "exit codes: 3 exists, 4 not found, 2 usage, 1 the rest" codes_ok

# A connector between A and B for the traffic under replace.
inner_addrs A vw42
vw_endpoint B 42 "$(addr4 A)" vw42
check "ping across connector 42" wait_ping A "$(inner4 B)" 30
ping_bg A "$(inner4 B)" "$PINGS"
check "replace: change and reset to the defaults, same device" replace_ok
wait "$PING_PID" || true
check "replace under traffic: no echo lost" ping_lost_none
check "replace never moves an ID to another device or changes one" \
	replace_refused
check "-batch -force: goes on, every failure named, first failure's code" \
	batch_force_ok
check "-n NETNS: show, add, del, batch; a missing one is named, exit 1" \
	netns_ok
check "add ID dev A peer B: a local wire in one command" local_wire_ok
check "a refused one-command local wire leaves no device behind" \
	local_wire_cleanup
check "del --if-exists after all that: exit 0" vw_rc 0 del --if-exists 42
check "and again: exit 0" vw_rc 0 del --if-exists 42

ktap_finished
