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
 *    old or the new config, never a mix.  The old one (and its route cache
 *    and socket reference) goes away after a grace period.
 */
#ifndef _VW_VIRTUALWIRE_H
#define _VW_VIRTUALWIRE_H

#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <linux/in6.h>
#include <net/dst_cache.h>
#include <net/gro_cells.h>
#include <uapi/linux/virtualwire.h>

#define VW_KIND "virtualwire"

/* The 8-byte header that follows the outer UDP header. */
struct vw_hdr {
	__be32 flags;
	__be32 id;
};

#define VW_VXLAN_FLAG_I		htonl(0x08000000)	/* VNI present */
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

/* Per-CPU counters of the VW_STATS_DROP_* reasons. */
struct vw_drops {
	u64_stats_t count[VW_STATS_MAX + 1];
	struct u64_stats_sync syncp;
};

struct vw_net {
	struct net *net;
	struct list_head socks;		/* struct vw_sock, RTNL */
	struct list_head devs;		/* struct vw_dev, RTNL */
	struct rhashtable ids;		/* struct vw_dev by id, RCU readers */
	struct vw_drops __percpu *drops;	/* not tied to an endpoint */
	u32 gen;			/* bumped on each change, for dumps */
};

struct vw_sock {
	struct list_head list;
	struct vw_net *vn;
	struct socket *sock4;
	struct socket *sock6;		/* NULL when IPv6 is disabled */
	__be16 port;
	unsigned int refs;		/* RTNL */
	struct rcu_head rcu;
};

/* What an endpoint is told: filled from netlink, checked, then applied. */
struct vw_params {
	u32 id;
	bool has_id;
	u8 format;
	u16 port;			/* 0: the format's default */
	union vw_addr remote;		/* sa_family AF_UNSPEC: unset */
	union vw_addr local;
};

struct vw_config {
	union vw_addr remote;
	union vw_addr local;		/* sa_family AF_UNSPEC: any */
	__be16 port;
	u8 format;
	struct vw_sock *vs;
	struct dst_cache dst_cache;	/* per-CPU outer route cache */
	struct rcu_head rcu;
};

struct vw_dev {
	struct net_device *dev;
	struct vw_net *vn;
	struct list_head list;		/* in vn->devs */
	struct rhash_head node;		/* in vn->ids while bound */
	u32 id;
	bool bound;
	struct vw_config __rcu *cfg;	/* NULL while unbound */
	struct vw_drops __percpu *drops;
	struct gro_cells gro_cells;
};

/* Attribute numbers of one netlink surface (generic netlink or rtnl). */
struct vw_attr_map {
	int id;
	int format;
	int port;
	int remote4;
	int remote6;
	int local4;
	int local6;
};

/* main.c */
extern unsigned int vw_net_id;
struct vw_net *vw_net(struct net *net);
struct vw_drops __percpu *vw_drops_alloc(void);
void vw_drop_count(struct vw_drops __percpu *drops, enum vw_stats reason);
void vw_drops_read(struct vw_drops __percpu *drops, u64 *out);

/* config.c */
int vw_params_parse(struct nlattr **tb, const struct vw_attr_map *map,
		    struct vw_params *p, struct netlink_ext_ack *extack);
struct vw_config *vw_config_create(struct vw_net *vn, const struct vw_params *p,
				   struct netlink_ext_ack *extack);
void vw_config_release(struct vw_config *cfg);
unsigned int vw_config_default_mtu(const struct vw_config *cfg);
int vw_config_fill(struct sk_buff *skb, const struct vw_config *cfg,
		   const struct vw_attr_map *map);
size_t vw_config_nlsize(void);

/* device.c */
extern struct rtnl_link_ops vw_link_ops;
struct vw_dev *vw_dev_lookup_rcu(struct vw_net *vn, u32 id);
struct vw_dev *vw_dev_find(struct vw_net *vn, u32 id);
int vw_dev_fill(struct sk_buff *skb, const struct vw_dev *vwd,
		const struct vw_attr_map *map);
struct vw_dev *vw_dev_from_netdev(struct net_device *dev);
struct net_device *vw_dev_create(struct net *net, const char *name,
				 const struct vw_params *p,
				 struct netlink_ext_ack *extack);
int vw_dev_bind(struct vw_dev *vwd, const struct vw_params *p,
		struct netlink_ext_ack *extack);
int vw_dev_init_net(struct vw_net *vn);
void vw_dev_exit_net(struct vw_net *vn, struct list_head *kill);
void vw_dev_destroy_net(struct vw_net *vn);

/* socket.c */
struct vw_sock *vw_sock_get(struct vw_net *vn, __be16 port,
			    struct netlink_ext_ack *extack);
void vw_sock_put(struct vw_sock *vs);

/* rx.c */
int vw_udp_encap_recv(struct sock *sk, struct sk_buff *skb);

/* tx.c */
netdev_tx_t vw_xmit(struct sk_buff *skb, struct net_device *dev);

/* netlink.c */
void vw_nl_notify(const struct vw_dev *vwd, u8 cmd);
int vw_genl_init(void);
void vw_genl_exit(void);

#endif /* _VW_VIRTUALWIRE_H */
