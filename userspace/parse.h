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

/* An accepted source prefix. */
struct vw_prefix {
	int family;
	union vw_addr addr;
	uint8_t len;
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
 * One endpoint.  The same struct carries what the user typed (add, set,
 * del, show selectors) and what the kernel reported (show, stats), so
 * every has_* flag means "this field was given".
 */
struct vw_endpoint {
	bool has_id;
	uint32_t id;
	char ifname[IFNAMSIZ];		/* "" when not given */
	uint32_t ifindex;		/* 0 when not given */
	bool has_wire;
	uint8_t wire;			/* enum vw_wire; reported only */
	bool has_format;
	uint8_t format;			/* enum vw_format */
	bool has_port;
	uint16_t port;
	int family;			/* of remote; AF_UNSPEC: none */
	bool has_remote;
	union vw_addr remote;
	bool has_peer;			/* peer_ifname and/or peer_ifindex */
	char peer_ifname[IFNAMSIZ];	/* "" when not given */
	uint32_t peer_ifindex;		/* 0 when not given */
	/*
	 * "local any" is has_local with an all-zero IPv4 address: the
	 * kernel takes an all-zero local of either family for "unset".
	 */
	int local_family;
	bool has_local;
	union vw_addr local;
	bool has_ttl;
	uint16_t ttl;			/* 1-255, VW_TTL_AUTO, VW_TTL_INHERIT */
	bool has_tos;
	uint16_t tos;			/* 0-255, VW_TOS_INHERIT */
	bool has_df;
	uint8_t df;			/* enum vw_df */
	bool has_srcport;		/* both ends of the range */
	uint16_t srcport_min, srcport_max;
	bool has_csum;
	bool csum;
	bool has_udp6zcsum_tx;
	bool udp6zcsum_tx;
	bool has_udp6zcsum_rx;
	bool udp6zcsum_rx;
	/* Migration (UDP wires); "standby" and "active" set has_standby. */
	bool has_standby;
	bool standby;
	bool has_state;
	uint8_t state;			/* enum vw_state; reported only */
	bool has_accept;		/* "accept none": has_accept, none */
	uint8_t naccept;
	struct vw_prefix accept[VW_ACCEPT_MAX];
	bool has_roam;
	bool roam;
	bool has_roam_holddown;
	uint32_t roam_holddown;		/* ms */
	/* "relay off" is has_relay with an all-zero IPv4 address. */
	bool has_relay;
	int relay_family;
	union vw_addr relay;
	bool has_hold;
	uint32_t hold;			/* frames */
	bool has_hold_time;
	uint32_t hold_time;		/* ms */
	bool has_vm_mac;		/* "vm-mac none": has_vm_mac, none */
	uint8_t nvm_mac;
	uint8_t vm_mac[VW_VM_MAC_MAX][6];
	/* Service level (Documentation/sla.rst): bytes per second, bytes. */
	bool has_rate;			/* both ends */
	uint64_t rate_min;
	uint64_t rate_max;		/* VW_RATE_UNLIMITED: none */
	bool has_burst;
	uint32_t burst;
	bool has_priority;
	uint32_t priority;		/* outer skb->priority; 0: the stack's */
	bool has_mark;
	uint32_t mark;			/* outer skb->mark; 0: the stack's */
	bool has_stats;
	struct vw_counters stats;
};

/* Options that apply to every command. */
struct vw_opts {
	bool json;
	bool pretty;		/* --pretty, -p: indented JSON */
	bool timestamp;		/* monitor -t: each event with its time */
	bool may_exist;		/* add --may-exist */
	bool if_exists;		/* del --if-exists */
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
/* An address, or "any": all-zero IPv4 (see struct vw_endpoint). */
bool parse_local(const char *s, int *family, union vw_addr *addr);
bool parse_ttl(const char *s, uint16_t *ttl);
bool parse_tos(const char *s, uint16_t *tos);
bool parse_df(const char *s, uint8_t *df);
bool parse_srcport(const char *min, const char *max, uint16_t *lo,
		   uint16_t *hi);
/* "on" or "off"; what names the setting in messages. */
bool parse_onoff(const char *what, const char *s, bool *v);
/* "PREFIX[,PREFIX...]" (ADDR/LEN, or ADDR for a host) or "none". */
bool parse_accept(const char *s, struct vw_endpoint *ep);
/* "MAC[,MAC...]" or "none". */
bool parse_vm_mac(const char *s, struct vw_endpoint *ep);
/*
 * rate MIN MAX in tc's words (units.h), into bytes per second; MAX may be
 * "unlimited" (VW_RATE_UNLIMITED), not 0; MIN not above MAX.
 */
bool parse_rate(const char *min, const char *max, uint64_t *lo, uint64_t *hi);
/* burst SIZE in tc's words, 1 byte to 4g - 1. */
bool parse_burst(const char *s, uint32_t *burst);
/* priority N (decimal, 0x hex) or MAJOR:MINOR in hex, as tc's class IDs. */
bool parse_priority(const char *s, uint32_t *prio);
/* mark N, decimal or 0x hex. */
bool parse_mark(const char *s, uint32_t *mark);
/* A number of frames or milliseconds in [min, max]. */
bool parse_u32_range(const char *what, const char *s, uint32_t min,
		     uint32_t max, uint32_t *v);
const char *state_name(uint8_t state);
/* --json, -j, --pretty or -p (JSON, indented). */
bool parse_is_json_opt(const char *s);
/* Note the option s (parse_is_json_opt()) in opts. */
void parse_json_opt(const char *s, struct vw_opts *opts);

/*
 * Command parsers.  argv[0] is the first word after the command name.
 * Each resets ep and fills opts for any option found among the words.
 */
bool parse_add(int argc, char **argv, struct vw_endpoint *ep,
	       struct vw_opts *opts);
/* replace: the words of add; cmd names it in messages. */
bool parse_replace(int argc, char **argv, struct vw_endpoint *ep,
		   struct vw_opts *opts);
bool parse_set(int argc, char **argv, struct vw_endpoint *ep,
	       struct vw_opts *opts);
bool parse_del(int argc, char **argv, struct vw_endpoint *ep,
	       struct vw_opts *opts);
bool parse_show(int argc, char **argv, struct vw_endpoint *ep,
		struct vw_opts *opts);
/* vwctl sla show-tc DEV capacity RATE. */
struct vw_sla_args {
	char dev[IFNAMSIZ];
	uint64_t capacity;		/* bytes per second */
};

bool parse_sla(int argc, char **argv, struct vw_sla_args *a);
bool parse_stats(int argc, char **argv, struct vw_endpoint *ep,
		 struct vw_opts *opts);
/*
 * "flush [id MIN[-MAX]]": which endpoints VW_CMD_FLUSH deletes, every one
 * when has_range is false.
 */
struct vw_flush {
	bool has_range;
	uint32_t min, max;
};

bool parse_flush(int argc, char **argv, struct vw_flush *f,
		 struct vw_opts *opts);
/* "monitor [--json|--pretty] [-t]": nothing to name, only options. */
bool parse_monitor(int argc, char **argv, struct vw_opts *opts);

/*
 * Batch files (vwctl -batch FILE): one command a line, in the words of the
 * command line without the leading "vwctl".  Words are separated by blanks
 * and there is no quoting: no word vwctl takes holds a blank.  A word that
 * starts with '#' ends the line, so comments and blank lines give no
 * command.
 */
#define BATCH_MAX_WORDS 64

/*
 * Split line (len bytes, NUL-terminated; a trailing newline is a blank)
 * into words, in place.  Fails, with a message, on a NUL byte inside the
 * line and on more than max words.  *argc is 0 for a line without words;
 * argv gets a NULL after the last word, so it needs room for max + 1.
 */
bool parse_batch_line(char *line, size_t len, int *argc, char **argv,
		      int max);

struct batch {
	FILE *f;
	unsigned long lineno;		/* of the line last read, from 1 */
	int argc;			/* the words of that line */
	char *argv[BATCH_MAX_WORDS + 1];
	char *line;			/* getline()'s buffer */
	size_t cap;
};

enum {
	BATCH_END = 0,			/* no more lines */
	BATCH_CMD = 1,			/* argc, argv: the next command */
	BATCH_BAD = -1,			/* lineno cannot be split (reported) */
	BATCH_READ_ERROR = -2,		/* reading failed, see errno */
};

void batch_init(struct batch *b, FILE *f);
/* The next line that holds a command: BATCH_*. */
int batch_next(struct batch *b);
void batch_free(struct batch *b);

/* Names of enum values ("vxlan", "udp", "inherit"), or NULL for a value
 * this vwctl does not know. */
const char *format_name(uint8_t format);
const char *wire_name(uint8_t wire);
const char *df_name(uint8_t df);

#endif /* VWCTL_PARSE_H */
