#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh KVER...
#
# What "make check" runs once everything is built: the host unit tests
# (make -C userspace test), the coding-standard checks (scripts/lint.sh),
# the Debian packages (scripts/deb-check.sh, as root), then
# selftests/run.sh in a VM of every kernel given (scripts/vm-run.sh).  Counts the KTAP test points of all of them,
# plus one failure for each of: a kernel BUG/WARNING/Oops/UBSAN/KASAN
# report or panic, a module that failed to load or unload, a VM timeout,
# a run that exited non-zero without a "not ok" line or printed no test
# point at all.  The last line is "N passed, N failed, N skipped"; the exit
# status is non-zero when anything failed.
#
# The kernels given are Debian's (scripts/kernels.sh); the debug kernel
# (scripts/debug-kernel.sh) is added unless VW_DEBUG_KERNEL=0.  A kmemleak
# report naming the module counts as a failure too.
#
# The debug kernel runs the tests of DEBUG_PROGS (selftests/Makefile) in
# short mode; VW_DEBUG_ALL=1 runs all of them there.
#
# Environment: SELFTESTS="a.sh b.sh" runs only those selftests;
# VW_DEBUG_KERNEL=0, VW_DEBUG_ALL=1; VW_DEB_CHECK=0; VW_SHORT, VW_LONG and VM_* as in
# scripts/vm-run.sh.

set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
logdir=$top/build/check
mkdir -p "$logdir"
failctx=/dev/null	# what the failing points printed: a run's own file

passed=0
failed=0
skipped=0
problems=()
splats=()

# problem WHO WHAT: one failure that is not a test point of its own.
problem() {
	local who=$1
	shift
	failed=$((failed + 1))
	problems+=("$who: $*")
	echo "check: $who: FAIL: $*"
}

# fail_context WHO LOG: each failing point of LOG with the lines around
# it (a test prints its diagnostics after the point): the last 25 since
# the point before, the first 25 until the point after.
fail_context() {
	awk -v who="$1" '
		/^[ \t]*(not )?ok( |$)/ {
			after = 0
			if (/^[ \t]*not ok/) {
				print "check: " who ": around \"" $0 "\":"
				for (i = (n > 25 ? n - 25 : 0); i < n; i++)
					print "  " buf[i % 25]
				print "  > " $0
				after = 25
			}
			n = 0
			next
		}
		after > 0 { print "  " $0; after-- }
		{ buf[n % 25] = $0; n++ }' "$2"
}

