// SPDX-License-Identifier: GPL-2.0
/*
 * vwctl: configure VirtualWire connectors over generic netlink.
 *
 * Each subcommand parses its words into a struct vw_endpoint first and
 * only then talks to the kernel, so a mistyped command line is reported
 * the same way whether or not the module is loaded.
 */
#include <stdlib.h>
#include <string.h>

#include "netlink.h"
#include "parse.h"
#include "print.h"

#ifndef VWCTL_VERSION
#define VWCTL_VERSION "unknown"
#endif

struct command {
	const char *name;
	bool (*run)(int argc, char **argv, struct vw_opts *opts);
	const char *args;
	const char *help;
	bool options;		/* takes the endpoint OPTIONS */
};

static bool cmd_add(int argc, char **argv, struct vw_opts *opts);
static bool cmd_set(int argc, char **argv, struct vw_opts *opts);
static bool cmd_del(int argc, char **argv, struct vw_opts *opts);
static bool cmd_show(int argc, char **argv, struct vw_opts *opts);
static bool cmd_stats(int argc, char **argv, struct vw_opts *opts);
static bool cmd_help(int argc, char **argv, struct vw_opts *opts);

/* To add a command: write cmd_NAME() and give it a line here. */
static const struct command commands[] = {
	{ "add", cmd_add,
	  "ID [dev NAME] { remote ADDR | peer DEV } [OPTIONS]",
	  "create an endpoint of connector ID that sends to ADDR, or to the local endpoint DEV",
	  true },
	{ "set", cmd_set,
	  "{ ID | dev NAME } [remote ADDR | peer DEV] [OPTIONS]",
	  "change an endpoint: only what is given changes", true },
	{ "del", cmd_del, "{ ID | dev NAME }",
	  "delete an endpoint", false },
	{ "show", cmd_show, "[ ID | dev NAME ] [--json]",
	  "show endpoints and their counters (all, with namespace drops, by default)",
	  false },
	{ "stats", cmd_stats, "[ ID | dev NAME ] [--json]",
	  "show every counter of endpoints (all, with the namespace's, by default)",
	  false },
	{ "help", cmd_help, "[COMMAND]",
	  "print this help, or the usage of COMMAND", false },
	{ NULL, NULL, NULL, NULL, false }
};

static const char options_help[] =
	"OPTIONS (each at most once):\n"
	"  local ADDR|any          outer source address (any: the route's choice)\n"
	"  port PORT               UDP port, 1-65535 (default 4789 vxlan, 4798 vw)\n"
	"  format vxlan|vw         wire format; vxlan carries IDs up to 16777215\n"
	"  ttl N|auto|inherit      outer TTL / hop limit, N 1-255\n"
	"  tos N|inherit           outer TOS / traffic class, N 0-255 or 0xNN\n"
	"  df set|unset|inherit    outer IPv4 DF bit\n"
	"  srcport MIN MAX         outer UDP source port range\n"
	"  csum on|off             UDP checksum over IPv4\n"
	"  udp6zerocsumtx on|off   send zero UDP checksums over IPv6\n"
	"  udp6zerocsumrx on|off   accept zero UDP checksums over IPv6\n";

static void usage(FILE *f)
{
	const struct command *c;

	fputs("Usage: vwctl [--json] COMMAND [ARGS]\n\nCommands:\n", f);
	for (c = commands; c->name; c++) {
		fprintf(f, "  %s %s\n", c->name, c->args);
		fprintf(f, "      %s\n", c->help);
	}
	fputc('\n', f);
	fputs(options_help, f);
	fputs("\nOptions:\n"
	      "  -j, --json     JSON output (show, stats); also accepted after COMMAND\n"
	      "  -V, --version  print the version and exit\n"
	      "  -h, --help     print this help and exit\n"
	      "\nSee vwctl(8).\n", f);
}

/*
 * Open the socket and find the family, turning "family not found" into
 * the one thing the user needs to know.
 */
static bool nl_open(struct vw_nl *nl, const char *cmd)
{
	switch (vw_nl_open(nl)) {
	case VW_NL_OK:
		return true;
	case VW_NL_NOFAMILY:
		fputs("vwctl: the virtualwire kernel module is not loaded (generic netlink family \""
		      VW_GENL_NAME "\" not found); try 'modprobe virtualwire'\n",
		      stderr);
		break;
	default:
		vw_nl_perror(nl, cmd, stderr);
		break;
	}
	vw_nl_close(nl);
	return false;
}

static bool cmd_add(int argc, char **argv, struct vw_opts *opts)
{
	struct vw_endpoint ep;
	struct vw_nl nl;
	bool ok;

	if (!parse_add(argc, argv, &ep, opts) || !nl_open(&nl, "add"))
		return false;
	ok = vw_nl_add(&nl, &ep) == VW_NL_OK;
	if (!ok)
		vw_nl_perror(&nl, "add", stderr);
	vw_nl_close(&nl);
	return ok;
}

