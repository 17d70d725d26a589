// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/virtualwire/ of each network namespace:
 *
 *   connectors  a header line, then one line per endpoint; its service
 *               level last (rates in bytes per second, see sla.rst);
 *   control     one command per write, in vwctl's words:
 *                 add ID [dev NAME] (remote ADDR | peer DEV) [OPTION...]
 *                 set (ID | dev NAME) [remote ADDR | peer DEV] [OPTION...]
 *                 del (ID | dev NAME)
 *               OPTION: local ADDR|any, port N, format vxlan|vw,
 *               ttl N|auto|inherit, tos N|inherit, df set|unset|inherit,
 *               srcport MIN MAX, csum on|off, udp6zerocsumtx on|off,
 *               udp6zerocsumrx on|off.
 *
 * A control command is translated into the generic netlink attributes of
 * the same request and runs through the same policy and the same code as
 * vwctl's, so the two interfaces cannot drift apart.  A command that does
 * not parse fails with -EINVAL and a ratelimited log line saying why; a
 * refused one with the errno and the extack message the netlink request
 * would get, the message preceded by the keyword of the word it is about
 * where the message points at one.  Either way nothing changes.
 */

#include <linux/capability.h>
#include <linux/inet.h>
#include <linux/proc_fs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/uidgid.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "virtualwire.h"

#define VW_PROC_DIR		"virtualwire"
#define VW_PROC_CMD_MAX		512	/* bytes in one control write */
#define VW_PROC_MAX_WORDS	40

static const char * const vw_format_names[] = {
	[VW_FORMAT_VXLAN] = "vxlan",
	[VW_FORMAT_VW] = "vw",
};

static void vw_proc_addr(struct seq_file *m, const union vw_addr *a)
{
	if (a->sa.sa_family == AF_INET)
		seq_printf(m, " %-39pI4", &a->sin.sin_addr);
	else if (a->sa.sa_family == AF_INET6)
		seq_printf(m, " %-39pI6c", &a->sin6.sin6_addr);
	else
		seq_printf(m, " %-39s", "any");
}

/*
 * The service level (Documentation/sla.rst): rates in bytes per second,
 * as the generic netlink attributes carry them, "unlimited" for no
 * maximum; priority and mark in hex, as tc and ip rule write them.
 */
static void vw_proc_sla(struct seq_file *m, const struct vw_config *cfg)
{
	const struct vw_params *p = cfg ? &cfg->p : NULL;
	char prio[12], mark[12];

	if (!p) {
		seq_printf(m, " %14s %14s %10s %10s %10s\n", "-", "-", "-", "-",
			   "-");
		return;
	}
	seq_printf(m, " %14llu", p->rate_min);
	if (p->rate_max == VW_RATE_UNLIMITED)
		seq_printf(m, " %14s", "unlimited");
	else
		seq_printf(m, " %14llu", p->rate_max);
	snprintf(prio, sizeof(prio), "0x%x", p->priority);
	snprintf(mark, sizeof(mark), "0x%x", p->mark);
	seq_printf(m, " %10u %10s %10s\n", p->rate_burst, prio, mark);
}

