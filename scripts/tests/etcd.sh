#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of vwd's etcd client (userspace/etcd.c) against a real
# 3-member etcd cluster on 127.0.1.1-3 (scripts/etcd-cluster.sh, client
# port 23790, peer port 23800, data in a fresh temporary directory): the test
# program userspace/tests/etcd_test does the checks (put/range/delete,
# leases, the lease keeper thread, txn, the watch, its resuming after the
# member it streams from is killed, failover, compaction, stopping, auth
# with tokens that expire after 2 s, TLS with client certificates when
# openssl is there).  Skipped when etcd is not installed (apt-get install
# etcd-server etcd-client).
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

echo "TAP version 13"
if ! command -v etcd > /dev/null || ! command -v etcdctl > /dev/null; then
	echo "1..1"
	skip "the etcd client against a real etcd" \
		"etcd is not installed (apt-get install etcd-server etcd-client)"
	ktap_totals
	exit 0
fi
echo "1..2"

tmp=$(mktemp -d /tmp/vw-etcd-test.XXXXXX)
cluster=$top/scripts/etcd-cluster.sh
pids=()
cleanup() {
	local p
	"$cluster" stop "$tmp/c" 2> /dev/null
	for p in "${pids[@]}"; do
		kill "$p" 2> /dev/null
	done
	# Gone before their data is: they write until they exit.
	for p in "${pids[@]}"; do
		while kill -0 "$p" 2> /dev/null; do
			sleep 0.1
		done
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# The three members by scripts/etcd-cluster.sh (one client port, 23790,
# on each address), with auth tokens that expire after 2 s.  It starts
# them from a process of its own, so they are not this shell's jobs: bash
# does not print "Killed" when the test kills one.
urls=()
for i in 1 2 3; do
	urls+=("http://127.0.1.$i:23790")
done
healthy=no
ETCD_OPTS="--auth-token-ttl 2" ETCD_WAIT=30 "$cluster" start "$tmp/c" \
	127.0.1.1 127.0.1.2 127.0.1.3 23790 23800 > "$tmp/cluster.log" 2>&1 &&
	healthy=yes
for i in 1 2 3; do
	pids+=("$(cat "$tmp/c/m$i.pid" 2> /dev/null)")
done
# A fourth, single-member cluster on https://127.0.1.4 that wants client
# certificates, when openssl can make them.
tls=()
if command -v openssl > /dev/null; then
	mkdir "$tmp/pki"
	(
		cd "$tmp/pki" || exit 1
		openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
			-subj /CN=vw-test-ca -keyout ca.key -out ca.pem
		for n in server client; do
			openssl req -newkey rsa:2048 -nodes -subj "/CN=$n" \
				-keyout "$n.key" -out "$n.csr"
			echo "subjectAltName=IP:127.0.1.4" > "$n.ext"
			openssl x509 -req -in "$n.csr" -CA ca.pem -CAkey ca.key \
				-CAcreateserial -days 1 -extfile "$n.ext" \
				-out "$n.pem"
		done
	) > "$tmp/pki.log" 2>&1 &&
	(etcd --name tls --data-dir "$tmp/tls" \
		--listen-client-urls https://127.0.1.4:23793 \
		--advertise-client-urls https://127.0.1.4:23793 \
		--listen-peer-urls http://127.0.1.4:23803 \
		--initial-advertise-peer-urls http://127.0.1.4:23803 \
		--initial-cluster tls=http://127.0.1.4:23803 \
		--cert-file "$tmp/pki/server.pem" --key-file "$tmp/pki/server.key" \
		--trusted-ca-file "$tmp/pki/ca.pem" --client-cert-auth \
		> "$tmp/tls.log" 2>&1 &
		echo $! > "$tmp/tls.pid") &&
	pids+=("$(cat "$tmp/tls.pid")") &&
	tls=(https://127.0.1.4:23793 "$tmp/pki/ca.pem" "$tmp/pki/client.pem"
	     "$tmp/pki/client.key")
fi

ok "a 3-member etcd cluster on 127.0.1.1-3 starts" "$healthy" yes
if [ "$healthy" != yes ]; then
	sed 's/^/# /' "$tmp/cluster.log"
	skip "the etcd client against it" "no cluster"
	ktap_totals
	exit 1
fi

if ! make -s -C "$top/userspace" tests/etcd_test > "$tmp/make.log" 2>&1; then
	sed 's/^/# /' "$tmp/make.log"
	ok "tests/etcd_test builds" no yes
	ktap_totals
	exit 1
fi
# Its own KTAP, as a subtest of this one.
"$top/userspace/tests/etcd_test" "${urls[@]}" "${pids[@]:0:3}" "${tls[@]}" \
	> "$tmp/out" 2>&1
rc=$?
sed 's/^/    /' "$tmp/out"
ok "the etcd client against it (userspace/tests/etcd_test)" "$rc" 0
ktap_totals
