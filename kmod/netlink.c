// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "virtualwire": the control surface vwctl
 * speaks.  The command and attribute tree is documented at the top of
 * include/uapi/linux/virtualwire.h.  Every request is served under RTNL,
 * which also serialises it against rtnl link changes of our devices.
 */

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "virtualwire.h"

static struct genl_family vw_genl_family;

/*
 * Set, under RTNL, before the family is unregistered at module unload:
 * the endpoints still go away after that (vw_exit()), and their
 * notifications must not reach a family, or multicast groups, that are no
 * longer ours.
 */
static bool vw_genl_closed;

/*
 * One policy per command, each taking only that command's attributes: any
 * other is refused by the policy.  The ack points at the attribute; the
 * message gives the reason only, in the words of vwctl, which names the
 * attribute by the keyword that sets it (the uapi header maps the two).
 */
#define VW_REJECT(attr, why) \
	[attr] = { .type = NLA_REJECT, .reject_message = why }

static struct netlink_range_validation vw_hold_range = {
	.min = 1,
	.max = VW_HOLD_MAX,
};

static struct netlink_range_validation vw_time_range = {
	.min = 1,
	.max = VW_TIME_MAX,
};

static struct netlink_range_validation vw_holddown_range = {
	.min = VW_ROAM_HOLDDOWN_MIN,
	.max = VW_TIME_MAX,
};

/* The configuration (CONFIG in the uapi header), as ADD and SET take it. */
#define VW_POLICY_CONFIG \
	[VW_A_FORMAT]	= NLA_POLICY_MAX(NLA_U8, VW_FORMAT_MAX), \
	[VW_A_REMOTE4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)), \
	[VW_A_REMOTE6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)), \
	[VW_A_LOCAL4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)), \
	[VW_A_LOCAL6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)), \
	[VW_A_PORT]	= NLA_POLICY_MIN(NLA_U16, 1), \
	VW_REJECT(VW_A_STATS, "the counters are read-only"), \
	VW_REJECT(VW_A_WIRE, "the wire is read-only; a remote makes it UDP, a peer local"), \
	[VW_A_PEER_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1), \
	[VW_A_PEER_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }, \
	[VW_A_TTL]	= NLA_POLICY_MAX(NLA_U16, VW_TTL_INHERIT), \
	[VW_A_TOS]	= NLA_POLICY_MAX(NLA_U16, VW_TOS_INHERIT), \
	[VW_A_DF]	= NLA_POLICY_MAX(NLA_U8, VW_DF_MAX), \
	[VW_A_SRCPORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1), \
	[VW_A_SRCPORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1), \
	[VW_A_CSUM]	= NLA_POLICY_MAX(NLA_U8, 1), \
	[VW_A_UDP6_ZERO_CSUM_TX] = NLA_POLICY_MAX(NLA_U8, 1), \
	[VW_A_UDP6_ZERO_CSUM_RX] = NLA_POLICY_MAX(NLA_U8, 1), \
	[VW_A_STANDBY]	= NLA_POLICY_MAX(NLA_U8, 1), \
	VW_REJECT(VW_A_STATE, "the state is read-only; set standby, active or relay instead"), \
	[VW_A_ACCEPT]	= { .type = NLA_NESTED }, \
	VW_REJECT(VW_A_ACCEPT_PREFIX, "a prefix goes inside the accept list"), \
	[VW_A_ROAM]	= NLA_POLICY_MAX(NLA_U8, 1), \
	[VW_A_ROAM_HOLDDOWN] = NLA_POLICY_FULL_RANGE(NLA_U32, &vw_holddown_range), \
	[VW_A_RELAY4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)), \
	[VW_A_RELAY6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)), \
	[VW_A_HOLD]	= NLA_POLICY_FULL_RANGE(NLA_U32, &vw_hold_range), \
	[VW_A_HOLD_TIME] = NLA_POLICY_FULL_RANGE(NLA_U32, &vw_time_range), \
	[VW_A_VM_MAC]	= { .type = NLA_BINARY, .len = VW_VM_MAC_MAX * ETH_ALEN }, \
	[VW_A_RATE_MIN]	= { .type = NLA_U64 }, \
	[VW_A_RATE_MAX]	= { .type = NLA_U64 }, \
	[VW_A_RATE_BURST] = { .type = NLA_U32 }, \
	[VW_A_PRIORITY]	= { .type = NLA_U32 }, \
	[VW_A_MARK]	= { .type = NLA_U32 }

/* The ID range of VW_CMD_FLUSH, which no other command takes. */
#define VW_FLUSH_ONLY "only flush takes an ID range (flush id MIN-MAX)"

#define VW_POLICY_IFNAME \
	[VW_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }

/* The endpoint, by exactly one of these (checked by vw_nl_find()). */
#define VW_POLICY_SELECTOR \
	[VW_A_ID]	= { .type = NLA_U32 }, \
	[VW_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1), \
	VW_POLICY_IFNAME

