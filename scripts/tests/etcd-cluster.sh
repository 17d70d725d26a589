#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of scripts/etcd-cluster.sh, the throwaway 3-member etcd of
# vwd's selftests, on 127.0.3.1-3 (client port 24379, peer port 24380;
# data in a fresh temporary directory): start returns a healthy cluster
# that serves a put; endpoints lists it; one member killed keeps a quorum,
# two lose it; restart brings them back on their data; stop leaves no
# process; bad usage and a member that is not running are errors.
# Skipped when etcd is not installed (apt-get install etcd-server
# etcd-client).
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
ec=$top/scripts/etcd-cluster.sh

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

echo "TAP version 13"
if [ ! -x /usr/bin/etcd ] || [ ! -x /usr/bin/etcdctl ]; then
	echo "1..1"
	skip "etcd-cluster.sh" "etcd is not installed (apt-get install etcd-server etcd-client)"
	ktap_totals
	exit 0
fi
echo "1..10"

tmp=$(mktemp -d /tmp/vw-etcd-cluster-test.XXXXXX)
dir=$tmp/c
cleanup() {
	local i

	for i in 1 2 3; do
		"$ec" kill "$dir" "$i" 2> /dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

eps=http://127.0.3.1:24379,http://127.0.3.2:24379,http://127.0.3.3:24379
ctl() {
	etcdctl --endpoints="$eps" --dial-timeout=2s --command-timeout=3s "$@" 2>&1
}

"$ec" start "$dir" 127.0.3.1 127.0.3.2 127.0.3.3 24379 24380 > "$tmp/out" 2>&1
ok "start: healthy, exit 0" "$?:$(ctl endpoint health > /dev/null; echo $?)" "0:0"
ok "endpoints: the client URLs, comma-separated" "$("$ec" endpoints "$dir")" "$eps"
ok "a put and a get" "$(ctl put k v > /dev/null && ctl get --print-value-only k)" v

"$ec" kill "$dir" 1
ok "one member killed: still a quorum" "$(ctl put k v2 > /dev/null && ctl get --print-value-only k)" v2
"$ec" kill "$dir" 2
ctl put k v3 > /dev/null
ok "two killed: no quorum, a put fails" "$?" 1
"$ec" kill "$dir" 2 2> "$tmp/err"
ok "kill of a member not running: exit 1, said" "$?:$(cat "$tmp/err")" \
	"1:etcd-cluster: member 2 is not running"

# The put that timed out without a quorum may still be applied once the
# quorum is back (the leader kept it): v2 or v3.
"$ec" restart "$dir" 2 && "$ec" restart "$dir" 1
ok "restart: back on their data, healthy" \
	"$?:$(ctl get --print-value-only k | sed 's/^v3$/v2/')" "0:v2"

"$ec" kill "$dir" 4 2> "$tmp/err"
ok "member 4: a usage error, said" "$?:$(cat "$tmp/err")" \
	"2:etcd-cluster: member '4': want 1, 2 or 3"
"$ec" start 2> /dev/null
ok "no arguments: usage, exit 2" "$?" 2

pids=$(cat "$dir"/m*.pid 2> /dev/null)
"$ec" stop "$dir"
rc=$?
left=
for p in $pids; do
	kill -0 "$p" 2> /dev/null && left+=" $p"
done
ok "stop: exit 0, no member left" "$rc:$left" "0:"
ktap_totals
