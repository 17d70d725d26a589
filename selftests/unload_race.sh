#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module unload while writers add endpoints through
# /proc/net/virtualwire/control: a write waiting for RTNL when the
# namespace's endpoints are unregistered must not make one that outlives
# the module.  This unloads the module for good, so it comes last in
# TEST_PROGS (the VM runner then finds the module gone); alone:
#   scripts/vm-run.sh KVER selftests/unload_race.sh
# A device left behind, or a kernel warning (which fails the VM run), is
# the bug.

set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CTL=/proc/net/virtualwire/control
PIDS=()

# Four writers, each adding endpoints under IDs of its own until a write
# fails: started here, not under check, which would wait for their output.
writers_start()
{
	local i

	for i in 1 2 3 4; do
		bash -c '
			n='"$i"'00000
			while echo "add $n remote 192.0.2.9" > '"$CTL"'; do
				n=$((n + 1))
			done' >/dev/null 2>&1 &
		PIDS+=($!)
	done
}

# A few endpoints made, however slowly the guest runs: then the writers
# are busy enough that rmmod meets one waiting for RTNL.
three_endpoints()
{
	[ "$(find /sys/class/net -maxdepth 1 -name 'vw*' | wc -l)" -ge 3 ]
}

writers_made_endpoints()
{
	poll 60 three_endpoints || {
		echo "the writers made no endpoints in 60 s"
		return 1
	}
}

unload_ok()
{
	rmmod virtualwire || return 1
	[ ! -d /sys/module/virtualwire ]
}

writers_stopped()
{
	local end=$((SECONDS + 30)) p

	for p in "${PIDS[@]}"; do
		while kill -0 "$p" 2>/dev/null; do
			if [ $SECONDS -ge $end ]; then
				echo "writer $p still running"
				kill "${PIDS[@]}" 2>/dev/null
				return 1
			fi
			sleep 0.2
		done
	done
}

no_device_left()
{
	local left

	left=$(grep -l '^DEVTYPE=virtualwire$' /sys/class/net/*/uevent \
		2>/dev/null) || true
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

ktap_header
require_env
ktap_plan 4

writers_start
check "writers adding endpoints through $CTL" writers_made_endpoints
check "rmmod virtualwire while they write" unload_ok
check "the writers stop once the control file is gone" writers_stopped
check "no virtualwire device outlives the module" no_device_left

ktap_finished
