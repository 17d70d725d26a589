/* SPDX-License-Identifier: GPL-2.0 */
/* vwd's configuration: /etc/virtualwire/vwd.conf, then the flags over it. */
#ifndef VWD_CONFIG_H
#define VWD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "directory.h"

#define VWD_MAX_ENDPOINTS	8

struct vwd_config {
	char *endpoints[VWD_MAX_ENDPOINTS];
	size_t nendpoints;
	char host[VWD_NAMELEN];
	char addrs[VWD_MAX_ADDRS][VWD_ADDRLEN];
	size_t naddrs;
	char prefix[256];
	int ttl;
	int timeout;		/* seconds, each etcd call */
	char *cacert, *cert, *key, *user, *password_file;
	char *state;
	char *vwctl;
	char *ip;
	bool verbose;
};

/*
 * Read the file (-c FILE, else /etc/virtualwire/vwd.conf if it exists),
 * then the flags; fill the defaults.  -1 after saying what is wrong.
 */
int vwd_config_parse(struct vwd_config *cfg, int argc, char **argv);
void vwd_config_usage(FILE *f);
/* The first line of @path, or NULL after saying why. */
char *vwd_config_password(const char *path);

#endif
