// SPDX-License-Identifier: GPL-2.0
/*
 * vwfuzz_nl: random and mutated control messages against the virtualwire
 * module, on its three control surfaces: the generic netlink family,
 * rtnetlink (RTM_NEWLINK/SETLINK/DELLINK of kind "virtualwire") and
 * /proc/net/virtualwire/control.  Runs in the current network namespace,
 * which must hold no virtualwire device at the start.
 *
 *   vwfuzz_nl [-s SEED] [-g N] [-r N] [-p N] [-d EVERY] [-t SECONDS]
 *             [-o STATEFILE] [-v]
 *
 * -t: stop sending after SECONDS (the final checks still run), for slow
 * shared hosts; the counts actually sent are printed.
 *
 * Every message is one of:
 *   modelled  add/set/del/get of a small pool of IDs and devices, built
 *             from the model with proper attributes only.  The model
 *             predicts the outcome: accepted with exactly the predicted
 *             state and events, or refused by the module with an extack
 *             message (netlink) and no change.
 * Any extack message, of either kind of message, is in the words of vwctl:
 * one naming a constant of the module (VW_*, IFLA_VW_*) fails.
 *   mutated   a modelled message with 1-3 mutations (any command 0..255,
 *             any flags, bad version or reserved bytes, random attribute
 *             types and lengths, truncated or oversized lengths, nested
 *             garbage, strings without NUL, random bytes, zero and huge
 *             lengths; for proc, damaged words and bytes).  Its outcome is
 *             not predicted.  Refused: no event may arrive.  Accepted (or
 *             silently ignored): when events arrived, or on rtnl and proc,
 *             the model is reconciled from a dump, and every change of an
 *             endpoint's binding or configuration in that dump must be
 *             announced by an event for that endpoint.
 * A full dump is compared with the model every EVERY messages and at the
 * end.  After each message a NOOP+ACK barrier tells where its answers end.
 * Exit 0 when every assertion held; the seed and message number are
 * printed with each failure.  Output: KTAP-style "# " diagnostics.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/virtualwire.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXEP		32
#define MAXMSG		(72 * 1024)
#define NAMES		10
#define CONTROL		"/proc/net/virtualwire/control"

/* ------------------------------------------------------------ random --- */

static uint64_t rng;

static uint64_t rnd64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)
{
	return n ? rnd64() % n : 0;
}

static int chance(int percent)
{
	return (int)rnd(100) < percent;
}

static void rnd_bytes(void *p, size_t n)
{
	unsigned char *c = p;

	while (n--)
		*c++ = rnd64();
}

/* ------------------------------------------------------------- model --- */

struct ep {
	int ifindex;			/* 0: free slot */
	char name[IFNAMSIZ];
	int bound;
	uint32_t id;
	uint8_t format, wire, df, csum, ztx, zrx;
	uint16_t port;			/* as reported (UDP wires) */
	int port_raw;			/* model: given port, 0 default, -1 unknown */
	uint16_t ttl, tos, spmin, spmax;
	uint8_t rfam, lfam;		/* 0, 4 or 6 */
	uint8_t remote[16], local[16];
	int peer;			/* peer ifindex of a local wire, 0 none */
	/*
	 * Migration (UDP wires), which modelled messages never give, but
	 * mutated ones may, and which a local wire (peer) refuses: accepted
	 * sources (any), roam, the relay address, the state (enum vw_state;
	 * standby is seen only while no relay is set).
	 */
	uint8_t accept, roam, rlyfam, state;
	uint8_t relay[16];
	/* Service level: rates in bytes per second, burst in bytes. */
	uint64_t rmin, rmax;
	uint32_t burst, prio, mark;
};

struct state {
	struct ep ep[MAXEP];
};

struct ev {
	int cmd;
	struct ep ep;
};

static struct state model;
static unsigned vw_port = VW_PORT;
static unsigned long msgno;
static int failures, verbose;
static unsigned long long seed;

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("# FAIL (seed %llu, message %lu): ", seed, msgno);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures++;
}

static uint16_t default_port(int format)
{
	return format == VW_FORMAT_VW ? vw_port : VW_VXLAN_PORT;
}

static struct ep *ep_by_index(struct state *s, int ifindex)
{
	for (int i = 0; i < MAXEP; i++)
		if (ifindex && s->ep[i].ifindex == ifindex)
			return &s->ep[i];
	return NULL;
}

static struct ep *ep_by_name(struct state *s, const char *name)
{
	for (int i = 0; i < MAXEP; i++)
		if (s->ep[i].ifindex && !strcmp(s->ep[i].name, name))
			return &s->ep[i];
	return NULL;
}

/* How many bound endpoints hold @id, and one of them. */
static int id_count(struct state *s, uint32_t id, struct ep **one)
{
	int n = 0;

	for (int i = 0; i < MAXEP; i++)
		if (s->ep[i].ifindex && s->ep[i].bound && s->ep[i].id == id) {
			n++;
			if (one)
				*one = &s->ep[i];
		}
	return n;
}

static int ep_count(struct state *s)
{
	int n = 0;

	for (int i = 0; i < MAXEP; i++)
		n += !!s->ep[i].ifindex;
	return n;
}

static struct ep *ep_random(struct state *s)
{
	int n = ep_count(s), k;

	if (!n)
		return NULL;
	k = rnd(n);
	for (int i = 0; i < MAXEP; i++)
		if (s->ep[i].ifindex && !k--)
			return &s->ep[i];
	return NULL;
}

static struct ep *ep_alloc(struct state *s)
{
	for (int i = 0; i < MAXEP; i++)
		if (!s->ep[i].ifindex) {
			memset(&s->ep[i], 0, sizeof(s->ep[i]));
			return &s->ep[i];
		}
	return NULL;
}

/* Equal as the kernel reports them (port_raw is the model's own). */
static int ep_equal(const struct ep *a, const struct ep *b, char *why,
		    size_t n)
{
#define F(x) if (a->x != b->x) { snprintf(why, n, #x " %lld != %lld", \
				  (long long)a->x, (long long)b->x); return 0; }
	F(ifindex);
	if (strcmp(a->name, b->name)) {
		snprintf(why, n, "name %s != %s", a->name, b->name);
		return 0;
	}
	F(bound);
	if (!a->bound)
		return 1;
	F(id); F(format); F(wire); F(df); F(csum); F(ztx); F(zrx);
	F(ttl); F(tos); F(spmin); F(spmax); F(lfam); F(peer);
	F(accept); F(roam); F(state); F(rlyfam);
	F(rmin); F(rmax); F(burst); F(prio); F(mark);
	if (a->rlyfam && memcmp(a->relay, b->relay, a->rlyfam == 4 ? 4 : 16)) {
		snprintf(why, n, "relay address");
		return 0;
	}
	if (a->lfam && memcmp(a->local, b->local, a->lfam == 4 ? 4 : 16)) {
		snprintf(why, n, "local address");
		return 0;
	}
	if (a->wire == VW_WIRE_UDP) {
		F(port); F(rfam);
		if (memcmp(a->remote, b->remote, a->rfam == 4 ? 4 : 16)) {
			snprintf(why, n, "remote address");
			return 0;
		}
	}
#undef F
	return 1;
}

static void ep_print(const char *pfx, const struct ep *e)
{
	char r[64] = "-", l[64] = "-", y[64] = "-";

	if (e->rfam)
		inet_ntop(e->rfam == 4 ? AF_INET : AF_INET6, e->remote, r, sizeof(r));
	if (e->lfam)
		inet_ntop(e->lfam == 4 ? AF_INET : AF_INET6, e->local, l, sizeof(l));
	if (e->rlyfam)
		inet_ntop(e->rlyfam == 4 ? AF_INET : AF_INET6, e->relay, y, sizeof(y));
	printf("# %s %d %s bound=%d id=%u fmt=%u wire=%u remote=%s local=%s port=%u/%d ttl=%u tos=%u df=%u sp=%u-%u csum=%u z=%u%u peer=%d accept=%u roam=%u relay=%s state=%u rate=%llu-%llu burst=%u prio=%#x mark=%#x\n",
	       pfx, e->ifindex, e->name, e->bound, e->id, e->format, e->wire,
	       r, l, e->port, e->port_raw, e->ttl, e->tos, e->df, e->spmin,
	       e->spmax, e->csum, e->ztx, e->zrx, e->peer, e->accept, e->roam,
	       y, e->state, (unsigned long long)e->rmin,
	       (unsigned long long)e->rmax, e->burst, e->prio, e->mark);
}

/* Compare two states; report and return 0 on a difference. */
static int state_equal(struct state *want, struct state *got, const char *what)
{
	char why[128];
	int ok = 1;

	for (int i = 0; i < MAXEP; i++) {
		struct ep *w = &want->ep[i], *g;

		if (!w->ifindex)
			continue;
		g = ep_by_index(got, w->ifindex);
		if (!g) {
			fail("%s: endpoint %d (%s) missing", what, w->ifindex, w->name);
			ok = 0;
		} else if (!ep_equal(w, g, why, sizeof(why))) {
			fail("%s: endpoint %d: %s", what, w->ifindex, why);
			ep_print("want", w);
			ep_print("got ", g);
			ok = 0;
		}
	}
	for (int i = 0; i < MAXEP; i++) {
		struct ep *g = &got->ep[i];

		if (g->ifindex && !ep_by_index(want, g->ifindex)) {
			fail("%s: unexpected endpoint %d (%s)", what, g->ifindex, g->name);
			ep_print("got ", g);
			ok = 0;
		}
	}
	return ok;
}

/* ----------------------------------------------------------- netlink --- */

struct msg {
	unsigned char buf[MAXMSG];
	size_t len;
};

/*
 * The request sockets are also the event sockets: genl_fd is in the
 * family's group, rt_fd in RTNLGRP_LINK.  An event is queued before the
 * answer of the request that caused it, so the barrier covers both.
 */
