// SPDX-License-Identifier: GPL-2.0
/*
 * The command line around the commands (cli.c): exit codes, the options
 * before the command, the options among its words, -n NETNS.  No kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ktap.h"

/* err's text so far, and rewound for the next case. */
static const char *drain(FILE *f, char *buf, size_t size)
{
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	rewind(f);
	if (ftruncate(fileno(f), 0))
		buf[0] = '\0';
	return buf;
}

static void test_exit_codes(void)
{
	ktap_begin("exit: EEXIST 3, ENOENT and ENODEV 4, the rest 1");
	CHECK(vw_exit_code(EEXIST) == VW_EXIT_EXISTS);
	CHECK(VW_EXIT_EXISTS == 3);
	CHECK(vw_exit_code(ENOENT) == VW_EXIT_NOT_FOUND);
	CHECK(vw_exit_code(ENODEV) == VW_EXIT_NOT_FOUND);
	CHECK(VW_EXIT_NOT_FOUND == 4);
	CHECK(vw_exit_code(EINVAL) == VW_EXIT_ERROR);
	CHECK(vw_exit_code(EPERM) == VW_EXIT_ERROR);
	CHECK(vw_exit_code(ENOTUNIQ) == VW_EXIT_ERROR);
	CHECK(vw_exit_code(0) == VW_EXIT_ERROR);
	CHECK(VW_EXIT_USAGE == 2 && VW_EXIT_ERROR == 1 && VW_EXIT_OK == 0);
	ktap_end();
}

#define ARGV(...) ((char *[]){ "vwctl", __VA_ARGS__, NULL })
#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static void test_global(void)
{
	const struct {
		char **argv;
		int argc;
		int rc, next;
		bool json, force;
		const char *batch, *netns, *err;
	} cases[] = {
#define C(a, ...) { a, ARGC(a), __VA_ARGS__ }
		C(ARGV("show"), 0, 1, false, false, NULL, NULL, ""),
		C(ARGV("-j", "-n", "ns1", "show"), 0, 4, true, false, NULL,
		  "ns1", ""),
		C(ARGV("--netns", "ns1", "-netns", "ns2", "show"), 0, 5, false,
		  false, NULL, "ns2", ""),
		C(ARGV("-batch", "f", "-force"), 0, 4, false, true, "f", NULL,
		  ""),
		C(ARGV("-force", "-batch", "f"), 0, 4, false, true, "f", NULL,
		  ""),
		C(ARGV("--force", "-b", "-", "--json"), 0, 5, true, true, "-",
		  NULL, ""),
		C(ARGV("-force", "show"), 2, 2, false, true, NULL, NULL,
		  "vwctl: '-force' goes with '-batch FILE': it goes on after a failing line\n"),
		C(ARGV("-n"), 2, 0, false, false, NULL, NULL,
		  "vwctl: '-n' needs the name of a network namespace\n"),
		C(ARGV("-batch"), 2, 0, false, false, NULL, NULL,
		  "vwctl: '-batch' needs a FILE (- for standard input)\n"),
		C(ARGV("-x", "show"), 2, 0, false, false, NULL, NULL,
		  "vwctl: unknown option '-x'; try 'vwctl help'\n"),
		C(ARGV("--may-exist", "add"), 2, 0, false, false, NULL, NULL,
		  "vwctl: unknown option '--may-exist'; try 'vwctl help'\n"),
#undef C
	};
	char buf[512];
	FILE *err = tmpfile();
	struct vw_global g;
	size_t i;
	int next, rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ktap_begin("global options, case %zu: %s %s", i,
			   cases[i].argv[1],
			   cases[i].argc > 1 ? cases[i].argv[2] : "");
		next = 0;
		rc = vw_parse_global(cases[i].argc, cases[i].argv, &g, &next,
				     err);
		CHECK(rc == cases[i].rc);
		CHECK_STR(drain(err, buf, sizeof(buf)), cases[i].err);
		if (rc == VW_EXIT_OK) {
			CHECK(next == cases[i].next);
			CHECK(g.json == cases[i].json);
			CHECK(g.force == cases[i].force);
			CHECK(!g.batch == !cases[i].batch &&
			      (!g.batch || !strcmp(g.batch, cases[i].batch)));
			CHECK(!g.netns == !cases[i].netns &&
			      (!g.netns || !strcmp(g.netns, cases[i].netns)));
		}
		ktap_end();
	}
	fclose(err);
}

/* The words left, blank-separated. */
static const char *joined(int argc, char **argv, char *buf, size_t size)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? " " : "",
				argv[i]);
	return buf;
}

