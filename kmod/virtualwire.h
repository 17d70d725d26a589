/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VirtualWire internals shared by the module's files.
 *
 * Lifetimes, in one place:
 *  - struct vw_net lives as long as its network namespace.  Its lists and
 *    the ID table are changed under RTNL only; the datapath reads the ID
 *    table under RCU.
 *  - struct vw_sock (one per namespace and UDP port) is shared by the
 *    endpoints whose config names that port; refcounted under RTNL and
 *    freed after an RCU grace period.
 *  - struct vw_config is immutable once published in vw_dev->cfg.  A change
 *    builds a new one and swaps the pointer, so a packet in flight sees the
 *    old or the new config, never a mix.  The old one (and its socket
 *    reference) goes away after a grace period.
 */
#ifndef _VW_VIRTUALWIRE_H
#define _VW_VIRTUALWIRE_H

#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <linux/in6.h>
#include <net/gro_cells.h>
#include <uapi/linux/virtualwire.h>

#define VW_KIND "virtualwire"

/* The 8-byte header that follows the outer UDP header. */
struct vw_hdr {
	__be32 flags;
	__be32 id;
};

#define VW_VXLAN_FLAG_I		htonl(0x08000000)	/* VNI present */
#define VW_NATIVE_WORD0		htonl(0x56570100)	/* "VW", version 1 */
/*
 * A frame relayed by the host a VM left, to the host it went to: the last
 * bit of the first word, reserved in both formats, which only VirtualWire
 * hosts send to each other (Documentation/wire-format.rst).
 */
#define VW_FLAG_RELAYED		htonl(0x00000001)
#define VW_ENCAP_LEN		(sizeof(struct udphdr) + sizeof(struct vw_hdr))
#define VW_OVERHEAD4		(sizeof(struct iphdr) + VW_ENCAP_LEN + ETH_HLEN)
#define VW_OVERHEAD6		(sizeof(struct ipv6hdr) + VW_ENCAP_LEN + ETH_HLEN)

/* The outer source port range, for ECMP entropy. */
#define VW_SRCPORT_MIN		49152
#define VW_SRCPORT_MAX		65535

