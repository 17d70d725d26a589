/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vwctl data model and the argv parsers that fill it.  Nothing here
 * talks to the kernel, so the unit tests can drive every path.
 */
#ifndef VWCTL_PARSE_H
#define VWCTL_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>

#include <linux/virtualwire.h>

union vw_addr {
	struct in_addr v4;
	struct in6_addr v6;
};

/*
 * Counters as reported in a VW_A_STATS nest.  Numbers above VW_STATS_MAX
 * (from a newer kernel) are dropped on the floor: we have no name for them.
 */
struct vw_counters {
	bool present[VW_STATS_MAX + 1];
	uint64_t val[VW_STATS_MAX + 1];
};

/*
 * One endpoint.  The same struct carries what the user typed (add, del,
 * show selectors) and what the kernel reported (show), so every has_*
 * flag means "this field was given".
 */
struct vw_endpoint {
	bool has_id;
	uint32_t id;
	char ifname[IFNAMSIZ];		/* "" when not given */
	uint32_t ifindex;		/* 0 when not given */
	bool has_format;
	uint8_t format;			/* enum vw_format */
	bool has_port;
	uint16_t port;
	int family;			/* of remote and local; AF_UNSPEC: none */
	bool has_remote;
	union vw_addr remote;
	bool has_local;
	union vw_addr local;
	bool has_stats;
	struct vw_counters stats;
};

/* Options that apply to every command. */
struct vw_opts {
	bool json;
};

/* Where parse errors go; NULL means stderr.  The unit tests point it at a
 * memory stream to check the messages. */
void parse_set_errfile(FILE *f);

bool parse_id(const char *s, uint32_t *id);
bool parse_port(const char *s, uint16_t *port);
bool parse_ifname(const char *s, char name[IFNAMSIZ]);
bool parse_format(const char *s, uint8_t *format);
/* what names the address in messages ("remote", "local"). */
bool parse_addr(const char *what, const char *s, int *family,
		union vw_addr *addr);
bool parse_is_json_opt(const char *s);

/*
 * Command parsers.  argv[0] is the first word after the command name.
 * Each resets ep and fills opts for any option found among the words.
 */
bool parse_add(int argc, char **argv, struct vw_endpoint *ep,
	       struct vw_opts *opts);
bool parse_del(int argc, char **argv, struct vw_endpoint *ep,
	       struct vw_opts *opts);
bool parse_show(int argc, char **argv, struct vw_endpoint *ep,
		struct vw_opts *opts);

/* "vxlan", or NULL for a format this vwctl does not know. */
const char *format_name(uint8_t format);

#endif /* VWCTL_PARSE_H */