static int genl_fd, rt_fd, proc_fd;
/* Percent of modelled messages per surface (genl, rtnl, proc). */
static int modelled[3] = { 3, 5, 5 };
static int family;
static uint32_t seq = 1000;

static struct nlmsghdr *msg_init(struct msg *m, int type, int flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;

	memset(m->buf, 0, 64);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_len = m->len = NLMSG_HDRLEN;
	return nlh;
}

static void *msg_put(struct msg *m, const void *data, size_t len)
{
	void *p = m->buf + m->len;

	if (m->len + NLMSG_ALIGN(len) > MAXMSG)
		return NULL;
	memset(p, 0, NLMSG_ALIGN(len));
	if (data)
		memcpy(p, data, len);
	m->len += NLMSG_ALIGN(len);
	((struct nlmsghdr *)m->buf)->nlmsg_len = m->len;
	return p;
}

static struct nlattr *attr(struct msg *m, int type, const void *data, size_t len)
{
	struct nlattr *a;

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > MAXMSG)
		return NULL;
	a = msg_put(m, NULL, NLA_HDRLEN + len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	return a;
}

static void attr_u8(struct msg *m, int t, uint8_t v) { attr(m, t, &v, 1); }
static void attr_u16(struct msg *m, int t, uint16_t v) { attr(m, t, &v, 2); }
static void attr_u32(struct msg *m, int t, uint32_t v) { attr(m, t, &v, 4); }
static void attr_str(struct msg *m, int t, const char *s)
{
	attr(m, t, s, strlen(s) + 1);
}

/* The nest's offset, or SIZE_MAX when the buffer is full. */
static size_t nest_start(struct msg *m, int type)
{
	size_t off = m->len;

	return attr(m, type | NLA_F_NESTED, NULL, 0) ? off : SIZE_MAX;
}

static void nest_end(struct msg *m, size_t off)
{
	if (off < m->len)
		((struct nlattr *)(m->buf + off))->nla_len = m->len - off;
}

static int nl_open(int proto, unsigned group)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, buf = 1 << 20;

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("netlink socket");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (group && setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&group, sizeof(group))) {
		perror("NETLINK_ADD_MEMBERSHIP");
		exit(2);
	}
	return fd;
}

/* The answers to one request, up to the barrier's ack. */
struct answer {
	int errors, acks, replies, multi, done;
	int err;			/* the first nonzero error */
	char msg[256];			/* its extack message, "" without */
	struct ep got;			/* the first reply, parsed */
};

static void parse_ep(struct nlmsghdr *nlh, struct ep *e);

/* The family's events since the last message was judged. */
static struct ev evq[64];
static int nevq;
static size_t link_changed;	/* link events seen on rt_fd */

static int take_event(struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	if (nlh->nlmsg_pid || nlh->nlmsg_type != family ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    (g->cmd != VW_CMD_NEW && g->cmd != VW_CMD_REMOVED &&
	     g->cmd != VW_CMD_CHANGED))
		return 0;
	if (nevq == 64) {
		fail("more than 64 events for one message");
		return 1;
	}
	evq[nevq].cmd = g->cmd;
	parse_ep(nlh, &evq[nevq++].ep);
	return 1;
}

static void parse_err(struct nlmsghdr *nlh, struct answer *a)
{
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = sizeof(*e);
	struct nlattr *t;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return;
	if (!e->error) {
		a->acks++;
		return;
	}
	a->errors++;
	if (a->err)
		return;
	a->err = e->error;
	a->msg[0] = 0;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	for (off = NLMSG_ALIGN(off); off + NLA_HDRLEN <= nlh->nlmsg_len - NLMSG_HDRLEN;
	     off += NLA_ALIGN(t->nla_len)) {
		t = (struct nlattr *)((char *)NLMSG_DATA(nlh) + off);
		if (t->nla_len < NLA_HDRLEN)
			break;
		if (t->nla_type == NLMSGERR_ATTR_MSG)
			snprintf(a->msg, sizeof(a->msg), "%.*s",
				 (int)(t->nla_len - NLA_HDRLEN),
				 (char *)t + NLA_HDRLEN);
	}
}

/*
 * Send @len bytes of @buf, then a NOOP asking for an ack, and read until
 * that ack: everything before it answers the request (a dump still
 * running ends with NLMSG_DONE after it, which is awaited too).
 */
static void nl_exchange(int fd, const void *buf, size_t len, struct answer *a)
{
	static unsigned char rbuf[256 * 1024];
	struct nlmsghdr barrier = {
		.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = ++seq,
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int barrier_seen = 0;

	static unsigned char both[MAXMSG + NLMSG_HDRLEN];
	const struct nlmsghdr *nlh = buf;

	memset(a, 0, sizeof(*a));
	/* One send when the barrier is sure to be parsed as a message. */
	if (len >= NLMSG_HDRLEN && nlh->nlmsg_len == len && !(len & 3)) {
		memcpy(both, buf, len);
		memcpy(both + len, &barrier, sizeof(barrier));
		buf = both;
		len += sizeof(barrier);
	}
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		a->errors++;
		a->err = -errno;
		snprintf(a->msg, sizeof(a->msg), "(send failed)");
	}
	if ((buf != both || a->errors) &&
	    sendto(fd, &barrier, sizeof(barrier), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		perror("send barrier");
		exit(2);
	}
	while (!barrier_seen || (a->multi && !a->done)) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fail("receive buffer overrun");
				continue;
			}
			perror("recv");
			exit(2);
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (fd == genl_fd && take_event(nlh))
				continue;
			if (fd == rt_fd && (nlh->nlmsg_type == RTM_NEWLINK ||
					    nlh->nlmsg_type == RTM_DELLINK))
				link_changed++;
			if (nlh->nlmsg_seq == barrier.nlmsg_seq) {
				if (nlh->nlmsg_type == NLMSG_ERROR)
					barrier_seen = 1;
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_err(nlh, a);
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				a->done = 1;
			} else {
				if (nlh->nlmsg_flags & NLM_F_MULTI)
					a->multi = 1;
				if (!a->replies++ && fd == genl_fd)
					parse_ep(nlh, &a->got);
			}
		}
	}
}

/* How many messages the kernel takes out of @len bytes (netlink_rcv_skb). */
static int nlmsg_count(const unsigned char *buf, size_t len)
{
	int n = 0;

	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const void *)buf;
		size_t l = nlh->nlmsg_len;

		if (l < NLMSG_HDRLEN || l > len)
			break;
		n++;
		l = NLMSG_ALIGN(l) < len ? NLMSG_ALIGN(l) : len;
		buf += l;
		len -= l;
	}
	return n;
}

