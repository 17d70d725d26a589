// SPDX-License-Identifier: GPL-2.0
/*
 * The endpoint network device: its netdev and rtnl_link ops, its life from
 * creation to unregistration, and the namespace's ID table that the
 * receive path uses to find it.
 *
 * An endpoint is "bound" once it has a connector ID and a config; one made
 * by a plain "ip link add NAME type virtualwire" starts unbound, carries
 * nothing and has no carrier until vwctl binds it.
 */

#include <linux/etherdevice.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "virtualwire.h"
#include "compat.h"

static const struct rhashtable_params vw_id_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct vw_dev, id),
	.head_offset = offsetof(struct vw_dev, node),
	.automatic_shrinking = true,
};

/*
 * Receive demultiplexing by (socket, format, ID): the endpoint whose UDP
 * wire uses @vs.  The caller holds rcu_read_lock().
 */
struct vw_config *vw_dev_lookup_rcu(struct vw_sock *vs, u32 id, u8 format,
				    struct vw_dev **vwdp)
{
	struct rhlist_head *list, *pos;
	struct vw_config *cfg;
	struct vw_dev *vwd;

	list = rhltable_lookup(&vs->vn->ids, &id, vw_id_params);
	rhl_for_each_entry_rcu(vwd, pos, list, node) {
		cfg = rcu_dereference(vwd->cfg);
		if (cfg && cfg->vs == vs && cfg->p.format == format) {
			*vwdp = vwd;
			return cfg;
		}
	}
	return NULL;
}

/*
 * An endpoint holding @id other than @except (UDP wires only with
 * @udp_only), and in @count, if given, how many there are: the two ends of
 * a local wire share their ID.  RTNL held.
 */
struct vw_dev *vw_dev_find(struct vw_net *vn, u32 id, bool udp_only,
			   const struct vw_dev *except, int *count)
{
	struct rhlist_head *list, *pos;
	struct vw_dev *vwd, *found = NULL;
	int n = 0;

	ASSERT_RTNL();
	rcu_read_lock();
	list = rhltable_lookup(&vn->ids, &id, vw_id_params);
	rhl_for_each_entry_rcu(vwd, pos, list, node) {
		if (vwd == except)
			continue;
		if (udp_only &&
		    rtnl_dereference(vwd->cfg)->p.wire != VW_WIRE_UDP)
			continue;
		found = vwd;
		n++;
	}
	rcu_read_unlock();
	if (count)
		*count = n;
	return found;
}

struct vw_dev *vw_dev_from_netdev(struct net_device *dev)
{
	if (!dev || dev->rtnl_link_ops != &vw_link_ops)
		return NULL;
	return netdev_priv(dev);
}

/*
 * What the datapath cannot do itself: deliver what a standby endpoint held
 * (standby.c), and, under RTNL, re-point a roaming wire (roam.c) and
 * announce a standby endpoint's activation.  A
 * queued work holds a reference to the device, so an endpoint being
 * unregistered waits for it; vw_exit() drains the workqueue.
 */
static void vw_dev_work(struct work_struct *work)
{
	struct vw_dev *vwd = container_of(work, struct vw_dev, work);
	struct net_device *dev = vwd->dev;
	bool live;

	if (test_and_clear_bit(VW_WORK_DRAIN, &vwd->work_pending))
		vw_hold_drain(vwd);
	rtnl_lock();
	live = dev->reg_state == NETREG_REGISTERED && vwd->bound;
	if (test_and_clear_bit(VW_WORK_ROAM, &vwd->work_pending) && live)
		vw_roam_apply(vwd);
	if (test_and_clear_bit(VW_WORK_NOTIFY, &vwd->work_pending) && live)
		vw_nl_notify(vwd, VW_CMD_CHANGED);
	rtnl_unlock();
	dev_put(dev);
}

/* Ask vw_dev_work() to do @what (VW_WORK_*); any context. */
void vw_dev_schedule(struct vw_dev *vwd, int what)
{
	if (test_and_set_bit(what, &vwd->work_pending))
		return;
	dev_hold(vwd->dev);
	if (!queue_work(vw_wq, &vwd->work))
		dev_put(vwd->dev);
}

