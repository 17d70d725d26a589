#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Endpoint MTU and path MTU discovery through a connector.
#
#   VM -- br0 -- vw0 (42)  host A  ---  router R  --- MTU 1400 ---  host B
#
# A new endpoint's MTU is its underlay route's minus the encapsulation (50
# over IPv4, 70 over IPv6), 1450 without a route.  With "df set", or "df
# inherit" and an inner DF packet, a frame too big for the 1400-byte hop
# comes back to the VM as an ICMP "fragmentation needed" (IPv4 inner) or
# "packet too big" (IPv6 inner) with the room left, 1400 - 50 = 1350, and
# counts as too_big; smaller packets pass.  With DF clear outside, R
# fragments and big packets pass.
#
# Why 1400 and not less: an IPv6 link is at least 1280 bytes (RFC 8200),
# so below 1330 on the hop no "packet too big" may be sent for IPv6 at all.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=42
BIG=1400

mtu_of()
{
	in_host A ip -j link show dev "$1" | json_eval "j[0]['mtu']"
}

# new_mtu DEV REMOTE WANT: a new endpoint to REMOTE gets MTU WANT.
new_mtu()
{
	local mtu

	in_host A vwctl add "$4" dev "$1" remote "$2" || return 1
	mtu=$(mtu_of "$1") || return 1
	echo "$1 mtu: $mtu"
	[ "$mtu" = "$3" ]
}

setup()
{
	in_host A vwctl add "$ID" dev vw0 remote "$(addr4 B)" &&
	in_host A ip link set vw0 master br0 up &&
	# B is not the bottleneck: it takes whole frames from the VM.
	in_host B vwctl add "$ID" dev vw0 remote "$(addr4 A)" &&
	in_host B ip link set vw0 mtu 1450 &&
	inner_addrs B vw0 &&
	in_host B ip addr add 198.51.100.12/24 dev vw0 &&
	in_host B ip addr add 198.51.100.22/24 dev vw0
}

# big_ping ARGS... ADDR: pings of $BIG bytes from the VM; succeeds when
# one is answered.
big_ping()
{
	in_host vm ping -c 3 -i 0.5 -W 2 -s "$BIG" "$@"
}

# too_big ARGS... ADDR: $BIG-byte DF pings from the VM are refused with
# an mtu of 1300-1350, in an ICMP error or as a local error once the VM
# has learnt it.
too_big()
{
	local out mtu

	out=$(in_host vm ping -c 5 -i 0.5 -W 1 -M "do" -s "$BIG" "$@" 2>&1)
	printf '%s\n' "$out" | tail -n 8
	mtu=$(printf '%s\n' "$out" | grep -oiE 'mtu[ =:]+[0-9]+' |
		grep -oE '[0-9]+' | head -n 1)
	[ -n "$mtu" ] && [ "$mtu" -ge 1300 ] && [ "$mtu" -le 1350 ]
}

too_big_counted()
{
	counter_ge $((TB0 + 1)) vw_counter A too_big "$ID"
}

ktap_header
require_env
ping -V 2>&1 | grep -q iputils || ktap_skip_all "iputils ping not found"
ktap_plan 16

topo_routed A R B 1400

# The endpoint's MTU follows the route at creation: A's eth0 at 1400.
in_host A ip link set eth0 mtu 1400
check "new endpoint, IPv4 route MTU 1400: MTU 1350" \
	new_mtu vwm4 "$(addr4 B)" 1350 100
check "new endpoint, IPv6 route MTU 1400: MTU 1330" \
	new_mtu vwm6 "$(addr6 B)" 1330 101
check "new endpoint, no route to the remote: MTU 1450" \
	new_mtu vwm0 198.18.0.1 1450 102
del_dev A vwm4
del_dev A vwm6
del_dev A vwm0
in_host A ip link set eth0 mtu 1500

vm_create vm A br0 10
check "A: VM -- br0 -- vw0 ($ID) to B; B: vw0 ($ID) to A" setup
check "ping VM -> B" ping_wait_ok vm "$(inner4 B)"
check "df unset: $BIG-byte DF ping passes (R fragments outside)" \
	big_ping -M "do" "$(inner4 B)"

TB0=$(vw_counter A too_big $ID 2>/dev/null) || TB0=0
check "vwctl set $ID df set" in_host A vwctl set $ID df set
check "df set: $BIG-byte DF ping gets frag needed, mtu 1350" \
	too_big "$(inner4 B)"
check "df set: too_big counted" too_big_counted
check "df set: 1300-byte DF ping passes" \
	in_host vm ping -c 2 -W 2 -M "do" -s 1300 "$(inner4 B)"
check "df set: $BIG-byte IPv6 ping gets packet too big, mtu 1350" \
	too_big -6 "$(inner6 B)"
check "df set: 1280-byte IPv6 ping passes" \
	in_host vm ping -6 -c 2 -W 2 -s 1280 "$(inner6 B)"

TB0=$(vw_counter A too_big $ID 2>/dev/null) || TB0=0
check "vwctl set $ID df inherit" in_host A vwctl set $ID df inherit
check "df inherit: $BIG-byte DF ping gets frag needed, mtu 1350" \
	too_big 198.51.100.12
check "df inherit: too_big counted" too_big_counted
check "df inherit: $BIG-byte ping without DF passes" \
	big_ping -M dont 198.51.100.22

ktap_finished
