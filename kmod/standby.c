// SPDX-License-Identifier: GPL-2.0
/*
 * Standby: an endpoint made ready on the host a VM migrates to, before the
 * VM runs there.  The frames it receives are held, in arrival order, in a
 * queue bounded by count (hold) and age (hold-time), and it sends nothing.
 * The first frame the VM itself sends into it (from one of its MAC
 * addresses, or an announce when none are configured) activates it and
 * goes out at once, so that a guest which talks before QEMU announces it
 * loses nothing; the held frames are delivered in order right after, and
 * before anything received later.  The two directions do not order
 * against each other, so the VM's frame does not wait for the delivery.
 * Anything else sent into a standby endpoint (the bridge's own chatter)
 * is dropped.
 *
 * The queue's lock also guards the state.  An active endpoint reads it
 * without the lock and never takes it.  Activation moves the endpoint to
 * "draining" and leaves the delivery to its work item: the frames go up
 * the stack at once (netif_receive_skb(), as tun does, not through the
 * GRO cells, whose backlog a thousand held frames would overflow), in
 * batches with BHs enabled in between, and frames that arrive meanwhile
 * join the queue behind the held ones, so the order is kept.  The endpoint
 * becomes active, under the lock, when the queue is empty.  The queue is
 * bounded by count and by memory (a GRO'd frame is large; an empty queue
 * takes one however large), against a flood from an accepted source.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "virtualwire.h"

struct vw_hold_cb {
	unsigned long since;		/* jiffies, when held */
};

#define VW_HOLD_CB(skb) ((struct vw_hold_cb *)(skb)->cb)

/* Memory the queue may hold, for @hold frames. */
#define VW_HOLD_BYTES(hold)	((hold) * SKB_TRUESIZE(2048))
/* Frames delivered with BHs off at a time, while draining. */
#define VW_HOLD_BATCH		64

static unsigned long vw_hold_age(const struct vw_config *cfg)
{
	return msecs_to_jiffies(cfg ? cfg->p.hold_time : 0);
}

/* Move the frames older than @max_age to @dead; queue lock held. */
static void vw_hold_expire(struct vw_hold *h, unsigned long max_age,
			   struct sk_buff_head *dead)
{
	struct sk_buff *skb;

	while ((skb = skb_peek(&h->queue)) &&
	       time_after(jiffies, VW_HOLD_CB(skb)->since + max_age)) {
		__skb_unlink(skb, &h->queue);
		h->bytes -= skb->truesize;
		__skb_queue_tail(dead, skb);
	}
}

static void vw_hold_drop(struct vw_dev *vwd, struct sk_buff_head *dead,
			 enum vw_stats reason)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(dead))) {
		vw_count(vwd->counters, reason);
		kfree_skb(skb);
	}
}

/* Frames that waited too long go even when nothing else arrives. */
static void vw_hold_timer(struct timer_list *t)
{
	struct vw_dev *vwd = from_timer(vwd, t, hold.expiry);
	struct vw_hold *h = &vwd->hold;
	struct sk_buff_head dead;
	unsigned long max_age;
	struct sk_buff *skb;

	__skb_queue_head_init(&dead);
	rcu_read_lock();
	max_age = vw_hold_age(rcu_dereference(vwd->cfg));
	rcu_read_unlock();

	spin_lock(&h->queue.lock);
	vw_hold_expire(h, max_age, &dead);
	skb = skb_peek(&h->queue);
	if (skb)
		mod_timer(&h->expiry, VW_HOLD_CB(skb)->since + max_age + 1);
	spin_unlock(&h->queue.lock);
	vw_hold_drop(vwd, &dead, VW_STATS_DROP_HOLD_EXPIRED);
}

void vw_hold_init(struct vw_dev *vwd)
{
	skb_queue_head_init(&vwd->hold.queue);
	timer_setup(&vwd->hold.expiry, vw_hold_timer, 0);
}

/*
 * The endpoint is going away (ndo_uninit, after it was unbound): nothing
 * is held from now on, and what was is dropped.  Clearing the flag first
 * keeps a packet still in flight from queueing, or arming the timer,
 * behind our back.
 */
