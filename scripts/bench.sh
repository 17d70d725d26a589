#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [KVER...]: the performance comparison of Documentation/
# performance.rst.  For each kernel (default: the test matrix), boot the
# test VM with the freshly built module, run scripts/bench-guest.sh in it,
# and keep its raw results in build/bench/KVER/; then
# scripts/bench_report.py summarises every kernel of this run into
# build/bench/report.txt (table and targets), report.json (every sample
# and the summaries) and ratios.png.
#
# Environment (passed into the guest): BENCH_ROUNDS (5), BENCH_SECONDS (2),
# BENCH_SCALE (4096), BENCH_MODES, BENCH_WORKLOADS, BENCH_GROUPS,
# BENCH_PERF, BENCH_ECMP_RATE (see scripts/bench-guest.sh).  VM_TIMEOUT and
# VM_APPEND as for vm-run.sh (defaults here: 3000 s, and the TSC as
# clocksource).
# BENCH_OUT=DIR puts the results in DIR instead of build/bench.
#
# The guest is TCG-emulated on however many host cores there are: run it on
# an otherwise idle machine.  The load and the other VMs running at the
# start and the end are recorded in the report, which warns about them.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
python=/usr/bin/python3

die() { echo "bench: $*" >&2; exit 2; }

if [ $# -eq 0 ]; then
	mapfile -t kvers < <("$top/scripts/kernels.sh")
else
	kvers=("$@")
fi
[ ${#kvers[@]} -gt 0 ] || die "no kernel given and scripts/kernels.sh found none"
for k in "${kvers[@]}"; do
	[ -r "$top/build/$k/virtualwire.ko" ] ||
		die "build/$k/virtualwire.ko is missing: make KVER=$k first"
done
[ -x "$top/userspace/vwctl" ] || die "userspace/vwctl is missing: make first"
command -v sockperf > /dev/null || die "sockperf not found (apt-get install sockperf)"
command -v iperf3 > /dev/null || die "iperf3 not found (apt-get install iperf3)"
"$python" -c 'import matplotlib' 2> /dev/null ||
	die "$python has no matplotlib (apt-get install python3-matplotlib)"

# Only BENCH_* settings cross into the guest, quoted.
envs=
for v in BENCH_ROUNDS BENCH_SECONDS BENCH_SCALE BENCH_MODES BENCH_WORKLOADS \
	 BENCH_GROUPS BENCH_PERF BENCH_ECMP_RATE; do
	[ -n "${!v+x}" ] && envs+="$v=$(printf '%q' "${!v}") "
done

# Other VMs (make check of someone else, say) share the host's cores with
# the guest and skew everything: note them.
host_load()
{
	printf 'loadavg=%s vms=%s' "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)" \
		"$(pgrep -c qemu-system || true)"
}

# The guest's default clocksource under TCG is the HPET, whose every read
# is an emulated MMIO access: it showed up in profiles of the datapath
# (packet and TCP timestamps) and of the tools.
append=${VM_APPEND-clocksource=tsc tsc=reliable}

benchdir=${BENCH_OUT:-$top/build/bench}
mkdir -p "$benchdir"
benchdir=$(cd "$benchdir" && pwd -P)
case $benchdir in
"$top"/*) ;;
*) die "BENCH_OUT must be inside $top (the VM writes its results there)" ;;
esac
start=$(date +%s)
dirs=()
rc=0
for k in "${kvers[@]}"; do
	kdir=$benchdir/$k
	rm -rf "$kdir"
	mkdir -p "$kdir"
	echo "bench: $k: $(host_load)" >&2
	echo "host_before	$(host_load)" > "$kdir/host.tsv"
	t0=$(date +%s)
	# The host's load while the guest runs (the guest itself is one VM).
	while sleep 15; do
		echo "host_sample	$(date +%s) $(host_load)"
	done >> "$kdir/host.tsv" &
	sampler=$!
	krc=0
	# A thread per vCPU, as the figures of performance.rst were measured:
	# the bench runs alone, and its flows use both vCPUs.
	VM_TCG_THREAD=${VM_TCG_THREAD:-multi} \
	VM_RUN_DIR=$kdir/vm VM_TIMEOUT=${VM_TIMEOUT:-3000} VM_APPEND=$append \
		"$top/scripts/vm-run.sh" "$k" \
		"${envs}scripts/bench-guest.sh \"\$vw_out/bench\"" || krc=$?
	kill $sampler 2> /dev/null || true
	wait $sampler 2> /dev/null || true
	{
		echo "host_after	$(host_load)"
		echo "host_seconds	$(($(date +%s) - t0))"
		echo "vm_status	$krc"
	} >> "$kdir/host.tsv"
	if [ -r "$kdir/vm/out/bench/bench.tar" ]; then
		mkdir -p "$kdir/raw"
		tar -C "$kdir/raw" -xf "$kdir/vm/out/bench/bench.tar"
		dirs+=("$kdir")
	fi
	if [ $krc != 0 ]; then
		echo "bench: $k: the VM run failed ($krc); see $kdir/vm/console.log" >&2
		rc=1
	fi
done
[ ${#dirs[@]} -gt 0 ] || die "no results"
"$python" "$top/scripts/bench_report.py" --out "$benchdir" "${dirs[@]}"
echo "bench: $((($(date +%s) - start) / 60)) min $((($(date +%s) - start) % 60)) s;" \
	"${benchdir#"$top"/}/report.txt, report.json, ratios.png" >&2
exit $rc
