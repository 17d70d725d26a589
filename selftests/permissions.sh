#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may change endpoints: CAP_NET_ADMIN in the user namespace that owns
# the network namespace.  An unprivileged user is refused add, set and del
# (EPERM) over netlink and through /proc/net/virtualwire/control, yet may
# read (show, stats, dump, the connectors file).  Root of a user namespace
# is refused in a network namespace it does not own, and allowed in one it
# does.  The control file checks whoever opened it, not whoever writes.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

VWNL=(python3 -S "$SELFTESTS_DIR/vwnl.py")
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# Root of a fresh user namespace, still in the network namespace of the
# caller (owned by the initial user namespace).
USERNS_ROOT=(unshare --user --map-root-user)

# as_nobody HOST CMD...: CMD in HOST as user nobody, without capabilities.
as_nobody()
{
	local h=$1
	shift
	in_host "$h" "${NOBODY[@]}" "$@"
}

# What a refusal must leave alone: the endpoints and the devices.
snapshot()
{
	in_host A sh -c 'vwctl show --json && ip -o link show'
}

# refused_vwctl WHO ARGS...: vwctl ARGS run by WHO (as_nobody or
# as_userns_root) fails, says "Operation not permitted", and changes
# nothing.
refused_vwctl()
{
	local who=$1 before after err rc
	shift

	before=$(snapshot) || return 1
	err=$("$who" A vwctl "$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	after=$(snapshot) || return 1
	echo "exit $rc: $err"
	[ "$rc" != 0 ] || return 1
	case $err in
	*"Operation not permitted"*) ;;
	*) return 1 ;;
	esac
	if [ "$before" != "$after" ]; then
		echo "something changed:"
		diff <(echo "$before") <(echo "$after")
		return 1
	fi
}

# refused_nl WHO CMD ATTR...: the raw request gets EPERM, nothing changes.
refused_nl()
{
	local who=$1 out
	shift

	out=$("$who" A "${VWNL[@]}" req --unchanged "$@") || return 1
	[ "$out" = "errno EPERM" ] || { echo "$out"; return 1; }
}

as_userns_root()
{
	local h=$1
	shift
	in_host "$h" "${USERNS_ROOT[@]}" "$@"
}

# ctl_is WANT WHO ARGS...: vwnl.py ctl ARGS (a control write) run by WHO
# prints WANT ("ok", "open EACCES", "write EPERM"...); a refusal changes
# nothing.
ctl_is()
{
	local want=$1 who=$2 before after out
	shift 2

	before=$(snapshot) || return 1
	out=$("$who" A "${VWNL[@]}" ctl "$@") || return 1
	after=$(snapshot) || return 1
	[ "$out" = "$want" ] || { echo "got '$out', want '$want'"; return 1; }
	if [ "$want" != ok ] && [ "$before" != "$after" ]; then
		echo "something changed:"
		diff <(echo "$before") <(echo "$after")
		return 1
	fi
}

as_root()
{
	in_host "$@"
}

show_ok()
{
	"$1" A vwctl show --json | json_test "c['id'] == 10 and c['dev'] == 'vwa'" &&
	"$1" A vwctl stats --json | json_test "c['id'] == 10" &&
	"$1" A vwctl show 10 >/dev/null &&
	"$1" A "${VWNL[@]}" dump | json_test "j['endpoints'][0]['ID'] == 10" &&
	"$1" A cat /proc/net/virtualwire/connectors | grep -qw vwa &&
	"$1" A cat /proc/net/virtualwire/control | grep -q '^add ID'
}

# The opener's credentials count: a control file opened by root and
# written by nobody is accepted.
opener_root_ok()
{
	in_host A sh -c 'exec 3>/proc/net/virtualwire/control &&
		"$@" sh -c "echo add 12 dev vwc remote 192.0.2.4 >&3"' \
		sh "${NOBODY[@]}" || return 1
	vw_json_test A "c['id'] == 12 and c['remote'] == '192.0.2.4'" 12
}

# Its own network namespace: add, set, show, the connectors file, del.
# Run as nobody when unprivileged users may make user namespaces (the
# files of /proc/net/virtualwire are then owned by nobody's namespace
# root), as root otherwise.
own_netns_script='
set -e
vwctl add 1 dev vwo remote 192.0.2.2
vwctl set 1 ttl 9
vwctl show --json
cat /proc/net/virtualwire/connectors
vwctl del 1
'
own_netns_ok()
{
	local out

	out=$("${OWNER[@]}" sh -c "$own_netns_script") || {
		echo "$out"
		return 1
	}
	echo "$out"
	echo "$out" | grep '^{' | json_test "c['id'] == 1 and c['ttl'] == 9" &&
	echo "$out" | grep -q '^1 *vwo *udp'
}