union vw_addr {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

/* An accepted source prefix; host bits zero. */
struct vw_prefix {
	union vw_addr addr;
	u8 len;
};

/* Per-CPU counters, indexed by VW_STATS_* (drops, route cache). */
struct vw_counters {
	u64_stats_t count[VW_STATS_MAX + 1];
	struct u64_stats_sync syncp;
};

struct vw_net {
	struct net *net;
	struct list_head socks;		/* struct vw_sock, RTNL */
	struct list_head devs;		/* struct vw_dev, RTNL */
	struct rhltable ids;		/* bound vw_devs by id, RCU readers */
	struct vw_counters __percpu *counters;	/* not tied to an endpoint */
	u32 gen;			/* bumped on each change, for dumps */
};

/* The flow cache's key (flowcache.c): what an outer route depends on. */
struct vw_flow_key {
	u64 gen;		/* the config's generation << 1, | 1: relay */
	u32 mark;
	__be16 sport;
	u8 tos;			/* as the route lookup takes it */
};

union vw_flow_saddr {
	__be32 in4;
	struct in6_addr in6;
};

struct vw_flows {
	struct vw_flow * __percpu *table;	/* NULL: no cache */
	unsigned int mask;			/* entries per CPU - 1 */
};

struct vw_sock {
	struct list_head list;
	struct vw_net *vn;
	struct socket *sock4;
	struct socket *sock6;		/* NULL when IPv6 is disabled */
	__be16 port;
	unsigned int refs;		/* RTNL */
	/*
	 * Configs in the VXLAN format, RTNL: while there are any, the port
	 * is registered with the namespace's NICs as a VXLAN port.
	 */
	unsigned int vxlan_refs;
	struct vw_flows flows;		/* the outer routes of its flows */
	struct rcu_head rcu;
};

/*
 * Everything an endpoint is told: filled from netlink on top of a base,
 * checked as a whole, then built into a struct vw_config.
 */
struct vw_params {
	u32 id;
	bool has_id;
	u8 format;			/* enum vw_format */
	u8 wire;			/* enum vw_wire */
	u8 df;				/* enum vw_df */
	u16 port;			/* 0: the format's default */
	u16 ttl;			/* 1-255, VW_TTL_AUTO or VW_TTL_INHERIT */
	u16 tos;			/* 0-255 or VW_TOS_INHERIT */
	u16 srcport_min;
	u16 srcport_max;
	bool csum;			/* UDP checksum over IPv4 */
	bool zero_csum6_tx;		/* send zero checksums over IPv6 */
	bool zero_csum6_rx;		/* accept zero checksums over IPv6 */
	union vw_addr remote;		/* UDP wire */
	union vw_addr local;		/* sa_family AF_UNSPEC: route's choice */
	struct vw_dev *peer;		/* local wire; RTNL while parsing */
	/*
	 * Migration (UDP wire).  @standby is a request, not kept: the state
	 * a new binding starts in (the state itself is the endpoint's, see
	 * struct vw_hold).
	 */
	bool standby;
	u8 naccept;
	struct vw_prefix accept[VW_ACCEPT_MAX];
	bool roam;
	u32 roam_holddown;		/* ms */
	union vw_addr relay;		/* sa_family AF_UNSPEC: no relay */
	u32 hold;			/* standby queue: frames */
	u32 hold_time;			/* standby queue: ms */
	u8 nvm_mac;
	u8 vm_mac[VW_VM_MAC_MAX][ETH_ALEN];
	/*
	 * Service level (Documentation/sla.rst; rate.c enforces rate_max).
	 * Rates in bytes per second; rate_max VW_RATE_UNLIMITED for none.
	 * priority, mark: 0 leaves the outer skb's as the stack sets them.
	 */
	u64 rate_min;
	u64 rate_max;
	u32 rate_burst;			/* bytes */
	u32 priority;
	u32 mark;
};

struct vw_config {
	struct vw_params p;
	__be16 dport;			/* UDP wire: the port in use */
	struct vw_sock *vs;		/* UDP wire: its socket */
	/*
	 * Local wire: the peer endpoint, or NULL once it is gone.  Cleared
	 * in place (the one mutable field) by the peer's ndo_uninit, which
	 * the core follows with synchronize_net() before freeing the peer.
	 */
	struct vw_dev __rcu *peer;
	/*
	 * Unique for the module's life (RTNL): the flow cache's entries of
	 * one config are never another's, even at the same address.
	 */
	u64 gen;
	u64 rate_mult;			/* ns a byte << 32; 0: no maximum */
	u64 rate_tau;			/* ns: the burst at the maximum */
	u32 rate_overhead;		/* bytes a frame takes on the wire more */
	/*
	 * rate.c's account, the config's other mutable field: a config is
	 * a rule and its account, so a frame still on the old one after a
	 * set charges the old account, never the new.
	 */
	atomic64_t rate_tat;
	struct rcu_head rcu;
};

/* Where a standby endpoint is (struct vw_hold). */
enum {
	VW_HOLD_ACTIVE,			/* delivers what it receives */
	VW_HOLD_STANDBY,		/* holds it, sends nothing */
	VW_HOLD_DRAINING,		/* activated: delivers what it held */
};

/*
 * Standby: frames received are held until the VM sends its first frame
 * (see standby.c).  The queue's own lock also guards @state and @bytes:
 * the receive path reads @state without it first, and only the frames of
 * an endpoint that is not active take it.
 */
struct vw_hold {
	struct sk_buff_head queue;
	u8 state;			/* VW_HOLD_* */
	unsigned int bytes;		/* truesize of what is queued */
	struct timer_list expiry;	/* drops what waited too long */
};

struct vw_dev {
	struct net_device *dev;
	struct vw_net *vn;
	struct list_head list;		/* in vn->devs */
	struct rhlist_head node;	/* in vn->ids while bound */
	u32 id;
	bool bound;
	struct vw_config __rcu *cfg;	/* NULL while unbound */
	unsigned int peered_by;		/* configs whose peer this is, RTNL */
	struct vw_counters __percpu *counters;
	struct gro_cells gro_cells;
	struct vw_hold hold;
	/*
	 * Roaming (roam.c): the datapath records a new remote under
	 * @roam_lock and leaves the re-point, which needs RTNL, to @work;
	 * @roam_after (jiffies) ends the hold-down of the last roam.
	 */
	spinlock_t roam_lock;
	union vw_addr roam_to;		/* AF_UNSPEC: none pending */
	unsigned long roam_after;
	unsigned long work_pending;	/* VW_WORK_* bits */
	struct work_struct work;
};

/* What vw_dev_work() has to do, in vw_dev.work_pending. */
enum {
	VW_WORK_ROAM,			/* re-point to roam_to */
	VW_WORK_NOTIFY,			/* announce a change of state */
	VW_WORK_DRAIN,			/* deliver what standby held */
};

/* Attribute numbers of one netlink surface (generic netlink or rtnl). */
struct vw_attr_map {
	int id;
	int format;
	int wire;
	int port;
	int remote4;
	int remote6;
	int local4;
	int local6;
	int peer_ifindex;
	int peer_ifname;
	int ttl;
	int tos;
	int df;
	int srcport_min;
	int srcport_max;
	int csum;
	int zero_csum6_tx;
	int zero_csum6_rx;
	int standby;
	int accept;
	int roam;
	int roam_holddown;
	int relay4;
	int relay6;
	int hold;
	int hold_time;
	int vm_mac;
	int rate_min;
	int rate_max;
	int rate_burst;
	int priority;
	int mark;
};

/*
 * The format, connector ID and relay mark of an encapsulation header, or
 * false when a bit that the format says must be zero is set.  VXLAN (RFC
 * 7348): the I flag alone, reserved fields zero.  vw: magic "VW", version
 * 1, flags zero.  Both: the relay mark besides.
 */
static inline bool vw_hdr_parse(const struct vw_hdr *h, u8 *format, u32 *id,
				bool *relayed)
{
	__be32 flags = h->flags & ~VW_FLAG_RELAYED;

	*relayed = h->flags & VW_FLAG_RELAYED;
	if (flags == VW_VXLAN_FLAG_I && !(h->id & htonl(0xff))) {
		*format = VW_FORMAT_VXLAN;
		*id = ntohl(h->id) >> 8;
		return true;
	}
	if (flags == VW_NATIVE_WORD0) {
		*format = VW_FORMAT_VW;
		*id = ntohl(h->id);
		return true;
	}
	return false;
}

static inline bool vw_stat_is_drop(int i)
{
	return (i >= VW_STATS_DROP_UNKNOWN_ID &&
		i <= VW_STATS_DROP_PEER_DOWN) ||
	       (i >= VW_STATS_DROP_HOLD_FULL &&
		i <= VW_STATS_DROP_RATE);
}

/* main.c */
extern unsigned int vw_net_id;
extern struct workqueue_struct *vw_wq;
struct vw_net *vw_net(struct net *net);
struct vw_counters __percpu *vw_counters_alloc(void);
void vw_count(struct vw_counters __percpu *c, enum vw_stats which);
void vw_counters_read(struct vw_counters __percpu *c, u64 *out);

/* config.c */
bool vw_addr_unicast(const union vw_addr *addr);
bool vw_addr_equal(const union vw_addr *a, const union vw_addr *b);
void vw_params_init(struct vw_params *p);
int vw_params_parse(struct vw_net *vn, struct nlattr **tb,
		    const struct vw_attr_map *m, struct vw_params *p,
		    const struct vw_dev *self, struct netlink_ext_ack *extack);
struct vw_config *vw_config_create(struct vw_net *vn, const struct vw_params *p,
				   struct netlink_ext_ack *extack);
void vw_config_release(struct vw_config *cfg);
unsigned int vw_config_default_mtu(struct vw_net *vn,
				   const struct vw_config *cfg,
				   const struct net_device *dev);
int vw_config_fill(struct sk_buff *skb, const struct vw_config *cfg,
		   const struct vw_attr_map *map);
size_t vw_config_nlsize(void);

/* device.c */
extern struct rtnl_link_ops vw_link_ops;
struct vw_config *vw_dev_lookup_rcu(struct vw_sock *vs, u32 id, u8 format,
				    struct vw_dev **vwdp);
struct vw_dev *vw_dev_find(struct vw_net *vn, u32 id, bool udp_only,
			   const struct vw_dev *except, int *count);
struct vw_dev *vw_dev_from_netdev(struct net_device *dev);
struct net_device *vw_dev_create(struct net *net, const char *name,
				 const struct vw_params *p,
				 struct netlink_ext_ack *extack);
int vw_dev_bind(struct vw_dev *vwd, const struct vw_params *p,
		struct netlink_ext_ack *extack);
int vw_dev_change(struct vw_dev *vwd, const struct vw_params *p, bool announce,
		  struct netlink_ext_ack *extack);
void vw_dev_counters(const struct vw_dev *vwd, u64 *c);
int vw_dev_fill(struct sk_buff *skb, const struct vw_dev *vwd,
		const struct vw_attr_map *map);
void vw_dev_schedule(struct vw_dev *vwd, int what);
int vw_dev_init_net(struct vw_net *vn);
void vw_dev_exit_net(struct vw_net *vn, struct list_head *kill);
void vw_dev_destroy_net(struct vw_net *vn);

/* socket.c */
struct vw_sock *vw_sock_get(struct vw_net *vn, __be16 port, u8 format,
			    struct netlink_ext_ack *extack);
void vw_sock_put(struct vw_sock *vs, u8 format);
int vw_sock_notifier_register(void);
void vw_sock_notifier_unregister(void);

/* flowcache.c */
int vw_flows_init(struct vw_flows *ft);
void vw_flows_destroy(struct vw_flows *ft);
struct dst_entry *vw_flow_get(struct vw_flows *ft,
			      const struct vw_flow_key *key,
			      union vw_flow_saddr *saddr);
bool vw_flow_set(struct vw_flows *ft, const struct vw_flow_key *key,
		 struct dst_entry *dst, u32 cookie,
		 const union vw_flow_saddr *saddr);

/* rx.c */
void vw_rx_deliver(struct vw_dev *vwd, struct sk_buff *skb);
void vw_rx_deliver_now(struct vw_dev *vwd, struct sk_buff *skb);
int vw_udp_encap_recv(struct sock *sk, struct sk_buff *skb);
int vw_udp_encap_err_lookup(struct sock *sk, struct sk_buff *skb);

/* gro.c */
struct sk_buff *vw_gro_receive(struct sock *sk, struct list_head *head,
			       struct sk_buff *skb);
int vw_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff);

