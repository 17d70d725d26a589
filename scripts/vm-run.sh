#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh KVER [command...]
# vm-run.sh --leaks FILE          (how many kmemleak reports are the module's)
# vm-run.sh --scan CONSOLE_LOG    (only the kernel log check below: prints
#                                  the soft lockup verdicts, exits 1 on a splat)
#
# Boot /boot/vmlinuz-KVER under qemu (TCG) on the host's own root, mounted
# read-only over virtio-9p, load build/KVER/virtualwire.ko, run the command
# from the repository (default: selftests/run.sh; one argument is a shell
# command line, several are an argv), unload the module and power off.
# The repository is visible in the guest at its host path, with userspace/
# (vwctl) first in PATH.
#
# Prints the command's stdout and stderr as it runs.  Each run keeps its
# files in a directory of its own, build/vm/KVER/last being the newest:
# console.log (the guest console), out/ (the results share: output, status)
# and result (the verdict, key=value lines, read by scripts/check.sh).
# Exit status: the command's, or non-zero when the module failed to load or
# unload, the kernel logged a BUG, WARNING, Oops, UBSAN or KASAN report or
# panicked, or the VM timed out.
#
# Environment:
#   VM_TIMEOUT=1500    seconds before the VM is killed (6000 with VW_LONG=1)
#   VM_MEM=2G          guest memory (3G on the debug kernel)
#   VM_SMP=2           guest CPUs
#   VM_TCG_THREAD=single  QEMU runs every vCPU of the guest in one thread
#                      (multi: a thread each, see below)
#   NO_MODULE=1        do not load any module
#   VM_MODULE=FILE     load FILE instead of build/KVER/virtualwire.ko
#   VM_MODPARAMS=...   module parameters for insmod
#   VM_APPEND=...      extra kernel command line
#   VM_CONSOLE=1       also show the guest console on stderr
#   VM_RUN_DIR=DIR     where to keep this run's files (inside the repository)
#   VW_SHORT=1         short test lengths (the default on a *-vwdebug kernel)
#   VW_LONG=1          the long variants of the tests
#   VW_FUZZ_SEED=N     replay the fuzzers' run with seed N

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

die() { echo "vm-run: $*" >&2; exit 2; }

# Kernel splats.  The command's own output is not on the console, so test
# messages cannot trigger this.  A stuck unregister_netdevice is a leaked
# device reference.  Soft lockups are judged apart, by lockup_verdict.
splat_re='BUG:|WARNING:|Oops|UBSAN|KASAN|Kernel panic|general protection fault|kernel BUG|unregister_netdevice: waiting for'
lockup_re='BUG: soft lockup'

# scan_console LOG: print the reports with some context (usually the call
# trace) and succeed when there are any.  A soft lockup counts only when
# lockup_verdict calls it real.
scan_console() {
	local real

	real=$(lockup_verdict "$1" | grep '^real' || true)
	if ! grep -vaE "$lockup_re" "$1" | grep -qaE "$splat_re" && [ -z "$real" ]; then
		return 1
	fi
	[ -z "$real" ] || echo "  | $real"
	grep -aE -A 25 "$splat_re" "$1" | head -n 80 | sed 's/^/  | /'
}

# lockup_verdict LOG: tell a real soft lockup from a starved vCPU.  Under
# TCG a vCPU thread that the busy host does not run for watchdog_thresh * 2
# seconds makes the guest report a soft lockup once, at whatever it was
# doing, and then go on: its watchdog runs again as soon as the vCPU does.
# A CPU that really loops with preemption off is reported again for the
# same episode, stuck for longer each time (22 s, 48 s, ...).  Prints
# "real CPU#N ..." for each CPU reported twice in a row with a growing
# time, "starved CPU#N ..." for each single report.
lockup_verdict() {
	{ grep -aE 'soft lockup - CPU#[0-9]+ stuck for [0-9]+s' "$1" || true; } |
		sed -E 's/^\[ *([0-9.]+)\].*(CPU#[0-9]+) stuck for ([0-9]+)s.*/\1 \2 \3/' |
		awk '
		# One episode: the "stuck for" time grew as much as the clock did.
		function flush(c) {
			if (n[c] > 1)
				printf "real %s: %d reports, stuck for %ds to %ds\n",
					c, n[c], first[c], last[c]
			else
				printf "starved %s: one report, stuck for %ds\n", c, last[c]
			delete n[c]
		}
		{
			ts = $1 + 0; cpu = $2; t = $3 + 0
			d = (t - last[cpu]) - (ts - lts[cpu])
			if ((cpu in n) && t > last[cpu] && d <= 5 && d >= -5) {
				n[cpu]++
			} else {
				if (cpu in n)
					flush(cpu)
				n[cpu] = 1
				first[cpu] = t
			}
			last[cpu] = t
			lts[cpu] = ts
		}
		END {
			for (c in n)
				flush(c)
		}'
}

