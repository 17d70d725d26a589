// SPDX-License-Identifier: GPL-2.0
/*
 * The vwctl binary end to end, as far as the host allows: vwctl runs
 * with VWCTL_TEST_ROOT, its test hook, naming an empty directory, so it
 * never asks the kernel (which would load the module where it is
 * installed) and finds no module installed: commands that get past their
 * arguments must say so in one line and fail.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "netlink.h"

/* What vwctl says about the module, in a root with none (no_kernel()). */
static char not_loaded[512];
#define NOT_LOADED not_loaded

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

/*
 * vwctl with args; input (if not NULL) on its standard input, and its
 * standard output to out_path (if not NULL; "-" closes it).
 */
static void run_io(const char *vwctl, const char **args, const char *input,
		   const char *out_path, struct result *r)
{
	const char *argv[16] = { vwctl };
	FILE *out = tmpfile(), *err = tmpfile(), *in = tmpfile();
	int i, st, fd;
	pid_t pid;

	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	if (input) {
		fputs(input, in);
		fflush(in);
		rewind(in);
	}

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (input)
			dup2(fileno(in), 0);
		if (out_path && !strcmp(out_path, "-")) {
			close(1);
		} else if (out_path) {
			fd = open(out_path, O_WRONLY);
			if (fd < 0)
				_exit(126);
			dup2(fd, 1);
		} else {
			dup2(fileno(out), 1);
		}
		dup2(fileno(err), 2);
		execv(vwctl, (char **)argv);
		_exit(127);
	}
	r->status = -1;
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	fclose(in);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