/* Resolve the family and its "events" group. */
static void genl_resolve(void)
{
	struct msg m;
	struct answer a;
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 };
	static unsigned char rbuf[8192];
	struct nlmsghdr *nlh;
	unsigned group = 0;
	ssize_t n;

	msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST);
	msg_put(&m, &g, sizeof(g));
	attr_str(&m, CTRL_ATTR_FAMILY_NAME, VW_GENL_NAME);
	((struct nlmsghdr *)m.buf)->nlmsg_seq = ++seq;
	send(genl_fd, m.buf, m.len, 0);
	n = recv(genl_fd, rbuf, sizeof(rbuf), 0);
	nlh = (struct nlmsghdr *)rbuf;
	if (n <= 0 || nlh->nlmsg_type == NLMSG_ERROR) {
		fprintf(stderr, "family %s not found\n", VW_GENL_NAME);
		exit(2);
	}
	for (struct nlattr *t = (void *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	     (char *)t < (char *)nlh + nlh->nlmsg_len; t = (void *)((char *)t + NLA_ALIGN(t->nla_len))) {
		if (t->nla_len < NLA_HDRLEN)
			break;
		if (t->nla_type == CTRL_ATTR_FAMILY_ID)
			family = *(uint16_t *)((char *)t + NLA_HDRLEN);
		if ((t->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			/* One group: its nest holds the id and the name. */
			struct nlattr *grp = (void *)((char *)t + NLA_HDRLEN);
			struct nlattr *x = (void *)((char *)grp + NLA_HDRLEN);

			for (; (char *)x < (char *)grp + grp->nla_len;
			     x = (void *)((char *)x + NLA_ALIGN(x->nla_len)))
				if (x->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					group = *(uint32_t *)((char *)x + NLA_HDRLEN);
		}
	}
	if (!family || !group) {
		fprintf(stderr, "family or group id missing\n");
		exit(2);
	}
	if (setsockopt(genl_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group))) {
		perror("NETLINK_ADD_MEMBERSHIP");
		exit(2);
	}
	(void)a;
}

static void parse_ep(struct nlmsghdr *nlh, struct ep *e)
{
	char *p = (char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	char *end = (char *)nlh + nlh->nlmsg_len;
	struct nlattr *t;

	memset(e, 0, sizeof(*e));
	for (; p + NLA_HDRLEN <= end; p += NLA_ALIGN(t->nla_len)) {
		void *d;

		t = (struct nlattr *)p;
		if (t->nla_len < NLA_HDRLEN)
			break;
		d = p + NLA_HDRLEN;
		switch (t->nla_type & NLA_TYPE_MASK) {
		case VW_A_IFINDEX: e->ifindex = *(uint32_t *)d; break;
		case VW_A_IFNAME: snprintf(e->name, IFNAMSIZ, "%s", (char *)d); break;
		case VW_A_ID: e->id = *(uint32_t *)d; e->bound = 1; break;
		case VW_A_FORMAT: e->format = *(uint8_t *)d; break;
		case VW_A_WIRE: e->wire = *(uint8_t *)d; break;
		case VW_A_REMOTE4: e->rfam = 4; memcpy(e->remote, d, 4); break;
		case VW_A_REMOTE6: e->rfam = 6; memcpy(e->remote, d, 16); break;
		case VW_A_LOCAL4: e->lfam = 4; memcpy(e->local, d, 4); break;
		case VW_A_LOCAL6: e->lfam = 6; memcpy(e->local, d, 16); break;
		case VW_A_PORT: e->port = *(uint16_t *)d; break;
		case VW_A_PEER_IFINDEX: e->peer = *(uint32_t *)d; break;
		case VW_A_TTL: e->ttl = *(uint16_t *)d; break;
		case VW_A_TOS: e->tos = *(uint16_t *)d; break;
		case VW_A_DF: e->df = *(uint8_t *)d; break;
		case VW_A_SRCPORT_MIN: e->spmin = *(uint16_t *)d; break;
		case VW_A_SRCPORT_MAX: e->spmax = *(uint16_t *)d; break;
		case VW_A_CSUM: e->csum = *(uint8_t *)d; break;
		case VW_A_UDP6_ZERO_CSUM_TX: e->ztx = *(uint8_t *)d; break;
		case VW_A_UDP6_ZERO_CSUM_RX: e->zrx = *(uint8_t *)d; break;
		case VW_A_ACCEPT: e->accept = 1; break;
		case VW_A_ROAM: e->roam = *(uint8_t *)d; break;
		case VW_A_RELAY4: e->rlyfam = 4; memcpy(e->relay, d, 4); break;
		case VW_A_RELAY6: e->rlyfam = 6; memcpy(e->relay, d, 16); break;
		case VW_A_STATE: e->state = *(uint8_t *)d; break;
		case VW_A_RATE_MIN: memcpy(&e->rmin, d, 8); break;
		case VW_A_RATE_MAX: memcpy(&e->rmax, d, 8); break;
		case VW_A_RATE_BURST: e->burst = *(uint32_t *)d; break;
		case VW_A_PRIORITY: e->prio = *(uint32_t *)d; break;
		case VW_A_MARK: e->mark = *(uint32_t *)d; break;
		}
	}
}

static struct genlmsghdr *genl_init(struct msg *m, int cmd, int flags)
{
	struct genlmsghdr g = { .cmd = cmd, .version = VW_GENL_VERSION };

	msg_init(m, family, flags);
	((struct nlmsghdr *)m->buf)->nlmsg_seq = ++seq;
	return msg_put(m, &g, sizeof(g));
}

/* The kernel's view: a VW_CMD_GET dump. */
static void dump_state(struct state *s)
{
	static unsigned char rbuf[256 * 1024];
	struct msg m;
	int done = 0, n_ep = 0;

	memset(s, 0, sizeof(*s));
	genl_init(&m, VW_CMD_GET, NLM_F_REQUEST | NLM_F_DUMP);
	if (send(genl_fd, m.buf, m.len, 0) < 0) {
		perror("send dump");
		exit(2);
	}
	while (!done) {
		ssize_t n = recv(genl_fd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *nlh;

		if (n < 0) {
			perror("recv dump");
			exit(2);
		}
		for (nlh = (void *)rbuf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = 1;
			} else if (nlh->nlmsg_type == NLMSG_ERROR) {
				fail("dump refused: %d", ((struct nlmsgerr *)NLMSG_DATA(nlh))->error);
				done = 1;
			} else if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
				fail("dump interrupted with nothing else running");
			} else if (n_ep < MAXEP) {
				parse_ep(nlh, &s->ep[n_ep++]);
			}
		}
	}
}

/* The events queued on genl_fd (after a request of another surface). */
static void read_events(void)
{
	static unsigned char rbuf[256 * 1024];
	ssize_t n;

	while ((n = recv(genl_fd, rbuf, sizeof(rbuf), MSG_DONTWAIT)) != 0) {
		struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EAGAIN)
				return;
			if (errno == ENOBUFS) {
				fail("event socket overrun");
				continue;
			}
			perror("recv events");
			exit(2);
		}
		for (nlh = (void *)rbuf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n))
			take_event(nlh);
	}
}

/* Read whatever is queued on @fd; how many bytes. */
static size_t drain(int fd)
{
	static unsigned char rbuf[64 * 1024];
	size_t total = 0;
	ssize_t n;

	while ((n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT)) > 0 ||
	       (n < 0 && errno == ENOBUFS))
		total += n > 0 ? n : 1;
	return total;
}

/* ------------------------------------------------------------ the ops --- */

enum { BY_ID, BY_IFINDEX, BY_NAME };
enum { F_REMOTE = 1, F_PEER = 2, F_LOCAL = 4, F_PORT = 8, F_FORMAT = 16,
       F_TTL = 32, F_TOS = 64, F_DF = 128, F_SPORT = 256, F_CSUM = 512,
       F_ZTX = 1024, F_ZRX = 2048, F_RATE = 4096, F_BURST = 8192,
       F_PRIO = 16384, F_MARK = 32768 };

/* A modelled request, rendered for any surface. */
struct op {
	int cmd;			/* VW_CMD_ADD, _SET, _DEL, _GET */
	int has_id, has_ifindex, has_name;
	uint32_t id;
	int ifindex;
	char name[IFNAMSIZ];
	unsigned has;			/* F_* */
	uint8_t rfam, remote[16], lfam, local[16];
	int peer_ifindex;		/* 0: by name */
	char peer_name[IFNAMSIZ];
	uint16_t port, ttl, tos, spmin, spmax;
	uint8_t format, df, csum, ztx, zrx;
	uint64_t rmin, rmax;
	uint32_t burst, prio, mark;
};

static const char *pool_name(void)
{
	static char n[IFNAMSIZ];

	snprintf(n, sizeof(n), "fz%u", rnd(NAMES));
	return n;
}

static uint32_t pool_id(void)
{
	static const uint32_t ids[] = { 1, 2, 3, 7, 42, 0, 0xffffff, 0x1000000,
					0xfffffffe };

	return ids[rnd(sizeof(ids) / sizeof(ids[0]))];
}

/* Unicast addresses, a few of each family, now and then a bad one. */
static void pool_addr(uint8_t fam, uint8_t *a, int bad)
{
	memset(a, 0, 16);
	if (fam == 4 && bad) {
		/* Multicast, broadcast or this-network. */
		memcpy(a, (const uint8_t[][4]){ { 224, 0, 0, 1 },
			{ 255, 255, 255, 255 }, { 0, 0, 0, 0 } }[rnd(3)], 4);
	} else if (fam == 4) {
		a[0] = 192;
		a[2] = 2;
		a[3] = 1 + rnd(4);
	} else if (bad) {
		a[0] = 0xff;
		a[1] = 0x02;
		a[15] = 1;
	} else {
		a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8;
		a[15] = 1 + rnd(4);
	}
}

/* Name the endpoint @e (or a missing one) in one of the three ways. */
static void op_target(struct op *o, struct ep *e, int proc)
{
	int by = proc ? (chance(50) ? BY_ID : BY_NAME) : (int)rnd(3);

	if (!e) {
		/* A target that does not exist. */
		if (by == BY_ID) {
			o->has_id = 1;
			o->id = 0xabcdef;
		} else if (by == BY_IFINDEX) {
			o->has_ifindex = 1;
			o->ifindex = chance(50) ? 1 : 99999;
		} else {
			o->has_name = 1;
			strcpy(o->name, chance(50) ? "lo" : "nosuchdev");
		}
		return;
	}
	if (by == BY_ID && e->bound) {
		o->has_id = 1;
		o->id = e->id;
	} else if (by == BY_IFINDEX) {
		o->has_ifindex = 1;
		o->ifindex = e->ifindex;
	} else {
		o->has_name = 1;
		strcpy(o->name, e->name);
	}
}

/*
 * Random configuration attributes, mostly valid for @e (NULL: a new
 * endpoint); @bad (percent) breaks one now and then.
 */
static void op_config(struct op *o, struct ep *e, int bad, int proc)
{
	int v4 = e && e->bound && e->wire == VW_WIRE_UDP ? e->rfam == 4 : chance(60);

	if (chance(60)) {
		o->has |= F_FORMAT;
		o->format = rnd(2);
	}
	if (chance(40)) {
		o->has |= F_PORT;
		o->port = chance(80) ? 4789 + rnd(12) : 1 + rnd(65535);
	}
	if (chance(30)) {
		o->has |= F_LOCAL;
		o->lfam = chance(bad) ? (v4 ? 6 : 4) : (v4 ? 4 : 6);
		if (chance(30))
			memset(o->local, 0, 16);
		else
			pool_addr(o->lfam, o->local, 0);
		if (proc && !o->local[0] && o->lfam == 6)
			o->lfam = 4;	/* "local any" is IPv4 zero */
	}
	if (chance(25)) {
		o->has |= F_TTL;
		o->ttl = chance(20) ? VW_TTL_INHERIT : chance(20) ? VW_TTL_AUTO : 1 + rnd(255);
	}
	if (chance(25)) {
		o->has |= F_TOS;
		o->tos = chance(20) ? VW_TOS_INHERIT : rnd(64) * 4 + (chance(bad) ? 1 : 0);
	}
	if (chance(25)) {
		o->has |= F_DF;
		o->df = rnd(3);
	}
	if (chance(25)) {
		o->has |= F_SPORT;
		o->spmin = 1 + rnd(65535);
		o->spmax = o->spmin + rnd(65536 - o->spmin);
		if (chance(bad) && o->spmin > 1) {
			uint16_t t = o->spmin;

			o->spmin = o->spmax + (o->spmax < 65535);
			o->spmax = t - 1;
		}
	}
	if (chance(20)) { o->has |= F_CSUM; o->csum = rnd(2); }
	if (chance(20)) { o->has |= F_ZTX; o->ztx = rnd(2); }
	if (chance(20)) { o->has |= F_ZRX; o->zrx = rnd(2); }
	/* The service level: generic netlink only, as vwctl gives it. */
	if (!proc && chance(15)) {
		o->has |= F_RATE;
		o->rmax = chance(20) ? VW_RATE_UNLIMITED :
			  1 + rnd64() % VW_RATE_LIMIT;
		o->rmin = chance(40) ? 0 : rnd64() % (o->rmax == VW_RATE_UNLIMITED ?
					   VW_RATE_LIMIT + 1 : o->rmax + 1);
		if (chance(bad))
			o->rmax = chance(50) ? 0 : VW_RATE_LIMIT + 1 + rnd(1000);
		if (chance(bad))
			o->rmin = o->rmax == VW_RATE_UNLIMITED ?
				  VW_RATE_LIMIT + 1 : o->rmax + 1;
	}
	if (!proc && chance(10)) {
		o->has |= F_BURST;
		o->burst = chance(bad) ? 0 : 1 + rnd(0xfffffffe);
	}
	if (!proc && chance(10)) { o->has |= F_PRIO; o->prio = rnd64(); }
	if (!proc && chance(10)) { o->has |= F_MARK; o->mark = rnd64(); }
	if (o->has & F_LOCAL && !(o->has & F_PEER) && e && e->bound &&
	    e->wire == VW_WIRE_UDP && !chance(bad))
		o->lfam = o->lfam && o->local[0] ? e->rfam : o->lfam;
}