/* ADD and REPLACE. */
static const struct nla_policy vw_add_policy[VW_A_MAX + 1] = {
	[VW_A_ID]	= { .type = NLA_U32 },
	VW_REJECT(VW_A_IFINDEX, "add names the device by dev NAME, not by index"),
	VW_POLICY_IFNAME,
	VW_POLICY_CONFIG,
	[VW_A_PEER_CREATE] = NLA_POLICY_MAX(NLA_U8, 1),
	VW_REJECT(VW_A_ID_MIN, VW_FLUSH_ONLY),
	VW_REJECT(VW_A_ID_MAX, VW_FLUSH_ONLY),
};

static const struct nla_policy vw_set_policy[VW_A_MAX + 1] = {
	VW_POLICY_SELECTOR,
	VW_POLICY_CONFIG,
	VW_REJECT(VW_A_PEER_CREATE, "only add and replace create a peer"),
	VW_REJECT(VW_A_ID_MIN, VW_FLUSH_ONLY),
	VW_REJECT(VW_A_ID_MAX, VW_FLUSH_ONLY),
};

/* DEL and GET: the endpoint only. */
#define VW_SELECT_ONLY \
	"not taken here; this command takes only the endpoint, by ID or dev NAME"

static const struct nla_policy vw_select_policy[VW_A_MAX + 1] = {
	VW_POLICY_SELECTOR,
	VW_REJECT(VW_A_PAD, VW_SELECT_ONLY),
	VW_REJECT(VW_A_FORMAT, VW_SELECT_ONLY),
	VW_REJECT(VW_A_REMOTE4, VW_SELECT_ONLY),
	VW_REJECT(VW_A_REMOTE6, VW_SELECT_ONLY),
	VW_REJECT(VW_A_LOCAL4, VW_SELECT_ONLY),
	VW_REJECT(VW_A_LOCAL6, VW_SELECT_ONLY),
	VW_REJECT(VW_A_PORT, VW_SELECT_ONLY),
	VW_REJECT(VW_A_STATS, VW_SELECT_ONLY),
	VW_REJECT(VW_A_WIRE, VW_SELECT_ONLY),
	VW_REJECT(VW_A_PEER_IFINDEX, VW_SELECT_ONLY),
	VW_REJECT(VW_A_PEER_IFNAME, VW_SELECT_ONLY),
	VW_REJECT(VW_A_TTL, VW_SELECT_ONLY),
	VW_REJECT(VW_A_TOS, VW_SELECT_ONLY),
	VW_REJECT(VW_A_DF, VW_SELECT_ONLY),
	VW_REJECT(VW_A_SRCPORT_MIN, VW_SELECT_ONLY),
	VW_REJECT(VW_A_SRCPORT_MAX, VW_SELECT_ONLY),
	VW_REJECT(VW_A_CSUM, VW_SELECT_ONLY),
	VW_REJECT(VW_A_UDP6_ZERO_CSUM_TX, VW_SELECT_ONLY),
	VW_REJECT(VW_A_UDP6_ZERO_CSUM_RX, VW_SELECT_ONLY),
	VW_REJECT(VW_A_ID_MIN, VW_SELECT_ONLY),
	VW_REJECT(VW_A_ID_MAX, VW_SELECT_ONLY),
	VW_REJECT(VW_A_STANDBY, VW_SELECT_ONLY),
	VW_REJECT(VW_A_STATE, VW_SELECT_ONLY),
	VW_REJECT(VW_A_ACCEPT, VW_SELECT_ONLY),
	VW_REJECT(VW_A_ACCEPT_PREFIX, VW_SELECT_ONLY),
	VW_REJECT(VW_A_ROAM, VW_SELECT_ONLY),
	VW_REJECT(VW_A_ROAM_HOLDDOWN, VW_SELECT_ONLY),
	VW_REJECT(VW_A_RELAY4, VW_SELECT_ONLY),
	VW_REJECT(VW_A_RELAY6, VW_SELECT_ONLY),
	VW_REJECT(VW_A_HOLD, VW_SELECT_ONLY),
	VW_REJECT(VW_A_HOLD_TIME, VW_SELECT_ONLY),
	VW_REJECT(VW_A_VM_MAC, VW_SELECT_ONLY),
	VW_REJECT(VW_A_PEER_CREATE, VW_SELECT_ONLY),
	VW_REJECT(VW_A_RATE_MIN, VW_SELECT_ONLY),
	VW_REJECT(VW_A_RATE_MAX, VW_SELECT_ONLY),
	VW_REJECT(VW_A_RATE_BURST, VW_SELECT_ONLY),
	VW_REJECT(VW_A_PRIORITY, VW_SELECT_ONLY),
	VW_REJECT(VW_A_MARK, VW_SELECT_ONLY),
};

#define VW_NO_ATTR "not taken here; the namespace's counters take no argument"