own_netns_ctl_ok()
{
	local out

	# shellcheck disable=SC2016 # expanded by that sh
	out=$("${OWNER[@]}" sh -c '
		ls -ln /proc/net/virtualwire/
		python3 -S "$1" ctl add 2 dev vwp remote 192.0.2.3
		vwctl show --json' sh "$SELFTESTS_DIR/vwnl.py" 2>&1)
	echo "$out"
	echo "$out" | grep -qx ok &&
	echo "$out" | grep '^{' | json_test "c['id'] == 2 and c['dev'] == 'vwp'"
}

# owner_is UID:GID: /proc/net/virtualwire and its files belong to UID:GID
# as the namespace root of OWNER sees them.
owner_is()
{
	local out

	out=$("${OWNER[@]}" stat -c '%u:%g %n' /proc/net/virtualwire \
		/proc/net/virtualwire/connectors \
		/proc/net/virtualwire/control) || return 1
	echo "$out"
	[ "$(echo "$out" | cut -d' ' -f1 | sort -u)" = "$1" ]
}

own_netns_empty()
{
	"${OWNER[@]}" vwctl show --json | json_test "j['connectors'] == []"
}

ktap_header
require_env
command -v setpriv >/dev/null || ktap_skip_all "setpriv not found"
command -v unshare >/dev/null || ktap_skip_all "unshare not found"
ktap_plan 24

topo_create A
in_host A vwctl add 10 dev vwa remote 192.0.2.2

check "nobody: vwctl add is refused (EPERM)" \
	refused_vwctl as_nobody add 11 dev vwn remote 192.0.2.3
check "nobody: vwctl set is refused (EPERM)" \
	refused_vwctl as_nobody set 10 ttl 5
check "nobody: vwctl del is refused (EPERM)" \
	refused_vwctl as_nobody del 10
check "nobody: VW_CMD_ADD gets EPERM" \
	refused_nl as_nobody add ID=11 REMOTE4=192.0.2.3
check "nobody: VW_CMD_SET gets EPERM" \
	refused_nl as_nobody set ID=10 TTL=5
check "nobody: VW_CMD_DEL gets EPERM" \
	refused_nl as_nobody del ID=10
check "nobody: may show, stats, dump and read both proc files" \
	show_ok as_nobody
check "nobody: the control file does not open for writing" \
	ctl_is "open EACCES" as_nobody add 11 remote 192.0.2.3

check "user namespace root, another's netns: vwctl add refused" \
	refused_vwctl as_userns_root add 11 dev vwn remote 192.0.2.3
check "user namespace root, another's netns: vwctl set refused" \
	refused_vwctl as_userns_root set 10 ttl 5
check "user namespace root, another's netns: vwctl del refused" \
	refused_vwctl as_userns_root del 10
check "user namespace root, another's netns: VW_CMD_ADD gets EPERM" \
	refused_nl as_userns_root add ID=11 REMOTE4=192.0.2.3
check "user namespace root, another's netns: VW_CMD_DEL gets EPERM" \
	refused_nl as_userns_root del ID=10
check "user namespace root, another's netns: may show and dump" \
	show_ok as_userns_root
check "user namespace root, another's netns: control write gets EPERM" \
	ctl_is "write EPERM" as_userns_root add 11 remote 192.0.2.3
check "control opened in a user namespace, written by root: EPERM" \
	ctl_is "write EPERM" as_root --userns-opener add 11 remote 192.0.2.3
check "control opened by root, written by nobody: accepted" opener_root_ok
check "root: the control file takes a command" \
	ctl_is ok as_root set 10 ttl 7

if as_nobody A unshare --user --map-root-user --net true 2>/dev/null; then
	OWNER=(in_host A "${NOBODY[@]}" unshare --user --map-root-user --net)
	who="nobody's"
else
	OWNER=(in_host A unshare --user --map-root-user --net)
	who="root's"
	ktap_info "unprivileged user namespaces are off: using root's"
fi
check "user namespace root, $who own netns: add, set, show, del" \
	own_netns_ok
# A namespace made together with its user namespace (unshare -U -r -n)
# exists before the uid map does: the kernel then leaves /proc/net itself
# to the global root (proc_net_ns_init), and our entries follow the same
# rule.  Netlink, the check above, is that root's interface.
check "user namespace root, $who own netns: files owned by the global root" \
	owner_is "$(cat /proc/sys/kernel/overflowuid):$(cat /proc/sys/kernel/overflowgid)"
check "user namespace root, $who own netns: sees nothing of the others" \
	own_netns_empty
# Made in two steps, the network namespace comes after the uid map, so its
# files can belong to that root.
OWNER=("${OWNER[@]:0:$((${#OWNER[@]} - 1))}" unshare --net)
check "user namespace root, $who netns made after the map: files are its root's" \
	owner_is 0:0
check "user namespace root, $who netns made after the map: control file" \
	own_netns_ctl_ok
check "root's endpoint is as it was set: ttl 7, and 12 added through nobody" \
	vw_json_test A "len(j['connectors']) == 2 and c['ttl'] == 7"

ktap_finished
