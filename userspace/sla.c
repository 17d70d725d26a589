// SPDX-License-Identifier: GPL-2.0
/*
 * The tc recipe of the guaranteed rates (sla.h).
 *
 * One HTB tree on the underlay device: a root class of the device's
 * capacity, under it a class for each connector with a guarantee (rate
 * MIN, ceil MAX or the capacity) and a default class for everything else
 * with what the guarantees leave.  HTB gives each class its rate and
 * lends what a class does not use to the others up to their ceils, which
 * is the service level's rule.  A connector's packets find its class by
 * their skb priority when it names one of this qdisc's classes
 * ("priority 1:10", no filter needed), else by their mark (a fw filter).
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <string.h>

#include "sla.h"
#include "units.h"

#define SLA_ROOT_MINOR 1
#define SLA_DEFAULT_MINOR 0xffff
/* The default class's least rate: HTB wants one, tc a sane burst time. */
#define SLA_DEFAULT_MIN_RATE 1000
#define SLA_FIRST_MINOR 0x10

/*
 * A class's quantum: what it may send in one round when it borrows, so
 * the spare goes in proportion to the guarantees.  HTB's own (rate / 10)
 * draws a warning above 200000 bytes; below a full frame a class would
 * need several rounds for one.
 */
static uint64_t sla_quantum(uint64_t rate)
{
	uint64_t q = rate / 10;

	return q < 1600 ? 1600 : q > 200000 ? 200000 : q;
}

/*
 * A class's burst and cburst: 10 ms of its rate and a frame.  HTB's own
 * (a tick's worth) falls short of the rate when its timer runs late, on a
 * busy or virtual host.
 */
static uint64_t sla_burst(uint64_t rate)
{
	uint64_t b = rate / 100 + 1514;

	/* tc takes 32 bits; a gigabyte is 10 ms of 800 Gbit/s. */
	return b < (1ULL << 30) ? b : 1ULL << 30;
}

static void sla_class(FILE *out, const char *dev, uint16_t major,
		      uint16_t parent, uint16_t minor, uint64_t rate,
		      uint64_t ceil)
{
	char r[32], c[32];

	fprintf(out, "tc class add dev %s parent %x:%s classid %x:%x htb rate %s ceil %s burst %" PRIu64 " cburst %" PRIu64 " quantum %" PRIu64 "\n",
		dev, major, parent ? "1" : "", major, minor,
		units_rate_str(rate, r, sizeof(r)),
		units_rate_str(ceil, c, sizeof(c)), sla_burst(rate),
		sla_burst(ceil), sla_quantum(rate));
}

struct sla_route_answer {
	uint32_t oif;
};

static int sla_route_reply(struct nl_msg *msg, void *arg)
{
	struct sla_route_answer *a = arg;
	struct nlattr *tb[RTA_MAX + 1];

	if (nlmsg_parse(nlmsg_hdr(msg), sizeof(struct rtmsg), tb, RTA_MAX,
			NULL) < 0)
		return NL_SKIP;
	if (tb[RTA_OIF])
		a->oif = nla_get_u32(tb[RTA_OIF]);
	return NL_OK;
}

bool sla_route_dev(const struct vw_endpoint *ep, char dev[IFNAMSIZ])
{
	struct sla_route_answer a = { 0 };
	struct rtmsg rtm = { 0 };
	struct nl_sock *sk;
	struct nl_msg *msg = NULL;
	size_t alen;
	bool ok = false;

	if (!ep->has_remote || ep->family == AF_UNSPEC)
		return false;
	alen = ep->family == AF_INET ? sizeof(ep->remote.v4) :
				       sizeof(ep->remote.v6);
	sk = nl_socket_alloc();
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0)
		goto out;
	nl_socket_disable_auto_ack(sk);
	rtm.rtm_family = ep->family;
	rtm.rtm_dst_len = alen * 8;
	msg = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_REQUEST);
	if (!msg || nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, RTA_DST, alen, &ep->remote) < 0)
		goto out;
	/* The route the module looks up: from its local address, its mark. */
	if (ep->has_local && ep->local_family == ep->family &&
	    nla_put(msg, RTA_SRC, alen, &ep->local) < 0)
		goto out;
	if (ep->has_mark && ep->mark && nla_put_u32(msg, RTA_MARK, ep->mark) < 0)
		goto out;
	if (nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM,
				sla_route_reply, &a) < 0 ||
	    nl_send_auto(sk, msg) < 0 || nl_recvmsgs_default(sk) < 0)
		goto out;
	ok = a.oif && if_indextoname(a.oif, dev);
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return ok;
}

/* One connector's class. */
struct sla_class {
	const struct vw_endpoint *ep;
	uint16_t minor;
	bool by_mark;
};

static bool sla_minor_taken(const struct sla_class *c, size_t n,
			    uint16_t minor)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].minor == minor)
			return true;
	return minor == SLA_ROOT_MINOR || minor == SLA_DEFAULT_MINOR;
}

static const char *sla_name(const struct vw_endpoint *ep, char *buf,
			    size_t len)
{
	snprintf(buf, len, "connector %u (%s)", ep->id, ep->ifname);
	return buf;
}

/*
 * The connectors of @eps to give a class, into @c (*@nc of them), with
 * the qdisc's handle into *@major.  False, having said why, when a
 * connector's packets could not find a class.
 */