# module_leaks KMEMLEAK: how many of the objects kmemleak reports were
# allocated by the module.  Only one module is ever loaded on the debug
# kernel, ours, so after rmmod a backtrace address that no longer resolves
# to a symbol is ours; while loaded, ours name [virtualwire].
module_leaks() {
	awk '
	/^unreferenced object/ {
		if (obj != "" && ours)
			n++
		obj = $0; ours = 0; bt = 0
		next
	}
	/^ +backtrace/ { bt = 1; next }
	bt && (/^ +0x[0-9a-f]+$/ || /\[virtualwire\]|^ +vw_[a-z0-9_]+\+0x/) { ours = 1 }
	END { if (obj != "" && ours) n++; print n + 0 }' "$1"
}

if [ "${1:-}" = --scan ]; then
	[ $# -eq 2 ] || die "usage: $0 --scan CONSOLE_LOG"
	lockup_verdict "$2"
	scan_console "$2" && exit 1
	exit 0
fi
if [ "${1:-}" = --leaks ]; then
	[ $# -eq 2 ] || die "usage: $0 --leaks KMEMLEAK_FILE"
	module_leaks "$2"
	exit 0
fi

[ $# -ge 1 ] || die "usage: $0 KVER [command...]"
kver=$1
shift

# A Debian kernel from /boot, or one this tree built (build/kernels/KVER,
# made by scripts/debug-kernel.sh).
kernel=/boot/vmlinuz-$kver
moddir=/lib/modules/$kver
if [ ! -r "$kernel" ] && [ -r "$top/build/kernels/$kver/vmlinuz" ]; then
	kernel=$top/build/kernels/$kver/vmlinuz
	moddir=$top/build/kernels/$kver/lib/modules/$kver
fi
[ -r "$kernel" ] || die "$kernel not found (scripts/kernels.sh lists the matrix)"
[ -d "$moddir" ] || die "$moddir not found"
# The debug kernel is several times slower: its tests run in short mode.
# KASAN's shadow and kmemleak's records take memory of their own.
case $kver in
*-vwdebug)
	VW_SHORT=${VW_SHORT:-1}
	VM_MEM=${VM_MEM:-3G}
	;;
esac
case $top in
*[[:space:]]*) die "the repository path must not contain spaces: $top" ;;
esac

# build/vm/KVER holds the initramfs and "last", the newest run's directory;
# console.log, out and result there lead into it.  Each run has a directory
# of its own (VM_RUN_DIR, or a new build/vm/KVER/run.*): make check may run
# while someone else boots the same kernel.
vmdir=$top/build/vm/$kver
mkdir -p "$vmdir"
# Run as root in someone else's tree: the run's files are theirs again.
trap '"$top/scripts/give-back.sh" "$top/build/vm" "${rundir:-}"' EXIT
if [ -n "${VM_RUN_DIR:-}" ]; then
	rm -rf "$VM_RUN_DIR"
	mkdir -p "$VM_RUN_DIR"
	rundir=$(cd "$VM_RUN_DIR" && pwd -P)
	case $rundir in
	"$top"/*) ;;
	*) die "VM_RUN_DIR must be inside $top (the guest sees only that)" ;;
	esac
else
	rundir=$(mktemp -d "$vmdir/run.XXXXXX")
fi
echo $$ > "$rundir/pid"
last=$(readlink -f "$vmdir/last" 2>/dev/null || true)
for d in "$vmdir"/run.*; do
	[ -d "$d" ] && [ "$d" != "$rundir" ] && [ "$d" != "$last" ] || continue
	pid=$(cat "$d/pid" 2>/dev/null || true)
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && continue
	rm -rf "$d"
done
ln -sfn "$rundir" "$vmdir/last.$$"
mv -T "$vmdir/last.$$" "$vmdir/last"
for f in console.log out result; do
	[ -L "$vmdir/$f" ] || { rm -rf "${vmdir:?}/$f"; ln -s "last/$f" "$vmdir/$f"; }
done
outdir=$rundir/out
mkdir -p "$outdir"
MODDIR=$moddir "$top/scripts/mkinitramfs.sh" "$kver" "$vmdir/initramfs.cpio.gz"

if [ $# -eq 0 ]; then
	cmd=selftests/run.sh
elif [ $# -eq 1 ]; then
	cmd=$1
else
	cmd=$(printf '%q ' "$@")
fi
printf '%s\n' "$cmd" > "$outdir/cmd"

module=
if [ "${NO_MODULE:-0}" != 0 ]; then
	:
elif [ -n "${VM_MODULE:-}" ]; then
	module=$(readlink -f "$VM_MODULE")
	[ -r "$module" ] || die "VM_MODULE=$VM_MODULE not found"
elif [ -r "$top/build/$kver/virtualwire.ko" ]; then
	module=$top/build/$kver/virtualwire.ko
else
	echo "vm-run: build/$kver/virtualwire.ko not built: running without the module" \
		"(make KVER=$kver builds it; NO_MODULE=1 silences this)" >&2
fi
{
	printf 'VM_KVER=%q\n' "$kver"
	printf 'VM_MODULE=%q\n' "$module"
	printf 'VM_MODPARAMS=%q\n' "${VM_MODPARAMS:-}"
	printf 'VM_MODDIR=%q\n' "$moddir"
	printf 'VW_SHORT=%q\n' "${VW_SHORT:-0}"
	printf 'VW_LONG=%q\n' "${VW_LONG:-0}"
	printf 'VW_FUZZ_SEED=%q\n' "${VW_FUZZ_SEED:-}"
} > "$outdir/env"
# The guest reads the module through the host root share, which does not
# see a repository under /tmp (tmpfs in the guest): give it the repo path.
case $module in
"$top"/*) ;;
?*)
	# A module outside the repository: copy it where the guest sees it.
	cp "$module" "$outdir/"
	printf 'VM_MODULE=%q\n' "$outdir/$(basename "$module")" >> "$outdir/env"
	;;
esac

# Long mode's tests may take 90 minutes each (selftests/run.sh).
if [ "${VW_LONG:-0}" = 1 ]; then
	timeout=${VM_TIMEOUT:-6000}
else
	timeout=${VM_TIMEOUT:-1500}
fi
console=$rundir/console.log
: > "$console"
: > "$outdir/output"

append="console=ttyS0 panic_on_warn=1 oops=panic panic=-1 loglevel=7"
append+=" vw_repo=$top vw_out=$outdir ${VM_APPEND:-}"

fs9p() {
	# id path tag [readonly]
	echo "-fsdev local,id=$1,path=$2,security_model=none,multidevs=remap${4:+,readonly=on}"
	echo "-device virtio-9p-pci,fsdev=$1,mount_tag=$3"
}

# One TCG thread for all vCPUs by default.  With a thread per vCPU
# (thread=multi) on a host with fewer cores than the VMs of make check have
# vCPUs, two artefacts of the emulator kill or fail guests that did nothing
# wrong: a vCPU that the host does not run for 20 s reports a soft lockup
# (see lockup_verdict), and a vCPU can execute a translation of kernel text
# that another vCPU has just re-patched, such as a static key's jump being
# switched by text_poke_bp(): it then traps on the int3 of the patching
# after the patching is over ("Oops: int3" in __netif_receive_skb_core(),
# whose netstamp_needed_key every ping toggles).  One thread runs the vCPUs
# in turn, each switch at the end of a translated block, so neither can
# happen; the guest is still SMP, and make check is no slower, its VMs
# sharing the host's cores anyway.
qemu=(
	qemu-system-x86_64
	-nodefaults -no-user-config -display none -no-reboot
	-machine pc -accel "tcg,thread=${VM_TCG_THREAD:-single}" -cpu max
	-smp "${VM_SMP:-2}" -m "${VM_MEM:-2G}"
	-kernel "$kernel" -initrd "$vmdir/initramfs.cpio.gz"
	-append "$append"
	-chardev "file,id=con,path=$console" -serial chardev:con
	$(fs9p root / root ro)
	$(fs9p repo "$top" repo ro)
	$(fs9p out "$outdir" out)
)

echo "vm-run: booting $kver (console: ${console#$top/}, timeout ${timeout}s)" >&2
start=$(date +%s)
timeout -k 10 "$timeout" "${qemu[@]}" < /dev/null > "$rundir/qemu.log" 2>&1 &
qpid=$!
# Interrupted: take the VM down with us.
trap 'kill $qpid 2>/dev/null; exit 130' INT TERM HUP

# The guest writes the command's output straight into the share: follow it.
tail -n +1 -s 0.2 -F --pid=$qpid "$outdir/output" 2>/dev/null &
tpid=$!
if [ "${VM_CONSOLE:-0}" != 0 ]; then
	tail -n +1 -s 0.2 -F --pid=$qpid "$console" >&2 2>/dev/null &
fi
qrc=0
wait $qpid || qrc=$?
wait $tpid || true
elapsed=$(( $(date +%s) - start ))

fail=0
tout=0
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	echo "vm-run: $kver: TIMEOUT after ${timeout}s (VM_TIMEOUT)" >&2
	tout=1
	fail=1
elif [ $qrc -ne 0 ]; then
	echo "vm-run: $kver: qemu exited $qrc:" >&2
	sed 's/^/  /' "$rundir/qemu.log" >&2
	fail=1
fi

splat=0
if scan_console "$console" > "$rundir/splat.log"; then
	splat=1
	fail=1
	echo "vm-run: $kver: kernel reported problems (full log: ${console#$top/}):" >&2
	cat "$rundir/splat.log" >&2
fi
starved=$(lockup_verdict "$console" | grep -c '^starved' || true)
if [ "$starved" != 0 ]; then
	echo "vm-run: $kver: $starved soft lockup report(s) of a starved vCPU" \
		"(the host did not run it; not a failure):" >&2
	lockup_verdict "$console" | grep '^starved' | sed 's/^/  | /' >&2
fi

# kmemleak (the debug kernel): the guest scanned after rmmod.  Reports
# that are not the module's belong to the kernel and are only kept.
leaks=none
if [ -r "$outdir/kmemleak" ]; then
	leaks=$(module_leaks "$outdir/kmemleak")
	if [ "$leaks" != 0 ]; then
		fail=1
		echo "vm-run: $kver: kmemleak: $leaks object(s) leaked by the module" \
			"(out/kmemleak):" >&2
		head -n 40 "$outdir/kmemleak" | sed 's/^/  | /' >&2
	fi
fi

module_state=$(cat "$outdir/module" 2>/dev/null || echo none)
rmmod_state=$(cat "$outdir/rmmod" 2>/dev/null || echo none)
case $module_state in
failed)
	echo "vm-run: $kver: loading $module failed" >&2
	fail=1
	;;
esac
if [ "$rmmod_state" = failed ]; then
	echo "vm-run: $kver: rmmod failed" >&2
	fail=1
fi

status=none
if [ -r "$outdir/status" ]; then
	status=$(cat "$outdir/status")
elif [ $tout = 0 ] && [ "$module_state" != failed ]; then
	echo "vm-run: $kver: the guest did not finish the command" >&2
	# A splat above already shows why.
	[ $splat = 1 ] || tail -n 30 "$console" | sed 's/^/  | /' >&2
	fail=1
fi

cat > "$rundir/result" <<EOF
status=$status
timeout=$tout
splat=$splat
module=${module_state%% *}
rmmod=$rmmod_state
starved=$starved
leaks=$leaks
elapsed=$elapsed
EOF

echo "vm-run: $kver: command exit status $status, ${elapsed}s" >&2
if [ "$status" != none ] && [ "$status" != 0 ]; then
	exit "$status"
fi
[ $fail = 0 ] && [ "$status" = 0 ]