static int vw_dev_init(struct net_device *dev)
{
	struct vw_dev *vwd = netdev_priv(dev);
	int err;

	err = vw_compat_tstats_init(dev);
	if (err)
		return err;
	vwd->counters = vw_counters_alloc();
	if (!vwd->counters)
		goto err_tstats;
	err = gro_cells_init(&vwd->gro_cells, dev);
	if (err)
		goto err_counters;
	vw_compat_lockdep_set_classes(dev);
	vw_hold_init(vwd);
	spin_lock_init(&vwd->roam_lock);
	vwd->roam_after = jiffies;
	INIT_WORK(&vwd->work, vw_dev_work);
	list_add_tail(&vwd->list, &vwd->vn->devs);
	vwd->vn->gen++;
	return 0;

err_counters:
	free_percpu(vwd->counters);
	vwd->counters = NULL;
err_tstats:
	vw_compat_tstats_free(dev);
	return -ENOMEM;
}

/* Drop the binding; the config is freed once no packet can still see it. */
static void vw_dev_unbind(struct vw_dev *vwd)
{
	struct vw_config *cfg = rtnl_dereference(vwd->cfg);

	if (!vwd->bound)
		return;
	vw_nl_notify(vwd, VW_CMD_REMOVED);
	rhltable_remove(&vwd->vn->ids, &vwd->node, vw_id_params);
	vwd->bound = false;
	RCU_INIT_POINTER(vwd->cfg, NULL);
	netif_carrier_off(vwd->dev);
	vw_config_release(cfg);
	vwd->vn->gen++;
}

/*
 * Local wires whose peer is @gone lose it: their frames are dropped and
 * counted from now on.  The core waits for a grace period before freeing
 * @gone, so a packet that still found it in a config is safe.  Only an
 * endpoint that is some config's peer walks the namespace's endpoints, so
 * that removing many (a flush, a namespace exit) does not cost the square
 * of their number.
 */
static void vw_dev_forget_peer(struct vw_dev *gone)
{
	struct vw_config *cfg;
	struct vw_dev *vwd;

	list_for_each_entry(vwd, &gone->vn->devs, list) {
		if (!gone->peered_by)
			return;
		cfg = rtnl_dereference(vwd->cfg);
		if (cfg && rtnl_dereference(cfg->peer) == gone) {
			RCU_INIT_POINTER(cfg->peer, NULL);
			cfg->p.peer = NULL;
			gone->peered_by--;
			vw_nl_notify(vwd, VW_CMD_CHANGED);
		}
	}
}

static void vw_dev_uninit(struct net_device *dev)
{
	struct vw_dev *vwd = netdev_priv(dev);

	vw_dev_unbind(vwd);
	vw_dev_forget_peer(vwd);
	vw_hold_destroy(vwd);
	gro_cells_destroy(&vwd->gro_cells);
	list_del(&vwd->list);
	vwd->vn->gen++;
}

/* Runs when the last reference to the device is gone. */
static void vw_dev_free(struct net_device *dev)
{
	struct vw_dev *vwd = netdev_priv(dev);

	free_percpu(vwd->counters);
	vw_compat_tstats_free(dev);
}

/*
 * Every counter of an endpoint, as netlink and the connectors file report
 * them.  The underlay's refusals are counted by iptunnel_xmit() in the
 * device's own tx_dropped, not by us.
 */
void vw_dev_counters(const struct vw_dev *vwd, u64 *c)
{
	struct rtnl_link_stats64 ts = {};

	vw_counters_read(vwd->counters, c);
	dev_fetch_sw_netstats(&ts, vwd->dev->tstats);
	c[VW_STATS_RX_PACKETS] = ts.rx_packets;
	c[VW_STATS_RX_BYTES] = ts.rx_bytes;
	c[VW_STATS_TX_PACKETS] = ts.tx_packets;
	c[VW_STATS_TX_BYTES] = ts.tx_bytes;
	c[VW_STATS_DROP_XMIT] = DEV_STATS_READ(vwd->dev, tx_dropped);
}

