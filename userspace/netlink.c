// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to the virtualwire generic netlink family with libnl-3.
 *
 * libnl 3.7 (Debian 12) knows nothing of extended acks, so the socket
 * option is set by hand and the error callback digs the kernel's message
 * out of the NLMSG_ERROR (or, for dumps, NLMSG_DONE) payload itself.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

#include "netlink.h"
#include "options.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int vw_nl_connect(struct vw_nl *nl)
{
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		nl->nlerr = NLE_NOMEM;
		return VW_NL_FAIL;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		nl->nlerr = -ret;
		return VW_NL_FAIL;
	}
	/*
	 * Both are best effort: without EXT_ACK we only lose the kernel's
	 * message, without CAP_ACK the ack just echoes our request back.
	 */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	return VW_NL_OK;
}

int vw_nl_open(struct vw_nl *nl)
{
	int ret;

	/*
	 * Test only: the host unit tests run vwctl with VWCTL_TEST_ROOT set.
	 * Asking the kernel for the family would load the module where it
	 * is installed: open no socket, the family is absent.
	 */
	if (getenv("VWCTL_TEST_ROOT")) {
		memset(nl, 0, sizeof(*nl));
		return VW_NL_NOFAMILY;
	}
	ret = vw_nl_connect(nl);
	if (ret)
		return ret;
	ret = genl_ctrl_resolve(nl->sk, VW_GENL_NAME);
	if (ret == -NLE_OBJ_NOTFOUND)
		return VW_NL_NOFAMILY;
	if (ret < 0) {
		nl->nlerr = -ret;
		return VW_NL_FAIL;
	}
	nl->family = ret;
	return VW_NL_OK;
}

void vw_nl_close(struct vw_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/*
 * The extended ack attributes start at offset off into the payload of
 * nlh, if NLM_F_ACK_TLVS says they are there at all.
 */
static void parse_ack_tlvs(struct vw_nl *nl, struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	struct nlattr *msg;
	const char *word;
	uint32_t type;

	nl->extack[0] = '\0';
	nl->bad_off = 0;
	off = NLMSG_ALIGN(off);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN || off >= plen)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + off),
		      plen - off, NULL) < 0)
		return;

	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		nl->bad_off = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	msg = tb[NLMSGERR_ATTR_MSG];
	if (msg && nla_len(msg) > 0) {
		nla_strlcpy(nl->extack, msg, sizeof(nl->extack));
		/* The kernel's messages carry no trailing newline, but be sure. */
		nl->extack[strcspn(nl->extack, "\n")] = '\0';
		return;
	}
	/* Newer kernels report a missing attribute by number only. */
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4) {
		type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		word = tb[NLMSGERR_ATTR_MISS_NEST] ? NULL :
		       option_attr_word(type);
		if (word)
			snprintf(nl->extack, sizeof(nl->extack),
				 "missing %s", word);
		else
			snprintf(nl->extack, sizeof(nl->extack),
				 "missing attribute %u", type);
	}
}

struct req_ctx {
	struct vw_nl *nl;
	int state;		/* 1: waiting, 0: done, -1: failed */
};

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl hands us the payload; the header sits right before it. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct req_ctx *c = arg;
	size_t off = sizeof(*e);

	(void)nla;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	c->nl->err = -e->error;
	parse_ack_tlvs(c->nl, nlh, off);
	c->state = -1;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct req_ctx *c = arg;

	(void)msg;
	c->state = 0;
	return NL_STOP;
}

