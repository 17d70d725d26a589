#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A device made by "ip link add ... type virtualwire" starts unbound; vwctl
# add with its name binds that same device to an ID, after which it
# carries traffic; ip link del removes it and its ID.  Also the error
# paths of vwctl: duplicate ID, ID out of the vxlan range, unknown ID; and
# deleting a namespace that still has an endpoint.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

DEV=vwx0
ID=5
IFINDEX=

ifindex()
{
	in_host "$1" ip -j link show dev "$2" | json_eval "j[0]['ifindex']"
}

kind_ok()
{
	local out

	out=$(in_host A ip -d link show dev "$DEV") || return 1
	echo "$out"
	echo "$out" | grep -qw virtualwire &&
	in_host A ip -d -j link show dev "$DEV" |
		json_test "j[0]['linkinfo']['info_kind'] == 'virtualwire'"
}

unbound_listed()
{
	in_host A vwctl show | grep -qw "$DEV" || {
		echo "vwctl show does not list $DEV:"
		in_host A vwctl show
		return 1
	}
	vw_json_test A "[x for x in j['connectors'] if x['dev'] == '$DEV'] and
		all(x['id'] is None for x in j['connectors'] if x['dev'] == '$DEV')"
}

# The ID goes onto the device made above, not onto a new one.
bind_ok()
{
	in_host A vwctl add "$ID" dev "$DEV" remote "$(addr4 B)" || return 1
	vw_json_test A "len(j['connectors']) == 1 and c['id'] == $ID and
		c['dev'] == '$DEV' and c['ifindex'] == ${IFINDEX:-None} and
		c['remote'] == '$(addr4 B)'"
}

traffic_ok()
{
	vw_endpoint B "$ID" "$(addr4 A)" &&
	inner_addrs A "$DEV" &&
	ping_wait_ok A "$(inner4 B)"
}

# add_fails fails|fails_with_message DEV ARGS...: vwctl add ARGS must fail
# and leave no device DEV behind.
add_fails()
{
	local how=$1 dev=$2

	"$how" in_host A vwctl add "${@:3}" || return 1
	if in_host A ip link show dev "$dev" 2>/dev/null; then
		echo "$dev was left behind"
		return 1
	fi
}

ip_link_del_ok()
{
	in_host A ip link del dev "$DEV" || return 1
	if in_host A ip link show dev "$DEV" 2>/dev/null; then
		echo "$DEV still exists"
		return 1
	fi
}

# link_refused ERRNO MSG WHERE NAME ATTR...: an rtnetlink "ip link add NAME
# type virtualwire" carrying the IFLA_VW_* attributes ATTR (vwnl.py
# link-add) fails with exactly ERRNO, the extack MSG and WHERE ("attr
# IFLA_VW_X", "miss IFLA_VW_X" or - for none), and leaves no device NAME.
link_refused()
{
	local want out

	want="errno $1"$'\n'"msg $2"
	[ "$3" = - ] || want+=$'\n'"$3"
	out=$(in_host A python3 -S "$SELFTESTS_DIR/vwnl.py" link-add "${@:4}") ||
		return 1
	if [ "$out" != "$want" ]; then
		printf 'got:\n%s\nwant:\n%s\n' "$out" "$want"
		return 1
	fi
	if in_host A ip link show dev "$4" 2>/dev/null; then
		echo "$4 was left behind"
		return 1
	fi
}

# link_added NAME ATTR...: the same request is acked, and the device bound.
link_added()
{
	local out

	out=$(in_host A python3 -S "$SELFTESTS_DIR/vwnl.py" link-add "$@") ||
		return 1
	[ "$out" = "errno 0" ] || { echo "$out"; return 1; }
	vw_json_test A "c['dev'] == '$1'" "$(echo "$2" | cut -d= -f2)" &&
	in_host A ip link del dev "$1"
}

