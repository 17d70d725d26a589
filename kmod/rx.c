// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: a UDP datagram on one of our sockets is checked, matched to an
 * endpoint by (socket, format, connector ID), checked against that
 * endpoint's config, decapsulated and handed to the endpoint device
 * through its GRO cells.  Runs in softirq context under rcu_read_lock()
 * held by the UDP stack.  Everything dropped here is counted by reason;
 * nothing in the packet is trusted before it is checked.
 */

#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/inet_ecn.h>
#include <net/ip_tunnels.h>
#include <net/udp.h>

#include "virtualwire.h"

/* The outer header as received, read before the headers are pulled. */
struct vw_outer {
	union vw_addr saddr;
	u8 dsfield;
	bool zero_csum;
};

static void vw_outer_read(struct sk_buff *skb, struct vw_outer *o)
{
	if (ip_hdr(skb)->version == 4) {
		o->saddr.sin.sin_family = AF_INET;
		o->saddr.sin.sin_addr.s_addr = ip_hdr(skb)->saddr;
		o->dsfield = ip_hdr(skb)->tos;
		o->zero_csum = false;	/* optional over IPv4 (RFC 768) */
	} else {
		o->saddr.sin6.sin6_family = AF_INET6;
		o->saddr.sin6.sin6_addr = ipv6_hdr(skb)->saddr;
		o->dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
		o->zero_csum = !udp_hdr(skb)->check;
	}
}

/*
 * Source validation: a UDP wire accepts frames from its remote, and from
 * its accepted prefixes (roam.c), if any.  The sender's UDP source port is
 * not checked: it carries flow entropy.
 */
static bool vw_from_remote(const struct vw_config *cfg,
			   const struct vw_outer *o)
{
	const union vw_addr *r = &cfg->p.remote;

	if (r->sa.sa_family != o->saddr.sa.sa_family)
		return false;
	if (r->sa.sa_family == AF_INET)
		return r->sin.sin_addr.s_addr == o->saddr.sin.sin_addr.s_addr;
	return ipv6_addr_equal(&r->sin6.sin6_addr, &o->saddr.sin6.sin6_addr);
}

/*
 * RFC 6040 decapsulation: a CE mark on the outer header reaches the inner
 * one; CE on a packet whose inner header is not ECN-capable is dropped.
 * Frames that are not IP pass untouched.
 */
static bool vw_ecn_decap(struct sk_buff *skb, u8 outer)
{
	u8 inner;

	if (skb->protocol == htons(ETH_P_IP)) {
		if (!pskb_network_may_pull(skb, sizeof(struct iphdr)))
			return true;
		inner = ip_hdr(skb)->tos;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		if (!pskb_network_may_pull(skb, sizeof(struct ipv6hdr)))
			return true;
		inner = ipv6_get_dsfield(ipv6_hdr(skb));
	} else {
		return true;
	}
	return INET_ECN_decapsulate(skb, outer, inner) <= 1;
}

/* Hand a received frame to the endpoint's GRO cells; BHs off. */
void vw_rx_deliver(struct vw_dev *vwd, struct sk_buff *skb)
{
	/* A refusal past this point is counted by the core as rx_dropped. */
	dev_sw_netstats_rx_add(vwd->dev, skb->len);
	gro_cells_receive(&vwd->gro_cells, skb);
}

/* The same, at once, in process context with BHs off (held frames). */
void vw_rx_deliver_now(struct vw_dev *vwd, struct sk_buff *skb)
{
	dev_sw_netstats_rx_add(vwd->dev, skb->len);
	netif_receive_skb(skb);
}

/*
 * A relaying endpoint sends what it receives on to the relay address, as
 * a frame sent into it would go to the remote.  A frame relayed already
 * goes no further: two hosts relaying to each other cannot loop.
 */
static enum vw_stats vw_rx_relay(struct sk_buff *skb, struct vw_dev *vwd,
				 struct vw_config *cfg, bool relayed, u8 dsfield)
{
	if (relayed)
		return VW_STATS_DROP_RELAY_LOOP;
	if (!pskb_may_pull(skb, ETH_HLEN))
		return VW_STATS_DROP_SHORT;
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb->protocol = eth_hdr(skb)->h_proto;
	/* CE goes into the inner header, and back out from there. */
	if (!vw_ecn_decap(skb, dsfield))
		return VW_STATS_DROP_ECN;
	/*
	 * Sent by this endpoint now: iptunnel_xmit() counts on skb->dev, and
	 * the transport header still points at the old outer UDP header,
	 * which encapsulation would take for the inner one.
	 */
	skb->dev = vwd->dev;
	skb->pkt_type = PACKET_HOST;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb_set_transport_header(skb, skb_checksum_start_offset(skb));
	else
		skb_probe_transport_header(skb);
	vw_xmit_relay(skb, vwd, cfg);
	return 0;
}

