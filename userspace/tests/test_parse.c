// SPDX-License-Identifier: GPL-2.0
/* The argv parsers: every accepted form and every error message. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ktap.h"
#include "parse.h"
#include "units.h"

static FILE *errf;
static char *errbuf;
static size_t errlen;

static void err_reset(void)
{
	if (errf)
		fclose(errf);
	free(errbuf);
	errbuf = NULL;
	errf = open_memstream(&errbuf, &errlen);
	parse_set_errfile(errf);
}

static const char *err_text(void)
{
	fflush(errf);
	return errbuf ? errbuf : "";
}

/*
 * An error must be exactly one line "vwctl: ..." that contains want
 * (which quotes the bad word).
 */
static void check_error(const char *want)
{
	const char *e = err_text();
	const char *nl = strchr(e, '\n');

	if (!CHECK(!strncmp(e, "vwctl: ", 7)) ||
	    !CHECK(nl && nl[1] == '\0') || !CHECK(strstr(e, want)))
		ktap_diag("stderr was: '%s', wanted '%s'", e, want);
}

static void check_silent(void)
{
	if (!CHECK(err_text()[0] == '\0'))
		ktap_diag("unexpected stderr: '%s'", err_text());
}

/* ---- single values ---- */

struct value_case {
	const char *in;
	bool ok;
	unsigned long long want;	/* when ok */
	const char *err;		/* when not */
};

static const struct value_case id_cases[] = {
	{ "0", true, 0, NULL },
	{ "42", true, 42, NULL },
	{ "010", true, 10, NULL },
	{ "16777216", true, 16777216, NULL },
	{ "4294967295", true, 4294967295ULL, NULL },
	{ "0x2A", true, 42, NULL },
	{ "0XfF", true, 255, NULL },
	{ "0xffffffff", true, 0xffffffffULL, NULL },
	{ "", false, 0, "invalid ID '': expected 0-4294967295 (decimal or 0x hex)" },
	{ "abc", false, 0, "invalid ID 'abc'" },
	{ "-1", false, 0, "invalid ID '-1'" },
	{ "+1", false, 0, "invalid ID '+1'" },
	{ " 1", false, 0, "invalid ID ' 1'" },
	{ "1 ", false, 0, "invalid ID '1 '" },
	{ "1.5", false, 0, "invalid ID '1.5'" },
	{ "4294967296", false, 0, "invalid ID '4294967296'" },
	{ "99999999999999999999999", false, 0,
	  "invalid ID '99999999999999999999999'" },
	{ "0x", false, 0, "invalid ID '0x'" },
	{ "0x100000000", false, 0, "invalid ID '0x100000000'" },
	{ "0xg", false, 0, "invalid ID '0xg'" },
};

static const struct value_case port_cases[] = {
	{ "1", true, 1, NULL },
	{ "4789", true, 4789, NULL },
	{ "65535", true, 65535, NULL },
	{ "0", false, 0, "invalid port '0': expected 1-65535" },
	{ "65536", false, 0, "invalid port '65536': expected 1-65535" },
	{ "abc", false, 0, "invalid port 'abc': expected 1-65535" },
	{ "", false, 0, "invalid port '': expected 1-65535" },
	{ "-1", false, 0, "invalid port '-1'" },
	{ "80x", false, 0, "invalid port '80x'" },
	{ "0x50", false, 0, "invalid port '0x50'" },
	{ "18446744073709551617", false, 0,
	  "invalid port '18446744073709551617'" },
};

static const struct value_case ttl_cases[] = {
	{ "1", true, 1, NULL },
	{ "64", true, 64, NULL },
	{ "255", true, 255, NULL },
	{ "auto", true, VW_TTL_AUTO, NULL },
	{ "inherit", true, VW_TTL_INHERIT, NULL },
	{ "0", false, 0, "invalid ttl '0': expected 1-255, auto or inherit" },
	{ "256", false, 0, "invalid ttl '256': expected 1-255, auto or inherit" },
	{ "x", false, 0, "invalid ttl 'x': expected 1-255, auto or inherit" },
	{ "", false, 0, "invalid ttl ''" },
	{ "-1", false, 0, "invalid ttl '-1'" },
	{ "0x40", false, 0, "invalid ttl '0x40'" },
	{ "AUTO", false, 0, "invalid ttl 'AUTO'" },
	{ "65536", false, 0, "invalid ttl '65536'" },
};

static const struct value_case tos_cases[] = {
	{ "0", true, 0, NULL },
	{ "184", true, 184, NULL },
	{ "255", true, 255, NULL },
	{ "0xb8", true, 0xb8, NULL },
	{ "0XFF", true, 255, NULL },
	{ "010", true, 10, NULL },
	{ "inherit", true, VW_TOS_INHERIT, NULL },
	{ "256", false, 0,
	  "invalid tos '256': expected 0-255 (decimal or 0x hex) or inherit" },
	{ "0x100", false, 0, "invalid tos '0x100'" },
	{ "0x", false, 0, "invalid tos '0x'" },
	{ "ef", false, 0, "invalid tos 'ef'" },
	{ "-1", false, 0, "invalid tos '-1'" },
	{ "", false, 0, "invalid tos ''" },
	{ "auto", false, 0, "invalid tos 'auto'" },
};

static const struct value_case df_cases[] = {
	{ "unset", true, VW_DF_UNSET, NULL },
	{ "set", true, VW_DF_SET, NULL },
	{ "inherit", true, VW_DF_INHERIT, NULL },
	{ "bogus", false, 0, "invalid df 'bogus': expected set, unset or inherit" },
	{ "on", false, 0, "invalid df 'on'" },
	{ "1", false, 0, "invalid df '1'" },
	{ "", false, 0, "invalid df ''" },
	{ "SET", false, 0, "invalid df 'SET'" },
};

static const struct value_case onoff_cases[] = {
	{ "on", true, 1, NULL },
	{ "off", true, 0, NULL },
	{ "maybe", false, 0, "invalid csum 'maybe': expected on or off" },
	{ "1", false, 0, "invalid csum '1': expected on or off" },
	{ "yes", false, 0, "invalid csum 'yes'" },
	{ "ON", false, 0, "invalid csum 'ON'" },
	{ "", false, 0, "invalid csum ''" },
};

static bool value_id(const char *s, unsigned long long *v)
{
	uint32_t x = 0;
	bool ok = parse_id(s, &x);

	*v = x;
	return ok;
}

static bool value_port(const char *s, unsigned long long *v)
{
	uint16_t x = 0;
	bool ok = parse_port(s, &x);

	*v = x;
	return ok;
}

static bool value_ttl(const char *s, unsigned long long *v)
{
	uint16_t x = 0;
	bool ok = parse_ttl(s, &x);

	*v = x;
	return ok;
}

static bool value_tos(const char *s, unsigned long long *v)
{
	uint16_t x = 0;
	bool ok = parse_tos(s, &x);

	*v = x;
	return ok;
}

static bool value_df(const char *s, unsigned long long *v)
{
	uint8_t x = 0xff;
	bool ok = parse_df(s, &x);

	*v = x;
	return ok;
}

static bool value_onoff(const char *s, unsigned long long *v)
{
	bool x = false;
	bool ok = parse_onoff("csum", s, &x);

	*v = x;
	return ok;
}

