// SPDX-License-Identifier: GPL-2.0
/*
 * An endpoint's configuration: parsed from netlink (generic netlink or
 * rtnl, through an attribute map) on top of a base (the defaults for a new
 * endpoint, the current configuration for a change), checked as a whole,
 * built, and released.
 *
 * A struct vw_config never changes once a device publishes it, with one
 * exception: a local wire's peer pointer is cleared when the peer goes
 * away (see vw_dev_uninit()).  The datapath reads configs under RCU.
 */

#include <linux/etherdevice.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <net/ip6_route.h>
#include <net/inet_ecn.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/netlink.h>
#include <net/route.h>

#include "compat.h"
#include "virtualwire.h"

static ushort vw_port = VW_PORT;
module_param(vw_port, ushort, 0444);
MODULE_PARM_DESC(vw_port, "default UDP port of the vw format (default 4798)");

void vw_params_init(struct vw_params *p)
{
	memset(p, 0, sizeof(*p));
	p->format = VW_FORMAT_VXLAN;
	p->wire = VW_WIRE_UDP;
	p->ttl = VW_TTL_AUTO;
	p->df = VW_DF_UNSET;
	p->srcport_min = VW_SRCPORT_MIN;
	p->srcport_max = VW_SRCPORT_MAX;
	p->csum = true;
	p->roam_holddown = VW_ROAM_HOLDDOWN_DEFAULT;
	p->hold = VW_HOLD_DEFAULT;
	p->hold_time = VW_HOLD_TIME_DEFAULT;
	p->rate_max = VW_RATE_UNLIMITED;
	p->rate_burst = VW_RATE_BURST_DEFAULT;
}

/* The UDP port an endpoint uses: its own, or its format's default. */
static __be16 vw_params_port(const struct vw_params *p)
{
	if (p->port)
		return htons(p->port);
	return htons(p->format == VW_FORMAT_VW ? vw_port : VW_VXLAN_PORT);
}

static void vw_parse_addr(struct nlattr *a4, struct nlattr *a6,
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
}

static bool vw_addr_any(const union vw_addr *addr)
{
	if (addr->sa.sa_family == AF_INET)
		return addr->sin.sin_addr.s_addr == htonl(INADDR_ANY);
	if (addr->sa.sa_family == AF_INET6)
		return ipv6_addr_any(&addr->sin6.sin6_addr);
	return true;
}

/*
 * A remote a packet can be sent to: not "this network" (0.0.0.0/8: the
 * kernel's ipv4_is_zeronet() matches 0.0.0.0 alone), multicast or the
 * reserved class E (240.0.0.0/4, the broadcast address included).
 */
bool vw_addr_unicast(const union vw_addr *addr)
{
	if (addr->sa.sa_family == AF_INET) {
		u32 a = ntohl(addr->sin.sin_addr.s_addr);

		return (a >> 24) != 0 && !ipv4_is_multicast(htonl(a)) &&
		       (a >> 28) != 0xf;
	}
	return !ipv6_addr_any(&addr->sin6.sin6_addr) &&
	       !ipv6_addr_is_multicast(&addr->sin6.sin6_addr);
}

bool vw_addr_equal(const union vw_addr *a, const union vw_addr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr;
	if (a->sa.sa_family == AF_INET6)
		return ipv6_addr_equal(&a->sin6.sin6_addr, &b->sin6.sin6_addr);
	return true;
}

static struct nlattr *vw_attr(struct nlattr **tb, int type)
{
	return type ? tb[type] : NULL;
}

static void vw_get_u8(struct nlattr **tb, int type, u8 *v)
{
	if (type && tb[type])
		*v = nla_get_u8(tb[type]);
}

static void vw_get_u16(struct nlattr **tb, int type, u16 *v)
{
	if (type && tb[type])
		*v = nla_get_u16(tb[type]);
}

static void vw_get_bool(struct nlattr **tb, int type, bool *v)
{
	if (type && tb[type])
		*v = nla_get_u8(tb[type]);
}