/* A dump that fails part way ends with NLMSG_DONE carrying the error. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req_ctx *c = arg;
	int err;

	c->state = 0;
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0) {
			c->nl->err = -err;
			parse_ack_tlvs(c->nl, nlh, sizeof(err));
			c->state = -1;
		}
	}
	return NL_STOP;
}

unsigned int vw_nl_attr_at(struct nlmsghdr *nlh, uint32_t off)
{
	size_t start = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlattr *a;
	int rem;

	if (off < start || off >= nlh->nlmsg_len)
		return 0;
	rem = nlh->nlmsg_len - start;
	for (a = (struct nlattr *)((char *)nlh + start); nla_ok(a, rem);
	     a = nla_next(a, &rem)) {
		size_t at = (char *)a - (char *)nlh;

		if (off >= at && off < at + NLA_ALIGN(a->nla_len))
			return nla_type(a);
	}
	return 0;
}

int vw_nl_request(struct vw_nl *nl, struct nl_msg *msg,
		  int (*valid)(struct nl_msg *, void *), void *arg)
{
	struct req_ctx c = { .nl = nl, .state = 1 };
	struct nl_cb *cb;
	int ret;

	nl->err = 0;
	nl->nlerr = 0;
	nl->extack[0] = '\0';
	nl->bad_off = 0;
	nl->bad_attr = 0;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nl->nlerr = NLE_NOMEM;
		return VW_NL_FAIL;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &c);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &c);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &c);
	if (valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, arg);

	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		nl->nlerr = -ret;
		c.state = -1;
	}
	while (c.state > 0) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0) {
			/* err_cb has the kernel's errno; keep libnl's too. */
			nl->nlerr = -ret;
			c.state = -1;
		}
	}
	nl_cb_put(cb);
	if (c.state && nl->bad_off)
		nl->bad_attr = vw_nl_attr_at(nlmsg_hdr(msg), nl->bad_off);
	return c.state ? VW_NL_FAIL : VW_NL_OK;
}

