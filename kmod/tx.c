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
#include <net/dst_cache.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "virtualwire.h"
#include "compat.h"

static int vw_encap(struct sk_buff *skb, u32 id, unsigned int headroom)
{
	struct vw_hdr *h;
	int err;

	err = skb_cow_head(skb, headroom);
	if (err)
		return err;
	err = iptunnel_handle_offloads(skb, SKB_GSO_UDP_TUNNEL_CSUM);
	if (err)
		return err;
	h = __skb_push(skb, sizeof(*h));
	h->flags = VW_VXLAN_FLAG_I;
	h->id = htonl(id << 8);
	skb_set_inner_protocol(skb, htons(ETH_P_TEB));
	return 0;
}

static struct rtable *vw_route4(struct vw_dev *vwd, struct vw_config *cfg,
				__be16 sport, __be32 *saddr)
{
	struct flowi4 fl4 = {
		.flowi4_proto = IPPROTO_UDP,
		.daddr = cfg->remote.sin.sin_addr.s_addr,
		.saddr = cfg->local.sin.sin_addr.s_addr,
		.fl4_dport = cfg->port,
		.fl4_sport = sport,
	};
	struct rtable *rt;

	rt = dst_cache_get_ip4(&cfg->dst_cache, saddr);
	if (rt)
		return rt;
	rt = ip_route_output_key(vwd->vn->net, &fl4);
	if (IS_ERR(rt))
		return rt;
	if (rt->dst.dev == vwd->dev) {
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	dst_cache_set_ip4(&cfg->dst_cache, &rt->dst, fl4.saddr);
	return rt;
}

static enum vw_stats vw_xmit4(struct sk_buff *skb, struct vw_dev *vwd,
			      struct vw_config *cfg)
{
	struct net *net = vwd->vn->net;
	struct rtable *rt;
	__be32 saddr;
	__be16 sport;
	u8 tos, ttl;

	sport = udp_flow_src_port(net, skb, VW_SRCPORT_MIN, VW_SRCPORT_MAX,
				  true);
	rt = vw_route4(vwd, cfg, sport, &saddr);
	if (IS_ERR(rt))
		return PTR_ERR(rt) == -ELOOP ? VW_STATS_DROP_LOOP :
					       VW_STATS_DROP_NO_ROUTE;
	tos = ip_tunnel_ecn_encap(0, ip_hdr(skb), skb);
	ttl = ip4_dst_hoplimit(&rt->dst);
	if (vw_encap(skb, vwd->id, LL_RESERVED_SPACE(rt->dst.dev) +
		     rt->dst.header_len + sizeof(struct iphdr) +
		     VW_ENCAP_LEN)) {
		ip_rt_put(rt);
		return VW_STATS_DROP_NOMEM;
	}
	vw_compat_udp_tunnel_xmit_skb(rt, cfg->vs->sock4->sk, skb, saddr,
				      cfg->remote.sin.sin_addr.s_addr, tos,
				      ttl, 0, sport, cfg->port,
				      !net_eq(net, dev_net(vwd->dev)), false);
	return 0;
}

#if IS_ENABLED(CONFIG_IPV6)
static struct dst_entry *vw_route6(struct vw_dev *vwd, struct vw_config *cfg,
				   __be16 sport, struct in6_addr *saddr)
{
	struct flowi6 fl6 = {
		.flowi6_proto = IPPROTO_UDP,
		.daddr = cfg->remote.sin6.sin6_addr,
		.saddr = cfg->local.sin6.sin6_addr,
		.fl6_dport = cfg->port,
		.fl6_sport = sport,
	};
	struct dst_entry *dst;

	dst = dst_cache_get_ip6(&cfg->dst_cache, saddr);
	if (dst)
		return dst;
	dst = ipv6_stub->ipv6_dst_lookup_flow(vwd->vn->net,
					      cfg->vs->sock6->sk, &fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	if (dst->dev == vwd->dev) {
		dst_release(dst);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl6.saddr;
	dst_cache_set_ip6(&cfg->dst_cache, dst, &fl6.saddr);
	return dst;
}

static enum vw_stats vw_xmit6(struct sk_buff *skb, struct vw_dev *vwd,
			      struct vw_config *cfg)
{
	struct in6_addr saddr, daddr = cfg->remote.sin6.sin6_addr;
	struct net *net = vwd->vn->net;
	struct dst_entry *dst;
	__be16 sport;
	u8 tos, ttl;

	sport = udp_flow_src_port(net, skb, VW_SRCPORT_MIN, VW_SRCPORT_MAX,
				  true);
	dst = vw_route6(vwd, cfg, sport, &saddr);
	if (IS_ERR(dst))
		return PTR_ERR(dst) == -ELOOP ? VW_STATS_DROP_LOOP :
						VW_STATS_DROP_NO_ROUTE;
	tos = ip_tunnel_ecn_encap(0, ip_hdr(skb), skb);
	ttl = ip6_dst_hoplimit(dst);
	if (vw_encap(skb, vwd->id, LL_RESERVED_SPACE(dst->dev) +
		     dst->header_len + sizeof(struct ipv6hdr) +
		     VW_ENCAP_LEN)) {
		dst_release(dst);
		return VW_STATS_DROP_NOMEM;
	}
	vw_compat_udp_tunnel6_xmit_skb(dst, cfg->vs->sock6->sk, skb, vwd->dev,
				       &saddr, &daddr, tos, ttl, 0, sport,
				       cfg->port, false);
	return 0;
}
#else
static enum vw_stats vw_xmit6(struct sk_buff *skb, struct vw_dev *vwd,
			      struct vw_config *cfg)
{
	return VW_STATS_DROP_NO_ROUTE;
}
#endif

netdev_tx_t vw_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vw_dev *vwd = netdev_priv(dev);
	struct vw_config *cfg;
	enum vw_stats reason;

	rcu_read_lock();
	cfg = rcu_dereference(vwd->cfg);
	if (unlikely(!cfg))
		reason = VW_STATS_DROP_UNBOUND;
	else if (cfg->remote.sa.sa_family == AF_INET)
		reason = vw_xmit4(skb, vwd, cfg);
	else
		reason = vw_xmit6(skb, vwd, cfg);
	rcu_read_unlock();

	if (unlikely(reason)) {
		vw_drop_count(vwd->drops, reason);
		kfree_skb(skb);
	}
	return NETDEV_TX_OK;
}