/* tx.c */
netdev_tx_t vw_xmit(struct sk_buff *skb, struct net_device *dev);
void vw_xmit_relay(struct sk_buff *skb, struct vw_dev *vwd,
		   struct vw_config *cfg);

/* rate.c */
void vw_rate_init(struct vw_config *cfg);
bool __vw_rate_admit(struct vw_config *cfg, struct sk_buff *skb);

/* Whether @skb may leave under @cfg's maximum rate (none: always). */
static inline bool vw_rate_admit(struct vw_config *cfg, struct sk_buff *skb)
{
	return !cfg->rate_mult || __vw_rate_admit(cfg, skb);
}

/* standby.c */
void vw_hold_init(struct vw_dev *vwd);
void vw_hold_destroy(struct vw_dev *vwd);
bool vw_hold_rx(struct vw_dev *vwd, const struct vw_config *cfg,
		struct sk_buff *skb);
bool vw_hold_tx(struct vw_dev *vwd, const struct vw_config *cfg,
		struct sk_buff *skb);
void vw_hold_set(struct vw_dev *vwd, bool standby);
void vw_hold_drain(struct vw_dev *vwd);
static inline bool vw_hold_active(const struct vw_dev *vwd)
{
	return READ_ONCE(vwd->hold.state) == VW_HOLD_ACTIVE;
}