# fail_digest CONTEXT BUDGET: from fail_context's output, each failing
# point and the first lines it printed after it, cut to 160 characters,
# about BUDGET characters in all (a CI log may keep only its last 2000 or
# so): the share of each point is BUDGET over their number.
fail_digest() {
	awk -v budget="$2" '
		FNR == NR { if (/^check: .*: around "/) n++; next }
		/^check: .*: around "/ {
			sub(/: around "/, ": "); sub(/":$/, "")
			line = substr($0, 1, 160); print line
			used = length(line) + 1; after = 0
			next
		}
		/^  > / { after = 1; next }
		after && used < budget / n {
			line = substr($0, 1, 160); print line
			used += length(line) + 1
		}' "$1" "$1"
}

# count WHO LOG EXIT: add LOG's KTAP test points to the totals.
# A parent's result line follows the indented results of its subtests: count
# the subtests then, and the parent alone only when they disagree with it.
count() {
	local who=$1 log=$2 rc=$3 p f s
	read -r p f s < <(awk '
		/^[ \t]*(not )?ok( |$)/ {
			st = /^[ \t]*not ok/ ? "f" : "p"
			if (/#[ \t]*[Ss][Kk][Ii][Pp]/)
				st = "s"
			if ($0 ~ /^[ \t]/) {
				sub_n[st]++; nsub++
				next
			}
			if (nsub) {
				for (k in sub_n)
					n[k] += sub_n[k]
				if (st == "f" && !sub_n["f"])
					n["f"]++
				delete sub_n; nsub = 0
			} else {
				n[st]++
			}
		}
		END {
			for (k in sub_n)
				n[k] += sub_n[k]
			printf "%d %d %d\n", n["p"], n["f"], n["s"]
		}' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	echo "check: $who: $p ok, $f not ok, $s skipped"
	while read -r l; do
		problems+=("$who: $l")
	done < <(grep -E '^[[:space:]]*not ok' "$log" | sed 's/^[[:space:]]*//')
	[ "$f" -eq 0 ] || fail_context "$who" "$log" >> "$failctx"
	if [ "$rc" = none ]; then
		:	# the caller tells why it did not finish
	elif [ $((p + f + s)) -eq 0 ]; then
		problem "$who" "no test point in the output (exit $rc)"
	elif [ "$rc" != 0 ] && [ "$f" -eq 0 ]; then
		problem "$who" "exited $rc without a failing test point"
	fi
}

# check.sh --parse LOG: only count LOG's test points, and print the lines
# around the failing ones and their digest (for testing this:
# scripts/tests/check-parse.sh).
if [ "${1:-}" = --parse ]; then
	failctx=$(mktemp)
	trap 'rm -f "$failctx"' EXIT
	count log "$2" "${3:-0}"
	cat "$failctx"
	if [ -s "$failctx" ]; then
		echo "check: in short:"
		fail_digest "$failctx" 1400
	fi
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
fi
failctx=$logdir/failures.txt
: > "$failctx"

# The debug kernel (KASAN, UBSAN, kmemleak, lockdep...) joins the matrix.
# A fresh build takes many minutes (later ones find it cached, see
# scripts/debug-kernel.sh): it starts now, beside the host tests and the
# other kernels' VMs.  VW_DEBUG_KERNEL=0 leaves it out.
dk_pid=
if [ "${VW_DEBUG_KERNEL:-1}" != 0 ]; then
	echo "check: building the debug kernel in the background (scripts/debug-kernel.sh)"
	dk_t0=$SECONDS
	"$top/scripts/debug-kernel.sh" > "$logdir/debug-kernel.rel" \
		2> "$logdir/debug-kernel.log" &
	dk_pid=$!
fi

# Host unit tests.
if make -s -C "$top/userspace" -n test > /dev/null 2>&1; then
	echo "check: host unit tests (make -C userspace test)"
	make -s --no-print-directory -C "$top/userspace" test 2>&1 |
		tee "$logdir/unit.log" | sed -u 's/^/[unit] /'
	count unit "$logdir/unit.log" "${PIPESTATUS[0]}"
else
	echo "check: userspace has no \"test\" target: no host unit tests run"
fi

# Host tests of the scripts themselves (the VM runner's verdicts).
for t in "$top"/scripts/tests/*.sh; do
	[ -x "$t" ] || continue
	name=scripts/tests/$(basename "$t")
	echo "check: $name"
	"$t" 2>&1 | tee "$logdir/$(basename "$t" .sh).log" | sed -u "s|^|[$name] |"
	count "$name" "$logdir/$(basename "$t" .sh).log" "${PIPESTATUS[0]}"
done

# The parser fuzzer, for a bounded time.
if grep -q "^fuzz-run:" "$top/userspace/Makefile"; then
	echo "check: fuzz vwctl's parser (${FUZZ_SECONDS:-30} s)"
	make -s --no-print-directory -C "$top/userspace" fuzz-run \
		FUZZ_SECONDS="${FUZZ_SECONDS:-30}" 2>&1 |
		tee "$logdir/fuzz.log" | grep -E '^(TAP|1\.\.|(not )?ok|#)' |
		sed -u 's/^/[fuzz] /'
	count fuzz "$logdir/fuzz.log" "${PIPESTATUS[0]}"
fi

# Coding standards: sparse on each kernel, checkpatch.
if [ $# -gt 0 ]; then
	echo "check: lint (sparse C=2, checkpatch --strict)"
	"$top/scripts/lint.sh" "$@" 2>&1 | tee "$logdir/lint.log" |
		sed -u 's/^/[lint] /'
	count lint "$logdir/lint.log" "${PIPESTATUS[0]}"
fi

# The Debian packages, built, installed on this host, their DKMS modules
# run in a VM of each kernel, purged (root only: a skip otherwise;
# VW_DEB_CHECK=0 leaves it out).  Before the kernels' VMs, so the
# installed vwctl is gone before they start.
if [ $# -gt 0 ]; then
	echo "check: Debian packages (scripts/deb-check.sh)"
	deb_t0=$SECONDS
	"$top/scripts/deb-check.sh" "$@" 2>&1 | tee "$logdir/deb.log" |
		sed -u 's/^/[deb] /'
	count deb "$logdir/deb.log" "${PIPESTATUS[0]}"
	echo "check: Debian packages took $((SECONDS - deb_t0)) s"
fi

if [ $# -eq 0 ]; then
	problem matrix "no kernel to test: scripts/kernels.sh found no kernel" \
		"with both /boot/vmlinuz-V and /lib/modules/V/build (install" \
		"linux-image-V and linux-headers-V)"
fi

cmd=selftests/run.sh
[ -z "${SELFTESTS:-}" ] || cmd+=" $SELFTESTS"

# The kernels' VMs run side by side (VM_PARALLEL=0: one after the other):
# much of a test's time is waiting, not computing.
# make_list VAR: a list variable of selftests/Makefile, continuation lines
# included.
make_list()
{
	awk -v var="$1" '
		$0 ~ "^" var "[ \t]*:?=" { on = 1; sub(/^[^=]*=/, "") }
		on { more = sub(/\\$/, ""); printf "%s ", $0; if (!more) on = 0 }
		END { print "" }' "$top/selftests/Makefile"
}

# The debug kernel runs DEBUG_PROGS (every test with VW_DEBUG_ALL=1), or
# those of SELFTESTS that are in it.
vm_cmd()
{
	local t dbg want=()

	case $1 in
	*-vwdebug) ;;
	*) echo "$cmd"; return ;;
	esac
	[ "${VW_DEBUG_ALL:-0}" = 0 ] || { echo "$cmd"; return; }
	dbg=" $(echo $(make_list DEBUG_PROGS)) "
	for t in ${SELFTESTS:-$dbg}; do
		[[ $dbg == *" $t "* ]] && want+=("$t")
	done
	if [ ${#want[@]} -eq 0 ]; then
		echo "echo 'ok 1 - debug kernel # SKIP no test of SELFTESTS is in DEBUG_PROGS'"
		return
	fi
	echo "selftests/run.sh ${want[*]}"
}

vm_run()
{
	local k=$1

	VM_RUN_DIR=$logdir/$k.vm "$top/scripts/vm-run.sh" "$k" "$(vm_cmd "$k")" \
		> "$logdir/$k.run" 2>&1
	echo $? > "$logdir/$k.rc"
}

pids=()
vm_start()
{
	echo "check: $1: $(vm_cmd "$1") in a VM"
	rm -f "$logdir/$1.rc"
	if [ "${VM_PARALLEL:-1}" = 1 ]; then
		vm_run "$1" &
		pids+=($!)
	else
		vm_run "$1"
	fi
}

# A whole suite on a loaded, emulated CPU: give it most of CI's 90 minutes.
export VM_TIMEOUT=${VM_TIMEOUT:-4500}
for k in "$@"; do
	vm_start "$k"
done

# The debug kernel's VM, once the kernel and the module for it are built.
if [ -n "$dk_pid" ]; then
	if wait "$dk_pid" && dk=$(cat "$logdir/debug-kernel.rel") && [ -n "$dk" ] &&
	   make -s --no-print-directory -C "$top" KVER="$dk" modules \
		>> "$logdir/debug-kernel.log" 2>&1; then
		echo "check: debug kernel $dk ready after $((SECONDS - dk_t0)) s"
		set -- "$@" "$dk"
		vm_start "$dk"
	else
		sed 's/^/[debug-kernel] /' "$logdir/debug-kernel.log" | tail -n 20
		problem debug-kernel "building the debug kernel or the module for it" \
			"failed, see build/check/debug-kernel.log"
	fi
fi
[ ${#pids[@]} -eq 0 ] || wait "${pids[@]}"

for k in "$@"; do
	vmdir=$logdir/$k.vm
	sed "s/^/[$k] /" "$logdir/$k.run"
	rc=$(cat "$logdir/$k.rc" 2>/dev/null || echo unknown)
	if [ ! -r "$vmdir/result" ]; then
		problem "$k" "vm-run.sh failed before running anything (exit $rc)"
		continue
	fi
	# status timeout splat module rmmod starved leaks elapsed
	unset status timeout splat module rmmod starved leaks
	. "$vmdir/result"
	cp "$vmdir/out/output" "$logdir/$k.log" 2>/dev/null || : > "$logdir/$k.log"
	# Test points from before a panic or timeout count too.
	count "$k" "$logdir/$k.log" "$status"
	if [ "$status" != none ]; then
		:
	elif [ "$timeout" = 1 ]; then
		problem "$k" "VM timed out (VM_TIMEOUT=$VM_TIMEOUT)"
	elif [ "$module" = failed ]; then
		problem "$k" "virtualwire.ko failed to load"
	else
		problem "$k" "the guest died before the tests ended (kernel panic?)"
	fi
	if [ "$splat" != 0 ]; then
		problem "$k" "kernel BUG/WARNING/Oops/UBSAN/KASAN or panic, see ${vmdir#$top/}/console.log"
		splats+=("$k")
	fi
	[ "$rmmod" != failed ] || problem "$k" "rmmod virtualwire failed"
	[ "${leaks:-none}" = none ] || [ "$leaks" = 0 ] ||
		problem "$k" "kmemleak: $leaks object(s) leaked by the module, see ${vmdir#$top/}/out/kmemleak"
	[ "${starved:-0}" = 0 ] ||
		echo "check: $k: note: $starved soft lockup report(s) of a vCPU the host did not run (not a failure)"
	echo "check: $k: VM ran $elapsed s"
done

# A CI log may keep only the tail of this output: the splats once more,
# short, just above the verdict.
for k in "${splats[@]}"; do
	echo "check: $k: the console's first report:"
	head -n 40 "$logdir/$k.vm/splat.log"
done
# So are the lines the failing points printed (the first 150), the
# failures, and last, each failing point with the first lines it printed.
if [ -s "$failctx" ]; then
	head -n 150 "$failctx"
fi
if [ ${#problems[@]} -gt 0 ]; then
	echo "check: failures:"
	printf '  %s\n' "${problems[@]}"
fi
if [ -s "$failctx" ]; then
	echo "check: in short:"
	fail_digest "$failctx" 1400
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
