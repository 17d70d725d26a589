/* SPDX-License-Identifier: GPL-2.0 */
/* Text and JSON output of endpoints and counters. */
#ifndef VWCTL_PRINT_H
#define VWCTL_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

/*
 * A streaming JSON writer: compact output, commas placed for the caller.
 * key is the member name inside an object and NULL inside an array or at
 * the top level.  Closing the top-level value ends the line.
 */
#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool pretty;		/* indented, a member a line */
};

/* Whether json_init() makes indented writers (--pretty). */
void json_set_pretty(bool pretty);

void json_init(struct json *j, FILE *f);
void json_begin_obj(struct json *j, const char *key);
void json_end_obj(struct json *j);
void json_begin_arr(struct json *j, const char *key);
void json_end_arr(struct json *j);
void json_str(struct json *j, const char *key, const char *s);	/* NULL: null */
void json_u64(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* s as a quoted JSON string; invalid UTF-8 becomes U+FFFD. */
void json_write_string(FILE *f, const char *s);

/*
 * Name of counter nr, derived from its VW_STATS_* name: "rx_packets", or
 * for VW_STATS_DROP_X "x" with *drop set.  NULL for numbers without a name.
 */
const char *stat_name(unsigned int nr, bool *drop);

/* "show" output: the connectors, then the namespace counters unless ns is
 * NULL (a single connector was asked for). */
/*
 * A line "  directory: NOTE" under an endpoint in the text of show, when
 * @note returns one for it (vwctl asks vwd: far end gone); NULL: none.
 */
void print_set_endpoint_note(const char *(*note)(const struct vw_endpoint *ep));
void print_show_text(FILE *f, const struct vw_endpoint *eps, size_t n,
		     const struct vw_counters *ns);
void print_show_json(FILE *f, const struct vw_endpoint *eps, size_t n,
		     const struct vw_counters *ns);

/* "stats" output: the counters alone, every one the kernel sent. */
void print_stats_text(FILE *f, const struct vw_endpoint *eps, size_t n,
		      const struct vw_counters *ns);
void print_stats_json(FILE *f, const struct vw_endpoint *eps, size_t n,
		      const struct vw_counters *ns);

/*
 * "save" output: vwctl -batch input that makes eps again, the options
 * that differ from the kernel's defaults only; local wires in an order
 * in which each peer can be named.
 */
void print_save(FILE *f, const struct vw_endpoint *eps, size_t n);

/* "new", "changed", "removed" for VW_CMD_NEW, ...; NULL for others. */
const char *event_name(uint8_t cmd);

/*
 * "monitor" output: one line per event, cmd being the event's generic
 * netlink command (VW_CMD_NEW, VW_CMD_CHANGED, VW_CMD_REMOVED).
 */
void print_event_text(FILE *f, uint8_t cmd, const struct vw_endpoint *ep);
void print_event_json(FILE *f, uint8_t cmd, const struct vw_endpoint *ep);
/* The same with a "time" member first, when time is not NULL. */
void print_event_json_at(FILE *f, uint8_t cmd, const struct vw_endpoint *ep,
			 const char *time);
/* "2026-12-06T13:52:15.123456+0000": now, local time (monitor -t). */
const char *timestamp_str(char *buf, size_t len);

#endif /* VWCTL_PRINT_H */
