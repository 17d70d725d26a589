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

#include "options.h"
#include "parse.h"
#include "units.h"

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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const format_names[] = {
	[VW_FORMAT_VXLAN] = "vxlan",
	[VW_FORMAT_VW] = "vw",
};

static const char *const wire_names[] = {
	[VW_WIRE_UDP] = "udp",
	[VW_WIRE_LOCAL] = "local",
};

static const char *const df_names[] = {
	[VW_DF_UNSET] = "unset",
	[VW_DF_SET] = "set",
	[VW_DF_INHERIT] = "inherit",
};

static const char *const state_names[] = {
	[VW_STATE_ACTIVE] = "active",
	[VW_STATE_STANDBY] = "standby",
	[VW_STATE_RELAY] = "relay",
};

static const char *enum_name(const char *const *names, size_t n, uint8_t v)
{
	return v < n ? names[v] : NULL;
}

const char *format_name(uint8_t format)
{
	return enum_name(format_names, ARRAY_SIZE(format_names), format);
}

const char *wire_name(uint8_t wire)
{
	return enum_name(wire_names, ARRAY_SIZE(wire_names), wire);
}

const char *df_name(uint8_t df)
{
	return enum_name(df_names, ARRAY_SIZE(df_names), df);
}

const char *state_name(uint8_t state)
{
	return enum_name(state_names, ARRAY_SIZE(state_names), state);
}

/* The index of s in names, or -1. */
static int enum_lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	return -1;
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

/*
 * A number, decimal or 0x hex, up to UINT32_MAX.  No octal: "010" is
 * ten, as a person reading it would expect.
 */
static bool parse_u32_hex(const char *s, uint32_t *v)
{
	unsigned long long u;
	bool ok;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		ok = parse_u64(s + 2, 16, &u);
	else
		ok = parse_u64(s, 10, &u);
	if (!ok || u > UINT32_MAX)
		return false;
	*v = u;
	return true;
}

bool parse_id(const char *s, uint32_t *id)
{
	if (parse_u32_hex(s, id))
		return true;
	perr("invalid ID '%s': expected 0-4294967295 (decimal or 0x hex)", s);
	return false;
}

/* A UDP port; what names it in the message ("port", "srcport"). */
static bool parse_port_what(const char *what, const char *s, uint16_t *port)
{
	unsigned long long v;

	if (!parse_u64(s, 10, &v) || v < 1 || v > 65535) {
		perr("invalid %s '%s': expected 1-65535", what, s);
		return false;
	}
	*port = v;
	return true;
}

bool parse_port(const char *s, uint16_t *port)
{
	return parse_port_what("port", s, port);
}

bool parse_srcport(const char *min, const char *max, uint16_t *lo,
		   uint16_t *hi)
{
	uint16_t a, b;

	if (!parse_port_what("srcport", min, &a) ||
	    !parse_port_what("srcport", max, &b))
		return false;
	if (a > b) {
		perr("invalid srcport range '%s %s': MIN must not exceed MAX",
		     min, max);
		return false;
	}
	*lo = a;
	*hi = b;
	return true;
}

bool parse_ttl(const char *s, uint16_t *ttl)
{
	unsigned long long v;

	if (!strcmp(s, "auto")) {
		*ttl = VW_TTL_AUTO;
		return true;
	}
	if (!strcmp(s, "inherit")) {
		*ttl = VW_TTL_INHERIT;
		return true;
	}
	/* 0 is VW_TTL_AUTO on the wire: a typed 0 is a mistake, not "auto". */
	if (!parse_u64(s, 10, &v) || v < 1 || v > 255) {
		perr("invalid ttl '%s': expected 1-255, auto or inherit", s);
		return false;
	}
	*ttl = v;
	return true;
}

bool parse_tos(const char *s, uint16_t *tos)
{
	unsigned long long v;
	bool ok;

	if (!strcmp(s, "inherit")) {
		*tos = VW_TOS_INHERIT;
		return true;
	}
	/* DSCP values are often written in hex (0xb8 for EF). */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		ok = parse_u64(s + 2, 16, &v);
	else
		ok = parse_u64(s, 10, &v);
	if (!ok || v > 255) {
		perr("invalid tos '%s': expected 0-255 (decimal or 0x hex) or inherit",
		     s);
		return false;
	}
	*tos = v;
	return true;
}

