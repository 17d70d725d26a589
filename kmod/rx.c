// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: a UDP datagram on one of our sockets is checked, matched to an
 * endpoint by (socket, connector ID), decapsulated and handed to the
 * endpoint device through its GRO cells.  Runs in softirq context under
 * rcu_read_lock() held by the UDP stack.  Everything dropped here is
 * counted by reason; nothing in the packet is trusted before it is checked.
 */

#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/ip_tunnels.h>
#include <net/udp.h>

#include "virtualwire.h"

/* The connector ID in a VXLAN header, or false if it is malformed. */
static bool vw_hdr_parse(const struct vw_hdr *h, u32 *id)
{
	/* RFC 7348: I flag set; other flags and the reserved byte zero. */
	if (h->flags != VW_VXLAN_FLAG_I || (h->id & htonl(0xff)))
		return false;
	*id = ntohl(h->id) >> 8;
	return true;
}

int vw_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct vw_sock *vs = rcu_dereference_sk_user_data(sk);
	enum vw_stats reason;
	struct vw_config *cfg;
	struct vw_dev *vwd;
	struct vw_hdr *h;
	u32 id;

	if (!vs)
		goto drop_quiet;

	if (!pskb_may_pull(skb, VW_ENCAP_LEN)) {
		reason = VW_STATS_DROP_SHORT;
		goto drop_ns;
	}
	h = (struct vw_hdr *)(udp_hdr(skb) + 1);
	if (!vw_hdr_parse(h, &id)) {
		reason = VW_STATS_DROP_BAD_HEADER;
		goto drop_ns;
	}

	vwd = vw_dev_lookup_rcu(vs->vn, id);
	cfg = vwd ? rcu_dereference(vwd->cfg) : NULL;
	if (!cfg || cfg->vs != vs) {
		reason = VW_STATS_DROP_UNKNOWN_ID;
		goto drop_ns;
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

	skb_reset_mac_header(skb);
	skb->protocol = eth_type_trans(skb, vwd->dev);
	skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);
	skb_reset_network_header(skb);

	/* A refusal past this point is counted by the core as rx_dropped. */
	dev_sw_netstats_rx_add(vwd->dev, skb->len);
	gro_cells_receive(&vwd->gro_cells, skb);
	return 0;

drop_dev:
	vw_drop_count(vwd->drops, reason);
	goto drop_quiet;
drop_ns:
	vw_drop_count(vs->vn->drops, reason);
drop_quiet:
	kfree_skb(skb);
	return 0;
}