/* Our drops by direction; dev->stats already holds the underlay's. */
static void vw_get_stats64(struct net_device *dev,
			   struct rtnl_link_stats64 *stats)
{
	struct vw_dev *vwd = netdev_priv(dev);
	u64 c[VW_STATS_MAX + 1];

	netdev_stats_to_stats64(stats, &dev->stats);
	dev_fetch_sw_netstats(stats, dev->tstats);
	vw_counters_read(vwd->counters, c);
	stats->rx_dropped += c[VW_STATS_DROP_SHORT] +
			     c[VW_STATS_DROP_DOWN] +
			     c[VW_STATS_DROP_BAD_SOURCE] +
			     c[VW_STATS_DROP_ECN] +
			     c[VW_STATS_DROP_ZERO_CSUM] +
			     c[VW_STATS_DROP_HOLD_FULL] +
			     c[VW_STATS_DROP_HOLD_EXPIRED] +
			     c[VW_STATS_DROP_RELAY_LOOP];
	stats->tx_dropped += c[VW_STATS_DROP_NO_ROUTE] +
			     c[VW_STATS_DROP_LOOP] +
			     c[VW_STATS_DROP_NOMEM] +
			     c[VW_STATS_DROP_UNBOUND] +
			     c[VW_STATS_DROP_TOO_BIG] +
			     c[VW_STATS_DROP_NO_PEER] +
			     c[VW_STATS_DROP_PEER_DOWN] +
			     c[VW_STATS_DROP_STANDBY] +
			     c[VW_STATS_DROP_RELAYING] +
			     c[VW_STATS_DROP_RATE];
}

static const struct net_device_ops vw_netdev_ops = {
	.ndo_init		= vw_dev_init,
	.ndo_uninit		= vw_dev_uninit,
	.ndo_start_xmit		= vw_xmit,
	.ndo_get_stats64	= vw_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static const struct device_type vw_type = {
	.name = VW_KIND,
};

#define VW_FEATURES (NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | \
		     NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE)

static void vw_setup(struct net_device *dev)
{
	struct vw_dev *vwd = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &vw_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vw_dev_free;
	SET_NETDEV_DEVTYPE(dev, &vw_type);

	dev->features |= VW_FEATURES;
	dev->hw_features |= VW_FEATURES;
	dev->hw_enc_features |= VW_FEATURES;
	vw_compat_set_lltx(dev);
	vw_compat_tstats_setup(dev);
	/*
	 * The sockets and the ID live in the namespace the endpoint was made
	 * in; keeping the device there keeps one owner for both.
	 */
	vw_compat_set_netns_immutable(dev);
	netif_keep_dst(dev);
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;

	dev->needed_headroom = VW_OVERHEAD6 + LL_MAX_HEADER;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - VW_OVERHEAD6;
	dev->mtu = ETH_DATA_LEN - VW_OVERHEAD4;
	eth_hw_addr_random(dev);

	memset(vwd, 0, sizeof(*vwd));
	vwd->dev = dev;
}

/* Publish a config on a registered, unbound endpoint; consumes @cfg. */
static int vw_dev_attach(struct vw_dev *vwd, u32 id, struct vw_config *cfg)
{
	int err;

	ASSERT_RTNL();
	vwd->id = id;
	/* Before the receive path can find it. */
	WRITE_ONCE(vwd->hold.state, cfg->p.standby ? VW_HOLD_STANDBY :
						     VW_HOLD_ACTIVE);
	err = rhltable_insert(&vwd->vn->ids, &vwd->node, vw_id_params);
	if (err) {
		vw_config_release(cfg);
		return err;
	}
	vwd->bound = true;
	rcu_assign_pointer(vwd->cfg, cfg);
	netif_carrier_on(vwd->dev);
	vwd->vn->gen++;
	vw_nl_notify(vwd, VW_CMD_NEW);
	return 0;
}