static void run_value_cases(const char *what,
			    bool (*fn)(const char *, unsigned long long *),
			    const struct value_case *c, size_t n)
{
	unsigned long long got;
	bool ok;
	size_t i;

	for (i = 0; i < n; i++, c++) {
		ktap_begin("parse_%s '%s' %s", what, c->in,
			   c->ok ? "accepted" : "rejected");
		err_reset();
		ok = fn(c->in, &got);
		CHECK(ok == c->ok);
		if (c->ok) {
			if (!CHECK(got == c->want))
				ktap_diag("got %llu, want %llu", got, c->want);
			check_silent();
		} else {
			check_error(c->err);
		}
		ktap_end();
	}
}

#define VALUE_CASES(what, cases) \
	run_value_cases(#what, value_##what, cases, \
			sizeof(cases) / sizeof(cases[0]))

static void test_srcport(void)
{
	static const struct {
		const char *min, *max;
		unsigned int lo, hi;	/* when accepted */
		const char *err;	/* NULL: accepted */
	} cases[] = {
		{ "49152", "65535", 49152, 65535, NULL },
		{ "1", "1", 1, 1, NULL },
		{ "1", "65535", 1, 65535, NULL },
		{ "10", "5", 0, 0,
		  "invalid srcport range '10 5': MIN must not exceed MAX" },
		{ "0", "5", 0, 0, "invalid srcport '0': expected 1-65535" },
		{ "5", "65536", 0, 0, "invalid srcport '65536': expected 1-65535" },
		{ "x", "5", 0, 0, "invalid srcport 'x'" },
		{ "5", "csum", 0, 0, "invalid srcport 'csum'" },
		{ "", "5", 0, 0, "invalid srcport ''" },
	};
	uint16_t lo, hi;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ktap_begin("parse_srcport '%s %s' %s", cases[i].min,
			   cases[i].max, cases[i].err ? "rejected" : "accepted");
		err_reset();
		lo = hi = 7;
		if (!cases[i].err) {
			CHECK(parse_srcport(cases[i].min, cases[i].max, &lo,
					    &hi));
			CHECK(lo == cases[i].lo && hi == cases[i].hi);
			check_silent();
		} else {
			CHECK(!parse_srcport(cases[i].min, cases[i].max, &lo,
					     &hi));
			/* A refused range leaves the old one alone. */
			CHECK(lo == 7 && hi == 7);
			check_error(cases[i].err);
		}
		ktap_end();
	}
}

static void test_local(void)
{
	union vw_addr a;
	struct in6_addr a6;
	int family;

	ktap_begin("parse_local 'any' is all-zero IPv4");
	err_reset();
	memset(&a, 0xff, sizeof(a));
	family = AF_UNSPEC;
	CHECK(parse_local("any", &family, &a));
	CHECK(family == AF_INET && a.v4.s_addr == 0);
	check_silent();
	ktap_end();

	ktap_begin("parse_local IPv4 and IPv6 addresses");
	err_reset();
	CHECK(parse_local("192.0.2.1", &family, &a));
	CHECK(family == AF_INET && ntohl(a.v4.s_addr) == 0xc0000201);
	CHECK(parse_local("2001:db8::1", &family, &a));
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	CHECK(family == AF_INET6 && !memcmp(&a.v6, &a6, 16));
	check_silent();
	ktap_end();

	ktap_begin("parse_local 'anywhere' rejected");
	err_reset();
	CHECK(!parse_local("anywhere", &family, &a));
	check_error("invalid local address 'anywhere': expected an IPv4 or IPv6 address or any");
	ktap_end();
}

static void test_enum_names(void)
{
	ktap_begin("wire_name and df_name");
	CHECK_STR(wire_name(VW_WIRE_UDP), "udp");
	CHECK_STR(wire_name(VW_WIRE_LOCAL), "local");
	CHECK(wire_name(VW_WIRE_LOCAL + 1) == NULL);
	CHECK_STR(df_name(VW_DF_UNSET), "unset");
	CHECK_STR(df_name(VW_DF_SET), "set");
	CHECK_STR(df_name(VW_DF_INHERIT), "inherit");
	CHECK(df_name(VW_DF_MAX + 1) == NULL);
	CHECK(df_name(255) == NULL);
	ktap_end();
}

static const struct {
	const char *in;
	const char *err;	/* NULL: valid */
} ifname_cases[] = {
	{ "vw0", NULL },
	{ "a", NULL },
	{ "vw%d", NULL },
	{ "fifteen-chars-x", NULL },
	{ "", "invalid device name '': expected 1-15 characters" },
	{ "sixteen-chars-xx",
	  "invalid device name 'sixteen-chars-xx': expected 1-15 characters" },
	{ "a/b", "invalid device name 'a/b': '/', ':' and whitespace are not allowed" },
	{ "a b", "invalid device name 'a b'" },
	{ "a\tb", "invalid device name 'a\tb'" },
	{ "a:b", "invalid device name 'a:b'" },
	{ ".", "invalid device name '.': '.' and '..' are reserved" },
	{ "..", "invalid device name '..'" },
};

static void test_ifname(void)
{
	char name[IFNAMSIZ];
	size_t i;

	for (i = 0; i < sizeof(ifname_cases) / sizeof(ifname_cases[0]); i++) {
		ktap_begin("parse_ifname '%s' %s", ifname_cases[i].in,
			   ifname_cases[i].err ? "rejected" : "accepted");
		err_reset();
		memset(name, 'x', sizeof(name));
		if (!ifname_cases[i].err) {
			CHECK(parse_ifname(ifname_cases[i].in, name));
			CHECK_STR(name, ifname_cases[i].in);
			check_silent();
		} else {
			CHECK(!parse_ifname(ifname_cases[i].in, name));
			check_error(ifname_cases[i].err);
		}
		ktap_end();
	}
}

static void test_format(void)
{
	const char *bad[] = { "geneve", "VXLAN", "", "vxlan ", "VW", "vw0" };
	uint8_t f = 0xff;
	size_t i;

	ktap_begin("parse_format 'vxlan' accepted");
	err_reset();
	CHECK(parse_format("vxlan", &f));
	CHECK(f == VW_FORMAT_VXLAN);
	check_silent();
	ktap_end();

	ktap_begin("parse_format 'vw' accepted");
	err_reset();
	CHECK(parse_format("vw", &f));
	CHECK(f == VW_FORMAT_VW);
	check_silent();
	ktap_end();

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[64];

		ktap_begin("parse_format '%s' rejected", bad[i]);
		err_reset();
		CHECK(!parse_format(bad[i], &f));
		snprintf(want, sizeof(want),
			 "invalid format '%s': expected vxlan or vw", bad[i]);
		check_error(want);
		ktap_end();
	}

	ktap_begin("format_name");
	CHECK_STR(format_name(VW_FORMAT_VXLAN), "vxlan");
	CHECK_STR(format_name(VW_FORMAT_VW), "vw");
	CHECK(format_name(VW_FORMAT_MAX + 1) == NULL);
	CHECK(format_name(255) == NULL);
	ktap_end();
}

