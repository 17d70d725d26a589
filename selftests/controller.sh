#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vwd, the endpoint controller, with a real etcd (Documentation/
# controller.rst): a 3-member etcd cluster in the switch namespace, on
# three more addresses of br0 (selftests/vwd_lib.sh), which every host
# reaches over its underlay; hosts A, B, C, each with its own vwd.
#
#      A: vwd   B: vwd   C: vwd              etcd m1 m2 m3
#      eth0     eth0     eth0                192.0.2.201-203
#        |        |        |                       |
#      ------------------ br0 (switch namespace) ---
#
#  - vwctl connect on A and B makes a UDP wire that carries a ping; the
#    end alone waits with its carrier off; the directory holds one key
#    per end, versioned JSON;
#  - both ends on C make a local wire between two "VMs" of C;
#  - one etcd member killed: nothing changes, a new wire still comes up;
#  - two killed (no quorum): traffic flows, vwctl directory says the
#    directory is unreachable, a connect is done locally; the members
#    back, vwd reconciles: the pending end is registered, no command is
#    run for the wires that are right (its log), the kernel sees no change
#    (vwctl monitor in every host);
#  - vwd killed (SIGKILL) and stopped (SIGTERM), restarted: the wires are
#    untouched (no kernel event) and in step;
#  - B's vwd killed for longer than its lease: A sees the far end gone
#    (directory, vwctl show) and keeps the remote; B back, it is found;
#  - a third active end is refused (exit 1, the message names the two
#    ends), nothing made; a disconnect removes the end and its key.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vwd_lib.sh
source "$SELFTESTS_DIR/vwd_lib.sh"

ID=42

# step DESC CMD...: a test point whose command runs in this shell (check
# runs it in a subshell), for commands that start processes the test
# signals and waits for later.
step()
{
	local desc=$1 rc=0
	shift

	"$@" > "$VW_TMP/step.out" 2>&1 || rc=$?
	if [ $rc = 0 ]; then
		ktap_pass "$desc"
	else
		ktap_fail "$desc"
		echo "# command: $* (exit $rc)"
		sed 's/^/#   /' "$VW_TMP/step.out"
	fi
}

setup()
{
	topo_create A B C &&
	etcd_start &&
	mon_start A && mon_start B && mon_start C
}

vwds_start()
{
	vwd_start A && vwd_start B && vwd_start C
}

# wired HOST ID DEV FAR: HOST's end is a UDP wire to host FAR's IPv4.
wired()
{
	vw_json_test "$1" "c['dev'] == '$3' and c['wire'] == 'udp' and
		c['remote'] == '$(addr4 "$4")' and c['state'] == 'active'" "$2"
}

wait_wired()
{
	poll 20 wired "$@"
}

# ------------------------------------------------------------ UDP wire --

# A alone: registered, waiting, no carrier.
a_waits()
{
	in_host A vwctl connect "$ID" dev vw0 format vw &&
	in_host A ip link set vw0 up &&
	poll 30 dir_test A "c['id'] == $ID and c['dev'] == 'vw0' and
		c['state'] == 'waiting' and c['far'] is None" "$ID" &&
	in_host A ip -j link show dev vw0 |
		json_test "'NO-CARRIER' in j[0]['flags']"
}