static int vw_proc_connectors_show(struct seq_file *m, void *v)
{
	struct vw_net *vn = vw_net(seq_file_single_net(m));
	u64 c[VW_STATS_MAX + 1];
	const struct vw_config *cfg;
	struct vw_dev *vwd;
	u64 dropped;
	int i;

	seq_printf(m, "%-10s %-15s %-5s %-6s %-39s %-39s %-5s %-8s %12s %12s %12s %14s %14s %10s %10s %10s\n",
		   "id", "dev", "wire", "format", "local", "remote", "port",
		   "state", "rx_packets", "tx_packets", "drops", "rate_min",
		   "rate_max", "burst", "priority", "mark");
	rtnl_lock();
	list_for_each_entry(vwd, &vn->devs, list) {
		cfg = rtnl_dereference(vwd->cfg);
		if (cfg)
			seq_printf(m, "%-10u", vwd->id);
		else
			seq_printf(m, "%-10s", "-");
		seq_printf(m, " %-15s", vwd->dev->name);
		if (!cfg) {
			seq_printf(m, " %-5s %-6s %-39s %-39s %-5s", "-", "-",
				   "-", "-", "-");
		} else if (cfg->p.wire == VW_WIRE_LOCAL) {
			const struct vw_dev *peer = rtnl_dereference(cfg->peer);

			seq_printf(m, " %-5s %-6s %-39s %-39s %-5s", "local",
				   vw_format_names[cfg->p.format], "-",
				   peer ? peer->dev->name : "-", "-");
		} else {
			seq_printf(m, " %-5s %-6s", "udp",
				   vw_format_names[cfg->p.format]);
			vw_proc_addr(m, &cfg->p.local);
			vw_proc_addr(m, &cfg->p.remote);
			seq_printf(m, " %-5u", ntohs(cfg->dport));
		}
		seq_printf(m, " %-8s", !cfg ? "unbound" :
			   netif_running(vwd->dev) ? "up" : "down");

		vw_dev_counters(vwd, c);
		for (dropped = 0, i = 0; i <= VW_STATS_MAX; i++)
			if (vw_stat_is_drop(i))
				dropped += c[i];
		seq_printf(m, " %12llu %12llu %12llu",
			   c[VW_STATS_RX_PACKETS], c[VW_STATS_TX_PACKETS],
			   dropped);
		vw_proc_sla(m, cfg);
	}
	rtnl_unlock();
	return 0;
}

/* Reading the control file tells what it accepts. */
static int vw_proc_control_show(struct seq_file *m, void *v)
{
	seq_puts(m, "add ID [dev NAME] (remote ADDR | peer DEV) [OPTION...]\n"
		 "set (ID | dev NAME) [remote ADDR | peer DEV] [OPTION...]\n"
		 "del (ID | dev NAME)\n"
		 "OPTION: local ADDR|any, port N, format vxlan|vw, ttl N|auto|inherit,\n"
		 "  tos N|inherit, df set|unset|inherit, srcport MIN MAX, csum on|off,\n"
		 "  udp6zerocsumtx on|off, udp6zerocsumrx on|off\n");
	return 0;
}

/* The words of one command and where the parser stands. */
struct vw_words {
	char *w[VW_PROC_MAX_WORDS];
	int n;
	int i;
	const char *why;	/* the complaint, for the log */
	const char *bad;	/* the word it is about */
	u8 cmd;			/* the VW_CMD_* it translates to */
};

static char *vw_next(struct vw_words *ws)
{
	return ws->i < ws->n ? ws->w[ws->i++] : NULL;
}

static int vw_fail(struct vw_words *ws, const char *why, const char *bad)
{
	ws->why = why;
	ws->bad = bad;
	return -EINVAL;
}

/*
 * An unsigned number no larger than @max: decimal, or 0x-prefixed hex
 * where @hex allows it (IDs and tos, as vwctl takes them).  Never octal.
 */
