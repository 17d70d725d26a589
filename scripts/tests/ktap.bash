# SPDX-License-Identifier: GPL-2.0
#
# KTAP helpers of the host tests in scripts/tests/ (sourced; scripts/check.sh
# runs the *.sh files here, not this one).
#
#   ok DESC GOT WANT     a test point: passes when GOT is WANT
#   skip DESC WHY        a skipped test point
#   ktap_totals          the totals line; fails when a point failed

n=0 fails=0 skips=0

ok() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		fails=$((fails + 1))
		echo "not ok $n - $1"
		echo "# want '$3', got '$2'"
	fi
}

skip() {
	n=$((n + 1))
	skips=$((skips + 1))
	echo "ok $n - $1 # SKIP $2"
}

ktap_totals() {
	echo "# Totals: pass:$((n - fails - skips)) fail:$fails xfail:0 xpass:0" \
		"skip:$skips error:0"
	[ "$fails" = 0 ]
}