static void vw_get_u32(struct nlattr **tb, int type, u32 *v)
{
	if (type && tb[type])
		*v = nla_get_u32(tb[type]);
}

static void vw_get_u64(struct nlattr **tb, int type, u64 *v)
{
	if (type && tb[type])
		*v = nla_get_u64(tb[type]);
}

static const struct nla_policy vw_prefix_policy[VW_PREFIX_A_MAX + 1] = {
	[VW_PREFIX_A_ADDR4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[VW_PREFIX_A_ADDR6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VW_PREFIX_A_LEN]	= NLA_POLICY_MAX(NLA_U8, 128),
};

/* One VW_A_ACCEPT_PREFIX: an address of either family and its length. */
static int vw_parse_prefix(const struct nlattr *nest, struct vw_prefix *pf,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VW_PREFIX_A_MAX + 1];
	union vw_addr masked;
	int err;

	err = nla_parse_nested(tb, VW_PREFIX_A_MAX, nest, vw_prefix_policy,
			       extack);
	if (err)
		return err;
	if (!tb[VW_PREFIX_A_ADDR4] == !tb[VW_PREFIX_A_ADDR6] ||
	    !tb[VW_PREFIX_A_LEN]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a prefix needs one address, IPv4 or IPv6, and a length");
		return -EINVAL;
	}
	vw_parse_addr(tb[VW_PREFIX_A_ADDR4], tb[VW_PREFIX_A_ADDR6], &pf->addr);
	pf->len = nla_get_u8(tb[VW_PREFIX_A_LEN]);
	masked = pf->addr;
	if (pf->addr.sa.sa_family == AF_INET) {
		if (pf->len > 32) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VW_PREFIX_A_LEN],
					    "an IPv4 prefix is at most 32 bits long");
			return -EINVAL;
		}
		masked.sin.sin_addr.s_addr &= inet_make_mask(pf->len);
	} else {
		ipv6_addr_prefix(&masked.sin6.sin6_addr,
				 &pf->addr.sin6.sin6_addr, pf->len);
	}
	if (!vw_addr_equal(&masked, &pf->addr)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "the address has bits set beyond the prefix length");
		return -EINVAL;
	}
	return 0;
}

/* VW_A_ACCEPT: the whole list, replacing the old one; empty clears it. */
static int vw_parse_accept(const struct nlattr *list, struct vw_params *p,
			   struct netlink_ext_ack *extack)
{
	struct vw_prefix accept[VW_ACCEPT_MAX];
	const struct nlattr *a;
	int rem, n = 0, err;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != VW_A_ACCEPT_PREFIX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the accept list holds prefixes only");
			return -EINVAL;
		}
		if (n == VW_ACCEPT_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "more than 8 prefixes");
			return -E2BIG;
		}
		err = vw_parse_prefix(a, &accept[n], extack);
		if (err)
			return err;
		n++;
	}
	memcpy(p->accept, accept, n * sizeof(accept[0]));
	p->naccept = n;
	return 0;
}

/* VW_A_VM_MAC: 0 to VW_VM_MAC_MAX unicast MAC addresses, back to back. */
static int vw_parse_vm_mac(const struct nlattr *a, struct vw_params *p,
			   struct netlink_ext_ack *extack)
{
	int len = nla_len(a), i;
	const u8 *mac = nla_data(a);

	if (len % ETH_ALEN || len > VW_VM_MAC_MAX * ETH_ALEN) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "up to 8 MAC addresses of 6 bytes each");
		return -EINVAL;
	}
	for (i = 0; i < len / ETH_ALEN; i++) {
		if (!is_valid_ether_addr(mac + i * ETH_ALEN)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "not a unicast MAC address");
			return -EINVAL;
		}
	}
	memcpy(p->vm_mac, mac, len);
	p->nvm_mac = len / ETH_ALEN;
	return 0;
}

