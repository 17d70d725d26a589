// SPDX-License-Identifier: GPL-2.0
/*
 * The maximum rate of a connector (Documentation/sla.rst), on the transmit
 * path, lockless: the generic cell rate algorithm, with departure times.
 *
 * A config keeps one time, @rate_tat (CLOCK_MONOTONIC ns): when its
 * wire would be idle again had everything it sent left at exactly the
 * rate.  A frame conforms when that time is at most the burst's worth of
 * time (@rate_tau) ahead of now, and then moves it on by the frame's own
 * worth; a frame that does not is dropped, and counted.  A conforming
 * frame carries that time as its earliest departure time (skb->tstamp),
 * so that fq on the underlay sends it no earlier: with fq the excess
 * waits, up to a burst's worth, and TCP is paced rather than dropped;
 * without, the frame leaves at once and the rule is a policer's, which
 * keeps the same average.  One cmpxchg a frame: CPUs sending on one
 * endpoint at once retry on each other, none waits.  A frame larger than
 * the burst (a GSO super-packet) conforms when the bucket is full enough,
 * and its debt holds back the frames after it, so the average holds over
 * any interval longer than a burst's worth.
 *
 * The account is the config's: a set starts the new rule on a full bucket,
 * and a frame still on the old config charges the old account.  The burst
 * counts at most a second at the rate: longer, frames would wait in fq
 * past its horizon (10 s by default), and policing a slow wire to its
 * average over minutes is not what an operator means by a rate.
 */

#include <linux/math64.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "virtualwire.h"
#include "compat.h"

void vw_rate_init(struct vw_config *cfg)
{
	atomic64_set(&cfg->rate_tat, 0);
	if (cfg->p.rate_max == VW_RATE_UNLIMITED) {
		cfg->rate_mult = 0;
		return;
	}
	/* A local wire has no underlay: the frame alone. */
	if (cfg->p.wire == VW_WIRE_UDP)
		cfg->rate_overhead = cfg->p.remote.sa.sa_family == AF_INET ?
				     VW_OVERHEAD4 : VW_OVERHEAD6;
	/* Both within 64 bits: rate_max <= 2^40, checked with the config. */
	cfg->rate_mult = div64_u64((u64)NSEC_PER_SEC << 32, cfg->p.rate_max);
	cfg->rate_tau = min_t(u64, NSEC_PER_SEC,
			      div64_u64((u64)cfg->p.rate_burst * NSEC_PER_SEC,
					cfg->p.rate_max));
}

/*
 * What @skb takes of the wire once each of its segments is encapsulated
 * with @overhead bytes: as the underlay's qdiscs count it, its headers
 * repeated in every segment of a GSO super-packet.
 */
static unsigned int vw_rate_wire_len(const struct sk_buff *skb,
				     unsigned int overhead)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	unsigned int hdr = 0, segs;

	if (!skb_is_gso(skb) || !shinfo->gso_size)
		return skb->len + overhead;
	if (skb_transport_header_was_set(skb)) {
		hdr = skb_transport_offset(skb);
		if (shinfo->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) {
			const struct tcphdr *th;
			struct tcphdr _th;

			th = skb_header_pointer(skb, hdr, sizeof(_th), &_th);
			if (th)
				hdr += __tcp_hdrlen(th);
		} else if (shinfo->gso_type & SKB_GSO_UDP_L4) {
			hdr += sizeof(struct udphdr);
		}
		if (hdr >= skb->len)
			hdr = 0;
	}
	segs = DIV_ROUND_UP(skb->len - hdr, shinfo->gso_size);
	return skb->len + (segs - 1) * hdr + segs * overhead;
}

bool __vw_rate_admit(struct vw_config *cfg, struct sk_buff *skb)
{
	u64 cost = mul_u64_u32_shr(cfg->rate_mult,
				   vw_rate_wire_len(skb, cfg->rate_overhead),
				   32);
	s64 tat = atomic64_read(&cfg->rate_tat);
	u64 now = ktime_get_ns(), start;

	do {
		start = max_t(u64, tat, now);
		if (start - now > cfg->rate_tau)
			return false;
	} while (!atomic64_try_cmpxchg(&cfg->rate_tat, &tat, start + cost));
	/* A later departure time (the sender's own pacing) stands. */
	if (start > now && start > vw_compat_departure(skb))
		vw_compat_set_departure(skb, start);
	return true;
}