static bool sla_classes(FILE *err, const char *dev, uint64_t capacity,
			const struct vw_endpoint *eps, size_t n,
			sla_route_fn route, struct sla_class *c, size_t *nc,
			uint16_t *major)
{
	const struct vw_endpoint *first = NULL;
	char rdev[IFNAMSIZ], name[64], r1[32], r2[32];
	uint64_t sum = 0;
	uint16_t next = SLA_FIRST_MINOR;
	size_t i, i2, k = 0;

	*major = 1;
	for (i = 0; i < n; i++) {
		const struct vw_endpoint *ep = &eps[i];
		uint16_t maj = ep->has_priority ? ep->priority >> 16 : 0;

		if (!ep->has_rate || !ep->rate_min || !ep->has_remote ||
		    !route(ep, rdev) || strcmp(rdev, dev))
			continue;
		if (maj && first && maj != *major) {
			fprintf(err, "vwctl: sla: %s and connector %u (%s) name classes of two qdiscs, %x: and %x:; give them one major number\n",
				sla_name(first, name, sizeof(name)), ep->id,
				ep->ifname, *major, maj);
			return false;
		}
		if (maj) {
			*major = maj;
			first = ep;
		}
		c[k].ep = ep;
		c[k].by_mark = !maj;
		if (!maj && !(ep->has_mark && ep->mark)) {
			fprintf(err, "vwctl: sla: %s has a guaranteed rate but neither a priority that names a class (priority 1:N) nor a mark: set one, so that its packets find their class\n",
				sla_name(ep, name, sizeof(name)));
			return false;
		}
		if (maj && (!(ep->priority & 0xffff) ||
			    sla_minor_taken(c, k, ep->priority & 0xffff))) {
			fprintf(err, "vwctl: sla: %s: priority %x:%x is the root, the default class or another connector's class\n",
				sla_name(ep, name, sizeof(name)), maj,
				ep->priority & 0xffff);
			return false;
		}
		for (i2 = 0; !maj && i2 < k; i2++) {
			if (c[i2].by_mark && c[i2].ep->mark == ep->mark) {
				fprintf(err, "vwctl: sla: %s and connector %u (%s) have one mark, 0x%x: a fw filter can send it to one class only\n",
					sla_name(c[i2].ep, name, sizeof(name)),
					ep->id, ep->ifname, ep->mark);
				return false;
			}
		}
		c[k].minor = maj ? ep->priority & 0xffff : 0;
		sum += ep->rate_min;
		k++;
	}
	/* Minors for the connectors found by their mark, once all are known. */
	for (i = 0; i < k; i++) {
		if (c[i].minor)
			continue;
		while (sla_minor_taken(c, k, next))
			next++;
		c[i].minor = next++;
	}
	if (sum > capacity) {
		fprintf(err, "vwctl: sla: the guarantees on %s add up to %s, above its capacity %s\n",
			dev, units_rate_str(sum, r1, sizeof(r1)),
			units_rate_str(capacity, r2, sizeof(r2)));
		return false;
	}
	*nc = k;
	return true;
}

bool sla_show_tc(FILE *out, FILE *err, const char *dev, uint64_t capacity,
		 const struct vw_endpoint *eps, size_t n, sla_route_fn route)
{
	char cap[32];
	struct sla_class *c;
	uint64_t spare = capacity;
	uint16_t major;
	size_t i, nc;

	c = calloc(n ? n : 1, sizeof(*c));
	if (!c) {
		fprintf(err, "vwctl: sla: %s\n", strerror(ENOMEM));
		return false;
	}
	if (!sla_classes(err, dev, capacity, eps, n, route, c, &nc, &major)) {
		free(c);
		return false;
	}
	units_rate_str(capacity, cap, sizeof(cap));
	fprintf(out, "# The guaranteed rates of the connectors that leave by %s, of capacity %s\n"
		"# (vwctl sla show-tc; Documentation/sla.rst).  Run it with sh -e.\n",
		dev, cap);
	/* HTB cannot change in place: a tree made again, from the root. */
	fprintf(out, "tc qdisc del dev %s root 2>/dev/null || true\n", dev);
	fprintf(out, "tc qdisc add dev %s root handle %x: htb default %x\n",
		dev, major, SLA_DEFAULT_MINOR);
	sla_class(out, dev, major, 0, 1, capacity, capacity);
	for (i = 0; i < nc; i++) {
		const struct vw_endpoint *ep = c[i].ep;
		uint64_t ceil = ep->rate_max < capacity ? ep->rate_max : capacity;

		spare -= ep->rate_min;
		fprintf(out, "# connector %u (%s)\n", ep->id, ep->ifname);
		sla_class(out, dev, major, 1, c[i].minor, ep->rate_min, ceil);
		fprintf(out, "tc qdisc add dev %s parent %x:%x fq\n", dev,
			major, c[i].minor);
		if (c[i].by_mark)
			fprintf(out, "tc filter add dev %s parent %x: protocol all prio 1 handle 0x%x fw classid %x:%x\n",
				dev, major, ep->mark, major, c[i].minor);
	}
	fprintf(out, "# everything else\n");
	sla_class(out, dev, major, 1, SLA_DEFAULT_MINOR,
		  spare > SLA_DEFAULT_MIN_RATE ? spare : SLA_DEFAULT_MIN_RATE,
		  capacity);
	fprintf(out, "tc qdisc add dev %s parent %x:%x fq\n", dev, major,
		SLA_DEFAULT_MINOR);
	free(c);
	return true;
}