/* The peer named by ifindex or name; RTNL held. */
static int vw_parse_peer(struct vw_net *vn, struct nlattr *idx,
			 struct nlattr *name, struct vw_params *p,
			 struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	if (idx)
		dev = __dev_get_by_index(vn->net, nla_get_u32(idx));
	else
		dev = __dev_get_by_name(vn->net, nla_data(name));
	p->peer = vw_dev_from_netdev(dev);
	if (!p->peer) {
		if (idx)
			NL_SET_ERR_MSG_ATTR(extack, idx,
					    "no virtualwire device of this namespace has this index");
		else
			NL_SET_ERR_MSG_ATTR(extack, name,
					    "no virtualwire device of this namespace has this name");
		return -ENODEV;
	}
	return 0;
}

/* Fill the fields of @p given in @tb; nothing is checked as a whole yet. */
static int vw_params_apply(struct vw_net *vn, struct nlattr **tb,
			   const struct vw_attr_map *m, struct vw_params *p,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *remote4 = vw_attr(tb, m->remote4);
	struct nlattr *remote6 = vw_attr(tb, m->remote6);
	struct nlattr *local4 = vw_attr(tb, m->local4);
	struct nlattr *local6 = vw_attr(tb, m->local6);
	struct nlattr *peer_idx = vw_attr(tb, m->peer_ifindex);
	struct nlattr *peer_name = vw_attr(tb, m->peer_ifname);
	int err;

	if (remote4 && remote6) {
		NL_SET_ERR_MSG_ATTR(extack, remote6,
				    "one remote address, IPv4 or IPv6, not both");
		return -EINVAL;
	}
	if (local4 && local6) {
		NL_SET_ERR_MSG_ATTR(extack, local6,
				    "one local address, IPv4 or IPv6, not both");
		return -EINVAL;
	}
	if (peer_idx && peer_name) {
		NL_SET_ERR_MSG_ATTR(extack, peer_name,
				    "the peer is named twice; by name or by index, not both");
		return -EINVAL;
	}
	if ((remote4 || remote6) && (peer_idx || peer_name)) {
		NL_SET_ERR_MSG_ATTR(extack, peer_idx ? peer_idx : peer_name,
				    "a wire has a remote address or a peer, not both");
		return -EINVAL;
	}

	if (remote4 || remote6) {
		vw_parse_addr(remote4, remote6, &p->remote);
		p->wire = VW_WIRE_UDP;
		p->peer = NULL;
	}
	if (peer_idx || peer_name) {
		err = vw_parse_peer(vn, peer_idx, peer_name, p, extack);
		if (err)
			return err;
		p->wire = VW_WIRE_LOCAL;
		memset(&p->remote, 0, sizeof(p->remote));
	}
	if (local4 || local6) {
		vw_parse_addr(local4, local6, &p->local);
		/* All zeroes, of either family, clears it. */
		if (vw_addr_any(&p->local))
			memset(&p->local, 0, sizeof(p->local));
	}
	if (vw_attr(tb, m->relay4) || vw_attr(tb, m->relay6)) {
		if (tb[m->relay4] && tb[m->relay6]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[m->relay6],
					    "one relay address, IPv4 or IPv6, not both");
			return -EINVAL;
		}
		vw_parse_addr(tb[m->relay4], tb[m->relay6], &p->relay);
		/* All zeroes, of either family, turns relaying off. */
		if (vw_addr_any(&p->relay))
			memset(&p->relay, 0, sizeof(p->relay));
	}
	if (vw_attr(tb, m->accept)) {
		err = vw_parse_accept(tb[m->accept], p, extack);
		if (err)
			return err;
	}
	if (vw_attr(tb, m->vm_mac)) {
		err = vw_parse_vm_mac(tb[m->vm_mac], p, extack);
		if (err)
			return err;
	}
	vw_get_bool(tb, m->standby, &p->standby);
	vw_get_bool(tb, m->roam, &p->roam);
	vw_get_u32(tb, m->roam_holddown, &p->roam_holddown);
	vw_get_u32(tb, m->hold, &p->hold);
	vw_get_u32(tb, m->hold_time, &p->hold_time);
	vw_get_u8(tb, m->format, &p->format);
	vw_get_u16(tb, m->port, &p->port);
	vw_get_u16(tb, m->ttl, &p->ttl);
	vw_get_u16(tb, m->tos, &p->tos);
	vw_get_u8(tb, m->df, &p->df);
	vw_get_u16(tb, m->srcport_min, &p->srcport_min);
	vw_get_u16(tb, m->srcport_max, &p->srcport_max);
	vw_get_bool(tb, m->csum, &p->csum);
	vw_get_bool(tb, m->zero_csum6_tx, &p->zero_csum6_tx);
	vw_get_bool(tb, m->zero_csum6_rx, &p->zero_csum6_rx);
	vw_get_u64(tb, m->rate_min, &p->rate_min);
	vw_get_u64(tb, m->rate_max, &p->rate_max);
	vw_get_u32(tb, m->rate_burst, &p->rate_burst);
	vw_get_u32(tb, m->priority, &p->priority);
	vw_get_u32(tb, m->mark, &p->mark);
	return 0;
}