static void op_remote(struct op *o, int bad)
{
	o->has |= F_REMOTE;
	o->rfam = chance(60) ? 4 : 6;
	pool_addr(o->rfam, o->remote, chance(bad));
	if (o->has & F_LOCAL && o->local[0] && !chance(bad)) {
		o->lfam = o->rfam;
		pool_addr(o->lfam, o->local, 0);
	}
}

static void op_peer(struct op *o, struct state *s, struct ep *self, int proc)
{
	struct ep *p = ep_random(s);

	o->has |= F_PEER;
	if (!p || (p == self && chance(70))) {
		strcpy(o->peer_name, "nosuchdev");
		return;
	}
	if (!proc && chance(50))
		o->peer_ifindex = p->ifindex;
	else
		strcpy(o->peer_name, p->name);
}

/* A random modelled op; @bad: percent of deliberate faults. */
static void gen_op(struct op *o, struct state *s, int proc)
{
	struct ep *e = ep_random(s);
	int bad = 8, r = rnd(100), n = ep_count(s);

	memset(o, 0, sizeof(*o));
	/* Few adds and deletes: they cost tens of ms each under emulation. */
	if (n > 12)
		r = 95;
	else if (n < 3)
		r = r < 60 ? 0 : r;
	else
		r = r < 15 ? 0 : r < 85 ? 30 + (r - 15) * 60 / 70 : r;
	if (r < 30 || !e) {
		o->cmd = VW_CMD_ADD;
		o->has_id = !chance(3);
		o->id = pool_id();
		if (chance(70) || proc) {
			o->has_name = 1;
			/* Bind an unbound one now and then. */
			strcpy(o->name, e && !e->bound && chance(50) ? e->name : pool_name());
		}
		if (!proc && chance(2)) {
			o->has_ifindex = 1;
			o->ifindex = e ? e->ifindex : 1;
		}
		op_config(o, NULL, bad, proc);
		if (chance(25)) {
			op_peer(o, s, NULL, proc);
			if (chance(60)) {
				struct ep *p = o->peer_ifindex ?
					ep_by_index(s, o->peer_ifindex) :
					ep_by_name(s, o->peer_name);

				if (p && p->bound)
					o->id = p->id;
			}
		} else if (!chance(3)) {
			op_remote(o, bad);
		}
	} else if (r < 70 || (proc && r < 90)) {
		o->cmd = VW_CMD_SET;
		op_target(o, chance(3) ? NULL : e, proc);
		op_config(o, e, bad, proc);
		if (chance(10))
			op_peer(o, s, e, proc);
		else if (chance(20))
			op_remote(o, bad);
		if (!o->has)
			o->has = F_CSUM;
		if (e->port_raw < 0 && o->has & (F_FORMAT | F_REMOTE) &&
		    !(o->has & F_PORT)) {
			o->has |= F_PORT;
			o->port = 4789 + rnd(12);
		}
	} else if (r < 90 && !proc) {
		o->cmd = VW_CMD_GET;
		op_target(o, chance(5) ? NULL : e, proc);
	} else {
		o->cmd = VW_CMD_DEL;
		op_target(o, chance(5) ? NULL : e, proc);
	}
}

/* The endpoint @o names, or NULL (refused). */
static struct ep *op_find(struct op *o, struct state *s)
{
	struct ep *e = NULL;

	if (o->has_id + o->has_ifindex + o->has_name != 1)
		return NULL;
	if (o->has_id)
		return id_count(s, o->id, &e) == 1 ? e : NULL;
	if (o->has_ifindex)
		return ep_by_index(s, o->ifindex);
	return ep_by_name(s, o->name);
}

static int is_unicast(uint8_t fam, const uint8_t *a)
{
	static const uint8_t zero[16];

	/* As the module sees it: not 0.0.0.0/8, multicast or 240.0.0.0/4
	 * (the broadcast included). */
	if (fam == 4)
		return a[0] != 0 && a[0] < 224;
	return memcmp(a, zero, 16) && a[0] != 0xff;
}

/* Apply the config of @o to @e and check the result, as the module does. */
static int op_params(struct op *o, struct state *s, struct ep *e,
		     struct ep *self)
{
	static const uint8_t zero[16];
	struct ep *peer = NULL;

	if (o->has & F_PEER) {
		peer = o->peer_ifindex ? ep_by_index(s, o->peer_ifindex) :
					 ep_by_name(s, o->peer_name);
		if (!peer)
			return 0;
	}
	if (o->has & F_REMOTE) {
		e->wire = VW_WIRE_UDP;
		e->rfam = o->rfam;
		memcpy(e->remote, o->remote, 16);
		e->peer = 0;
	}
	if (peer) {
		e->wire = VW_WIRE_LOCAL;
		e->peer = peer->ifindex;
		e->rfam = 0;
		memset(e->remote, 0, 16);
	}
	if (o->has & F_LOCAL) {
		e->lfam = o->lfam;
		memcpy(e->local, o->local, 16);
		if (!memcmp(e->local, zero, 16))
			e->lfam = 0;
	}
	if (o->has & F_FORMAT) e->format = o->format;
	if (o->has & F_PORT) e->port_raw = o->port;
	if (o->has & F_TTL) e->ttl = o->ttl;
	if (o->has & F_TOS) e->tos = o->tos;
	if (o->has & F_DF) e->df = o->df;
	if (o->has & F_SPORT) { e->spmin = o->spmin; e->spmax = o->spmax; }
	if (o->has & F_CSUM) e->csum = o->csum;
	if (o->has & F_ZTX) e->ztx = o->ztx;
	if (o->has & F_ZRX) e->zrx = o->zrx;
	if (o->has & F_RATE) { e->rmin = o->rmin; e->rmax = o->rmax; }
	if (o->has & F_BURST) e->burst = o->burst;
	if (o->has & F_PRIO) e->prio = o->prio;
	if (o->has & F_MARK) e->mark = o->mark;
	if (e->port_raw > 0)
		e->port = e->port_raw;
	else if (!e->port_raw)
		e->port = default_port(e->format);

	if (e->format == VW_FORMAT_VXLAN && e->id > VW_VXLAN_ID_MAX)
		return 0;
	/* The service level, checked as a whole, on both kinds of wire. */
	if (!e->rmax || (e->rmax != VW_RATE_UNLIMITED &&
			 e->rmax > VW_RATE_LIMIT) ||
	    e->rmin > VW_RATE_LIMIT || e->rmin > e->rmax || !e->burst)
		return 0;
	if (e->tos != VW_TOS_INHERIT && (e->tos & 3))
		return 0;
	if (e->lfam && !is_unicast(e->lfam, e->local))
		return 0;
	if (e->wire == VW_WIRE_LOCAL) {
		struct ep *p = ep_by_index(s, e->peer);

		/* "a local wire (peer) takes no accept, roam, relay or standby" */
		if (e->accept || e->roam || e->rlyfam ||
		    e->state != VW_STATE_ACTIVE)
			return 0;
		if (p && p == self)
			return 0;
		return !(p && p->bound && p->id != e->id);
	}
	if (!e->rfam || !is_unicast(e->rfam, e->remote))
		return 0;
	if (e->lfam && e->lfam != e->rfam)
		return 0;
	/* The relay: not the remote, of its family. */
	if (e->rlyfam && (e->rlyfam != e->rfam ||
			  !memcmp(e->relay, e->remote, e->rfam == 4 ? 4 : 16)))
		return 0;
	if (e->spmin > e->spmax)
		return 0;
	for (int i = 0; i < MAXEP; i++) {
		struct ep *x = &s->ep[i];

		if (x->ifindex && x != self && x->bound && x->id == e->id &&
		    x->wire == VW_WIRE_UDP)
			return 0;
	}
	return 1;
}

static void ep_defaults(struct ep *e)
{
	e->bound = 1;
	e->format = VW_FORMAT_VXLAN;
	e->wire = VW_WIRE_UDP;
	e->spmin = 49152;
	e->spmax = 65535;
	e->csum = 1;
	e->rmax = VW_RATE_UNLIMITED;
	e->burst = VW_RATE_BURST_DEFAULT;
}

static void expect(struct ev *ev, int *n, int cmd, const struct ep *e)
{
	ev[*n].cmd = cmd;
	ev[*n].ep = *e;
	(*n)++;
}

/* Local wires lose @gone as their peer, each with an event. */
static void forget_peer(struct state *s, int gone, struct ev *ev, int *n)
{
	for (int i = 0; i < MAXEP; i++) {
		struct ep *x = &s->ep[i];

		if (x->ifindex && x->bound && x->peer == gone) {
			x->peer = 0;
			expect(ev, n, VW_CMD_CHANGED, x);
		}
	}
}

/*
 * Predict @o on @s: 1 accepted (@s becomes the state after, @ev the events
 * in any order), 0 refused.  A new device gets ifindex -1 until known.
 */
