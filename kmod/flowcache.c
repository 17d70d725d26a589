// SPDX-License-Identifier: GPL-2.0
/*
 * The flow cache: the outer route of each flow, per CPU.
 *
 * Every inner flow leaves with an outer UDP source port of its own (tx.c,
 * vw_srcport()), so that a multipath route that hashes on ports
 * (fib_multipath_hash_policy 1, or 3 with the port fields) spreads flows
 * over a host's uplinks.  A cache of one route per
 * CPU, as a dst_cache is, would undo that: every flow a CPU sends would
 * follow the next hop its first flow drew.  This cache keeps a route per
 * flow instead, keyed by everything the lookup depends on beyond the
 * config: the destination (remote or relay), the source port, the mark and
 * the TOS.  A hit returns what a lookup would have.
 *
 * A table belongs to a UDP socket (struct vw_sock): per CPU, direct-mapped,
 * vw_flow_slots entries.  A CPU touches only its own table and only with
 * bottom halves disabled (ndo_start_xmit, the receive softirq), so there
 * is no lock; an entry holds a reference on its route.
 *
 * Lifetimes: an entry is valid while its route passes dst_check(), which
 * a routing change fails (the fib's generation, an IPv6 route's cookie).
 * A config's key carries its generation, unique for the module's life, so
 * a set or a re-point never meets its predecessor's entries; those linger
 * until a flow takes their slot or the table goes with its socket.  A
 * device going away detaches every route through it (dst_dev_put()), so
 * a lingering entry holds no device, only the route's own memory (and an
 * xfrm bundle's, on an IPsec underlay): at most the table's size.  The
 * socket goes after a grace period (udp_tunnel_sock_release()), when no
 * packet can read its table.
 */

#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <net/dst.h>

#include "virtualwire.h"

/* Entries per CPU and UDP port, read when a socket opens; 0: no cache. */
static unsigned int vw_flow_slots = 256;
module_param_named(flow_cache, vw_flow_slots, uint, 0644);
MODULE_PARM_DESC(flow_cache,
		 "flow cache entries per CPU and UDP port (power of 2, 0 = off, at most 4096; taken when a port opens)");

#define VW_FLOW_SLOTS_MAX	4096

struct vw_flow {
	struct dst_entry *dst;		/* held; NULL: empty */
	struct vw_flow_key key;
	u32 cookie;			/* for dst_check() */
	union vw_flow_saddr saddr;
};

int vw_flows_init(struct vw_flows *ft)
{
	unsigned int n = min(READ_ONCE(vw_flow_slots), VW_FLOW_SLOTS_MAX);
	int cpu;

	ft->table = NULL;
	if (!n)
		return 0;
	n = roundup_pow_of_two(n);
	ft->mask = n - 1;
	ft->table = alloc_percpu(struct vw_flow *);
	if (!ft->table)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct vw_flow *t = kvzalloc_node(array_size(n, sizeof(*t)),
						  GFP_KERNEL, cpu_to_node(cpu));

		if (!t) {
			vw_flows_destroy(ft);
			return -ENOMEM;
		}
		*per_cpu_ptr(ft->table, cpu) = t;
	}
	return 0;
}

/* No packet reads @ft any more (see the lifetimes above). */
void vw_flows_destroy(struct vw_flows *ft)
{
	unsigned int i;
	int cpu;

	if (!ft->table)
		return;
	for_each_possible_cpu(cpu) {
		struct vw_flow *t = *per_cpu_ptr(ft->table, cpu);

		for (i = 0; t && i <= ft->mask; i++)
			dst_release(t[i].dst);
		kvfree(t);
	}
	free_percpu(ft->table);
	ft->table = NULL;
}

static bool vw_flow_key_equal(const struct vw_flow_key *a,
			      const struct vw_flow_key *b)
{
	return a->gen == b->gen && a->mark == b->mark &&
	       a->sport == b->sport && a->tos == b->tos;
}

static struct vw_flow *vw_flow_slot(const struct vw_flows *ft,
				    const struct vw_flow_key *key)
{
	u32 h = jhash_3words((u32)key->gen, key->mark,
			     (__force u32)key->sport << 8 | key->tos,
			     (u32)(key->gen >> 32));

	return &this_cpu_read(*ft->table)[h & ft->mask];
}

/*
 * The route of @key's flow, with a reference for the caller, and the
 * source address it was looked up with; NULL on a miss.
 */
struct dst_entry *vw_flow_get(struct vw_flows *ft,
			      const struct vw_flow_key *key,
			      union vw_flow_saddr *saddr)
{
	struct dst_entry *dst;
	struct vw_flow *f;

	DEBUG_NET_WARN_ON_ONCE(!in_softirq());
	if (!ft->table)
		return NULL;
	f = vw_flow_slot(ft, key);
	dst = f->dst;
	if (!dst || !vw_flow_key_equal(&f->key, key))
		return NULL;
	if (unlikely(!dst_check(dst, f->cookie))) {
		f->dst = NULL;
		dst_release(dst);
		return NULL;
	}
	dst_hold(dst);
	*saddr = f->saddr;
	return dst;
}

/*
 * Remember @dst (the caller keeps its own reference) for @key's flow.
 * True when that replaced another flow's entry: of this config, of
 * another, or of a config replaced since (once per flow and CPU after a
 * set).
 */
bool vw_flow_set(struct vw_flows *ft, const struct vw_flow_key *key,
		 struct dst_entry *dst, u32 cookie,
		 const union vw_flow_saddr *saddr)
{
	struct vw_flow *f;
	bool evicted;

	DEBUG_NET_WARN_ON_ONCE(!in_softirq());
	if (!ft->table)
		return false;
	f = vw_flow_slot(ft, key);
	evicted = f->dst && !vw_flow_key_equal(&f->key, key);
	dst_release(f->dst);
	dst_hold(dst);
	f->dst = dst;
	f->key = *key;
	f->cookie = cookie;
	f->saddr = *saddr;
	return evicted;
}
