// SPDX-License-Identifier: GPL-2.0
/*
 * vwctl: configure VirtualWire connectors over generic netlink.
 *
 * Each subcommand parses its words into a struct vw_endpoint first and
 * only then talks to the kernel, so a mistyped command line is reported
 * the same way whether or not the module is loaded.
 *
 * A batch (-batch FILE) runs one command a line through the same code on
 * one netlink socket, opened at the first command that needs it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli.h"
#include "control.h"
#include "vwdcmd.h"
#include "netlink.h"
#include "options.h"
#include "parse.h"
#include "print.h"
#include "sla.h"
#include "util.h"

#ifndef VWCTL_VERSION
#define VWCTL_VERSION "unknown"
#endif

/* What the commands of one vwctl run share. */
struct session {
	struct vw_opts opts;	/* the command line's; a command gets a copy */
	struct vw_nl nl;
	bool nl_open;		/* nl is open and knows the family */
	FILE *err;		/* where errors go */
	bool batch;		/* running a batch file */
	const char *cmd;	/* the command running, once known */
	int rc;			/* the exit code of a failing command */
};

struct command {
	const char *name;
	bool (*run)(struct session *s, int argc, char **argv,
		    struct vw_opts *opts);
	const char *args;
	const char *help;
	bool options;		/* takes the endpoint OPTIONS */
	bool batch;		/* may be a line of a batch */
};

static bool cmd_add(struct session *s, int argc, char **argv,
		    struct vw_opts *opts);
static bool cmd_replace(struct session *s, int argc, char **argv,
			struct vw_opts *opts);
static bool cmd_set(struct session *s, int argc, char **argv,
		    struct vw_opts *opts);
static bool cmd_del(struct session *s, int argc, char **argv,
		    struct vw_opts *opts);
static bool cmd_flush(struct session *s, int argc, char **argv,
		      struct vw_opts *opts);
static bool cmd_show(struct session *s, int argc, char **argv,
		     struct vw_opts *opts);
static bool cmd_stats(struct session *s, int argc, char **argv,
		      struct vw_opts *opts);
static bool cmd_monitor(struct session *s, int argc, char **argv,
			struct vw_opts *opts);
static bool cmd_save(struct session *s, int argc, char **argv,
		     struct vw_opts *opts);
static bool cmd_sla(struct session *s, int argc, char **argv,
		    struct vw_opts *opts);
static bool cmd_help(struct session *s, int argc, char **argv,
		     struct vw_opts *opts);
static bool cmd_connect(struct session *s, int argc, char **argv,
			struct vw_opts *opts);
static bool cmd_disconnect(struct session *s, int argc, char **argv,
			   struct vw_opts *opts);
static bool cmd_directory(struct session *s, int argc, char **argv,
			  struct vw_opts *opts);

