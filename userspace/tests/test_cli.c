// SPDX-License-Identifier: GPL-2.0
/*
 * The vwctl binary end to end, as far as the host allows: the module is
 * never loaded here, so commands that get past their arguments must say
 * so in one line and fail.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "netlink.h"

#define NOT_LOADED "vwctl: the virtualwire kernel module is not loaded " \
	"(generic netlink family \"virtualwire\" not found); try 'modprobe virtualwire'\n"

struct result {
	int status;		/* exit code, or -1 if it did not exit */
	char out[8192];
	char err[8192];
};

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void run(const char *vwctl, const char **args, struct result *r)
{
	const char *argv[16] = { vwctl };
	FILE *out = tmpfile(), *err = tmpfile();
	int i, st;
	pid_t pid;

	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(vwctl, (char **)argv);
		_exit(127);
	}
	r->status = -1;
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

#define ARGS(...) ((const char *[]){ __VA_ARGS__, NULL })

static void show(const struct result *r)
{
	ktap_diag("exit %d", r->status);
	if (r->out[0])
		ktap_diag("stdout: %s", r->out);
	if (r->err[0])
		ktap_diag("stderr: %s", r->err);
}

/* Fails with exactly the line want on stderr and nothing on stdout. */
static void expect_error(const char *vwctl, const char **args,
			 const char *want)
{
	struct result r;

	run(vwctl, args, &r);
	if (!CHECK(r.status == 1) | !CHECK(r.out[0] == '\0') |
	    !CHECK_STR(r.err, want))
		show(&r);
}

static bool family_exists(void)
{
	struct vw_nl nl;
	int ret = vw_nl_open(&nl);

	vw_nl_close(&nl);
	return ret == VW_NL_OK;
}

/*
 * The bash completion, sourced into a bash without the bash-completion
 * package: what it offers after each command line.  vwctl itself is a
 * function that prints nothing, so only the fixed words can show up.
 */
static void test_completion(const char *vwctl)
{
	static const struct {
		/* Words for bash, inside single quotes; the last one is
		 * being completed, "" when it is still empty. */
		const char *line;
		const char *want;
	} cases[] = {
		{ "vwctl \"\"", "add set del show stats help -j --json -V --version -h --help" },
		{ "vwctl add 7 \"\"", "dev remote peer local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx" },
		{ "vwctl add 7 peer vwb \"\"", "dev local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx" },
		{ "vwctl set 42 remote 192.0.2.2 \"\"", "local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx" },
		{ "vwctl set dev vw0 \"\"", "remote peer local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx" },
		{ "vwctl add 7 format \"\"", "vxlan vw" },
		{ "vwctl set 42 ttl \"\"", "auto inherit" },
		{ "vwctl set 42 tos \"\"", "inherit" },
		{ "vwctl add 7 df \"\"", "set unset inherit" },
		{ "vwctl add 7 local \"\"", "any" },
		{ "vwctl add 7 csum \"\"", "on off" },
		{ "vwctl add 7 udp6zerocsumtx \"\"", "on off" },
		{ "vwctl add 7 udp6zerocsumrx \"\"", "on off" },
		{ "vwctl add 7 srcport 1 \"\"", "" },
		{ "vwctl set \"\"", "dev" },
		{ "vwctl stats \"\"", "dev --json" },
		{ "vwctl help \"\"", "add set del show stats help" },
	};
	char dir[512], cmd[2048], out[512];
	const char *slash = strrchr(vwctl, '/');
	size_t i, n;
	FILE *p;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - vwctl) : 1,
		 slash ? vwctl : ".");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ktap_begin("completion: %s", cases[i].line);
		if (system("command -v bash >/dev/null 2>&1")) {
			ktap_skip("no bash");
			ktap_end();
			continue;
		}
		snprintf(cmd, sizeof(cmd),
			 "bash --norc --noprofile -c '"
			 ". %s/completion/vwctl.bash; vwctl() { :; }; "
			 "COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
			 "_vwctl; echo \"${COMPREPLY[*]}\"' 2>&1",
			 dir, cases[i].line);
		p = popen(cmd, "r");
		if (!CHECK(p)) {
			ktap_end();
			continue;
		}
		n = fread(out, 1, sizeof(out) - 1, p);
		out[n] = '\0';
		out[strcspn(out, "\n")] = '\0';
		pclose(p);
		CHECK_STR(out, cases[i].want);
		ktap_end();
	}
}

