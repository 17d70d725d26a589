// SPDX-License-Identifier: GPL-2.0
/*
 * Accepted sources and roaming.  A UDP wire accepts frames from its remote
 * and, besides, from the prefixes of its accept list: the hypervisors a VM
 * may move between.  With roaming on, a frame that passed every check from
 * an accepted source other than the remote makes that source the remote.
 * The receive path delivers the frame at once and notes the source; the
 * endpoint's work item re-points the wire under RTNL, exactly as
 * VW_CMD_SET would, so a roam is one config swap like any other.  Without
 * authentication only the operator's prefixes may move a wire: anything
 * else stays a bad source.  After a roam, a hold-down keeps a straggler
 * from the old remote from moving the wire back (it is still delivered).
 * A wire roams within its remote's address family only (the MTU the VM
 * was given allows for that family's header), and never to an address of
 * its own host, which would make it send to itself.
 */

#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "virtualwire.h"

static bool vw_prefix_match(const struct vw_prefix *pf,
			    const union vw_addr *a)
{
	if (pf->addr.sa.sa_family != a->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return !((a->sin.sin_addr.s_addr ^
			  pf->addr.sin.sin_addr.s_addr) &
			 inet_make_mask(pf->len));
	return ipv6_prefix_equal(&a->sin6.sin6_addr, &pf->addr.sin6.sin6_addr,
				 pf->len);
}

/* Whether @saddr, which is not the remote, is one of the accepted sources. */
bool vw_source_accepted(const struct vw_config *cfg,
			const union vw_addr *saddr)
{
	int i;

	for (i = 0; i < cfg->p.naccept; i++)
		if (vw_prefix_match(&cfg->p.accept[i], saddr))
			return true;
	return false;
}

static bool vw_addr_local(struct net *net, const union vw_addr *a)
{
	if (a->sa.sa_family == AF_INET)
		return inet_addr_type(net, a->sin.sin_addr.s_addr) == RTN_LOCAL;
#if IS_ENABLED(CONFIG_IPV6)
	return ipv6_chk_addr(net, &a->sin6.sin6_addr, NULL, 0);
#else
	return false;
#endif
}

/*
 * A frame from accepted source @saddr, not the remote, passed every check:
 * have the wire roam there, unless roaming is off, the source is of the
 * other family, a roam is pending or the last one is in its hold-down.
 * Softirq.
 */
void vw_roam(struct vw_dev *vwd, const struct vw_config *cfg,
	     const union vw_addr *saddr)
{
	if (!cfg->p.roam ||
	    saddr->sa.sa_family != cfg->p.remote.sa.sa_family ||
	    test_bit(VW_WORK_ROAM, &vwd->work_pending) ||
	    time_before(jiffies, READ_ONCE(vwd->roam_after)))
		return;
	/*
	 * Only the family and address of @saddr are set (the receive path
	 * fills no more): the config's remote gets them and zeroes.
	 */
	spin_lock(&vwd->roam_lock);
	memset(&vwd->roam_to, 0, sizeof(vwd->roam_to));
	vwd->roam_to.sa.sa_family = saddr->sa.sa_family;
	if (saddr->sa.sa_family == AF_INET)
		vwd->roam_to.sin.sin_addr = saddr->sin.sin_addr;
	else
		vwd->roam_to.sin6.sin6_addr = saddr->sin6.sin6_addr;
	spin_unlock(&vwd->roam_lock);
	vw_dev_schedule(vwd, VW_WORK_ROAM);
}

/* Re-point the wire to the source noted by vw_roam(); RTNL held. */
void vw_roam_apply(struct vw_dev *vwd)
{
	struct vw_config *cfg = rtnl_dereference(vwd->cfg);
	struct vw_params p = cfg->p;

	ASSERT_RTNL();
	spin_lock_bh(&vwd->roam_lock);
	p.remote = vwd->roam_to;
	spin_unlock_bh(&vwd->roam_lock);
	/*
	 * The config may have changed since: roaming turned off, relaying
	 * turned on, the remote set to this source already or to the other
	 * family.
	 */
	if (!p.roam || p.wire != VW_WIRE_UDP || p.relay.sa.sa_family ||
	    p.remote.sa.sa_family != cfg->p.remote.sa.sa_family ||
	    vw_addr_equal(&p.remote, &cfg->p.remote))
		return;
	/*
	 * The hold-down starts before the new remote is published: a
	 * straggler from the old one, arriving as soon as it is, must find
	 * it running.  A refused roam backs off as long, so that a source
	 * that cannot be the remote does not take RTNL for every frame.
	 */
	WRITE_ONCE(vwd->roam_after,
		   jiffies + msecs_to_jiffies(p.roam_holddown));
	/*
	 * A source that is one of this host's addresses (spoofed, or one of
	 * its own wires relaying) would have the wire send to itself.
	 */
	if (!vw_addr_unicast(&p.remote) ||
	    vw_addr_local(vwd->vn->net, &p.remote))
		return;
	if (vw_dev_change(vwd, &p, true, NULL)) {
		net_warn_ratelimited("%s: could not roam to a new remote\n",
				     vwd->dev->name);
		return;
	}
	local_bh_disable();
	vw_count(vwd->counters, VW_STATS_ROAMS);
	local_bh_enable();
}