/* To add a command: write cmd_NAME() and give it a line here. */
static const struct command commands[] = {
	{ "add", cmd_add,
	  "ID [dev NAME] { remote ADDR | peer DEV } [OPTIONS] [--may-exist]",
	  "create an endpoint of connector ID that sends to ADDR, or to the local endpoint DEV\n"
	  "      (made too if there is none); --may-exist: one already there is no error",
	  true, true },
	{ "replace", cmd_replace,
	  "ID [dev NAME] { remote ADDR | peer DEV } [OPTIONS]",
	  "create the endpoint, or give it exactly this configuration in place (what\n"
	  "      is not given goes back to its default)",
	  true, true },
	{ "set", cmd_set,
	  "{ ID | dev NAME } [remote ADDR | peer DEV] [OPTIONS]",
	  "change an endpoint: only what is given changes", true, true },
	{ "del", cmd_del, "{ ID | dev NAME } [--if-exists]",
	  "delete an endpoint; --if-exists: no such endpoint is no error",
	  false, true },
	{ "flush", cmd_flush, "[id MIN[-MAX]]",
	  "delete every endpoint, or the bound ones with an ID from MIN to MAX, in one go",
	  false, true },
	{ "show", cmd_show, "[ ID | dev NAME ] [--json]",
	  "show endpoints and their counters (all, with namespace drops, by default)",
	  false, true },
	{ "stats", cmd_stats, "[ ID | dev NAME ] [--json]",
	  "show every counter of endpoints (all, with the namespace's, by default)",
	  false, true },
	{ "monitor", cmd_monitor, "[--json] [-t]",
	  "print endpoints as they are added, changed and removed, until interrupted; -t: with the time",
	  false, false },
	{ "save", cmd_save, "",
	  "print the endpoints as vwctl -batch input that makes them again",
	  false, true },
	{ "sla", cmd_sla, "show-tc DEV capacity RATE",
	  "print the tc commands that give the connectors leaving by DEV their\n"
	  "      guaranteed rates, as HTB classes of a device that carries RATE",
	  false, true },
	{ "connect", cmd_connect,
	  "ID [dev NAME] [format vxlan|vw] [vm NAME] [standby]",
	  "have vwd make this host's end of connector ID and register it in the directory:\n"
	  "      vwd wires it to the other end wherever that is (vwd(8))",
	  false, true },
	{ "disconnect", cmd_disconnect, "{ ID | dev NAME }",
	  "have vwd delete this host's end and its registration", false, true },
	{ "directory", cmd_directory, "[ID] [--json]",
	  "show, per local connector, vwd's directory view against the kernel's",
	  false, true },
	{ "help", cmd_help, "[COMMAND]",
	  "print this help, or the usage of COMMAND", false, true },
	{ NULL, NULL, NULL, NULL, false, false }
};

static void usage(FILE *f)
{
	const struct command *c;

	fputs("Usage: vwctl [-n NETNS] [--json] COMMAND [ARGS]\n"
	      "       vwctl [-n NETNS] [--json] [-force] -batch FILE\n\nCommands:\n", f);
	for (c = commands; c->name; c++) {
		fprintf(f, "  %s%s%s\n", c->name, *c->args ? " " : "",
			c->args);
		fprintf(f, "      %s\n", c->help);
	}
	fputc('\n', f);
	option_print_help(f, OPT_ADD | OPT_SET);
	fputs("\nOptions:\n"
	      "  -j, --json     JSON output (show, stats, monitor); also accepted after COMMAND\n"
	      "  -p, --pretty   indented JSON output, wherever --json is taken\n"
	      "  -b, -batch, --batch FILE\n"
	      "                 run the commands of FILE (- for standard input), one a\n"
	      "                 line, stopping at the first that fails\n"
	      "  -force         with -batch: go on after a failing line; every failure\n"
	      "                 is reported, and the exit code is the first one's\n"
	      "  -n, -netns, --netns NETNS\n"
	      "                 run in the network namespace NETNS (ip netns), as ip -n\n"
	      "  -V, --version  print the version and exit\n"
	      "  -h, --help     print this help and exit\n"
	      "\nExit codes: 0 success, 1 error, 2 usage error (the words do not parse),\n"
	      "3 already exists, 4 not found (no such ID or dev).\n"
	      "\nSee vwctl(8).\n", f);
}

/*
 * The session's socket, opened and the family found on first use, turning
 * "family not found" into what the user needs to know (vw_not_loaded()).
 */
static struct vw_nl *session_nl(struct session *s)
{
	int ret;

	/* The words have parsed: a failure from now on is no usage error. */
	s->rc = VW_EXIT_ERROR;
	if (s->nl_open)
		return &s->nl;
	ret = vw_nl_open(&s->nl);
	if (ret == VW_NL_OK) {
		s->nl_open = true;
		return &s->nl;
	}
	if (ret == VW_NL_NOFAMILY)
		vw_not_loaded(s->err);
	else
		vw_nl_perror(&s->nl, s->cmd, s->err);
	vw_nl_close(&s->nl);
	return NULL;
}

static void session_close(struct session *s)
{
	if (s->nl_open)
		vw_nl_close(&s->nl);
	s->nl_open = false;
}