static const struct nla_policy vw_get_ns_policy[VW_A_MAX + 1] = {
	VW_REJECT(VW_A_PAD, VW_NO_ATTR),
	VW_REJECT(VW_A_ID, VW_NO_ATTR),
	VW_REJECT(VW_A_IFINDEX, VW_NO_ATTR),
	VW_REJECT(VW_A_IFNAME, VW_NO_ATTR),
	VW_REJECT(VW_A_FORMAT, VW_NO_ATTR),
	VW_REJECT(VW_A_REMOTE4, VW_NO_ATTR),
	VW_REJECT(VW_A_REMOTE6, VW_NO_ATTR),
	VW_REJECT(VW_A_LOCAL4, VW_NO_ATTR),
	VW_REJECT(VW_A_LOCAL6, VW_NO_ATTR),
	VW_REJECT(VW_A_PORT, VW_NO_ATTR),
	VW_REJECT(VW_A_STATS, VW_NO_ATTR),
	VW_REJECT(VW_A_WIRE, VW_NO_ATTR),
	VW_REJECT(VW_A_PEER_IFINDEX, VW_NO_ATTR),
	VW_REJECT(VW_A_PEER_IFNAME, VW_NO_ATTR),
	VW_REJECT(VW_A_TTL, VW_NO_ATTR),
	VW_REJECT(VW_A_TOS, VW_NO_ATTR),
	VW_REJECT(VW_A_DF, VW_NO_ATTR),
	VW_REJECT(VW_A_SRCPORT_MIN, VW_NO_ATTR),
	VW_REJECT(VW_A_SRCPORT_MAX, VW_NO_ATTR),
	VW_REJECT(VW_A_CSUM, VW_NO_ATTR),
	VW_REJECT(VW_A_UDP6_ZERO_CSUM_TX, VW_NO_ATTR),
	VW_REJECT(VW_A_UDP6_ZERO_CSUM_RX, VW_NO_ATTR),
	VW_REJECT(VW_A_ID_MIN, VW_NO_ATTR),
	VW_REJECT(VW_A_ID_MAX, VW_NO_ATTR),
	VW_REJECT(VW_A_STANDBY, VW_NO_ATTR),
	VW_REJECT(VW_A_STATE, VW_NO_ATTR),
	VW_REJECT(VW_A_ACCEPT, VW_NO_ATTR),
	VW_REJECT(VW_A_ACCEPT_PREFIX, VW_NO_ATTR),
	VW_REJECT(VW_A_ROAM, VW_NO_ATTR),
	VW_REJECT(VW_A_ROAM_HOLDDOWN, VW_NO_ATTR),
	VW_REJECT(VW_A_RELAY4, VW_NO_ATTR),
	VW_REJECT(VW_A_RELAY6, VW_NO_ATTR),
	VW_REJECT(VW_A_HOLD, VW_NO_ATTR),
	VW_REJECT(VW_A_HOLD_TIME, VW_NO_ATTR),
	VW_REJECT(VW_A_VM_MAC, VW_NO_ATTR),
	VW_REJECT(VW_A_PEER_CREATE, VW_NO_ATTR),
	VW_REJECT(VW_A_RATE_MIN, VW_NO_ATTR),
	VW_REJECT(VW_A_RATE_MAX, VW_NO_ATTR),
	VW_REJECT(VW_A_RATE_BURST, VW_NO_ATTR),
	VW_REJECT(VW_A_PRIORITY, VW_NO_ATTR),
	VW_REJECT(VW_A_MARK, VW_NO_ATTR),
};

static const struct vw_attr_map vw_genl_attrs = {
	.id = VW_A_ID,
	.format = VW_A_FORMAT,
	.wire = VW_A_WIRE,
	.port = VW_A_PORT,
	.remote4 = VW_A_REMOTE4,
	.remote6 = VW_A_REMOTE6,
	.local4 = VW_A_LOCAL4,
	.local6 = VW_A_LOCAL6,
	.peer_ifindex = VW_A_PEER_IFINDEX,
	.peer_ifname = VW_A_PEER_IFNAME,
	.ttl = VW_A_TTL,
	.tos = VW_A_TOS,
	.df = VW_A_DF,
	.srcport_min = VW_A_SRCPORT_MIN,
	.srcport_max = VW_A_SRCPORT_MAX,
	.csum = VW_A_CSUM,
	.zero_csum6_tx = VW_A_UDP6_ZERO_CSUM_TX,
	.zero_csum6_rx = VW_A_UDP6_ZERO_CSUM_RX,
	.standby = VW_A_STANDBY,
	.accept = VW_A_ACCEPT,
	.roam = VW_A_ROAM,
	.roam_holddown = VW_A_ROAM_HOLDDOWN,
	.relay4 = VW_A_RELAY4,
	.relay6 = VW_A_RELAY6,
	.hold = VW_A_HOLD,
	.hold_time = VW_A_HOLD_TIME,
	.vm_mac = VW_A_VM_MAC,
	.rate_min = VW_A_RATE_MIN,
	.rate_max = VW_A_RATE_MAX,
	.rate_burst = VW_A_RATE_BURST,
	.priority = VW_A_PRIORITY,
	.mark = VW_A_MARK,
};

