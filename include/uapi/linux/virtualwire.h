/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * VirtualWire: point-to-point layer-2 wires ("connectors") over UDP.
 *
 * Generic netlink family "virtualwire" (VW_GENL_NAME), version 1.
 * The family is per network namespace: every command acts on the
 * namespace of the requesting socket.  Commands that change state need
 * CAP_NET_ADMIN in the user namespace owning that network namespace.
 *
 * An endpoint is a net_device of kind "virtualwire" bound to one 32-bit
 * connector ID, unique within its network namespace.  Frames sent into the
 * device are encapsulated in UDP to the remote address; frames arriving for
 * the ID are decapsulated and delivered by the device.
 *
 * Command and attribute tree
 * --------------------------
 *
 * VW_CMD_ADD (do; CAP_NET_ADMIN): create an endpoint.  If VW_A_IFNAME names
 *   an existing virtualwire device that has no ID yet (made by
 *   "ip link add NAME type virtualwire"), that device is bound instead.
 *     VW_A_ID          u32, required: the connector ID.  The vxlan format
 *                      carries 24 bits, so the ID must be below 2^24 there.
 *     VW_A_IFNAME      string, optional: device name (default "vw%d").
 *     VW_A_REMOTE4     4 bytes, network order \  exactly one of the two,
 *     VW_A_REMOTE6     16 bytes               /  required: the remote end.
 *     VW_A_LOCAL4      4 bytes, optional: outer source address; same
 *     VW_A_LOCAL6      16 bytes, optional   / family as the remote.
 *     VW_A_PORT        u16 (host order), optional: UDP port used both to
 *                      send to the remote and to receive on; default is
 *                      the format's port (4789 for vxlan).
 *     VW_A_FORMAT      u8, optional: enum vw_format (default vxlan).
 *   Reply: none (the ack).  The new endpoint is announced on the "events"
 *   multicast group with VW_CMD_NEW.
 *
 * VW_CMD_DEL (do; CAP_NET_ADMIN): delete an endpoint, named by exactly one
 *     of VW_A_ID, VW_A_IFINDEX or VW_A_IFNAME.
 *
 * VW_CMD_GET (do, dump): read endpoints.
 *   do: the endpoint named by VW_A_ID, VW_A_IFINDEX or VW_A_IFNAME.
 *   dump: every endpoint of the namespace, one message each.
 *   Each reply carries:
 *     VW_A_ID, VW_A_IFINDEX, VW_A_IFNAME, VW_A_FORMAT, VW_A_PORT,
 *     VW_A_REMOTE4 or VW_A_REMOTE6, VW_A_LOCAL4 or VW_A_LOCAL6 (if set),
 *     VW_A_STATS       nest of VW_STATS_* (u64 each): this endpoint's
 *                      traffic and its drops by reason.
 *
 * VW_CMD_GET_NS (do): counters of the namespace that belong to no
 *     endpoint, such as packets for an unknown connector ID.
 *   Reply: VW_A_STATS, a nest of VW_STATS_* (u64 each).
 *
 * Rejected requests carry an extended ack message naming the offending
 * attribute.
 */
#ifndef _UAPI_LINUX_VIRTUALWIRE_H
#define _UAPI_LINUX_VIRTUALWIRE_H

#define VW_GENL_NAME		"virtualwire"
#define VW_GENL_VERSION		1
#define VW_MCGRP_EVENTS		"events"

/* Wire format of an endpoint (VW_A_FORMAT). */
enum vw_format {
	VW_FORMAT_VXLAN,	/* RFC 7348; 24-bit ID in the VNI field */
	__VW_FORMAT_MAX
};

#define VW_FORMAT_MAX (__VW_FORMAT_MAX - 1)

#define VW_VXLAN_PORT		4789
#define VW_VXLAN_ID_MAX		0xffffff

enum vw_cmd {
	VW_CMD_UNSPEC,
	VW_CMD_ADD,
	VW_CMD_DEL,
	VW_CMD_GET,
	VW_CMD_GET_NS,
	VW_CMD_NEW,		/* event: an endpoint was added */
	VW_CMD_REMOVED,		/* event: an endpoint was deleted */
	__VW_CMD_MAX
};

#define VW_CMD_MAX (__VW_CMD_MAX - 1)

enum vw_attr {
	VW_A_UNSPEC,
	VW_A_PAD,
	VW_A_ID,		/* u32 */
	VW_A_IFINDEX,		/* u32 */
	VW_A_IFNAME,		/* string, < IFNAMSIZ */
	VW_A_FORMAT,		/* u8, enum vw_format */
	VW_A_REMOTE4,		/* struct in_addr */
	VW_A_REMOTE6,		/* struct in6_addr */
	VW_A_LOCAL4,		/* struct in_addr */
	VW_A_LOCAL6,		/* struct in6_addr */
	VW_A_PORT,		/* u16, host order */
	VW_A_STATS,		/* nest, VW_STATS_* */
	__VW_A_MAX
};

#define VW_A_MAX (__VW_A_MAX - 1)

/*
 * Counters (u64 each, inside VW_A_STATS).  Traffic counters are those of
 * the endpoint; VW_STATS_DROP_* count frames dropped for one reason each.
 * A counter that does not apply to the object reported is left out.
 */
enum vw_stats {
	VW_STATS_UNSPEC,
	VW_STATS_PAD,
	VW_STATS_RX_PACKETS,
	VW_STATS_RX_BYTES,
	VW_STATS_TX_PACKETS,
	VW_STATS_TX_BYTES,
	VW_STATS_DROP_UNKNOWN_ID,	/* rx: no endpoint has this ID */
	VW_STATS_DROP_BAD_HEADER,	/* rx: malformed or reserved bits set */
	VW_STATS_DROP_SHORT,		/* rx: shorter than the headers */
	VW_STATS_DROP_NO_ROUTE,		/* tx: no route to the remote */
	VW_STATS_DROP_LOOP,		/* tx: route points back at the device */
	VW_STATS_DROP_NOMEM,		/* rx/tx: allocation failed */
	VW_STATS_DROP_XMIT,		/* tx: the underlay refused the packet */
	VW_STATS_DROP_UNBOUND,		/* tx: the endpoint has no ID or remote */
	VW_STATS_DROP_DOWN,		/* rx: the endpoint is administratively down */
	__VW_STATS_MAX
};

#define VW_STATS_MAX (__VW_STATS_MAX - 1)

/* rtnetlink: IFLA_INFO_DATA of kind "virtualwire" (for ip link). */
enum {
	IFLA_VW_UNSPEC,
	IFLA_VW_ID,		/* u32 */
	IFLA_VW_FORMAT,		/* u8 */
	IFLA_VW_REMOTE4,	/* struct in_addr */
	IFLA_VW_REMOTE6,	/* struct in6_addr */
	IFLA_VW_LOCAL4,		/* struct in_addr */
	IFLA_VW_LOCAL6,		/* struct in6_addr */
	IFLA_VW_PORT,		/* u16, host order */
	__IFLA_VW_MAX
};

#define IFLA_VW_MAX (__IFLA_VW_MAX - 1)

#endif /* _UAPI_LINUX_VIRTUALWIRE_H */