static struct nl_msg *vw_msg(struct vw_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | flags, cmd, VW_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int vw_nl_put_config(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	size_t i;
	int ret;

	/* What set cannot change (dev) names the endpoint: not config. */
	for (i = 0; i < vw_noptions; i++) {
		if (!vw_options[i].put || !(vw_options[i].where & OPT_SET))
			continue;
		ret = vw_options[i].put(msg, ep);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int vw_nl_put_endpoint(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	if (ep->has_id)
		NLA_PUT_U32(msg, VW_A_ID, ep->id);
	if (ep->ifname[0])
		NLA_PUT_STRING(msg, VW_A_IFNAME, ep->ifname);
	return vw_nl_put_config(msg, ep);

nla_put_failure:
	return -NLE_MSGSIZE;
}

/* The kernel wants exactly one way of naming the endpoint. */
int vw_nl_put_selector(struct nl_msg *msg, const struct vw_endpoint *sel)
{
	if (sel->has_id)
		NLA_PUT_U32(msg, VW_A_ID, sel->id);
	else if (sel->ifname[0])
		NLA_PUT_STRING(msg, VW_A_IFNAME, sel->ifname);
	else if (sel->ifindex)
		NLA_PUT_U32(msg, VW_A_IFINDEX, sel->ifindex);
	return 0;

nla_put_failure:
	return -NLE_MSGSIZE;
}

/* An acked request of @cmd, or NULL (nl->nlerr says why). */
static struct nl_msg *ack_msg(struct vw_nl *nl, uint8_t cmd)
{
	struct nl_msg *msg = vw_msg(nl, cmd, NLM_F_ACK);

	if (!msg)
		nl->nlerr = NLE_NOMEM;
	return msg;
}

/* Send @msg, whose attributes were put with result @put; free it. */
static int send_ack(struct vw_nl *nl, struct nl_msg *msg, int put)
{
	int ret;

	if (put < 0) {
		nlmsg_free(msg);
		nl->nlerr = -put;
		return VW_NL_FAIL;
	}
	ret = vw_nl_request(nl, msg, NULL, NULL);
	nlmsg_free(msg);
	return ret;
}

static int send_simple(struct vw_nl *nl, uint8_t cmd, const struct vw_endpoint *ep,
		       int (*put)(struct nl_msg *, const struct vw_endpoint *))
{
	struct nl_msg *msg = ack_msg(nl, cmd);

	return msg ? send_ack(nl, msg, put(msg, ep)) : VW_NL_FAIL;
}

int vw_nl_add(struct vw_nl *nl, const struct vw_endpoint *ep)
{
	return send_simple(nl, VW_CMD_ADD, ep, vw_nl_put_endpoint);
}

int vw_nl_new(struct vw_nl *nl, const struct vw_endpoint *ep, bool replace)
{
	struct nl_msg *msg = ack_msg(nl, replace ? VW_CMD_REPLACE : VW_CMD_ADD);
	int put;

	if (!msg)
		return VW_NL_FAIL;
	put = vw_nl_put_endpoint(msg, ep);
	if (!put && ep->has_peer && ep->peer_ifname[0] &&
	    nla_put_u8(msg, VW_A_PEER_CREATE, 1) < 0)
		put = -NLE_MSGSIZE;
	return send_ack(nl, msg, put);
}

/* The selector names the endpoint, everything else is what changes. */
int vw_nl_put_set(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	int ret = vw_nl_put_selector(msg, ep);

	return ret < 0 ? ret : vw_nl_put_config(msg, ep);
}

int vw_nl_set(struct vw_nl *nl, const struct vw_endpoint *ep)
{
	return send_simple(nl, VW_CMD_SET, ep, vw_nl_put_set);
}

int vw_nl_del(struct vw_nl *nl, const struct vw_endpoint *sel)
{
	return send_simple(nl, VW_CMD_DEL, sel, vw_nl_put_selector);
}

int vw_nl_put_flush(struct nl_msg *msg, const struct vw_flush *f)
{
	if (f->has_range) {
		NLA_PUT_U32(msg, VW_A_ID_MIN, f->min);
		NLA_PUT_U32(msg, VW_A_ID_MAX, f->max);
	}
	return 0;

nla_put_failure:
	return -NLE_MSGSIZE;
}

int vw_nl_flush(struct vw_nl *nl, const struct vw_flush *f)
{
	struct nl_msg *msg = ack_msg(nl, VW_CMD_FLUSH);

	return msg ? send_ack(nl, msg, vw_nl_put_flush(msg, f)) : VW_NL_FAIL;
}

int vw_nl_parse_stats(struct nlattr *nest, struct vw_counters *st)
{
	struct nlattr *a;
	int rem, type;

	memset(st, 0, sizeof(*st));
	nla_for_each_nested(a, nest, rem) {
		type = nla_type(a);
		/* Numbers from a newer kernel have no name here: skip them. */
		if (type == VW_STATS_UNSPEC || type == VW_STATS_PAD ||
		    type > VW_STATS_MAX)
			continue;
		if (nla_len(a) != sizeof(uint64_t))
			return -NLE_INVAL;
		st->present[type] = true;
		st->val[type] = nla_get_u64(a);
	}
	return 0;
}

int vw_nl_parse_endpoint(struct nlmsghdr *nlh, struct vw_endpoint *ep)
{
	struct nlattr *tb[VW_A_MAX + 1];
	struct nlattr *a;
	size_t i;
	int ret;

	memset(ep, 0, sizeof(*ep));
	/* Attributes past VW_A_MAX come from a newer kernel; libnl skips them. */
	ret = genlmsg_parse(nlh, 0, tb, VW_A_MAX, NULL);
	if (ret < 0)
		return ret;

	if ((a = tb[VW_A_ID])) {
		if (nla_len(a) != 4)
			return -NLE_INVAL;
		ep->has_id = true;
		ep->id = nla_get_u32(a);
	}
	if ((a = tb[VW_A_IFINDEX])) {
		if (nla_len(a) != 4)
			return -NLE_INVAL;
		ep->ifindex = nla_get_u32(a);
	}
	for (i = 0; i < vw_noptions; i++)
		if (vw_options[i].get && vw_options[i].get(tb, ep) < 0)
			return -NLE_INVAL;
	if ((a = tb[VW_A_WIRE])) {
		if (nla_len(a) != 1)
			return -NLE_INVAL;
		ep->has_wire = true;
		ep->wire = nla_get_u8(a);
	}
	/* The local address is the source towards the remote: same family. */
	if (ep->has_remote && ep->has_local && ep->family != ep->local_family)
		return -NLE_INVAL;
	if ((a = tb[VW_A_STATS])) {
		ret = vw_nl_parse_stats(a, &ep->stats);
		if (ret < 0)
			return ret;
		ep->has_stats = true;
	}
	return 0;
}

struct get_ctx {
	struct vw_endpoint *eps;
	size_t n, cap;
};

static int get_cb(struct nl_msg *msg, void *arg)
{
	struct get_ctx *g = arg;
	struct vw_endpoint *p;
	size_t cap;

	if (g->n == g->cap) {
		cap = g->cap ? 2 * g->cap : 8;
		p = realloc(g->eps, cap * sizeof(*p));
		if (!p)
			return -NLE_NOMEM;
		g->eps = p;
		g->cap = cap;
	}
	if (vw_nl_parse_endpoint(nlmsg_hdr(msg), &g->eps[g->n]) < 0)
		return -NLE_PARSE_ERR;
	g->n++;
	return NL_OK;
}

int vw_nl_get(struct vw_nl *nl, const struct vw_endpoint *sel,
	      struct vw_endpoint **eps, size_t *n)
{
	bool one = sel && (sel->has_id || sel->ifname[0] || sel->ifindex);
	struct get_ctx g = { 0 };
	struct nl_msg *msg;
	int ret, tries = 0;

again:
	msg = vw_msg(nl, VW_CMD_GET, one ? NLM_F_ACK : NLM_F_DUMP);
	if (!msg) {
		nl->nlerr = NLE_NOMEM;
		return VW_NL_FAIL;
	}
	if (one && vw_nl_put_selector(msg, sel) < 0) {
		nlmsg_free(msg);
		nl->nlerr = NLE_MSGSIZE;
		return VW_NL_FAIL;
	}
	ret = vw_nl_request(nl, msg, get_cb, &g);
	nlmsg_free(msg);
	/* Endpoints came or went mid-dump: the list may be torn, read it again. */
	if (ret == VW_NL_FAIL && !nl->err && nl->nlerr == NLE_DUMP_INTR &&
	    ++tries < 5) {
		g.n = 0;
		goto again;
	}
	*eps = g.eps;
	*n = g.n;
	return ret;
}

struct ns_ctx {
	struct vw_counters *st;
	bool seen;
};

static int ns_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VW_A_MAX + 1];
	struct ns_ctx *c = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VW_A_MAX, NULL) < 0)
		return -NLE_PARSE_ERR;
	if (tb[VW_A_STATS] && vw_nl_parse_stats(tb[VW_A_STATS], c->st) < 0)
		return -NLE_PARSE_ERR;
	c->seen = true;
	return NL_OK;
}

