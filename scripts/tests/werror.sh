#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP tests of userspace/Makefile's -Werror: on by default (make check
# builds that way), off with WERROR=0 for a distribution's build, and
# CFLAGS come after it (so CFLAGS=-Wno-error overrides it); the warnings
# themselves stay.  Reads the compile lines make would run (make -n -B),
# builds nothing.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"

# line ARGS...: make's command compiling vwctl.c.
line() {
	make -s -n -B -C "$top/userspace" "$@" vwctl.o 2> /dev/null |
		grep -E -- '-c -o vwctl\.o vwctl\.c'
}

# has LINE WORD: yes or no.
has() {
	case " $1 " in
	*" $2 "*) echo yes ;;
	*) echo no ;;
	esac
}

echo "KTAP version 1"
echo "1..6"

def=$(line)
ok "default: a compile line" "$([ -n "$def" ] && echo yes)" yes
ok "default: -Werror" "$(has "$def" -Werror)" yes
off=$(line WERROR=0)
ok "WERROR=0: no -Werror" "$(has "$off" -Werror)" no
ok "WERROR=0: -Wall -Wextra stay" "$(has "$off" -Wall)$(has "$off" -Wextra)" yesyes
cf=$(line CFLAGS="-O2 -Wno-error")
ok "CFLAGS=-Wno-error comes after -Werror" \
	"$(awk '{ for (i = 1; i <= NF; i++) { if ($i == "-Werror") w = i; if ($i == "-Wno-error") n = i } print (w && n > w) ? "yes" : "no" }' <<< "$cf")" yes
fz=$(make -s -n -B -C "$top/userspace" WERROR=0 tests/fuzz_parse 2> /dev/null)
ok "WERROR=0: not in the fuzzer's line either" "$(has "$fz" -Werror)" no

ktap_totals