# An underlay route over a 64 KiB MTU (a jumbo or loopback-like device):
# the default MTU stays within the device's max_mtu, so it can be set
# again as it reads.
big_route_mtu_ok()
{
	local mtu max

	in_host A ip link add vwdummy mtu 65535 type dummy &&
	in_host A ip link set vwdummy up &&
	in_host A ip route add 10.99.0.0/24 dev vwdummy &&
	in_host A vwctl add 77 dev vwbig remote 10.99.0.9 || return 1
	mtu=$(in_host A ip -d -j link show dev vwbig | json_eval "j[0]['mtu']") &&
	max=$(in_host A ip -d -j link show dev vwbig |
		json_eval "j[0]['max_mtu']") || return 1
	echo "mtu $mtu, max_mtu $max"
	[ "$mtu" -le "$max" ] && [ "$mtu" -gt 60000 ] &&
	in_host A ip link set dev vwbig mtu "$mtu" &&
	in_host A ip link del dev vwbig &&
	in_host A ip link del dev vwdummy
}

# A device named from the vw%d template is enumerated (NET_NAME_ENUM, 1),
# one named by the user is not (NET_NAME_USER, 3).
name_type_ok()
{
	local t

	in_host A vwctl add 78 remote 192.0.2.78 || return 1
	t=$(in_host A cat /sys/class/net/vw0/name_assign_type) || return 1
	echo "vw0 (template): name_assign_type $t"
	[ "$t" = 1 ] || return 1
	in_host A vwctl add 79 dev vwnamed remote 192.0.2.79 || return 1
	t=$(in_host A cat /sys/class/net/vwnamed/name_assign_type) || return 1
	echo "vwnamed (given): name_assign_type $t"
	[ "$t" = 3 ] &&
	in_host A vwctl del 78 &&
	in_host A vwctl del 79
}

# Tearing down a namespace must take its endpoints with it, quietly: in the
# test VM a kernel warning here fails the run.
netns_del_ok()
{
	in_host B ip link show dev vw0 >/dev/null || return 1
	ip netns del "$(ns_of B)" || return 1
	sleep 2
	in_host A vwctl show >/dev/null
}

ktap_header
require_env
ktap_plan 17

topo_create A B

check "ip link add $DEV type virtualwire" \
	in_host A ip link add $DEV type virtualwire
check "ip -d link show $DEV: kind virtualwire" kind_ok
check "vwctl show lists $DEV unbound" unbound_listed
IFINDEX=$(ifindex A $DEV 2>/dev/null) || IFINDEX=
check "vwctl add $ID dev $DEV binds the existing device" bind_ok
check "traffic over $DEV to a peer" traffic_ok
check "vwctl add $ID dev vwy0 (duplicate ID) fails" \
	add_fails fails vwy0 $ID dev vwy0 remote 192.0.2.3
check "vwctl add 16777216 (beyond 24 bits) fails" \
	add_fails fails_with_message vwz0 16777216 dev vwz0 remote "$(addr4 B)"
check "vwctl del 999 (no such ID) fails" \
	fails in_host A vwctl del 999
check "ip link del $DEV removes it" ip_link_del_ok
check "vwctl show $ID fails once $DEV is gone" \
	fails in_host A vwctl show $ID
check "rtnl add with IFLA_VW_REMOTE4 and IFLA_VW_PORT, no IFLA_VW_ID: EINVAL" \
	link_refused EINVAL "no connector ID given; the other virtualwire attributes configure a connector and need one" \
	"miss IFLA_VW_ID" vwr0 REMOTE4="$(addr4 B)" PORT=4789
check "rtnl add with IFLA_VW_ID, IFLA_VW_REMOTE4 and IFLA_VW_PORT: bound" \
	link_added vwr1 ID=33 REMOTE4="$(addr4 B)" PORT=4789
check "rtnl add with an IFLA_VW_ID of 8 bytes: EINVAL, invalid length" \
	link_refused EINVAL "invalid attribute length" "attr IFLA_VW_ID" \
	vwr2 ID:u64=34 REMOTE4="$(addr4 B)"
check "rtnl add with an IFLA_VW_PORT of 4 bytes: EINVAL, invalid length" \
	link_refused EINVAL "invalid attribute length" "attr IFLA_VW_PORT" \
	vwr3 ID=35 REMOTE4="$(addr4 B)" PORT:u32=4789
check "default MTU over a 64 KiB route: within max_mtu" big_route_mtu_ok
check "name_assign_type: enum from the template, user when named" \
	name_type_ok
check "ip netns del of a namespace holding an endpoint" netns_del_ok

ktap_finished