/*
 * The service level of @p (Documentation/sla.rst), whatever the wire:
 * each rate within what a limiter can compute with, the guarantee not
 * above the maximum, a burst that lets something through.  A burst with
 * no maximum rate is kept for when one is set.
 */
static int vw_params_check_rate(struct nlattr **tb,
				const struct vw_attr_map *m,
				const struct vw_params *p,
				struct netlink_ext_ack *extack)
{
	struct nlattr *min = vw_attr(tb, m->rate_min);
	struct nlattr *max = vw_attr(tb, m->rate_max);

	if (!p->rate_max) {
		NL_SET_ERR_MSG_ATTR(extack, max,
				    "a maximum rate of 0 would send nothing; set the device down instead, or give unlimited");
		return -EINVAL;
	}
	if (p->rate_max != VW_RATE_UNLIMITED && p->rate_max > VW_RATE_LIMIT) {
		NL_SET_ERR_MSG_ATTR(extack, max,
				    "the maximum rate is above 8796gbit (2^40 bytes per second), the largest taken; give unlimited for none");
		return -ERANGE;
	}
	if (p->rate_min > VW_RATE_LIMIT) {
		NL_SET_ERR_MSG_ATTR(extack, min,
				    "the guaranteed rate is above 8796gbit (2^40 bytes per second), the largest taken");
		return -ERANGE;
	}
	if (p->rate_min > p->rate_max) {
		NL_SET_ERR_MSG_ATTR(extack, min ? : max,
				    "the guaranteed rate (MIN) is above the maximum (MAX)");
		return -EINVAL;
	}
	if (!p->rate_burst) {
		NL_SET_ERR_MSG_ATTR(extack, vw_attr(tb, m->rate_burst),
				    "a burst of 0 bytes would let nothing through; give at least 1 byte");
		return -EINVAL;
	}
	return 0;
}

