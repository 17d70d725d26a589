// SPDX-License-Identifier: GPL-2.0
/*
 * An endpoint's configuration: parsed from netlink (generic netlink or
 * rtnl, through an attribute map), checked, built, and released.
 *
 * A struct vw_config never changes once a device publishes it; the datapath
 * reads it under RCU.  Replacing or dropping one goes through
 * vw_config_release(), which defers the free past a grace period.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "virtualwire.h"

static int vw_parse_addr(struct nlattr *a4, struct nlattr *a6,
			 union vw_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (a4) {
		addr->sin.sin_family = AF_INET;
		addr->sin.sin_addr.s_addr = nla_get_in_addr(a4);
	} else if (a6) {
		addr->sin6.sin6_family = AF_INET6;
		addr->sin6.sin6_addr = nla_get_in6_addr(a6);
	}
	return addr->sa.sa_family;
}

static bool vw_addr_unicast(const union vw_addr *addr)
{
	if (addr->sa.sa_family == AF_INET) {
		__be32 a = addr->sin.sin_addr.s_addr;

		return !ipv4_is_zeronet(a) && !ipv4_is_multicast(a) &&
		       !ipv4_is_lbcast(a);
	}
	return !ipv6_addr_any(&addr->sin6.sin6_addr) &&
	       !ipv6_addr_is_multicast(&addr->sin6.sin6_addr);
}

/*
 * Fill @p from the attributes in @tb and check them as a whole.  Nothing
 * is applied here, so a refusal changes nothing.
 */
int vw_params_parse(struct nlattr **tb, const struct vw_attr_map *m,
		    struct vw_params *p, struct netlink_ext_ack *extack)
{
	struct nlattr *remote, *local;

	memset(p, 0, sizeof(*p));
	if (!tb)
		return 0;

	if (tb[m->remote4] && tb[m->remote6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[m->remote6],
				    "VW_A_REMOTE6: give one of VW_A_REMOTE4 and VW_A_REMOTE6");
		return -EINVAL;
	}
	if (tb[m->local4] && tb[m->local6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[m->local6],
				    "VW_A_LOCAL6: give one of VW_A_LOCAL4 and VW_A_LOCAL6");
		return -EINVAL;
	}
	remote = tb[m->remote4] ? : tb[m->remote6];
	local = tb[m->local4] ? : tb[m->local6];
	vw_parse_addr(tb[m->remote4], tb[m->remote6], &p->remote);
	vw_parse_addr(tb[m->local4], tb[m->local6], &p->local);
	if (tb[m->format])
		p->format = nla_get_u8(tb[m->format]);
	if (tb[m->port])
		p->port = nla_get_u16(tb[m->port]);

	if (!tb[m->id]) {
		if (remote || local || tb[m->format] || tb[m->port]) {
			NL_SET_ERR_MSG(extack,
				       "VW_A_ID: missing; the connector attributes need an ID");
			return -EINVAL;
		}
		return 0;
	}
	p->has_id = true;
	p->id = nla_get_u32(tb[m->id]);

	if (p->format == VW_FORMAT_VXLAN && p->id > VW_VXLAN_ID_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[m->id],
				    "VW_A_ID: above 16777215, the largest vxlan VNI");
		return -ERANGE;
	}
	if (!remote) {
		NL_SET_ERR_MSG(extack,
			       "VW_A_REMOTE4: missing; a connector needs VW_A_REMOTE4 or VW_A_REMOTE6");
		return -EINVAL;
	}
	if (!vw_addr_unicast(&p->remote)) {
		NL_SET_ERR_MSG_ATTR(extack, remote,
				    "VW_A_REMOTE4/6: the remote must be a unicast address");
		return -EINVAL;
	}
	if (p->remote.sa.sa_family == AF_INET6 &&
	    (!IS_ENABLED(CONFIG_IPV6) || !ipv6_mod_enabled())) {
		NL_SET_ERR_MSG_ATTR(extack, remote,
				    "VW_A_REMOTE6: IPv6 is disabled on this host");
		return -EAFNOSUPPORT;
	}
	if (local && p->local.sa.sa_family != p->remote.sa.sa_family) {
		NL_SET_ERR_MSG_ATTR(extack, local,
				    "VW_A_LOCAL4/6: local and remote address families differ");
		return -EINVAL;
	}
	if (local && !vw_addr_unicast(&p->local)) {
		NL_SET_ERR_MSG_ATTR(extack, local,
				    "VW_A_LOCAL4/6: the local address must be unicast");
		return -EINVAL;
	}
	return 0;
}

struct vw_config *vw_config_create(struct vw_net *vn, const struct vw_params *p,
				   struct netlink_ext_ack *extack)
{
	struct vw_config *cfg;
	int err;

	ASSERT_RTNL();
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	err = dst_cache_init(&cfg->dst_cache, GFP_KERNEL);
	if (err)
		goto err_free;
	cfg->remote = p->remote;
	cfg->local = p->local;
	cfg->format = p->format;
	cfg->port = htons(p->port ? p->port : VW_VXLAN_PORT);
	cfg->vs = vw_sock_get(vn, cfg->port, extack);
	if (IS_ERR(cfg->vs)) {
		err = PTR_ERR(cfg->vs);
		goto err_cache;
	}
	return cfg;

err_cache:
	dst_cache_destroy(&cfg->dst_cache);
err_free:
	kfree(cfg);
	return ERR_PTR(err);
}

static void vw_config_free_rcu(struct rcu_head *head)
{
	struct vw_config *cfg = container_of(head, struct vw_config, rcu);

	dst_cache_destroy(&cfg->dst_cache);
	kfree(cfg);
}

/*
 * The caller has unpublished @cfg (or never published it).  Packets that
 * picked it up before may still be using it, and its socket, until the
 * grace period ends: vw_sock_put() and call_rcu() both wait for that.
 */
void vw_config_release(struct vw_config *cfg)
{
	ASSERT_RTNL();
	vw_sock_put(cfg->vs);
	call_rcu(&cfg->rcu, vw_config_free_rcu);
}

/* 1500-byte underlay frames unless the user sets the MTU. */
unsigned int vw_config_default_mtu(const struct vw_config *cfg)
{
	if (cfg->remote.sa.sa_family == AF_INET6)
		return ETH_DATA_LEN - VW_OVERHEAD6;
	return ETH_DATA_LEN - VW_OVERHEAD4;
}

static int vw_put_addr(struct sk_buff *skb, int a4, int a6,
		       const union vw_addr *addr)
{
	if (addr->sa.sa_family == AF_INET)
		return nla_put_in_addr(skb, a4, addr->sin.sin_addr.s_addr);
	if (addr->sa.sa_family == AF_INET6)
		return nla_put_in6_addr(skb, a6, &addr->sin6.sin6_addr);
	return 0;
}

int vw_config_fill(struct sk_buff *skb, const struct vw_config *cfg,
		   const struct vw_attr_map *m)
{
	if (nla_put_u8(skb, m->format, cfg->format) ||
	    nla_put_u16(skb, m->port, ntohs(cfg->port)) ||
	    vw_put_addr(skb, m->remote4, m->remote6, &cfg->remote) ||
	    vw_put_addr(skb, m->local4, m->local6, &cfg->local))
		return -EMSGSIZE;
	return 0;
}

/* Room vw_dev_fill() needs at most. */
size_t vw_config_nlsize(void)
{
	return nla_total_size(sizeof(u32)) +		/* id */
	       nla_total_size(sizeof(u8)) +		/* format */
	       nla_total_size(sizeof(u16)) +		/* port */
	       2 * nla_total_size(sizeof(struct in6_addr)); /* remote, local */
}
