#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of scripts/check.sh --parse: the totals of a KTAP log, and the
# lines around each failing point that make check prints above its verdict
# (a CI log keeps only the tail): up to 25 before the point, since the
# point before, and up to 25 after it, until the point after; then, last,
# each failing point with the first lines it printed, short.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

echo "TAP version 13"
echo "1..7"

{
	printf 'TAP version 13\n1..4\nok 1 - a\n# before b\nnot ok 2 - b\n'
	printf '# after b\nok 3 - c\n'
	for i in $(seq 1 30); do echo "# line $i"; done
	printf 'not ok 4 - d\n'
	for i in $(seq 1 30); do echo "# tail $i"; done
} > "$tmp/log"
out=$("$top/scripts/check.sh" --parse "$tmp/log")
rc=$?

ok "the totals, exit 1 on a failure" \
	"$rc $(tail -n 1 <<< "$out")" "1 2 passed, 2 failed, 0 skipped"
ok "a failing point: the lines before and after it" \
	"$(sed -n '/around "not ok 2 - b"/,/^check: /p' <<< "$out" | sed '$d' | tr '\n' '|')" \
	'check: log: around "not ok 2 - b":|  # before b|  > not ok 2 - b|  # after b|'
d=$(sed -n '/around "not ok 4 - d"/,/^check: in short:/p' <<< "$out")
ok "at most 25 lines before, the last ones" \
	"$(grep -c '# line' <<< "$d") $(grep -m1 '# line' <<< "$d")" "25   # line 6"
ok "at most 25 lines after, the first ones" \
	"$(grep -c '# tail' <<< "$d") $(grep '# tail' <<< "$d" | tail -n 1)" "25   # tail 25"
ok "the digest: each failing point and the first lines after it" \
	"$(sed -n '/^check: in short:/,$p' <<< "$out" | sed -n '2,4p' | tr '\n' '|')" \
	'check: log: not ok 2 - b|  # after b|check: log: not ok 4 - d|'
{
	printf 'TAP version 13\n1..1\nnot ok 1 - long\n'
	for i in $(seq 1 30); do printf '# %0200d\n' "$i"; done
} > "$tmp/long"
d=$("$top/scripts/check.sh" --parse "$tmp/long" | sed -n '/^check: in short:/,$p' | sed '1d;$d')
ok "the digest: lines cut to 160 characters, about 1400 in all" \
	"$(awk '{ n += length($0) + 1; if (length($0) > m) m = length($0) }
		END { print (m == 160 && n >= 1400 && n <= 1560) ? "yes" : "no: " m " " n }' <<< "$d")" yes
printf 'TAP version 13\n1..1\nok 1 - a\n# fine\n' > "$tmp/clean"
ok "a clean log: no context printed" \
	"$("$top/scripts/check.sh" --parse "$tmp/clean" | tr '\n' '|')" \
	"check: log: 1 ok, 0 not ok, 0 skipped|1 passed, 0 failed, 0 skipped|"

ktap_totals