bool parse_df(const char *s, uint8_t *df)
{
	int v = enum_lookup(df_names, ARRAY_SIZE(df_names), s);

	if (v < 0) {
		perr("invalid df '%s': expected set, unset or inherit", s);
		return false;
	}
	*df = v;
	return true;
}

bool parse_onoff(const char *what, const char *s, bool *v)
{
	if (!strcmp(s, "on")) {
		*v = true;
		return true;
	}
	if (!strcmp(s, "off")) {
		*v = false;
		return true;
	}
	perr("invalid %s '%s': expected on or off", what, s);
	return false;
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
	int v = enum_lookup(format_names, ARRAY_SIZE(format_names), s);

	if (v < 0) {
		perr("invalid format '%s': expected vxlan or vw", s);
		return false;
	}
	*format = v;
	return true;
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

bool parse_local(const char *s, int *family, union vw_addr *addr)
{
	if (!strcmp(s, "any")) {
		memset(addr, 0, sizeof(*addr));
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET, s, &addr->v4) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &addr->v6) == 1) {
		*family = AF_INET6;
		return true;
	}
	perr("invalid local address '%s': expected an IPv4 or IPv6 address or any",
	     s);
	return false;
}

/* One end of "rate MIN MAX" (which: "MIN", "MAX"); "unlimited" for MAX. */
static bool parse_rate_end(const char *which, const char *s, bool max_end,
			   uint64_t *v)
{
	if (max_end && !strcmp(s, "unlimited")) {
		*v = VW_RATE_UNLIMITED;
		return true;
	}
	switch (units_parse_rate(s, VW_RATE_LIMIT, v)) {
	case UNITS_OK:
		break;
	case UNITS_TOO_BIG:
		perr("invalid rate %s '%s': above 8796gbit (2^40 bytes per second), the largest taken%s",
		     which, s, max_end ? "; give unlimited for none" : "");
		return false;
	case UNITS_TOO_SMALL:
		perr("invalid rate %s '%s': below 8bit, one byte per second",
		     which, s);
		return false;
	default:
		perr("invalid rate %s '%s': expected a rate as tc writes it: 100mbit, 10gbit, 12500kbps ...%s",
		     which, s, max_end ? " or unlimited" : "");
		return false;
	}
	/* 0 as MAX would send nothing: set the device down for that. */
	if (max_end && !*v) {
		perr("invalid rate MAX '%s': it would send nothing; give unlimited for no maximum",
		     s);
		return false;
	}
	return true;
}

bool parse_rate(const char *min, const char *max, uint64_t *lo, uint64_t *hi)
{
	uint64_t a, b;

	if (!parse_rate_end("MIN", min, false, &a) ||
	    !parse_rate_end("MAX", max, true, &b))
		return false;
	if (a > b) {
		perr("invalid rate '%s %s': MIN %s is above MAX %s", min, max,
		     min, max);
		return false;
	}
	*lo = a;
	*hi = b;
	return true;
}

bool parse_burst(const char *s, uint32_t *burst)
{
	uint64_t v;

	switch (units_parse_size(s, UINT32_MAX, &v)) {
	case UNITS_OK:
		break;
	case UNITS_TOO_BIG:
		perr("invalid burst '%s': above 4294967295 bytes (4g - 1)", s);
		return false;
	default:
		perr("invalid burst '%s': expected a size as tc writes it: 64k, 1m, 1500b ...",
		     s);
		return false;
	}
	if (!v) {
		perr("invalid burst '%s': a burst of 0 bytes would let nothing through",
		     s);
		return false;
	}
	*burst = v;
	return true;
}

/*
 * An skb priority: a number (decimal or 0x hex) or, as tc writes class
 * IDs, MAJOR:MINOR in hex ("1:10" is 0x00010010).
 */
bool parse_priority(const char *s, uint32_t *prio)
{
	const char *colon = strchr(s, ':');
	unsigned long long maj, min;
	char head[16];

	if (!colon) {
		if (parse_u32_hex(s, prio))
			return true;
	} else if ((size_t)(colon - s) < sizeof(head)) {
		memcpy(head, s, colon - s);
		head[colon - s] = '\0';
		if (parse_u64(head, 16, &maj) && maj <= 0xffff &&
		    parse_u64(colon + 1, 16, &min) && min <= 0xffff) {
			*prio = maj << 16 | min;
			return true;
		}
	}
	perr("invalid priority '%s': expected 0-4294967295 (decimal or 0x hex) or a class ID MAJOR:MINOR in hex, as tc writes it (1:10)",
	     s);
	return false;
}

