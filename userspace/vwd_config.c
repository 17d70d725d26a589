// SPDX-License-Identifier: GPL-2.0
/*
 * vwd's configuration: vwd.conf (one "key value..." per line, '#'
 * comments), then the flags over it (vwd(8)).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vwd_config.h"

static int split_list(char *s, char **out, size_t max, size_t *n)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(s, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if (*n >= max)
			return -1;
		out[(*n)++] = strdup(tok);
	}
	return 0;
}

static int set_addrs(struct vwd_config *c, char *list, const char *where)
{
	char *tok, *save = NULL;
	unsigned char buf[16];

	c->naddrs = 0;
	for (tok = strtok_r(list, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if ((inet_pton(AF_INET, tok, buf) != 1 &&
		     inet_pton(AF_INET6, tok, buf) != 1) ||
		    c->naddrs >= VWD_MAX_ADDRS) {
			fprintf(stderr, "vwd: %s: addr '%s': not an IPv4 or IPv6 address (at most %d)\n",
				where, tok, VWD_MAX_ADDRS);
			return -1;
		}
		strcpy(c->addrs[c->naddrs++], tok);
	}
	return 0;
}

/* A whole number of seconds from @min to @max. */
static int set_seconds(int *out, const char *key, const char *val, long min,
		       long max, const char *where)
{
	char *end;
	long v = strtol(val, &end, 10);

	if (*end || end == val || v < min || v > max) {
		fprintf(stderr, "vwd: %s: %s '%s': seconds, %ld to %ld\n",
			where, key, val, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int set_opt(struct vwd_config *c, const char *key, char *val,
		   const char *where)
{
	if (!strcmp(key, "etcd")) {
		c->nendpoints = 0;
		if (split_list(val, c->endpoints, VWD_MAX_ENDPOINTS,
			       &c->nendpoints) || !c->nendpoints) {
			fprintf(stderr, "vwd: %s: etcd: 1 to %d URLs\n", where,
				VWD_MAX_ENDPOINTS);
			return -1;
		}
	} else if (!strcmp(key, "host")) {
		if (!*val || strlen(val) >= VWD_NAMELEN || strchr(val, '/')) {
			fprintf(stderr, "vwd: %s: host '%s': 1 to %d characters, no '/'\n",
				where, val, VWD_NAMELEN - 1);
			return -1;
		}
		strcpy(c->host, val);
	} else if (!strcmp(key, "addr")) {
		return set_addrs(c, val, where);
	} else if (!strcmp(key, "prefix")) {
		if (*val != '/' || strlen(val) >= sizeof(c->prefix) - 64) {
			fprintf(stderr, "vwd: %s: prefix '%s': must start with '/'\n",
				where, val);
			return -1;
		}
		strcpy(c->prefix, val);
		/* "/virtualwire/" and "/virtualwire" are one prefix. */
		if (strlen(c->prefix) > 1 && c->prefix[strlen(c->prefix) - 1] == '/')
			c->prefix[strlen(c->prefix) - 1] = 0;
	} else if (!strcmp(key, "ttl")) {
		return set_seconds(&c->ttl, key, val, 3, 3600, where);
	} else if (!strcmp(key, "timeout")) {
		return set_seconds(&c->timeout, key, val, 1, 60, where);
	} else if (!strcmp(key, "cacert")) {
		c->cacert = strdup(val);
	} else if (!strcmp(key, "cert")) {
		c->cert = strdup(val);
	} else if (!strcmp(key, "key")) {
		c->key = strdup(val);
	} else if (!strcmp(key, "user")) {
		c->user = strdup(val);
	} else if (!strcmp(key, "password-file")) {
		c->password_file = strdup(val);
	} else if (!strcmp(key, "state")) {
		c->state = strdup(val);
	} else if (!strcmp(key, "vwctl")) {
		c->vwctl = strdup(val);
	} else if (!strcmp(key, "ip")) {
		c->ip = strdup(val);
	} else {
		fprintf(stderr, "vwd: %s: unknown setting '%s'\n", where, key);
		return -1;
	}
	return 0;
}

/* @must: the file was named with -c, so it has to be there. */
static int read_config(struct vwd_config *c, const char *path, bool must)
{
	char *line = NULL, where[PATH_MAX + 32], *key, *val;
	size_t cap = 0, lineno = 0;
	FILE *f = fopen(path, "r");
	int ret = 0;

	if (!f) {
		if (!must && errno == ENOENT)
			return 0;
		fprintf(stderr, "vwd: cannot read '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0 && !ret) {
		lineno++;
		line[strcspn(line, "#\n")] = 0;
		key = line + strspn(line, " \t");
		if (!*key)
			continue;
		val = key + strcspn(key, " \t");
		if (*val)
			*val++ = 0;
		val += strspn(val, " \t");
		val[strcspn(val, "\r")] = 0;
		while (*val && strchr(" \t", val[strlen(val) - 1]))
			val[strlen(val) - 1] = 0;
		snprintf(where, sizeof(where), "%s line %zu", path, lineno);
		ret = set_opt(c, key, val, where);
	}
	free(line);
	fclose(f);
	return ret;
}

char *vwd_config_password(const char *path)
{
	char buf[512];
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "vwd: password-file '%s': %s\n", path,
			strerror(errno));
		return NULL;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\r\n")] = 0;
	return strdup(buf);
}

void vwd_config_usage(FILE *f)
{
	fputs("Usage: vwd [-c FILE] [--host NAME] [--addr ADDR[,ADDR...]] [--etcd URL[,URL...]]\n"
	      "           [--prefix P] [--ttl S] [--timeout S]\n"
	      "           [--state FILE] [--vwctl PATH] [--ip PATH] [-v]\n"
	      "       vwd status [ID] [--json]\n", f);
}

int vwd_config_parse(struct vwd_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "addr", required_argument, NULL, 'a' },
		{ "etcd", required_argument, NULL, 'e' },
		{ "prefix", required_argument, NULL, 'P' },
		{ "ttl", required_argument, NULL, 't' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "state", required_argument, NULL, 's' },
		{ "vwctl", required_argument, NULL, 'w' },
		{ "ip", required_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = {
		['H'] = "host", ['a'] = "addr", ['e'] = "etcd",
		['P'] = "prefix", ['t'] = "ttl", ['T'] = "timeout",
		['s'] = "state",
		['w'] = "vwctl", ['i'] = "ip",
	};
	const char *conf = "/etc/virtualwire/vwd.conf";
	bool conf_given = false;
	int c, i;

	/* The file first, whatever the order: the flags override it. */
	for (i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) {
			conf = argv[i + 1];
			conf_given = true;
		}
	if (read_config(cfg, conf, conf_given))
		return -1;
	while ((c = getopt_long(argc, argv, "c:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			break;
		case 'v':
			cfg->verbose = true;
			break;
		case 'h':
			vwd_config_usage(stdout);
			exit(0);
		case '?':
			vwd_config_usage(stderr);
			return -1;
		default:
			if (set_opt(cfg, names[c], optarg, "command line"))
				return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vwd: unexpected argument '%s'\n", argv[optind]);
		vwd_config_usage(stderr);
		return -1;
	}
	if (!cfg->host[0] && gethostname(cfg->host, sizeof(cfg->host) - 1)) {
		perror("vwd: gethostname");
		return -1;
	}
	if (!cfg->naddrs) {
		fputs("vwd: no underlay address: give addr ADDR in vwd.conf or --addr ADDR (how other hosts reach this one)\n",
		      stderr);
		return -1;
	}
	if (!cfg->nendpoints) {
		cfg->endpoints[0] = strdup("http://127.0.0.1:2379");
		cfg->nendpoints = 1;
	}
	return 0;
}
