// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the vwctl parsers.  An input is either
 *
 *   - a batch file, read and split by the batch reader vwctl -batch uses,
 *     each line a command; or
 *   - if it starts with a NUL byte, one command line: the words after that
 *     byte, separated by NUL bytes as in /proc/PID/cmdline, so that words
 *     may hold blanks, as the words of a real argv may.
 *
 * Each command goes, by its command word, to the parser the command line
 * uses (add, set, del, show, stats, monitor), after the leading --json it
 * may have.  No netlink: what parses is checked for the promises the rest
 * of vwctl relies on, then printed as a monitor event, to /dev/null.
 *
 *   make fuzz-run FUZZ_SECONDS=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "print.h"

typedef bool (*ep_parser)(int argc, char **argv, struct vw_endpoint *ep,
			  struct vw_opts *opts);

static const struct {
	const char *name;
	ep_parser parse;
} parsers[] = {
	{ "add", parse_add },
	{ "set", parse_set },
	{ "del", parse_del },
	{ "show", parse_show },
	{ "stats", parse_stats },
};

static FILE *devnull;

/* A broken promise is a crash, for the fuzzer to keep. */
#define PROMISE(cond) do { if (!(cond)) abort(); } while (0)

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void check_endpoint(const char *cmd, const struct vw_endpoint *ep)
{
	bool named = ep->has_id || ep->ifname[0];

	PROMISE(terminated(ep->ifname, sizeof(ep->ifname)));
	PROMISE(terminated(ep->peer_ifname, sizeof(ep->peer_ifname)));
	if (ep->has_remote)
		PROMISE(ep->family == AF_INET || ep->family == AF_INET6);
	if (ep->has_local)
		PROMISE(ep->local_family == AF_INET ||
			ep->local_family == AF_INET6);
	PROMISE(!(ep->has_remote && ep->has_peer));
	if (ep->has_peer)
		PROMISE(ep->peer_ifname[0] &&
			strcmp(ep->peer_ifname, ep->ifname));
	if (ep->has_port)
		PROMISE(ep->port >= 1);
	if (ep->has_srcport)
		PROMISE(ep->srcport_min >= 1 &&
			ep->srcport_min <= ep->srcport_max);
	if (ep->has_ttl)
		PROMISE(ep->ttl <= 255 || ep->ttl == VW_TTL_INHERIT);
	if (ep->has_tos)
		PROMISE(ep->tos <= 255 || ep->tos == VW_TOS_INHERIT);
	if (ep->has_df)
		PROMISE(ep->df <= VW_DF_MAX);
	if (ep->has_format)
		PROMISE(ep->format <= VW_FORMAT_MAX);
	if (!strcmp(cmd, "add")) {
		PROMISE(ep->has_id && (ep->has_remote || ep->has_peer));
		if (!ep->has_format || ep->format == VW_FORMAT_VXLAN)
			PROMISE(ep->id <= VW_VXLAN_ID_MAX);
	} else if (!strcmp(cmd, "set") || !strcmp(cmd, "del")) {
		/* Exactly one way of naming the endpoint. */
		PROMISE(named && !(ep->has_id && ep->ifname[0]));
	} else {
		PROMISE(!(ep->has_id && ep->ifname[0]));
	}
}

/* One batch line: as vwctl's run_command(), up to the kernel. */
static void parse_line(int argc, char **argv)
{
	struct vw_opts opts = { 0 };
	struct vw_endpoint ep;
	size_t i;
	int w;

	for (w = 0; w < argc && parse_is_json_opt(argv[w]); w++)
		opts.json = true;
	if (w == argc)
		return;
	if (!strcmp(argv[w], "monitor")) {
		parse_monitor(argc - w - 1, argv + w + 1, &opts);
		return;
	}
	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		if (strcmp(argv[w], parsers[i].name))
			continue;
		if (!parsers[i].parse(argc - w - 1, argv + w + 1, &ep, &opts))
			return;
		check_endpoint(parsers[i].name, &ep);
		print_event_text(devnull, VW_CMD_NEW, &ep);
		print_event_json(devnull, VW_CMD_CHANGED, &ep);
		return;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	parse_set_errfile(devnull);
	return 0;
}

/* data[0..size) as NUL-separated words, the last one up to the end. */
static void parse_argv(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[BATCH_MAX_WORDS + 1];
	size_t i, start = 0;
	int argc = 0;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (i = 0; i <= size && argc < BATCH_MAX_WORDS; i++) {
		if (buf[i])
			continue;
		argv[argc++] = buf + start;
		start = i + 1;
	}
	argv[argc] = NULL;
	parse_line(argc, argv);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct batch b;
	int ret, i;
	FILE *f;

	/* fmemopen() wants a buffer of at least one byte. */
	if (!size)
		return 0;
	if (!data[0]) {
		parse_argv(data + 1, size - 1);
		return 0;
	}
	f = fmemopen((void *)data, size, "r");
	if (!f)
		abort();
	batch_init(&b, f);
	while ((ret = batch_next(&b)) == BATCH_CMD) {
		PROMISE(b.argc > 0 && b.argc <= BATCH_MAX_WORDS);
		PROMISE(b.argv[b.argc] == NULL);
		for (i = 0; i < b.argc; i++)
			PROMISE(b.argv[i][0] && b.argv[i][0] != '#');
		parse_line(b.argc, b.argv);
	}
	PROMISE(ret == BATCH_END || ret == BATCH_BAD);
	batch_free(&b);
	fclose(f);
	return 0;
}