static bool vw_num(const char *s, u32 max, bool hex, u32 *v)
{
	int base = 10;

	/* kstrtou32() skips exactly one "0x" in base 16. */
	if (hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	return *s != '+' && !kstrtou32(s, base, v) && *v <= max;
}

static int vw_word_num(struct sk_buff *skb, struct vw_words *ws, int type,
		       u32 min, u32 max, const char *what)
{
	char *s = vw_next(ws);
	u32 v;

	if (!s)
		return vw_fail(ws, "a value is missing after", what);
	if (!vw_num(s, max, type == VW_A_ID || type == VW_A_TOS, &v) ||
	    v < min)
		return vw_fail(ws, "value out of range or not a number", s);
	/* The policy's widths: the ID is a u32, every other number a u16. */
	if (type == VW_A_ID)
		return nla_put_u32(skb, type, v);
	return nla_put_u16(skb, type, v);
}

/* One of @names, put as the matching entry of @values. */
static int vw_word_enum(struct sk_buff *skb, struct vw_words *ws, int type,
			const char * const *names, int n, const int *values,
		       const char *what)
{
	char *s = vw_next(ws);
	int i;

	if (!s)
		return vw_fail(ws, "a value is missing after", what);
	for (i = 0; i < n; i++) {
		if (!strcmp(s, names[i]))
			return nla_put_u8(skb, type, values[i]);
	}
	return vw_fail(ws, "unknown value", s);
}

static int vw_word_addr(struct sk_buff *skb, struct vw_words *ws, int a4,
			int a6, bool any_ok, const char *what)
{
	char *s = vw_next(ws);
	struct in6_addr a6v;
	__be32 a4v;

	if (!s)
		return vw_fail(ws, "an address is missing after", what);
	if (any_ok && !strcmp(s, "any"))
		return nla_put_in_addr(skb, a4, htonl(INADDR_ANY));
	if (in4_pton(s, -1, (u8 *)&a4v, -1, NULL))
		return nla_put_in_addr(skb, a4, a4v);
	if (in6_pton(s, -1, (u8 *)&a6v, -1, NULL))
		return nla_put_in6_addr(skb, a6, &a6v);
	return vw_fail(ws, "not an IPv4 or IPv6 address", s);
}

static int vw_word_name(struct sk_buff *skb, struct vw_words *ws, int type,
			const char *what)
{
	char *s = vw_next(ws);

	if (!s)
		return vw_fail(ws, "a device name is missing after", what);
	if (strlen(s) >= IFNAMSIZ)
		return vw_fail(ws, "device name too long", s);
	return nla_put_string(skb, type, s);
}

/* "ID" or "dev NAME": the endpoint a set or del is about. */
static int vw_word_endpoint(struct sk_buff *skb, struct vw_words *ws)
{
	char *s = vw_next(ws);
	u32 id;

	if (!s)
		return vw_fail(ws, "missing the connector ID or dev NAME", "");
	if (!strcmp(s, "dev"))
		return vw_word_name(skb, ws, VW_A_IFNAME, "dev");
	if (!vw_num(s, U32_MAX, true, &id))
		return vw_fail(ws, "not a connector ID", s);
	return nla_put_u32(skb, VW_A_ID, id);
}

/* The keyword of each attribute a control command can give. */
static const char * const vw_attr_words[VW_A_MAX + 1] = {
	[VW_A_ID] = "ID",
	[VW_A_IFNAME] = "dev",
	[VW_A_REMOTE4] = "remote",
	[VW_A_REMOTE6] = "remote",
	[VW_A_PEER_IFNAME] = "peer",
	[VW_A_LOCAL4] = "local",
	[VW_A_LOCAL6] = "local",
	[VW_A_PORT] = "port",
	[VW_A_FORMAT] = "format",
	[VW_A_TTL] = "ttl",
	[VW_A_TOS] = "tos",
	[VW_A_DF] = "df",
	[VW_A_SRCPORT_MIN] = "srcport",
	[VW_A_SRCPORT_MAX] = "srcport",
	[VW_A_CSUM] = "csum",
	[VW_A_UDP6_ZERO_CSUM_TX] = "udp6zerocsumtx",
	[VW_A_UDP6_ZERO_CSUM_RX] = "udp6zerocsumrx",
};

/* The keyword of the attribute a refusal points at, or "". */
static const char *vw_proc_bad_word(const struct netlink_ext_ack *extack)
{
	int type;

	if (!extack->bad_attr)
		return "";
	type = nla_type(extack->bad_attr);
	if (type > VW_A_MAX || !vw_attr_words[type])
		return "";
	return vw_attr_words[type];
}

static const char * const vw_onoff[] = { "off", "on" };
static const int vw_onoff_val[] = { 0, 1 };
static const char * const vw_formats[] = { "vxlan", "vw" };
static const int vw_formats_val[] = { VW_FORMAT_VXLAN, VW_FORMAT_VW };
static const char * const vw_dfs[] = { "unset", "set", "inherit" };
static const int vw_dfs_val[] = { VW_DF_UNSET, VW_DF_SET, VW_DF_INHERIT };

/* "inherit", "auto" (for ttl) or a number: ttl and tos. */
static int vw_word_mode(struct sk_buff *skb, struct vw_words *ws, int type,
			u32 min, u32 max, bool has_auto, const char *what)
{
	char *s = ws->i < ws->n ? ws->w[ws->i] : NULL;

	if (s && !strcmp(s, "inherit")) {
		ws->i++;
		return nla_put_u16(skb, type, type == VW_A_TTL ?
				   VW_TTL_INHERIT : VW_TOS_INHERIT);
	}
	if (s && has_auto && !strcmp(s, "auto")) {
		ws->i++;
		return nla_put_u16(skb, type, VW_TTL_AUTO);
	}
	return vw_word_num(skb, ws, type, min, max, what);
}

/* The options after the endpoint; each keyword at most once. */
static int vw_word_options(struct sk_buff *skb, struct vw_words *ws, bool add)
{
	static const char * const keys[] = {
		"dev", "remote", "peer", "local", "port", "format", "ttl",
		"tos", "df", "srcport", "csum", "udp6zerocsumtx",
		"udp6zerocsumrx",
	};
	/* The on|off keywords, from "csum" on. */
	static const int onoff_attrs[] = {
		VW_A_CSUM, VW_A_UDP6_ZERO_CSUM_TX, VW_A_UDP6_ZERO_CSUM_RX,
	};
	unsigned long seen = 0;
	char *s;
	int k, err;

	while ((s = vw_next(ws))) {
		for (k = 0; k < ARRAY_SIZE(keys); k++)
			if (!strcmp(s, keys[k]))
				break;
		if (k == ARRAY_SIZE(keys) || (k == 0 && !add))
			return vw_fail(ws, "unknown keyword", s);
		if (__test_and_set_bit(k, &seen))
			return vw_fail(ws, "keyword given twice", s);
		switch (k) {
		case 0:
			err = vw_word_name(skb, ws, VW_A_IFNAME, s);
			break;
		case 1:
			err = vw_word_addr(skb, ws, VW_A_REMOTE4, VW_A_REMOTE6,
					   false, s);
			break;
		case 2:
			err = vw_word_name(skb, ws, VW_A_PEER_IFNAME, s);
			break;
		case 3:
			err = vw_word_addr(skb, ws, VW_A_LOCAL4, VW_A_LOCAL6,
					   true, s);
			break;
		case 4:
			err = vw_word_num(skb, ws, VW_A_PORT, 1, U16_MAX, s);
			break;
		case 5:
			err = vw_word_enum(skb, ws, VW_A_FORMAT, vw_formats,
					   ARRAY_SIZE(vw_formats),
					   vw_formats_val, s);
			break;
		case 6:
			err = vw_word_mode(skb, ws, VW_A_TTL, 1, 255, true, s);
			break;
		case 7:
			err = vw_word_mode(skb, ws, VW_A_TOS, 0, 255, false, s);
			break;
		case 8:
			err = vw_word_enum(skb, ws, VW_A_DF, vw_dfs,
					   ARRAY_SIZE(vw_dfs), vw_dfs_val, s);
			break;
		case 9:
			err = vw_word_num(skb, ws, VW_A_SRCPORT_MIN, 1,
					  U16_MAX, s) ? :
			      vw_word_num(skb, ws, VW_A_SRCPORT_MAX, 1,
					  U16_MAX, s);
			break;
		default:
			err = vw_word_enum(skb, ws, onoff_attrs[k - 10],
					   vw_onoff, ARRAY_SIZE(vw_onoff),
					   vw_onoff_val, s);
			break;
		}
		if (err)
			return ws->why ? err : vw_fail(ws, "command too long", s);
	}
	return 0;
}

typedef int (*vw_ctl_fn)(struct net *net, struct nlattr **tb,
			 struct netlink_ext_ack *extack);

/* Translate the words into attributes in @skb; returns the command. */
static vw_ctl_fn vw_proc_parse(struct sk_buff *skb, struct vw_words *ws)
{
	char *cmd = vw_next(ws);
	int err;

	if (!cmd) {
		vw_fail(ws, "empty command", "");
		return NULL;
	}
	if (!strcmp(cmd, "add")) {
		ws->cmd = VW_CMD_ADD;
		err = vw_word_num(skb, ws, VW_A_ID, 0, U32_MAX, cmd) ? :
		      vw_word_options(skb, ws, true);
		return err ? NULL : vw_ctl_add;
	}
	if (!strcmp(cmd, "set")) {
		ws->cmd = VW_CMD_SET;
		err = vw_word_endpoint(skb, ws);
		if (!err && ws->i == ws->n)
			err = vw_fail(ws, "nothing to change for",
				      ws->w[ws->i - 1]);
		err = err ? : vw_word_options(skb, ws, false);
		return err ? NULL : vw_ctl_set;
	}
	if (!strcmp(cmd, "del")) {
		ws->cmd = VW_CMD_DEL;
		err = vw_word_endpoint(skb, ws);
		if (!err && ws->i < ws->n)
			vw_fail(ws, "unexpected word after del", ws->w[ws->i]);
		return err || ws->why ? NULL : vw_ctl_del;
	}
	vw_fail(ws, "unknown command", cmd);
	return NULL;
}

static int vw_proc_control_write(struct file *file, char *buf,
				 size_t size)
{
	struct net *net = seq_file_single_net(file->private_data);
	struct nlattr *tb[VW_A_MAX + 1];
	struct netlink_ext_ack extack = {};
	struct vw_words ws = {};
	struct sk_buff *skb;
	vw_ctl_fn fn;
	char *p = buf;
	char *w;
	int err;

	/* The opener's credentials, not the writer's: no confused deputy. */
	if (!file_ns_capable(file, net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (size > VW_PROC_CMD_MAX) {
		pr_info_ratelimited("virtualwire: control: command longer than %d bytes\n",
				    VW_PROC_CMD_MAX);
		return -EINVAL;
	}
	/*
	 * buf is NUL-terminated after size bytes; a NUL before that would
	 * end the command early while the write claims every byte.
	 */
	if (strnlen(buf, size) != size) {
		pr_info_ratelimited("virtualwire: control: NUL byte in a command\n");
		return -EINVAL;
	}
	/* One command per write; a final newline is allowed. */
	if (size && buf[size - 1] == '\n')
		buf[size - 1] = '\0';
	if (strchr(buf, '\n')) {
		pr_info_ratelimited("virtualwire: control: one command per write\n");
		return -EINVAL;
	}
	while ((w = strsep(&p, " \t"))) {
		if (!*w)
			continue;
		if (ws.n == VW_PROC_MAX_WORDS) {
			pr_info_ratelimited("virtualwire: control: more than %d words\n",
					    VW_PROC_MAX_WORDS);
			return -EINVAL;
		}
		ws.w[ws.n++] = w;
	}

	skb = alloc_skb(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	fn = vw_proc_parse(skb, &ws);
	if (!fn) {
		pr_info_ratelimited("virtualwire: control: %s '%s'\n", ws.why,
				    ws.bad);
		err = -EINVAL;
		goto out;
	}
	err = vw_ctl_parse(ws.cmd, tb, (struct nlattr *)skb->data, skb->len,
			   &extack) ? :
	      fn(net, tb, &extack);
	if (err) {
		const char *word = vw_proc_bad_word(&extack);

		pr_info_ratelimited("virtualwire: control: %s: %s%s%s (%d)\n",
				    ws.w[0], word, *word ? ": " : "",
				    extack._msg ? extack._msg : "refused", err);
	}
out:
	kfree_skb(skb);
	return err ? err : size;
}

/*
 * The files belong to root of the user namespace that owns the network
 * namespace (where that root maps), as /proc/net itself does, so that root
 * can use them: older kernels leave new entries to the global root.
 */
static void vw_proc_own(struct net *net, struct proc_dir_entry *pde)
{
	kuid_t uid = make_kuid(net->user_ns, 0);
	kgid_t gid = make_kgid(net->user_ns, 0);

	if (uid_valid(uid) && gid_valid(gid))
		proc_set_user(pde, uid, gid);
}

int vw_proc_init_net(struct vw_net *vn)
{
	struct proc_dir_entry *dir, *connectors, *control;

	dir = proc_net_mkdir(vn->net, VW_PROC_DIR, vn->net->proc_net);
	if (!dir)
		return -ENOMEM;
	connectors = proc_create_net_single("connectors", 0444, dir,
					    vw_proc_connectors_show, NULL);
	control = proc_create_net_single_write("control", 0644, dir,
					       vw_proc_control_show,
					       vw_proc_control_write, NULL);
	if (!connectors || !control) {
		remove_proc_subtree(VW_PROC_DIR, vn->net->proc_net);
		return -ENOMEM;
	}
	vw_proc_own(vn->net, dir);
	vw_proc_own(vn->net, connectors);
	vw_proc_own(vn->net, control);
	return 0;
}

void vw_proc_exit_net(struct vw_net *vn)
{
	remove_proc_subtree(VW_PROC_DIR, vn->net->proc_net);
}
