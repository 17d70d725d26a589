#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of scripts/deps.sh, the one list of the Debian packages, with a
# fake dpkg-query (what $tmp/installed lists is installed) and a fake
# apt-get (logs each call, and an install adds to $tmp/installed) first in
# PATH: nothing missing is silent, calls no apt-get and succeeds; missing
# packages as root are one "apt-get update" then one install of exactly
# those; not root (VW_DEPS_UID, its test hook) prints the exact command
# and fails, calling no apt-get; --list prints the list, every package
# once.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
deps=$top/scripts/deps.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

mkdir "$tmp/bin"
cat > "$tmp/bin/dpkg-query" <<'FAKE'
#!/bin/bash
# dpkg-query -W -f=FORMAT PKG...: "ii PKG" for each installed one.
rc=0
for a; do
	case $a in
	-*) continue ;;
	esac
	if grep -qxF "$a" "$FAKE_DIR/installed"; then
		echo "ii  $a"
	else
		echo "dpkg-query: no packages found matching $a" >&2
		rc=1
	fi
done
exit $rc
FAKE
cat > "$tmp/bin/apt-get" <<'FAKE'
#!/bin/bash
echo "apt-get $*" >> "$FAKE_DIR/apt.log"
if [[ " $* " == *" install "* ]]; then
	for a; do
		case $a in
		-*|install) ;;
		*) echo "$a" >> "$FAKE_DIR/installed" ;;
		esac
	done
fi
FAKE
chmod +x "$tmp/bin/"*
export FAKE_DIR=$tmp PATH=$tmp/bin:$PATH

echo "KTAP version 1"
echo "1..9"

"$deps" --list > "$tmp/list"
ok "--list prints packages" "$(test -s "$tmp/list" && echo yes)" yes
ok "--list: each package once" "$(sort "$tmp/list" | uniq -d | tr '\n' ' ')" ""

# Everything installed: silent, no apt-get, success.
cp "$tmp/list" "$tmp/installed"
: > "$tmp/apt.log"
"$deps" > "$tmp/out" 2>&1
ok "all installed: exit 0" "$?" 0
ok "all installed: prints nothing, calls no apt-get" \
	"$(cat "$tmp/out" "$tmp/apt.log")" ""

# Two missing, as root: update once, install exactly those two.
grep -vxF -e strace -e lintian "$tmp/list" > "$tmp/installed"
: > "$tmp/apt.log"
VW_DEPS_UID=0 "$deps" > "$tmp/out" 2>&1
ok "missing as root: exit 0" "$?" 0
ok "missing as root: one update, one install of the missing ones" \
	"$(cat "$tmp/apt.log")" \
	"$(printf 'apt-get update\napt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends strace lintian')"
: > "$tmp/apt.log"
VW_DEPS_UID=0 "$deps" > "$tmp/out" 2>&1
ok "then nothing is missing: no apt-get" "$(cat "$tmp/out" "$tmp/apt.log")" ""

# Not root: the exact command, exit 1, no apt-get.
grep -vxF -e strace -e dkms "$tmp/list" > "$tmp/installed"
: > "$tmp/apt.log"
VW_DEPS_UID=1000 "$deps" > "$tmp/out" 2>&1
ok "missing, not root: exit 1" "$?" 1
ok "missing, not root: the command to run, no apt-get" \
	"$(grep '^sudo' "$tmp/out")$(cat "$tmp/apt.log")" \
	"sudo apt-get install -y --no-install-recommends strace dkms"

ktap_totals
