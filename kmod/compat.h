/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels VirtualWire builds for.  Each shim keys
 * on a VW_HAVE_* define that compat-probe.sh found in the target's headers,
 * never on LINUX_VERSION_CODE: distribution kernels backport APIs.
 */
#ifndef _VW_COMPAT_H
#define _VW_COMPAT_H

#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/ip_tunnels.h>
#include <net/udp_tunnel.h>
#include "compat_gen.h"

static inline void vw_compat_set_lltx(struct net_device *dev)
{
#ifdef VW_HAVE_DEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

static inline void vw_compat_set_netns_immutable(struct net_device *dev)
{
#if defined(VW_HAVE_DEV_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(VW_HAVE_DEV_NETNS_LOCAL)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

/*
 * Per-CPU tstats: where the core can allocate them (and then insists on
 * knowing their type, see iptunnel_xmit_stats()), let it; otherwise the
 * driver allocates them in ndo_init and frees them in its destructor.
 */
static inline int vw_compat_tstats_init(struct net_device *dev)
{
#ifdef VW_HAVE_PCPU_STAT_TYPE
	return 0;
#else
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
#endif
}

static inline void vw_compat_tstats_setup(struct net_device *dev)
{
#ifdef VW_HAVE_PCPU_STAT_TYPE
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
#endif
}

static inline void vw_compat_tstats_free(struct net_device *dev)
{
#ifndef VW_HAVE_PCPU_STAT_TYPE
	free_percpu(dev->tstats);
#endif
}

/*
 * A class of its own for this driver's tx and address-list locks, so
 * lockdep tells an endpoint stacked on another endpoint (vw over vw) from
 * a deadlock.  The macro defines its keys as statics at the call site.
 */
#ifdef VW_HAVE_NETDEV_LOCKDEP_SET_CLASSES
#define vw_compat_lockdep_set_classes(dev) netdev_lockdep_set_classes(dev)
#else
static inline void vw_compat_lockdep_set_classes(struct net_device *dev)
{
}
#endif

/*
 * An Ethernet frame about to be encapsulated: pull its MAC header, VLAN
 * tags and the base IPv4 or IPv6 header into the linear part and point
 * the network header past the tags, so ip_hdr() and ipv6_hdr() read the
 * inner header wherever the sender put it (AF_PACKET, a tap with a small
 * vnet header: all in fragments but the MAC header).  False: drop it.
 */
static inline bool vw_compat_inner_prepare(struct sk_buff *skb)
{
#if defined(VW_HAVE_SKB_VLAN_INET_PREPARE_INHERIT)
	return skb_vlan_inet_prepare(skb, false) == SKB_NOT_DROPPED_YET;
#elif defined(VW_HAVE_SKB_VLAN_INET_PREPARE)
	return skb_vlan_inet_prepare(skb);
#else
	int maclen = ETH_HLEN, nhlen = 0;
	__be16 type = skb->protocol;

	if (eth_type_vlan(type))
		type = __vlan_get_protocol(skb, type, &maclen);
	if (type == htons(ETH_P_IP))
		nhlen = sizeof(struct iphdr);
	else if (type == htons(ETH_P_IPV6))
		nhlen = sizeof(struct ipv6hdr);
	if (!pskb_may_pull(skb, maclen + nhlen))
		return false;
	skb_set_network_header(skb, maclen);
	return true;
#endif
}

static inline void vw_compat_udp_tunnel_xmit_skb(struct rtable *rt,
						 struct sock *sk,
						 struct sk_buff *skb,
						 __be32 src, __be32 dst,
						 u8 tos, u8 ttl, __be16 df,
						 __be16 sport, __be16 dport,
						 bool xnet, bool nocheck)
{
#ifdef VW_HAVE_UDP_TUNNEL_XMIT_IPCB
	udp_tunnel_xmit_skb(rt, sk, skb, src, dst, tos, ttl, df, sport, dport,
			    xnet, nocheck, 0);
#else
	udp_tunnel_xmit_skb(rt, sk, skb, src, dst, tos, ttl, df, sport, dport,
			    xnet, nocheck);
#endif
}

#if IS_ENABLED(CONFIG_IPV6)
static inline void vw_compat_udp_tunnel6_xmit_skb(struct dst_entry *dst,
						  struct sock *sk,
						  struct sk_buff *skb,
						  struct net_device *dev,
						  struct in6_addr *saddr,
						  struct in6_addr *daddr,
						  u8 prio, u8 ttl, __be32 label,
						  __be16 sport, __be16 dport,
						  bool nocheck)
{
#ifdef VW_HAVE_UDP_TUNNEL6_XMIT_IPCB
	udp_tunnel6_xmit_skb(dst, sk, skb, dev, saddr, daddr, prio, ttl, label,
			     sport, dport, nocheck, 0);
#else
	udp_tunnel6_xmit_skb(dst, sk, skb, dev, saddr, daddr, prio, ttl, label,
			     sport, dport, nocheck);
#endif
}
#endif

/*
 * An extended ack message with values in it, such as the device that
 * holds an ID (6.2 on, at most NETLINK_MAX_FMTMSG_LEN - 1 = 79 bytes once
 * formatted); older kernels give @plain, the same words without the values.
 */
#ifdef VW_HAVE_NL_SET_ERR_MSG_ATTR_FMT
#define vw_compat_err_fmt(extack, attr, plain, fmt, args...) do { \
	(void)(plain); \
	NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, ##args); \
} while (0)
#else
#define vw_compat_err_fmt(extack, attr, plain, fmt, args...) do { \
	(void)(fmt); \
	NL_SET_ERR_MSG_ATTR(extack, attr, plain); \
} while (0)
#endif

/*
 * The departure time of @skb, CLOCK_MONOTONIC ns, for fq (6.11: the
 * clock is an enum, was a bool); 0 when it has none.
 */
static inline u64 vw_compat_departure(const struct sk_buff *skb)
{
#ifdef VW_HAVE_SKB_CLOCK_MONOTONIC
	return skb->tstamp_type == SKB_CLOCK_MONOTONIC ? skb->tstamp : 0;
#else
	return skb->mono_delivery_time ? skb->tstamp : 0;
#endif
}

static inline void vw_compat_set_departure(struct sk_buff *skb, u64 ns)
{
#ifdef VW_HAVE_SKB_CLOCK_MONOTONIC
	skb_set_delivery_time(skb, ns_to_ktime(ns), SKB_CLOCK_MONOTONIC);
#else
	skb_set_delivery_time(skb, ns_to_ktime(ns), true);
#endif
}

#endif /* _VW_COMPAT_H */