void test_cli(const char *vwctl)
{
	static const char *const not_loaded[][7] = {
		{ "show" },
		{ "-j", "show" },
		{ "show", "--json" },
		{ "show", "42" },
		{ "show", "dev", "vw0" },
		{ "add", "42", "remote", "192.0.2.2" },
		{ "del", "42" },
		{ "set", "42", "remote", "192.0.2.3" },
		{ "set", "dev", "vwA", "peer", "vwB" },
		{ "add", "4294967295", "peer", "vwB", "format", "vw" },
		{ "stats" },
		{ "stats", "42", "--json" },
		{ "stats", "dev", "vw0" },
	};
	bool loaded = family_exists();
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(not_loaded) / sizeof(not_loaded[0]); i++) {
		const char *const *a = not_loaded[i];
		char words[128] = "";
		size_t j, len = 0;

		for (j = 0; a[j]; j++)
			len += snprintf(words + len, sizeof(words) - len, "%s%s",
					j ? " " : "", a[j]);
		ktap_begin("cli: vwctl %s without the module: one line, exit 1",
			   words);
		if (loaded)
			ktap_skip("family exists");
		else
			expect_error(vwctl, (const char **)a, NOT_LOADED);
		ktap_end();
	}

	/* Arguments are checked before the kernel is asked anything. */
	ktap_begin("cli: bad port reported before netlink");
	expect_error(vwctl, ARGS("add", "42", "remote", "192.0.2.2", "port", "abc"),
		     "vwctl: invalid port 'abc': expected 1-65535\n");
	ktap_end();

	ktap_begin("cli: vxlan ID too big reported before netlink");
	expect_error(vwctl, ARGS("add", "16777216", "remote", "192.0.2.2"),
		     "vwctl: invalid ID '16777216': the vxlan format carries 24-bit IDs (0-16777215); 'format vw' carries 32\n");
	ktap_end();

	ktap_begin("cli: set with nothing to change reported before netlink");
	expect_error(vwctl, ARGS("set", "42"),
		     "vwctl: set: nothing to change: expected remote, peer, local, port, format, ttl, tos, df, srcport, csum, udp6zerocsumtx or udp6zerocsumrx\n");
	ktap_end();

	ktap_begin("cli: remote and peer together reported before netlink");
	expect_error(vwctl, ARGS("add", "7", "remote", "192.0.2.2", "peer", "vwB"),
		     "vwctl: add: 'remote 192.0.2.2' and 'peer vwB' exclude each other: a wire goes to a remote host or to a local peer\n");
	ktap_end();

	ktap_begin("cli: unknown command");
	expect_error(vwctl, ARGS("frobnicate"),
		     "vwctl: unknown command 'frobnicate'; try 'vwctl help'\n");
	ktap_end();

	ktap_begin("cli: unknown option");
	expect_error(vwctl, ARGS("--frob", "show"),
		     "vwctl: unknown option '--frob'; try 'vwctl help'\n");
	ktap_end();

	ktap_begin("cli: no arguments prints usage and fails");
	run(vwctl, ARGS(NULL), &r);
	if (!CHECK(r.status == 1) | !CHECK(strstr(r.err, "Usage: vwctl")) |
	    !CHECK(r.out[0] == '\0'))
		show(&r);
	ktap_end();

	ktap_begin("cli: help lists every command");
	run(vwctl, ARGS("help"), &r);
	if (!CHECK(r.status == 0) | !CHECK(strstr(r.out, "Usage: vwctl")) |
	    !CHECK(strstr(r.out, "  add ID")) | !CHECK(strstr(r.out, "  del ")) |
	    !CHECK(strstr(r.out, "  show ")) | !CHECK(strstr(r.out, "  set ")) |
	    !CHECK(strstr(r.out, "  stats ")) |
	    !CHECK(strstr(r.out, "udp6zerocsumrx on|off")) |
	    !CHECK(r.err[0] == '\0'))
		show(&r);
	ktap_end();

	ktap_begin("cli: help add");
	run(vwctl, ARGS("help", "add"), &r);
	if (!CHECK(r.status == 0) | !CHECK(!strncmp(r.out, "Usage: vwctl add ID", 19)))
		show(&r);
	ktap_end();

	ktap_begin("cli: help set lists the options");
	run(vwctl, ARGS("help", "set"), &r);
	if (!CHECK(r.status == 0) |
	    !CHECK(!strncmp(r.out, "Usage: vwctl set { ID | dev NAME }", 34)) |
	    !CHECK(strstr(r.out, "srcport MIN MAX")))
		show(&r);
	ktap_end();

	ktap_begin("cli: help stats has no options");
	run(vwctl, ARGS("help", "stats"), &r);
	if (!CHECK(r.status == 0) |
	    !CHECK(!strncmp(r.out, "Usage: vwctl stats ", 19)) |
	    !CHECK(!strstr(r.out, "OPTIONS")))
		show(&r);
	ktap_end();

	ktap_begin("cli: help of an unknown command fails");
	expect_error(vwctl, ARGS("help", "frob"),
		     "vwctl: help: unknown command 'frob'\n");
	ktap_end();

	ktap_begin("cli: --help and -h");
	run(vwctl, ARGS("--help"), &r);
	CHECK(r.status == 0 && strstr(r.out, "Usage: vwctl"));
	run(vwctl, ARGS("-h"), &r);
	CHECK(r.status == 0 && strstr(r.out, "Usage: vwctl"));
	ktap_end();

	test_completion(vwctl);

	ktap_begin("cli: --version and -V");
	run(vwctl, ARGS("--version"), &r);
	if (!CHECK(r.status == 0) | !CHECK(!strncmp(r.out, "vwctl ", 6)) |
	    !CHECK(strchr(r.out, '\n') == r.out + strlen(r.out) - 1))
		show(&r);
	run(vwctl, ARGS("-V"), &r);
	CHECK(r.status == 0 && !strncmp(r.out, "vwctl ", 6));
	ktap_end();
}