/* Which counters each kind of object reports (bit = VW_STATS_*). */
#define VW_BIT(x) BIT_ULL(VW_STATS_##x)
#define VW_DEV_COUNTERS (VW_BIT(RX_PACKETS) | VW_BIT(RX_BYTES) | \
			 VW_BIT(TX_PACKETS) | VW_BIT(TX_BYTES) | \
			 VW_BIT(DROP_SHORT) | VW_BIT(DROP_NO_ROUTE) | \
			 VW_BIT(DROP_LOOP) | VW_BIT(DROP_NOMEM) | \
			 VW_BIT(DROP_XMIT) | VW_BIT(DROP_UNBOUND) | \
			 VW_BIT(DROP_DOWN) | VW_BIT(DROP_BAD_SOURCE) | \
			 VW_BIT(DROP_TOO_BIG) | VW_BIT(DROP_ECN) | \
			 VW_BIT(DROP_ZERO_CSUM) | VW_BIT(DROP_NO_PEER) | \
			 VW_BIT(DROP_PEER_DOWN) | VW_BIT(ROUTE_HIT) | \
			 VW_BIT(ROUTE_MISS) | VW_BIT(HELD) | \
			 VW_BIT(ACTIVATIONS) | VW_BIT(RELAYED) | \
			 VW_BIT(ROAMS) | VW_BIT(DROP_HOLD_FULL) | \
			 VW_BIT(DROP_HOLD_EXPIRED) | VW_BIT(DROP_STANDBY) | \
			 VW_BIT(DROP_RELAYING) | VW_BIT(DROP_RELAY_LOOP) | \
			 VW_BIT(DROP_RATE) | VW_BIT(ROUTE_EVICT))
#define VW_NS_COUNTERS (VW_BIT(DROP_UNKNOWN_ID) | VW_BIT(DROP_BAD_HEADER) | \
			VW_BIT(DROP_SHORT))

static int vw_nl_put_stats(struct sk_buff *skb, const u64 *c, u64 mask)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, VW_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i <= VW_STATS_MAX; i++) {
		if ((mask & BIT_ULL(i)) &&
		    nla_put_u64_64bit(skb, i, c[i], VW_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* What a bound endpoint does with what it receives. */
static u8 vw_nl_state(const struct vw_dev *vwd)
{
	const struct vw_config *cfg = rtnl_dereference(vwd->cfg);

	if (cfg->p.relay.sa.sa_family)
		return VW_STATE_RELAY;
	/* Draining what it held is being active already. */
	return vw_hold_standby(vwd) ? VW_STATE_STANDBY : VW_STATE_ACTIVE;
}

static int vw_nl_fill(struct sk_buff *skb, const struct vw_dev *vwd, u32 portid,
		      u32 seq, int flags, u8 cmd)
{
	u64 c[VW_STATS_MAX + 1];
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vw_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	vw_dev_counters(vwd, c);

	if (nla_put_u32(skb, VW_A_IFINDEX, vwd->dev->ifindex) ||
	    nla_put_string(skb, VW_A_IFNAME, vwd->dev->name) ||
	    vw_dev_fill(skb, vwd, &vw_genl_attrs) ||
	    (vwd->bound && nla_put_u8(skb, VW_A_STATE, vw_nl_state(vwd))) ||
	    vw_nl_put_stats(skb, c, VW_DEV_COUNTERS)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Announce a bound or unbound endpoint on the "events" group; RTNL held. */
void vw_nl_notify(const struct vw_dev *vwd, u8 cmd)
{
	struct net *net = dev_net(vwd->dev);
	struct sk_buff *skb;

	ASSERT_RTNL();
	if (vw_genl_closed || !genl_has_listeners(&vw_genl_family, net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (vw_nl_fill(skb, vwd, 0, 0, 0, cmd)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&vw_genl_family, net, skb, 0, 0, GFP_KERNEL);
}

/* The endpoint named by exactly one of VW_A_ID, VW_A_IFINDEX, VW_A_IFNAME. */
static struct vw_dev *vw_nl_find(struct net *net, struct nlattr **tb,
				 struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct vw_dev *vwd;

	ASSERT_RTNL();
	switch (!!tb[VW_A_ID] + !!tb[VW_A_IFINDEX] + !!tb[VW_A_IFNAME]) {
	case 0:
		NL_SET_ERR_MSG(extack,
			       "no endpoint named; give its connector ID or dev NAME");
		NL_SET_ERR_ATTR_MISS(extack, NULL, VW_A_ID);
		return ERR_PTR(-EINVAL);
	case 1:
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_IFNAME] ? : tb[VW_A_IFINDEX],
				    "the endpoint is named twice; give its ID or dev NAME, not both");
		return ERR_PTR(-EINVAL);
	}
	if (tb[VW_A_ID]) {
		int count;

		vwd = vw_dev_find(vw_net(net), nla_get_u32(tb[VW_A_ID]), false,
				  NULL, &count);
		if (!vwd) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_ID],
					    "no endpoint has this connector ID");
			return ERR_PTR(-ENOENT);
		}
		if (count > 1) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_ID],
					    "both ends of a local wire hold this ID; name one by dev NAME");
			return ERR_PTR(-ENOTUNIQ);
		}
		return vwd;
	}
	if (tb[VW_A_IFINDEX]) {
		dev = __dev_get_by_index(net, nla_get_u32(tb[VW_A_IFINDEX]));
		vwd = vw_dev_from_netdev(dev);
		if (!vwd) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_IFINDEX],
					    "no virtualwire device has this index");
			return ERR_PTR(-ENODEV);
		}
		return vwd;
	}
	dev = __dev_get_by_name(net, nla_data(tb[VW_A_IFNAME]));
	vwd = vw_dev_from_netdev(dev);
	if (!vwd) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_IFNAME],
				    "no virtualwire device has this name");
		return ERR_PTR(-ENODEV);
	}
	return vwd;
}

