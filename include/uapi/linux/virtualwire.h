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
 * connector ID.  Its wire is either UDP (frames sent into the device are
 * encapsulated to the remote address; frames arriving for the ID from that
 * address are decapsulated and delivered by the device) or local (frames
 * sent into the device come out of its peer, another endpoint of the same
 * namespace, with no encapsulation).  Among the UDP-wire endpoints of a
 * namespace an ID is unique; the two ends of a local wire share it.
 *
 * A local wire goes one way: each end names the other as its peer.  The
 * peer must exist when named and be unbound or bound to the same ID (make
 * it first with "ip link add NAME type virtualwire" if needed), unless
 * VW_CMD_ADD or VW_CMD_REPLACE asks with VW_A_PEER_CREATE for both ends
 * to be made in one request, as "ip link add A type veth peer name B"
 * does.  When a
 * peer is deleted, the other end stays a local wire without a peer and
 * drops what is sent into it (VW_STATS_DROP_NO_PEER).  The ID limit of the
 * format applies to local wires too, so that one can later become a UDP
 * wire of that format.
 *
 * Command and attribute tree
 * --------------------------
 *
 * The endpoint configuration attributes ("CONFIG" below):
 *     VW_A_REMOTE4     4 bytes, network order \  the UDP wire's remote end;
 *     VW_A_REMOTE6     16 bytes               /  at most one of the two
 *     VW_A_PEER_IFINDEX u32    \  a local wire: the peer endpoint, at most
 *     VW_A_PEER_IFNAME  string /  one of the two; excludes VW_A_REMOTE*
 *     VW_A_LOCAL4      4 bytes \ outer source address, same family as the
 *     VW_A_LOCAL6      16 bytes / remote; all-zero of either family: unset
 *                               (the route's choice)
 *     VW_A_PORT        u16: UDP port to send to and to receive on; default
 *                      the format's port (4789 for vxlan, the module
 *                      parameter vw_port, 4798, for vw)
 *     VW_A_FORMAT      u8, enum vw_format (default vxlan)
 *     VW_A_TTL         u16: outer TTL/hop limit: 1-255, VW_TTL_AUTO (the
 *                      route's default) or VW_TTL_INHERIT (the inner one)
 *     VW_A_TOS         u16: outer TOS/traffic class: 0-255 with the two
 *                      ECN bits zero (ECN always comes from the inner
 *                      header, RFC 6040), or VW_TOS_INHERIT
 *     VW_A_DF          u8, enum vw_df: the outer IPv4 DF bit
 *     VW_A_SRCPORT_MIN u16 \ the range the outer UDP source port is taken
 *     VW_A_SRCPORT_MAX u16 / from by inner flow hash (default 49152-65535)
 *     VW_A_CSUM        u8 0/1: outer UDP checksum over IPv4 (default 1)
 *     VW_A_UDP6_ZERO_CSUM_TX u8 0/1: send zero UDP checksums over IPv6
 *                      (default 0: a checksum is always sent)
 *     VW_A_UDP6_ZERO_CSUM_RX u8 0/1: accept zero UDP checksums over IPv6
 *                      (default 0: such packets are dropped, RFC 6936)
 *
 *   Migration (UDP wires; see Documentation/migration.rst):
 *     VW_A_ACCEPT      nest of up to VW_ACCEPT_MAX VW_A_ACCEPT_PREFIX: the
 *                      sources accepted besides the remote; an empty nest
 *                      clears the list.  Frames from anywhere else are
 *                      dropped as VW_STATS_DROP_BAD_SOURCE.
 *       VW_A_ACCEPT_PREFIX nest:
 *         VW_PREFIX_A_ADDR4 4 bytes  \ one of the two, the host bits
 *         VW_PREFIX_A_ADDR6 16 bytes / zero
 *         VW_PREFIX_A_LEN   u8: 0-32 or 0-128
 *     VW_A_ROAM        u8 0/1 (default 0): a frame that passed every check
 *                      from an accepted source other than the remote makes
 *                      that source the remote, as VW_CMD_SET would
 *                      (VW_STATS_ROAMS, announced as VW_CMD_CHANGED)
 *     VW_A_ROAM_HOLDDOWN u32, ms (default 1000, 100-60000): after a
 *                      roam, frames from other accepted sources are
 *                      delivered but do not roam, so that a straggler
 *                      from the old remote does not move the wire back.
 *                      A wire roams only within the remote's address
 *                      family, and never to an address of its own host
 *     VW_A_RELAY4      4 bytes  \ relay: frames arriving from the remote
 *     VW_A_RELAY6      16 bytes / or an accepted source go on to this
 *                      address, encapsulated again with the same ID,
 *                      format and port and marked as relayed, instead of
 *                      being delivered; frames sent into the device are
 *                      dropped (VW_STATS_DROP_RELAYING).  Unicast, of the
 *                      remote's family, not the remote.  The unspecified
 *                      address of either family turns relaying off.
 *     VW_A_HOLD        u32, frames (default 1024, 1-65536) \ the standby
 *     VW_A_HOLD_TIME   u32, ms (default 2000, 1-60000)     / queue bounds
 *     VW_A_VM_MAC      binary, 1 to VW_VM_MAC_MAX MAC addresses of 6
 *                      bytes: the VM's; a frame sent into a standby
 *                      endpoint from one of them activates it.  Zero
 *                      length clears the list: an announce frame (RARP,
 *                      gratuitous ARP, unsolicited IPv6 neighbour
 *                      advertisement) activates it then.
 *
 *   Service level (see Documentation/sla.rst; configuration only so far:
 *   the module stores and reports these, and does not enforce them yet):
 *     VW_A_RATE_MIN    u64, bytes per second (default 0: no guarantee):
 *                      the rate the connector is guaranteed where wires
 *                      share an underlay device.  Not above VW_A_RATE_MAX.
 *     VW_A_RATE_MAX    u64, bytes per second (default VW_RATE_UNLIMITED):
 *                      the most the connector sends, on average.  From 1
 *                      to VW_RATE_LIMIT, or VW_RATE_UNLIMITED for none; 0
 *                      is refused (it would send nothing: set the device
 *                      down instead).  Bytes per second, as tc's 64-bit
 *                      rates; vwctl takes and shows tc's units.
 *     VW_A_RATE_BURST  u32, bytes, 1 to 2^32 - 1 (default
 *                      VW_RATE_BURST_DEFAULT): what may leave at once,
 *                      above VW_A_RATE_MAX, after an idle time.  Kept when
 *                      there is no maximum rate, for when one is set.
 *     VW_A_PRIORITY    u32 (default 0): the outer packets' skb->priority,
 *                      for the underlay's qdisc (an HTB class ID, as tc
 *                      writes 1:10, is 0x00010010).  0: left as the stack
 *                      sets it (the inner frame's).
 *     VW_A_MARK        u32 (default 0): the outer packets' skb->mark (fw
 *                      filters, nftables, policy routing).  0: left as
 *                      the stack sets it (the inner frame's).
 *   A change of any of them on a live wire is swapped in atomically, as
 *   every VW_CMD_SET is.
 *
 * VW_CMD_ADD (do; CAP_NET_ADMIN): create an endpoint.  If VW_A_IFNAME names
 *   an existing virtualwire device that has no ID yet (made by
 *   "ip link add NAME type virtualwire"), that device is bound instead.
 *     VW_A_ID          u32, required: the connector ID.  The vxlan format
 *                      carries 24 bits, so the ID must be below 2^24 there.
 *     VW_A_IFNAME      string, optional: device name (default "vw%d").
 *     VW_A_STANDBY     u8 0/1, optional: start in standby (a UDP wire):
 *                      frames received are held, in order, in a queue
 *                      bounded by VW_A_HOLD and VW_A_HOLD_TIME, and none
 *                      is sent, until the endpoint activates (VW_A_VM_MAC)
 *                      or VW_CMD_SET gives VW_A_STANDBY 0.  The frame
 *                      that activated it goes out at once; the held
 *                      frames are delivered, in order, right after, and
 *                      before any frame received later.
 *     CONFIG           a remote or a peer is required.
 *     VW_A_PEER_CREATE u8 0/1, optional (default 0): when VW_A_PEER_IFNAME
 *                      names no device, make that device too, as the
 *                      other end: bound to the same ID, with the same
 *                      configuration and this endpoint as its peer.  Both
 *                      ends are made in one RTNL section; if either is
 *                      refused, neither is left behind.  A peer that
 *                      exists is used as without the flag.
 *   Reply: none (the ack).  Announced on "events" as VW_CMD_NEW.
 *
 * VW_CMD_REPLACE (do; CAP_NET_ADMIN): create or update, for commands that
 *   must give the same result however often they run (hooks).  Takes the
 *   attributes of VW_CMD_ADD.  The endpoint is the device VW_A_IFNAME
 *   names, or without it the one endpoint holding VW_A_ID (ENOTUNIQ when
 *   both ends of a local wire hold it).  When there is none, or it is
 *   unbound, this is VW_CMD_ADD.  A bound one gets exactly the CONFIG
 *   given, on top of the defaults (not of its current configuration: what
 *   is not given goes back to its default), swapped in atomically as by
 *   VW_CMD_SET: same device, no frame lost, a refusal changes nothing.
 *   Its state (standby or active) changes only when VW_A_STANDBY is given:
 *   that is where a migration is, not configuration.  The ID never
 *   changes: a device bound to another ID is refused (EEXIST), and so is a
 *   UDP-wire ID that another device holds (EEXIST, as VW_CMD_ADD): the
 *   connector is not moved to the named device, since the device name is
 *   what bridges, VM definitions and firewall rules refer to, and a move
 *   could not be atomic.  Delete it first.  Announced as VW_CMD_NEW when
 *   made, VW_CMD_CHANGED when replaced.
 *
 * VW_CMD_SET (do; CAP_NET_ADMIN): change a bound endpoint, named by exactly
 *   one of VW_A_ID, VW_A_IFINDEX or VW_A_IFNAME, atomically: the attributes
 *   given replace those of the current configuration, the result is checked
 *   as a whole, and in-flight packets use the old or the new configuration,
 *   never a mix.  A remote makes the wire UDP, a peer makes it local.  A
 *   refused request changes nothing.  Announced as VW_CMD_CHANGED.
 *     CONFIG
 *     VW_A_STANDBY     u8 0/1: 0 activates a standby endpoint, 1 puts an
 *                      active UDP-wire endpoint in standby
 *
 * VW_CMD_DEL (do; CAP_NET_ADMIN): delete an endpoint, named by exactly one
 *     of VW_A_ID, VW_A_IFINDEX or VW_A_IFNAME.  A bound endpoint's removal
 *     is announced as VW_CMD_REMOVED; an unbound one (made by "ip link add
 *     ... type virtualwire" and never bound) was never announced, so its
 *     removal is not either.
 *
 * An ID names the endpoint only when exactly one endpoint holds it; the two
 * ends of a local wire are named by device.
 *
 * VW_CMD_GET (do, dump): read endpoints.
 *   do: the endpoint named by VW_A_ID, VW_A_IFINDEX or VW_A_IFNAME.
 *   dump: every endpoint of the namespace, one message each.
 *   Each reply carries VW_A_IFINDEX, VW_A_IFNAME and, once bound, VW_A_ID,
 *   VW_A_WIRE and the full CONFIG (every attribute, defaults included;
 *   VW_A_LOCAL* only when set; VW_A_PORT and VW_A_REMOTE* only for a UDP
 *   wire; VW_A_PEER_* only for a local wire whose peer exists; VW_A_ACCEPT,
 *   VW_A_RELAY* and VW_A_VM_MAC only when set), and:
 *     VW_A_STATE       u8, enum vw_state
 *     VW_A_STATS       nest of VW_STATS_* (u64 each): this endpoint's
 *                      traffic and its drops by reason.
 *
 * VW_CMD_GET_NS (do): counters of the namespace that belong to no
 *     endpoint, such as packets for an unknown connector ID.
 *   Reply: VW_A_STATS, a nest of VW_STATS_* (u64 each).
 *
 * VW_CMD_FLUSH (do; CAP_NET_ADMIN): delete many endpoints at once, in one
 *   batch (one RTNL section and one round of the core's synchronisation,
 *   as when the namespace goes away), instead of one VW_CMD_DEL each.
 *   With neither attribute: every endpoint of the namespace, unbound ones
 *   included.  With either: the bound endpoints whose ID is in the range
 *   (both ends of a local wire go together, as they share the ID; an
 *   unbound peer has no ID and stays).
 *     VW_A_ID_MIN      u32, optional: lowest ID (default 0)
 *     VW_A_ID_MAX      u32, optional: highest ID (default 2^32 - 1);
 *                      not below VW_A_ID_MIN
 *   Matching nothing is not an error.  Reply: none (the ack).  Each bound
 *   endpoint deleted is announced as VW_CMD_REMOVED, as by VW_CMD_DEL.
 *
 * Each command takes only the attributes listed for it above (GET_NS
 * none); any other is refused with EINVAL.  The errors a tool can act on:
 * EEXIST (the ID, device name or binding is taken already) and ENOENT or
 * ENODEV (no endpoint has that ID, no virtualwire device that name).
 *
 * Error messages
 * --------------
 *
 * A refused request carries an extended ack message in the words of vwctl,
 * never an attribute or command name.  When the refusal is about one
 * attribute, the ack points at it (NLMSGERR_ATTR_OFFS) and the message
 * gives the reason only: vwctl names the attribute by the keyword that
 * sets it, below.  A message with no attribute offset names what it is
 * about itself ("no connector ID given; add needs one").  On kernels from
 * 6.2 on a few messages carry values ("connector ID 42 is taken by vw3");
 * older ones say the same without them.
 *
 *   attribute                  vwctl word
 *   VW_A_ID                    ID (add ID, set ID, del ID, show ID)
 *   VW_A_IFINDEX, VW_A_IFNAME  dev NAME
 *   VW_A_REMOTE4/6             remote ADDR
 *   VW_A_PEER_IFINDEX/IFNAME   peer DEV
 *   VW_A_LOCAL4/6              local ADDR
 *   VW_A_PORT                  port
 *   VW_A_FORMAT                format
 *   VW_A_TTL, VW_A_TOS, VW_A_DF  ttl, tos, df
 *   VW_A_SRCPORT_MIN/MAX       srcport MIN MAX
 *   VW_A_CSUM                  csum
 *   VW_A_UDP6_ZERO_CSUM_TX/RX  udp6zerocsumtx, udp6zerocsumrx
 *   VW_A_STANDBY               standby (1), active (0)
 *   VW_A_ACCEPT, _PREFIX       accept PREFIX,...
 *   VW_A_ROAM                  roam
 *   VW_A_ROAM_HOLDDOWN         roam-holddown
 *   VW_A_RELAY4/6              relay
 *   VW_A_HOLD, VW_A_HOLD_TIME  hold, hold-time
 *   VW_A_VM_MAC                vm-mac
 *   VW_A_RATE_MIN/MAX          rate MIN MAX
 *   VW_A_RATE_BURST            burst
 *   VW_A_PRIORITY, VW_A_MARK   priority, mark
 *   VW_A_ID_MIN/MAX            flush id MIN-MAX
 *   VW_A_WIRE, VW_A_STATE      read-only: wire, state (show)
 *   VW_A_STATS                 read-only: the counters (stats)
 *
 *   command                    vwctl command
 *   VW_CMD_ADD, _SET, _DEL     add, set, del
 *   VW_CMD_GET                 show, stats
 *   VW_CMD_GET_NS              show, stats with no endpoint named
 *   VW_CMD_FLUSH               flush
 *   VW_CMD_NEW, _CHANGED, _REMOVED  monitor: new, changed, removed
 *
 * The IFLA_VW_* attributes below take the words of their VW_A_*
 * namesakes.
 */
#ifndef _UAPI_LINUX_VIRTUALWIRE_H
#define _UAPI_LINUX_VIRTUALWIRE_H

#define VW_GENL_NAME		"virtualwire"
#define VW_GENL_VERSION		1
#define VW_MCGRP_EVENTS		"events"

/* Wire format of an endpoint (VW_A_FORMAT). */
enum vw_format {
	VW_FORMAT_VXLAN,	/* RFC 7348; 24-bit ID in the VNI field */
	VW_FORMAT_VW,		/* VirtualWire native; full 32-bit ID */
	__VW_FORMAT_MAX
};

#define VW_FORMAT_MAX (__VW_FORMAT_MAX - 1)

#define VW_VXLAN_PORT		4789
#define VW_VXLAN_ID_MAX		0xffffff
#define VW_PORT			4798	/* default of the vw format */

/* Kind of wire (VW_A_WIRE). */
enum vw_wire {
	VW_WIRE_UDP,		/* encapsulated in UDP to a remote host */
	VW_WIRE_LOCAL,		/* handed to a peer endpoint on this host */
};

/* Outer IPv4 DF bit (VW_A_DF). */
enum vw_df {
	VW_DF_UNSET,		/* never set (default) */
	VW_DF_SET,		/* always set */
	VW_DF_INHERIT,		/* copied from an inner IPv4 header; set for IPv6 */
	__VW_DF_MAX
};

#define VW_DF_MAX (__VW_DF_MAX - 1)

#define VW_TTL_AUTO		0	/* VW_A_TTL: the route's default */
#define VW_TTL_INHERIT		256	/* VW_A_TTL: copied from the inner header */
#define VW_TOS_INHERIT		256	/* VW_A_TOS: copied from the inner header */

enum vw_cmd {
	VW_CMD_UNSPEC,
	VW_CMD_ADD,
	VW_CMD_DEL,
	VW_CMD_GET,
	VW_CMD_GET_NS,
	VW_CMD_NEW,		/* event: an endpoint was added */
	VW_CMD_REMOVED,		/* event: an endpoint was deleted */
	VW_CMD_SET,
	VW_CMD_CHANGED,		/* event: an endpoint was changed */
	VW_CMD_FLUSH,
	VW_CMD_REPLACE,
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
	VW_A_WIRE,		/* u8, enum vw_wire (read-only) */
	VW_A_PEER_IFINDEX,	/* u32 */
	VW_A_PEER_IFNAME,	/* string, < IFNAMSIZ */
	VW_A_TTL,		/* u16 */
	VW_A_TOS,		/* u16 */
	VW_A_DF,		/* u8, enum vw_df */
	VW_A_SRCPORT_MIN,	/* u16 */
	VW_A_SRCPORT_MAX,	/* u16 */
	VW_A_CSUM,		/* u8, 0 or 1 */
	VW_A_UDP6_ZERO_CSUM_TX,	/* u8, 0 or 1 */
	VW_A_UDP6_ZERO_CSUM_RX,	/* u8, 0 or 1 */
	VW_A_ID_MIN,		/* u32, VW_CMD_FLUSH only */
	VW_A_ID_MAX,		/* u32, VW_CMD_FLUSH only */
	VW_A_STANDBY,		/* u8, 0 or 1 */
	VW_A_STATE,		/* u8, enum vw_state (read-only) */
	VW_A_ACCEPT,		/* nest of VW_A_ACCEPT_PREFIX */
	VW_A_ACCEPT_PREFIX,	/* nest, VW_PREFIX_A_* (in VW_A_ACCEPT only) */
	VW_A_ROAM,		/* u8, 0 or 1 */
	VW_A_ROAM_HOLDDOWN,	/* u32, ms */
	VW_A_RELAY4,		/* struct in_addr */
	VW_A_RELAY6,		/* struct in6_addr */
	VW_A_HOLD,		/* u32, frames */
	VW_A_HOLD_TIME,		/* u32, ms */
	VW_A_VM_MAC,		/* binary, N * 6 bytes */
	VW_A_PEER_CREATE,	/* u8, 0 or 1: ADD and REPLACE only */
	VW_A_RATE_MIN,		/* u64, bytes per second */
	VW_A_RATE_MAX,		/* u64, bytes per second */
	VW_A_RATE_BURST,	/* u32, bytes */
	VW_A_PRIORITY,		/* u32, outer skb->priority */
	VW_A_MARK,		/* u32, outer skb->mark */
	__VW_A_MAX
};

#define VW_A_MAX (__VW_A_MAX - 1)

/* One accepted source prefix (VW_A_ACCEPT_PREFIX). */
enum {
	VW_PREFIX_A_UNSPEC,
	VW_PREFIX_A_ADDR4,	/* struct in_addr */
	VW_PREFIX_A_ADDR6,	/* struct in6_addr */
	VW_PREFIX_A_LEN,	/* u8 */
	__VW_PREFIX_A_MAX
};

#define VW_PREFIX_A_MAX (__VW_PREFIX_A_MAX - 1)

#define VW_ACCEPT_MAX		8	/* prefixes in VW_A_ACCEPT */
#define VW_VM_MAC_MAX		8	/* addresses in VW_A_VM_MAC */
#define VW_HOLD_DEFAULT		1024	/* VW_A_HOLD */
#define VW_HOLD_MAX		65536
#define VW_HOLD_TIME_DEFAULT	2000	/* VW_A_HOLD_TIME, ms */
#define VW_ROAM_HOLDDOWN_DEFAULT 1000	/* VW_A_ROAM_HOLDDOWN, ms */
#define VW_ROAM_HOLDDOWN_MIN	100
#define VW_TIME_MAX		60000	/* ms, the largest of both */

/*
 * Rates (VW_A_RATE_MIN, VW_A_RATE_MAX), bytes per second.  The largest,
 * 2^40 (8.8 Tbit/s, far beyond any underlay), keeps a limiter's
 * products within 64 bits: a rate times up to 2^23 ns (8 ms), and a burst
 * (32 bits) times 10^9.  VW_RATE_UNLIMITED, as a maximum, is no maximum
 * at all.
 */
#define VW_RATE_LIMIT		(1ULL << 40)
#define VW_RATE_UNLIMITED	(~0ULL)
#define VW_RATE_BURST_DEFAULT	65536	/* VW_A_RATE_BURST, bytes */

/* What an endpoint does with the frames it receives (VW_A_STATE). */
enum vw_state {
	VW_STATE_ACTIVE,	/* delivers them */
	VW_STATE_STANDBY,	/* holds them until activated */
	VW_STATE_RELAY,		/* sends them on to the relay address */
};

/*
 * Counters (u64 each, inside VW_A_STATS).  Traffic counters are those of
 * the endpoint; VW_STATS_DROP_* count frames dropped for one reason each;
 * VW_STATS_ROUTE_* count uses of the per-CPU flow cache of outer routes.
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
	VW_STATS_DROP_SHORT,		/* rx/tx: shorter than the headers */
	VW_STATS_DROP_NO_ROUTE,		/* tx: no route to the remote */
	VW_STATS_DROP_LOOP,		/* tx: route points back at the device */
	VW_STATS_DROP_NOMEM,		/* rx/tx: allocation failed */
	VW_STATS_DROP_XMIT,		/* tx: the underlay refused the packet */
	VW_STATS_DROP_UNBOUND,		/* tx: the endpoint has no ID or remote */
	VW_STATS_DROP_DOWN,		/* rx: the endpoint is administratively down */
	VW_STATS_DROP_BAD_SOURCE,	/* rx: not from the configured remote */
	VW_STATS_DROP_TOO_BIG,		/* tx: larger than the path MTU; ICMP sent */
	VW_STATS_DROP_ECN,		/* rx: CE on the outer, inner not ECN-capable */
	VW_STATS_DROP_ZERO_CSUM,	/* rx: zero UDP checksum over IPv6 refused */
	VW_STATS_DROP_NO_PEER,		/* tx: local wire whose peer is gone */
	VW_STATS_DROP_PEER_DOWN,	/* tx: local wire whose peer is down */
	VW_STATS_ROUTE_HIT,		/* tx: outer route from the flow cache */
	VW_STATS_ROUTE_MISS,		/* tx: outer route looked up */
	VW_STATS_HELD,			/* rx: queued while in standby */
	VW_STATS_ACTIVATIONS,		/* standby to active */
	VW_STATS_RELAYED,		/* rx: sent on to the relay address */
	VW_STATS_ROAMS,			/* rx: the remote moved to the source */
	VW_STATS_DROP_HOLD_FULL,	/* rx: standby queue full */
	VW_STATS_DROP_HOLD_EXPIRED,	/* rx: held longer than VW_A_HOLD_TIME */
	VW_STATS_DROP_STANDBY,		/* tx: not from the VM, while in standby */
	VW_STATS_DROP_RELAYING,		/* tx: sent into a relaying endpoint */
	VW_STATS_DROP_RELAY_LOOP,	/* rx: a relayed frame to a relaying one */
	VW_STATS_DROP_RATE,		/* tx: above VW_A_RATE_MAX, burst spent */
	VW_STATS_ROUTE_EVICT,		/* tx: a flow's route took another's entry */
	__VW_STATS_MAX
};

#define VW_STATS_MAX (__VW_STATS_MAX - 1)

/*
 * rtnetlink: IFLA_INFO_DATA of kind "virtualwire" (for ip link).  The basic
 * attributes only: the generic netlink family sets everything else.
 * Without IFLA_VW_ID the device is made unbound, and any other IFLA_VW_*
 * attribute is refused (EINVAL) rather than ignored.  Every attribute is
 * validated strictly: a wrong length is refused.
 */
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
