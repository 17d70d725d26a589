/* SPDX-License-Identifier: GPL-2.0 */
/* Generic netlink requests to the virtualwire family. */
#ifndef VWCTL_NETLINK_H
#define VWCTL_NETLINK_H

#include <stddef.h>
#include <stdio.h>
#include <netlink/genl/genl.h>

#include "parse.h"

struct vw_nl {
	struct nl_sock *sk;
	int family;		/* generic netlink family id */
	/* Why the last call failed: */
	int err;		/* errno the kernel sent, 0 if none */
	int nlerr;		/* libnl error code when the kernel sent none */
	char extack[256];	/* the kernel's extended ack message, or "" */
	uint32_t bad_off;	/* NLMSGERR_ATTR_OFFS of the ack, or 0 */
	unsigned int bad_attr;	/* the request's attribute at bad_off, or 0 */
};

enum {
	VW_NL_OK = 0,
	VW_NL_FAIL = -1,	/* see err, nlerr and extack */
	VW_NL_NOFAMILY = -2,	/* the module is not loaded, or was unloaded */
	VW_NL_STOP = -3,	/* a callback asked to stop */
};

/* Socket only, with extended acks turned on; family still unset. */
int vw_nl_connect(struct vw_nl *nl);
/* vw_nl_connect() and look up the "virtualwire" family. */
int vw_nl_open(struct vw_nl *nl);
void vw_nl_close(struct vw_nl *nl);

int vw_nl_add(struct vw_nl *nl, const struct vw_endpoint *ep);
/*
 * VW_CMD_ADD, or with replace VW_CMD_REPLACE (create the endpoint or give
 * the existing one exactly this configuration), asking for a peer named
 * by ep that does not exist to be made too (VW_A_PEER_CREATE).
 */
int vw_nl_new(struct vw_nl *nl, const struct vw_endpoint *ep, bool replace);
/* Change the endpoint named by ep's ID or ifname: the fields ep has. */
int vw_nl_set(struct vw_nl *nl, const struct vw_endpoint *ep);
int vw_nl_del(struct vw_nl *nl, const struct vw_endpoint *sel);
/* Delete every endpoint, or the bound ones of f's ID range, in one go. */
int vw_nl_flush(struct vw_nl *nl, const struct vw_flush *f);
/*
 * The endpoint named by sel (its ID or ifname), or every endpoint when
 * sel names none.  *eps is malloc()ed; free it also on failure.
 */
int vw_nl_get(struct vw_nl *nl, const struct vw_endpoint *sel,
	      struct vw_endpoint **eps, size_t *n);
int vw_nl_get_ns(struct vw_nl *nl, struct vw_counters *st);

/*
 * The monitor: a socket of its own (vw_nl_open() first), subscribed to
 * the family's "events" group and to nlctrl's "notify" group, which tells
 * when the family goes away.  Leaves the socket non-blocking, for poll().
 */
int vw_nl_monitor_open(struct vw_nl *nl);

/* Called for each event; returns false to stop reading. */
typedef bool (*vw_event_fn)(uint8_t cmd, const struct vw_endpoint *ep,
			    void *arg);

/*
 * Read what is waiting on the monitor socket and hand each event to fn:
 * VW_NL_OK (also when nothing was waiting), VW_NL_NOFAMILY when the
 * module was unloaded, VW_NL_STOP when fn said so, VW_NL_FAIL otherwise
 * (err ENOBUFS: the socket overran and events were lost, but it still
 * works).
 */
int vw_nl_monitor_read(struct vw_nl *nl, vw_event_fn fn, void *arg);

/*
 * "vwctl: CMD: KEYWORD: <extack> (<strerror>)" for the last failure,
 * KEYWORD naming the option of the attribute the kernel pointed at.
 */
void vw_nl_perror(const struct vw_nl *nl, const char *cmd, FILE *f);

/* Building blocks, exposed for the unit tests. */
/* The type of the top-level attribute of request nlh holding byte off of
 * it (an NLMSGERR_ATTR_OFFS), 0 if none. */
unsigned int vw_nl_attr_at(struct nlmsghdr *nlh, uint32_t off);
/* The CONFIG attributes of ep (see <linux/virtualwire.h>). */
int vw_nl_put_config(struct nl_msg *msg, const struct vw_endpoint *ep);
/* VW_CMD_ADD: ID, ifname and CONFIG. */
int vw_nl_put_endpoint(struct nl_msg *msg, const struct vw_endpoint *ep);
/* VW_CMD_SET: the selector (ID or ifname) and CONFIG. */
int vw_nl_put_set(struct nl_msg *msg, const struct vw_endpoint *ep);
int vw_nl_put_selector(struct nl_msg *msg, const struct vw_endpoint *sel);
/* VW_CMD_FLUSH: VW_A_ID_MIN and VW_A_ID_MAX when f has a range. */
int vw_nl_put_flush(struct nl_msg *msg, const struct vw_flush *f);
int vw_nl_parse_endpoint(struct nlmsghdr *nlh, struct vw_endpoint *ep);
int vw_nl_parse_stats(struct nlattr *nest, struct vw_counters *st);
/* What one message read by the monitor is (vw_nl_parse_event()). */
enum {
	VW_EVENT_NONE,		/* nothing for us */
	VW_EVENT_ENDPOINT,	/* *cmd and *ep are set */
	VW_EVENT_GONE,		/* the family (family) was unregistered */
};
/* A message on the monitor socket: VW_EVENT_*, or -NLE_* if malformed. */
int vw_nl_parse_event(struct nlmsghdr *nlh, int family, uint8_t *cmd,
		      struct vw_endpoint *ep);
/* The messages of one datagram of len bytes: as vw_nl_monitor_read(). */
int vw_nl_monitor_dispatch(struct vw_nl *nl, void *buf, size_t len,
			   vw_event_fn fn, void *arg);
/* Send msg and read replies up to the ack or the end of the dump,
 * handing each reply to valid (which returns NL_OK or NL_STOP). */
int vw_nl_request(struct vw_nl *nl, struct nl_msg *msg,
		  int (*valid)(struct nl_msg *, void *), void *arg);

#endif /* VWCTL_NETLINK_H */
