#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KVER OUT
#
# Build the tiny initramfs scripts/vm-run.sh boots: static busybox, the
# modules kernel KVER needs to mount a virtio-9p root, and an /init that
# mounts the host root read-only over 9p and switch_roots into it.
# OUT is rebuilt only when one of its inputs changed (OUT.stamp records them).

set -euo pipefail

die() { echo "mkinitramfs: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 KVER OUT"
kver=$1
out=$2
moddir=${MODDIR:-/lib/modules/$kver}
busybox=${BUSYBOX:-/bin/busybox}

[ -r "$moddir/modules.dep" ] || die "$moddir/modules.dep missing"
[ -x "$busybox" ] || die "$busybox missing (apt-get install busybox-static)"
# A dynamic busybox would need its libraries in the initramfs.
if file -L "$busybox" 2>/dev/null | grep -q 'dynamically linked'; then
	die "$busybox is not static (apt-get install busybox-static)"
fi

# What the guest needs to reach its root: virtio PCI transport, 9p over it.
roots="virtio_pci 9pnet_virtio 9p"

# modules.dep names files, modules.builtin names what needs no file;
# dashes and underscores are the same thing in module names.  Depth first,
# so every module comes after what it depends on.
builtin=$moddir/modules.builtin
[ -r "$builtin" ] || builtin=/dev/null
list=$(awk -F: -v roots="$roots" -v kver="$kver" '
	function norm(f) {
		sub(/.*\//, "", f)
		sub(/\.ko.*/, "", f)
		gsub(/-/, "_", f)
		return f
	}
	function visit(n,	d, k, i) {
		if (n in seen)
			return
		seen[n] = 1
		if (!(n in path)) {
			if (n in builtin)
				return
			print "mkinitramfs: " kver ": module " n \
				" neither in modules.dep nor built in" > "/dev/stderr"
			failed = 1
			return
		}
		k = split(deps[n], d, " ")
		for (i = 1; i <= k; i++)
			visit(norm(d[i]))
		print path[n]
	}
	FNR == NR { builtin[norm($0)] = 1; next }
	{ n = norm($1); path[n] = $1; deps[n] = $2 }
	END {
		k = split(roots, r, " ")
		for (i = 1; i <= k; i++)
			visit(r[i])
		exit failed
	}' "$builtin" "$moddir/modules.dep") || exit 1
order=()
[ -z "$list" ] || mapfile -t order <<< "$list"

self=$(readlink -f "${BASH_SOURCE[0]}")
stamp=$(
	echo "kver $kver"
	sha256sum "$self" "$busybox" | cut -d' ' -f1
	for f in "${order[@]}"; do
		stat -c '%n %s %Y' "$moddir/$f"
	done
)
if [ -s "$out" ] && [ -e "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ]; then
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,newroot,lib/modules/"$kver"}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

# busybox insmod may lack xz/zstd support: store the modules uncompressed.
: > "$root/modules.order"
for f in "${order[@]}"; do
	dst=${f%.xz}
	dst=${dst%.zst}
	dst=${dst%.gz}
	mkdir -p "$(dirname "$root/lib/modules/$kver/$dst")"
	case $f in
	*.xz)	xz -dc "$moddir/$f" ;;
	*.zst)	zstd -qdc "$moddir/$f" ;;
	*.gz)	gzip -dc "$moddir/$f" ;;
	*)	cat "$moddir/$f" ;;
	esac > "$root/lib/modules/$kver/$dst"
	echo "/lib/modules/$kver/$dst" >> "$root/modules.order"
done

# The kernel passes the vw_* command line parameters to /init as
# environment: vw_repo (repository path), vw_out (results share mount point).
cat > "$root/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

fail() {
	echo "vm-init: $*" > /dev/console
	echo o > /proc/sysrq-trigger
	sleep 5
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec < /dev/console > /dev/console 2>&1

for m in $(cat /modules.order); do
	insmod "$m" || fail "insmod $m failed"
done

p9="trans=virtio,version=9p2000.L,msize=262144"
# The host root cannot change under the guest: let the guest cache it.
mount -t 9p -o "$p9,ro,cache=loose" root /newroot || fail "9p root mount failed"

# Everything that must be writable, now private to this boot.
for d in tmp run var/tmp var/log root home mnt; do
	[ -d "/newroot/$d" ] && ! [ -L "/newroot/$d" ] || continue
	mount -t tmpfs -o mode=0755 tmpfs "/newroot/$d" || fail "tmpfs on /$d"
done
chmod 1777 /newroot/tmp /newroot/var/tmp
[ -L /newroot/var/run ] || mount --bind /newroot/run /newroot/var/run

# After the tmpfs mounts: the repository may live under /tmp or /home.
[ -n "$vw_repo" ] || fail "no vw_repo= on the command line"
mkdir -p "/newroot$vw_repo"
mount -t 9p -o "$p9,ro,cache=loose" repo "/newroot$vw_repo" ||
	fail "9p repo mount on $vw_repo failed"
[ -n "$vw_out" ] || fail "no vw_out= on the command line"
# Written by the guest and read by the host while it runs: no caching.
mount -t 9p -o "$p9,rw" out "/newroot$vw_out" ||
	fail "9p out mount on $vw_out failed"

mount --move /dev /newroot/dev
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
exec switch_root /newroot /bin/sh "$vw_repo/scripts/guest-init.sh"
EOF
chmod 755 "$root/init"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc 2>/dev/null) |
	gzip -9 > "$tmp/initramfs"
mv "$tmp/initramfs" "$out"
echo "$stamp" > "$out.stamp"
echo "mkinitramfs: built $out (${#order[@]} modules)" >&2