void vw_hold_destroy(struct vw_dev *vwd)
{
	struct vw_hold *h = &vwd->hold;
	struct sk_buff_head dead;

	__skb_queue_head_init(&dead);
	spin_lock_bh(&h->queue.lock);
	WRITE_ONCE(h->state, VW_HOLD_ACTIVE);
	skb_queue_splice_init(&h->queue, &dead);
	h->bytes = 0;
	spin_unlock_bh(&h->queue.lock);
	del_timer_sync(&h->expiry);
	local_bh_disable();
	vw_hold_drop(vwd, &dead, VW_STATS_DROP_DOWN);
	local_bh_enable();
}

/*
 * A frame that passed every check, for an endpoint that looked like it was
 * not active: held (in standby, or behind the held frames while they are
 * delivered), or dropped when the queue is full.  False when the endpoint
 * is active after all: the caller delivers the frame.
 */
bool vw_hold_rx(struct vw_dev *vwd, const struct vw_config *cfg,
		struct sk_buff *skb)
{
	unsigned long max_age = vw_hold_age(cfg);
	enum vw_stats what = VW_STATS_HELD;
	struct vw_hold *h = &vwd->hold;
	struct sk_buff_head dead;

	__skb_queue_head_init(&dead);
	spin_lock(&h->queue.lock);
	if (h->state == VW_HOLD_ACTIVE) {
		spin_unlock(&h->queue.lock);
		return false;
	}
	vw_hold_expire(h, max_age, &dead);
	/* An empty queue takes one frame however large (GRO-merged). */
	if (skb_queue_len(&h->queue) >= cfg->p.hold ||
	    (h->bytes && h->bytes + skb->truesize > VW_HOLD_BYTES(cfg->p.hold))) {
		what = VW_STATS_DROP_HOLD_FULL;
	} else {
		VW_HOLD_CB(skb)->since = jiffies;
		__skb_queue_tail(&h->queue, skb);
		h->bytes += skb->truesize;
		if (!timer_pending(&h->expiry))
			mod_timer(&h->expiry, jiffies + max_age + 1);
	}
	spin_unlock(&h->queue.lock);

	vw_hold_drop(vwd, &dead, VW_STATS_DROP_HOLD_EXPIRED);
	vw_count(vwd->counters, what);
	if (what != VW_STATS_HELD)
		kfree_skb(skb);
	return true;
}

/* Leave standby: the work item delivers what was held.  BHs off. */
static void vw_hold_activate(struct vw_dev *vwd)
{
	struct vw_hold *h = &vwd->hold;

	spin_lock(&h->queue.lock);
	if (h->state != VW_HOLD_STANDBY) {
		spin_unlock(&h->queue.lock);
		return;
	}
	WRITE_ONCE(h->state, VW_HOLD_DRAINING);
	spin_unlock(&h->queue.lock);
	vw_count(vwd->counters, VW_STATS_ACTIVATIONS);
	vw_dev_schedule(vwd, VW_WORK_DRAIN);
}

/*
 * Deliver what was held, oldest first, in batches, dropping what waited
 * too long; then, with the queue empty, become active.  The endpoint's
 * work item only: a second drainer would deliver batches out of order.
 */
void vw_hold_drain(struct vw_dev *vwd)
{
	struct vw_hold *h = &vwd->hold;
	unsigned long max_age;
	struct sk_buff_head q;
	struct sk_buff *skb;
	int n;

	__skb_queue_head_init(&q);
	for (;;) {
		rcu_read_lock();
		max_age = vw_hold_age(rcu_dereference(vwd->cfg));
		rcu_read_unlock();

		spin_lock_bh(&h->queue.lock);
		if (h->state != VW_HOLD_DRAINING) {
			spin_unlock_bh(&h->queue.lock);
			return;
		}
		for (n = 0; n < VW_HOLD_BATCH; n++) {
			skb = __skb_dequeue(&h->queue);
			if (!skb)
				break;
			h->bytes -= skb->truesize;
			__skb_queue_tail(&q, skb);
		}
		if (!n) {
			WRITE_ONCE(h->state, VW_HOLD_ACTIVE);
			spin_unlock_bh(&h->queue.lock);
			vw_dev_schedule(vwd, VW_WORK_NOTIFY);
			return;
		}
		spin_unlock_bh(&h->queue.lock);

		local_bh_disable();
		while ((skb = __skb_dequeue(&q))) {
			if (time_after(jiffies,
				       VW_HOLD_CB(skb)->since + max_age)) {
				vw_count(vwd->counters,
					 VW_STATS_DROP_HOLD_EXPIRED);
				kfree_skb(skb);
				continue;
			}
			memset(skb->cb, 0, sizeof(skb->cb));
			vw_rx_deliver_now(vwd, skb);
		}
		local_bh_enable();
		cond_resched();
	}
}

