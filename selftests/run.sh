#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the virtualwire selftests (TEST_PROGS of the Makefile next to this
# script, or the tests named on the command line) and pass their KTAP
# output through.  Exit 0 when none failed, 1 otherwise.
#
# A test that dies without saying "not ok" still counts as a failure, and
# one skipped as a whole ("1..0 # SKIP why") still shows up as a skip, so
# counting "ok"/"not ok" lines gives the full picture.

dir=$(cd "$(dirname "$0")" && pwd)
# Each test's limit: 30 minutes; 90 in long mode (VW_LONG=1 runs the
# issue's full sizes, controller_scale.sh's 2,000 connectors among them).
if [ "${VW_LONG:-0}" = 1 ]; then
	timeout=${VW_TEST_TIMEOUT:-5400}
else
	timeout=${VW_TEST_TIMEOUT:-1800}
fi

if [ $# -gt 0 ]; then
	tests=("$@")
else
	# TEST_PROGS, continuation lines included.
	read -r -a tests < <(awk '
		/^TEST_PROGS[ \t]*:?=/ { on = 1; sub(/^[^=]*=/, "") }
		on { more = sub(/\\$/, ""); printf "%s ", $0; if (!more) on = 0 }
		END { print "" }' "$dir/Makefile")
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "# kernel: $(uname -r)"
rc=0
pass=0
fail=0
skip=0
for t in "${tests[@]}"; do
	t=${t##*/}
	echo "# selftests: virtualwire: $t"
	t0=$SECONDS
	timeout -k 10 "$timeout" "$dir/$t" 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	case $status in
	0)
		pass=$((pass + 1))
		;;
	4)
		skip=$((skip + 1))
		if ! grep -q '^ok ' "$log"; then
			why=$(sed -n 's/^1\.\.0 # SKIP //p' "$log")
			echo "ok - $t # SKIP ${why:-skipped}"
		fi
		;;
	*)
		fail=$((fail + 1))
		rc=1
		[ "$status" = 124 ] && echo "# $t: timed out after ${timeout}s"
		grep -q '^not ok' "$log" || echo "not ok - $t exited $status"
		;;
	esac
	echo "# $t: exit $status, $((SECONDS - t0)) s"
done
echo "# tests: ${#tests[@]}, passed: $pass, failed: $fail, skipped: $skip"
exit $rc