static bool cmd_set(int argc, char **argv, struct vw_opts *opts)
{
	struct vw_endpoint ep;
	struct vw_nl nl;
	bool ok;

	if (!parse_set(argc, argv, &ep, opts) || !nl_open(&nl, "set"))
		return false;
	ok = vw_nl_set(&nl, &ep) == VW_NL_OK;
	if (!ok)
		vw_nl_perror(&nl, "set", stderr);
	vw_nl_close(&nl);
	return ok;
}

static bool cmd_del(int argc, char **argv, struct vw_opts *opts)
{
	struct vw_endpoint sel;
	struct vw_nl nl;
	bool ok;

	if (!parse_del(argc, argv, &sel, opts) || !nl_open(&nl, "del"))
		return false;
	ok = vw_nl_del(&nl, &sel) == VW_NL_OK;
	if (!ok)
		vw_nl_perror(&nl, "del", stderr);
	vw_nl_close(&nl);
	return ok;
}

/* Bound endpoints by ID, then the unbound ones by ifindex. */
static int ep_cmp(const void *a, const void *b)
{
	const struct vw_endpoint *x = a, *y = b;

	if (x->has_id != y->has_id)
		return x->has_id ? -1 : 1;
	if (x->has_id && x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return 0;
}

typedef void (*printer)(FILE *f, const struct vw_endpoint *eps, size_t n,
			const struct vw_counters *ns);

/*
 * show and stats: one endpoint, or all of them and the namespace
 * counters, read from the kernel and handed to a printer.
 */
static bool get_and_print(const char *cmd, const struct vw_endpoint *sel,
			  printer print)
{
	struct vw_endpoint *eps = NULL;
	struct vw_counters ns;
	bool all, ok = false;
	struct vw_nl nl;
	size_t n = 0;

	if (!nl_open(&nl, cmd))
		return false;
	all = !sel->has_id && !sel->ifname[0];

	if (vw_nl_get(&nl, sel, &eps, &n) != VW_NL_OK)
		goto err;
	if (all && vw_nl_get_ns(&nl, &ns) != VW_NL_OK)
		goto err;
	qsort(eps, n, sizeof(*eps), ep_cmp);
	print(stdout, eps, n, all ? &ns : NULL);
	ok = true;
	goto out;
err:
	vw_nl_perror(&nl, cmd, stderr);
out:
	free(eps);
	vw_nl_close(&nl);
	return ok;
}

static bool cmd_show(int argc, char **argv, struct vw_opts *opts)
{
	struct vw_endpoint sel;

	if (!parse_show(argc, argv, &sel, opts))
		return false;
	return get_and_print("show", &sel,
			     opts->json ? print_show_json : print_show_text);
}

static bool cmd_stats(int argc, char **argv, struct vw_opts *opts)
{
	struct vw_endpoint sel;

	if (!parse_stats(argc, argv, &sel, opts))
		return false;
	return get_and_print("stats", &sel,
			     opts->json ? print_stats_json : print_stats_text);
}

static bool cmd_help(int argc, char **argv, struct vw_opts *opts)
{
	const struct command *c;

	(void)opts;
	if (argc > 1) {
		fprintf(stderr, "vwctl: help: unexpected argument '%s'\n",
			argv[1]);
		return false;
	}
	if (argc == 1) {
		for (c = commands; c->name; c++) {
			if (!strcmp(c->name, argv[0])) {
				printf("Usage: vwctl %s %s\n    %s\n", c->name,
				       c->args, c->help);
				if (c->options)
					printf("\n%s", options_help);
				return true;
			}
		}
		fprintf(stderr, "vwctl: help: unknown command '%s'\n", argv[0]);
		return false;
	}
	usage(stdout);
	return true;
}

int main(int argc, char **argv)
{
	struct vw_opts opts = { 0 };
	const struct command *c;
	bool ok;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (parse_is_json_opt(argv[i])) {
			opts.json = true;
		} else if (!strcmp(argv[i], "--version") ||
			   !strcmp(argv[i], "-V")) {
			printf("vwctl %s\n", VWCTL_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--help") ||
			   !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "vwctl: unknown option '%s'; try 'vwctl help'\n",
				argv[i]);
			return 1;
		}
	}
	if (i == argc) {
		usage(stderr);
		return 1;
	}
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[i]))
			break;
	if (!c->name) {
		fprintf(stderr, "vwctl: unknown command '%s'; try 'vwctl help'\n",
			argv[i]);
		return 1;
	}
	ok = c->run(argc - i - 1, argv + i + 1, &opts);
	/* A full disk or closed pipe must not pass for success. */
	if (fflush(stdout) || ferror(stdout)) {
		perror("vwctl: writing output");
		ok = false;
	}
	return ok ? 0 : 1;
}