/*
 * An announce, as QEMU (RARP) or the guest itself (gratuitous ARP, an
 * unsolicited neighbour advertisement to a multicast address) sends one
 * after a migration.  Read through skb_header_pointer(): a frame being
 * sent is not ours to pull.
 */
static bool vw_is_announce(const struct sk_buff *skb, __be16 proto)
{
	if (proto == htons(ETH_P_RARP))
		return true;
	if (proto == htons(ETH_P_ARP)) {
		struct {
			struct arphdr h;
			u8 sha[ETH_ALEN];
			__be32 sip;
			u8 tha[ETH_ALEN];
			__be32 tip;
		} __packed _arp;
		const typeof(_arp) *arp;

		arp = skb_header_pointer(skb, ETH_HLEN, sizeof(_arp), &_arp);
		return arp && arp->h.ar_hrd == htons(ARPHRD_ETHER) &&
		       arp->h.ar_pro == htons(ETH_P_IP) &&
		       arp->h.ar_hln == ETH_ALEN && arp->h.ar_pln == 4 &&
		       arp->sip == arp->tip;
	}
	if (proto == htons(ETH_P_IPV6)) {
		struct {
			struct ipv6hdr ip6;
			struct icmp6hdr icmp6;
		} _na;
		const typeof(_na) *na;

		na = skb_header_pointer(skb, ETH_HLEN, sizeof(_na), &_na);
		return na && na->ip6.nexthdr == IPPROTO_ICMPV6 &&
		       na->icmp6.icmp6_type == NDISC_NEIGHBOUR_ADVERTISEMENT &&
		       !na->icmp6.icmp6_solicited &&
		       ipv6_addr_is_multicast(&na->ip6.daddr);
	}
	return false;
}

/* Whether the VM sent @skb: its MAC, or without one configured an announce. */
static bool vw_from_vm(const struct vw_config *cfg, const struct sk_buff *skb)
{
	const struct ethhdr *eth;
	struct ethhdr _eth;
	int i;

	eth = skb_header_pointer(skb, 0, sizeof(_eth), &_eth);
	if (!eth)
		return false;
	if (!cfg->p.nvm_mac)
		return vw_is_announce(skb, eth->h_proto);
	for (i = 0; i < cfg->p.nvm_mac; i++)
		if (ether_addr_equal(eth->h_source, cfg->p.vm_mac[i]))
			return true;
	return false;
}

/*
 * A frame sent into an endpoint that looked like it was in standby (from
 * ndo_start_xmit, BHs off): true when it may go out, because it is the
 * VM's and activated the endpoint, or because the endpoint was active
 * already; false to drop it.
 */
bool vw_hold_tx(struct vw_dev *vwd, const struct vw_config *cfg,
		struct sk_buff *skb)
{
	if (!vw_from_vm(cfg, skb))
		return !vw_hold_standby(vwd);
	vw_hold_activate(vwd);
	return true;
}

/* VW_CMD_SET of VW_A_STANDBY; RTNL held, the endpoint bound to a UDP wire. */
void vw_hold_set(struct vw_dev *vwd, bool standby)
{
	struct vw_hold *h = &vwd->hold;

	ASSERT_RTNL();
	if (standby) {
		spin_lock_bh(&h->queue.lock);
		if (h->state == VW_HOLD_ACTIVE)
			WRITE_ONCE(h->state, VW_HOLD_STANDBY);
		spin_unlock_bh(&h->queue.lock);
		return;
	}
	/* The work item delivers: one drainer, so one order. */
	local_bh_disable();
	vw_hold_activate(vwd);
	local_bh_enable();
}
