#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NIC tunnel-port offload: every UDP port that endpoints in the VXLAN
# format use is registered with the namespace's NICs (udp_tunnel_nic), as
# vxlan registers its own; ports of the native format are not.  netdevsim
# shows what a NIC was given in its port table (debugfs):
#
#   - a port appears with its first VXLAN-format endpoint and goes with
#     the last, whatever else still uses it; a change of format moves it;
#   - a NIC that comes later, comes up again (one programmed only while
#     open), or arrives from another namespace is given the ports in use:
#     the module answers NETDEV_UDP_TUNNEL_PUSH_INFO;
#   - a netdevsim reset gets them back;
#   - another namespace's ports are not this one's.
#
# netdevsim is built into the debug kernel of make check; Debian's kernels
# lack it, and there the test skips.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

NSIM_ID=$((RANDOM % 1000 + 1000))
NSIM_SYS=/sys/bus/netdevsim/devices/netdevsim$NSIM_ID
NSIM_DFS=/sys/kernel/debug/netdevsim/netdevsim$NSIM_ID
REMOTE=192.0.2.99
UDP_TUNNEL_TYPE_VXLAN=1

nsim_gone()
{
	[ -e "$NSIM_SYS" ] && echo "$NSIM_ID" > /sys/bus/netdevsim/del_device
	return 0
}

# nsim_netdevs: the netdevsim device's netdevs in H.
nsim_netdevs()
{
	in_host H ls "$NSIM_SYS/net" 2>/dev/null | sort
}

# new_netdev PORT BEFORE: the netdev that is in H now and not in BEFORE,
# as netdevsim port PORT's (in $VW_TMP/nsimPORT: check runs in a subshell).
new_netdev()
{
	local d

	d=$(comm -13 <(echo "$2") <(nsim_netdevs) | head -n 1)
	[ -n "$d" ] || { echo "no new netdev for netdevsim port $1"; return 1; }
	echo "$d" > "$VW_TMP/nsim$1"
}

netdev_of()
{
	cat "$VW_TMP/nsim$1"
}

# ports PORT: the UDP ports in netdevsim port PORT's VXLAN table, sorted,
# "-" for none; anything in its other table (GENEVE, VXLAN-GPE) is wrong.
ports()
{
	local v t=$NSIM_DFS/ports/$1/udp_ports got=()

	for v in $(cat "$t/table1"); do
		[ "$v" = 0 ] || { echo "table1 has $((v >> 16)) type $((v & 0xffff))"; return 1; }
	done
	for v in $(cat "$t/table0"); do
		[ "$v" = 0 ] && continue
		[ $((v & 0xffff)) = $UDP_TUNNEL_TYPE_VXLAN ] ||
			{ echo "port $((v >> 16)) has type $((v & 0xffff))"; return 1; }
		got+=($((v >> 16)))
	done
	[ ${#got[@]} -gt 0 ] || { echo -; return 0; }
	printf '%s\n' "${got[@]}" | sort -n | xargs
}

table_is()
{
	local got

	got=$(ports "$1") || return 1
	[ "$got" = "$2" ] || { echo "netdevsim port $1 table: $got (want $2)"; return 1; }
}

# table PORT WANT: the table settles to WANT (ports, or "-").
table()
{
	poll 30 table_is "$@"
}

# then CMD... -- PORT WANT: CMD, then the table is WANT.
then_table()
{
	local n=$#

	chain "${@:1:n-2}" table "${@:n-1}"
}

vw()
{
	in_host H vwctl "$@"
}

nsim_new()
{
	in_host H sh -c "echo $NSIM_ID 1 > /sys/bus/netdevsim/new_device" &&
	poll 30 new_netdev 0 "" &&
	in_host H ip link set "$(netdev_of 0)" up
}

# A second netdevsim port, made while endpoints exist, programmed only
# while it is up (udp_ports_open_only).
nsim_port1()
{
	local before

	before=$(nsim_netdevs)
	echo 1 > "$NSIM_DFS/udp_ports_open_only" &&
	in_host H sh -c "echo 1 > $NSIM_SYS/new_port" &&
	poll 30 new_netdev 1 "$before" &&
	in_host H ip link set "$(netdev_of 1)" up
}

port1_link()
{
	in_host H ip link set "$(netdev_of 1)" "$1"
}

# Port 0's netdev to namespace C and back.
to_c()
{
	local d

	d=$(netdev_of 0) && in_host H ip link set "$d" netns "$(ns_of C)" &&
	in_host C ip link set "$d" up
}

back_to_h()
{
	local d

	d=$(netdev_of 0) && in_host C ip link set "$d" netns "$(ns_of H)" &&
	in_host H ip link set "$d" up
}

ktap_header
require_env
[ -d /sys/bus/netdevsim ] ||
	ktap_skip_all "netdevsim is not in this kernel (the debug kernel has it)"
[ -d /sys/kernel/debug/netdevsim ] ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
ktap_plan 19

VW_CLEANUP+=(nsim_gone)
topo_create H C
check "a netdevsim NIC in H: its VXLAN port table is empty" \
	then_table nsim_new -- 0 -
check "a VXLAN-format endpoint: port 4789 is registered" \
	then_table vw add 1 dev vx1 remote $REMOTE -- 0 4789
check "a second one on 4789: still one entry" \
	then_table vw add 2 dev vx2 remote $REMOTE -- 0 4789
check "a native-format endpoint on 4800: not registered" \
	then_table vw add 3 dev vw3 remote $REMOTE format vw port 4800 -- 0 4789
check "a VXLAN-format endpoint on 4790: registered" \
	then_table vw add 4 dev vx4 remote $REMOTE port 4790 -- 0 "4789 4790"
check "4790's endpoint set to the native format: 4790 goes" \
	then_table vw set 4 format vw -- 0 4789
check "and back to VXLAN: 4790 is back" \
	then_table vw set 4 format vxlan -- 0 "4789 4790"
check "4800's endpoint set to VXLAN: 4800 comes" \
	then_table vw set 3 format vxlan -- 0 "4789 4790 4800"
check "a netdevsim reset: the table comes back" \
	then_table sh -c "echo 1 > $NSIM_DFS/ports/0/udp_ports/reset" -- \
	0 "4789 4790 4800"
check "a NIC port made now (open only) is given the ports in use" \
	then_table nsim_port1 -- 1 "4789 4790 4800"
check "that port down: its table is flushed" \
	then_table port1_link down -- 1 -
check "and up: the module gives the ports again" \
	then_table port1_link up -- 1 "4789 4790 4800"
check "an endpoint in namespace C on 5000" \
	in_host C vwctl add 9 dev vx9 remote $REMOTE port 5000
check "port 0's netdev moved to C: C's port only" \
	then_table to_c -- 0 5000
check "and back to H: H's ports" \
	then_table back_to_h -- 0 "4789 4790 4800"
check "one of the two on 4789 deleted: 4789 stays" \
	then_table vw del 1 -- 0 "4789 4790 4800"
check "the other deleted: 4789 goes, from both NIC ports" \
	then_table vw del 2 -- 1 "4790 4800" && table 0 "4790 4800"
check "the rest deleted: the tables are empty" \
	then_table vw del 3 -- 0 4790
check "and the last" \
	then_table vw del 4 -- 0 -
ktap_finished
