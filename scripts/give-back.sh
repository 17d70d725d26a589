#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# give-back.sh [PATH...]
#
# Run as root in a repository that another user owns, give that user back
# every file root made under PATH (default: the whole repository but
# .git): build/, objects, the selftests' programs, logs, VM run
# directories, the debug kernel's cache.  A later make or make check run
# by the owner can then rewrite them.  The Makefile calls it at the end of
# all, check and demo, scripts/vm-run.sh for its run directories.  Does
# nothing when not root, or when root owns the repository (CI's clone).

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
[ "$(id -u)" = 0 ] || exit 0
owner=$(stat -c %u:%g "$top")
[ "${owner%%:*}" != 0 ] || exit 0
[ $# -gt 0 ] || set -- "$top"
for p; do
	[ -e "$p" ] || continue
	find "$p" -xdev -path "$top/.git" -prune -o -uid 0 -print0 |
		xargs -0 -r chown -h "$owner"
done