int vw_nl_get_ns(struct vw_nl *nl, struct vw_counters *st)
{
	struct ns_ctx c = { .st = st };
	struct nl_msg *msg;
	int ret;

	memset(st, 0, sizeof(*st));
	msg = vw_msg(nl, VW_CMD_GET_NS, NLM_F_ACK);
	if (!msg) {
		nl->nlerr = NLE_NOMEM;
		return VW_NL_FAIL;
	}
	ret = vw_nl_request(nl, msg, ns_cb, &c);
	nlmsg_free(msg);
	if (ret == VW_NL_OK && !c.seen) {
		nl->nlerr = NLE_MSG_TOOSHORT;
		return VW_NL_FAIL;
	}
	return ret;
}

/*
 * Room for a burst of events while vwctl is busy printing: root may go
 * past net.core.rmem_max, others get what it allows.
 */
#define MONITOR_RCVBUF (16 << 20)

int vw_nl_monitor_open(struct vw_nl *nl)
{
	int events, notify, fd, size = MONITOR_RCVBUF, ret;

	nl->err = 0;
	nl->nlerr = 0;
	nl->extack[0] = '\0';
	events = genl_ctrl_resolve_grp(nl->sk, VW_GENL_NAME, VW_MCGRP_EVENTS);
	if (events < 0) {
		nl->nlerr = -events;
		snprintf(nl->extack, sizeof(nl->extack),
			 "the %s family has no \"%s\" multicast group",
			 VW_GENL_NAME, VW_MCGRP_EVENTS);
		return VW_NL_FAIL;
	}
	notify = genl_ctrl_resolve_grp(nl->sk, "nlctrl", "notify");
	if (notify < 0) {
		nl->nlerr = -notify;
		return VW_NL_FAIL;
	}
	fd = nl_socket_get_fd(nl->sk);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	ret = nl_socket_add_memberships(nl->sk, events, notify, 0);
	if (ret < 0) {
		nl->nlerr = -ret;
		return VW_NL_FAIL;
	}
	ret = nl_socket_set_nonblocking(nl->sk);
	if (ret < 0) {
		nl->nlerr = -ret;
		return VW_NL_FAIL;
	}
	return VW_NL_OK;
}

/* CTRL_CMD_DELFAMILY of our family: by ID, or by name if it has none. */
static int parse_ctrl_event(struct nlmsghdr *nlh, int family)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *id, *name;

	if (g->cmd != CTRL_CMD_DELFAMILY)
		return VW_EVENT_NONE;
	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0)
		return -NLE_PARSE_ERR;
	id = tb[CTRL_ATTR_FAMILY_ID];
	name = tb[CTRL_ATTR_FAMILY_NAME];
	if (id && nla_len(id) == 2)
		return nla_get_u16(id) == family ? VW_EVENT_GONE :
						   VW_EVENT_NONE;
	if (name && !nla_strcmp(name, VW_GENL_NAME))
		return VW_EVENT_GONE;
	return VW_EVENT_NONE;
}