/* Check @p as a whole, for endpoint @self (NULL: a new one). */
static int vw_params_check(struct vw_net *vn, struct nlattr **tb,
			   const struct vw_attr_map *m,
			   const struct vw_params *p, const struct vw_dev *self,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *remote = vw_attr(tb, m->remote4) ? :
				vw_attr(tb, m->remote6);
	struct nlattr *local = vw_attr(tb, m->local4) ? :
			       vw_attr(tb, m->local6);
	struct nlattr *peer = vw_attr(tb, m->peer_ifindex) ? :
			      vw_attr(tb, m->peer_ifname);
	const struct vw_dev *other;
	int err;

	err = vw_params_check_rate(tb, m, p, extack);
	if (err)
		return err;
	if (p->format == VW_FORMAT_VXLAN && p->id > VW_VXLAN_ID_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, vw_attr(tb, m->id) ? :
					    vw_attr(tb, m->format),
				    "the connector ID is above 16777215, the largest format vxlan carries");
		return -ERANGE;
	}
	if (p->tos != VW_TOS_INHERIT && (p->tos & INET_ECN_MASK)) {
		NL_SET_ERR_MSG_ATTR(extack, vw_attr(tb, m->tos),
				    "the two ECN bits of tos must be zero; ECN comes from the inner header");
		return -EINVAL;
	}
	/*
	 * Checked for both wires: a local wire keeps its local address for
	 * when "remote" makes it a UDP wire again.
	 */
	if (p->local.sa.sa_family != AF_UNSPEC && !vw_addr_unicast(&p->local)) {
		NL_SET_ERR_MSG_ATTR(extack, local,
				    "the local address must be unicast");
		return -EINVAL;
	}
	if (p->wire == VW_WIRE_LOCAL) {
		if (p->naccept || p->roam || p->relay.sa.sa_family ||
		    p->standby) {
			NL_SET_ERR_MSG_ATTR(extack,
					    vw_attr(tb, m->peer_ifindex) ? :
					    vw_attr(tb, m->peer_ifname) ? :
					    vw_attr(tb, m->accept) ? :
					    vw_attr(tb, m->roam) ? :
					    vw_attr(tb, m->relay4) ? :
					    vw_attr(tb, m->relay6) ? :
					    vw_attr(tb, m->standby),
					    "a local wire (peer) takes no accept, roam, relay or standby; clear them first");
			return -EINVAL;
		}
		if (p->peer && p->peer == self) {
			NL_SET_ERR_MSG_ATTR(extack, peer,
					    "an endpoint cannot be its own peer");
			return -EINVAL;
		}
		if (p->peer && p->peer->bound && p->peer->id != p->id) {
			vw_compat_err_fmt(extack, peer,
					  "the peer is bound to another connector ID",
					  "the peer %s is bound to connector ID %u, not this one",
					  p->peer->dev->name, p->peer->id);
			return -EINVAL;
		}
		return 0;
	}

	if (p->remote.sa.sa_family == AF_UNSPEC) {
		NL_SET_ERR_MSG(extack,
			       "no remote or peer given; a connector needs remote ADDR or peer DEV");
		return -EINVAL;
	}
	if (!vw_addr_unicast(&p->remote)) {
		NL_SET_ERR_MSG_ATTR(extack, remote,
				    "the remote must be a unicast address");
		return -EINVAL;
	}
	if (p->remote.sa.sa_family == AF_INET6 &&
	    (!IS_ENABLED(CONFIG_IPV6) || !ipv6_mod_enabled())) {
		NL_SET_ERR_MSG_ATTR(extack, remote,
				    "IPv6 is disabled on this host");
		return -EAFNOSUPPORT;
	}
	if (p->local.sa.sa_family != AF_UNSPEC) {
		if (p->local.sa.sa_family != p->remote.sa.sa_family) {
			NL_SET_ERR_MSG_ATTR(extack, local ? local : remote,
					    "the local and remote addresses are of different families");
			return -EINVAL;
		}
	}
	if (p->relay.sa.sa_family && vw_addr_equal(&p->relay, &p->remote)) {
		NL_SET_ERR_MSG_ATTR(extack, vw_attr(tb, m->relay4) ? :
					    vw_attr(tb, m->relay6) ? : remote,
				    "the relay address is the remote's; its frames would go back to it");
		return -EINVAL;
	}
	if (p->relay.sa.sa_family && !vw_addr_unicast(&p->relay)) {
		NL_SET_ERR_MSG_ATTR(extack, vw_attr(tb, m->relay4) ? :
					    vw_attr(tb, m->relay6),
				    "the relay address must be unicast");
		return -EINVAL;
	}
	if (p->relay.sa.sa_family &&
	    p->relay.sa.sa_family != p->remote.sa.sa_family) {
		NL_SET_ERR_MSG_ATTR(extack, vw_attr(tb, m->relay4) ? :
					    vw_attr(tb, m->relay6) ? : remote,
				    "the relay address is of another family than the remote (the VM's MTU allows for the remote's header)");
		return -EINVAL;
	}
	if (p->relay.sa.sa_family == AF_INET6 &&
	    (!IS_ENABLED(CONFIG_IPV6) || !ipv6_mod_enabled())) {
		NL_SET_ERR_MSG_ATTR(extack, vw_attr(tb, m->relay6),
				    "IPv6 is disabled on this host");
		return -EAFNOSUPPORT;
	}
	if (p->srcport_min > p->srcport_max) {
		NL_SET_ERR_MSG_ATTR(extack, vw_attr(tb, m->srcport_min) ? :
					    vw_attr(tb, m->srcport_max),
				    "the lowest source port is above the highest (srcport MIN MAX)");
		return -EINVAL;
	}
	/* Another UDP endpoint holding the ID would make receive ambiguous. */
	other = vw_dev_find(vn, p->id, true, self, NULL);
	if (other) {
		vw_compat_err_fmt(extack, vw_attr(tb, m->id),
				  "the connector ID is taken by another endpoint of this namespace",
				  "connector ID %u is taken by %s", p->id,
				  other->dev->name);
		return -EEXIST;
	}
	return 0;
}

