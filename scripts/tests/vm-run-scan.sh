#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of the VM runner's verdicts on a guest console and on
# kmemleak's report (scripts/vm-run.sh --scan / --leaks), on made-up logs.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
run=$top/scripts/vm-run.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

# scan DESC WANT_EXIT WANT_VERDICTS: judge $tmp/console.
scan() {
	local out rc

	out=$("$run" --scan "$tmp/console" | grep -E '^(real|starved)' |
		cut -d: -f1 | sort | tr '\n' ' ')
	"$run" --scan "$tmp/console" > /dev/null
	rc=$?
	ok "$1: exit" "$rc" "$2"
	ok "$1: verdicts" "$out" "$3"
}

lockup() { # TIME CPU STUCK
	printf '[%11.6f] watchdog: BUG: soft lockup - CPU#%d stuck for %ds! [ksoftirqd/%d:20]\n' \
		"$1" "$2" "$3" "$2"
	printf '[%11.6f] RIP: 0010:netif_receive_skb_list_internal+0x1a0/0x2f0\n' "$1"
}

echo "TAP version 13"
echo "1..16"

{ echo "[    1.000000] Linux version 6.1"; lockup 100 1 22; echo "[  101.0] ok"; } > "$tmp/console"
scan "one report, then on: a starved vCPU" 0 "starved CPU#1 "
{ lockup 100 1 22; lockup 126 1 48; lockup 152 1 74; } > "$tmp/console"
scan "one episode reported three times: real" 1 "real CPU#1 "
{ lockup 100 1 22; lockup 300 1 30; } > "$tmp/console"
scan "two episodes of one CPU: both starved" 0 "starved CPU#1 starved CPU#1 "
{ lockup 100 0 22; lockup 101 1 23; } > "$tmp/console"
scan "two CPUs starved at once" 0 "starved CPU#0 starved CPU#1 "
printf '[ 5.0] WARNING: CPU: 0 PID: 1 at net/core/dev.c:1 x\n' > "$tmp/console"
scan "a warning" 1 ""
printf '[ 5.0] unregister_netdevice: waiting for vw0 to become free. Usage count = 2\n' \
	> "$tmp/console"
scan "a device reference never released" 1 ""
printf '[ 5.0] all fine\n' > "$tmp/console"
scan "a clean log" 0 ""

leak() { # BACKTRACE-LINE...
	echo 'unreferenced object 0xffff888004a1c000 (size 256):'
	echo '  comm "vwctl", pid 123, jiffies 4294937296'
	echo '  hex dump (first 32 bytes):'
	echo '    76 69 72 74 75 61 6c 77 69 72 65 00 00 00 00 00  virtualwire.....'
	echo '  backtrace (crc 0):'
	printf '    %s\n' "$@"
}
{
	leak '__kmalloc_noprof+0x1e5/0x410' '0xffffffffc0012345' 'genl_rcv_msg+0x2/0x30'
	leak '__kmalloc_noprof+0x1e5/0x410' 'kobject_add+0x20/0x40'
	leak 'kmalloc_trace+0x1/0x2' 'vw_config_create+0x52/0x300 [virtualwire]'
} > "$tmp/kmemleak"
ok "kmemleak: the module's two of three objects" "$("$run" --leaks "$tmp/kmemleak")" 2
: > "$tmp/empty"
ok "kmemleak: nothing reported" "$("$run" --leaks "$tmp/empty")" 0

ktap_totals
