#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP: no message a user can see names an internal constant.  Whoever
# runs vwctl, writes /proc/net/virtualwire/control, reads the kernel log or
# the man page sees the words they type (ID, dev NAME, remote, port, add,
# flush...), never the names of the code.
#
# What is read, generically (no list of messages to keep in step):
#   - every string literal of kmod/*.[ch] and userspace/*.[ch] (comments and
#     #include lines left out, adjacent literals joined): extended ack
#     messages (NL_SET_ERR_MSG*, policy reject messages, the #defines they
#     use), pr_*/net_*_ratelimited formats, seq_printf() of /proc, vwctl's
#     errors, usage and help text, its JSON keys and printed words;
#   - the text of userspace/vwctl.8 (roff comments and escapes left out);
#   - the bash completion, userspace/completion/*: its quoted words;
#   - the quoted messages in the documentation: lines of README.md,
#     Documentation/*.rst and vwctl.8 that start with "vwctl: " or
#     "virtualwire: ", as vwctl and the kernel log print them.
#
# Internal names, refused wherever the above is read:
#   - the identifiers the uapi header include/uapi/linux/virtualwire.h and
#     kmod/*.h define (VW_A_*, VW_CMD_*, VW_STATS_*, IFLA_VW_*...), and any
#     VW_* in upper case;
#   - netlink, libnl and kernel constants: IFLA_*, NLA_*, NLM_F_*, NLMSG*,
#     NETLINK_*, GENL_*, CTRL_ATTR_*, CTRL_CMD_*, NLE_*, RTM_*, AF_*, SOL_*,
#     SO_*, IPPROTO_*, ETH_P_*;
#   - code: extack, an nla_*/genl_*/vw_* function name, "->" (a member).
# And, in messages (every string of the code, the quoted lines of the
# documentation): errno names (EINVAL, ENOENT...: strerror()'s words are
# what a user reads), taken from the system's errno headers.  The man page
# may name an errno where it documents what write(2) or recv(2) returns,
# as man pages do; CAP_NET_ADMIN is the capability's own name and allowed.
#
# The same check runs on what the programs really print in the VM:
# selftests/cli.sh (vwctl's errors over a range of bad commands),
# selftests/netlink.sh (every extended ack of a raw request), proc.sh (the
# kernel log of the control file) and vwfuzz_nl (every extended ack of the
# fuzzer), all through selftests/internal_names.sh, which this test uses
# too.  A self-test first: planted messages are caught.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=scripts/tests/ktap.bash
source "$(dirname "${BASH_SOURCE[0]}")/ktap.bash"
# shellcheck source=selftests/internal_names.sh
source "$top/selftests/internal_names.sh"

# strings FILE...: one line per string, "FILE:LINE: TEXT" (newlines in the
# text as \n).  C: every literal; roff: every text line; bash: every quoted
# word.
strings() {
	python3 - "$@" <<'EOF'
import re, sys

def c_strings(path, text):
    """String literals of C source, comments and #include lines left out;
    adjacent literals joined."""
    out, i, n, line = [], 0, len(text), 1
    cur, cur_line, last_end = None, 0, 0
    while i < n:
        c = text[i]
        if c == '\n':
            line += 1
            i += 1
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            line += text.count('\n', i, j)
            i = j
        elif text.startswith('//', i):
            i = text.find('\n', i)
            i = n if i < 0 else i
        elif c == '#' and text[text.rfind('\n', 0, i) + 1:i].strip() == '' \
                and re.match(r'#\s*include\b', text[i:]):
            i = text.find('\n', i)
            i = n if i < 0 else i
        elif c == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == '\\' else 1
            i = j + 1
        elif c == '"':
            j, s = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == '\\':
                    s.append(text[j:j + 2])
                    j += 2
                else:
                    s.append(text[j])
                    j += 1
            s = ''.join(s)
            if cur is not None and text[last_end:i].strip() == '':
                cur += s
            else:
                if cur is not None:
                    out.append((cur_line, cur))
                cur, cur_line = s, line
            line += text.count('\n', i, j)
            i = last_end = j + 1
        else:
            i += 1
    if cur is not None:
        out.append((cur_line, cur))
    return out

def roff_strings(path, text):
    out = []
    for no, l in enumerate(text.split('\n'), 1):
        if l.startswith('.\\"') or l.startswith("'\\\""):
            continue
        l = re.sub(r'\\f[BIRP]|\\f\(..|\\&|\\%', '', l)
        l = re.sub(r'\\\((aq|dq|em|en)', "'", l).replace('\\-', '-')
        l = re.sub(r'^\.[A-Za-z]+\s*', '', l)
        if l.strip():
            out.append((no, l))
    return out

def sh_strings(path, text):
    out = []
    for no, l in enumerate(text.split('\n'), 1):
        if l.lstrip().startswith('#'):
            continue
        for m in re.finditer(r'"([^"]*)"|\'([^\']*)\'', l):
            s = m.group(1) if m.group(1) is not None else m.group(2)
            # Shell variables are the script's own, not words it prints.
            s = re.sub(r'\$\{?[A-Za-z_][A-Za-z0-9_]*\}?', '', s)
            out.append((no, s))
    return out

for path in sys.argv[1:]:
    text = open(path, encoding='utf-8', errors='replace').read()
    if path.endswith(('.c', '.h')):
        got = c_strings(path, text)
    elif re.search(r'\.[1-9]$', path):
        got = roff_strings(path, text)
    else:
        got = sh_strings(path, text)
    for no, s in got:
        print('%s:%d: %s' % (path, no, s.replace('\n', '\\n')))
EOF
}