/*
 * Apply the attributes in @tb on top of @p and check the result for
 * endpoint @self (NULL for a new one).  Nothing is changed on a refusal
 * but @p.
 */
int vw_params_parse(struct vw_net *vn, struct nlattr **tb,
		    const struct vw_attr_map *m, struct vw_params *p,
		    const struct vw_dev *self, struct netlink_ext_ack *extack)
{
	int err;

	ASSERT_RTNL();
	if (vw_attr(tb, m->id)) {
		p->id = nla_get_u32(tb[m->id]);
		p->has_id = true;
	}
	err = vw_params_apply(vn, tb, m, p, extack);
	if (err)
		return err;
	if (!p->has_id)
		return 0;
	return vw_params_check(vn, tb, m, p, self, extack);
}

struct vw_config *vw_config_create(struct vw_net *vn, const struct vw_params *p,
				   struct netlink_ext_ack *extack)
{
	static u64 vw_config_gen;
	struct vw_config *cfg;
	struct vw_sock *vs;

	ASSERT_RTNL();
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	cfg->p = *p;
	cfg->gen = ++vw_config_gen;
	vw_rate_init(cfg);
	if (p->wire == VW_WIRE_LOCAL) {
		rcu_assign_pointer(cfg->peer, p->peer);
		if (p->peer)
			p->peer->peered_by++;
		return cfg;
	}
	cfg->dport = vw_params_port(p);
	vs = vw_sock_get(vn, cfg->dport, p->format, extack);
	if (IS_ERR(vs)) {
		kfree(cfg);
		return ERR_CAST(vs);
	}
	cfg->vs = vs;
	return cfg;
}

static void vw_config_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct vw_config, rcu));
}

/*
 * The caller has unpublished @cfg (or never published it).  Packets that
 * picked it up before may still be using it, and its socket, until the
 * grace period ends: vw_sock_put() and call_rcu() both wait for that.
 */
void vw_config_release(struct vw_config *cfg)
{
	struct vw_dev *peer = rtnl_dereference(cfg->peer);

	ASSERT_RTNL();
	if (peer)
		peer->peered_by--;
	if (cfg->vs)
		vw_sock_put(cfg->vs, cfg->p.format);
	call_rcu(&cfg->rcu, vw_config_free_rcu);
}

