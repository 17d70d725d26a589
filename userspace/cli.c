// SPDX-License-Identifier: GPL-2.0
/* The command line around the commands; see cli.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int vw_exit_code(int err)
{
	switch (err) {
	case EEXIST:
		return VW_EXIT_EXISTS;
	case ENOENT:
	case ENODEV:
		return VW_EXIT_NOT_FOUND;
	default:
		return VW_EXIT_ERROR;
	}
}

static bool is_one_of(const char *s, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(s, *names))
			return true;
	return false;
}

static const char *const batch_opts[] = { "-b", "-batch", "--batch", NULL };
static const char *const netns_opts[] = { "-n", "-netns", "--netns", NULL };
static const char *const force_opts[] = { "-force", "--force", NULL };

int vw_parse_global(int argc, char **argv, struct vw_global *g, int *next,
		    FILE *err)
{
	int i;

	memset(g, 0, sizeof(*g));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];

		if (parse_is_json_opt(o)) {
			g->json = true;
			g->pretty |= !strcmp(o, "-p") || !strcmp(o, "--pretty");
		} else if (is_one_of(o, force_opts)) {
			g->force = true;
		} else if (is_one_of(o, batch_opts) ||
			   is_one_of(o, netns_opts)) {
			bool batch = is_one_of(o, batch_opts);

			if (i + 1 >= argc) {
				fprintf(err, batch ?
					"vwctl: '%s' needs a FILE (- for standard input)\n" :
					"vwctl: '%s' needs the name of a network namespace\n",
					o);
				return VW_EXIT_USAGE;
			}
			if (batch)
				g->batch = argv[++i];
			else
				g->netns = argv[++i];
		} else if (!strcmp(o, "--version") || !strcmp(o, "-V")) {
			g->version = true;
			break;
		} else if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			g->help = true;
			break;
		} else {
			fprintf(err, "vwctl: unknown option '%s'; try 'vwctl help'\n",
				o);
			return VW_EXIT_USAGE;
		}
	}
	*next = i;
	if (g->force && !g->batch && !g->help && !g->version) {
		fputs("vwctl: '-force' goes with '-batch FILE': it goes on after a failing line\n",
		      err);
		return VW_EXIT_USAGE;
	}
	return VW_EXIT_OK;
}

/* -x or --xyz; not "-" (standard input) nor "-1" (a number, refused later). */
static bool looks_like_option(const char *s)
{
	return s[0] == '-' &&
	       (s[1] == '-' || isalpha((unsigned char)s[1]));
}

int vw_take_options(const char *cmd, int argc, char **argv,
		    struct vw_opts *opts, int *argc_out, char **argv_out,
		    FILE *err)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		const char *w = argv[i];
		bool name = i > 0 && (!strcmp(argv[i - 1], "dev") ||
				      !strcmp(argv[i - 1], "peer"));

		if (name || !looks_like_option(w)) {
			argv_out[n++] = argv[i];
		} else if (parse_is_json_opt(w)) {
			parse_json_opt(w, opts);
		} else if ((!strcmp(w, "-t") || !strcmp(w, "--timestamp")) &&
			   !strcmp(cmd, "monitor")) {
			opts->timestamp = true;
		} else if (!strcmp(w, "--may-exist") && !strcmp(cmd, "add")) {
			opts->may_exist = true;
		} else if (!strcmp(w, "--if-exists") && !strcmp(cmd, "del")) {
			opts->if_exists = true;
		} else {
			fprintf(err, "vwctl: %s: unknown option '%s'; try 'vwctl help %s'\n",
				cmd, w, cmd);
			return VW_EXIT_USAGE;
		}
	}
	argv_out[n] = NULL;
	*argc_out = n;
	return VW_EXIT_OK;
}

int vw_enter_netns(const char *name, FILE *err)
{
	static const char *const dirs[] = { "/run/netns", "/var/run/netns" };
	char path[256];
	size_t i;
	int fd = -1;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) > 200) {
		fprintf(err, "vwctl: invalid network namespace name '%s'\n",
			name);
		return VW_EXIT_USAGE;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && fd < 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		fprintf(err, "vwctl: network namespace '%s' not found (no /run/netns/%s; see ip netns list)\n",
			name, name);
		return VW_EXIT_ERROR;
	}
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(err, "vwctl: network namespace '%s': %s\n", name,
			strerror(errno));
		close(fd);
		return VW_EXIT_ERROR;
	}
	close(fd);
	return VW_EXIT_OK;
}