/* A failed request: its message, and its exit code (EEXIST: 3, ...). */
static void request_failed(struct session *s)
{
	vw_nl_perror(&s->nl, s->cmd, s->err);
	s->rc = s->nl.err ? vw_exit_code(s->nl.err) : VW_EXIT_ERROR;
}

/* A request of add, set, del or flush; ret is what vw_nl_*() gave. */
static bool request_done(struct session *s, int ret)
{
	if (ret == VW_NL_OK)
		return true;
	request_failed(s);
	return false;
}

/*
 * add --may-exist: what ep asks for is there already: dev NAME bound to
 * the ID, or without dev, an endpoint holding the ID (both ends of a
 * local wire, too).  The rest of the configuration is not compared: that
 * is what replace is for.  The last error of s->nl is kept.
 */
static bool endpoint_exists(struct session *s, const struct vw_endpoint *ep)
{
	struct vw_endpoint sel, *eps = NULL;
	struct vw_nl saved = s->nl;
	bool yes;
	size_t n;

	memset(&sel, 0, sizeof(sel));
	if (ep->ifname[0]) {
		memcpy(sel.ifname, ep->ifname, sizeof(sel.ifname));
	} else {
		sel.has_id = true;
		sel.id = ep->id;
	}
	if (vw_nl_get(&s->nl, &sel, &eps, &n) == VW_NL_OK)
		yes = n == 1 && eps[0].has_id && eps[0].id == ep->id;
	else
		yes = !ep->ifname[0] && s->nl.err == ENOTUNIQ;
	free(eps);
	s->nl = saved;
	return yes;
}

/*
 * add and replace: a peer that does not exist is made too, as the other
 * end of the local wire (VW_A_PEER_CREATE), as ip link add A type veth
 * peer name B does.
 */
static bool add_or_replace(struct session *s, const struct vw_endpoint *ep,
			   bool replace, bool may_exist)
{
	struct vw_nl *nl;
	int ret;

	nl = session_nl(s);
	if (!nl)
		return false;
	if (may_exist && endpoint_exists(s, ep))
		return true;
	ret = vw_nl_new(nl, ep, replace);
	/* Made by someone else between the two requests. */
	if (ret != VW_NL_OK && may_exist && nl->err == EEXIST &&
	    endpoint_exists(s, ep))
		return true;
	return request_done(s, ret);
}

static bool cmd_add(struct session *s, int argc, char **argv,
		    struct vw_opts *opts)
{
	struct vw_endpoint ep;

	if (!parse_add(argc, argv, &ep, opts))
		return false;
	return add_or_replace(s, &ep, false, opts->may_exist);
}

static bool cmd_replace(struct session *s, int argc, char **argv,
			struct vw_opts *opts)
{
	struct vw_endpoint ep;

	if (!parse_replace(argc, argv, &ep, opts))
		return false;
	return add_or_replace(s, &ep, true, false);
}

static bool cmd_set(struct session *s, int argc, char **argv,
		    struct vw_opts *opts)
{
	struct vw_endpoint ep;
	struct vw_nl *nl;

	if (!parse_set(argc, argv, &ep, opts))
		return false;
	nl = session_nl(s);
	if (!nl)
		return false;
	return request_done(s, vw_nl_set(nl, &ep));
}

static bool cmd_del(struct session *s, int argc, char **argv,
		    struct vw_opts *opts)
{
	struct vw_endpoint sel;
	struct vw_nl *nl;
	int ret;

	if (!parse_del(argc, argv, &sel, opts))
		return false;
	nl = session_nl(s);
	if (!nl)
		return false;
	ret = vw_nl_del(nl, &sel);
	if (ret != VW_NL_OK && opts->if_exists &&
	    vw_exit_code(nl->err) == VW_EXIT_NOT_FOUND)
		return true;
	return request_done(s, ret);
}

static bool cmd_flush(struct session *s, int argc, char **argv,
		      struct vw_opts *opts)
{
	struct vw_flush f;
	struct vw_nl *nl;

	if (!parse_flush(argc, argv, &f, opts))
		return false;
	nl = session_nl(s);
	if (!nl)
		return false;
	return request_done(s, vw_nl_flush(nl, &f));
}