# The directory's keys for connector 42: one per end, under the hosts'
# leases, versioned JSON as Documentation/controller.rst gives it.
keys_ok()
{
	local k v

	k=$(etcd_keys "/virtualwire/v1/connectors/$ID/")
	echo "$k"
	[ "$k" = "/virtualwire/v1/connectors/$ID/A/vw0
/virtualwire/v1/connectors/$ID/B/vw0" ] || return 1
	v=$(etcd_value "/virtualwire/v1/connectors/$ID/B/vw0") &&
	json_test "j['version'] == 1 and j['id'] == $ID and j['host'] == 'B' and
		j['dev'] == 'vw0' and j['addrs'][0] == '$(addr4 B)' and
		j['format'] == 'vw' and j['port'] == 4798 and
		j['state'] == 'active'" <<< "$v" &&
	v=$(etcd_value /virtualwire/v1/hosts/A) &&
	json_test "j['version'] == 1 and j['host'] == 'A' and
		j['addrs'] == ['$(addr4 A)', '$(addr6 A)']" <<< "$v"
}

udp_wire()
{
	in_host B vwctl connect "$ID" dev vw0 format vw &&
	wait_wired A "$ID" vw0 B &&
	wait_wired B "$ID" vw0 A &&
	inner_addrs A vw0 && inner_addrs B vw0 &&
	ping_wait_ok A "$(inner4 B)"
}

in_step()
{
	dir_test "$1" "c['state'] == 'wired' and c['far']['host'] == '$3' and
		c['far']['addr'] == '$(addr4 "$3")' and c['in_step'] is True and
		c['far_gone'] is False and c['conflict'] is None" "$2"
}

# ---------------------------------------------------------- local wire --

local_wire()
{
	vm_create L1 C brl1 31 &&
	vm_create L2 C brl2 32 &&
	in_host C vwctl connect 7 dev vwa &&
	in_host C vwctl connect 7 dev vwb &&
	in_host C ip link set vwa master brl1 up &&
	in_host C ip link set vwb master brl2 up &&
	poll 20 vw_json_test C "c['wire'] == 'local' and c['peer'] == 'vwb'" \
		dev vwa &&
	vw_json_test C "c['wire'] == 'local' and c['peer'] == 'vwa'" dev vwb &&
	ping_wait_ok L1 "$(inner4 L2)"
}

# -------------------------------------------------------- etcd failures --

# A new wire, 43, A to B: the directory still works.
new_wire()
{
	in_host A vwctl connect 43 dev vw43 &&
	in_host B vwctl connect 43 dev vw43 &&
	wait_wired A 43 vw43 B && wait_wired B 43 vw43 A
}

no_quorum_seen()
{
	poll 40 dir_test A "j['directory']['connected'] is False" &&
	in_host A vwctl directory | grep -i unreachable
}

# One line when the directory goes away, not one per retry.
log_once()
{
	local n

	n=$(tail -n +"$(($2 + 1))" "$VW_TMP/vwd-$1.log" |
		grep -c '^vwd: directory unreachable')
	echo "lines saying unreachable: $n"
	[ "$n" = 1 ]
}

# A connect without a directory: done locally, the reply says the
# registration waits for the directory.
pending_connect()
{
	local out

	out=$(in_host A vwctl connect 44 dev vw44 2>&1) || return 1
	echo "$out"
	grep -qiE 'pending|unreachable' <<< "$out" &&
	in_host A ip link show dev vw44 >/dev/null
}

reconnected()
{
	local h

	for h in A B C; do
		vwd_wait "$h" 60 || return 1
	done
	poll 20 has_key /virtualwire/v1/connectors/44/A/vw44
}

quiet_all()
{
	mon_quiet A "$MA" "$ID" 43 7 &&
	mon_quiet B "$MB" "$ID" 43 &&
	mon_quiet C "$MC" 7
}

right_wires_alone()
{
	log_no_cmds A "$LA" "$ID" 43 &&
	log_no_cmds B "$LB" "$ID" 43 &&
	log_no_cmds C "$LC" 7
}

# ------------------------------------------------------- vwd restarts --

vwd_restarts()
{
	vwd_stop A KILL &&
	vwd_stop B TERM &&
	ping_ok A "$(inner4 B)" &&
	vwd_start A && vwd_start B
}

# ------------------------------------------------------- lease expiry --

far_gone()
{
	poll $((VWD_TTL * 3 + 10)) dir_test A "c['far'] is None and
		c['far_gone'] is True" "$ID" &&
	in_host A vwctl show "$ID" | grep -F "directory: far end gone (host B)"
}

b_keys_gone()
{
	local k

	k=$(etcd_keys /virtualwire/v1/)
	echo "$k"
	! grep -q '/B' <<< "$k"
}

far_back()
{
	vwd_start B &&
	poll 20 dir_test A "c['far_gone'] is False and
		c['far']['host'] == 'B'" "$ID"
}

# ------------------------------------------------------------ conflict --

third_refused()
{
	local out rc=0

	out=$(in_host C vwctl connect "$ID" dev vw0 format vw 2>&1) || rc=$?
	echo "exit $rc: $out"
	[ "$rc" = 1 ] &&
	grep -qF "connector $ID already has two active ends: host A dev vw0, host B dev vw0" \
		<<< "$out" &&
	! in_host C ip link show dev vw0 2>/dev/null &&
	[ -z "$(etcd_keys "/virtualwire/v1/connectors/$ID/C/")" ]
}

disconnect_b()
{
	in_host B vwctl disconnect 43 &&
	! in_host B ip link show dev vw43 2>/dev/null &&
	[ -z "$(etcd_keys /virtualwire/v1/connectors/43/B/)" ] &&
	poll 20 dir_test A "c['far_gone'] is True" 43 &&
	wired A 43 vw43 B
}

# ----------------------------------------------------- the test points --

both_in_step()
{
	in_step A "$ID" B && in_step B "$ID" A
}

kill_one()
{
	etcd_kill 1 && new_wire
}

kill_two()
{
	etcd_kill 2 && no_quorum_seen
}

traffic()
{
	ping_ok A "$(inner4 B)" && ping_ok L1 "$(inner4 L2)"
}

members_back()
{
	etcd_restart 2 && etcd_restart 1 && reconnected
}

restart_quiet()
{
	mon_quiet A "$MA" "$ID" 43 && mon_quiet B "$MB" "$ID" 43 &&
	in_step A "$ID" B && ping_ok A "$(inner4 B)"
}

remote_kept()
{
	wired A "$ID" vw0 B && mon_quiet A "$MA" "$ID"
}

gone_seen()
{
	far_gone && b_keys_gone
}

# ---------------------------------------------------------------- main --

ktap_header
require_env
vwd_require
ktap_plan 22

step "etcd: 3 members in the switch namespace, healthy; monitors" setup
step "vwd on A, B and C, connected to the directory" vwds_start

check "connect on A alone: waiting, no carrier" a_waits
check "connect on B: a UDP wire A-B, a ping across" udp_wire
check "directory: a key per end, version 1 JSON" keys_ok
check "vwctl directory: in step on both ends" both_in_step
# A step, not a check: vm_create records the VMs (their addresses, and
# the namespaces topo_destroy removes) in this shell's VW_IDX and
# VW_HOSTS, which a check's subshell would lose.
step "both ends on C: a local wire between two VMs" local_wire

MA=$(mon_mark A) MB=$(mon_mark B) MC=$(mon_mark C)
LA=$(log_mark A) LB=$(log_mark B) LC=$(log_mark C)
check "etcd member 1 killed: a new wire still comes up" kill_one
# Connector 43's wire came up meanwhile: count from here for A and B.
MA=$(mon_mark A) MB=$(mon_mark B)
LA=$(log_mark A) LB=$(log_mark B)
check "etcd member 2 killed too (no quorum): vwd says unreachable" \
	kill_two
check "no quorum: traffic flows on the UDP and local wires" traffic
check "no quorum: connect is done locally, pending" pending_connect
check "etcd members back: vwd reconnects, registers the pending end" \
	members_back
check "vwd logged one line for the directory going away" log_once A "$LA"
check "reconnect: vwd ran no command for the right wires (its log)" \
	right_wires_alone
check "reconnect: the kernel saw no change (monitor)" quiet_all

MA=$(mon_mark A) MB=$(mon_mark B)
step "vwd A killed, vwd B stopped, both restarted; traffic meanwhile" \
	vwd_restarts
check "vwd restart: no kernel change, wires in step, traffic" \
	restart_quiet

MA=$(mon_mark A)
vwd_stop B KILL
check "B's lease expired: A says far end gone, B's keys gone" \
	gone_seen
check "far end gone: A keeps its remote, no kernel change" \
	remote_kept
step "B's vwd back: A finds the far end again" far_back

check "a third active end is refused, nothing made" third_refused
check "disconnect on B: end and key gone, A keeps its wire" disconnect_b

ktap_finished