static int predict(struct op *o, struct state *s, struct ev *ev, int *nev)
{
	struct ep *e, tmp;

	*nev = 0;
	switch (o->cmd) {
	case VW_CMD_ADD:
		if (!o->has_id || o->has_ifindex)
			return 0;
		e = o->has_name ? ep_by_name(s, o->name) : NULL;
		if (o->has_name && !e && !strcmp(o->name, "lo"))
			return 0;
		if (e && e->bound)
			return 0;
		memset(&tmp, 0, sizeof(tmp));
		ep_defaults(&tmp);
		tmp.id = o->id;
		if (!op_params(o, s, &tmp, e))
			return 0;
		if (!e) {
			e = ep_alloc(s);
			if (!e)
				return 0;
			tmp.ifindex = -1;
			snprintf(tmp.name, IFNAMSIZ, "%s", o->name);
		} else {
			tmp.ifindex = e->ifindex;
			strcpy(tmp.name, e->name);
		}
		*e = tmp;
		expect(ev, nev, VW_CMD_NEW, e);
		return 1;
	case VW_CMD_SET:
		e = op_find(o, s);
		if (!e || !e->bound)
			return 0;
		tmp = *e;
		if (!op_params(o, s, &tmp, e))
			return 0;
		*e = tmp;
		expect(ev, nev, VW_CMD_CHANGED, e);
		return 1;
	case VW_CMD_DEL:
		e = op_find(o, s);
		if (!e)
			return 0;
		if (e->bound)
			expect(ev, nev, VW_CMD_REMOVED, e);
		forget_peer(s, e->ifindex, ev, nev);
		e->ifindex = 0;
		return 1;
	case VW_CMD_GET:
		return op_find(o, s) != NULL;
	}
	return 0;
}

static void genl_render(struct op *o, struct msg *m)
{
	genl_init(m, o->cmd, NLM_F_REQUEST | NLM_F_ACK);
	if (o->has_id) attr_u32(m, VW_A_ID, o->id);
	if (o->has_ifindex) attr_u32(m, VW_A_IFINDEX, o->ifindex);
	if (o->has_name) attr_str(m, VW_A_IFNAME, o->name);
	if (o->has & F_REMOTE)
		attr(m, o->rfam == 4 ? VW_A_REMOTE4 : VW_A_REMOTE6, o->remote,
		     o->rfam == 4 ? 4 : 16);
	if (o->has & F_PEER) {
		if (o->peer_ifindex)
			attr_u32(m, VW_A_PEER_IFINDEX, o->peer_ifindex);
		else
			attr_str(m, VW_A_PEER_IFNAME, o->peer_name);
	}
	if (o->has & F_LOCAL)
		attr(m, o->lfam == 4 ? VW_A_LOCAL4 : VW_A_LOCAL6, o->local,
		     o->lfam == 4 ? 4 : 16);
	if (o->has & F_PORT) attr_u16(m, VW_A_PORT, o->port);
	if (o->has & F_FORMAT) attr_u8(m, VW_A_FORMAT, o->format);
	if (o->has & F_TTL) attr_u16(m, VW_A_TTL, o->ttl);
	if (o->has & F_TOS) attr_u16(m, VW_A_TOS, o->tos);
	if (o->has & F_DF) attr_u8(m, VW_A_DF, o->df);
	if (o->has & F_SPORT) {
		attr_u16(m, VW_A_SRCPORT_MIN, o->spmin);
		attr_u16(m, VW_A_SRCPORT_MAX, o->spmax);
	}
	if (o->has & F_CSUM) attr_u8(m, VW_A_CSUM, o->csum);
	if (o->has & F_ZTX) attr_u8(m, VW_A_UDP6_ZERO_CSUM_TX, o->ztx);
	if (o->has & F_ZRX) attr_u8(m, VW_A_UDP6_ZERO_CSUM_RX, o->zrx);
	if (o->has & F_RATE) {
		attr(m, VW_A_RATE_MIN, &o->rmin, 8);
		attr(m, VW_A_RATE_MAX, &o->rmax, 8);
	}
	if (o->has & F_BURST) attr_u32(m, VW_A_RATE_BURST, o->burst);
	if (o->has & F_PRIO) attr_u32(m, VW_A_PRIORITY, o->prio);
	if (o->has & F_MARK) attr_u32(m, VW_A_MARK, o->mark);
}

/* The control file's words for @o. */
static size_t proc_render(struct op *o, char *buf, size_t size)
{
	static const char *const cmds[] = { [VW_CMD_ADD] = "add",
		[VW_CMD_SET] = "set", [VW_CMD_DEL] = "del" };
	static const char *const dfs[] = { "unset", "set", "inherit" };
	static const char *const onoff[] = { "off", "on" };
	char a[64];
	size_t n = 0;

#define W(...) (n += snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__))
	W("%s", cmds[o->cmd]);
	if (o->cmd == VW_CMD_ADD) {
		if (o->has_id) W(" %u", o->id);
		if (o->has_name) W(" dev %s", o->name);
	} else if (o->has_id) {
		W(chance(50) ? " %u" : " 0x%x", o->id);
	} else {
		W(" dev %s", o->name);
	}
	if (o->has & F_REMOTE) {
		inet_ntop(o->rfam == 4 ? AF_INET : AF_INET6, o->remote, a, sizeof(a));
		W(" remote %s", a);
	}
	if (o->has & F_PEER) W(" peer %s", o->peer_name);
	if (o->has & F_LOCAL) {
		inet_ntop(o->lfam == 4 ? AF_INET : AF_INET6, o->local, a, sizeof(a));
		W(" local %s", !o->local[0] && o->lfam == 4 && chance(50) ? "any" : a);
	}
	if (o->has & F_PORT) W(" port %u", o->port);
	if (o->has & F_FORMAT) W(" format %s", o->format ? "vw" : "vxlan");
	if (o->has & F_TTL) {
		if (o->ttl == VW_TTL_INHERIT) W(" ttl inherit");
		else if (o->ttl == VW_TTL_AUTO) W(" ttl auto");
		else W(" ttl %u", o->ttl);
	}
	if (o->has & F_TOS) {
		if (o->tos == VW_TOS_INHERIT) W(" tos inherit");
		else W(" tos %u", o->tos);
	}
	if (o->has & F_DF) W(" df %s", dfs[o->df]);
	if (o->has & F_SPORT) W(" srcport %u %u", o->spmin, o->spmax);
	if (o->has & F_CSUM) W(" csum %s", onoff[o->csum]);
	if (o->has & F_ZTX) W(" udp6zerocsumtx %s", onoff[o->ztx]);
	if (o->has & F_ZRX) W(" udp6zerocsumrx %s", onoff[o->zrx]);
	if (chance(50)) W("\n");
#undef W
	return n < size ? n : size - 1;
}

/* ---------------------------------------------------------- mutation --- */

/* Attributes at @off..@end of @m, for picking one. */
static struct nlattr *pick_attr(struct msg *m, size_t off)
{
	struct nlattr *found = NULL;
	int k = 0;

	while (off + NLA_HDRLEN <= m->len) {
		struct nlattr *a = (struct nlattr *)(m->buf + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (!rnd(++k))
			found = a;
		off += NLA_ALIGN(a->nla_len);
	}
	return found;
}

static void garbage_attrs(struct msg *m, int depth, int maxtype)
{
	int n = 1 + rnd(4);

	while (n--) {
		int type = chance(70) ? (int)rnd(maxtype) : (int)rnd(65536);
		size_t len = chance(80) ? rnd(24) : rnd(600);

		if (depth && chance(30)) {
			size_t nest = nest_start(m, type);

			garbage_attrs(m, depth - 1, maxtype);
			nest_end(m, nest);
		} else {
			struct nlattr *a = attr(m, type, NULL, len);

			if (a)
				rnd_bytes((char *)a + NLA_HDRLEN, len);
		}
	}
}

/*
 * Damage @m (attributes from @hdr on); may set *@sendlen to other than
 * m->len.  Covers header fields, attribute types and lengths, nests,
 * strings, sizes.
 */
static void mutate(struct msg *m, size_t hdr, int maxtype, int nested_type,
		   size_t *sendlen)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	int k = 1 + rnd(3);
	size_t cut = SIZE_MAX;
	struct nlattr *a;