/*
 * Apply @p, parsed on top of the defaults or of the current configuration,
 * to the bound endpoint @vwd in one swap, as VW_CMD_SET does: the state
 * (standby or active) changes only when VW_A_STANDBY is given.
 */
static int vw_ctl_apply(struct vw_dev *vwd, struct nlattr **tb,
			struct vw_params *p, struct netlink_ext_ack *extack)
{
	int err;

	if (p->standby && vw_hold_draining(vwd)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_STANDBY],
				    "the endpoint is still delivering what it held; try again once it is active");
		return -EBUSY;
	}
	/* A change of state is announced with the state it made. */
	err = vw_dev_change(vwd, p, !tb[VW_A_STANDBY], extack);
	if (!err && tb[VW_A_STANDBY]) {
		vw_hold_set(vwd, p->standby);
		vw_nl_notify(vwd, VW_CMD_CHANGED);
	}
	return err;
}

/*
 * VW_A_PEER_CREATE: the peer that VW_A_PEER_IFNAME names, made now,
 * unbound, when no device has that name (NULL when it exists or none is
 * named).
 */
static struct vw_dev *vw_ctl_new_peer(struct net *net, struct nlattr **tb,
				      const char *name,
				      struct netlink_ext_ack *extack)
{
	struct nlattr *peer = tb[VW_A_PEER_IFNAME];
	struct net_device *dev;
	struct vw_params p;

	if (!peer || __dev_get_by_name(net, nla_data(peer)))
		return NULL;
	if (name && !strcmp(name, nla_data(peer))) {
		NL_SET_ERR_MSG_ATTR(extack, peer,
				    "an endpoint cannot be its own peer");
		return ERR_PTR(-EINVAL);
	}
	vw_params_init(&p);
	dev = vw_dev_create(net, nla_data(peer), &p, extack);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	return netdev_priv(dev);
}

/* Bind the peer made by vw_ctl_new_peer() to @vwd: @p with @vwd as peer. */
static int vw_ctl_bind_peer(struct vw_dev *peer, struct vw_dev *vwd,
			    const struct vw_params *p,
			    struct netlink_ext_ack *extack)
{
	struct vw_params pp = *p;

	pp.peer = vwd;
	return vw_dev_bind(peer, &pp, extack);
}

/*
 * The endpoint a VW_CMD_REPLACE is about: the device
 * VW_A_IFNAME names, else the one endpoint holding VW_A_ID; NULL when
 * there is none yet.  A device bound to another ID is refused: replace
 * never changes an ID.
 */
static struct vw_dev *vw_ctl_replaced(struct net *net, struct nlattr **tb,
				      struct netlink_ext_ack *extack)
{
	u32 id = nla_get_u32(tb[VW_A_ID]);
	struct vw_dev *vwd;
	int count;

	if (tb[VW_A_IFNAME]) {
		vwd = vw_dev_from_netdev(__dev_get_by_name(net,
							   nla_data(tb[VW_A_IFNAME])));
		if (vwd && vwd->bound && vwd->id != id) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_IFNAME],
					    "the device is bound to another connector ID, which replace does not change; del it first");
			return ERR_PTR(-EEXIST);
		}
		return vwd;
	}
	vwd = vw_dev_find(vw_net(net), id, false, NULL, &count);
	if (count > 1) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_ID],
				    "both ends of a local wire hold this ID; name one by dev NAME");
		return ERR_PTR(-ENOTUNIQ);
	}
	return vwd;
}

/*
 * VW_CMD_ADD: create an endpoint, or bind an unbound one.  @replace
 * (VW_CMD_REPLACE): a bound endpoint that the request is about gets the
 * configuration given, on top of the defaults, in one swap.  @create_peer
 * (VW_A_PEER_CREATE): a missing peer is made too, as the other end.  All
 * of it happens in one RTNL section, and a refusal undoes what was made.
 */