bool parse_mark(const char *s, uint32_t *mark)
{
	if (parse_u32_hex(s, mark))
		return true;
	perr("invalid mark '%s': expected 0-4294967295 (decimal or 0x hex)",
	     s);
	return false;
}

bool parse_u32_range(const char *what, const char *s, uint32_t min,
		     uint32_t max, uint32_t *v)
{
	unsigned long long u;

	if (!parse_u64(s, 10, &u) || u < min || u > max) {
		perr("invalid %s '%s': expected %u-%u", what, s, min, max);
		return false;
	}
	*v = u;
	return true;
}

/* "ADDR/LEN" or "ADDR" (a host); the host bits must be zero. */
static bool parse_prefix(const char *s, struct vw_prefix *pf)
{
	char buf[INET6_ADDRSTRLEN + 5];
	unsigned long long len;
	const uint8_t *a;
	char *slash;
	int max, i;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, &pf->addr.v4) == 1)
		pf->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &pf->addr.v6) == 1)
		pf->family = AF_INET6;
	else
		goto bad;
	max = pf->family == AF_INET ? 32 : 128;
	len = max;
	if (slash && (!parse_u64(slash + 1, 10, &len) || len > (unsigned)max))
		goto bad;
	pf->len = len;
	a = (const uint8_t *)&pf->addr;
	for (i = len; i < max; i++) {
		if (a[i / 8] & (0x80 >> (i % 8))) {
			perr("invalid accept prefix '%s': bits set beyond /%llu",
			     s, len);
			return false;
		}
	}
	return true;
bad:
	perr("invalid accept prefix '%s': expected ADDR/LEN or ADDR, IPv4 or IPv6",
	     s);
	return false;
}

/*
 * A comma-separated list of up to max items, each parsed by one(); "none"
 * for an empty list.  what names the list in messages.
 */
static bool parse_list(const char *what, const char *s, int max, int *n,
		       bool (*one)(const char *item, void *out, int i),
		       void *out)
{
	char buf[1024], *item, *next;

	*n = 0;
	if (!strcmp(s, "none"))
		return true;
	if (strlen(s) >= sizeof(buf) || !*s) {
		perr("invalid %s '%s'", what, s);
		return false;
	}
	strcpy(buf, s);
	for (item = buf; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		if (!*item) {
			perr("invalid %s '%s': an empty item", what, s);
			return false;
		}
		if (*n == max) {
			perr("invalid %s '%s': at most %d", what, s, max);
			return false;
		}
		if (!one(item, out, *n))
			return false;
		(*n)++;
	}
	return true;
}

static bool accept_one(const char *item, void *out, int i)
{
	return parse_prefix(item, &((struct vw_prefix *)out)[i]);
}

bool parse_accept(const char *s, struct vw_endpoint *ep)
{
	int n;

	if (!parse_list("accept list", s, VW_ACCEPT_MAX, &n, accept_one,
			ep->accept))
		return false;
	ep->naccept = n;
	ep->has_accept = true;
	return true;
}

static bool mac_one(const char *item, void *out, int i)
{
	uint8_t *mac = ((uint8_t (*)[6])out)[i];
	unsigned int b[6];
	char end;
	int k;

	if (sscanf(item, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
		   &b[3], &b[4], &b[5], &end) != 6 || strlen(item) != 17) {
		perr("invalid vm-mac '%s': expected a MAC address, 52:54:00:12:34:56",
		     item);
		return false;
	}
	for (k = 0; k < 6; k++)
		mac[k] = b[k];
	if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] |
			      mac[5])) {
		perr("invalid vm-mac '%s': not a unicast MAC address", item);
		return false;
	}
	return true;
}

bool parse_vm_mac(const char *s, struct vw_endpoint *ep)
{
	int n;

	if (!parse_list("vm-mac list", s, VW_VM_MAC_MAX, &n, mac_one,
			ep->vm_mac))
		return false;
	ep->nvm_mac = n;
	ep->has_vm_mac = true;
	return true;
}