typedef void (*printer)(FILE *f, const struct vw_endpoint *eps, size_t n,
			const struct vw_counters *ns);

/*
 * show and stats: one endpoint, or all of them and the namespace
 * counters, read from the kernel and handed to a printer.
 */
static bool get_and_print(struct session *s, const struct vw_endpoint *sel,
			  printer print)
{
	struct vw_endpoint *eps = NULL;
	struct vw_counters ns;
	bool all, ok = false;
	struct vw_nl *nl;
	size_t n = 0;

	nl = session_nl(s);
	if (!nl)
		return false;
	all = !sel->has_id && !sel->ifname[0];

	if (vw_nl_get(nl, sel, &eps, &n) != VW_NL_OK)
		goto err;
	if (all && vw_nl_get_ns(nl, &ns) != VW_NL_OK)
		goto err;
	vw_sort_endpoints(eps, n);
	print(stdout, eps, n, all ? &ns : NULL);
	ok = true;
	goto out;
err:
	request_failed(s);
out:
	free(eps);
	return ok;
}

static bool cmd_show(struct session *s, int argc, char **argv,
		     struct vw_opts *opts)
{
	struct vw_endpoint sel;

	if (!parse_show(argc, argv, &sel, opts))
		return false;
	json_set_pretty(opts->pretty);
	print_set_endpoint_note(vwd_endpoint_note);
	return get_and_print(s, &sel,
			     opts->json ? print_show_json : print_show_text);
}

static bool cmd_stats(struct session *s, int argc, char **argv,
		      struct vw_opts *opts)
{
	struct vw_endpoint sel;

	if (!parse_stats(argc, argv, &sel, opts))
		return false;
	json_set_pretty(opts->pretty);
	return get_and_print(s, &sel,
			     opts->json ? print_stats_json : print_stats_text);
}

static void print_save_all(FILE *f, const struct vw_endpoint *eps, size_t n,
			   const struct vw_counters *ns)
{
	(void)ns;
	print_save(f, eps, n);
}

/* save: every endpoint of the namespace, as -batch input. */
static bool cmd_save(struct session *s, int argc, char **argv,
		     struct vw_opts *opts)
{
	struct vw_endpoint sel = { 0 };

	(void)opts;
	if (argc) {
		fprintf(s->err, "vwctl: save: unexpected argument '%s': save takes none\n",
			argv[0]);
		return false;
	}
	return get_and_print(s, &sel, print_save_all);
}

static bool cmd_sla(struct session *s, int argc, char **argv,
		    struct vw_opts *opts)
{
	struct vw_endpoint sel = { 0 }, *eps = NULL;
	struct vw_sla_args a;
	struct vw_nl *nl;
	size_t n = 0;
	bool ok;

	(void)opts;
	if (!parse_sla(argc, argv, &a))
		return false;
	nl = session_nl(s);
	if (!nl)
		return false;
	if (vw_nl_get(nl, &sel, &eps, &n) != VW_NL_OK) {
		free(eps);
		request_failed(s);
		return false;
	}
	vw_sort_endpoints(eps, n);
	ok = sla_show_tc(stdout, s->err, a.dev, a.capacity, eps, n,
			 sla_route_dev);
	free(eps);
	return ok;
}

/* connect, disconnect, directory: vwd's commands (vwdcmd.c). */
static bool cmd_connect(struct session *s, int argc, char **argv,
			struct vw_opts *opts)
{
	(void)opts;
	s->rc = vwd_cmd_connect(argc, argv, s->err);
	return !s->rc;
}

static bool cmd_disconnect(struct session *s, int argc, char **argv,
			   struct vw_opts *opts)
{
	(void)opts;
	s->rc = vwd_cmd_disconnect(argc, argv, s->err);
	return !s->rc;
}

static bool cmd_directory(struct session *s, int argc, char **argv,
			  struct vw_opts *opts)
{
	s->rc = vwd_status_cmd("vwctl", argc, argv, opts->json, s->err);
	return !s->rc;
}