static void test_addr(void)
{
	static const struct {
		const char *in;
		int family;	/* AF_UNSPEC: rejected */
	} cases[] = {
		{ "192.0.2.1", AF_INET },
		{ "0.0.0.0", AF_INET },
		{ "2001:db8::1", AF_INET6 },
		{ "::1", AF_INET6 },
		{ "::ffff:192.0.2.1", AF_INET6 },
		{ "1.2.3", AF_UNSPEC },
		{ "256.1.1.1", AF_UNSPEC },
		{ "192.0.2.1/24", AF_UNSPEC },
		{ "host.example", AF_UNSPEC },
		{ "", AF_UNSPEC },
		{ "2001:db8:::1", AF_UNSPEC },
		{ "fe80::1%eth0", AF_UNSPEC },
	};
	union vw_addr a, want;
	char msg[128];
	int family;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ktap_begin("parse_addr '%s' %s", cases[i].in,
			   cases[i].family ? "accepted" : "rejected");
		err_reset();
		family = -1;
		if (cases[i].family) {
			CHECK(parse_addr("remote", cases[i].in, &family, &a));
			CHECK(family == cases[i].family);
			inet_pton(cases[i].family, cases[i].in, &want);
			CHECK(!memcmp(&a, &want, cases[i].family == AF_INET ?
				      4 : 16));
			check_silent();
		} else {
			CHECK(!parse_addr("local", cases[i].in, &family, &a));
			snprintf(msg, sizeof(msg),
				 "invalid local address '%s': expected an IPv4 or IPv6 address",
				 cases[i].in);
			check_error(msg);
		}
		ktap_end();
	}
}

/* ---- whole command lines ---- */

#define ARGS(...) ((const char *[]){ __VA_ARGS__, NULL })
#define NOARGS ((const char *[]){ NULL })

static int count(const char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

static bool run_cmd(const char *cmd, const char **argv, struct vw_endpoint *ep,
		    struct vw_opts *opts)
{
	char **v = (char **)argv;

	err_reset();
	memset(opts, 0, sizeof(*opts));
	memset(ep, 0xa5, sizeof(*ep));	/* the parser must reset it */
	if (!strcmp(cmd, "add"))
		return parse_add(count(argv), v, ep, opts);
	if (!strcmp(cmd, "set"))
		return parse_set(count(argv), v, ep, opts);
	if (!strcmp(cmd, "del"))
		return parse_del(count(argv), v, ep, opts);
	if (!strcmp(cmd, "stats"))
		return parse_stats(count(argv), v, ep, opts);
	return parse_show(count(argv), v, ep, opts);
}

static char *join(const char **argv)
{
	static char buf[512];
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; argv[i]; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? " " : "", argv[i]);
	return buf;
}