static bool is_pretty_opt(const char *s)
{
	return !strcmp(s, "--pretty") || !strcmp(s, "-p");
}

bool parse_is_json_opt(const char *s)
{
	return !strcmp(s, "--json") || !strcmp(s, "-j") || is_pretty_opt(s);
}

void parse_json_opt(const char *s, struct vw_opts *opts)
{
	opts->json = true;
	if (is_pretty_opt(s))
		opts->pretty = true;
}

static const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/* The words of add and set after the ID, by row of vw_options[]. */
struct config_words {
	const char *given[VW_OPTIONS_MAX];	/* the (first) value of each row */
};

/* The value of keyword in w, or NULL. */
static const char *given(const struct config_words *w, const char *keyword)
{
	int i = option_index(keyword);

	return i >= 0 ? w->given[i] : NULL;
}

/*
 * The keywords of add (dev_ok) and set from argv[i] on, into ep.  Checks
 * each value and the combinations that are wrong whatever the endpoint
 * already is; the rest is up to the caller and the kernel.
 */
static bool parse_config(const char *cmd, bool dev_ok, int argc, char **argv,
			 int i, struct vw_endpoint *ep, struct vw_opts *opts,
			 struct config_words *w)
{
	unsigned int where = dev_ok ? OPT_ADD : OPT_SET;
	const struct vw_option *o;
	int k;

	for (; i < argc; i++) {
		if (parse_is_json_opt(argv[i])) {
			parse_json_opt(argv[i], opts);
			continue;
		}
		k = option_index(argv[i]);
		o = k >= 0 ? &vw_options[k] : NULL;
		if (o && !(o->where & where)) {
			if (!strcmp(o->keyword, "dev"))
				perr("%s: 'dev' names the endpoint and comes first, in place of the ID",
				     cmd);
			else if (!strcmp(o->keyword, "active"))
				perr("%s: 'active' is for set; a new endpoint is active unless 'standby'",
				     cmd);
			else
				perr("%s: '%s' is not an option of %s", cmd,
				     argv[i], cmd);
			return false;
		}
		if (!o) {
			perr("%s: unknown option '%s': expected %s", cmd,
			     argv[i], option_keyword_list(where));
			return false;
		}
		if (w->given[k]) {
			perr("%s: '%s' given twice", cmd, argv[i]);
			return false;
		}
		if (!o->nargs && (given(w, "standby") || given(w, "active"))) {
			perr("%s: 'standby' and 'active' exclude each other",
			     cmd);
			return false;
		}
		if (o->nargs == 2 && i + 2 >= argc) {
			perr("%s: '%s' needs two values, MIN and MAX", cmd,
			     argv[i]);
			return false;
		}
		if (i + o->nargs >= argc) {
			perr("%s: '%s' needs a value", cmd, argv[i]);
			return false;
		}
		w->given[k] = o->nargs ? argv[i + 1] : argv[i];
		if (!o->parse(argv + i + 1, ep))
			return false;
		i += o->nargs;
	}

	if (ep->has_remote && ep->has_peer) {
		perr("%s: 'remote %s' and 'peer %s' exclude each other: a wire goes to a remote host or to a local peer",
		     cmd, given(w, "remote"), given(w, "peer"));
		return false;
	}
	if (ep->has_peer && !strcmp(ep->peer_ifname, ep->ifname)) {
		perr("%s: 'peer %s' is the endpoint itself", cmd,
		     given(w, "peer"));
		return false;
	}
	/* "any" fits either family; the kernel cannot say which word was wrong. */
	if (ep->has_remote && ep->has_local && strcmp(given(w, "local"), "any") &&
	    ep->local_family != ep->family) {
		perr("local address '%s' is %s but remote address '%s' is %s",
		     given(w, "local"), family_name(ep->local_family),
		     given(w, "remote"), family_name(ep->family));
		return false;
	}
	return true;
}

/* add and replace (cmd): the same words. */
static bool parse_new(const char *cmd, int argc, char **argv,
		      struct vw_endpoint *ep, struct vw_opts *opts)
{
	struct config_words w = { { NULL } };
	const char *id_str = NULL;
	uint8_t format;
	int i;

