// SPDX-License-Identifier: GPL-2.0
/*
 * VirtualWire: point-to-point layer-2 wires over UDP.
 *
 * Module entry and per-namespace state.  Everything a namespace owns (its
 * endpoints, their sockets, the ID table) hangs off struct vw_net.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "virtualwire.h"

unsigned int vw_net_id __read_mostly;
/* The endpoints' work items (vw_dev_schedule()). */
struct workqueue_struct *vw_wq __read_mostly;

struct vw_net *vw_net(struct net *net)
{
	return net_generic(net, vw_net_id);
}

struct vw_counters __percpu *vw_counters_alloc(void)
{
	struct vw_counters __percpu *c;
	int cpu;

	c = alloc_percpu(struct vw_counters);
	if (!c)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(c, cpu)->syncp);
	return c;
}

/* Called from the datapath with BHs off, or from process context. */
void vw_count(struct vw_counters __percpu *c, enum vw_stats which)
{
	struct vw_counters *this = get_cpu_ptr(c);

	u64_stats_update_begin(&this->syncp);
	u64_stats_inc(&this->count[which]);
	u64_stats_update_end(&this->syncp);
	put_cpu_ptr(c);
}

/* Sum every CPU's counters into out[VW_STATS_MAX + 1]. */
void vw_counters_read(struct vw_counters __percpu *c, u64 *out)
{
	unsigned int start, i;
	int cpu;

	memset(out, 0, sizeof(u64) * (VW_STATS_MAX + 1));
	for_each_possible_cpu(cpu) {
		const struct vw_counters *this = per_cpu_ptr(c, cpu);
		u64 tmp[VW_STATS_MAX + 1];

		do {
			start = u64_stats_fetch_begin(&this->syncp);
			for (i = 0; i <= VW_STATS_MAX; i++)
				tmp[i] = u64_stats_read(&this->count[i]);
		} while (u64_stats_fetch_retry(&this->syncp, start));
		for (i = 0; i <= VW_STATS_MAX; i++)
			out[i] += tmp[i];
	}
}

static int __net_init vw_init_net(struct net *net)
{
	struct vw_net *vn = vw_net(net);
	int err;

	vn->net = net;
	vn->gen = 1;
	INIT_LIST_HEAD(&vn->socks);
	INIT_LIST_HEAD(&vn->devs);
	vn->counters = vw_counters_alloc();
	if (!vn->counters)
		return -ENOMEM;
	err = vw_dev_init_net(vn);
	if (err)
		goto err_counters;
	err = vw_proc_init_net(vn);
	if (err)
		goto err_dev;
	return 0;

err_dev:
	vw_dev_destroy_net(vn);
err_counters:
	free_percpu(vn->counters);
	return err;
}

/*
 * The control file makes endpoints, and a write to it may be waiting for
 * RTNL while the namespace, or the module, goes away: it must be gone
 * before vw_exit_batch_net() unregisters the endpoints, or a write that
 * gets RTNL after that makes one which outlives its namespace (and the
 * module).  remove_proc_subtree() waits for the writes in progress and
 * refuses new ones.  The core calls every .exit of these ops before their
 * .exit_batch, on namespace cleanup and on unregister_pernet_device()
 * alike (6.1 and 6.12; pre_exit before both).  An open file holds a
 * reference to the namespace, so only a module unload can get here with
 * a writer still waiting; by then the genl family and the link ops are
 * gone (vw_exit()), so once this returns nothing makes an endpoint any
 * more.
 */
static void __net_exit vw_exit_net(struct net *net)
{
	vw_proc_exit_net(vw_net(net));
}

/*
 * Endpoints cannot leave their namespace (see vw_setup()), so a dying
 * namespace holds all of its endpoints: unregister them before the core
 * tears the devices down, so each releases its socket on the way; then
 * free the per-namespace state, once the devices are gone.
 */
static void __net_exit vw_exit_batch_net(struct list_head *net_list)
{
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		vw_dev_exit_net(vw_net(net), &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();

	list_for_each_entry(net, net_list, exit_list) {
		struct vw_net *vn = vw_net(net);

		WARN_ON_ONCE(!list_empty(&vn->devs));
		WARN_ON_ONCE(!list_empty(&vn->socks));
		vw_dev_destroy_net(vn);
		free_percpu(vn->counters);
	}
}

static struct pernet_operations vw_net_ops = {
	.init = vw_init_net,
	.exit = vw_exit_net,
	.exit_batch = vw_exit_batch_net,
	.id = &vw_net_id,
	.size = sizeof(struct vw_net),
};

static int __init vw_init(void)
{
	int err;

	vw_wq = alloc_workqueue("virtualwire", 0, 0);
	if (!vw_wq)
		return -ENOMEM;
	err = register_pernet_device(&vw_net_ops);
	if (err)
		goto err_wq;
	err = vw_sock_notifier_register();
	if (err)
		goto err_pernet;
	err = rtnl_link_register(&vw_link_ops);
	if (err)
		goto err_notifier;
	err = vw_genl_init();
	if (err)
		goto err_link;
	return 0;

err_link:
	rtnl_link_unregister(&vw_link_ops);
err_notifier:
	vw_sock_notifier_unregister();
err_pernet:
	unregister_pernet_device(&vw_net_ops);
err_wq:
	destroy_workqueue(vw_wq);
	return err;
}

static void __exit vw_exit(void)
{
	/*
	 * The family goes first so no request can make a device while the
	 * link ops remove them all (the endpoints removed after it announce
	 * nothing, see vw_genl_exit()); then wait for the configs each device
	 * left to call_rcu().  A device's work items ran before it was freed
	 * (they hold a reference); the workqueue goes once they returned.
	 */
	vw_genl_exit();
	rtnl_link_unregister(&vw_link_ops);
	vw_sock_notifier_unregister();
	unregister_pernet_device(&vw_net_ops);
	destroy_workqueue(vw_wq);
	rcu_barrier();
}

module_init(vw_init);
module_exit(vw_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VirtualWire: point-to-point layer-2 wires over UDP");
MODULE_AUTHOR("VirtualWire developers");
MODULE_ALIAS_RTNL_LINK(VW_KIND);
MODULE_ALIAS_GENL_FAMILY(VW_GENL_NAME);