/* Bind an existing unbound endpoint; @p has been checked for it. */
int vw_dev_bind(struct vw_dev *vwd, const struct vw_params *p,
		struct netlink_ext_ack *extack)
{
	struct vw_config *cfg;

	if (vwd->bound) {
		vw_compat_err_fmt(extack, NULL,
				  "the device is already bound to a connector ID",
				  "%s is already bound to connector ID %u",
				  vwd->dev->name, vwd->id);
		return -EEXIST;
	}
	cfg = vw_config_create(vwd->vn, p, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	return vw_dev_attach(vwd, p->id, cfg);
}

/*
 * Replace a bound endpoint's config in one pointer store: a packet in
 * flight finishes on the old config (its socket), the next one starts on
 * the new, whose generation none of the flow cache's entries carry.  The
 * old config goes after a grace period.
 */
int vw_dev_change(struct vw_dev *vwd, const struct vw_params *p,
		  bool announce, struct netlink_ext_ack *extack)
{
	struct vw_config *old = rtnl_dereference(vwd->cfg);
	struct vw_config *cfg;

	ASSERT_RTNL();
	cfg = vw_config_create(vwd->vn, p, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	rcu_assign_pointer(vwd->cfg, cfg);
	vw_config_release(old);
	vwd->vn->gen++;
	if (announce)
		vw_nl_notify(vwd, VW_CMD_CHANGED);
	return 0;
}

/*
 * Register @dev (allocated by rtnl or by vw_dev_create()) and bind it when
 * @p carries an ID.  Everything that can be refused is checked before the
 * device becomes visible, so a refusal leaves no trace.
 */
static int vw_dev_register(struct net *net, struct net_device *dev,
			   const struct vw_params *p, bool mtu_given,
			   struct netlink_ext_ack *extack)
{
	struct vw_dev *vwd = netdev_priv(dev);
	struct vw_config *cfg = NULL;
	int err;

	vwd->vn = vw_net(net);
	if (p->has_id) {
		cfg = vw_config_create(vwd->vn, p, extack);
		if (IS_ERR(cfg))
			return PTR_ERR(cfg);
		if (!mtu_given)
			dev->mtu = vw_config_default_mtu(vwd->vn, cfg, dev);
	}
	netif_carrier_off(dev);
	err = register_netdevice(dev);
	if (err)
		goto err_cfg;
	if (cfg) {
		err = vw_dev_attach(vwd, p->id, cfg);
		if (err) {
			/* Only an allocation failure gets here. */
			unregister_netdevice(dev);
			return err;
		}
	}
	return 0;

err_cfg:
	if (cfg)
		vw_config_release(cfg);
	return err;
}

/* Create an endpoint for VW_CMD_ADD; @name, if given, is a valid one. */
struct net_device *vw_dev_create(struct net *net, const char *name,
				 const struct vw_params *p,
				 struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	/* A name the user gave, or one the kernel numbers from a template. */
	dev = alloc_netdev(sizeof(struct vw_dev), name ? name : "vw%d",
			   name ? NET_NAME_USER : NET_NAME_ENUM, vw_setup);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev_net_set(dev, net);
	dev->rtnl_link_ops = &vw_link_ops;
	err = vw_dev_register(net, dev, p, false, extack);
	if (err) {
		if (dev->reg_state == NETREG_UNINITIALIZED)
			free_netdev(dev);
		return ERR_PTR(err);
	}
	return dev;
}

/*
 * The rtnl core parses IFLA_INFO_DATA liberally (attributes of the wrong
 * length pass with a log line); these attributes are all new, so every
 * one of them is validated strictly.
 */
static const struct nla_policy vw_link_policy[IFLA_VW_MAX + 1] = {
	[IFLA_VW_UNSPEC]	= { .strict_start_type = IFLA_VW_ID },
	[IFLA_VW_ID]		= { .type = NLA_U32 },
	[IFLA_VW_FORMAT]	= NLA_POLICY_MAX(NLA_U8, VW_FORMAT_MAX),
	[IFLA_VW_REMOTE4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[IFLA_VW_REMOTE6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_VW_LOCAL4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[IFLA_VW_LOCAL6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_VW_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
};

/* ip link knows the basic attributes; vwctl sets the rest. */
static const struct vw_attr_map vw_link_attrs = {
	.id = IFLA_VW_ID,
	.format = IFLA_VW_FORMAT,
	.port = IFLA_VW_PORT,
	.remote4 = IFLA_VW_REMOTE4,
	.remote6 = IFLA_VW_REMOTE6,
	.local4 = IFLA_VW_LOCAL4,
	.local6 = IFLA_VW_LOCAL6,
};

static int vw_link_validate(struct nlattr *tb[], struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "a MAC address is 6 bytes long");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "not a unicast MAC address");
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}

/*
 * Without an ID the device starts unbound and the configuration has
 * nowhere to go: refuse it rather than drop it silently.
 */
static int vw_link_check_id(struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	int i;

	if (data[IFLA_VW_ID])
		return 0;
	for (i = IFLA_VW_ID + 1; i <= IFLA_VW_MAX; i++) {
		if (data[i]) {
			NL_SET_ERR_MSG(extack,
				       "no connector ID given; the other virtualwire attributes configure a connector and need one");
			NL_SET_ERR_ATTR_MISS(extack, NULL, IFLA_VW_ID);
			return -EINVAL;
		}
	}
	return 0;
}

static int __vw_newlink(struct net *net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct vw_params p;
	int err;

	vw_params_init(&p);
	if (data) {
		err = vw_link_check_id(data, extack);
		if (err)
			return err;
		err = vw_params_parse(vw_net(net), data, &vw_link_attrs, &p,
				      NULL, extack);
		if (err)
			return err;
	}
	return vw_dev_register(net, dev, &p, tb[IFLA_MTU], extack);
}

#ifdef VW_HAVE_RTNL_NEWLINK_PARAMS
static int vw_newlink(struct net_device *dev,
		      struct rtnl_newlink_params *params,
		      struct netlink_ext_ack *extack)
{
	return __vw_newlink(dev_net(dev), dev, params->tb, params->data,
			    extack);
}
#else
static int vw_newlink(struct net *src_net, struct net_device *dev,
		      struct nlattr *tb[], struct nlattr *data[],
		      struct netlink_ext_ack *extack)
{
	return __vw_newlink(dev_net(dev), dev, tb, data, extack);
}
#endif

static size_t vw_link_get_size(const struct net_device *dev)
{
	return vw_config_nlsize();
}

static int vw_link_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct vw_dev *vwd = netdev_priv(dev);

	return vw_dev_fill(skb, vwd, &vw_link_attrs);
}

struct rtnl_link_ops vw_link_ops __read_mostly = {
	.kind		= VW_KIND,
	.maxtype	= IFLA_VW_MAX,
	.policy		= vw_link_policy,
	.priv_size	= sizeof(struct vw_dev),
	.setup		= vw_setup,
	.validate	= vw_link_validate,
	.newlink	= vw_newlink,
	.get_size	= vw_link_get_size,
	.fill_info	= vw_link_fill_info,
};

/* Put the endpoint's ID and config into a netlink message; RTNL held. */
int vw_dev_fill(struct sk_buff *skb, const struct vw_dev *vwd,
		const struct vw_attr_map *map)
{
	const struct vw_config *cfg = rtnl_dereference(vwd->cfg);

	if (!vwd->bound)
		return 0;
	if (nla_put_u32(skb, map->id, vwd->id))
		return -EMSGSIZE;
	return vw_config_fill(skb, cfg, map);
}

int vw_dev_init_net(struct vw_net *vn)
{
	return rhltable_init(&vn->ids, &vw_id_params);
}

void vw_dev_exit_net(struct vw_net *vn, struct list_head *kill)
{
	struct vw_dev *vwd;

	list_for_each_entry(vwd, &vn->devs, list)
		unregister_netdevice_queue(vwd->dev, kill);
}

void vw_dev_destroy_net(struct vw_net *vn)
{
	rhltable_destroy(&vn->ids);
}