static int vw_ctl_new(struct net *net, struct nlattr **tb, bool replace,
		      bool create_peer, struct netlink_ext_ack *extack)
{
	struct vw_net *vn = vw_net(net);
	struct vw_dev *vwd = NULL, *peer = NULL;
	struct net_device *dev = NULL;
	const char *name = NULL;
	struct vw_params p;
	int err;

	if (!tb[VW_A_ID]) {
		NL_SET_ERR_MSG(extack, "no connector ID given; add needs one");
		NL_SET_ERR_ATTR_MISS(extack, NULL, VW_A_ID);
		return -EINVAL;
	}
	if (tb[VW_A_IFNAME]) {
		name = nla_data(tb[VW_A_IFNAME]);
		/* register_netdevice() would refuse it, but without a word. */
		if (!dev_valid_name(name)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_IFNAME],
					    "not a valid device name");
			return -EINVAL;
		}
	}

	rtnl_lock();
	if (name)
		dev = __dev_get_by_name(vn->net, name);
	if (dev) {
		vwd = vw_dev_from_netdev(dev);
		if (!vwd) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_IFNAME],
					    "a device of another kind has this name");
			err = -EEXIST;
			goto out;
		}
	}
	if (replace) {
		vwd = vw_ctl_replaced(net, tb, extack);
		if (IS_ERR(vwd)) {
			err = PTR_ERR(vwd);
			goto out;
		}
	}
	/* Checked before a peer is made, which would be made for nothing. */
	if (vwd && vwd->bound && !replace) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_IFNAME],
				    "the device is already bound to a connector ID");
		err = -EEXIST;
		goto out;
	}
	if (create_peer) {
		peer = vw_ctl_new_peer(net, tb, name, extack);
		if (IS_ERR(peer)) {
			err = PTR_ERR(peer);
			peer = NULL;
			goto out;
		}
	}
	vw_params_init(&p);
	if (vwd && vwd->bound && !tb[VW_A_STANDBY])
		p.standby = vw_hold_standby(vwd);
	err = vw_params_parse(vn, tb, &vw_genl_attrs, &p, vwd, extack);
	if (err)
		goto out;
	if (vwd) {
		/* The new peer first: vwd stays as it was if that fails. */
		if (peer) {
			err = vw_ctl_bind_peer(peer, vwd, &p, extack);
			if (err)
				goto out;
		}
		if (vwd->bound)
			err = vw_ctl_apply(vwd, tb, &p, extack);
		else
			err = vw_dev_bind(vwd, &p, extack);
	} else {
		dev = vw_dev_create(vn->net, name, &p, extack);
		err = PTR_ERR_OR_ZERO(dev);
		if (!err && peer) {
			err = vw_ctl_bind_peer(peer, netdev_priv(dev), &p,
					       extack);
			if (err)
				unregister_netdevice(dev);
		}
	}
out:
	if (err && peer)
		unregister_netdevice(peer->dev);
	rtnl_unlock();
	return err;
}

/*
 * The changing commands, on parsed and policy-checked attributes: generic
 * netlink requests and /proc/net/virtualwire/control writes both end here.
 */
int vw_ctl_add(struct net *net, struct nlattr **tb,
	       struct netlink_ext_ack *extack)
{
	return vw_ctl_new(net, tb, false, false, extack);
}

int vw_ctl_set(struct net *net, struct nlattr **tb,
	       struct netlink_ext_ack *extack)
{
	struct vw_net *vn = vw_net(net);
	struct vw_params p;
	struct vw_dev *vwd;
	int err;

	rtnl_lock();
	vwd = vw_nl_find(net, tb, extack);
	if (IS_ERR(vwd)) {
		err = PTR_ERR(vwd);
		goto out;
	}
	if (!vwd->bound) {
		/* Found by device: an unbound endpoint has no ID. */
		NL_SET_ERR_MSG_ATTR(extack, tb[VW_A_IFNAME] ? : tb[VW_A_IFINDEX],
				    "the device is unbound; bind it first with add ID dev NAME");
		err = -EINVAL;
		goto out;
	}
	p = rtnl_dereference(vwd->cfg)->p;
	p.standby = vw_hold_standby(vwd);
	err = vw_params_parse(vn, tb, &vw_genl_attrs, &p, vwd, extack);
	if (!err)
		err = vw_ctl_apply(vwd, tb, &p, extack);
out:
	rtnl_unlock();
	return err;
}

int vw_ctl_del(struct net *net, struct nlattr **tb,
	       struct netlink_ext_ack *extack)
{
	struct vw_dev *vwd;
	int err = 0;

	rtnl_lock();
	vwd = vw_nl_find(net, tb, extack);
	if (IS_ERR(vwd))
		err = PTR_ERR(vwd);
	else
		unregister_netdevice(vwd->dev);
	rtnl_unlock();
	return err;
}