/*
 * A new endpoint's MTU: what the underlay route to the remote carries,
 * less the encapsulation; 1500-byte underlay frames without a route.  A
 * local wire gets what an IPv4 UDP wire would, so moving a wire between
 * local and UDP (a migration) keeps the MTU the VM was given.  Always
 * within what @dev takes: a route over a 64 KiB MTU (loopback, a jumbo
 * underlay) must not give more than dev->max_mtu.
 */
unsigned int vw_config_default_mtu(struct vw_net *vn,
				   const struct vw_config *cfg,
				   const struct net_device *dev)
{
	const union vw_addr *r = &cfg->p.remote;
	unsigned int mtu = ETH_DATA_LEN;
	int overhead = VW_OVERHEAD4;

	if (r->sa.sa_family == AF_INET) {
		struct flowi4 fl4 = {
			.daddr = r->sin.sin_addr.s_addr,
			.saddr = cfg->p.local.sin.sin_addr.s_addr,
			.flowi4_proto = IPPROTO_UDP,
		};
		struct rtable *rt = ip_route_output_key(vn->net, &fl4);

		if (!IS_ERR(rt)) {
			mtu = dst_mtu(&rt->dst);
			ip_rt_put(rt);
		}
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (r->sa.sa_family == AF_INET6) {
		struct flowi6 fl6 = {
			.daddr = r->sin6.sin6_addr,
			.saddr = cfg->p.local.sin6.sin6_addr,
			.flowi6_proto = IPPROTO_UDP,
		};
		struct dst_entry *dst;

		dst = ipv6_stub->ipv6_dst_lookup_flow(vn->net, NULL, &fl6, NULL);
		if (!IS_ERR(dst)) {
			mtu = dst_mtu(dst);
			dst_release(dst);
		}
		overhead = VW_OVERHEAD6;
	}
#endif
	return clamp_t(int, (int)mtu - overhead, dev->min_mtu, dev->max_mtu);
}

static int vw_put_addr(struct sk_buff *skb, int a4, int a6,
		       const union vw_addr *addr)
{
	if (addr->sa.sa_family == AF_INET && a4)
		return nla_put_in_addr(skb, a4, addr->sin.sin_addr.s_addr);
	if (addr->sa.sa_family == AF_INET6 && a6)
		return nla_put_in6_addr(skb, a6, &addr->sin6.sin6_addr);
	return 0;
}

static int vw_put_u8(struct sk_buff *skb, int type, u8 v)
{
	return type ? nla_put_u8(skb, type, v) : 0;
}

static int vw_put_u16(struct sk_buff *skb, int type, u16 v)
{
	return type ? nla_put_u16(skb, type, v) : 0;
}

static int vw_put_u32(struct sk_buff *skb, int type, u32 v)
{
	return type ? nla_put_u32(skb, type, v) : 0;
}

static int vw_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return type ? nla_put_u64_64bit(skb, type, v, VW_A_PAD) : 0;
}

static int vw_put_accept(struct sk_buff *skb, int type,
			 const struct vw_params *p)
{
	struct nlattr *list, *pf;
	int i;

	if (!type || !p->naccept)
		return 0;
	list = nla_nest_start(skb, type);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < p->naccept; i++) {
		pf = nla_nest_start(skb, VW_A_ACCEPT_PREFIX);
		if (!pf ||
		    vw_put_addr(skb, VW_PREFIX_A_ADDR4, VW_PREFIX_A_ADDR6,
				&p->accept[i].addr) ||
		    nla_put_u8(skb, VW_PREFIX_A_LEN, p->accept[i].len)) {
			nla_nest_cancel(skb, list);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, pf);
	}
	nla_nest_end(skb, list);
	return 0;
}