static const struct {
	const char *cmd;
	const char **argv;
	const char *err;
} cmd_errors[] = {
	{ "add", NOARGS, "add: missing connector ID" },
	{ "add", ARGS("remote", "192.0.2.2"), "add: missing connector ID" },
	{ "add", ARGS("--json"), "add: missing connector ID" },
	{ "add", ARGS("abc", "remote", "192.0.2.2"), "invalid ID 'abc'" },
	{ "add", ARGS("-5", "remote", "192.0.2.2"), "invalid ID '-5'" },
	{ "add", ARGS("16777216", "remote", "192.0.2.2"),
	  "invalid ID '16777216': the vxlan format carries 24-bit IDs (0-16777215); 'format vw' carries 32" },
	{ "add", ARGS("16777216", "peer", "vwB"),
	  "invalid ID '16777216': the vxlan format" },
	{ "add", ARGS("4294967296", "remote", "192.0.2.2", "format", "vw"),
	  "invalid ID '4294967296': expected 0-4294967295" },
	{ "add", ARGS("0x100000000", "format", "vw", "peer", "vwB"),
	  "invalid ID '0x100000000'" },
	{ "add", ARGS("0x1000000", "remote", "192.0.2.2", "format", "vxlan"),
	  "invalid ID '0x1000000': the vxlan format" },
	{ "add", ARGS("4294967295", "remote", "192.0.2.2"),
	  "invalid ID '4294967295': the vxlan format" },
	{ "add", ARGS("42"), "add: missing 'remote ADDR' or 'peer DEV'" },
	{ "add", ARGS("42", "format", "vw", "ttl", "64"),
	  "add: missing 'remote ADDR' or 'peer DEV'" },
	{ "add", ARGS("42", "dev", "vw0", "port", "5"),
	  "add: missing 'remote ADDR'" },
	{ "add", ARGS("42", "remote"), "add: 'remote' needs a value" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "port"),
	  "add: 'port' needs a value" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "dev"),
	  "add: 'dev' needs a value" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "remote", "192.0.2.3"),
	  "add: 'remote' given twice" },
	{ "add", ARGS("42", "port", "1", "remote", "192.0.2.2", "port", "1"),
	  "add: 'port' given twice" },
	{ "add", ARGS("42", "dev", "a", "remote", "::1", "dev", "b"),
	  "add: 'dev' given twice" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "bogus", "1"),
	  "add: unknown option 'bogus': expected dev, remote, peer, local, port, format, ttl, tos, df, srcport, csum, udp6zerocsumtx, udp6zerocsumrx, accept, roam, roam-holddown, relay, hold, hold-time, vm-mac, rate, burst, priority, mark or standby" },
	{ "add", ARGS("ttl", "64", "remote", "192.0.2.2"),
	  "add: missing connector ID" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "active"),
	  "add: 'active' is for set; a new endpoint is active unless 'standby'" },
	{ "set", ARGS("42", "standby", "active"),
	  "set: 'standby' and 'active' exclude each other" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "accept", "198.51.100.1/24"),
	  "invalid accept prefix '198.51.100.1/24': bits set beyond /24" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "accept", "10.0.0.0/33"),
	  "invalid accept prefix '10.0.0.0/33': expected ADDR/LEN or ADDR, IPv4 or IPv6" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "accept",
		      "1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,4.0.0.0/8,5.0.0.0/8,6.0.0.0/8,7.0.0.0/8,8.0.0.0/8,9.0.0.0/8"),
	  "invalid accept list '1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,4.0.0.0/8,5.0.0.0/8,6.0.0.0/8,7.0.0.0/8,8.0.0.0/8,9.0.0.0/8': at most 8" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "vm-mac", "01:00:5e:00:00:01"),
	  "invalid vm-mac '01:00:5e:00:00:01': not a unicast MAC address" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "vm-mac", "52:54:00:12:34"),
	  "invalid vm-mac '52:54:00:12:34': expected a MAC address, 52:54:00:12:34:56" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "hold", "0"),
	  "invalid hold (frames) '0': expected 1-65536" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "hold-time", "60001"),
	  "invalid hold-time (ms) '60001': expected 1-60000" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "accept", "192.0.2.0/24,,198.51.100.1"),
	  "invalid accept list '192.0.2.0/24,,198.51.100.1': an empty item" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "vm-mac", "52:54:00:12:34:56,"),
	  "invalid vm-mac list '52:54:00:12:34:56,': an empty item" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "roam-holddown", "99"),
	  "invalid roam-holddown (ms) '99': expected 100-60000" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "roam", "yes"),
	  "invalid roam 'yes': expected on or off" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "relay", "nowhere"),
	  "invalid relay address 'nowhere': expected an IPv4 or IPv6 address" },
	{ "add", ARGS("42", "43", "remote", "192.0.2.2"),
	  "add: unknown option '43'" },
	{ "add", ARGS("42", "remote", "192.0.2.300"),
	  "invalid remote address '192.0.2.300'" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "local", "nowhere"),
	  "invalid local address 'nowhere'" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "local", "2001:db8::1"),
	  "local address '2001:db8::1' is IPv6 but remote address '192.0.2.2' is IPv4" },
	{ "add", ARGS("42", "local", "192.0.2.1", "remote", "2001:db8::2"),
	  "local address '192.0.2.1' is IPv4 but remote address '2001:db8::2' is IPv6" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "port", "0"),
	  "invalid port '0': expected 1-65535" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "port", "65536"),
	  "invalid port '65536': expected 1-65535" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "port", "abc"),
	  "invalid port 'abc': expected 1-65535" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "dev", "much-too-long-name"),
	  "invalid device name 'much-too-long-name': expected 1-15 characters" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "format", "geneve"),
	  "invalid format 'geneve'" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "peer", "vwB"),
	  "add: 'remote 192.0.2.2' and 'peer vwB' exclude each other" },
	{ "add", ARGS("42", "peer", "vwB", "remote", "2001:db8::2"),
	  "add: 'remote 2001:db8::2' and 'peer vwB' exclude each other" },
	{ "add", ARGS("42", "peer"), "add: 'peer' needs a value" },
	{ "add", ARGS("42", "peer", "a/b"), "invalid device name 'a/b'" },
	{ "add", ARGS("42", "peer", "vwA", "peer", "vwB"),
	  "add: 'peer' given twice" },
	{ "add", ARGS("42", "dev", "vwA", "peer", "vwA"),
	  "add: 'peer vwA' is the endpoint itself" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "local", "anywhere"),
	  "invalid local address 'anywhere'" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "format", "vw", "format", "vw"),
	  "add: 'format' given twice" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "ttl", "0"),
	  "invalid ttl '0': expected 1-255, auto or inherit" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "ttl", "256"),
	  "invalid ttl '256'" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "ttl", "x"),
	  "invalid ttl 'x'" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "ttl"),
	  "add: 'ttl' needs a value" },
	{ "add", ARGS("42", "ttl", "1", "remote", "192.0.2.2", "ttl", "2"),
	  "add: 'ttl' given twice" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "tos", "256"),
	  "invalid tos '256': expected 0-255 (decimal or 0x hex) or inherit" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "tos", "inherit", "tos", "0"),
	  "add: 'tos' given twice" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "df", "bogus"),
	  "invalid df 'bogus': expected set, unset or inherit" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "df"),
	  "add: 'df' needs a value" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "srcport", "10", "5"),
	  "invalid srcport range '10 5': MIN must not exceed MAX" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "srcport", "10"),
	  "add: 'srcport' needs two values, MIN and MAX" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "srcport"),
	  "add: 'srcport' needs two values, MIN and MAX" },
	{ "add", ARGS("42", "srcport", "10", "remote", "192.0.2.2"),
	  "invalid srcport 'remote': expected 1-65535" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "srcport", "0", "10"),
	  "invalid srcport '0': expected 1-65535" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "srcport", "1", "2",
		      "srcport", "1", "2"),
	  "add: 'srcport' given twice" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "csum", "maybe"),
	  "invalid csum 'maybe': expected on or off" },
	{ "add", ARGS("42", "remote", "192.0.2.2", "csum"),
	  "add: 'csum' needs a value" },
	{ "add", ARGS("42", "remote", "2001:db8::2", "udp6zerocsumtx", "1"),
	  "invalid udp6zerocsumtx '1': expected on or off" },
	{ "add", ARGS("42", "remote", "2001:db8::2", "udp6zerocsumrx", "yes"),
	  "invalid udp6zerocsumrx 'yes': expected on or off" },
	{ "add", ARGS("42", "remote", "2001:db8::2", "udp6zerocsumrx", "on",
		      "udp6zerocsumrx", "off"),
	  "add: 'udp6zerocsumrx' given twice" },
	{ "set", NOARGS,
	  "set: missing endpoint: its ID or 'dev NAME' comes first" },
	{ "set", ARGS("--json"), "set: missing endpoint" },
	{ "set", ARGS("remote", "192.0.2.2"), "set: missing endpoint" },
	{ "set", ARGS("42"),
	  "set: nothing to change: expected remote, peer, local, port, format, ttl, tos, df, srcport, csum, udp6zerocsumtx, udp6zerocsumrx, accept, roam, roam-holddown, relay, hold, hold-time, vm-mac, rate, burst, priority, mark, standby or active" },
	{ "set", ARGS("dev", "vw0"), "set: nothing to change" },
	{ "set", ARGS("dev", "vw0", "-j"), "set: nothing to change" },
	{ "set", ARGS("dev"), "set: 'dev' needs a value" },
	{ "set", ARGS("dev", "a:b", "ttl", "1"), "invalid device name 'a:b'" },
	{ "set", ARGS("xyz", "ttl", "1"), "invalid ID 'xyz'" },
	{ "set", ARGS("4294967296", "ttl", "1"), "invalid ID '4294967296'" },
	{ "set", ARGS("42", "dev", "vw0", "ttl", "1"),
	  "set: 'dev' names the endpoint and comes first, in place of the ID" },
	{ "set", ARGS("dev", "vw0", "dev", "vw1"), "set: 'dev' names the endpoint" },
	{ "set", ARGS("42", "43"),
	  "set: unknown option '43': expected remote, peer, local, port, format, ttl, tos, df, srcport, csum, udp6zerocsumtx, udp6zerocsumrx, accept, roam, roam-holddown, relay, hold, hold-time, vm-mac, rate, burst, priority, mark, standby or active" },
	{ "set", ARGS("42", "remote", "192.0.2.2", "peer", "vwB"),
	  "set: 'remote 192.0.2.2' and 'peer vwB' exclude each other" },
	{ "set", ARGS("dev", "vwA", "peer", "vwA"),
	  "set: 'peer vwA' is the endpoint itself" },
	{ "set", ARGS("42", "remote", "192.0.2.2", "local", "2001:db8::1"),
	  "local address '2001:db8::1' is IPv6 but remote address '192.0.2.2' is IPv4" },
	{ "set", ARGS("42", "ttl", "0"), "invalid ttl '0'" },
	{ "set", ARGS("42", "tos", "256"), "invalid tos '256'" },
	{ "set", ARGS("42", "df", "bogus"), "invalid df 'bogus'" },
	{ "set", ARGS("42", "srcport", "10", "5"),
	  "invalid srcport range '10 5'" },
	{ "set", ARGS("42", "srcport", "10"),
	  "set: 'srcport' needs two values, MIN and MAX" },
	{ "set", ARGS("42", "csum", "maybe"), "invalid csum 'maybe'" },
	{ "set", ARGS("42", "format", "geneve"), "invalid format 'geneve'" },
	{ "set", ARGS("42", "port", "0"), "invalid port '0'" },
	{ "set", ARGS("42", "port", "1", "port", "2"), "set: 'port' given twice" },
	{ "set", ARGS("42", "local"), "set: 'local' needs a value" },
	{ "del", NOARGS, "del: missing connector: give its ID or 'dev NAME'" },
	{ "del", ARGS("-j"), "del: missing connector" },
	{ "del", ARGS("xyz"), "invalid ID 'xyz'" },
	{ "del", ARGS("42", "43"), "del: unexpected argument '43'" },
	{ "del", ARGS("42", "dev", "vw0"), "del: unexpected argument 'dev'" },
	{ "del", ARGS("dev", "vw0", "42"), "del: unexpected argument '42'" },
	{ "del", ARGS("dev"), "del: 'dev' needs a value" },
	{ "del", ARGS("dev", "a/b"), "invalid device name 'a/b'" },
	{ "show", ARGS("xyz"), "invalid ID 'xyz'" },
	{ "show", ARGS("42", "43"), "show: unexpected argument '43'" },
	{ "show", ARGS("dev"), "show: 'dev' needs a value" },
	{ "show", ARGS("dev", "sixteen-chars-xx"),
	  "invalid device name 'sixteen-chars-xx'" },
	{ "stats", ARGS("xyz"), "invalid ID 'xyz'" },
	{ "stats", ARGS("42", "43"), "stats: unexpected argument '43'" },
	{ "stats", ARGS("dev"), "stats: 'dev' needs a value" },
	{ "stats", ARGS("dev", "vw0", "--frob"),
	  "stats: unexpected argument '--frob'" },
};