static void run(const char *vwctl, const char **args, struct result *r)
{
	run_io(vwctl, args, NULL, NULL, r);
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

/*
 * Fails with exit code code, exactly the line want on stderr and nothing
 * on stdout.
 */
static void expect_fail(const char *vwctl, int code, const char **args,
			const char *want)
{
	struct result r;

	run(vwctl, args, &r);
	if (!CHECK(r.status == code) | !CHECK(r.out[0] == '\0') |
	    !CHECK_STR(r.err, want))
		show(&r);
}

/* An error, exit 1. */
static void expect_error(const char *vwctl, const char **args,
			 const char *want)
{
	expect_fail(vwctl, 1, args, want);
}

/* A usage error (the words do not parse), exit 2. */
static void expect_usage(const char *vwctl, const char **args,
			 const char *want)
{
	expect_fail(vwctl, 2, args, want);
}

/*
 * From now on, vwctl runs with VWCTL_TEST_ROOT naming an empty directory:
 * no netlink socket, no module installed for the running kernel.
 */
static bool no_kernel(char *dir)
{
	struct utsname u;

	if (!mkdtemp(dir) || setenv("VWCTL_TEST_ROOT", dir, 1) || uname(&u))
		return false;
	snprintf(not_loaded, sizeof(not_loaded),
		 "vwctl: the virtualwire kernel module is not loaded, and none is installed for the running kernel %s (no virtualwire.ko under /lib/modules/%s): install the virtualwire-dkms package, or 'make install' in the source tree\n",
		 u.release, u.release);
	return true;
}

/*
 * The bash completion, sourced into a bash without the bash-completion
 * package: what it offers after each command line.  vwctl itself is a
 * function that runs the vwctl under test for help (the option keywords
 * come from its table) and prints nothing else, so no endpoint shows up
 * and the kernel is never asked.
 */
static void test_completion(const char *vwctl)
{
	static const struct {
		/* Words for bash, inside single quotes; the last one is
		 * being completed, "" when it is still empty. */
		const char *line;
		const char *want;
	} cases[] = {
		{ "vwctl \"\"", "add replace set del flush show stats monitor save sla connect disconnect directory help -j --json -p --pretty -b -batch --batch -force -n --netns -V --version -h --help" },
		{ "vwctl -j \"\"", "add replace set del flush show stats monitor save sla connect disconnect directory help -j --json -p --pretty -b -batch --batch -force -n --netns -V --version -h --help" },
		{ "vwctl -n ns1 \"\"", "add replace set del flush show stats monitor save sla connect disconnect directory help -j --json -p --pretty -b -batch --batch -force -n --netns -V --version -h --help" },
		{ "vwctl del 7 \"\"", "--if-exists" },
		{ "vwctl replace 7 \"\"", "dev remote peer local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx accept roam roam-holddown relay hold hold-time vm-mac rate burst priority mark standby" },
		{ "vwctl -batch /nonexistent/x", "" },
		{ "vwctl -batch -", "-" },
		{ "vwctl --batch - \"\"", "-j --json -p --pretty -force" },
		{ "vwctl -b f --json \"\"", "-j --json -p --pretty -force" },
		{ "vwctl monitor \"\"", "--json -t" },
		{ "vwctl monitor --json \"\"", "-t" },
		{ "vwctl monitor -t -p \"\"", "" },
		{ "vwctl -j monitor \"\"", "--json -t" },
		{ "vwctl add 7 \"\"", "dev remote peer local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx accept roam roam-holddown relay hold hold-time vm-mac rate burst priority mark standby --may-exist" },
		{ "vwctl add 7 peer vwb \"\"", "dev local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx accept roam roam-holddown relay hold hold-time vm-mac rate burst priority mark standby --may-exist" },
		{ "vwctl set 42 remote 192.0.2.2 \"\"", "local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx accept roam roam-holddown relay hold hold-time vm-mac rate burst priority mark standby active" },
		{ "vwctl set dev vw0 \"\"", "remote peer local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx accept roam roam-holddown relay hold hold-time vm-mac rate burst priority mark standby active" },
		{ "vwctl add 7 format \"\"", "vxlan vw" },
		{ "vwctl set 42 ttl \"\"", "auto inherit" },
		{ "vwctl set 42 tos \"\"", "inherit" },
		{ "vwctl add 7 df \"\"", "set unset inherit" },
		{ "vwctl add 7 local \"\"", "any" },
		{ "vwctl add 7 csum \"\"", "on off" },
		{ "vwctl add 7 udp6zerocsumtx \"\"", "on off" },
		{ "vwctl add 7 udp6zerocsumrx \"\"", "on off" },
		{ "vwctl add 7 roam \"\"", "on off" },
		{ "vwctl set 42 relay \"\"", "off" },
		{ "vwctl set 42 accept \"\"", "none" },
		{ "vwctl add 7 vm-mac \"\"", "none" },
		{ "vwctl set 42 standby \"\"", "remote peer local port format ttl tos df srcport csum udp6zerocsumtx udp6zerocsumrx accept roam roam-holddown relay hold hold-time vm-mac rate burst priority mark" },
		{ "vwctl add 7 srcport 1 \"\"", "" },
		{ "vwctl set \"\"", "dev" },
		{ "vwctl stats \"\"", "dev --json" },
		{ "vwctl flush \"\"", "id" },
		{ "vwctl flush id \"\"", "" },
		{ "vwctl flush id 1-5 \"\"", "" },
		{ "vwctl help \"\"", "add replace set del flush show stats monitor save sla connect disconnect directory help" },
		{ "vwctl connect 7 \"\"", "dev format vm vm-mac standby" },
		{ "vwctl connect 7 format \"\"", "vxlan vw" },
		{ "vwctl connect 7 standby dev x \"\"", "format vm vm-mac" },
		{ "vwctl connect 7 vm-mac \"\"", "" },
		{ "vwctl directory \"\"", "--json" },
		{ "vwctl sla \"\"", "show-tc" },
		{ "vwctl sla show-tc lo \"\"", "capacity" },
		{ "vwctl sla show-tc lo capacity \"\"", "" },
		{ "vwctl add 7 hold-time \"\"", "" },
		{ "vwctl add 7 remote \"\"", "" },
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
			 ". %s/completion/vwctl.bash; "
			 "vwctl() { [ \"$1\" != help ] || %s \"$@\"; }; "
			 "COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
			 "_vwctl; echo \"${COMPREPLY[*]}\"' 2>&1",
			 dir, vwctl, cases[i].line);
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

/*
 * Fails with exactly err on stderr, given input on stdin; out unchecked.
 * The exit code: 1 when the module is missing, else 2 (the line does not
 * parse).
 */
static void expect_batch_error(const char *vwctl, const char **args,
			       const char *input, const char *err,
			       struct result *r)
{
	int code = strstr(err, "module is not loaded") ? 1 : 2;

	run_io(vwctl, args, input, NULL, r);
	if (!CHECK(r->status == code) | !CHECK_STR(r->err, err))
		show(r);
}

static void test_batch_cli(const char *vwctl)
{
	static const char bad5[] =
		"# a batch\n"
		"\n"
		"help del\n"
		"   \t\n"
		"add 1 remote 192.0.2.1 port abc\n"
		"help set\n";
	char path[] = "/tmp/vwctl-batch-XXXXXX", want[1024];
	struct result r;
	FILE *f;
	int fd;

	ktap_begin("batch: stops at the failing line and names it");
	expect_batch_error(vwctl, ARGS("-batch", "-"), bad5,
			   "vwctl: batch line 5: add: invalid port 'abc': expected 1-65535\n",
			   &r);
	/* Line 3 ran, line 6 did not. */
	if (!CHECK_STR(r.out, "Usage: vwctl del { ID | dev NAME } [--if-exists]\n"
		       "    delete an endpoint; --if-exists: no such endpoint is no error\n"))
		show(&r);
	ktap_end();

	ktap_begin("batch -force: goes on, reports every failure, exits with the first one's code");
	run_io(vwctl, ARGS("-batch", "-", "-force"),
	       "help del\nadd 1 remote 192.0.2.1 port abc\nfrob\n\nhelp show\nshow -x\n",
	       NULL, &r);
	if (!CHECK(r.status == 2) |
	    !CHECK_STR(r.err, "vwctl: batch line 2: add: invalid port 'abc': expected 1-65535\n"
		       "vwctl: batch line 3: unknown command 'frob'; try 'vwctl help'\n"
		       "vwctl: batch line 6: show: unknown option '-x'; try 'vwctl help show'\n") |
	    !CHECK(strstr(r.out, "Usage: vwctl del ")) |
	    !CHECK(strstr(r.out, "Usage: vwctl show ")))
		show(&r);
	run_io(vwctl, ARGS("-force", "-batch", "-"), "help\nhelp del\n", NULL,
	       &r);
	if (!CHECK(r.status == 0) | !CHECK(r.err[0] == '\0'))
		show(&r);
	ktap_end();

	ktap_begin("batch -force: the first failure's code, not the last one's");
	/* Without the module (no_kernel()), del fails with 1. */
	run_io(vwctl, ARGS("-force", "-batch", "-"), "del 1\nfrob\n", NULL,
	       &r);
	if (!CHECK(r.status == 1) |
	    !CHECK(strstr(r.err, "vwctl: batch line 1: del: ")) |
	    !CHECK(strstr(r.err, "vwctl: batch line 2: unknown command")))
		show(&r);
	ktap_end();

	ktap_begin("batch: from a file, -b and --batch");
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (CHECK(f)) {
		fputs(bad5, f);
		fclose(f);
		expect_batch_error(vwctl, ARGS("-b", path), NULL,
				   "vwctl: batch line 5: add: invalid port 'abc': expected 1-65535\n",
				   &r);
		expect_batch_error(vwctl, ARGS("--batch", path), NULL,
				   "vwctl: batch line 5: add: invalid port 'abc': expected 1-65535\n",
				   &r);
		unlink(path);
	}
	ktap_end();

	ktap_begin("batch: every line succeeds, exit 0");
	run_io(vwctl, ARGS("-batch", "-"),
	       "# only help\nhelp del\n\nhelp   show # comment\n", NULL, &r);
	if (!CHECK(r.status == 0) | !CHECK(r.err[0] == '\0') |
	    !CHECK(strstr(r.out, "Usage: vwctl del ")) |
	    !CHECK(strstr(r.out, "Usage: vwctl show ")))
		show(&r);
	ktap_end();

	ktap_begin("batch: empty file and comments only, exit 0");
	run_io(vwctl, ARGS("-batch", "-"), "", NULL, &r);
	CHECK(r.status == 0 && !r.out[0] && !r.err[0]);
	run_io(vwctl, ARGS("-batch", "-"), "# nothing\n\n   # at all\n", NULL,
	       &r);
	CHECK(r.status == 0 && !r.out[0] && !r.err[0]);
	ktap_end();

	ktap_begin("batch: unknown command, with its line");
	expect_batch_error(vwctl, ARGS("-batch", "-"), "help\nfrob 1\nhelp\n",
			   "vwctl: batch line 2: unknown command 'frob'; try 'vwctl help'\n",
			   &r);
	ktap_end();

	ktap_begin("batch: a line may not hold global options but --json");
	expect_batch_error(vwctl, ARGS("-batch", "-"), "-V\n",
			   "vwctl: batch line 1: unknown option '-V'; try 'vwctl help'\n",
			   &r);
	expect_batch_error(vwctl, ARGS("-batch", "-"), "--json\n",
			   "vwctl: batch line 1: missing command; try 'vwctl help'\n",
			   &r);
	expect_batch_error(vwctl, ARGS("-batch", "-"), "-batch x\n",
			   "vwctl: batch line 1: unknown option '-batch'; try 'vwctl help'\n",
			   &r);
	ktap_end();

	ktap_begin("batch: monitor is not a batch command");
	expect_batch_error(vwctl, ARGS("-batch", "-"), "monitor\n",
			   "vwctl: batch line 1: monitor: not available in a batch\n",
			   &r);
	ktap_end();

	ktap_begin("batch: selector errors name the command");
	expect_batch_error(vwctl, ARGS("-batch", "-"), "\n\ndel\n",
			   "vwctl: batch line 3: del: missing connector: give its ID or 'dev NAME'\n",
			   &r);
	expect_batch_error(vwctl, ARGS("-batch", "-"), "show 1 2\n",
			   "vwctl: batch line 1: show: unexpected argument '2': name one connector, by ID or 'dev NAME'\n",
			   &r);
	expect_batch_error(vwctl, ARGS("--json", "-batch", "-"), "stats 1x\n",
			   "vwctl: batch line 1: stats: invalid ID '1x': expected 0-4294967295 (decimal or 0x hex)\n",
			   &r);
	ktap_end();

	ktap_begin("batch: too many words");
	expect_batch_error(vwctl, ARGS("-batch", "-"),
			   "help\n"
			   "a b c d e f g h i j k l m n o p q r s t u v w x y z "
			   "a b c d e f g h i j k l m n o p q r s t u v w x y z "
			   "a b c d e f g h i j k l m\n",
			   "vwctl: batch line 2: too many words: 'm' is word 65, at most 64\n",
			   &r);
	ktap_end();

	ktap_begin("batch: file errors");
	expect_error(vwctl, ARGS("-batch", "/nonexistent/batch"),
		     "vwctl: batch: cannot open '/nonexistent/batch': No such file or directory\n");
	expect_error(vwctl, ARGS("-batch", "/"),
		     "vwctl: batch: reading '/': Is a directory\n");
	expect_usage(vwctl, ARGS("-batch"),
		     "vwctl: '-batch' needs a FILE (- for standard input)\n");
	expect_usage(vwctl, ARGS("-batch", "-", "show"),
		     "vwctl: unexpected argument 'show': with -batch the commands come from the file\n");
	ktap_end();

	ktap_begin("batch: the first kernel command without the module");
	snprintf(want, sizeof(want), "vwctl: batch line 2: add: %s",
		 NOT_LOADED + strlen("vwctl: "));
	expect_batch_error(vwctl, ARGS("-batch", "-"),
			   "help\nadd 1 remote 192.0.2.1\ndel 1\n", want, &r);
	ktap_end();
}

/* A full disk and a closed stdout are errors, whatever the command. */
static void test_write_errors(const char *vwctl)
{
	static const char full[] =
		"vwctl: writing output: No space left on device\n";
	static const char *const cmds[][3] = {
		{ "help" }, { "help", "add" }, { "--help" }, { "-V" },
		{ "--version" },
	};
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		ktap_begin("exit status: vwctl %s%s%s to a full disk is 1",
			   cmds[i][0], cmds[i][1] ? " " : "",
			   cmds[i][1] ? cmds[i][1] : "");
		if (access("/dev/full", W_OK)) {
			ktap_skip("no /dev/full");
			ktap_end();
			continue;
		}
		run_io(vwctl, (const char **)cmds[i], NULL, "/dev/full", &r);
		if (!CHECK(r.status == 1) | !CHECK_STR(r.err, full))
			show(&r);
		ktap_end();
	}

	ktap_begin("exit status: a batch line to a full disk is that line's error");
	if (access("/dev/full", W_OK)) {
		ktap_skip("no /dev/full");
	} else {
		run_io(vwctl, ARGS("-batch", "-"), "# x\nhelp del\nhelp\n",
		       "/dev/full", &r);
		if (!CHECK(r.status == 1) |
		    !CHECK_STR(r.err, "vwctl: batch line 2: help: writing output: No space left on device\n"))
			show(&r);
	}
	ktap_end();

	ktap_begin("exit status: help with stdout closed is 1");
	run_io(vwctl, ARGS("help"), NULL, "-", &r);
	if (!CHECK(r.status == 1) |
	    !CHECK_STR(r.err, "vwctl: writing output: Bad file descriptor\n"))
		show(&r);
	ktap_end();
}

static void test_monitor_cli(const char *vwctl)
{
	ktap_begin("cli: monitor without the module: one line, exit 1");
	expect_error(vwctl, ARGS("monitor"), NOT_LOADED);
	expect_error(vwctl, ARGS("monitor", "--json"), NOT_LOADED);
	expect_error(vwctl, ARGS("-j", "monitor"), NOT_LOADED);
	ktap_end();

	ktap_begin("cli: monitor takes nothing but --json, --pretty and -t");
	expect_usage(vwctl, ARGS("monitor", "42"),
		     "vwctl: monitor: unexpected argument '42': monitor takes only --json, --pretty and -t\n");
	ktap_end();
}

void test_cli(const char *vwctl)
{
	static const char *const kernel_cmds[][7] = {
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
	char root[] = "/tmp/vwctl-noroot-XXXXXX";
	struct result r;
	size_t i;

	if (!no_kernel(root)) {
		ktap_begin("cli: vwctl without the kernel (VWCTL_TEST_ROOT)");
		CHECK(!"mkdtemp, setenv or uname failed");
		ktap_end();
		return;
	}

	for (i = 0; i < sizeof(kernel_cmds) / sizeof(kernel_cmds[0]); i++) {
		const char *const *a = kernel_cmds[i];
		char words[128] = "";
		size_t j, len = 0;

		for (j = 0; a[j]; j++)
			len += snprintf(words + len, sizeof(words) - len, "%s%s",
					j ? " " : "", a[j]);
		ktap_begin("cli: vwctl %s without the module: one line, exit 1",
			   words);
		expect_error(vwctl, (const char **)a, NOT_LOADED);
		ktap_end();
	}

	/* Arguments are checked before the kernel is asked anything. */
	ktap_begin("cli: bad port reported before netlink");
	expect_usage(vwctl, ARGS("add", "42", "remote", "192.0.2.2", "port", "abc"),
		     "vwctl: invalid port 'abc': expected 1-65535\n");
	ktap_end();

	ktap_begin("cli: vxlan ID too big reported before netlink");
	expect_usage(vwctl, ARGS("add", "16777216", "remote", "192.0.2.2"),
		     "vwctl: invalid ID '16777216': the vxlan format carries 24-bit IDs (0-16777215); 'format vw' carries 32\n");
	ktap_end();

	ktap_begin("cli: set with nothing to change reported before netlink");
	expect_usage(vwctl, ARGS("set", "42"),
		     "vwctl: set: nothing to change: expected remote, peer, local, port, format, ttl, tos, df, srcport, csum, udp6zerocsumtx, udp6zerocsumrx, accept, roam, roam-holddown, relay, hold, hold-time, vm-mac, rate, burst, priority, mark, standby or active\n");
	ktap_end();

	ktap_begin("cli: remote and peer together reported before netlink");
	expect_usage(vwctl, ARGS("add", "7", "remote", "192.0.2.2", "peer", "vwB"),
		     "vwctl: add: 'remote 192.0.2.2' and 'peer vwB' exclude each other: a wire goes to a remote host or to a local peer\n");
	ktap_end();

	ktap_begin("cli: unknown command");
	expect_usage(vwctl, ARGS("frobnicate"),
		     "vwctl: unknown command 'frobnicate'; try 'vwctl help'\n");
	ktap_end();

	ktap_begin("cli: unknown option");
	expect_usage(vwctl, ARGS("--frob", "show"),
		     "vwctl: unknown option '--frob'; try 'vwctl help'\n");
	ktap_end();

	ktap_begin("cli: an unknown option after the command is an unknown option, exit 2");
	expect_usage(vwctl, ARGS("show", "--frob"),
		     "vwctl: show: unknown option '--frob'; try 'vwctl help show'\n");
	expect_usage(vwctl, ARGS("add", "--frob", "42", "remote", "192.0.2.2"),
		     "vwctl: add: unknown option '--frob'; try 'vwctl help add'\n");
	expect_usage(vwctl, ARGS("add", "42", "remote", "192.0.2.2", "-x"),
		     "vwctl: add: unknown option '-x'; try 'vwctl help add'\n");
	expect_usage(vwctl, ARGS("del", "42", "--may-exist"),
		     "vwctl: del: unknown option '--may-exist'; try 'vwctl help del'\n");
	expect_usage(vwctl, ARGS("flush", "-f"),
		     "vwctl: flush: unknown option '-f'; try 'vwctl help flush'\n");
	expect_usage(vwctl, ARGS("-force", "show"),
		     "vwctl: '-force' goes with '-batch FILE': it goes on after a failing line\n");
	expect_usage(vwctl, ARGS("replace", "42"),
		     "vwctl: replace: missing 'remote ADDR' or 'peer DEV'\n");
	ktap_end();

	ktap_begin("cli: -n with a namespace that does not exist: exit 1, before anything else");
	expect_error(vwctl, ARGS("-n", "vwctl-no-such-ns", "show"),
		     "vwctl: network namespace 'vwctl-no-such-ns' not found (no /run/netns/vwctl-no-such-ns; see ip netns list)\n");
	expect_usage(vwctl, ARGS("-n"),
		     "vwctl: '-n' needs the name of a network namespace\n");
	ktap_end();

	ktap_begin("cli: no arguments prints usage and fails");
	run(vwctl, ARGS(NULL), &r);
	if (!CHECK(r.status == 2) | !CHECK(strstr(r.err, "Usage: vwctl")) |
	    !CHECK(r.out[0] == '\0'))
		show(&r);
	ktap_end();

	ktap_begin("cli: help lists every command");
	run(vwctl, ARGS("help"), &r);
	if (!CHECK(r.status == 0) | !CHECK(strstr(r.out, "Usage: vwctl")) |
	    !CHECK(strstr(r.out, "  add ID")) | !CHECK(strstr(r.out, "  del ")) |
	    !CHECK(strstr(r.out, "  show ")) | !CHECK(strstr(r.out, "  set ")) |
	    !CHECK(strstr(r.out, "  stats ")) |
	    !CHECK(strstr(r.out, "  monitor [--json] [-t]")) |
	    !CHECK(strstr(r.out, "  save\n")) |
	    !CHECK(strstr(r.out, "vwctl [-n NETNS] [--json] [-force] -batch FILE")) |
	    !CHECK(strstr(r.out, "  replace ID")) |
	    !CHECK(strstr(r.out, "3 already exists")) |
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

	ktap_begin("cli: help options: the table's rows of add, of set");
	run(vwctl, ARGS("help", "options", "add"), &r);
	if (!CHECK(r.status == 0) | !CHECK(strstr(r.out, "\n  dev NAME ")) |
	    !CHECK(strstr(r.out, "\n  srcport MIN MAX ")) |
	    !CHECK(!strstr(r.out, "\n  active ")))
		show(&r);
	run(vwctl, ARGS("help", "options", "set"), &r);
	if (!CHECK(r.status == 0) | !CHECK(!strstr(r.out, "\n  dev ")) |
	    !CHECK(strstr(r.out, "\n  active ")))
		show(&r);
	expect_usage(vwctl, ARGS("help", "options", "del"),
		     "vwctl: help: options: unexpected argument 'del': expected add or set\n");
	ktap_end();

	ktap_begin("cli: save takes no argument, refused before netlink");
	expect_usage(vwctl, ARGS("save", "42"),
		     "vwctl: save: unexpected argument '42': save takes none\n");
	ktap_end();

	ktap_begin("cli: help of an unknown command fails");
	expect_usage(vwctl, ARGS("help", "frob"),
		     "vwctl: help: unknown command 'frob'\n");
	ktap_end();

	ktap_begin("cli: --help and -h");
	run(vwctl, ARGS("--help"), &r);
	CHECK(r.status == 0 && strstr(r.out, "Usage: vwctl"));
	run(vwctl, ARGS("-h"), &r);
	CHECK(r.status == 0 && strstr(r.out, "Usage: vwctl"));
	ktap_end();

	test_completion(vwctl);
	test_batch_cli(vwctl);
	test_write_errors(vwctl);
	test_monitor_cli(vwctl);

	ktap_begin("cli: --version and -V");
	run(vwctl, ARGS("--version"), &r);
	if (!CHECK(r.status == 0) | !CHECK(!strncmp(r.out, "vwctl ", 6)) |
	    !CHECK(strchr(r.out, '\n') == r.out + strlen(r.out) - 1))
		show(&r);
	run(vwctl, ARGS("-V"), &r);
	CHECK(r.status == 0 && !strncmp(r.out, "vwctl ", 6));
	ktap_end();

	rmdir(root);
}
