#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of the boot-time restore (scripts/systemd/restore, run by
# virtualwire.service and virtualwire@.service) against a fake vwctl that
# logs each run and its batch input, with and without -force in its
# --help; then "systemd-analyze verify" of the units as make
# install-systemd installs them, when systemd-analyze is there.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

restore=$top/scripts/systemd/restore

# The fake vwctl: "--help" mentions -force when FAKE_FORCE=1; a batch
# fails (exit 1) when its file holds the word "bad"; every run and its
# batch lines go to FAKE_LOG.
mkdir "$tmp/bin" "$tmp/conf" "$tmp/state"
cat > "$tmp/bin/vwctl" <<'FAKE'
#!/bin/bash
if [ "$1" = --help ]; then
	echo "usage: vwctl [OPTIONS] COMMAND"
	[ "${FAKE_FORCE:-0}" = 1 ] && echo "  -force   go on after a failing batch line"
	exit 0
fi
echo "vwctl $*" >> "$FAKE_LOG"
file=${*: -1}
[ "$file" = - ] && file=/dev/stdin
sed 's/^/  /' "$file" >> "$FAKE_LOG"
grep -qw bad "$file" 2>/dev/null && exit 1
exit 0
FAKE
chmod +x "$tmp/bin/vwctl"
export PATH=$tmp/bin:$PATH FAKE_LOG=$tmp/log VW_RESTORE_STATE_DIR=$tmp/state

cat > "$tmp/conf/10-a.conf" <<'CONF'
# uplinks
add 100 dev to-fra remote 192.0.2.10   # Frankfurt
add 7 dev vwa peer vwb
add 7 dev vwb peer vwa
set dev vwa ttl 16
CONF
printf '%s\n' '--json replace 200 dev x remote 192.0.2.20' > "$tmp/conf/20-b.conf"
echo 'add 300 dev y remote 192.0.2.30' > "$tmp/conf/notes.txt"
# vwd's configuration shares the directory; it is no -batch file.
printf 'etcd http://192.0.2.201:2379\naddr 192.0.2.1\n' > "$tmp/conf/vwd.conf"

# run ARGS...: the restore script's stdout+stderr in $out, exit in $rc.
run() {
	: > "$FAKE_LOG"
	out=$("$restore" "$@" 2>&1)
	rc=$?
}

echo "KTAP version 1"
echo "1..17"

run start default "$tmp/conf"
ok "start: exit 0 when every file applies" "$rc" 0
ok "start: the *.conf files but vwd.conf, in name order, plain -batch without -force" \
	"$(grep '^vwctl' "$FAKE_LOG" | tr '\n' ';')" \
	"vwctl -batch $tmp/conf/10-a.conf;vwctl -batch $tmp/conf/20-b.conf;"
ok "start: reports what it applied" "$out" "virtualwire-restore: default: 2 file(s) applied, 0 failed"
ok "start: keeps the IDs of the add and replace lines" \
	"$(tr '\n' ' ' < "$tmp/state/default.ids")" "100 7 7 200 "

run stop default
ok "stop: exit 0" "$rc" 0
ok "stop: flushes each restored ID once, in one batch" \
	"$(tr '\n' ';' < "$FAKE_LOG")" \
	"vwctl -batch -;  flush id 7;  flush id 100;  flush id 200;"
ok "stop: forgets the IDs" "$(ls "$tmp/state")" ""

run stop default
ok "stop again: nothing to do, exit 0, no vwctl run" "$rc:$(cat "$FAKE_LOG")" "0:"

echo 'add 400 dev bad remote 192.0.2.40' > "$tmp/conf/15-bad.conf"
export FAKE_FORCE=1
run start default "$tmp/conf"
ok "start: a failing file: exit 1" "$rc" 1
ok "start: -force when vwctl knows it, the later files still run" \
	"$(grep '^vwctl' "$FAKE_LOG" | sed "s|$tmp/conf/||g" | tr '\n' ';')" \
	"vwctl -force -batch 10-a.conf;vwctl -force -batch 15-bad.conf;vwctl -force -batch 20-b.conf;"
ok "start: names the failing file" \
	"$(grep -c "15-bad.conf: vwctl -batch failed (exit 1)" <<< "$out")" 1
ok "start: counts it" "$(tail -n 1 <<< "$out")" \
	"virtualwire-restore: default: 2 file(s) applied, 1 failed"
rm "$tmp/conf/15-bad.conf"
unset FAKE_FORCE

run start red "$tmp/conf/20-b.conf" "$tmp/missing"
ok "start NAME FILE: a file given by name, a missing path is a failure" \
	"$rc:$(grep -c "missing: no such file or directory" <<< "$out")" "1:1"
ok "start NAME: the IDs are kept per name" "$(cat "$tmp/state/red.ids")" 200

run
ok "no arguments: usage, exit 2" "$rc:$(grep -c '^usage:' <<< "$out")" "2:1"

# The units as installed: the restore script and the configuration named
# by their installed paths.
dest=$tmp/dest
if make -s -C "$top" install-systemd DESTDIR="$dest" PREFIX=/usr \
	SYSTEMDUNITDIR=/lib/systemd/system > "$tmp/make.log" 2>&1; then
	ok "make install-systemd: the units name the restore script, vwd and /etc/virtualwire" \
		"$(grep -h '^ExecStart=' "$dest"/lib/systemd/system/*.service | tr '\n' ';')" \
		"ExecStart=/usr/lib/virtualwire/restore start default /etc/virtualwire;ExecStart=ip netns exec %i /usr/lib/virtualwire/restore start %i /etc/virtualwire/%i;ExecStart=/usr/sbin/vwd -c /etc/virtualwire/vwd.conf;"
else
	cat "$tmp/make.log"
	ok "make install-systemd" failed 0
fi

# systemd-analyze verify wants the executables it names to exist: point
# the units at this tree's restore script, and at a stand-in vwd.
if ! command -v systemd-analyze > /dev/null; then
	skip "systemd-analyze verify" "systemd-analyze is not installed"
else
	mkdir -p "$tmp/units" "$tmp/sbin"
	ln -s /bin/true "$tmp/sbin/vwd"
	for u in virtualwire.service virtualwire@.service vwd.service; do
		sed -e "s|@LIBEXECDIR@/virtualwire/restore|$restore|" \
		    -e "s|@SBINDIR@|$tmp/sbin|" \
		    -e "s|@CONFDIR@|$tmp/conf|" \
		    "$top/scripts/systemd/$u.in" > "$tmp/units/$u"
	done
	cp "$tmp/units/virtualwire@.service" "$tmp/units/virtualwire@red.service"
	verify=$(cd "$tmp/units" && SYSTEMD_LOG_LEVEL=warning \
		systemd-analyze verify --man=no virtualwire.service \
		virtualwire@red.service vwd.service 2>&1)
	ok "systemd-analyze verify: no complaint" "$verify" ""
fi
ktap_totals
