// SPDX-License-Identifier: GPL-2.0
/*
 * argv -> struct vw_endpoint.  Every failure prints one line quoting the
 * offending word, so a typo in a long command line is easy to spot.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "parse.h"

static FILE *errfile;

void parse_set_errfile(FILE *f)
{
	errfile = f;
}

__attribute__((format(printf, 1, 2)))
static void perr(const char *fmt, ...)
{
	FILE *f = errfile ? errfile : stderr;
	va_list ap;

	fputs("vwctl: ", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

static const char *const format_names[] = {
	[VW_FORMAT_VXLAN] = "vxlan",
};

const char *format_name(uint8_t format)
{
	if (format >= sizeof(format_names) / sizeof(format_names[0]))
		return NULL;
	return format_names[format];
}

/* strtoull() alone would take "-1", " 1" and "+1"; only digits pass here. */
static bool all_digits(const char *s, int base)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (base == 16 ? !isxdigit((unsigned char)*s) :
				 !isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool parse_u64(const char *s, int base, unsigned long long *v)
{
	char *end;

	if (!all_digits(s, base))
		return false;
	errno = 0;
	*v = strtoull(s, &end, base);
	return !errno && !*end;
}

bool parse_id(const char *s, uint32_t *id)
{
	unsigned long long v;
	bool ok;

	/* No octal: "010" is ten, as a person reading it would expect. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		ok = parse_u64(s + 2, 16, &v);
	else
		ok = parse_u64(s, 10, &v);
	if (!ok || v > UINT32_MAX) {
		perr("invalid ID '%s': expected 0-4294967295 (decimal or 0x hex)",
		     s);
		return false;
	}
	*id = v;
	return true;
}

bool parse_port(const char *s, uint16_t *port)
{
	unsigned long long v;

	if (!parse_u64(s, 10, &v) || v < 1 || v > 65535) {
		perr("invalid port '%s': expected 1-65535", s);
		return false;
	}
	*port = v;
	return true;
}

/* The kernel's dev_valid_name() rules, checked here for a clearer message. */
bool parse_ifname(const char *s, char name[IFNAMSIZ])
{
	size_t len = strlen(s);
	const char *p;

	if (len < 1 || len >= IFNAMSIZ) {
		perr("invalid device name '%s': expected 1-%d characters", s,
		     IFNAMSIZ - 1);
		return false;
	}
	if (!strcmp(s, ".") || !strcmp(s, "..")) {
		perr("invalid device name '%s': '.' and '..' are reserved", s);
		return false;
	}
	for (p = s; *p; p++) {
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p)) {
			perr("invalid device name '%s': '/', ':' and whitespace are not allowed",
			     s);
			return false;
		}
	}
	memcpy(name, s, len + 1);
	return true;
}

bool parse_format(const char *s, uint8_t *format)
{
	unsigned int i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (format_names[i] && !strcmp(s, format_names[i])) {
			*format = i;
			return true;
		}
	}
	perr("invalid format '%s': expected vxlan", s);
	return false;
}

bool parse_addr(const char *what, const char *s, int *family,
		union vw_addr *addr)
{
	if (inet_pton(AF_INET, s, &addr->v4) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &addr->v6) == 1) {
		*family = AF_INET6;
		return true;
	}
	perr("invalid %s address '%s': expected an IPv4 or IPv6 address",
	     what, s);
	return false;
}

bool parse_is_json_opt(const char *s)
{
	return !strcmp(s, "--json") || !strcmp(s, "-j");
}

static const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

enum add_kw { KW_DEV, KW_REMOTE, KW_LOCAL, KW_PORT, KW_FORMAT, KW_NR };

static const char *const add_keywords[KW_NR] = {
	[KW_DEV] = "dev",
	[KW_REMOTE] = "remote",
	[KW_LOCAL] = "local",
	[KW_PORT] = "port",
	[KW_FORMAT] = "format",
};

static int add_keyword(const char *s)
{
	int i;

	for (i = 0; i < KW_NR; i++)
		if (!strcmp(s, add_keywords[i]))
			return i;
	return -1;
}

bool parse_add(int argc, char **argv, struct vw_endpoint *ep,
	       struct vw_opts *opts)
{
	const char *given[KW_NR] = { NULL };
	const char *id_str = NULL;
	int local_family = AF_UNSPEC;
	uint8_t format;
	int i, kw;

