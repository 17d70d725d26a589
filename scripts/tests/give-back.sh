#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of scripts/give-back.sh, run from a copy in a made-up
# repository: as root in a tree another user owns, what root made there
# (files, directories, links, in build/ and in the sources' folders) is
# that user's again, .git is left alone, and only the paths given when
# given; in a tree root owns, nothing changes.  Needs root (it is the case
# it handles).
set -uo pipefail

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

echo "KTAP version 1"
echo "1..6"
if [ "$(id -u)" != 0 ]; then
	for i in 1 2 3 4 5 6; do
		skip "give-back.sh" "not root: nothing to give back"
	done
	ktap_totals
	exit
fi

user=65534:65534	# nobody
# tree DIR: a repository with give-back.sh, owned by $user, and what root
# would leave in it.
tree() {
	mkdir -p "$1/scripts" "$1/.git/objects" "$1/userspace"
	cp "$(dirname "${BASH_SOURCE[0]}")/../give-back.sh" "$1/scripts/"
	chown -R "$user" "$1"
	mkdir -p "$1/build/vm/k/run.1" "$1/build/check"
	echo x > "$1/build/check/unit.log"
	echo x > "$1/userspace/vwctl.o"
	ln -s run.1 "$1/build/vm/k/last"
	echo x > "$1/.git/objects/pack"
}

# owners DIR PATH...: the owner of each PATH (a link itself, not its target).
owners() {
	local d=$1 p

	shift
	for p; do
		stat -c '%u' "$d/$p"
	done | tr '\n' ' '
}

tree "$tmp/a"
"$tmp/a/scripts/give-back.sh"
ok "exit 0" "$?" 0
ok "root's files, directories and links are the owner's" \
	"$(owners "$tmp/a" build build/vm/k/run.1 build/check/unit.log userspace/vwctl.o build/vm/k/last)" \
	"65534 65534 65534 65534 65534 "
ok "nothing of root's is left outside .git" \
	"$(find "$tmp/a" -path "$tmp/a/.git" -prune -o -uid 0 -print)" ""
ok ".git is left alone" "$(owners "$tmp/a" .git/objects/pack)" "0 "

tree "$tmp/b"
"$tmp/b/scripts/give-back.sh" "$tmp/b/build/vm"
ok "only the paths given" \
	"$(owners "$tmp/b" build/vm/k/run.1 build/check/unit.log userspace/vwctl.o)" \
	"65534 0 0 "

tree "$tmp/c"
chown 0:0 "$tmp/c"
"$tmp/c/scripts/give-back.sh"
ok "a tree root owns: nothing changes" \
	"$(owners "$tmp/c" build/check/unit.log userspace/vwctl.o)" "0 0 "

ktap_totals
