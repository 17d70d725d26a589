/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The endpoint options: one table, one row an option, that drives the
 * parsing of add and set, the netlink request and the reading of the
 * kernel's report, the text of show, monitor and save, show --json, the
 * help and the completion's keywords, and the naming of an attribute the
 * kernel refused.  A new option is one row here (and its functions).
 */
#ifndef VWCTL_OPTIONS_H
#define VWCTL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>

#include "parse.h"

struct json;

/* Where a keyword may be given. */
enum {
	OPT_ADD = 1,
	OPT_SET = 2,
};

struct vw_option {
	const char *keyword;	/* as add and set take it */
	const char *args;	/* "N|auto|inherit"; NULL for a flag */
	unsigned char nargs;	/* words after the keyword: 0, 1 or 2 */
	unsigned char where;	/* OPT_ADD | OPT_SET */
	uint16_t attrs[3];	/* the VW_A_* carrying it, 0-terminated */
	const char *json_key;	/* its member in show --json; NULL: none */
	const char *help;	/* one line of help */
	/*
	 * The words of the value the kernel takes when the option is not
	 * given (save leaves it out then); NULL: none, or see is_default.
	 */
	const char *dflt;
	bool (*is_default)(const struct vw_endpoint *ep);
	/* argv words (nargs of them) into ep, with a message on failure. */
	bool (*parse)(char **v, struct vw_endpoint *ep);
	/* Its attributes, if ep has it; 0 or -NLE_MSGSIZE. */
	int (*put)(struct nl_msg *msg, const struct vw_endpoint *ep);
	/* Its attributes of a report (tb by VW_A_*), into ep; -1: malformed. */
	int (*get)(struct nlattr **tb, struct vw_endpoint *ep);
	/*
	 * The words of its value ("49152 65535"), "" for a flag that is set,
	 * NULL when ep has none.
	 */
	const char *(*words)(const struct vw_endpoint *ep, char *buf,
			     size_t len);
	/* Its member of show --json: null when ep has none. */
	void (*json)(struct json *j, const char *key,
		     const struct vw_endpoint *ep);
};

/* At most this many rows (parse.c keeps a word for each). */
#define VW_OPTIONS_MAX 64

extern const struct vw_option vw_options[];
extern const size_t vw_noptions;

/* The row of keyword (for where), or NULL. */
const struct vw_option *option_find(const char *keyword, unsigned int where);
/* Index of the row of keyword, -1 if none. */
int option_index(const char *keyword);

/*
 * What the operator typed or can type for attribute type of a request:
 * "remote", "dev", "ID"; NULL for one without a word.
 */
const char *option_attr_word(unsigned int type);

/*
 * " dev vw0 remote 192.0.2.2 ...": every option ep has, in the words of
 * add (save: only those that differ from the kernel's defaults).
 */
void option_print_words(FILE *f, const struct vw_endpoint *ep, bool save);
/*
 * The same, save also keeping a default that like (the endpoint whose
 * add made ep) has not: ep may have been made with like's options.
 */
void option_print_words_like(FILE *f, const struct vw_endpoint *ep,
			     bool save, const struct vw_endpoint *like);
/* The options' members of a show --json connector. */
void option_print_json(struct json *j, const struct vw_endpoint *ep);

/* name, or "unknown(N)" in buf when name is NULL. */
const char *enum_str(const char *name, unsigned int v, char *buf, size_t len);

/* "dev, remote, ... or standby": the keywords of where. */
const char *option_keyword_list(unsigned int where);
/*
 * The OPTIONS part of the help: one line an option of where,
 * "  KEYWORD ARGS" in 24 columns and its help (the bash completion reads
 * the keywords and the lower-case words of ARGS from it).
 */
void option_print_help(FILE *f, unsigned int where);

#endif /* VWCTL_OPTIONS_H */
