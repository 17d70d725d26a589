#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz-run.sh [SECONDS]: build the parser fuzzer (make fuzz) and run it for
# SECONDS (default 30) from the seeds of tests/corpus, as one KTAP test
# point.  New inputs it finds go to tests/fuzz-work/corpus, not to the seed
# corpus, and so does a crashing input (tests/fuzz-work/crash-*).  Exit
# status: 0 when it ran the whole time without a crash.

secs=${1:-30}
tests=$(cd "$(dirname "$0")" && pwd -P)
dir=$(dirname "$tests")
work=$tests/fuzz-work

echo "TAP version 13"
echo "1..1"
case $secs in
''|*[!0-9]*|0)
	echo "not ok 1 - fuzz parser: FUZZ_SECONDS='$secs' is not a positive number"
	exit 1 ;;
esac
mkdir -p "$work/corpus"
if ! ${MAKE:-make} -s -C "$dir" fuzz >"$work/build.log" 2>&1; then
	sed 's/^/# /' "$work/build.log"
	echo "# the fuzzer needs clang and libFuzzer: apt-get install clang libclang-rt-14-dev"
	echo "not ok 1 - fuzz parser: build failed"
	exit 1
fi

# -timeout: a single input that takes this long is a hang, and a failure.
"$tests/fuzz_parse" -max_total_time="$secs" -timeout=10 \
	-rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
	-dict="$tests/fuzz.dict" -artifact_prefix="$work/" \
	"$work/corpus" "$tests/corpus" >"$work/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n 1)

if [ "$rc" -eq 0 ]; then
	echo "ok 1 - fuzz parser for $secs s, ${runs:-?} runs"
	exit 0
fi
tail -n 40 "$work/fuzz.log" | sed 's/^/# /'
crash=
for f in "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-*; do
	[ -e "$f" ] && [ "$f" -nt "$work/build.log" ] && crash=$f
done
echo "not ok 1 - fuzz parser: exit $rc after ${runs:-?} runs${crash:+, input in $crash}"
exit 1