# quoted FILE...: the lines of documentation quoting a message.
quoted() {
	grep -HnE '^[[:space:]`>]*(vwctl|virtualwire|virtualwire-hook): ' "$@" |
		sed -E 's/^([^:]*:[0-9]+:)[[:space:]`>]*/\1 /'
}

# bad LIST_FILE PATTERN: the lines of LIST_FILE whose text matches PATTERN.
bad() {
	grep -E "^[^:]*:[0-9]+: .*($2)" "$1"
}

# check DESC LIST_FILE PATTERN: a test point that no line matches; the
# offenders as diagnostics.
check() {
	local hits
	hits=$(bad "$2" "$3")
	ok "$1" "${hits:+offenders}" ""
	[ -z "$hits" ] || sed "s|^$top/|# |" <<< "$hits" | head -n 30
}

names=$(internal_names_re "$top") || { echo "Bail out! no internal names"; exit 1; }
errnos=$(errno_names_re) || { echo "Bail out! no errno names"; exit 1; }

echo "TAP version 13"
echo "1..11"

# Self-test: planted offenders are found, clean words pass.
cat > "$tmp/plant.c" <<'EOF'
/* VW_A_ID in a comment is fine */
#include "VW_A_ID.h"
static const char *ok1 = "no endpoint has this connector ID";
#define BAD1 "VW_A_ID: missing"
static void f(void) { NL_SET_ERR_MSG(e, "the ID " "is above IFLA_VW_ID"); }
static const char *bad3 = "refused (ENOENT)";
static const char c = '"';
static const char *bad4 = "see nla_put_u32()";
EOF
strings "$tmp/plant.c" > "$tmp/plant.list"
ok "self-test: C literals found, comments and #include left out" \
	"$(cut -d' ' -f2- "$tmp/plant.list" | tr '\n' '|')" \
	"no endpoint has this connector ID|VW_A_ID: missing|the ID is above IFLA_VW_ID|refused (ENOENT)|see nla_put_u32()|"
ok "self-test: the internal names and errno names are caught" \
	"$(bad "$tmp/plant.list" "$names|$errnos" | wc -l)" 4

# The sources.
strings "$top"/kmod/*.[ch] > "$tmp/kmod.list"
strings "$top"/userspace/*.[ch] > "$tmp/vwctl.list"
strings "$top"/userspace/vwctl.8 > "$tmp/man.list"
strings "$top"/userspace/completion/* > "$tmp/completion.list"
quoted "$top"/README.md "$top"/Documentation/*.rst "$top"/userspace/vwctl.8 \
	> "$tmp/quoted.list"

# The extraction sees the messages it is meant to: a guard against a
# parser that silently finds nothing.
ok "kmod: the extended ack, policy, log and /proc strings are read" \
	"$(grep -cE ': (no endpoint has this connector ID|read-only|control: |id +dev|not taken here)' "$tmp/kmod.list" | awk '{ print ($1 >= 5) }')" 1
ok "vwctl: its errors and usage are read" \
	"$(grep -cE ': (Usage: vwctl|vwctl: |unknown command)' "$tmp/vwctl.list" | awk '{ print ($1 >= 3) }')" 1
ok "vwctl.8 and the documentation: text and quoted messages are read" \
	"$(grep -c ' vwctl: ' "$tmp/quoted.list" | awk '{ print ($1 >= 1) }')$(wc -l < "$tmp/man.list" | awk '{ print ($1 >= 100) }')" 11

check "kmod: no internal name or errno name in a message" \
	"$tmp/kmod.list" "$names|$errnos"
check "vwctl: no internal name or errno name in a message, usage or help" \
	"$tmp/vwctl.list" "$names|$errnos"
check "vwctl.8: no internal name" "$tmp/man.list" "$names"
check "completion: no internal name" "$tmp/completion.list" "$names"
check "documentation: no internal name or errno name in a quoted message" \
	"$tmp/quoted.list" "$names|$errnos"
ok "the uapi header maps each attribute to its vwctl word" \
	"$(grep -c 'attribute  *vwctl word' "$top/include/uapi/linux/virtualwire.h")" 1

ktap_totals
