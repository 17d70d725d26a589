// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to the virtualwire generic netlink family with libnl-3.
 *
 * libnl 3.7 (Debian 12) knows nothing of extended acks, so the socket
 * option is set by hand and the error callback digs the kernel's message
 * out of the NLMSG_ERROR (or, for dumps, NLMSG_DONE) payload itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

#include "netlink.h"

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

static const char *const attr_names[VW_A_MAX + 1] = {
	[VW_A_ID] = "VW_A_ID",
	[VW_A_IFINDEX] = "VW_A_IFINDEX",
	[VW_A_IFNAME] = "VW_A_IFNAME",
	[VW_A_FORMAT] = "VW_A_FORMAT",
	[VW_A_REMOTE4] = "VW_A_REMOTE4",
	[VW_A_REMOTE6] = "VW_A_REMOTE6",
	[VW_A_LOCAL4] = "VW_A_LOCAL4",
	[VW_A_LOCAL6] = "VW_A_LOCAL6",
	[VW_A_PORT] = "VW_A_PORT",
	[VW_A_STATS] = "VW_A_STATS",
};

/*
 * The extended ack attributes start at offset off into the payload of
 * nlh, if NLM_F_ACK_TLVS says they are there at all.
 */
static void parse_ack_tlvs(struct vw_nl *nl, struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	struct nlattr *msg;
	uint32_t type;

	nl->extack[0] = '\0';
	off = NLMSG_ALIGN(off);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN || off >= plen)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + off),
		      plen - off, NULL) < 0)
		return;

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
		if (!tb[NLMSGERR_ATTR_MISS_NEST] && type <= VW_A_MAX &&
		    attr_names[type])
			snprintf(nl->extack, sizeof(nl->extack),
				 "missing attribute %s", attr_names[type]);
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

int vw_nl_request(struct vw_nl *nl, struct nl_msg *msg,
		  int (*valid)(struct nl_msg *, void *), void *arg)
{
	struct req_ctx c = { .nl = nl, .state = 1 };
	struct nl_cb *cb;
	int ret;

	nl->err = 0;
	nl->nlerr = 0;
	nl->extack[0] = '\0';

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

int vw_nl_put_endpoint(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	bool v4 = ep->family == AF_INET;
	size_t alen = v4 ? sizeof(ep->remote.v4) : sizeof(ep->remote.v6);

	if (ep->has_id)
		NLA_PUT_U32(msg, VW_A_ID, ep->id);
	if (ep->ifname[0])
		NLA_PUT_STRING(msg, VW_A_IFNAME, ep->ifname);
	if (ep->has_remote)
		NLA_PUT(msg, v4 ? VW_A_REMOTE4 : VW_A_REMOTE6, alen,
			&ep->remote);
	if (ep->has_local)
		NLA_PUT(msg, v4 ? VW_A_LOCAL4 : VW_A_LOCAL6, alen, &ep->local);
	if (ep->has_port)
		NLA_PUT_U16(msg, VW_A_PORT, ep->port);
	if (ep->has_format)
		NLA_PUT_U8(msg, VW_A_FORMAT, ep->format);
	return 0;

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

static int send_simple(struct vw_nl *nl, uint8_t cmd, const struct vw_endpoint *ep,
		       int (*put)(struct nl_msg *, const struct vw_endpoint *))
{
	struct nl_msg *msg;
	int ret;

	msg = vw_msg(nl, cmd, NLM_F_ACK);
	if (!msg) {
		nl->nlerr = NLE_NOMEM;
		return VW_NL_FAIL;
	}
	ret = put(msg, ep);
	if (ret < 0) {
		nlmsg_free(msg);
		nl->nlerr = -ret;
		return VW_NL_FAIL;
	}
	ret = vw_nl_request(nl, msg, NULL, NULL);
	nlmsg_free(msg);
	return ret;
}

int vw_nl_add(struct vw_nl *nl, const struct vw_endpoint *ep)
{
	return send_simple(nl, VW_CMD_ADD, ep, vw_nl_put_endpoint);
}

int vw_nl_del(struct vw_nl *nl, const struct vw_endpoint *sel)
{
	return send_simple(nl, VW_CMD_DEL, sel, vw_nl_put_selector);
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

static bool len_is(const struct nlattr *a, int len)
{
	return nla_len(a) == len;
}

int vw_nl_parse_endpoint(struct nlmsghdr *nlh, struct vw_endpoint *ep)
{
	struct nlattr *tb[VW_A_MAX + 1];
	struct nlattr *a;
	int ret;

	memset(ep, 0, sizeof(*ep));
	/* Attributes past VW_A_MAX come from a newer kernel; libnl skips them. */
	ret = genlmsg_parse(nlh, 0, tb, VW_A_MAX, NULL);
	if (ret < 0)
		return ret;

	if ((a = tb[VW_A_ID])) {
		if (!len_is(a, 4))
			return -NLE_INVAL;
		ep->has_id = true;
		ep->id = nla_get_u32(a);
	}
	if ((a = tb[VW_A_IFINDEX])) {
		if (!len_is(a, 4))
			return -NLE_INVAL;
		ep->ifindex = nla_get_u32(a);
	}
	if ((a = tb[VW_A_IFNAME])) {
		if (nla_len(a) < 1)
			return -NLE_INVAL;
		nla_strlcpy(ep->ifname, a, sizeof(ep->ifname));
	}
	if ((a = tb[VW_A_FORMAT])) {
		if (!len_is(a, 1))
			return -NLE_INVAL;
		ep->has_format = true;
		ep->format = nla_get_u8(a);
	}
	if ((a = tb[VW_A_PORT])) {
		if (!len_is(a, 2))
			return -NLE_INVAL;
		ep->has_port = true;
		ep->port = nla_get_u16(a);
	}
	if (tb[VW_A_REMOTE4] && tb[VW_A_REMOTE6])
		return -NLE_INVAL;
	if ((a = tb[VW_A_REMOTE4])) {
		if (!len_is(a, 4))
			return -NLE_INVAL;
		ep->family = AF_INET;
		ep->has_remote = true;
		memcpy(&ep->remote.v4, nla_data(a), 4);
	}
	if ((a = tb[VW_A_REMOTE6])) {
		if (!len_is(a, 16))
			return -NLE_INVAL;
		ep->family = AF_INET6;
		ep->has_remote = true;
		memcpy(&ep->remote.v6, nla_data(a), 16);
	}
	/* A local address is printed in the remote's family, so they must agree. */
	if ((a = tb[VW_A_LOCAL4])) {
		if (!len_is(a, 4) || ep->family == AF_INET6)
			return -NLE_INVAL;
		ep->family = AF_INET;
		ep->has_local = true;
		memcpy(&ep->local.v4, nla_data(a), 4);
	} else if ((a = tb[VW_A_LOCAL6])) {
		if (!len_is(a, 16) || ep->family == AF_INET)
			return -NLE_INVAL;
		ep->family = AF_INET6;
		ep->has_local = true;
		memcpy(&ep->local.v6, nla_data(a), 16);
	}
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

void vw_nl_perror(const struct vw_nl *nl, const char *cmd, FILE *f)
{
	const char *why = nl->err ? strerror(nl->err) : nl_geterror(nl->nlerr);

	if (nl->extack[0])
		fprintf(f, "vwctl: %s: %s (%s)\n", cmd, nl->extack, why);
	else
		fprintf(f, "vwctl: %s: %s\n", cmd, why);
}
