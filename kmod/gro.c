// SPDX-License-Identifier: GPL-2.0
/*
 * GRO for our UDP sockets: consecutive encapsulated segments of one inner
 * flow are merged before decapsulation, so the receive path and the stack
 * above it see one large packet instead of many.  Packets of different
 * connectors (or formats) never merge: their 8-byte headers must match,
 * then eth_gro_receive() compares the inner frames.
 */

#include <linux/etherdevice.h>
#include <net/gro.h>
#include <net/udp.h>

#include "virtualwire.h"

struct sk_buff *vw_gro_receive(struct sock *sk, struct list_head *head,
			       struct sk_buff *skb)
{
	unsigned int off = skb_gro_offset(skb);
	const struct vw_hdr *h, *h2;
	struct sk_buff *pp = NULL;
	struct sk_buff *p;
	int flush = 1;
	bool relayed;
	u8 format;
	u32 id;

	h = skb_gro_header(skb, off + sizeof(*h), off);
	if (unlikely(!h) || !vw_hdr_parse(h, &format, &id, &relayed))
		goto out;
	skb_gro_postpull_rcsum(skb, h, sizeof(*h));
	skb_gro_pull(skb, sizeof(*h));

	list_for_each_entry(p, head, list) {
		if (!NAPI_GRO_CB(p)->same_flow)
			continue;
		h2 = (const struct vw_hdr *)(p->data + off);
		if (h->flags != h2->flags || h->id != h2->id)
			NAPI_GRO_CB(p)->same_flow = 0;
	}
	pp = call_gro_receive(eth_gro_receive, head, skb);
	flush = 0;
out:
	skb_gro_flush_final(skb, pp, flush);
	return pp;
}

int vw_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff)
{
	/* skb->encapsulation is set: this also sets the inner MAC header. */
	return eth_gro_complete(skb, nhoff + sizeof(struct vw_hdr));
}