static inline bool vw_hold_standby(const struct vw_dev *vwd)
{
	return READ_ONCE(vwd->hold.state) == VW_HOLD_STANDBY;
}

static inline bool vw_hold_draining(const struct vw_dev *vwd)
{
	return READ_ONCE(vwd->hold.state) == VW_HOLD_DRAINING;
}

/* roam.c */
bool vw_source_accepted(const struct vw_config *cfg,
			const union vw_addr *saddr);
void vw_roam(struct vw_dev *vwd, const struct vw_config *cfg,
	     const union vw_addr *saddr);
void vw_roam_apply(struct vw_dev *vwd);

/* proc.c */
int vw_proc_init_net(struct vw_net *vn);
void vw_proc_exit_net(struct vw_net *vn);

/* netlink.c */
void vw_nl_notify(const struct vw_dev *vwd, u8 cmd);
int vw_ctl_parse(u8 cmd, struct nlattr **tb, const struct nlattr *head,
		 int len, struct netlink_ext_ack *extack);
int vw_ctl_add(struct net *net, struct nlattr **tb,
	       struct netlink_ext_ack *extack);
int vw_ctl_set(struct net *net, struct nlattr **tb,
	       struct netlink_ext_ack *extack);
int vw_ctl_del(struct net *net, struct nlattr **tb,
	       struct netlink_ext_ack *extack);
int vw_genl_init(void);
void vw_genl_exit(void);

#endif /* _VW_VIRTUALWIRE_H */