int vw_nl_parse_event(struct nlmsghdr *nlh, int family, uint8_t *cmd,
		      struct vw_endpoint *ep)
{
	int ret;

	if (nlh->nlmsg_type != family && nlh->nlmsg_type != GENL_ID_CTRL)
		return VW_EVENT_NONE;
	if (!genlmsg_valid_hdr(nlh, 0))
		return -NLE_MSG_TOOSHORT;
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		return parse_ctrl_event(nlh, family);
	*cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	ret = vw_nl_parse_endpoint(nlh, ep);
	return ret < 0 ? ret : VW_EVENT_ENDPOINT;
}

int vw_nl_monitor_dispatch(struct vw_nl *nl, void *buf, size_t len,
			   vw_event_fn fn, void *arg)
{
	struct nlmsghdr *nlh = buf;
	int rem = len, ret;
	struct vw_endpoint ep;
	uint8_t cmd = 0;

	for (; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem)) {
		ret = vw_nl_parse_event(nlh, nl->family, &cmd, &ep);
		if (ret < 0) {
			nl->nlerr = -ret;
			return VW_NL_FAIL;
		}
		if (ret == VW_EVENT_GONE)
			return VW_NL_NOFAMILY;
		if (ret == VW_EVENT_ENDPOINT && !fn(cmd, &ep, arg))
			return VW_NL_STOP;
	}
	return VW_NL_OK;
}

/*
 * One datagram: a kernel notification is one message of at most a page
 * or so (NLMSG_GOODSIZE), far below the buffer.
 */
int vw_nl_monitor_read(struct vw_nl *nl, vw_event_fn fn, void *arg)
{
	static char buf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_nl from;
	socklen_t fromlen;
	ssize_t n;
	int i, ret;

	nl->err = 0;
	nl->nlerr = 0;
	nl->extack[0] = '\0';
	/*
	 * A bounded number, so that a flood of events does not keep the
	 * caller from its other file descriptors (signals).
	 */
	for (i = 0; i < 64; i++) {
		fromlen = sizeof(from);
		n = recvfrom(nl_socket_get_fd(nl->sk), buf, sizeof(buf),
			     MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return VW_NL_OK;
			if (errno == EINTR)
				continue;
			nl->err = errno;
			return VW_NL_FAIL;
		}
		if (n == 0)
			return VW_NL_OK;
		if ((size_t)n > sizeof(buf)) {
			nl->nlerr = NLE_MSG_TRUNC;
			return VW_NL_FAIL;
		}
		/* Only the kernel speaks on these groups. */
		if (from.nl_pid != 0)
			continue;
		ret = vw_nl_monitor_dispatch(nl, buf, n, fn, arg);
		if (ret != VW_NL_OK)
			return ret;
	}
	return VW_NL_OK;
}

/*
 * The kernel's message, less the attribute name in capitals ("NAME: ")
 * an older module starts it with: the attribute is named by its offset,
 * in the operator's word.
 */
static const char *strip_attr_prefix(const char *m)
{
	const char *p = m;

	while (isupper((unsigned char)*p) || isdigit((unsigned char)*p) ||
	       *p == '_')
		p++;
	return p - m > 3 && strchr(m, '_') < p && !strncmp(p, ": ", 2) ?
	       p + 2 : m;
}

void vw_nl_perror(const struct vw_nl *nl, const char *cmd, FILE *f)
{
	const char *why = nl->err ? strerror(nl->err) : nl_geterror(nl->nlerr);
	const char *word = nl->bad_attr ? option_attr_word(nl->bad_attr) :
			   NULL;

	fprintf(f, "vwctl: %s: ", cmd);
	if (word)
		fprintf(f, "%s: ", word);
	if (word && nl->extack[0])
		fprintf(f, "%s (%s)\n", strip_attr_prefix(nl->extack), why);
	else if (nl->extack[0])
		fprintf(f, "%s (%s)\n", nl->extack, why);
	else
		fprintf(f, "%s\n", why);
}
