#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test VM (see scripts/vm-run.sh), run from the host root that
# the initramfs mounted read-only over 9p.  The kernel hands us vw_repo (the
# repository, same path as on the host) and vw_out (the writable results
# share) in the environment.  vm-run.sh left in $vw_out:
#   env   VM_KVER, VM_MODULE (module file, empty for none)
#   cmd   the command, a shell script run from the repository
# and reads back:
#   output  the command's stdout and stderr (the host streams it)
#   status  its exit status
#   module  none | loaded NAME | failed
#   rmmod   ok | failed | gone (the test unloaded it itself)
#   kmemleak  what kmemleak reports after rmmod (kernels that have it)
#
# PID 1 must never exit (the kernel would panic), so no "set -e": every path
# ends in poweroff.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb
out=$vw_out
repo=$vw_repo

log() { echo "guest-init: $*"; }

poweroff_now() {
	sync
	# The kernel exits qemu (-no-reboot) on power off; no init system here.
	echo o > /proc/sysrq-trigger
	sleep 5
	# A kernel without ACPI (the debug kernel) halts instead of powering
	# off, and the host root may be gone by now: a reboot exits qemu too.
	echo b > /proc/sysrq-trigger
	log "power off did not happen"
	while :; do read -r _ < /dev/console; done
}

mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
# "ip netns" bind mounts need a shared or private root, not the initramfs'.
mount --make-rprivate /
hostname vwvm
ip link set lo up

. "$out/env"

if [ -n "$VM_MODULE" ]; then
	name=$(modinfo -F name "$VM_MODULE" 2>/dev/null)
	[ -n "$name" ] || name=$(basename "$VM_MODULE" | sed 's/\.ko.*//')
	ok=1
	# insmod does not resolve dependencies; modprobe finds them in the
	# host's /lib/modules.
	for d in $(modinfo -F depends "$VM_MODULE" 2>/dev/null | tr ',' ' '); do
		modprobe "$d" || { log "modprobe $d failed"; ok=0; }
	done
	if [ $ok = 1 ] && insmod "$VM_MODULE" $VM_MODPARAMS; then
		log "loaded $VM_MODULE"
		echo "loaded $name" > "$out/module"
	else
		log "loading $VM_MODULE failed"
		echo failed > "$out/module"
		poweroff_now
	fi
else
	echo none > "$out/module"
fi

log "running: $(cat "$out/cmd")"
(
	cd "$repo" || exit 125
	PATH=$repo/userspace:$PATH
	[ -n "${VW_FUZZ_SEED:-}" ] || unset VW_FUZZ_SEED
	export PATH VM_KVER VW_SHORT VW_LONG VW_FUZZ_SEED
	exec sh "$out/cmd"
) > "$out/output" 2>&1 < /dev/null
status=$?
echo "$status" > "$out/status"
log "command exited $status"

if [ -n "$VM_MODULE" ]; then
	if [ ! -d "/sys/module/$name" ]; then
		log "$name no longer loaded, nothing to remove"
		echo gone > "$out/rmmod"
	elif rmmod "$name"; then
		echo ok > "$out/rmmod"
	else
		log "rmmod $name failed"
		lsmod | grep "^$name " 
		echo failed > "$out/rmmod"
	fi
fi

# A kernel with kmemleak (the debug kernel): what is left unreferenced once
# the module is gone.  An object must be seen unreferenced by two scans,
# and be older than 5 s, to be reported.  vm-run.sh judges the list.
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > "$out/kmemleak"
	log "kmemleak: $(grep -c '^unreferenced object' "$out/kmemleak") unreferenced object(s)"
fi

poweroff_now