	memset(ep, 0, sizeof(*ep));
	for (i = 0; i < argc; i++) {
		if (parse_is_json_opt(argv[i])) {
			opts->json = true;
			continue;
		}
		if (!id_str) {
			if (add_keyword(argv[i]) >= 0) {
				perr("add: missing connector ID: it comes first, 'vwctl add ID remote ADDR ...'");
				return false;
			}
			id_str = argv[i];
			if (!parse_id(id_str, &ep->id))
				return false;
			ep->has_id = true;
			continue;
		}
		kw = add_keyword(argv[i]);
		if (kw < 0) {
			perr("add: unknown keyword '%s': expected dev, remote, local, port or format",
			     argv[i]);
			return false;
		}
		if (given[kw]) {
			perr("add: '%s' given twice", argv[i]);
			return false;
		}
		if (i + 1 >= argc) {
			perr("add: '%s' needs a value", argv[i]);
			return false;
		}
		given[kw] = argv[++i];
		switch (kw) {
		case KW_DEV:
			if (!parse_ifname(given[kw], ep->ifname))
				return false;
			break;
		case KW_REMOTE:
			if (!parse_addr("remote", given[kw], &ep->family,
					&ep->remote))
				return false;
			ep->has_remote = true;
			break;
		case KW_LOCAL:
			if (!parse_addr("local", given[kw], &local_family,
					&ep->local))
				return false;
			ep->has_local = true;
			break;
		case KW_PORT:
			if (!parse_port(given[kw], &ep->port))
				return false;
			ep->has_port = true;
			break;
		case KW_FORMAT:
			if (!parse_format(given[kw], &ep->format))
				return false;
			ep->has_format = true;
			break;
		}
	}

	if (!id_str) {
		perr("add: missing connector ID: 'vwctl add ID remote ADDR ...'");
		return false;
	}
	if (!ep->has_remote) {
		perr("add: missing 'remote ADDR'");
		return false;
	}
	if (ep->has_local && local_family != ep->family) {
		perr("local address '%s' is %s but remote address '%s' is %s",
		     given[KW_LOCAL], family_name(local_family),
		     given[KW_REMOTE], family_name(ep->family));
		return false;
	}
	/* The kernel refuses this too; saying it here names the culprit. */
	format = ep->has_format ? ep->format : VW_FORMAT_VXLAN;
	if (format == VW_FORMAT_VXLAN && ep->id > VW_VXLAN_ID_MAX) {
		perr("invalid ID '%s': the vxlan format carries 24-bit IDs (0-%u)",
		     id_str, VW_VXLAN_ID_MAX);
		return false;
	}
	return true;
}

/* "ID" or "dev NAME": the two ways to name one endpoint. */
static bool parse_selector(const char *cmd, bool required, int argc,
			   char **argv, struct vw_endpoint *ep,
			   struct vw_opts *opts)
{
	bool named = false;
	int i;

	memset(ep, 0, sizeof(*ep));
	for (i = 0; i < argc; i++) {
		if (parse_is_json_opt(argv[i])) {
			opts->json = true;
			continue;
		}
		if (named) {
			perr("%s: unexpected argument '%s': name one connector, by ID or 'dev NAME'",
			     cmd, argv[i]);
			return false;
		}
		if (!strcmp(argv[i], "dev")) {
			if (i + 1 >= argc) {
				perr("%s: 'dev' needs a value", cmd);
				return false;
			}
			if (!parse_ifname(argv[++i], ep->ifname))
				return false;
		} else {
			if (!parse_id(argv[i], &ep->id))
				return false;
			ep->has_id = true;
		}
		named = true;
	}
	if (required && !named) {
		perr("%s: missing connector: give its ID or 'dev NAME'", cmd);
		return false;
	}
	return true;
}

bool parse_del(int argc, char **argv, struct vw_endpoint *ep,
	       struct vw_opts *opts)
{
	return parse_selector("del", true, argc, argv, ep, opts);
}

bool parse_show(int argc, char **argv, struct vw_endpoint *ep,
		struct vw_opts *opts)
{
	return parse_selector("show", false, argc, argv, ep, opts);
}