/*
 * Check @len bytes of attributes at @head against the policy of command
 * @cmd (VW_CMD_ADD, VW_CMD_SET or VW_CMD_DEL).
 */
int vw_ctl_parse(u8 cmd, struct nlattr **tb, const struct nlattr *head,
		 int len, struct netlink_ext_ack *extack)
{
	const struct nla_policy *policy;

	switch (cmd) {
	case VW_CMD_ADD:
		policy = vw_add_policy;
		break;
	case VW_CMD_SET:
		policy = vw_set_policy;
		break;
	default:
		policy = vw_select_policy;
		break;
	}
	return nla_parse(tb, VW_A_MAX, head, len, policy, extack);
}

/* ADD and REPLACE: VW_A_PEER_CREATE 1 makes a missing peer too. */
static int vw_nl_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *create = info->attrs[VW_A_PEER_CREATE];

	return vw_ctl_new(genl_info_net(info), info->attrs,
			  info->genlhdr->cmd == VW_CMD_REPLACE,
			  create && nla_get_u8(create), info->extack);
}

static int vw_nl_set(struct sk_buff *skb, struct genl_info *info)
{
	return vw_ctl_set(genl_info_net(info), info->attrs, info->extack);
}

static int vw_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	return vw_ctl_del(genl_info_net(info), info->attrs, info->extack);
}

static int vw_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct vw_dev *vwd;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	vwd = vw_nl_find(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(vwd))
		err = PTR_ERR(vwd);
	else
		err = vw_nl_fill(msg, vwd, info->snd_portid, info->snd_seq, 0,
				 VW_CMD_GET);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * One message per endpoint; cb->args[0] counts the endpoints already sent.
 * A change between two parts of the dump bumps vn->gen, which marks the
 * next message NLM_F_DUMP_INTR.
 */
static int vw_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vw_net *vn = vw_net(sock_net(skb->sk));
	long idx = 0, start = cb->args[0];
	struct vw_dev *vwd;

	rtnl_lock();
	cb->seq = vn->gen;
	list_for_each_entry(vwd, &vn->devs, list) {
		if (idx < start) {
			idx++;
			continue;
		}
		/* A full skb ends this part; the core calls again for more. */
		if (vw_nl_fill(skb, vwd, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI, VW_CMD_GET))
			break;
		nl_dump_check_consistent(cb, nlmsg_hdr(skb));
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int vw_nl_get_ns(struct sk_buff *skb, struct genl_info *info)
{
	struct vw_net *vn = vw_net(genl_info_net(info));
	u64 c[VW_STATS_MAX + 1];
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vw_genl_family, 0, VW_CMD_GET_NS);
	if (!hdr)
		goto err;
	vw_counters_read(vn->counters, c);
	if (vw_nl_put_stats(msg, c, VW_NS_COUNTERS))
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* VW_CMD_FLUSH takes its ID range and nothing else. */
#define VW_RANGE_ONLY "not taken here; flush takes only an ID range (id MIN-MAX)"

static const struct nla_policy vw_flush_policy[VW_A_MAX + 1] = {
	VW_REJECT(VW_A_PAD, VW_RANGE_ONLY),
	VW_REJECT(VW_A_ID, VW_RANGE_ONLY),
	VW_REJECT(VW_A_IFINDEX, VW_RANGE_ONLY),
	VW_REJECT(VW_A_IFNAME, VW_RANGE_ONLY),
	VW_REJECT(VW_A_FORMAT, VW_RANGE_ONLY),
	VW_REJECT(VW_A_REMOTE4, VW_RANGE_ONLY),
	VW_REJECT(VW_A_REMOTE6, VW_RANGE_ONLY),
	VW_REJECT(VW_A_LOCAL4, VW_RANGE_ONLY),
	VW_REJECT(VW_A_LOCAL6, VW_RANGE_ONLY),
	VW_REJECT(VW_A_PORT, VW_RANGE_ONLY),
	VW_REJECT(VW_A_STATS, VW_RANGE_ONLY),
	VW_REJECT(VW_A_WIRE, VW_RANGE_ONLY),
	VW_REJECT(VW_A_PEER_IFINDEX, VW_RANGE_ONLY),
	VW_REJECT(VW_A_PEER_IFNAME, VW_RANGE_ONLY),
	VW_REJECT(VW_A_TTL, VW_RANGE_ONLY),
	VW_REJECT(VW_A_TOS, VW_RANGE_ONLY),
	VW_REJECT(VW_A_DF, VW_RANGE_ONLY),
	VW_REJECT(VW_A_SRCPORT_MIN, VW_RANGE_ONLY),
	VW_REJECT(VW_A_SRCPORT_MAX, VW_RANGE_ONLY),
	VW_REJECT(VW_A_CSUM, VW_RANGE_ONLY),
	VW_REJECT(VW_A_UDP6_ZERO_CSUM_TX, VW_RANGE_ONLY),
	VW_REJECT(VW_A_UDP6_ZERO_CSUM_RX, VW_RANGE_ONLY),
	[VW_A_ID_MIN]	= { .type = NLA_U32 },
	[VW_A_ID_MAX]	= { .type = NLA_U32 },
	VW_REJECT(VW_A_STANDBY, VW_RANGE_ONLY),
	VW_REJECT(VW_A_STATE, VW_RANGE_ONLY),
	VW_REJECT(VW_A_ACCEPT, VW_RANGE_ONLY),
	VW_REJECT(VW_A_ACCEPT_PREFIX, VW_RANGE_ONLY),
	VW_REJECT(VW_A_ROAM, VW_RANGE_ONLY),
	VW_REJECT(VW_A_ROAM_HOLDDOWN, VW_RANGE_ONLY),
	VW_REJECT(VW_A_RELAY4, VW_RANGE_ONLY),
	VW_REJECT(VW_A_RELAY6, VW_RANGE_ONLY),
	VW_REJECT(VW_A_HOLD, VW_RANGE_ONLY),
	VW_REJECT(VW_A_HOLD_TIME, VW_RANGE_ONLY),
	VW_REJECT(VW_A_VM_MAC, VW_RANGE_ONLY),
	VW_REJECT(VW_A_PEER_CREATE, VW_RANGE_ONLY),
	VW_REJECT(VW_A_RATE_MIN, VW_RANGE_ONLY),
	VW_REJECT(VW_A_RATE_MAX, VW_RANGE_ONLY),
	VW_REJECT(VW_A_RATE_BURST, VW_RANGE_ONLY),
	VW_REJECT(VW_A_PRIORITY, VW_RANGE_ONLY),
	VW_REJECT(VW_A_MARK, VW_RANGE_ONLY),
};

/*
 * Delete every endpoint of the namespace, or the bound ones whose ID is in
 * [VW_A_ID_MIN, VW_A_ID_MAX], in one unregister_netdevice_many(): one
 * round of the core's synchronisation for all of them, as when the
 * namespace exits.  Each one's ndo_uninit announces it as DEL does.
 */
static int vw_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct vw_net *vn = vw_net(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	bool all = !tb[VW_A_ID_MIN] && !tb[VW_A_ID_MAX];
	u32 min = 0, max = U32_MAX;
	struct vw_dev *vwd;
	LIST_HEAD(kill);

	if (tb[VW_A_ID_MIN])
		min = nla_get_u32(tb[VW_A_ID_MIN]);
	if (tb[VW_A_ID_MAX])
		max = nla_get_u32(tb[VW_A_ID_MAX]);
	if (min > max) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VW_A_ID_MAX],
				    "the ID range ends below its start");
		return -EINVAL;
	}

	rtnl_lock();
	list_for_each_entry(vwd, &vn->devs, list)
		if (all || (vwd->bound && vwd->id >= min && vwd->id <= max))
			unregister_netdevice_queue(vwd->dev, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
	return 0;
}