	while (k--) {
		switch (rnd(16)) {
		case 0:	/* command / message type */
			if (hdr > NLMSG_HDRLEN)
				m->buf[NLMSG_HDRLEN] = rnd(256);
			break;
		case 1:	/* flags, every one of them */
			nlh->nlmsg_flags = rnd(65536) | (chance(80) ? NLM_F_REQUEST : 0);
			break;
		case 2:	/* version, reserved bytes, ifinfomsg fields */
			rnd_bytes(m->buf + NLMSG_HDRLEN + 1, hdr - NLMSG_HDRLEN - 1);
			break;
		case 3:
		case 4:	/* a random attribute */
			a = attr(m, chance(80) ? rnd(maxtype) : rnd(65536), NULL,
				 chance(50) ? (uint32_t[]){0, 1, 2, 3, 4, 8, 16}[rnd(7)] : rnd(40));
			if (a)
				rnd_bytes((char *)a + NLA_HDRLEN, a->nla_len - NLA_HDRLEN);
			break;
		case 5:	/* an attribute's length */
			a = pick_attr(m, hdr);
			if (a)
				a->nla_len = chance(50) ? rnd(a->nla_len + 8) : rnd(65536);
			break;
		case 6:	/* an attribute's type */
			a = pick_attr(m, hdr);
			if (a)
				a->nla_type = chance(80) ? rnd(maxtype) : rnd(65536);
			break;
		case 7:	/* nested garbage */
			if (nested_type >= 0) {
				size_t nest = nest_start(m, chance(50) ? nested_type : (int)rnd(maxtype));

				garbage_attrs(m, 2, maxtype);
				nest_end(m, nest);
			}
			break;
		case 8:	/* the message length */
			nlh->nlmsg_len = (uint32_t[]){0, 1, NLMSG_HDRLEN, m->len - 1, m->len + 4,
						     0xffffffff, rnd(m->len + 1)}[rnd(7)];
			break;
		case 9:	/* send fewer bytes */
			cut = rnd(m->len + 1);
			break;
		case 10: /* flip bytes */
			for (int i = 0; i < 4; i++)
				m->buf[rnd(m->len)] ^= 1 << rnd(8);
			break;
		case 11: /* a string without its NUL, or too long */
			a = attr(m, chance(50) ? VW_A_IFNAME : (int)rnd(maxtype), NULL, 1 + rnd(40));
			if (a)
				memset((char *)a + NLA_HDRLEN, 'a' + rnd(26), a->nla_len - NLA_HDRLEN);
			break;
		case 12: /* a huge message */
			while (m->len < MAXMSG - 1024)
				garbage_attrs(m, 1, maxtype);
			break;
		case 13: /* duplicate an attribute */
			a = pick_attr(m, hdr);
			if (a && a->nla_len >= NLA_HDRLEN && a->nla_len < 1024 &&
			    (char *)a + a->nla_len <= (char *)m->buf + m->len) {
				unsigned char copy[1024];

				memcpy(copy, a, a->nla_len);
				attr(m, a->nla_type, copy + NLA_HDRLEN, a->nla_len - NLA_HDRLEN);
			}
			break;
		case 14: /* empty attribute of a known type */
			attr(m, rnd(maxtype), NULL, 0);
			break;
		default: /* all random */
			m->len = hdr + rnd(200);
			rnd_bytes(m->buf + hdr, m->len - hdr);
			nlh->nlmsg_len = m->len;
			break;
		}
	}
	*sendlen = cut < m->len ? cut : m->len;
}

/* -------------------------------------------------------------- check --- */

static struct {
	unsigned long sent, predicted_ok, predicted_refused;
	unsigned long mut_accepted, mut_refused, reconciled, no_msg, silent;
	unsigned long wf_no_msg;	/* ... of which well formed (genl) */
	unsigned long no_msg_errno[136];	/* refusals without a message */
} st[3];
static const char *const surface[] = { "genl", "rtnl", "proc" };
/* Time spent per surface, modelled (adds and deletes, others) and mutated. */
static double spent[3][3];
static unsigned long spent_n[3][3];
static int last_kind;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
static unsigned long dumps;

static void check_dump(const char *what)
{
	struct state got;

	dumps++;
	dump_state(&got);
	if (!state_equal(&model, &got, what)) {
		/* Report once, then go on from the kernel's view. */
		for (int i = 0; i < MAXEP; i++)
			if (got.ep[i].ifindex)
				got.ep[i].port_raw = -1;
		model = got;
	}
}

/* Events must match the expected ones (any order). */
static void check_events(struct ev *want, int nwant, struct ev *got, int ngot,
			 const char *what)
{
	char why[128];
	int used[64] = { 0 };

	if (nwant != ngot)
		fail("%s: %d events, want %d", what, ngot, nwant);
	for (int i = 0; i < nwant; i++) {
		int j;

		for (j = 0; j < ngot && j < 64; j++)
			if (!used[j] && got[j].cmd == want[i].cmd &&
			    got[j].ep.ifindex == want[i].ep.ifindex)
				break;
		if (j == ngot || j >= 64) {
			fail("%s: no event %d for endpoint %d", what, want[i].cmd,
			     want[i].ep.ifindex);
			continue;
		}
		used[j] = 1;
		if (!ep_equal(&want[i].ep, &got[j].ep, why, sizeof(why))) {
			fail("%s: event %d for %d: %s", what, want[i].cmd,
			     want[i].ep.ifindex, why);
			ep_print("want", &want[i].ep);
			ep_print("got ", &got[j].ep);
		}
	}
}

/*
 * A message whose outcome was not predicted was accepted: take the
 * kernel's state, but every endpoint whose binding or configuration
 * changed must have had an event.
 */
static void reconcile(struct ev *ev, int nev, const char *what)
{
	struct state got;
	char why[128];
	int before = failures;

	dump_state(&got);
	dumps++;
	for (int i = 0; i < MAXEP; i++) {
		struct ep *o = &model.ep[i], *g;
		int announced = 0;

		if (!o->ifindex)
			continue;
		g = ep_by_index(&got, o->ifindex);
		for (int j = 0; j < nev; j++)
			announced |= ev[j].ep.ifindex == o->ifindex;
		if (g) {
			struct ep a = *o, b = *g;

			strcpy(b.name, a.name);	/* a rename is not ours */
			if (!ep_equal(&a, &b, why, sizeof(why)) && !announced)
				fail("%s: endpoint %d changed without an event: %s",
				     what, o->ifindex, why);
			/*
			 * The given port is known while the endpoint was not
			 * touched: a message that was may have given the port
			 * its format's default explicitly, which shows the same
			 * until the format changes (seed 1796050168).
			 */
			g->port_raw = announced ? -1 : o->port_raw;
		} else if (o->bound && !announced) {
			fail("%s: bound endpoint %d gone without an event", what, o->ifindex);
		}
	}
	for (int i = 0; i < MAXEP; i++) {
		struct ep *g = &got.ep[i];
		int announced = 0;

		if (!g->ifindex || ep_by_index(&model, g->ifindex))
			continue;
		for (int j = 0; j < nev; j++)
			announced |= ev[j].cmd == VW_CMD_NEW && ev[j].ep.ifindex == g->ifindex;
		if (g->bound && !announced)
			fail("%s: endpoint %d bound without an event", what, g->ifindex);
		g->port_raw = -1;
	}
	for (int j = 0; failures > before && j < nev; j++) {
		printf("# event %d:\n", ev[j].cmd);
		ep_print("   ", &ev[j].ep);
	}
	model = got;
}

static struct op *cur_op;

static void op_print(const struct op *o)
{
	printf("# op cmd=%d id=%d/%u ifindex=%d/%d name=%d/%s has=%#x rfam=%u lfam=%u peer=%d/%s port=%u fmt=%u tos=%u sp=%u-%u\n",
	       o->cmd, o->has_id, o->id, o->has_ifindex, o->ifindex,
	       o->has_name, o->name, o->has, o->rfam, o->lfam, o->peer_ifindex,
	       o->peer_name, o->port, o->format, o->tos, o->spmin, o->spmax);
	for (int i = 0; i < MAXEP; i++)
		if (model.ep[i].ifindex)
			ep_print("before", &model.ep[i]);
}

/*
 * The verdict on one message.  @predicted: 1 accept, 0 refuse, -1 not
 * predicted; @next: the predicted state; @need_msg: a refusal must carry
 * an extack message.  @accepted, @errno_: what happened.
 */
static int silent;	/* the last netlink request got no answer at all */
static int well_formed;	/* ... was a well-formed genl request */

static void judge(int sf, int predicted, struct state *next, struct ev *want,
		  int nwant, int accepted, int err, const char *msg, int need_msg)
{
	struct ev *ev = evq;
	size_t linked;
	int nev;
	char what[64];

	if (sf)
		read_events();
	nev = nevq;
	nevq = 0;
	/*
	 * Link events tell whether a dump is worth it after an accepted
	 * mutated message: renames and unbound devices come and go without
	 * an event of the family.
	 */
	if (sf != 1 && accepted)
		link_changed += drain(rt_fd);
	linked = link_changed;
	link_changed = 0;

	/* The kernel core's messages name none of ours. */
	if (!accepted && strstr(msg, "VW_"))
		fail("%s refused with a message naming an internal constant: %s",
		     surface[sf], msg);
	last_kind = predicted < 0 ? 2 : cur_op && (cur_op->cmd == VW_CMD_ADD ||
						 cur_op->cmd == VW_CMD_DEL) ? 0 : 1;
	snprintf(what, sizeof(what), "%s %s", surface[sf],
		 predicted < 0 ? "mutated" : "modelled");
	if (predicted >= 0) {
		if (accepted != predicted) {
			fail("%s: %s, predicted %s (error %d: %s)", what,
			     accepted ? "accepted" : "refused",
			     predicted ? "accepted" : "refused", err, msg);
			if (cur_op)
				op_print(cur_op);
			reconcile(ev, nev, what);
			return;
		}
		if (predicted) {
			st[sf].predicted_ok++;
			/* New devices: their index, from the event or by name. */
			for (int i = 0; i < MAXEP; i++) {
				struct ep *e = &next->ep[i];

				if (e->ifindex != -1)
					continue;
				/* Named by the kernel ("vw%d"): from its event. */
				for (int j = 0; j < nev && !e->name[0]; j++)
					if (ev[j].cmd == VW_CMD_NEW &&
					    !ep_by_index(&model, ev[j].ep.ifindex))
						strcpy(e->name, ev[j].ep.name);
				e->ifindex = if_nametoindex(e->name);
				for (int j = 0; j < nwant; j++)
					if (want[j].ep.ifindex == -1) {
						want[j].ep.ifindex = e->ifindex;
						strcpy(want[j].ep.name, e->name);
					}
			}
			check_events(want, nwant, ev, nev, what);
			model = *next;
			return;
		}
		st[sf].predicted_refused++;
		if (need_msg && !msg[0])
			fail("%s: refused (error %d) without an extack message", what, err);
	} else if (accepted) {
		st[sf].mut_accepted++;
		st[sf].silent += silent;
		if (nev || linked) {
			st[sf].reconciled++;
			reconcile(ev, nev, what);
		}
		return;
	} else {
		st[sf].mut_refused++;
		/* Reported, not failed: the module's own refusals carry one,
		 * but a device name the core refuses (register_netdevice)
		 * does not. */
		if (!msg[0] && well_formed && st[sf].wf_no_msg++ < 5)
			printf("# note: well-formed request (message %lu) refused (error %d) without an extack message\n",
			       msgno, err);
		if (!msg[0]) {
			st[sf].no_msg++;
			st[sf].no_msg_errno[-err > 0 && -err < 136 ? -err : 0]++;
		}
	}
	if (nev) {
		fail("%s: refused (error %d: %s) but %d events arrived (first: cmd %d endpoint %d)",
		     what, err, msg, nev, ev[0].cmd, ev[0].ep.ifindex);
		reconcile(ev, nev, what);
	} else if (predicted < 0 && linked) {
		/*
		 * The core's RTM_SETLINK/NEWLINK is not atomic: a rename
		 * (or another link change of the core's) stays when a later
		 * attribute is refused.  Names are taken from a dump; the
		 * configuration must not have changed (no event came).
		 */
		reconcile(ev, nev, what);
	}
}

