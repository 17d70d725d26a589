#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The service level's configuration (Documentation/sla.rst), not its
# enforcement: rate MIN MAX, burst, priority and mark at their defaults;
# set on add, shown by show (tc's words), --json (bytes per second and
# bytes), the connectors file and monitor, kept by save and -batch;
# refused by vwctl with the word that was wrong (exit 2), and by the
# kernel with an extended ack pointing at the attribute (EINVAL or ERANGE,
# vwnl.py), either way nothing changed; and a set of the rate on a live
# wire loses no echo of a ping across it.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

VWNL=(python3 -S "$SELFTESTS_DIR/vwnl.py")
CONN=/proc/net/virtualwire/connectors

vw()
{
	in_host A vwctl "$@"
}

nl()
{
	in_host A "${VWNL[@]}" "$@"
}

config()
{
	vw_config A
}

# nl_ok CMD ATTR...: vwnl.py req CMD ATTR... is taken (errno 0).
nl_ok()
{
	local out

	out=$(nl req "$@") || return 1
	[ "$out" = "errno 0" ] || { echo "$out"; return 1; }
}

defaults_ok()
{
	vw add 40 dev vw40 remote 192.0.2.40 &&
	vw_json_test A "c['rate_bytes_per_sec'] == {'min': 0, 'max': None} and
		c['burst_bytes'] == 65536 and c['priority'] == 0 and
		c['mark'] == 0" 40 &&
	vw show 40 | grep -q ' rate 0 unlimited burst 64k priority 0 mark 0' &&
	! vw save | grep -E 'rate|burst|priority|mark'
}

SLA=(rate 100mbit 10gbit burst 1m priority 1:10 mark 0x2a)

add_ok()
{
	vw add 41 dev vw41 remote 192.0.2.41 "${SLA[@]}" &&
	vw_json_test A "c['rate_bytes_per_sec'] == {'min': 12500000,
		'max': 1250000000} and c['burst_bytes'] == 1048576 and
		c['priority'] == 0x10010 and c['mark'] == 42" 41 &&
	vw show 41 | grep -q ' rate 100mbit 10gbit burst 1m priority 1:10 mark 0x2a' &&
	vw save | grep -q '^add 41 .* rate 100mbit 10gbit burst 1m priority 1:10 mark 0x2a'
}

# The connectors file: the service level in the last five columns.
proc_ok()
{
	local line

	in_host A cat "$CONN" >"$VW_TMP/conn" || return 1
	cat "$VW_TMP/conn"
	head -n 1 "$VW_TMP/conn" |
		grep -q ' rate_min  *rate_max  *burst  *priority  *mark$' &&
	line=$(awk '$2 == "vw41"' "$VW_TMP/conn") &&
	[ "$(awk '{ print $(NF-4), $(NF-3), $(NF-2), $(NF-1), $NF }' \
		<<<"$line")" = "12500000 1250000000 1048576 0x10010 0x2a" ] &&
	line=$(awk '$2 == "vw40"' "$VW_TMP/conn") &&
	[ "$(awk '{ print $(NF-4), $(NF-3), $(NF-2), $(NF-1), $NF }' \
		<<<"$line")" = "0 unlimited 65536 0x0 0x0" ]
}

# save, flush, -batch: the same configuration as before.
save_ok()
{
	local before after

	before=$(config) &&
	vw save >"$VW_TMP/saved" || return 1
	cat "$VW_TMP/saved"
	vw flush &&
	vw -batch "$VW_TMP/saved" &&
	after=$(config) || return 1
	[ "$before" = "$after" ] || {
		diff -u <(echo "$before") <(echo "$after")
		return 1
	}
}

# vwctl_refused WORDS... -- MESSAGE: vwctl WORDS exits 2 with MESSAGE on
# stderr, and nothing changed.
vwctl_refused()
{
	local words=() before after err rc

	while [ "$1" != -- ]; do
		words+=("$1")
		shift
	done
	before=$(config) || return 1
	err=$(vw "${words[@]}" 2>&1 >/dev/null) && rc=0 || rc=$?
	after=$(config) || return 1
	echo "exit $rc: $err"
	[ "$rc" = 2 ] && [[ $err == *"$2"* ]] && [ "$before" = "$after" ]
}

# refused ERRNO MSG ATTRLINE CMD ATTR...: as netlink.sh's: vwnl.py req
# fails with exactly ERRNO and MSG, the ack at the attribute, and nothing
# changes (--unchanged: every endpoint dumped and the device list).
refused()
{
	local want out

	want="errno $1"$'\n'"msg $2"$'\n'"$3"
	shift 3
	out=$(nl req --unchanged "$@") || return 1
	if [ "$out" != "$want" ]; then
		printf 'got:\n%s\nwant:\n%s\n' "$out" "$want"
		return 1
	fi
}

# The limits the kernel takes, read back by GET.
limits_ok()
{
	nl_ok set ID=41 RATE_MIN=1 RATE_MAX=1099511627776 RATE_BURST=1 \
		PRIORITY=4294967295 MARK=4294967295 &&
	vw_json_test A "c['rate_bytes_per_sec'] == {'min': 1,
		'max': 1099511627776} and c['burst_bytes'] == 1 and
		c['priority'] == 4294967295 and c['mark'] == 4294967295" 41 &&
	vw show 41 | grep -q ' rate 8bit 8796093022208bit burst 1 priority ffff:ffff mark 0xffffffff' &&
	nl_ok set ID=41 RATE_MIN=1099511627776 \
		RATE_MAX=18446744073709551615 &&
	vw_json_test A "c['rate_bytes_per_sec'] == {'min': 1099511627776,
		'max': None}" 41 &&
	vw set 41 "${SLA[@]}"
}