static void test_take_options(void)
{
	const struct {
		const char *cmd;
		char **argv;
		int argc;
		int rc;
		const char *left;
		bool json, may_exist, if_exists;
		const char *err;
	} cases[] = {
#define W(...) ((char *[]){ __VA_ARGS__, NULL })
#define C(cmd, a, ...) { cmd, a, ARGC(a), __VA_ARGS__ }
		C("add", W("--may-exist", "7", "remote", "192.0.2.1"), 0,
		  "7 remote 192.0.2.1", false, true, false, ""),
		C("add", W("7", "remote", "192.0.2.1", "--may-exist", "-j"), 0,
		  "7 remote 192.0.2.1", true, true, false, ""),
		C("del", W("--if-exists", "dev", "vw0"), 0, "dev vw0", false,
		  false, true, ""),
		C("del", W("7", "--if-exists"), 0, "7", false, false, true, ""),
		/* A device name may start with '-'. */
		C("del", W("dev", "-x"), 0, "dev -x", false, false, false, ""),
		C("add", W("7", "dev", "--a", "peer", "-b"), 0,
		  "7 dev --a peer -b", false, false, false, ""),
		/* Not an option: refused later as a bad value. */
		C("show", W("-1"), 0, "-1", false, false, false, ""),
		C("show", W("--json", "7"), 0, "7", true, false, false, ""),
		C("show", W("--frob"), 2, "", false, false, false,
		  "vwctl: show: unknown option '--frob'; try 'vwctl help show'\n"),
		C("add", W("7", "remote", "192.0.2.1", "-x"), 2, "", false,
		  false, false,
		  "vwctl: add: unknown option '-x'; try 'vwctl help add'\n"),
		C("del", W("--may-exist", "7"), 2, "", false, false, false,
		  "vwctl: del: unknown option '--may-exist'; try 'vwctl help del'\n"),
		C("add", W("--if-exists", "7"), 2, "", false, false, false,
		  "vwctl: add: unknown option '--if-exists'; try 'vwctl help add'\n"),
		C("replace", W("--may-exist", "7"), 2, "", false, false, false,
		  "vwctl: replace: unknown option '--may-exist'; try 'vwctl help replace'\n"),
		C("show", W("-t"), 2, "", false, false, false,
		  "vwctl: show: unknown option '-t'; try 'vwctl help show'\n"),
#undef C
#undef W
	};
	char buf[512], words[512];
	char *out[16];
	FILE *err = tmpfile();
	struct vw_opts o;
	size_t i;
	int n, rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ktap_begin("command options, case %zu: %s %s", i, cases[i].cmd,
			   joined(cases[i].argc, cases[i].argv, words,
				  sizeof(words)));
		memset(&o, 0, sizeof(o));
		rc = vw_take_options(cases[i].cmd, cases[i].argc,
				     cases[i].argv, &o, &n, out, err);
		CHECK(rc == cases[i].rc);
		CHECK_STR(drain(err, buf, sizeof(buf)), cases[i].err);
		if (rc == VW_EXIT_OK) {
			CHECK_STR(joined(n, out, words, sizeof(words)),
				  cases[i].left);
			CHECK(out[n] == NULL);
			CHECK(o.json == cases[i].json);
			CHECK(o.may_exist == cases[i].may_exist);
			CHECK(o.if_exists == cases[i].if_exists);
		}
		ktap_end();
	}
	fclose(err);
}

static void test_netns(void)
{
	char buf[512];
	FILE *err = tmpfile();

	ktap_begin("-n: a name that is no name is a usage error");
	CHECK(vw_enter_netns("../x", err) == VW_EXIT_USAGE);
	CHECK_STR(drain(err, buf, sizeof(buf)),
		  "vwctl: invalid network namespace name '../x'\n");
	CHECK(vw_enter_netns("", err) == VW_EXIT_USAGE);
	drain(err, buf, sizeof(buf));
	ktap_end();

	ktap_begin("-n: a namespace that does not exist: exit 1, named");
	CHECK(vw_enter_netns("vwctl-no-such-netns", err) == VW_EXIT_ERROR);
	CHECK_STR(drain(err, buf, sizeof(buf)),
		  "vwctl: network namespace 'vwctl-no-such-netns' not found (no /run/netns/vwctl-no-such-netns; see ip netns list)\n");
	ktap_end();
	fclose(err);
}

void test_exit(void)
{
	test_exit_codes();
	test_global();
	test_take_options();
	test_netns();
}