/* ----------------------------------------------------------- surfaces --- */

/*
 * A request the family's own code sees: whole, for the family, a known
 * command, zero reserved bytes, attributes that tile the payload exactly
 * and none nested or over 64 bytes.  Its refusals must carry a message
 * (the core refuses malformed ones, and unknown commands, without one).
 */
static int genl_well_formed(struct msg *m, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

	if (len != m->len || nlh->nlmsg_len != len || len < off ||
	    nlh->nlmsg_type != family || !(nlh->nlmsg_flags & NLM_F_REQUEST) ||
	    (nlh->nlmsg_flags & NLM_F_DUMP) || g->reserved ||
	    !(g->cmd == VW_CMD_ADD || g->cmd == VW_CMD_SET ||
	      g->cmd == VW_CMD_DEL || g->cmd == VW_CMD_GET ||
	      g->cmd == VW_CMD_REPLACE))
		return 0;
	while (off < len) {
		struct nlattr *a = (struct nlattr *)(m->buf + off);

		if (off + NLA_HDRLEN > len || a->nla_len < NLA_HDRLEN ||
		    a->nla_len > 64 || off + a->nla_len > len ||
		    a->nla_type & NLA_F_NESTED)
			return 0;
		off += NLA_ALIGN(a->nla_len);
	}
	return off == len;
}

static void fuzz_genl(void)
{
	struct state next = model;
	struct ev want[64];
	int nwant = 0, predicted = -1, mutated = !chance(modelled[0]);
	static struct msg m;
	struct answer a;
	struct op o;
	size_t len;

	memset(&o, 0, sizeof(o));
	if (mutated && chance(5)) {
		/* Not even a modelled start: any command, any attributes. */
		genl_init(&m, rnd(256), rnd(65536));
		garbage_attrs(&m, 2, VW_A_MAX + 4);
	} else {
		gen_op(&o, &next, 0);
		if (!mutated)
			predicted = predict(&o, &next, want, &nwant);
		genl_render(&o, &m);
		if (!mutated && o.cmd == VW_CMD_GET && chance(10))
			((struct nlmsghdr *)m.buf)->nlmsg_flags &= ~NLM_F_ACK;
	}
	len = m.len;
	if (mutated)
		mutate(&m, NLMSG_HDRLEN + GENL_HDRLEN, VW_A_MAX + 4, VW_A_STATS, &len);
	if (mutated && chance(1))
		len = 0;
	nl_exchange(genl_fd, m.buf, len, &a);
	silent = !a.errors && !a.acks && !a.replies && !a.done;
	well_formed = genl_well_formed(&m, len);
	st[0].sent++;
	cur_op = &o;
	if (predicted == 1 && o.cmd == VW_CMD_GET && !a.err) {
		struct ep *e = op_find(&o, &model);
		char why[128];

		if (!a.replies)
			fail("genl GET: no reply");
		else if (e && !ep_equal(e, &a.got, why, sizeof(why)))
			fail("genl GET of %d: %s", e->ifindex, why);
	}
	/* Refused: every message the buffer held was (a short nlmsg_len
	 * leaves a second one behind it). */
	judge(0, predicted, &next, want, nwant,
	      !a.errors || a.errors < nlmsg_count(m.buf, len), a.err, a.msg, 1);
}

/*
 * Keep a mutated link request inside this namespace and off other
 * devices: no namespace moves, masters or groups.
 */
static void rtnl_sanitize(struct msg *m, size_t len)
{
	size_t off = NLMSG_HDRLEN + sizeof(struct ifinfomsg);

	while (off + NLA_HDRLEN <= len) {
		struct nlattr *a = (struct nlattr *)(m->buf + off);

		switch (a->nla_type & NLA_TYPE_MASK) {
		case IFLA_NET_NS_PID: case IFLA_NET_NS_FD: case IFLA_MASTER:
		case IFLA_GROUP: case IFLA_LINK_NETNSID: case IFLA_TARGET_NETNSID:
		case IFLA_NEW_NETNSID: case IFLA_LINK:
			a->nla_type = IFLA_UNSPEC;
			break;
		}
		if (a->nla_len < NLA_HDRLEN)
			break;
		off += NLA_ALIGN(a->nla_len);
	}
}