static const struct genl_ops vw_genl_ops[] = {
	{
		.cmd = VW_CMD_ADD,
		.doit = vw_nl_add,
		.policy = vw_add_policy,
		.maxattr = VW_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VW_CMD_SET,
		.doit = vw_nl_set,
		.policy = vw_set_policy,
		.maxattr = VW_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VW_CMD_DEL,
		.doit = vw_nl_del,
		.policy = vw_select_policy,
		.maxattr = VW_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VW_CMD_GET,
		.doit = vw_nl_get,
		.dumpit = vw_nl_dump,
		.policy = vw_select_policy,
		.maxattr = VW_A_MAX,
	}, {
		.cmd = VW_CMD_GET_NS,
		.doit = vw_nl_get_ns,
		.policy = vw_get_ns_policy,
		.maxattr = VW_A_MAX,
	}, {
		.cmd = VW_CMD_REPLACE,
		.doit = vw_nl_add,
		.policy = vw_add_policy,
		.maxattr = VW_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VW_CMD_FLUSH,
		.doit = vw_nl_flush,
		.policy = vw_flush_policy,
		.maxattr = VW_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group vw_genl_mcgrps[] = {
	{ .name = VW_MCGRP_EVENTS },
};

static struct genl_family vw_genl_family __ro_after_init = {
	.name = VW_GENL_NAME,
	.version = VW_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = vw_genl_ops,
	.n_ops = ARRAY_SIZE(vw_genl_ops),
	.mcgrps = vw_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vw_genl_mcgrps),
	/* Every command is new: reserved header fields must be zero. */
	.resv_start_op = VW_CMD_ADD,
};

int __init vw_genl_init(void)
{
	return genl_register_family(&vw_genl_family);
}

void vw_genl_exit(void)
{
	rtnl_lock();
	vw_genl_closed = true;
	rtnl_unlock();
	genl_unregister_family(&vw_genl_family);
}
