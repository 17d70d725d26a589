/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vwd's directory: the key layout (version 1) and JSON values in etcd,
 * and the in-memory view of it that the range and watch events keep up to
 * date (Documentation/controller.rst has the layout):
 *
 *   PREFIX/v1/hosts/HOST              {"version":1,"host":"b","addrs":[...]}
 *   PREFIX/v1/connectors/ID/HOST/DEV  {"version":1,"id":42,"host":"b",
 *                                      "dev":"vw0","addrs":[...],
 *                                      "port":4789,"format":"vxlan",
 *                                      "state":"active","vm":"V"}
 *
 * Both under the writing host's lease.  A value of another version, or
 * one that does not parse, is left out of the view (logged by the caller):
 * a newer vwd's keys never make an older one act on half-understood data.
 */
#ifndef VWD_DIRECTORY_H
#define VWD_DIRECTORY_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VWD_VERSION	1
#define VWD_MAX_ADDRS	4
#define VWD_ADDRLEN	46	/* INET6_ADDRSTRLEN */
#define VWD_NAMELEN	64	/* host and vm names */
#define VWD_KEYLEN	512

struct vwd_end {
	uint32_t id;
	char host[VWD_NAMELEN];
	char dev[IFNAMSIZ];
	char addrs[VWD_MAX_ADDRS][VWD_ADDRLEN];
	size_t naddrs;
	uint16_t port;
	char format[8];			/* "vxlan" or "vw" */
	bool standby;			/* else active */
	char vm[VWD_NAMELEN];		/* "" when none */
};

struct vwd_host {
	char name[VWD_NAMELEN];
	char addrs[VWD_MAX_ADDRS][VWD_ADDRLEN];
	size_t naddrs;
};

/* Owned arrays; a delete moves the last element into the hole. */
struct vwd_view {
	struct vwd_end *ends;
	size_t nends;
	struct vwd_host *hosts;
	size_t nhosts;
	int64_t revision;		/* of the last range or event applied */
};

/* The keys; false when they do not fit (a prefix too long). */
bool vwd_key_host(char *buf, size_t len, const char *prefix,
		  const char *host);
bool vwd_key_end(char *buf, size_t len, const char *prefix,
		 const struct vwd_end *end);
/* PREFIX/v1/connectors/ID/ (the slash: 42 is not a prefix of 420). */
bool vwd_key_connector(char *buf, size_t len, const char *prefix,
		       uint32_t id);
/* PREFIX/v1/ : what vwd ranges and watches. */
bool vwd_key_root(char *buf, size_t len, const char *prefix);

/* Values: a malloc'd JSON string, or NULL (out of memory). */
char *vwd_end_json(const struct vwd_end *end);
char *vwd_host_json(const struct vwd_host *host);
/* 0, or -1 with *why set to a static reason. */
int vwd_end_parse(const char *json, struct vwd_end *end, const char **why);
int vwd_host_parse(const char *json, struct vwd_host *host, const char **why);

/*
 * Apply a put (@value) or a delete (@value NULL) of @key.  0: applied (or
 * a key vwd does not know, ignored); -1: a put whose value is not
 * understood, *why set (the old value, if any, is dropped: it is stale).
 */
int vwd_view_apply(struct vwd_view *v, const char *prefix, const char *key,
		   const char *value, const char **why);
void vwd_view_clear(struct vwd_view *v);

const struct vwd_end *vwd_view_find(const struct vwd_view *v, uint32_t id,
				    const char *host, const char *dev);

/*
 * The address to send to for @far from a host with addresses @mine: the
 * first of far's addresses whose family is among mine, in far's order
 * after mine's family order.  NULL when none.
 */
const char *vwd_pick_addr(const char (*mine)[VWD_ADDRLEN], size_t nmine,
			  const struct vwd_end *far);

/*
 * Lenient readers of a JSON object's members (a request, the state file,
 * vwctl's output): @key's string into @buf, "" when absent or not a
 * string; @key's boolean, false when absent.
 */
struct json_object;
void vwd_json_str(struct json_object *o, const char *key, char *buf,
		  size_t len);
bool vwd_json_bool(struct json_object *o, const char *key);

#endif /* VWD_DIRECTORY_H */