/* stdout has taken everything so far; else say why not, on f (if any). */
static bool output_ok(FILE *f)
{
	if (!fflush(stdout) && !ferror(stdout))
		return true;
	if (f)
		fprintf(f, "vwctl: writing output: %s\n",
			strerror(errno ? errno : EIO));
	return false;
}

struct monitor {
	bool json;
	bool timestamp;
	FILE *err;
	bool write_failed;
};

/* Each event goes out at once: whoever reads the pipe is waiting for it. */
static bool print_event(uint8_t cmd, const struct vw_endpoint *ep, void *arg)
{
	struct monitor *m = arg;
	char now[48];

	if (m->timestamp)
		timestamp_str(now, sizeof(now));
	if (m->json) {
		print_event_json_at(stdout, cmd, ep,
				    m->timestamp ? now : NULL);
	} else {
		if (m->timestamp)
			printf("%s ", now);
		print_event_text(stdout, cmd, ep);
	}
	if (output_ok(m->err))
		return true;
	m->write_failed = true;
	return false;
}

/*
 * The signals arrive through a signalfd: libnl and recvmsg() restart on
 * EINTR, and a flag set by a handler between the check and poll() would
 * wait for the next event.  Once signalled, it prints what the kernel had
 * queued before it stops: a script that kills the monitor after its last
 * command has that command's events.  A flood that goes on is cut after
 * VW_MONITOR_DRAIN reads (64 datagrams each).
 */
#define VW_MONITOR_DRAIN 1024

static bool cmd_monitor(struct session *s, int argc, char **argv,
			struct vw_opts *opts)
{
	struct monitor m = { .err = s->err };
	struct pollfd fds[2];
	struct vw_nl nl;
	sigset_t sigs;
	bool ok = false, stopping = false;
	int ret, drained = 0;

	if (!parse_monitor(argc, argv, opts))
		return false;
	s->rc = VW_EXIT_ERROR;
	m.json = opts->json;
	m.timestamp = opts->timestamp;
	json_set_pretty(opts->pretty);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL)) {
		fprintf(s->err, "vwctl: monitor: %s\n", strerror(errno));
		return false;
	}
	fds[0].fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (fds[0].fd < 0) {
		fprintf(s->err, "vwctl: monitor: signalfd: %s\n",
			strerror(errno));
		return false;
	}
	fds[0].events = POLLIN;

	/* A socket of its own: events must not mix with replies. */
	ret = vw_nl_open(&nl);
	if (ret == VW_NL_OK)
		ret = vw_nl_monitor_open(&nl);
	if (ret == VW_NL_NOFAMILY) {
		vw_not_loaded(s->err);
		goto out;
	}
	if (ret != VW_NL_OK) {
		vw_nl_perror(&nl, "monitor", s->err);
		goto out;
	}
	fds[1].fd = nl_socket_get_fd(nl.sk);
	fds[1].events = POLLIN;

	for (;;) {
		/* Stopping: the socket alone, without waiting. */
		ret = poll(fds + stopping, 2 - stopping, stopping ? 0 : -1);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fprintf(s->err, "vwctl: monitor: poll: %s\n",
				strerror(errno));
			break;
		}
		if (stopping && (!ret || ++drained > VW_MONITOR_DRAIN)) {
			ok = true;
			break;
		}
		if (!stopping && fds[0].revents) {
			stopping = true;
			continue;
		}
		if (!fds[1].revents)
			continue;
		ret = vw_nl_monitor_read(&nl, print_event, &m);
		if (ret == VW_NL_OK)
			continue;
		if (ret == VW_NL_STOP)
			break;
		if (ret == VW_NL_NOFAMILY) {
			fputs("vwctl: monitor: the virtualwire kernel module was unloaded\n",
			      s->err);
			break;
		}
		/* Events were lost, but the socket still works. */
		if (nl.err == ENOBUFS) {
			fputs("vwctl: monitor: receive buffer overrun: some events were lost\n",
			      s->err);
			continue;
		}
		vw_nl_perror(&nl, "monitor", s->err);
		break;
	}
