// SPDX-License-Identifier: GPL-2.0
/* The argv parsers: every accepted form and every error message. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ktap.h"
#include "parse.h"

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

static void run_value_cases(const char *what, const struct value_case *c,
			    size_t n)
{
	unsigned long long got;
	uint32_t id = 0;
	uint16_t port = 0;
	bool ok;
	size_t i;

	for (i = 0; i < n; i++, c++) {
		ktap_begin("parse_%s '%s' %s", what, c->in,
			   c->ok ? "accepted" : "rejected");
		err_reset();
		if (!strcmp(what, "id")) {
			ok = parse_id(c->in, &id);
			got = id;
		} else {
			ok = parse_port(c->in, &port);
			got = port;
		}
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
	const char *bad[] = { "geneve", "VXLAN", "", "vxlan " };
	uint8_t f = 0xff;
	size_t i;

	ktap_begin("parse_format 'vxlan' accepted");
	err_reset();
	CHECK(parse_format("vxlan", &f));
	CHECK(f == VW_FORMAT_VXLAN);
	check_silent();
	ktap_end();

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[64];

		ktap_begin("parse_format '%s' rejected", bad[i]);
		err_reset();
		CHECK(!parse_format(bad[i], &f));
		snprintf(want, sizeof(want),
			 "invalid format '%s': expected vxlan", bad[i]);
		check_error(want);
		ktap_end();
	}

	ktap_begin("format_name");
	CHECK_STR(format_name(VW_FORMAT_VXLAN), "vxlan");
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
	if (!strcmp(cmd, "del"))
		return parse_del(count(argv), v, ep, opts);
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
	  "invalid ID '16777216': the vxlan format carries 24-bit IDs (0-16777215)" },
	{ "add", ARGS("0x1000000", "remote", "192.0.2.2", "format", "vxlan"),
	  "invalid ID '0x1000000': the vxlan format" },
	{ "add", ARGS("4294967295", "remote", "192.0.2.2"),
	  "invalid ID '4294967295': the vxlan format" },
	{ "add", ARGS("42"), "add: missing 'remote ADDR'" },
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
	  "add: unknown keyword 'bogus': expected dev, remote, local, port or format" },
	{ "add", ARGS("42", "43", "remote", "192.0.2.2"),
	  "add: unknown keyword '43'" },
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

	ktap_begin("show --json alone");
	CHECK(run_cmd("show", ARGS("--json"), &ep, &opts));
	check_silent();
	CHECK(!ep.has_id && ep.ifname[0] == '\0' && opts.json);
	ktap_end();
}

void test_parse(void)
{
	run_value_cases("id", id_cases, sizeof(id_cases) / sizeof(id_cases[0]));
	run_value_cases("port", port_cases,
			sizeof(port_cases) / sizeof(port_cases[0]));
	test_ifname();
	test_format();
	test_addr();
	test_add_ok();
	test_selectors();
	test_cmd_errors();

	parse_set_errfile(NULL);
	fclose(errf);
	free(errbuf);
	errf = NULL;
	errbuf = NULL;
}