static void test_cmd_errors(void)
{
	struct vw_endpoint ep;
	struct vw_opts opts;
	size_t i;

	for (i = 0; i < sizeof(cmd_errors) / sizeof(cmd_errors[0]); i++) {
		ktap_begin("%s '%s' rejected", cmd_errors[i].cmd,
			   join(cmd_errors[i].argv));
		CHECK(!run_cmd(cmd_errors[i].cmd, cmd_errors[i].argv, &ep,
			       &opts));
		check_error(cmd_errors[i].err);
		ktap_end();
	}
}

static void test_add_ok(void)
{
	struct vw_endpoint ep;
	struct vw_opts opts;
	union vw_addr a;

	ktap_begin("add: every keyword fills the model (IPv4)");
	CHECK(run_cmd("add", ARGS("42", "dev", "vw0", "remote", "192.0.2.2",
				  "local", "192.0.2.1", "port", "4790",
				  "format", "vxlan"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 42);
	CHECK_STR(ep.ifname, "vw0");
	CHECK(ep.family == AF_INET);
	inet_pton(AF_INET, "192.0.2.2", &a.v4);
	CHECK(ep.has_remote && !memcmp(&ep.remote.v4, &a.v4, 4));
	inet_pton(AF_INET, "192.0.2.1", &a.v4);
	CHECK(ep.has_local && !memcmp(&ep.local.v4, &a.v4, 4));
	CHECK(ep.has_port && ep.port == 4790);
	CHECK(ep.has_format && ep.format == VW_FORMAT_VXLAN);
	CHECK(!ep.has_stats && ep.ifindex == 0);
	CHECK(!opts.json);
	ktap_end();

	ktap_begin("add: keywords in any order, IPv6, --json ignored");
	CHECK(run_cmd("add", ARGS("0x10", "local", "2001:db8::1", "--json",
				  "remote", "2001:db8::2"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 16);
	CHECK(ep.family == AF_INET6);
	inet_pton(AF_INET6, "2001:db8::2", &a.v6);
	CHECK(ep.has_remote && !memcmp(&ep.remote.v6, &a.v6, 16));
	inet_pton(AF_INET6, "2001:db8::1", &a.v6);
	CHECK(ep.has_local && !memcmp(&ep.local.v6, &a.v6, 16));
	CHECK(opts.json);
	ktap_end();

	ktap_begin("add: only remote leaves the rest to the kernel");
	CHECK(run_cmd("add", ARGS("7", "remote", "192.0.2.2"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 7);
	CHECK(ep.ifname[0] == '\0');
	CHECK(!ep.has_local && !ep.has_port && !ep.has_format);
	ktap_end();

	ktap_begin("add: largest vxlan ID 16777215 accepted");
	CHECK(run_cmd("add", ARGS("16777215", "remote", "192.0.2.2"), &ep,
		      &opts));
	check_silent();
	CHECK(ep.id == VW_VXLAN_ID_MAX);
	ktap_end();

	ktap_begin("add: ID 0 accepted");
	CHECK(run_cmd("add", ARGS("0", "remote", "192.0.2.2"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 0);
	ktap_end();
}

/* Nothing but the keyword under test may be set, to keep set requests exact. */
static bool only_remote(const struct vw_endpoint *ep)
{
	return !ep->has_peer && !ep->has_local && !ep->has_port &&
	       !ep->has_format && !ep->has_ttl && !ep->has_tos &&
	       !ep->has_df && !ep->has_srcport && !ep->has_csum &&
	       !ep->has_udp6zcsum_tx && !ep->has_udp6zcsum_rx &&
	       !ep->has_wire && !ep->has_stats;
}

static void test_add_options(void)
{
	struct vw_endpoint ep;
	struct vw_opts opts;

	ktap_begin("add: every option fills the model");
	CHECK(run_cmd("add", ARGS("42", "dev", "vw0", "remote", "2001:db8::2",
				  "local", "2001:db8::1", "port", "4798",
				  "format", "vw", "ttl", "64", "tos", "0xb8",
				  "df", "inherit", "srcport", "1000", "2000",
				  "csum", "off", "udp6zerocsumtx", "on",
				  "udp6zerocsumrx", "on"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 42);
	CHECK(ep.has_remote && ep.family == AF_INET6);
	CHECK(ep.has_local && ep.local_family == AF_INET6);
	CHECK(!ep.has_peer);
	CHECK(ep.has_port && ep.port == 4798);
	CHECK(ep.has_format && ep.format == VW_FORMAT_VW);
	CHECK(ep.has_ttl && ep.ttl == 64);
	CHECK(ep.has_tos && ep.tos == 0xb8);
	CHECK(ep.has_df && ep.df == VW_DF_INHERIT);
	CHECK(ep.has_srcport && ep.srcport_min == 1000 &&
	      ep.srcport_max == 2000);
	CHECK(ep.has_csum && !ep.csum);
	CHECK(ep.has_udp6zcsum_tx && ep.udp6zcsum_tx);
	CHECK(ep.has_udp6zcsum_rx && ep.udp6zcsum_rx);
	CHECK(!ep.has_wire && !ep.has_stats);
	ktap_end();

	ktap_begin("add: the other value of each option");
	CHECK(run_cmd("add", ARGS("42", "remote", "192.0.2.2", "ttl", "auto",
				  "tos", "inherit", "df", "set", "csum", "on",
				  "udp6zerocsumtx", "off", "udp6zerocsumrx",
				  "off", "format", "vxlan"), &ep, &opts));
	check_silent();
	CHECK(ep.has_ttl && ep.ttl == VW_TTL_AUTO);
	CHECK(ep.has_tos && ep.tos == VW_TOS_INHERIT);
	CHECK(ep.has_df && ep.df == VW_DF_SET);
	CHECK(ep.has_csum && ep.csum);
	CHECK(ep.has_udp6zcsum_tx && !ep.udp6zcsum_tx);
	CHECK(ep.has_udp6zcsum_rx && !ep.udp6zcsum_rx);
	CHECK(ep.has_format && ep.format == VW_FORMAT_VXLAN);
	ktap_end();

	ktap_begin("add: ttl inherit, df unset");
	CHECK(run_cmd("add", ARGS("42", "remote", "192.0.2.2", "ttl",
				  "inherit", "df", "unset"), &ep, &opts));
	check_silent();
	CHECK(ep.has_ttl && ep.ttl == VW_TTL_INHERIT);
	CHECK(ep.has_df && ep.df == VW_DF_UNSET);
	ktap_end();

	ktap_begin("add: format vw takes ID 4294967295");
	CHECK(run_cmd("add", ARGS("4294967295", "remote", "192.0.2.2",
				  "format", "vw"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 4294967295U);
	ktap_end();

	ktap_begin("add: format vw before the remote takes 0xffffffff");
	CHECK(run_cmd("add", ARGS("0xffffffff", "format", "vw", "remote",
				  "192.0.2.2"), &ep, &opts));
	check_silent();
	CHECK(ep.id == 0xffffffffU && ep.format == VW_FORMAT_VW);
	ktap_end();

	ktap_begin("add: format vw takes ID 16777216");
	CHECK(run_cmd("add", ARGS("16777216", "remote", "192.0.2.2",
				  "format", "vw"), &ep, &opts));
	check_silent();
	CHECK(ep.id == 16777216);
	ktap_end();

	ktap_begin("add: a local wire, peer DEV");
	CHECK(run_cmd("add", ARGS("7", "dev", "vwA", "peer", "vwB"), &ep,
		      &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 7);
	CHECK_STR(ep.ifname, "vwA");
	CHECK(ep.has_peer && ep.peer_ifindex == 0);
	CHECK_STR(ep.peer_ifname, "vwB");
	CHECK(!ep.has_remote && ep.family == AF_UNSPEC);
	ktap_end();

	ktap_begin("add: local any goes with an IPv6 remote");
	CHECK(run_cmd("add", ARGS("42", "remote", "2001:db8::2", "local",
				  "any"), &ep, &opts));
	check_silent();
	CHECK(ep.family == AF_INET6);
	CHECK(ep.has_local && ep.local_family == AF_INET &&
	      ep.local.v4.s_addr == 0);
	ktap_end();

	ktap_begin("add: local any before an IPv4 remote");
	CHECK(run_cmd("add", ARGS("42", "local", "any", "remote",
				  "192.0.2.2"), &ep, &opts));
	check_silent();
	CHECK(ep.has_local && ep.local.v4.s_addr == 0);
	ktap_end();
}

static void test_migration_words(void)
{
	static const uint8_t mac1[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct vw_endpoint ep;
	struct vw_opts opts;

	ktap_begin("add: standby with the VM's MACs, accept, hold, relay");
	CHECK(run_cmd("add", ARGS("42", "remote", "192.0.2.1", "standby",
				  "vm-mac", "52:54:00:12:34:56,52:54:00:AB:cd:ef",
				  "accept", "198.51.100.0/24,2001:db8::/32,192.0.2.7",
				  "hold", "4096", "hold-time", "500", "roam", "on",
				  "roam-holddown", "100", "relay", "2001:db8::9"),
		      &ep, &opts));
	check_silent();
	CHECK(ep.has_standby && ep.standby);
	CHECK(ep.has_vm_mac && ep.nvm_mac == 2 &&
	      !memcmp(ep.vm_mac[0], mac1, 6) && ep.vm_mac[1][3] == 0xab &&
	      ep.vm_mac[1][5] == 0xef);
	CHECK(ep.has_accept && ep.naccept == 3);
	CHECK(ep.accept[0].family == AF_INET && ep.accept[0].len == 24);
	CHECK(ep.accept[1].family == AF_INET6 && ep.accept[1].len == 32);
	CHECK(ep.accept[2].family == AF_INET && ep.accept[2].len == 32);
	CHECK(ep.has_hold && ep.hold == 4096);
	CHECK(ep.has_hold_time && ep.hold_time == 500);
	CHECK(ep.has_roam && ep.roam);
	CHECK(ep.has_roam_holddown && ep.roam_holddown == 100);
	CHECK(ep.has_relay && ep.relay_family == AF_INET6);
	ktap_end();

	ktap_begin("set: active, relay off, accept none, vm-mac none");
	CHECK(run_cmd("set", ARGS("42", "active", "relay", "off", "accept",
				  "none", "vm-mac", "none"), &ep, &opts));
	check_silent();
	CHECK(ep.has_standby && !ep.standby);
	CHECK(ep.has_relay && ep.relay_family == AF_INET &&
	      ep.relay.v4.s_addr == 0);
	CHECK(ep.has_accept && ep.naccept == 0);
	CHECK(ep.has_vm_mac && ep.nvm_mac == 0);
	ktap_end();

	ktap_begin("set: standby alone is a change");
	CHECK(run_cmd("set", ARGS("dev", "vw0", "standby"), &ep, &opts));
	check_silent();
	CHECK(ep.has_standby && ep.standby);
	ktap_end();
}

static void test_set_ok(void)
{
	struct vw_endpoint ep;
	struct vw_opts opts;

	ktap_begin("set ID remote: re-point, nothing else");
	CHECK(run_cmd("set", ARGS("42", "remote", "192.0.2.3"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 42 && ep.ifname[0] == '\0');
	CHECK(ep.has_remote && ep.family == AF_INET &&
	      ntohl(ep.remote.v4.s_addr) == 0xc0000203);
	CHECK(only_remote(&ep));
	ktap_end();

	ktap_begin("set dev NAME peer DEV");
	CHECK(run_cmd("set", ARGS("dev", "vwA", "peer", "vwC"), &ep, &opts));
	check_silent();
	CHECK(!ep.has_id);
	CHECK_STR(ep.ifname, "vwA");
	CHECK(ep.has_peer);
	CHECK_STR(ep.peer_ifname, "vwC");
	CHECK(!ep.has_remote);
	ktap_end();

	ktap_begin("set: one option alone");
	CHECK(run_cmd("set", ARGS("42", "ttl", "inherit"), &ep, &opts));
	check_silent();
	CHECK(ep.has_ttl && ep.ttl == VW_TTL_INHERIT);
	CHECK(!ep.has_remote && !ep.has_tos && !ep.has_port &&
	      !ep.has_format && !ep.has_local);
	ktap_end();

	ktap_begin("set: local alone, either family");
	CHECK(run_cmd("set", ARGS("42", "local", "2001:db8::1"), &ep, &opts));
	check_silent();
	CHECK(ep.has_local && ep.local_family == AF_INET6 && !ep.has_remote);
	CHECK(run_cmd("set", ARGS("42", "local", "any"), &ep, &opts));
	check_silent();
	CHECK(ep.has_local && ep.local_family == AF_INET &&
	      ep.local.v4.s_addr == 0);
	ktap_end();

	/* Only the kernel knows the format the endpoint keeps. */
	ktap_begin("set: 32-bit ID left to the kernel");
	CHECK(run_cmd("set", ARGS("4294967295", "csum", "off"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 4294967295U);
	CHECK(run_cmd("set", ARGS("16777216", "format", "vxlan"), &ep, &opts));
	check_silent();
	CHECK(ep.has_format && ep.format == VW_FORMAT_VXLAN);
	ktap_end();

	ktap_begin("set: every option, --json anywhere");
	CHECK(run_cmd("set", ARGS("--json", "0x2a", "local", "192.0.2.1",
				  "port", "4790", "format", "vw", "ttl", "1",
				  "tos", "0", "df", "set", "srcport", "5", "5",
				  "csum", "on", "udp6zerocsumtx", "off",
				  "udp6zerocsumrx", "on", "-j"), &ep, &opts));
	check_silent();
	CHECK(opts.json);
	CHECK(ep.has_id && ep.id == 42);
	CHECK(ep.has_local && ep.has_port && ep.port == 4790);
	CHECK(ep.has_format && ep.format == VW_FORMAT_VW);
	CHECK(ep.has_ttl && ep.ttl == 1 && ep.has_tos && ep.tos == 0);
	CHECK(ep.has_df && ep.df == VW_DF_SET);
	CHECK(ep.has_srcport && ep.srcport_min == 5 && ep.srcport_max == 5);
	CHECK(ep.has_csum && ep.csum);
	CHECK(ep.has_udp6zcsum_tx && !ep.udp6zcsum_tx);
	CHECK(ep.has_udp6zcsum_rx && ep.udp6zcsum_rx);
	ktap_end();
}

static void test_selectors(void)
{
	struct vw_endpoint ep;
	struct vw_opts opts;

	ktap_begin("del ID");
	CHECK(run_cmd("del", ARGS("42"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 42 && ep.ifname[0] == '\0');
	ktap_end();

	ktap_begin("del dev NAME");
	CHECK(run_cmd("del", ARGS("dev", "vw3"), &ep, &opts));
	check_silent();
	CHECK(!ep.has_id);
	CHECK_STR(ep.ifname, "vw3");
	ktap_end();

	ktap_begin("show with no selector is all");
	CHECK(run_cmd("show", NOARGS, &ep, &opts));
	check_silent();
	CHECK(!ep.has_id && ep.ifname[0] == '\0' && !opts.json);
	ktap_end();

	ktap_begin("show ID -j");
	CHECK(run_cmd("show", ARGS("0x2a", "-j"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 42 && opts.json);
	ktap_end();

	ktap_begin("show --json dev NAME");
	CHECK(run_cmd("show", ARGS("--json", "dev", "vw0"), &ep, &opts));
	check_silent();
	CHECK(!ep.has_id && opts.json);
	CHECK_STR(ep.ifname, "vw0");
	ktap_end();

	ktap_begin("stats with no selector is all");
	CHECK(run_cmd("stats", NOARGS, &ep, &opts));
	check_silent();
	CHECK(!ep.has_id && ep.ifname[0] == '\0' && !opts.json);
	ktap_end();

	ktap_begin("stats ID --json, stats dev NAME");
	CHECK(run_cmd("stats", ARGS("42", "--json"), &ep, &opts));
	check_silent();
	CHECK(ep.has_id && ep.id == 42 && opts.json);
	CHECK(run_cmd("stats", ARGS("dev", "vwB"), &ep, &opts));
	check_silent();
	CHECK(!ep.has_id && !opts.json);
	CHECK_STR(ep.ifname, "vwB");
	ktap_end();

	ktap_begin("show --json alone");
	CHECK(run_cmd("show", ARGS("--json"), &ep, &opts));
	check_silent();
	CHECK(!ep.has_id && ep.ifname[0] == '\0' && opts.json);
	ktap_end();
}

static bool run_flush(const char **argv, struct vw_flush *f,
		      struct vw_opts *opts)
{
	err_reset();
	memset(opts, 0, sizeof(*opts));
	memset(f, 0xa5, sizeof(*f));	/* the parser must reset it */
	return parse_flush(count(argv), (char **)argv, f, opts);
}

static void test_flush(void)
{
	const struct {
		const char **argv;
		const char *err;
	} bad[] = {
		{ ARGS("42"), "flush: unexpected argument '42'" },
		{ ARGS("id"), "flush: 'id' needs a value, MIN or MIN-MAX" },
		{ ARGS("id", "5-4"), "flush: invalid range '5-4': MIN is above MAX" },
		{ ARGS("id", "x-4"), "invalid ID 'x'" },
		{ ARGS("id", "4-"), "invalid ID ''" },
		{ ARGS("id", "-4"), "invalid ID ''" },
		{ ARGS("id", "1-2-3"), "invalid ID '2-3'" },
		{ ARGS("id", "4294967296"), "invalid ID '4294967296'" },
		{ ARGS("id", "12345678901234567890-1"), "invalid ID '12345678901234567890'" },
		{ ARGS("id", "1", "id", "2"), "flush: unexpected argument 'id'" },
	};
	struct vw_opts opts;
	struct vw_flush f;
	size_t i;

	ktap_begin("flush: no range is everything");
	CHECK(run_flush(NOARGS, &f, &opts));
	check_silent();
	CHECK(!f.has_range && !opts.json);
	ktap_end();

	ktap_begin("flush id MIN is that ID alone");
	CHECK(run_flush(ARGS("id", "0x2a", "--json"), &f, &opts));
	check_silent();
	CHECK(f.has_range && f.min == 42 && f.max == 42 && opts.json);
	ktap_end();

	ktap_begin("flush id MIN-MAX");
	CHECK(run_flush(ARGS("id", "0-4294967295"), &f, &opts));
	check_silent();
	CHECK(f.has_range && f.min == 0 && f.max == 4294967295U);
	CHECK(run_flush(ARGS("id", "7-7"), &f, &opts));
	CHECK(f.has_range && f.min == 7 && f.max == 7);
	ktap_end();

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ktap_begin("flush %s: refused", join(bad[i].argv));
		CHECK(!run_flush(bad[i].argv, &f, &opts));
		check_error(bad[i].err);
		ktap_end();
	}
}

/* The service-level words (Documentation/sla.rst). */
static void test_units(void)
{
	static const struct {
		const char *in;
		int ret;
		unsigned long long want;	/* bytes per second */
	} rates[] = {
		{ "100mbit", UNITS_OK, 12500000 },
		{ "10gbit", UNITS_OK, 1250000000 },
		{ "10Gbit", UNITS_OK, 1250000000 },
		{ "1.5mbit", UNITS_OK, 187500 },
		{ "8", UNITS_OK, 1 },		/* a bare number is bits */
		{ "8bit", UNITS_OK, 1 },
		{ "0", UNITS_OK, 0 },
		{ "1000bps", UNITS_OK, 1000 },
		{ "12500kbps", UNITS_OK, 12500000 },
		{ "1mbps", UNITS_OK, 1000000 },
		{ "1gbps", UNITS_OK, 1000000000 },
		{ "1tbit", UNITS_OK, 125000000000ULL },
		{ "1kibit", UNITS_OK, 128 },
		{ "1mibps", UNITS_OK, 1048576 },
		{ "8796gbit", UNITS_OK, 1099500000000ULL },
		{ "8797gbit", UNITS_TOO_BIG, 0 },
		{ "4bit", UNITS_TOO_SMALL, 0 },
		{ "", UNITS_BAD, 0 },
		{ "mbit", UNITS_BAD, 0 },
		{ "-1mbit", UNITS_BAD, 0 },
		{ "10furlongs", UNITS_BAD, 0 },
		{ "1e3kbit", UNITS_BAD, 0 },
		{ "0x10bit", UNITS_BAD, 0 },
		{ "inf", UNITS_BAD, 0 },
		{ "1.2.3mbit", UNITS_BAD, 0 },
	};
	static const struct {
		const char *in;
		int ret;
		unsigned long long want;	/* bytes */
	} sizes[] = {
		{ "1500", UNITS_OK, 1500 },
		{ "1500b", UNITS_OK, 1500 },
		{ "64k", UNITS_OK, 65536 },
		{ "64kb", UNITS_OK, 65536 },
		{ "1m", UNITS_OK, 1048576 },
		{ "1mb", UNITS_OK, 1048576 },
		{ "1g", UNITS_OK, 1073741824 },
		{ "8kbit", UNITS_OK, 1024 },
		{ "4g", UNITS_TOO_BIG, 0 },
		{ "1bps", UNITS_BAD, 0 },
	};
	static const struct {
		unsigned long long in;
		const char *rate, *size;
	} words[] = {
		{ 0, "0", "0" },
		{ 1, "8bit", "1" },
		{ 125, "1kbit", "125" },
		{ 12500000, "100mbit", "12500000" },
		{ 1250000000, "10gbit", "1250000000" },
		{ 125000000000ULL, "1tbit", "125000000000" },
		{ 187500, "1500kbit", "187500" },
		{ 65536, "524288bit", "64k" },
		{ 1048576, "8388608bit", "1m" },
		{ 1536, "12288bit", "1536" },
	};
	unsigned long long max = VW_RATE_LIMIT;
	uint64_t v;
	char buf[64];
	size_t i;
	int ret;

	ktap_begin("units: rates as tc writes them");
	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		v = 7;
		ret = units_parse_rate(rates[i].in, max, &v);
		if (!CHECK(ret == rates[i].ret &&
			   (ret != UNITS_OK || v == rates[i].want)))
			ktap_diag("'%s': %d %llu, want %d %llu", rates[i].in,
				  ret, (unsigned long long)v, rates[i].ret,
				  rates[i].want);
	}
	ktap_end();

	ktap_begin("units: sizes as tc writes them");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		v = 7;
		ret = units_parse_size(sizes[i].in, UINT32_MAX, &v);
		if (!CHECK(ret == sizes[i].ret &&
			   (ret != UNITS_OK || v == sizes[i].want)))
			ktap_diag("'%s': %d %llu, want %d %llu", sizes[i].in,
				  ret, (unsigned long long)v, sizes[i].ret,
				  sizes[i].want);
	}
	ktap_end();

	ktap_begin("units: words exact, and parsed back to the same value");
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		CHECK_STR(units_rate_str(words[i].in, buf, sizeof(buf)),
			  words[i].rate);
		CHECK(units_parse_rate(buf, max, &v) == UNITS_OK &&
		      v == words[i].in);
		CHECK_STR(units_size_str(words[i].in, buf, sizeof(buf)),
			  words[i].size);
		CHECK(units_parse_size(buf, UINT64_MAX / 8, &v) == UNITS_OK &&
		      v == words[i].in);
	}
	ktap_end();
}

static void test_rate_words(void)
{
	static const struct {
		const char *min, *max;
		unsigned long long lo, hi;
		const char *err;	/* "": accepted */
	} cases[] = {
		{ "100mbit", "10gbit", 12500000, 1250000000, "" },
		{ "0", "unlimited", 0, VW_RATE_UNLIMITED, "" },
		{ "1gbit", "1gbit", 125000000, 125000000, "" },
		{ "2gbit", "1gbit", 0, 0,
		  "invalid rate '2gbit 1gbit': MIN 2gbit is above MAX 1gbit" },
		{ "0", "0", 0, 0,
		  "invalid rate MAX '0': it would send nothing" },
		{ "unlimited", "unlimited", 0, 0,
		  "invalid rate MIN 'unlimited': expected a rate as tc writes it" },
		{ "0", "9tbit", 0, 0,
		  "invalid rate MAX '9tbit': above 8796gbit (2^40 bytes per second), the largest taken; give unlimited for none" },
		{ "1mbit", "10mbits", 0, 0,
		  "invalid rate MAX '10mbits': expected a rate as tc writes it: 100mbit, 10gbit, 12500kbps ... or unlimited" },
		{ "1bit", "1mbit", 0, 0,
		  "invalid rate MIN '1bit': below 8bit" },
	};
	uint64_t lo, hi;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ktap_begin("parse_rate '%s %s' %s", cases[i].min, cases[i].max,
			   *cases[i].err ? "rejected" : "accepted");
		err_reset();
		lo = hi = 7;
		CHECK(parse_rate(cases[i].min, cases[i].max, &lo, &hi) ==
		      !*cases[i].err);
		if (*cases[i].err)
			CHECK(lo == 7 && hi == 7);
		else
			CHECK(lo == cases[i].lo && hi == cases[i].hi);
		if (*cases[i].err)
			check_error(cases[i].err);
		else
			check_silent();
		ktap_end();
	}
}

static void test_burst_prio_mark(void)
{
	uint32_t v;

	ktap_begin("parse_burst: sizes, 0 and too big refused");
	err_reset();
	CHECK(parse_burst("64k", &v) && v == 65536);
	CHECK(parse_burst("1", &v) && v == 1);
	check_silent();
	v = 7;
	CHECK(!parse_burst("0", &v) && v == 7);
	check_error("invalid burst '0': a burst of 0 bytes would let nothing through");
	err_reset();
	CHECK(!parse_burst("4g", &v));
	check_error("invalid burst '4g': above 4294967295 bytes");
	err_reset();
	CHECK(!parse_burst("lots", &v));
	check_error("invalid burst 'lots': expected a size as tc writes it");
	ktap_end();

	ktap_begin("parse_priority: numbers and tc class IDs");
	err_reset();
	CHECK(parse_priority("0", &v) && v == 0);
	CHECK(parse_priority("6", &v) && v == 6);
	CHECK(parse_priority("0x10010", &v) && v == 0x10010);
	CHECK(parse_priority("1:10", &v) && v == 0x10010);
	CHECK(parse_priority("ffff:ffff", &v) && v == 0xffffffff);
	check_silent();
	CHECK(!parse_priority("1:10000", &v));
	check_error("invalid priority '1:10000': expected 0-4294967295 (decimal or 0x hex) or a class ID MAJOR:MINOR in hex");
	err_reset();
	CHECK(!parse_priority("4294967296", &v));
	check_error("invalid priority '4294967296'");
	err_reset();
	CHECK(!parse_priority(":1", &v));
	check_error("invalid priority ':1'");
	ktap_end();

	ktap_begin("parse_mark: decimal or hex, 32 bits");
	err_reset();
	CHECK(parse_mark("0", &v) && v == 0);
	CHECK(parse_mark("0xff00", &v) && v == 0xff00);
	CHECK(parse_mark("4294967295", &v) && v == 0xffffffff);
	check_silent();
	CHECK(!parse_mark("-1", &v));
	check_error("invalid mark '-1': expected 0-4294967295 (decimal or 0x hex)");
	ktap_end();
}

void test_parse(void)
{
	VALUE_CASES(id, id_cases);
	VALUE_CASES(port, port_cases);
	VALUE_CASES(ttl, ttl_cases);
	VALUE_CASES(tos, tos_cases);
	VALUE_CASES(df, df_cases);
	VALUE_CASES(onoff, onoff_cases);
	test_srcport();
	test_local();
	test_enum_names();
	test_ifname();
	test_format();
	test_addr();
	test_add_ok();
	test_add_options();
	test_migration_words();
	test_set_ok();
	test_selectors();
	test_flush();
	test_cmd_errors();
	test_units();
	test_rate_words();
	test_burst_prio_mark();

	parse_set_errfile(NULL);
	fclose(errf);
	free(errbuf);
	errf = NULL;
	errbuf = NULL;
}