out:
	vw_nl_close(&nl);
	close(fds[0].fd);
	return ok;
}

static bool cmd_help(struct session *s, int argc, char **argv,
		     struct vw_opts *opts)
{
	const struct command *c;

	(void)opts;
	/* "help options [add|set]": the endpoint options (the completion's). */
	if (argc && !strcmp(argv[0], "options")) {
		bool cmd = argc > 1 && (!strcmp(argv[1], "add") ||
					!strcmp(argv[1], "set"));

		if (argc > 2 || (argc == 2 && !cmd)) {
			fprintf(s->err, "vwctl: help: options: unexpected argument '%s': expected add or set\n",
				argv[cmd ? 2 : 1]);
			return false;
		}
		option_print_help(stdout, !cmd ? OPT_ADD | OPT_SET :
				  !strcmp(argv[1], "add") ? OPT_ADD : OPT_SET);
		return true;
	}
	if (argc > 1) {
		fprintf(s->err, "vwctl: help: unexpected argument '%s'\n",
			argv[1]);
		return false;
	}
	if (argc == 1) {
		for (c = commands; c->name; c++) {
			if (!strcmp(c->name, argv[0])) {
				printf("Usage: vwctl %s%s%s\n    %s\n", c->name,
				       *c->args ? " " : "", c->args, c->help);
				if (c->options) {
					putchar('\n');
					option_print_help(stdout, !strcmp(c->name, "add") ?
							  OPT_ADD : OPT_SET);
				}
				return true;
			}
		}
		fprintf(s->err, "vwctl: help: unknown command '%s'\n", argv[0]);
		return false;
	}
	usage(stdout);
	return true;
}

/*
 * One command: its words, after the options of the command line, or one
 * line of a batch, which may start with --json of its own.
 */
static bool run_command(struct session *s, int argc, char **argv)
{
	struct vw_opts opts = s->opts;
	const struct command *c;
	char **words;
	int i, n;
	bool ok;

	s->cmd = NULL;
	s->rc = VW_EXIT_USAGE;
	for (i = 0; i < argc && parse_is_json_opt(argv[i]); i++)
		parse_json_opt(argv[i], &opts);
	if (i == argc) {
		fputs("vwctl: missing command; try 'vwctl help'\n", s->err);
		return false;
	}
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[i]))
			break;
	if (!c->name) {
		if (argv[i][0] == '-')
			fprintf(s->err, "vwctl: unknown option '%s'; try 'vwctl help'\n",
				argv[i]);
		else
			fprintf(s->err, "vwctl: unknown command '%s'; try 'vwctl help'\n",
				argv[i]);
		return false;
	}
	s->cmd = c->name;
	if (s->batch && !c->batch) {
		fprintf(s->err, "vwctl: %s: not available in a batch\n",
			c->name);
		return false;
	}
	words = calloc(argc - i, sizeof(*words));
	if (!words) {
		fprintf(s->err, "vwctl: %s\n", strerror(errno));
		s->rc = VW_EXIT_ERROR;
		return false;
	}
	ok = vw_take_options(c->name, argc - i - 1, argv + i + 1, &opts, &n,
			     words, s->err) == VW_EXIT_OK &&
	     c->run(s, n, words, &opts);
	free(words);
	return ok;
}

/*
 * The messages of a failed batch line, from buf, on stderr: each one
 * "vwctl: batch line N: CMD: what went wrong".
 */
static void batch_report(unsigned long lineno, const char *cmd, char *buf)
{
	size_t cmdlen = cmd ? strlen(cmd) : 0;
	char *line, *save = NULL;

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "vwctl: ", 7))
			line += 7;
		fprintf(stderr, "vwctl: batch line %lu: ", lineno);
		if (cmd && !(!strncmp(line, cmd, cmdlen) &&
			     !strncmp(line + cmdlen, ": ", 2)))
			fprintf(stderr, "%s: ", cmd);
		fprintf(stderr, "%s\n", line);
	}
}

/*
 * Every command of the file, up to the first that fails, or with force
 * all of them.  Each line's messages are collected, so that they can be
 * told apart by line number, and its output is flushed, so that a write
 * error is that line's too.  The exit code: the first failure's.
 */