/* The migration attributes of a UDP wire; those unset are left out. */
static int vw_config_fill_migration(struct sk_buff *skb,
				    const struct vw_params *p,
				    const struct vw_attr_map *m)
{
	if (vw_put_u8(skb, m->roam, p->roam) ||
	    vw_put_u32(skb, m->roam_holddown, p->roam_holddown) ||
	    vw_put_u32(skb, m->hold, p->hold) ||
	    vw_put_u32(skb, m->hold_time, p->hold_time) ||
	    vw_put_addr(skb, m->relay4, m->relay6, &p->relay) ||
	    vw_put_accept(skb, m->accept, p))
		return -EMSGSIZE;
	if (m->vm_mac && p->nvm_mac &&
	    nla_put(skb, m->vm_mac, p->nvm_mac * ETH_ALEN, p->vm_mac))
		return -EMSGSIZE;
	return 0;
}

/* Every attribute of the configuration that @m has a number for. */
int vw_config_fill(struct sk_buff *skb, const struct vw_config *cfg,
		   const struct vw_attr_map *m)
{
	const struct vw_params *p = &cfg->p;
	const struct vw_dev *peer = rtnl_dereference(cfg->peer);

	if (vw_put_u8(skb, m->format, p->format) ||
	    vw_put_u8(skb, m->wire, p->wire) ||
	    vw_put_addr(skb, m->local4, m->local6, &p->local) ||
	    vw_put_u16(skb, m->ttl, p->ttl) ||
	    vw_put_u16(skb, m->tos, p->tos) ||
	    vw_put_u8(skb, m->df, p->df) ||
	    vw_put_u16(skb, m->srcport_min, p->srcport_min) ||
	    vw_put_u16(skb, m->srcport_max, p->srcport_max) ||
	    vw_put_u8(skb, m->csum, p->csum) ||
	    vw_put_u8(skb, m->zero_csum6_tx, p->zero_csum6_tx) ||
	    vw_put_u8(skb, m->zero_csum6_rx, p->zero_csum6_rx) ||
	    vw_put_u64(skb, m->rate_min, p->rate_min) ||
	    vw_put_u64(skb, m->rate_max, p->rate_max) ||
	    vw_put_u32(skb, m->rate_burst, p->rate_burst) ||
	    vw_put_u32(skb, m->priority, p->priority) ||
	    vw_put_u32(skb, m->mark, p->mark))
		return -EMSGSIZE;

	if (p->wire == VW_WIRE_LOCAL) {
		if (peer && m->peer_ifindex &&
		    (nla_put_u32(skb, m->peer_ifindex, peer->dev->ifindex) ||
		     nla_put_string(skb, m->peer_ifname, peer->dev->name)))
			return -EMSGSIZE;
		return 0;
	}
	if (vw_put_u16(skb, m->port, ntohs(cfg->dport)) ||
	    vw_put_addr(skb, m->remote4, m->remote6, &p->remote) ||
	    vw_config_fill_migration(skb, p, m))
		return -EMSGSIZE;
	return 0;
}

/* Room vw_dev_fill() needs at most. */
size_t vw_config_nlsize(void)
{
	return nla_total_size(sizeof(u32)) +		/* id */
	       6 * nla_total_size(sizeof(u8)) +		/* format .. csum6 */
	       5 * nla_total_size(sizeof(u16)) +	/* port .. srcport */
	       2 * nla_total_size(sizeof(struct in6_addr)) + /* remote, local */
	       nla_total_size(sizeof(u32)) +		/* peer ifindex */
	       nla_total_size(IFNAMSIZ) +		/* peer name */
	       /* migration: roam, state; holddown, hold, hold time */
	       2 * nla_total_size(sizeof(u8)) +
	       3 * nla_total_size(sizeof(u32)) +
	       nla_total_size(sizeof(struct in6_addr)) + /* relay */
	       nla_total_size(0) + VW_ACCEPT_MAX *	/* accept */
	       nla_total_size(nla_total_size(sizeof(struct in6_addr)) +
			      nla_total_size(sizeof(u8))) +
	       nla_total_size(VW_VM_MAC_MAX * ETH_ALEN) +
	       /* service level: rates; burst, priority, mark */
	       2 * nla_total_size_64bit(sizeof(u64)) +
	       3 * nla_total_size(sizeof(u32));
}