int vw_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct vw_sock *vs = rcu_dereference_sk_user_data(sk);
	struct vw_dev *vwd = NULL;
	struct vw_config *cfg;
	enum vw_stats reason;
	struct vw_outer outer;
	bool relayed, from_remote;
	u8 format;
	u32 id;

	/*
	 * The UDP stack calls us from the NET_RX softirq only; the GRO cells
	 * below rely on it (their per-CPU queue takes no lock).  Frames of a
	 * local wire, and the ICMP errors transmit makes, never come here:
	 * they enter the stack through netif_rx().
	 */
	DEBUG_NET_WARN_ON_ONCE(!in_softirq());
	/*
	 * It may come off a list (UDP GRO segments, listified receive): not
	 * any more, whether it is delivered, held or sent on.
	 */
	skb_mark_not_on_list(skb);
	if (!vs)
		goto drop_quiet;

	if (!pskb_may_pull(skb, VW_ENCAP_LEN)) {
		reason = VW_STATS_DROP_SHORT;
		goto drop_ns;
	}
	if (!vw_hdr_parse((struct vw_hdr *)(udp_hdr(skb) + 1), &format, &id,
			  &relayed)) {
		reason = VW_STATS_DROP_BAD_HEADER;
		goto drop_ns;
	}
	cfg = vw_dev_lookup_rcu(vs, id, format, &vwd);
	if (!cfg) {
		reason = VW_STATS_DROP_UNKNOWN_ID;
		goto drop_ns;
	}

	vw_outer_read(skb, &outer);
	from_remote = vw_from_remote(cfg, &outer);
	if (unlikely(!from_remote && !vw_source_accepted(cfg, &outer.saddr))) {
		reason = VW_STATS_DROP_BAD_SOURCE;
		goto drop_dev;
	}
	if (unlikely(outer.zero_csum && !cfg->p.zero_csum6_rx)) {
		reason = VW_STATS_DROP_ZERO_CSUM;
		goto drop_dev;
	}
	if (__iptunnel_pull_header(skb, VW_ENCAP_LEN, htons(ETH_P_TEB), false,
				   !net_eq(vs->vn->net, dev_net(vwd->dev)))) {
		reason = VW_STATS_DROP_SHORT;
		goto drop_dev;
	}
	if (unlikely(!(vwd->dev->flags & IFF_UP))) {
		reason = VW_STATS_DROP_DOWN;
		goto drop_dev;
	}
	if (unlikely(cfg->p.relay.sa.sa_family)) {
		reason = vw_rx_relay(skb, vwd, cfg, relayed, outer.dsfield);
		if (reason)
			goto drop_dev;
		return 0;
	}

	skb_reset_mac_header(skb);
	skb->protocol = eth_type_trans(skb, vwd->dev);
	skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);
	skb_reset_network_header(skb);
	if (unlikely(!vw_ecn_decap(skb, outer.dsfield))) {
		reason = VW_STATS_DROP_ECN;
		goto drop_dev;
	}

	/* A relayed frame comes from the host the VM left: not a move. */
	if (unlikely(!from_remote) && !relayed)
		vw_roam(vwd, cfg, &outer.saddr);
	if (unlikely(!vw_hold_active(vwd)) && vw_hold_rx(vwd, cfg, skb))
		return 0;
	vw_rx_deliver(vwd, skb);
	return 0;

drop_dev:
	vw_count(vwd->counters, reason);
	goto drop_quiet;
drop_ns:
	vw_count(vs->vn->counters, reason);
drop_quiet:
	kfree_skb(skb);
	return 0;
}

/*
 * An ICMP error quoted one of our packets: claim it when the quoted header
 * names one of our endpoints, so the UDP stack applies it (a path MTU
 * update) to the route the endpoint uses.
 */
int vw_udp_encap_err_lookup(struct sock *sk, struct sk_buff *skb)
{
	struct vw_sock *vs = rcu_dereference_sk_user_data(sk);
	struct vw_dev *vwd;
	bool relayed;
	u8 format;
	u32 id;

	if (!vs)
		return -ENOENT;
	if (!pskb_may_pull(skb, skb_transport_offset(skb) + VW_ENCAP_LEN))
		return -EINVAL;
	if (!vw_hdr_parse((struct vw_hdr *)(udp_hdr(skb) + 1), &format, &id,
			  &relayed))
		return -EINVAL;
	return vw_dev_lookup_rcu(vs, id, format, &vwd) ? 0 : -ENOENT;
}