static int run_batch(struct session *s, const char *path, bool force)
{
	bool stdin_ = !strcmp(path, "-");
	FILE *f = stdin_ ? stdin : fopen(path, "r");
	int ret, read_errno, rc = VW_EXIT_OK;
	char *buf = NULL;
	struct batch b;
	bool ok = true;
	size_t len;

	if (!f) {
		fprintf(stderr, "vwctl: batch: cannot open '%s': %s\n", path,
			strerror(errno));
		return VW_EXIT_ERROR;
	}
	s->batch = true;
	batch_init(&b, f);
	while (ok || force) {
		s->err = open_memstream(&buf, &len);
		if (!s->err) {
			fprintf(stderr, "vwctl: batch: %s\n", strerror(errno));
			if (rc == VW_EXIT_OK)
				rc = VW_EXIT_ERROR;
			break;
		}
		parse_set_errfile(s->err);
		s->cmd = NULL;
		s->rc = VW_EXIT_ERROR;
		ok = true;
		ret = batch_next(&b);
		read_errno = errno;
		if (ret == BATCH_CMD) {
			ok = run_command(s, b.argc, b.argv);
			if (ok && !output_ok(s->err)) {
				ok = false;
				s->rc = VW_EXIT_ERROR;
			}
		} else if (ret == BATCH_BAD) {
			ok = false;
			s->rc = VW_EXIT_USAGE;
		}
		if (!ok && rc == VW_EXIT_OK)
			rc = s->rc;
		/* Every failure says why; should one not, still name it. */
		if (!ok && !ftell(s->err))
			fputs("failed\n", s->err);
		parse_set_errfile(NULL);
		fclose(s->err);
		s->err = stderr;
		if (ret == BATCH_READ_ERROR) {
			fprintf(stderr, "vwctl: batch: reading '%s': %s\n",
				path, strerror(read_errno ? read_errno : EIO));
			if (rc == VW_EXIT_OK)
				rc = VW_EXIT_ERROR;
		} else if (buf[0]) {
			batch_report(b.lineno, s->cmd, buf);
		}
		free(buf);
		buf = NULL;
		if (ret == BATCH_END || ret == BATCH_READ_ERROR)
			break;
	}
	batch_free(&b);
	if (!stdin_)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	struct session s = { .err = stderr };
	struct vw_global g;
	int i, rc;

	rc = vw_parse_global(argc, argv, &g, &i, stderr);
	if (rc != VW_EXIT_OK)
		return rc;
	if (g.version) {
		printf("vwctl %s\n", VWCTL_VERSION);
		return output_ok(stderr) ? VW_EXIT_OK : VW_EXIT_ERROR;
	}
	if (g.help) {
		usage(stdout);
		return output_ok(stderr) ? VW_EXIT_OK : VW_EXIT_ERROR;
	}
	s.opts.json = g.json;
	s.opts.pretty = g.pretty;
	if (g.batch && i < argc) {
		fprintf(stderr, "vwctl: unexpected argument '%s': with -batch the commands come from the file\n",
			argv[i]);
		return VW_EXIT_USAGE;
	}
	if (!g.batch && i == argc) {
		usage(stderr);
		return VW_EXIT_USAGE;
	}
	/* Before any socket is opened: the socket's namespace is the one. */
	if (g.netns) {
		rc = vw_enter_netns(g.netns, stderr);
		if (rc != VW_EXIT_OK)
			return rc;
	}
	if (g.batch)
		rc = run_batch(&s, g.batch, g.force);
	else
		rc = run_command(&s, argc - i, argv + i) ? VW_EXIT_OK : s.rc;
	session_close(&s);
	/*
	 * A full disk or closed pipe must not pass for success; a failure
	 * already reported (maybe this one, in a batch) needs no second line.
	 */
	if (!output_ok(rc == VW_EXIT_OK ? stderr : NULL) && rc == VW_EXIT_OK)
		rc = VW_EXIT_ERROR;
	return rc;
}
