// SPDX-License-Identifier: GPL-2.0
/*
 * vwctl sla show-tc: the recipe for given endpoints and routes (the
 * routes made up here; the VM's selftests/sla_rate.sh runs a recipe).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../sla.h"
#include "ktap.h"

/* Remotes in 192.0.2.0/24 leave by eth0, all others by eth1. */
static bool fake_route(const struct vw_endpoint *ep, char dev[IFNAMSIZ])
{
	if (!ep->has_remote || ep->family != AF_INET)
		return false;
	strcpy(dev, (ntohl(ep->remote.v4.s_addr) >> 8) == 0xc00002 ?
		    "eth0" : "eth1");
	return true;
}

static struct vw_endpoint ep_of(uint32_t id, const char *dev,
				const char *remote, uint64_t min, uint64_t max)
{
	struct vw_endpoint ep = { 0 };

	ep.has_id = true;
	ep.id = id;
	strcpy(ep.ifname, dev);
	ep.has_remote = true;
	ep.family = AF_INET;
	inet_pton(AF_INET, remote, &ep.remote.v4);
	ep.has_rate = true;
	ep.rate_min = min;
	ep.rate_max = max;
	return ep;
}

/* The recipe (or the error) as one string; the caller frees it. */
static char *recipe(const struct vw_endpoint *eps, size_t n, uint64_t cap,
		    bool *ok, char **errtext)
{
	char *out = NULL, *err = NULL;
	size_t olen = 0, elen = 0;
	FILE *o = open_memstream(&out, &olen);
	FILE *e = open_memstream(&err, &elen);

	*ok = sla_show_tc(o, e, "eth0", cap, eps, n, fake_route);
	fclose(o);
	fclose(e);
	*errtext = err;
	return out;
}

static void test_recipe(void)
{
	struct vw_endpoint eps[4];
	char *out, *err;
	bool ok;

	/* 10/20/30 Mbit/s of 100: two by priority, one by mark; one elsewhere. */
	eps[0] = ep_of(11, "c1", "192.0.2.2", 1250000, 12500000);
	eps[0].has_priority = true;
	eps[0].priority = 0x10011;
	eps[1] = ep_of(12, "c2", "192.0.2.3", 2500000, ~0ULL);
	eps[1].has_mark = true;
	eps[1].mark = 0x42;
	eps[2] = ep_of(13, "c3", "192.0.2.4", 3750000, ~0ULL);
	eps[2].has_priority = true;
	eps[2].priority = 0x10010;
	eps[3] = ep_of(14, "c4", "203.0.113.2", 3750000, ~0ULL);
	ktap_begin("sla: classes by priority and by mark, the spare to the default");
	out = recipe(eps, 4, 12500000, &ok, &err);
	CHECK(ok);
	CHECK_STR(err, "");
	CHECK(strstr(out, "tc qdisc del dev eth0 root 2>/dev/null || true\n"
			  "tc qdisc add dev eth0 root handle 1: htb default ffff\n"));
	CHECK(strstr(out, "tc qdisc add dev eth0 parent 1:11 fq\n"));
	CHECK(strstr(out, "classid 1:1 htb rate 100mbit ceil 100mbit burst 126514 cburst 126514 quantum 200000\n"));
	CHECK(strstr(out, "classid 1:11 htb rate 10mbit ceil 100mbit burst 14014 cburst 126514 quantum 125000\n"));
	CHECK(strstr(out, "classid 1:10 htb rate 30mbit ceil 100mbit burst 39014 cburst 126514 quantum 200000\n"));
	/* c2 by its mark, in the first minor no priority took (0x10, 0x11 were). */
	CHECK(strstr(out, "classid 1:12 htb rate 20mbit ceil 100mbit burst 26514 cburst 126514 quantum 200000\n"));
	CHECK(strstr(out, "handle 0x42 fw classid 1:12\n"));
	CHECK(strstr(out, "classid 1:ffff htb rate 40mbit ceil 100mbit burst 51514 cburst 126514 quantum 200000\n"));
	CHECK(!strstr(out, "# connector 14"));
	free(out);
	free(err);
	ktap_end();

	ktap_begin("sla: a maximum below the capacity is the class's ceil");
	out = recipe(eps, 1, 125000000, &ok, &err);
	CHECK(ok && strstr(out, "classid 1:11 htb rate 10mbit ceil 100mbit burst 14014 cburst 126514 quantum 125000\n"));
	free(out);
	free(err);
	ktap_end();

	ktap_begin("sla: guarantees above the capacity are refused, nothing printed");
	out = recipe(eps, 3, 5000000, &ok, &err);
	CHECK(!ok);
	CHECK_STR(out, "");
	CHECK_STR(err, "vwctl: sla: the guarantees on eth0 add up to 60mbit, above its capacity 40mbit\n");
	free(out);
	free(err);
	ktap_end();

	ktap_begin("sla: a guarantee with neither priority class nor mark is refused");
	eps[1].has_mark = false;
	out = recipe(eps, 3, 12500000, &ok, &err);
	CHECK(!ok);
	CHECK(strstr(err, "connector 12 (c2) has a guaranteed rate but neither"));
	free(out);
	free(err);
	eps[1].has_mark = true;
	ktap_end();

	ktap_begin("sla: two qdiscs' classes, or one class twice, are refused");
	eps[2].priority = 0x20010;
	out = recipe(eps, 3, 12500000, &ok, &err);
	CHECK(!ok && strstr(err, "name classes of two qdiscs, 1: and 2:"));
	free(out);
	free(err);
	eps[2].priority = 0x10011;
	out = recipe(eps, 3, 12500000, &ok, &err);
	CHECK(!ok && strstr(err, "connector 13 (c3): priority 1:11 is the root, the default class or another connector's class"));
	free(out);
	free(err);
	eps[2].priority = 0x10001;
	out = recipe(eps, 3, 12500000, &ok, &err);
	CHECK(!ok && strstr(err, "connector 13 (c3): priority 1:1 is the root"));
	free(out);
	free(err);
	eps[2].priority = 0x10010;
	ktap_end();

	ktap_begin("sla: two connectors with one mark are refused");
	eps[2].has_priority = false;
	eps[2].has_mark = true;
	eps[2].mark = 0x42;
	out = recipe(eps, 3, 12500000, &ok, &err);
	CHECK(!ok && strstr(err, "vwctl: sla: connector 12 (c2) and connector 13 (c3) have one mark, 0x42"));
	free(out);
	free(err);
	eps[2].has_mark = false;
	eps[2].has_priority = true;
	ktap_end();

	ktap_begin("sla: guarantees of the whole capacity leave the default class 8kbit");
	eps[3] = ep_of(15, "c5", "192.0.2.5", 5000000, ~0ULL);
	eps[3].has_priority = true;
	eps[3].priority = 0x10015;
	out = recipe(eps, 4, 12500000, &ok, &err);
	CHECK(ok && strstr(out, "classid 1:ffff htb rate 8kbit ceil 100mbit burst 1524 cburst 126514 quantum 1600\n"));
	free(out);
	free(err);
	eps[3] = ep_of(14, "c4", "203.0.113.2", 3750000, ~0ULL);
	ktap_end();

	ktap_begin("sla: no guarantee on the device: the tree and its default class");
	out = recipe(&eps[3], 1, 12500000, &ok, &err);
	CHECK(ok && strstr(out, "classid 1:ffff htb rate 100mbit ceil 100mbit burst 126514 cburst 126514 quantum 200000\n"));
	CHECK(!strstr(out, "# connector "));
	free(out);
	free(err);
	ktap_end();
}

void test_sla(void)
{
	test_recipe();
}
