// SPDX-License-Identifier: GPL-2.0
/*
 * UDP tunnel sockets: one IPv4 and (when IPv6 is up) one IPv6 socket per
 * namespace and UDP port, shared by every endpoint whose config names that
 * port, with the flow cache of what they send (flowcache.c).  All changes
 * happen under RTNL; the receive path finds the struct vw_sock through the
 * socket's sk_user_data under RCU.
 *
 * A port that configs in the VXLAN format use is registered with the
 * namespace's NICs (udp_tunnel_nic), as vxlan registers its own, so that
 * NICs with VXLAN offloads (inner checksum, inner RSS, LRO) apply them to
 * it; a NIC that (re)starts asks for the ports again with
 * NETDEV_UDP_TUNNEL_PUSH_INFO.  NICs do not know the native format, so its
 * ports are not registered (Documentation/design.rst).
 */

#include <linux/net.h>
#include <linux/rtnetlink.h>
#include <net/ipv6.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "compat.h"
#include "virtualwire.h"

static struct socket *vw_sock_open(struct vw_sock *vs, int family)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = vs,
		.encap_type = 1,
		.encap_rcv = vw_udp_encap_recv,
		.encap_err_lookup = vw_udp_encap_err_lookup,
		.gro_receive = vw_gro_receive,
		.gro_complete = vw_gro_complete,
	};
	struct udp_port_cfg ucfg = {
		.family = family,
		.local_udp_port = vs->port,
		.use_udp_checksums = true,
	};
	struct socket *sock;
	int err;

	if (family == AF_INET6) {
		ucfg.ipv6_v6only = 1;
		ucfg.use_udp6_tx_checksums = true;
		/*
		 * Zero-checksum packets reach vw_udp_encap_recv(), which drops
		 * them unless their endpoint accepts them: the socket is shared,
		 * the choice is per endpoint.
		 */
		ucfg.use_udp6_rx_checksums = false;
	}
	err = udp_sock_create(vs->vn->net, &ucfg, &sock);
	if (err)
		return ERR_PTR(err);
	setup_udp_tunnel_sock(vs->vn->net, sock, &tcfg);
	return sock;
}

/*
 * udp_tunnel_sock_release() waits for a grace period, after which no
 * packet reads the flow cache.
 */
static void vw_sock_free(struct vw_sock *vs)
{
	if (vs->sock6)
		udp_tunnel_sock_release(vs->sock6);
	if (vs->sock4)
		udp_tunnel_sock_release(vs->sock4);
	vw_flows_destroy(&vs->flows);
	kfree_rcu(vs, rcu);
}

static struct vw_sock *vw_sock_create(struct vw_net *vn, __be16 port,
				      struct netlink_ext_ack *extack)
{
	struct vw_sock *vs;
	int err;

	vs = kzalloc(sizeof(*vs), GFP_KERNEL);
	if (!vs)
		return ERR_PTR(-ENOMEM);
	vs->vn = vn;
	vs->port = port;
	vs->refs = 1;
	err = vw_flows_init(&vs->flows);
	if (err) {
		kfree(vs);
		return ERR_PTR(err);
	}

	vs->sock4 = vw_sock_open(vs, AF_INET);
	if (IS_ERR(vs->sock4)) {
		err = PTR_ERR(vs->sock4);
		vs->sock4 = NULL;
		goto err;
	}
	if (IS_ENABLED(CONFIG_IPV6) && ipv6_mod_enabled()) {
		vs->sock6 = vw_sock_open(vs, AF_INET6);
		if (IS_ERR(vs->sock6)) {
			err = PTR_ERR(vs->sock6);
			vs->sock6 = NULL;
			goto err;
		}
	}
	list_add(&vs->list, &vn->socks);
	return vs;

err:
	/* The port may be the format's default: say which it is. */
	if (err == -EADDRINUSE)
		vw_compat_err_fmt(extack, NULL,
				  "the UDP port is already in use in this namespace",
				  "UDP port %u is already in use in this namespace",
				  ntohs(port));
	else
		vw_compat_err_fmt(extack, NULL, "cannot open the UDP socket",
				  "cannot open a UDP socket on port %u",
				  ntohs(port));
	vw_sock_free(vs);
	return ERR_PTR(err);
}

/* Register the port with @dev, or with every NIC of the namespace. */
static void vw_sock_offload(struct vw_sock *vs, struct net_device *dev,
			    bool add)
{
	struct socket *socks[] = { vs->sock4, vs->sock6 };
	int i;

	ASSERT_RTNL();
	for (i = 0; i < ARRAY_SIZE(socks); i++) {
		if (!socks[i])
			continue;
		if (dev && add)
			udp_tunnel_push_rx_port(dev, socks[i],
						UDP_TUNNEL_TYPE_VXLAN);
		else if (dev)
			udp_tunnel_drop_rx_port(dev, socks[i],
						UDP_TUNNEL_TYPE_VXLAN);
		else if (add)
			udp_tunnel_notify_add_rx_port(socks[i],
						      UDP_TUNNEL_TYPE_VXLAN);
		else
			udp_tunnel_notify_del_rx_port(socks[i],
						      UDP_TUNNEL_TYPE_VXLAN);
	}
}

/*
 * Take a reference on the namespace's socket for @port, opening it, for a
 * config in @format.
 */
struct vw_sock *vw_sock_get(struct vw_net *vn, __be16 port, u8 format,
			    struct netlink_ext_ack *extack)
{
	struct vw_sock *vs;

	ASSERT_RTNL();
	list_for_each_entry(vs, &vn->socks, list) {
		if (vs->port == port) {
			vs->refs++;
			goto found;
		}
	}
	vs = vw_sock_create(vn, port, extack);
	if (IS_ERR(vs))
		return vs;
found:
	if (format == VW_FORMAT_VXLAN && !vs->vxlan_refs++)
		vw_sock_offload(vs, NULL, true);
	return vs;
}

/*
 * Drop a config's reference.  Closing the sockets waits for a grace
 * period, so a packet that found @vs through a config read under RCU is
 * done with it.
 */
void vw_sock_put(struct vw_sock *vs, u8 format)
{
	ASSERT_RTNL();
	if (format == VW_FORMAT_VXLAN && !--vs->vxlan_refs)
		vw_sock_offload(vs, NULL, false);
	if (--vs->refs)
		return;
	list_del(&vs->list);
	vw_sock_free(vs);
}

/* A NIC asks for the VXLAN ports in use, or to forget them. */
static int vw_sock_netdev_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vw_net *vn;
	struct vw_sock *vs;

	if (event != NETDEV_UDP_TUNNEL_PUSH_INFO &&
	    event != NETDEV_UDP_TUNNEL_DROP_INFO)
		return NOTIFY_DONE;
	ASSERT_RTNL();
	/* A device of a namespace whose pernet init has not reached us. */
	vn = vw_net(dev_net(dev));
	if (!vn)
		return NOTIFY_DONE;
	list_for_each_entry(vs, &vn->socks, list) {
		if (vs->vxlan_refs)
			vw_sock_offload(vs, dev,
					event == NETDEV_UDP_TUNNEL_PUSH_INFO);
	}
	return NOTIFY_DONE;
}

static struct notifier_block vw_sock_notifier = {
	.notifier_call = vw_sock_netdev_event,
};

int vw_sock_notifier_register(void)
{
	return register_netdevice_notifier(&vw_sock_notifier);
}

void vw_sock_notifier_unregister(void)
{
	unregister_netdevice_notifier(&vw_sock_notifier);
}
