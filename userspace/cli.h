/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line around the commands: the options before the command,
 * the options among a command's words, the network namespace to run in,
 * and the exit codes.  Nothing here talks to the kernel, so the unit
 * tests can drive every path.
 */
#ifndef VWCTL_CLI_H
#define VWCTL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "parse.h"

/*
 * The exit codes (vwctl(8), EXIT STATUS).  A hook tells "already there"
 * and "not there" from other failures by these, without reading stderr.
 */
enum vw_exit {
	VW_EXIT_OK = 0,
	VW_EXIT_ERROR = 1,	/* any other failure */
	VW_EXIT_USAGE = 2,	/* the words do not parse: nothing was asked */
	VW_EXIT_EXISTS = 3,	/* the kernel said EEXIST */
	VW_EXIT_NOT_FOUND = 4,	/* the kernel said ENOENT or ENODEV */
};

/* The exit code of a request the kernel refused with errno err. */
int vw_exit_code(int err);

/* The options before the command (vwctl(8), OPTIONS). */
struct vw_global {
	bool json;
	bool pretty;		/* -p, --pretty: indented JSON */
	bool help;		/* -h: print the usage and exit */
	bool version;		/* -V: print the version and exit */
	bool force;		/* -force: a batch goes on after a failure */
	const char *batch;	/* -batch FILE */
	const char *netns;	/* -n NETNS */
};

/*
 * Parse the options of argv[1..] up to the first word that is not one;
 * *next is its index.  VW_EXIT_OK, or VW_EXIT_USAGE with a message on err.
 */
int vw_parse_global(int argc, char **argv, struct vw_global *g, int *next,
		    FILE *err);

/*
 * Take the options out of the words of command cmd: --json/-j (any
 * command), --may-exist (add), --if-exists (del).  Any other word that
 * looks like an option (-x, --xyz) is an unknown option, unless it is the
 * value of dev or peer (a device name).  The other words go to argv_out
 * (room for argc + 1: a NULL ends them), their number to *argc_out.
 * VW_EXIT_OK, or VW_EXIT_USAGE with a message on err.
 */
int vw_take_options(const char *cmd, int argc, char **argv,
		    struct vw_opts *opts, int *argc_out, char **argv_out,
		    FILE *err);

/*
 * Move this process to the network namespace name, as ip -n does (the
 * file /run/netns/NAME made by ip netns add).  VW_EXIT_OK, or
 * VW_EXIT_USAGE (not a name) or VW_EXIT_ERROR with a message on err.
 */
int vw_enter_netns(const char *name, FILE *err);

#endif /* VWCTL_CLI_H */