/* RTM_NEWLINK of kind virtualwire, modelled from an ADD op; RTM_DELLINK. */
static void fuzz_rtnl(void)
{
	struct state next = model;
	struct ev want[64];
	int nwant = 0, predicted = -1, mutated = !chance(modelled[1]), need_msg = 1;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct ep *e = ep_random(&model);
	static struct msg m;
	struct answer a;
	struct op o;
	size_t len, li, data;

	memset(&o, 0, sizeof(o));
	if (mutated && e && chance(70)) {
		/* ip link set / change of an existing one; mostly refused. */
		msg_init(&m, chance(50) ? RTM_SETLINK : RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
		ifi.ifi_index = e->ifindex;
		msg_put(&m, &ifi, sizeof(ifi));
		li = nest_start(&m, IFLA_LINKINFO);
		attr_str(&m, IFLA_INFO_KIND, "virtualwire");
		data = nest_start(&m, IFLA_INFO_DATA);
		garbage_attrs(&m, 1, IFLA_VW_MAX + 3);
		nest_end(&m, data);
		nest_end(&m, li);
	} else if (e && chance(25)) {
		/* Delete, by index or by name. */
		msg_init(&m, RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK);
		if (chance(50)) {
			ifi.ifi_index = e->ifindex;
			msg_put(&m, &ifi, sizeof(ifi));
		} else {
			msg_put(&m, &ifi, sizeof(ifi));
			attr_str(&m, IFLA_IFNAME, e->name);
		}
		o.cmd = VW_CMD_DEL;
		o.has_ifindex = 1;
		o.ifindex = e->ifindex;
	} else {
		msg_init(&m, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
		msg_put(&m, &ifi, sizeof(ifi));
		o.cmd = VW_CMD_ADD;
		o.has_name = 1;
		strcpy(o.name, pool_name());
		attr_str(&m, IFLA_IFNAME, o.name);
		li = nest_start(&m, IFLA_LINKINFO);
		attr_str(&m, IFLA_INFO_KIND, "virtualwire");
		if (chance(70)) {
			/* Bound at creation: ID and remote, optional extras. */
			o.has_id = 1;
			o.id = pool_id();
			op_remote(&o, 8);
			if (chance(30)) {
				o.has |= F_PORT;
				o.port = 1 + rnd(65535);
			}
			if (chance(30)) {
				o.has |= F_FORMAT;
				o.format = rnd(2);
			}
			if (chance(20)) {
				o.has |= F_LOCAL;
				o.lfam = chance(90) ? o.rfam : 10 - o.rfam;
				pool_addr(o.lfam, o.local, 0);
			}
			data = nest_start(&m, IFLA_INFO_DATA);
			attr_u32(&m, IFLA_VW_ID, o.id);
			attr(&m, o.rfam == 4 ? IFLA_VW_REMOTE4 : IFLA_VW_REMOTE6,
			     o.remote, o.rfam == 4 ? 4 : 16);
			if (o.has & F_PORT) attr_u16(&m, IFLA_VW_PORT, o.port);
			if (o.has & F_FORMAT) attr_u8(&m, IFLA_VW_FORMAT, o.format);
			if (o.has & F_LOCAL)
				attr(&m, o.lfam == 4 ? IFLA_VW_LOCAL4 : IFLA_VW_LOCAL6,
				     o.local, o.lfam == 4 ? 4 : 16);
			if (mutated && chance(40))
				garbage_attrs(&m, 2, IFLA_VW_MAX + 3);
			nest_end(&m, data);
		} else if (mutated && chance(50)) {
			data = nest_start(&m, IFLA_INFO_DATA);
			garbage_attrs(&m, 2, IFLA_VW_MAX + 3);
			nest_end(&m, data);
		}
		nest_end(&m, li);
	}
	if (!mutated) {
		if (o.cmd == VW_CMD_ADD && ep_by_name(&next, o.name)) {
			/* NLM_F_EXCL: the core refuses, maybe without a message. */
			predicted = 0;
			need_msg = 0;
		} else if (o.cmd == VW_CMD_ADD && !o.has_id) {
			struct ep *n = ep_alloc(&next);

			predicted = n != NULL;
			if (n) {
				n->ifindex = -1;
				strcpy(n->name, o.name);
			}
		} else {
			predicted = predict(&o, &next, want, &nwant);
		}
	}
	len = m.len;
	if (mutated) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;
		struct ifinfomsg *fi = NLMSG_DATA(nlh);
		char other[IF_NAMESIZE];

		if (chance(30))
			nlh->nlmsg_type = (int[]){RTM_NEWLINK, RTM_SETLINK, RTM_DELLINK,
						  RTM_GETLINK}[rnd(4)];
		if (chance(30))
			fi->ifi_index = e && chance(70) ? e->ifindex : (int)rnd(64);
		mutate(&m, NLMSG_HDRLEN + sizeof(ifi), IFLA_VW_MAX + 4, IFLA_INFO_DATA, &len);
		/* Device flags rarely: bringing devices up costs (IPv6 etc.). */
		if (len >= NLMSG_HDRLEN + sizeof(ifi) && chance(90))
			fi->ifi_flags = fi->ifi_change = 0;
		/*
		 * Never a device that is not ours, lo or the topology's: a
		 * device of another kind renamed to a pool name ("fz7") would
		 * refuse every later add of that name (seed 1796568881).
		 */
		if (len >= NLMSG_HDRLEN + sizeof(ifi) && fi->ifi_index &&
		    !ep_by_index(&model, fi->ifi_index) &&
		    if_indextoname(fi->ifi_index, other))
			fi->ifi_index = 0;
		rtnl_sanitize(&m, len);
		/* Only link requests: no routes, addresses, neighbours. */
		if (nlh->nlmsg_type < RTM_NEWLINK || nlh->nlmsg_type > RTM_SETLINK)
			nlh->nlmsg_type = RTM_NEWLINK;
	}
	nl_exchange(rt_fd, m.buf, len, &a);
	silent = !a.errors && !a.acks && !a.replies && !a.done;
	well_formed = 0;
	st[1].sent++;
	cur_op = &o;
	judge(1, predicted, &next, want, nwant,
	      !a.errors || a.errors < nlmsg_count(m.buf, len), a.err, a.msg, need_msg);
}

static const char *const words[] = {
	"add", "set", "del", "dev", "remote", "peer", "local", "port", "format",
	"ttl", "tos", "df", "srcport", "csum", "udp6zerocsumtx", "udp6zerocsumrx",
	"vxlan", "vw", "auto", "inherit", "set", "unset", "on", "off", "any",
	"0", "1", "255", "256", "65535", "65536", "4294967295", "4294967296",
	"0x10", "0xffffff", "0x1000000", "-1", "+1", "010", "192.0.2.1",
	"224.0.0.1", "2001:db8::1", "ff02::1", "::", "0.0.0.0", "lo", "fz1",
	"fz2", "aaaaaaaaaaaaaaaa", "",
};

static void fuzz_proc(void)
{
	struct state next = model;
	struct ev want[64];
	int nwant = 0, predicted = -1, mutated = !chance(modelled[2]);
	char buf[1024];
	ssize_t r;
	size_t n;
	struct op o;

	do
		gen_op(&o, &next, 1);
	while (o.cmd == VW_CMD_GET);
	n = proc_render(&o, buf, 600);
	if (!mutated) {
		predicted = predict(&o, &next, want, &nwant);
	} else {
		int k = 1 + rnd(3);

		while (k--) {
			size_t at = rnd(n + 1);
			const char *w = words[rnd(sizeof(words) / sizeof(words[0]))];

			switch (rnd(8)) {
			case 0:	/* insert a word */
			case 1:
				if (n + strlen(w) + 2 < sizeof(buf)) {
					memmove(buf + at + strlen(w) + 1, buf + at, n - at);
					memcpy(buf + at, w, strlen(w));
					buf[at + strlen(w)] = chance(90) ? ' ' : '\t';
					n += strlen(w) + 1;
				}
				break;
			case 2:	/* cut */
				n = at;
				break;
			case 3:	/* a byte */
				if (n)
					buf[rnd(n)] = chance(50) ? (char)rnd(256) :
						"\n\0 \t0x:."[rnd(8)];
				break;
			case 4:	/* very long */
				n = 400 + rnd(sizeof(buf) - 400);
				for (size_t i = at; i < n; i++)
					buf[i] = chance(20) ? ' ' : 'a' + rnd(26);
				break;
			case 5:	/* many words */
				n = 0;
				for (int i = 0; i < 45 && n < 500; i++)
					n += snprintf(buf + n, sizeof(buf) - n, "%s ", words[rnd(20)]);
				break;
			case 6:	/* delete a span */
				if (at < n) {
					size_t l = rnd(n - at);

					memmove(buf + at, buf + at + l, n - at - l);
					n -= l;
				}
				break;
			default: /* random bytes */
				n = rnd(64);
				rnd_bytes(buf, n);
				break;
			}
		}
	}
	r = write(proc_fd, buf, n);
	silent = well_formed = 0;
	st[2].sent++;
	cur_op = &o;
	if (r >= 0 && (size_t)r != n)
		fail("proc: wrote %zd of %zu bytes", r, n);
	judge(2, predicted, &next, want, nwant, r >= 0, r < 0 ? -errno : 0, "", 0);
}

/* ---------------------------------------------------------------- main --- */

static void write_state(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(2);
	}
	for (int i = 0; i < MAXEP; i++) {
		struct ep *e = &model.ep[i];
		char r[64] = "-";

		if (!e->ifindex)
			continue;
		if (e->bound && e->wire == VW_WIRE_UDP)
			inet_ntop(e->rfam == 4 ? AF_INET : AF_INET6, e->remote, r, sizeof(r));
		else if (e->bound && ep_by_index(&model, e->peer))
			strcpy(r, ep_by_index(&model, e->peer)->name);
		if (e->bound)
			fprintf(f, "%d %s %u %s %s %s %u\n", e->ifindex, e->name, e->id,
				e->wire ? "local" : "udp", e->format ? "vw" : "vxlan", r,
				e->wire ? 0 : e->port);
		else
			fprintf(f, "%d %s - - - - -\n", e->ifindex, e->name);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	unsigned long n[3] = { 100000, 20000, 20000 }, every = 100, total;
	const char *statefile = NULL;
	long budget = 0;
	struct state s;
	FILE *f;
	int c;

	time_t t0 = time(NULL);

	seed = t0 ^ getpid();
	while ((c = getopt(argc, argv, "s:g:r:p:d:t:o:v")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'g': n[0] = strtoul(optarg, NULL, 0); break;
		case 'r': n[1] = strtoul(optarg, NULL, 0); break;
		case 'p': n[2] = strtoul(optarg, NULL, 0); break;
		case 'd': every = strtoul(optarg, NULL, 0) ? : 1; break;
		case 't': budget = strtol(optarg, NULL, 0); break;
		case 'o': statefile = optarg; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-g N] [-r N] [-p N] [-d EVERY] [-t SECONDS] [-o STATEFILE] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	rng = seed;
	printf("# vwfuzz_nl: seed %llu, %lu genl, %lu rtnl, %lu proc messages\n",
	       seed, n[0], n[1], n[2]);
	fflush(stdout);
	f = fopen("/sys/module/virtualwire/parameters/vw_port", "r");
	if (f) {
		if (fscanf(f, "%u", &vw_port) != 1)
			vw_port = VW_PORT;
		fclose(f);
	}
	genl_fd = nl_open(NETLINK_GENERIC, 0);
	rt_fd = nl_open(NETLINK_ROUTE, RTNLGRP_LINK);
	proc_fd = open(CONTROL, O_WRONLY | O_CLOEXEC);
	if (proc_fd < 0) {
		perror(CONTROL);
		return 2;
	}
	genl_resolve();
	dump_state(&s);
	if (ep_count(&s)) {
		fprintf(stderr, "the namespace already has virtualwire devices\n");
		return 2;
	}

	/* The surfaces interleaved, each getting its share. */
	total = n[0] + n[1] + n[2];
	for (msgno = 1; msgno <= total; msgno++) {
		uint32_t r = rnd(total);
		double t = now();
		int sf;

		if (r < n[0] && st[0].sent < n[0])
			sf = 0;
		else if (r < n[0] + n[1] && st[1].sent < n[1])
			sf = 1;
		else if (st[2].sent < n[2])
			sf = 2;
		else
			sf = st[0].sent < n[0] ? 0 : 1;
		if (sf == 0)
			fuzz_genl();
		else if (sf == 1)
			fuzz_rtnl();
		else
			fuzz_proc();
		spent[sf][last_kind] += now() - t;
		spent_n[sf][last_kind]++;
		if (msgno % every == 0)
			check_dump("periodic dump");
		if (verbose && msgno % 1000 == 0) {
			printf("# %lu messages, %d endpoints, %ld s\n", msgno,
			       ep_count(&model), (long)(time(NULL) - t0));
			fflush(stdout);
		}
		if (failures > 20) {
			printf("# too many failures, stopping\n");
			break;
		}
		if (budget && time(NULL) - t0 >= budget) {
			printf("# time budget of %ld s used up after %lu messages\n",
			       budget, msgno);
			break;
		}
	}
	msgno = 0;
	check_dump("final dump");
	for (int i = 0; i < 3; i++) {
		printf("# %s: %lu sent; modelled: %lu accepted, %lu refused as predicted; mutated: %lu accepted (%lu without any answer, %lu reconciled from a dump), %lu refused (%lu without an extack message",
		       surface[i], st[i].sent, st[i].predicted_ok, st[i].predicted_refused,
		       st[i].mut_accepted, st[i].silent, st[i].reconciled,
		       st[i].mut_refused, st[i].no_msg);
		for (int e = 0, first = 1; i < 2 && e < 136; e++)
			if (st[i].no_msg_errno[e]) {
				printf("%s%s %lu", first ? ": " : ", ",
				       strerrorname_np(e) ? : "?", st[i].no_msg_errno[e]);
				first = 0;
			}
		printf(")\n");
	}
	printf("# genl: %lu well-formed requests refused without an extack message\n",
	       st[0].wf_no_msg);
	for (int i = 0; verbose && i < 3; i++)
		printf("# %s: us per message: modelled add/del %.0f, modelled other %.0f, mutated %.0f\n",
		       surface[i], 1e6 * spent[i][0] / (spent_n[i][0] ? : 1),
		       1e6 * spent[i][1] / (spent_n[i][1] ? : 1),
		       1e6 * spent[i][2] / (spent_n[i][2] ? : 1));
	printf("# %lu full dumps compared, %d endpoints at the end, %d failures, %ld s\n",
	       dumps, ep_count(&model), failures, (long)(time(NULL) - t0));
	if (statefile)
		write_state(statefile);
	return failures ? 1 : 0;
}
