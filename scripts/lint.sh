#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh KVER...: the kernel coding standards as KTAP test points.
#   - sparse (make C=2) on the module for each kernel: no warning at all;
#   - checkpatch.pl --strict on kmod/ and the uapi header: no message.
# checkpatch.pl is not in any Debian binary package; it is taken from
# $CHECKPATCH, or from the linux-source-6.12 tarball under /usr/src.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
lintdir=$top/build/lint
mkdir -p "$lintdir"
n=0 fails=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

find_checkpatch() {
	local tarball
	if [ -n "${CHECKPATCH:-}" ]; then
		echo "$CHECKPATCH"
		return
	fi
	if [ ! -x "$lintdir/scripts/checkpatch.pl" ]; then
		tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | tail -n 1)
		[ -n "$tarball" ] || return
		tar -xJf "$tarball" -C "$lintdir" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' 2>/dev/null || return
	fi
	echo "$lintdir/scripts/checkpatch.pl"
}

echo "TAP version 13"
echo "1..$(($# + 1))"

for k in "$@"; do
	log=$lintdir/sparse-$k.log
	if ! command -v sparse > /dev/null; then
		skip "sparse on $k" "sparse is not installed"
		continue
	fi
	make -s -C "/lib/modules/$k/build" M="$top/build/$k" \
		VW_UAPI="$top/include" C=2 modules > "$log" 2>&1
	rc=$?
	# Only our files: warnings from kernel headers are not ours to fix.
	warnings=$(grep -F "$top/build/$k/" "$log" | grep -E ':[0-9]+:[0-9]+: (warning|error):')
	if [ $rc -eq 0 ] && [ -z "$warnings" ]; then
		ok "sparse (C=2) clean on $k"
	else
		sed 's/^/# /' <<< "${warnings:-$(tail -n 20 "$log")}"
		notok "sparse (C=2) clean on $k"
	fi
done

cp=$(find_checkpatch)
if [ -z "$cp" ]; then
	skip "checkpatch --strict clean" "no checkpatch.pl: install linux-source-6.12 or set CHECKPATCH"
else
	out=$(cd "$top" && perl "$cp" --no-tree --strict --terse \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f kmod/*.c kmod/*.h \
		include/uapi/linux/virtualwire.h 2>&1 | grep -v '^total:')
	if [ -z "$out" ]; then
		ok "checkpatch --strict clean"
	else
		sed 's/^/# /' <<< "$out"
		notok "checkpatch --strict clean"
	fi
fi
[ $fails -eq 0 ]
