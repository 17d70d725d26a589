// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: a frame sent into an endpoint is encapsulated once (a GSO
 * super-packet stays whole and is segmented as late as possible by the
 * underlay) and sent in UDP to the remote.  Runs under rcu_read_lock_bh()
 * held by the core, lockless (LLTX): the endpoint's config is one RCU
 * pointer, so a packet uses the old or the new config, never a mix.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "virtualwire.h"
#include "compat.h"

/* Where a frame goes: the remote, or the relay address (rx.c). */
struct vw_dest {
	const union vw_addr *addr;
	__be32 mark;			/* VW_FLAG_RELAYED or 0 */
};

static int vw_encap(struct sk_buff *skb, const struct vw_config *cfg,
		    const struct vw_dest *d, unsigned int headroom, bool csum)
{
	struct vw_hdr *h;
	int err;

	err = skb_cow_head(skb, headroom);
	if (err)
		return err;
	err = iptunnel_handle_offloads(skb, csum ? SKB_GSO_UDP_TUNNEL_CSUM :
						   SKB_GSO_UDP_TUNNEL);
	if (err)
		return err;
	h = __skb_push(skb, sizeof(*h));
	if (cfg->p.format == VW_FORMAT_VW) {
		h->flags = VW_NATIVE_WORD0 | d->mark;
		h->id = htonl(cfg->p.id);
	} else {
		h->flags = VW_VXLAN_FLAG_I | d->mark;
		h->id = htonl(cfg->p.id << 8);
	}
	skb_set_inner_protocol(skb, htons(ETH_P_TEB));
	return 0;
}

/* Outer TOS / traffic class: fixed or the inner one, ECN per RFC 6040. */
static u8 vw_outer_tos(const struct vw_config *cfg, struct sk_buff *skb)
{
	const struct iphdr *inner = ip_hdr(skb);
	u8 tos = cfg->p.tos;

	if (cfg->p.tos == VW_TOS_INHERIT)
		tos = ip_tunnel_get_dsfield(inner, skb);
	return ip_tunnel_ecn_encap(tos, inner, skb);
}

/* Outer TTL / hop limit; 0 leaves it to the route. */
static u8 vw_outer_ttl(const struct vw_config *cfg, struct sk_buff *skb)
{
	if (cfg->p.ttl == VW_TTL_INHERIT)
		return ip_tunnel_get_ttl(ip_hdr(skb), skb);
	if (cfg->p.ttl == VW_TTL_AUTO)
		return 0;
	return cfg->p.ttl;
}

static __be16 vw_outer_df(const struct vw_config *cfg, struct sk_buff *skb)
{
	__be16 proto = skb_protocol(skb, true);

	if (cfg->p.df == VW_DF_SET)
		return htons(IP_DF);
	if (cfg->p.df != VW_DF_INHERIT)
		return 0;
	if (proto == htons(ETH_P_IPV6))
		return htons(IP_DF);
	if (proto == htons(ETH_P_IP))
		return ip_hdr(skb)->frag_off & htons(IP_DF);
	return 0;
}

/* The outer UDP source port: the inner flow's hash within the range. */
static __be16 vw_srcport(const struct vw_config *cfg, struct sk_buff *skb,
			 struct net *net)
{
	int min = cfg->p.srcport_min, max = cfg->p.srcport_max;

	/* udp_flow_src_port() maps into [min, max) and reads min == max as
	 * "use the local port range": hand it a half-open range.
	 */
	if (min == max)
		return htons(min);
	return udp_flow_src_port(net, skb, min, max + 1, true);
}

/*
 * A frame too big for the path: skb_tunnel_check_pmtu() lowers the inner
 * route's MTU and, for a bridged endpoint, turns @skb into the ICMP "too
 * big" its sender needs, which goes back out of this endpoint as if the
 * remote had sent it.  Returns 0 to go on, > 0 when @skb was consumed that
 * way, < 0 on error.
 */
static int vw_check_pmtu(struct sk_buff *skb, struct vw_dev *vwd,
			 struct dst_entry *dst, unsigned int overhead)
{
	unsigned int len;
	int err;