# set of the rate, burst, priority and mark, back and forth, under the
# ping; the monitor hears each change with the new words.
live_set_ok()
{
	local i

	for i in 1 2 3 4 5; do
		vw set 42 rate 1mbit 2mbit burst 16k priority 1:20 mark 7 &&
		sleep 0.5 &&
		vw set 42 rate 0 unlimited burst 64k priority 0 mark 0 &&
		sleep 0.5 || return 1
	done
	vw_json_test A "c['rate_bytes_per_sec'] == {'min': 0, 'max': None}" 42
}

monitor_ok()
{
	cat "$VW_TMP/mon.sla"
	grep -q 'changed .*rate 1mbit 2mbit burst 16k priority 1:20 mark 0x7' \
		"$VW_TMP/mon.sla"
}

ktap_header
require_env
ktap_plan 24
topo_create A B
PINGS=$(by_mode 30 60)

check "defaults: rate 0 unlimited, burst 64k, priority 0, mark 0; not saved" \
	defaults_ok
check "add with rate, burst, priority, mark: show, --json, save" add_ok
check "the connectors file: rate_min, rate_max, burst, priority, mark" proc_ok
check "save, flush, -batch: the same service level" save_ok

check "vwctl: MIN above MAX refused, naming both, nothing changed" \
	vwctl_refused set 41 rate 2gbit 1gbit -- \
	"invalid rate '2gbit 1gbit': MIN 2gbit is above MAX 1gbit"
check "vwctl: MAX 0 refused" \
	vwctl_refused set 41 rate 0 0 -- "invalid rate MAX '0': it would send nothing"
check "vwctl: a rate above 2^40 bytes per second refused" \
	vwctl_refused set 41 rate 0 9tbit -- "invalid rate MAX '9tbit': above 8796gbit"
check "vwctl: an unknown unit refused" \
	vwctl_refused add 44 remote 192.0.2.44 rate 1mbit 10mbits -- \
	"invalid rate MAX '10mbits': expected a rate as tc writes it"
check "vwctl: burst 0 refused" \
	vwctl_refused set 41 burst 0 -- "invalid burst '0': a burst of 0 bytes"
check "vwctl: a priority beyond 32 bits refused" \
	vwctl_refused set 41 priority 1:10000 -- "invalid priority '1:10000'"
check "vwctl: a mark beyond 32 bits refused" \
	vwctl_refused set 41 mark 0x100000000 -- "invalid mark '0x100000000'"
check "vwctl: rate with one value refused" \
	vwctl_refused set 41 rate 1gbit -- "'rate' needs two values, MIN and MAX"

check "kernel: MIN above MAX: EINVAL at the guarantee" \
	refused EINVAL "the guaranteed rate (MIN) is above the maximum (MAX)" \
	"attr VW_A_RATE_MIN" set ID=41 RATE_MIN=200 RATE_MAX=100
check "kernel: MIN above the current MAX, checked as a whole: EINVAL" \
	refused EINVAL "the guaranteed rate (MIN) is above the maximum (MAX)" \
	"attr VW_A_RATE_MIN" set ID=41 RATE_MIN=1250000001
check "kernel: MAX 0: EINVAL" \
	refused EINVAL "a maximum rate of 0 would send nothing; set the device down instead, or give unlimited" \
	"attr VW_A_RATE_MAX" set ID=41 RATE_MAX=0
check "kernel: MAX above 2^40 bytes per second: ERANGE" \
	refused ERANGE "the maximum rate is above 8796gbit (2^40 bytes per second), the largest taken; give unlimited for none" \
	"attr VW_A_RATE_MAX" set ID=41 RATE_MAX=1099511627777
check "kernel: MIN above 2^40 bytes per second, MAX unlimited: ERANGE" \
	refused ERANGE "the guaranteed rate is above 8796gbit (2^40 bytes per second), the largest taken" \
	"attr VW_A_RATE_MIN" set ID=41 RATE_MIN=1099511627777 \
	RATE_MAX=18446744073709551615
check "kernel: burst 0: EINVAL" \
	refused EINVAL "a burst of 0 bytes would let nothing through; give at least 1 byte" \
	"attr VW_A_RATE_BURST" set ID=41 RATE_BURST=0
check "kernel: a rate in 4 bytes, not 8: EINVAL" \
	refused EINVAL "invalid attribute length" \
	"attr VW_A_RATE_MIN" set ID=41 RATE_MIN:u32=4
check "kernel: the limits taken and read back" limits_ok

# A connector between A and B for the traffic under set.
vw_endpoint A 42 "$(addr4 B)" vw42
vw_endpoint B 42 "$(addr4 A)" vw42
check "ping across connector 42" wait_ping A "$(inner4 B)" 30
mon_start A sla || ktap_info "monitor: not started"
ping_bg A "$(inner4 B)" "$PINGS"
check "set rate, burst, priority, mark on a live wire, ten times" live_set_ok
wait "$PING_PID" || true
mon_stop
check "set under traffic: no echo lost" ping_lost_none
check "monitor: the changes with the new service level" monitor_ok

ktap_finished
