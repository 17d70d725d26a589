# SPDX-License-Identifier: GPL-2.0
#
# The names of the code that no message may show a user (sourced by
# selftests/lib.sh and scripts/tests/messages.sh, which says why and where
# they are looked for).
#
#   internal_names_re [TOP]   an extended regex of the internal names: the
#                             identifiers include/uapi/linux/virtualwire.h
#                             and kmod/*.h define, any VW_* constant, the
#                             netlink, libnl and socket constants, and
#                             names of code (extack, nla_*() ...)
#   errno_names_re            an extended regex of the errno names (EINVAL,
#                             ENOENT...), from the system's headers
#   internal_names_in FILE    the lines of FILE that show one of either;
#                             fails when there is none
#   no_internal_names FILE    succeeds when no line of FILE shows one,
#                             and prints those that do

internal_names_re()
{
	local top=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)}
	local defined

	# Upper-case identifiers with an underscore, include guards left out.
	defined=$(cat "$top/include/uapi/linux/virtualwire.h" "$top"/kmod/*.h \
			2> /dev/null |
		grep -oE '^#define +[A-Z][A-Z0-9]*_[A-Z0-9_]+|^[[:space:]]+[A-Z][A-Z0-9]*_[A-Z0-9_]+[[:space:]]*(,|=)' |
		grep -oE '[A-Z][A-Z0-9]*_[A-Z0-9_]+' | grep -v '_H$' |
		sort -u | paste -sd '|')
	printf '%s' "\\b(${defined:+$defined|}_*VW_[A-Z0-9_]+|IFLA_[A-Z0-9_]+|NLA_[A-Z0-9_]+|NLM_F_[A-Z0-9_]+|NLMSG[A-Z0-9_]*|NETLINK_[A-Z0-9_]+|GENL_[A-Z0-9_]+|CTRL_(ATTR|CMD)_[A-Z0-9_]+|NLE_[A-Z0-9_]+|RTM_[A-Z0-9_]+|AF_[A-Z0-9_]+|SOL_[A-Z0-9_]+|SO_[A-Z0-9_]+|IPPROTO_[A-Z0-9_]+|ETH_P_[A-Z0-9_]+)\\b|\\bextack\\b|\\b(nla|genl|nl|vw|vwd)_[a-z0-9_]+\\(|->"
}

errno_names_re()
{
	local names

	names=$(cat /usr/include/asm-generic/errno-base.h \
			/usr/include/asm-generic/errno.h 2> /dev/null |
		grep -oE '^#define[[:space:]]+E[A-Z0-9]+' | awk '{ print $2 }' |
		sort -u | paste -sd '|')
	# Without the headers, the ones a netlink or socket call returns.
	: "${names:=EPERM|ENOENT|ESRCH|EINTR|EIO|ENXIO|E2BIG|EBADF|EAGAIN|ENOMEM|EACCES|EFAULT|EBUSY|EEXIST|ENODEV|EINVAL|ENOSPC|ERANGE|ENOTUNIQ|EOPNOTSUPP|EAFNOSUPPORT|EADDRINUSE|EADDRNOTAVAIL|ENOBUFS|EMSGSIZE|ENOTSUPP|EPROTO}"
	printf '%s' "\\b($names)\\b"
}

internal_names_in()
{
	grep -E "$(internal_names_re)|$(errno_names_re)" "$1"
}

no_internal_names()
{
	! internal_names_in "$1"
}