	err = skb_tunnel_check_pmtu(skb, dst, overhead,
				    netif_is_any_bridge_port(vwd->dev));
	if (likely(err <= 0))
		return err;
	vw_count(vwd->counters, VW_STATS_DROP_TOO_BIG);
	/* The ICMP error leaves now, whatever the frame's departure time. */
	skb_clear_tstamp(skb);
	skb->pkt_type = PACKET_HOST;
	skb->encapsulation = 0;
	skb->dev = vwd->dev;
	__skb_pull(skb, skb_network_offset(skb));
	len = skb->len;
	if (netif_rx(skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(vwd->dev, len);
	return err;
}

/* The outer packet's mark: the connector's, else the frame's. */
static u32 vw_outer_mark(const struct vw_config *cfg,
			 const struct sk_buff *skb)
{
	return cfg->p.mark ? : skb->mark;
}

/*
 * The flow cache's key for @skb's outer route: besides the config and the
 * destination, the lookup takes the flow's source port, the mark and the
 * TOS (@tos, as the lookup takes it).
 */
static struct vw_flow_key vw_route_key(const struct vw_config *cfg,
				       const struct vw_dest *d,
				       const struct sk_buff *skb,
				       __be16 sport, u8 tos)
{
	return (struct vw_flow_key) {
		.gen = cfg->gen << 1 | (d->mark ? 1 : 0),
		.mark = vw_outer_mark(cfg, skb),
		.sport = sport,
		.tos = tos,
	};
}

static void vw_route_keep(struct vw_dev *vwd, struct vw_config *cfg,
			  const struct vw_flow_key *key, struct dst_entry *dst,
			  u32 cookie, const union vw_flow_saddr *saddr)
{
	if (vw_flow_set(&cfg->vs->flows, key, dst, cookie, saddr))
		vw_count(vwd->counters, VW_STATS_ROUTE_EVICT);
}

/*
 * The connector's priority and mark on the outer packet, for the
 * underlay's qdiscs (an HTB class; Documentation/sla.rst).  The tunnel
 * transmit keeps both within a namespace; across namespaces it clears the
 * mark, as it does any other.
 */
static void vw_outer_marks(struct sk_buff *skb, const struct vw_config *cfg)
{
	if (cfg->p.priority)
		skb->priority = cfg->p.priority;
	if (cfg->p.mark)
		skb->mark = cfg->p.mark;
}

static struct rtable *vw_route4(struct vw_dev *vwd, struct vw_config *cfg,
				const struct vw_dest *d, struct sk_buff *skb,
				u8 tos, __be16 sport, __be32 *saddr)
{
	/* The TOS without ECN, all the lookup keeps of it. */
	struct vw_flow_key key = vw_route_key(cfg, d, skb, sport,
					      RT_TOS(tos) & ~INET_ECN_MASK);
	union vw_flow_saddr src = {};
	struct dst_entry *dst;
	struct flowi4 fl4;
	struct rtable *rt;

	dst = vw_flow_get(&cfg->vs->flows, &key, &src);
	if (likely(dst)) {
		vw_count(vwd->counters, VW_STATS_ROUTE_HIT);
		*saddr = src.in4;
		return container_of(dst, struct rtable, dst);
	}
	vw_count(vwd->counters, VW_STATS_ROUTE_MISS);
	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.flowi4_mark = key.mark;
	fl4.flowi4_tos = key.tos;
	fl4.daddr = d->addr->sin.sin_addr.s_addr;
	fl4.saddr = cfg->p.local.sin.sin_addr.s_addr;
	fl4.fl4_dport = cfg->dport;
	fl4.fl4_sport = sport;
	rt = ip_route_output_key(vwd->vn->net, &fl4);
	if (IS_ERR(rt))
		return rt;
	if (rt->dst.dev == vwd->dev) {
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	src.in4 = fl4.saddr;
	vw_route_keep(vwd, cfg, &key, &rt->dst, 0, &src);
	return rt;
}

/* Returns 0 when @skb was consumed, else why it must be dropped. */
static enum vw_stats vw_xmit4(struct sk_buff *skb, struct vw_dev *vwd,
			      struct vw_config *cfg, const struct vw_dest *d)
{
	struct net *net = vwd->vn->net;
	struct rtable *rt;
	__be32 saddr;
	__be16 sport;
	u8 tos, ttl;
	__be16 df;
	int err;

	sport = vw_srcport(cfg, skb, net);
	tos = vw_outer_tos(cfg, skb);
	rt = vw_route4(vwd, cfg, d, skb, tos, sport, &saddr);
	if (IS_ERR(rt))
		return PTR_ERR(rt) == -ELOOP ? VW_STATS_DROP_LOOP :
					       VW_STATS_DROP_NO_ROUTE;
	/* A relayed frame was the remote's: no ICMP back into the device. */
	err = d->mark ? 0 : vw_check_pmtu(skb, vwd, &rt->dst, VW_OVERHEAD4);
	if (unlikely(err)) {
		ip_rt_put(rt);
		return err < 0 ? VW_STATS_DROP_NOMEM : 0;
	}
	ttl = vw_outer_ttl(cfg, skb) ? : ip4_dst_hoplimit(&rt->dst);
	df = vw_outer_df(cfg, skb);
	if (vw_encap(skb, cfg, d, LL_RESERVED_SPACE(rt->dst.dev) +
		     rt->dst.header_len + sizeof(struct iphdr) +
		     VW_ENCAP_LEN, cfg->p.csum)) {
		ip_rt_put(rt);
		return VW_STATS_DROP_NOMEM;
	}
	vw_outer_marks(skb, cfg);
	vw_compat_udp_tunnel_xmit_skb(rt, cfg->vs->sock4->sk, skb, saddr,
				      d->addr->sin.sin_addr.s_addr, tos,
				      ttl, df, sport, cfg->dport,
				      !net_eq(net, dev_net(vwd->dev)),
				      !cfg->p.csum);
	return 0;
}

#if IS_ENABLED(CONFIG_IPV6)
static struct dst_entry *vw_route6(struct vw_dev *vwd, struct vw_config *cfg,
				   const struct vw_dest *d, struct sk_buff *skb,
				   u8 tos, __be16 sport, struct in6_addr *saddr)
{
	/* The traffic class without ECN, as rules match it. */
	struct vw_flow_key key = vw_route_key(cfg, d, skb, sport,
					      tos & ~INET_ECN_MASK);
	union vw_flow_saddr src;
	struct dst_entry *dst;
	struct flowi6 fl6;

	dst = vw_flow_get(&cfg->vs->flows, &key, &src);
	if (likely(dst)) {
		vw_count(vwd->counters, VW_STATS_ROUTE_HIT);
		*saddr = src.in6;
		return dst;
	}
	vw_count(vwd->counters, VW_STATS_ROUTE_MISS);
	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.flowi6_mark = key.mark;
	fl6.flowlabel = ip6_make_flowinfo(key.tos, 0);
	fl6.daddr = d->addr->sin6.sin6_addr;
	fl6.saddr = cfg->p.local.sin6.sin6_addr;
	fl6.fl6_dport = cfg->dport;
	fl6.fl6_sport = sport;
	dst = ipv6_stub->ipv6_dst_lookup_flow(vwd->vn->net,
					      cfg->vs->sock6->sk, &fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	if (dst->dev == vwd->dev) {
		dst_release(dst);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl6.saddr;
	src.in6 = fl6.saddr;
	vw_route_keep(vwd, cfg, &key, dst,
		      rt6_get_cookie(container_of(dst, struct rt6_info, dst)),
		      &src);
	return dst;
}

static enum vw_stats vw_xmit6(struct sk_buff *skb, struct vw_dev *vwd,
			      struct vw_config *cfg, const struct vw_dest *d)
{
	struct in6_addr saddr, daddr = d->addr->sin6.sin6_addr;
	bool csum = !cfg->p.zero_csum6_tx;
	struct net *net = vwd->vn->net;
	struct dst_entry *dst;
	__be16 sport;
	u8 tos, ttl;
	int err;

	sport = vw_srcport(cfg, skb, net);
	tos = vw_outer_tos(cfg, skb);
	dst = vw_route6(vwd, cfg, d, skb, tos, sport, &saddr);
	if (IS_ERR(dst))
		return PTR_ERR(dst) == -ELOOP ? VW_STATS_DROP_LOOP :
						VW_STATS_DROP_NO_ROUTE;
	err = d->mark ? 0 : vw_check_pmtu(skb, vwd, dst, VW_OVERHEAD6);
	if (unlikely(err)) {
		dst_release(dst);
		return err < 0 ? VW_STATS_DROP_NOMEM : 0;
	}
	ttl = vw_outer_ttl(cfg, skb) ? : ip6_dst_hoplimit(dst);
	if (vw_encap(skb, cfg, d, LL_RESERVED_SPACE(dst->dev) +
		     dst->header_len + sizeof(struct ipv6hdr) +
		     VW_ENCAP_LEN, csum)) {
		dst_release(dst);
		return VW_STATS_DROP_NOMEM;
	}
	vw_outer_marks(skb, cfg);
	vw_compat_udp_tunnel6_xmit_skb(dst, cfg->vs->sock6->sk, skb, vwd->dev,
				       &saddr, &daddr, tos, ttl, 0, sport,
				       cfg->dport, !csum);
	return 0;
}
#else
static enum vw_stats vw_xmit6(struct sk_buff *skb, struct vw_dev *vwd,
			      struct vw_config *cfg, const struct vw_dest *d)
{
	return VW_STATS_DROP_NO_ROUTE;
}
#endif

/*
 * A local wire: the frame comes out of the peer endpoint as if it had
 * arrived there, with no encapsulation.  A GSO super-packet crosses whole.
 */
static enum vw_stats vw_xmit_local(struct sk_buff *skb, struct vw_dev *vwd,
				   struct vw_config *cfg)
{
	struct vw_dev *peer = rcu_dereference(cfg->peer);
	unsigned int len = skb->len - ETH_HLEN;

	if (unlikely(!peer))
		return VW_STATS_DROP_NO_PEER;
	if (unlikely(!(peer->dev->flags & IFF_UP)))
		return VW_STATS_DROP_PEER_DOWN;
	if (!vw_rate_admit(cfg, skb))
		return VW_STATS_DROP_RATE;
	/* A refusal is counted by the core as the peer's rx_dropped. */
	if (dev_forward_skb(peer->dev, skb) == NET_RX_SUCCESS) {
		dev_sw_netstats_tx_add(vwd->dev, 1, len);
		dev_sw_netstats_rx_add(peer->dev, len);
	}
	return 0;
}

/* A UDP wire's frame, to @d. */
static enum vw_stats vw_xmit_udp(struct sk_buff *skb, struct vw_dev *vwd,
				 struct vw_config *cfg, const struct vw_dest *d)
{
	/* Before anything reads the inner headers: TOS, TTL, DF, PMTU. */
	if (unlikely(!vw_compat_inner_prepare(skb)))
		return VW_STATS_DROP_SHORT;
	if (d->addr->sa.sa_family == AF_INET)
		return vw_xmit4(skb, vwd, cfg, d);
	return vw_xmit6(skb, vwd, cfg, d);
}

/*
 * A frame received by a relaying endpoint (rx.c, softirq), to the relay
 * address, marked so that it is not relayed again.
 */
void vw_xmit_relay(struct sk_buff *skb, struct vw_dev *vwd,
		   struct vw_config *cfg)
{
	const struct vw_dest d = {
		.addr = &cfg->p.relay,
		.mark = VW_FLAG_RELAYED,
	};
	enum vw_stats reason;

	reason = vw_xmit_udp(skb, vwd, cfg, &d);
	if (unlikely(reason)) {
		vw_count(vwd->counters, reason);
		kfree_skb(skb);
		return;
	}
	vw_count(vwd->counters, VW_STATS_RELAYED);
}

netdev_tx_t vw_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vw_dev *vwd = netdev_priv(dev);
	struct vw_config *cfg;
	enum vw_stats reason;

	rcu_read_lock();
	cfg = rcu_dereference(vwd->cfg);
	if (unlikely(!cfg)) {
		reason = VW_STATS_DROP_UNBOUND;
	} else if (cfg->p.wire == VW_WIRE_LOCAL) {
		reason = vw_xmit_local(skb, vwd, cfg);
	} else if (unlikely(cfg->p.relay.sa.sa_family)) {
		/* The VM has left: what its old bridge sends goes nowhere. */
		reason = VW_STATS_DROP_RELAYING;
	} else if (unlikely(!vw_hold_active(vwd)) &&
		   !vw_hold_tx(vwd, cfg, skb)) {
		reason = VW_STATS_DROP_STANDBY;
	} else if (!vw_rate_admit(cfg, skb)) {
		reason = VW_STATS_DROP_RATE;
	} else {
		const struct vw_dest d = { .addr = &cfg->p.remote };

		reason = vw_xmit_udp(skb, vwd, cfg, &d);
	}
	rcu_read_unlock();

	if (unlikely(reason)) {
		vw_count(vwd->counters, reason);
		kfree_skb(skb);
	}
	return NETDEV_TX_OK;
}