	memset(ep, 0, sizeof(*ep));
	for (i = 0; i < argc && !id_str; i++) {
		if (parse_is_json_opt(argv[i])) {
			parse_json_opt(argv[i], opts);
			continue;
		}
		if (option_index(argv[i]) >= 0) {
			perr("%s: missing connector ID: it comes first, 'vwctl %s ID remote ADDR ...'",
			     cmd, cmd);
			return false;
		}
		id_str = argv[i];
		if (!parse_id(id_str, &ep->id))
			return false;
		ep->has_id = true;
	}
	if (!id_str) {
		perr("%s: missing connector ID: 'vwctl %s ID remote ADDR ...'",
		     cmd, cmd);
		return false;
	}
	if (!parse_config(cmd, true, argc, argv, i, ep, opts, &w))
		return false;
	if (!ep->has_remote && !ep->has_peer) {
		perr("%s: missing 'remote ADDR' or 'peer DEV'", cmd);
		return false;
	}
	/* The kernel refuses this too; saying it here names the culprit. */
	format = ep->has_format ? ep->format : VW_FORMAT_VXLAN;
	if (format == VW_FORMAT_VXLAN && ep->id > VW_VXLAN_ID_MAX) {
		perr("invalid ID '%s': the vxlan format carries 24-bit IDs (0-%u); 'format vw' carries 32",
		     id_str, VW_VXLAN_ID_MAX);
		return false;
	}
	return true;
}

bool parse_add(int argc, char **argv, struct vw_endpoint *ep,
	       struct vw_opts *opts)
{
	return parse_new("add", argc, argv, ep, opts);
}

bool parse_replace(int argc, char **argv, struct vw_endpoint *ep,
		   struct vw_opts *opts)
{
	return parse_new("replace", argc, argv, ep, opts);
}

/*
 * The ID/format check of add is the kernel's here: only it knows the
 * format of an endpoint that this command does not change.
 */
bool parse_set(int argc, char **argv, struct vw_endpoint *ep,
	       struct vw_opts *opts)
{
	struct config_words w = { { NULL } };
	bool named = false;
	int i, kw;

	memset(ep, 0, sizeof(*ep));
	for (i = 0; i < argc && !named; i++) {
		if (parse_is_json_opt(argv[i])) {
			parse_json_opt(argv[i], opts);
			continue;
		}
		kw = option_index(argv[i]);
		if (kw >= 0 && !strcmp(argv[i], "dev")) {
			if (i + 1 >= argc) {
				perr("set: 'dev' needs a value");
				return false;
			}
			if (!parse_ifname(argv[++i], ep->ifname))
				return false;
		} else if (kw >= 0) {
			break;
		} else {
			if (!parse_id(argv[i], &ep->id))
				return false;
			ep->has_id = true;
		}
		named = true;
	}
	if (!named) {
		perr("set: missing endpoint: its ID or 'dev NAME' comes first, 'vwctl set ID remote ADDR ...'");
		return false;
	}
	if (!parse_config("set", false, argc, argv, i, ep, opts, &w))
		return false;
	for (kw = 0; kw < (int)vw_noptions; kw++)
		if (w.given[kw])
			return true;
	perr("set: nothing to change: expected %s",
	     option_keyword_list(OPT_SET));
	return false;
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
			parse_json_opt(argv[i], opts);
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

bool parse_stats(int argc, char **argv, struct vw_endpoint *ep,
		 struct vw_opts *opts)
{
	return parse_selector("stats", false, argc, argv, ep, opts);
}

bool parse_sla(int argc, char **argv, struct vw_sla_args *a)
{
	memset(a, 0, sizeof(*a));
	if (argc < 1 || strcmp(argv[0], "show-tc")) {
		perr("sla: expected show-tc DEV capacity RATE%s%s%s",
		     argc ? ", not '" : "", argc ? argv[0] : "",
		     argc ? "'" : "");
		return false;
	}
	if (argc != 4 || strcmp(argv[2], "capacity")) {
		perr("sla: show-tc takes DEV capacity RATE: the underlay device and what it carries");
		return false;
	}
	if (strlen(argv[1]) >= IFNAMSIZ || !argv[1][0]) {
		perr("invalid dev '%s': a device name, 1-%d characters", argv[1],
		     IFNAMSIZ - 1);
		return false;
	}
	strcpy(a->dev, argv[1]);
	switch (units_parse_rate(argv[3], VW_RATE_LIMIT, &a->capacity)) {
	case UNITS_OK:
		if (a->capacity)
			return true;
		break;
	case UNITS_TOO_BIG:
		perr("invalid capacity '%s': above 8796gbit (2^40 bytes per second), the largest taken",
		     argv[3]);
		return false;
	default:
		break;
	}
	perr("invalid capacity '%s': expected a rate as tc writes it, above 0: 1gbit, 100mbit ...",
	     argv[3]);
	return false;
}

/* "MIN" or "MIN-MAX", MIN not above MAX. */
static bool parse_id_range(const char *s, uint32_t *min, uint32_t *max)
{
	const char *dash = strchr(s, '-');
	char lo[16];

	if (!dash) {
		if (!parse_id(s, min))
			return false;
		*max = *min;
		return true;
	}
	if ((size_t)(dash - s) >= sizeof(lo)) {
		perr("invalid ID '%.*s': expected 0-4294967295 (decimal or 0x hex)",
		     (int)(dash - s < 32 ? dash - s : 32), s);
		return false;
	}
	memcpy(lo, s, dash - s);
	lo[dash - s] = '\0';
	if (!parse_id(lo, min) || !parse_id(dash + 1, max))
		return false;
	if (*min > *max) {
		perr("flush: invalid range '%s': MIN is above MAX", s);
		return false;
	}
	return true;
}

bool parse_flush(int argc, char **argv, struct vw_flush *f,
		 struct vw_opts *opts)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < argc; i++) {
		if (parse_is_json_opt(argv[i])) {
			parse_json_opt(argv[i], opts);
			continue;
		}
		if (f->has_range || strcmp(argv[i], "id")) {
			perr("flush: unexpected argument '%s': expected 'id MIN[-MAX]' once",
			     argv[i]);
			return false;
		}
		if (i + 1 >= argc) {
			perr("flush: 'id' needs a value, MIN or MIN-MAX");
			return false;
		}
		if (!parse_id_range(argv[++i], &f->min, &f->max))
			return false;
		f->has_range = true;
	}
	return true;
}

bool parse_monitor(int argc, char **argv, struct vw_opts *opts)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-t") || !strcmp(argv[i], "--timestamp")) {
			opts->timestamp = true;
			continue;
		}
		if (!parse_is_json_opt(argv[i])) {
			perr("monitor: unexpected argument '%s': monitor takes only --json, --pretty and -t",
			     argv[i]);
			return false;
		}
		parse_json_opt(argv[i], opts);
	}
	return true;
}

/* The blanks of a batch line; '\r' too, for files written on Windows. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

bool parse_batch_line(char *line, size_t len, int *argc, char **argv,
		      int max)
{
	char *p = line, *end = line + len;
	int n = 0;

	*argc = 0;
	argv[0] = NULL;
	/* A NUL would silently cut the line short: say so instead. */
	if (memchr(line, '\0', len)) {
		perr("invalid line: it holds a NUL byte");
		return false;
	}
	for (;;) {
		while (p < end && is_blank(*p))
			p++;
		if (p == end || *p == '#')
			break;
		argv[n] = p;
		while (p < end && !is_blank(*p))
			p++;
		if (n == max) {
			perr("too many words: '%.*s' is word %d, at most %d",
			     (int)(p - argv[n] < 32 ? p - argv[n] : 32), argv[n],
			     n + 1, max);
			return false;
		}
		n++;
		if (p < end)
			*p++ = '\0';
	}
	argv[n] = NULL;
	*argc = n;
	return true;
}

void batch_init(struct batch *b, FILE *f)
{
	memset(b, 0, sizeof(*b));
	b->f = f;
}

int batch_next(struct batch *b)
{
	ssize_t len;

	for (;;) {
		errno = 0;
		len = getline(&b->line, &b->cap, b->f);
		if (len < 0)
			return ferror(b->f) || errno == ENOMEM ?
			       BATCH_READ_ERROR : BATCH_END;
		b->lineno++;
		if (!parse_batch_line(b->line, len, &b->argc, b->argv,
				      BATCH_MAX_WORDS))
			return BATCH_BAD;
		if (b->argc)
			return BATCH_CMD;
	}
}

void batch_free(struct batch *b)
{
	free(b->line);
	b->line = NULL;
	b->cap = 0;
}
