// SPDX-License-Identifier: GPL-2.0
/*
 * vwd's directory values and reconcile rules (directory.c, reconcile.c):
 * every rule of reconcile.h with a made-up view, registrations and kernel
 * state, and the round trip of the JSON values through the view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "ktap.h"
#include "reconcile.h"

#define PFX "/vw"

static const char a_addrs[][VWD_ADDRLEN] = { "192.0.2.1", "2001:db8::1" };
static const char b_addrs[][VWD_ADDRLEN] = { "192.0.2.2" };

static struct vwd_view view;
static struct vwd_kernel kern;
static struct vwd_plan plan;

static void put_end(uint32_t id, const char *host, const char *dev,
		    const char *addr, const char *format, bool standby,
		    const char *vm)
{
	struct vwd_end e = { .id = id, .naddrs = 1, .standby = standby };
	char key[VWD_KEYLEN], *json;
	const char *why;

	snprintf(e.host, sizeof(e.host), "%s", host);
	snprintf(e.dev, sizeof(e.dev), "%s", dev);
	snprintf(e.addrs[0], sizeof(e.addrs[0]), "%s", addr);
	snprintf(e.format, sizeof(e.format), "%s", format);
	snprintf(e.vm, sizeof(e.vm), "%s", vm ? vm : "");
	e.port = strcmp(format, "vw") ? 4789 : 4798;
	vwd_key_end(key, sizeof(key), PFX, &e);
	json = vwd_end_json(&e);
	CHECK(json && !vwd_view_apply(&view, PFX, key, json, &why));
	free(json);
}

static void del_end(uint32_t id, const char *host, const char *dev)
{
	char key[VWD_KEYLEN];
	const char *why;

	snprintf(key, sizeof(key), PFX "/v1/connectors/%u/%s/%s", id, host,
		 dev);
	CHECK(!vwd_view_apply(&view, PFX, key, NULL, &why));
}

static void kernel(const char *json)
{
	vwd_kernel_clear(&kern);
	CHECK(!vwd_kernel_parse(json, &kern));
}

static void run(const char *host, const struct vwd_reg *regs, size_t n)
{
	struct vwd_self self = { .host = host, .connected = true };

	if (!strcmp(host, "b")) {
		self.addrs = b_addrs;
		self.naddrs = 1;
	} else {
		self.addrs = a_addrs;
		self.naddrs = 2;
	}
	vwd_plan_free(&plan);
	CHECK(!vwd_reconcile(&self, &view, regs, n, &kern, &plan));
}

static const char *cmd(size_t i)
{
	static char buf[512];

	if (i >= plan.nacts)
		return "(none)";
	vwd_action_cmdline(&plan.acts[i], buf, sizeof(buf));
	return buf;
}

static void reset(void)
{
	vwd_view_clear(&view);
	vwd_kernel_clear(&kern);
	vwd_plan_free(&plan);
}

static void test_values(void)
{
	struct vwd_end e;
	const char *why;

	ktap_begin("directory: end value round trip, keys, versions");
	reset();
	put_end(42, "a", "vw0", "192.0.2.1", "vw", true, "V");
	CHECK(view.nends == 1 && view.ends[0].standby &&
	      !strcmp(view.ends[0].vm, "V") && view.ends[0].port == 4798);
	CHECK(vwd_end_parse("{\"version\":2,\"id\":1}", &e, &why) == -1);
	CHECK_STR(why, "not version 1");
	CHECK(vwd_view_apply(&view, PFX, PFX "/v1/connectors/42/a/vw0",
			     "{\"version\":1,\"id\":42}", &why) == -1);
	CHECK(view.nends == 0);	/* a value not understood drops the old */
	CHECK(!vwd_view_apply(&view, PFX, PFX "/v1/other", "x", &why));
	CHECK(!vwd_view_apply(&view, PFX, PFX "/v1/hosts/a",
			      "{\"version\":1,\"host\":\"a\",\"addrs\":[\"192.0.2.1\"]}",
			      &why) && view.nhosts == 1);
	del_end(42, "a", "vw0");
	ktap_end();
}

static void test_waiting(void)
{
	struct vwd_reg r = { .id = 42, .dev = "vw0", .format = "vxlan" };

	ktap_begin("reconcile: no far end, no device: waiting, ip link add");
	reset();
	put_end(42, "a", "vw0", "192.0.2.1", "vxlan", false, NULL);
	kernel("{\"connectors\":[]}");
	run("a", &r, 1);
	CHECK_STR(cmd(0), "ip link add vw0 type virtualwire");
	CHECK_STR(plan.st[0].state, "waiting");
	kernel("{\"connectors\":[{\"id\":null,\"dev\":\"vw0\"}]}");
	run("a", &r, 1);
	CHECK(plan.nacts == 0 && plan.st[0].in_step);
	ktap_end();
}

static void test_local(void)
{
	struct vwd_reg r[2] = {
		{ .id = 7, .dev = "vwa", .format = "vxlan" },
		{ .id = 7, .dev = "vwb", .format = "vxlan" },
	};

	ktap_begin("reconcile: both ends on this host: a local wire");
	reset();
	put_end(7, "a", "vwa", "192.0.2.1", "vxlan", false, NULL);
	put_end(7, "a", "vwb", "192.0.2.1", "vxlan", false, NULL);
	kernel("{\"connectors\":[{\"id\":null,\"dev\":\"vwa\"},{\"id\":null,\"dev\":\"vwb\"}]}");
	run("a", r, 2);
	CHECK_STR(cmd(0), "vwctl replace 7 dev vwa peer vwb format vxlan");
	CHECK_STR(plan.acts[0].reason, "far end on this host (dev vwb)");
	kernel("{\"connectors\":[{\"id\":7,\"dev\":\"vwa\",\"wire\":\"local\",\"peer\":\"vwb\",\"format\":\"vxlan\"},"
	       "{\"id\":7,\"dev\":\"vwb\",\"wire\":\"local\",\"peer\":\"vwa\",\"format\":\"vxlan\"}]}");
	run("a", r, 2);
	CHECK(plan.nacts == 0);
	CHECK_STR(plan.st[1].state, "wired");
	ktap_end();
}

static const char *k_udp_b =
	"{\"connectors\":[{\"id\":42,\"dev\":\"vw0\",\"wire\":\"udp\",\"remote\":\"192.0.2.2\","
	"\"port\":4789,\"format\":\"vxlan\",\"state\":\"active\",\"accept\":[]}]}";

static void test_udp(void)
{
	struct vwd_reg r = { .id = 42, .dev = "vw0", .format = "vxlan" };

	ktap_begin("reconcile: far end on another host: a UDP wire, in step: nothing");
	reset();
	put_end(42, "a", "vw0", "192.0.2.1", "vxlan", false, NULL);
	put_end(42, "b", "vw0", "192.0.2.2", "vxlan", false, NULL);
	kernel("{\"connectors\":[{\"id\":null,\"dev\":\"vw0\"}]}");
	run("a", &r, 1);
	CHECK_STR(cmd(0), "vwctl replace 42 dev vw0 remote 192.0.2.2 format vxlan port 4789");
	CHECK_STR(plan.acts[0].reason, "far end on host b (192.0.2.2)");
	kernel(k_udp_b);
	run("a", &r, 1);
	CHECK(plan.nacts == 0 && plan.st[0].in_step);
	CHECK_STR(plan.st[0].far_addr, "192.0.2.2");
	ktap_end();
}

static void test_format(void)
{
	struct vwd_reg r = { .id = 42, .dev = "vw0", .format = "vw" };

	ktap_begin("reconcile: far end of another format: conflict, nothing run");
	reset();
	put_end(42, "a", "vw0", "192.0.2.1", "vw", false, NULL);
	put_end(42, "b", "vw0", "192.0.2.2", "vxlan", false, NULL);
	kernel(k_udp_b);
	run("a", &r, 1);
	CHECK(plan.nacts == 0);
	CHECK_STR(plan.st[0].state, "conflict");
	CHECK_STR(plan.st[0].conflict,
		  "format conflict: far end host b dev vw0 is vxlan, this end is vw");
	ktap_end();
}

static void test_three(void)
{
	struct vwd_reg r = { .id = 42, .dev = "vw0", .format = "vxlan" };
	struct vwd_self self = { .host = "c", .connected = true,
				 .addrs = b_addrs, .naddrs = 1 };
	char err[256];

	ktap_begin("reconcile: more than two active ends: conflict; connect refuses a third");
	reset();
	put_end(42, "a", "vw0", "192.0.2.1", "vxlan", false, NULL);
	put_end(42, "b", "vw0", "192.0.2.2", "vxlan", false, NULL);
	CHECK(vwd_connect_check(&self, &view, &r, err, sizeof(err)) == -1);
	CHECK_STR(err, "connector 42 already has two active ends: host a dev vw0, host b dev vw0");
	put_end(42, "c", "vw0", "192.0.2.3", "vxlan", false, NULL);
	kernel(k_udp_b);
	run("a", &r, 1);
	CHECK(plan.nacts == 0);
	CHECK_STR(plan.st[0].state, "conflict");
	r.standby = true;
	CHECK(vwd_connect_check(&self, &view, &r, err, sizeof(err)) == -1);
	ktap_end();
}

static void test_gone(void)
{
	struct vwd_reg r = { .id = 42, .dev = "vw0", .format = "vxlan" };

	ktap_begin("reconcile: far end gone: keeps its config, says so");
	reset();
	put_end(42, "a", "vw0", "192.0.2.1", "vxlan", false, NULL);
	kernel(k_udp_b);
	run("a", &r, 1);
	CHECK(plan.nacts == 0);
	CHECK(plan.st[0].far_gone);
	CHECK_STR(plan.st[0].state, "wired");
	ktap_end();
}

static void test_missing_key(void)
{
	struct vwd_reg r = { .id = 42, .dev = "vw0", .format = "vxlan" };

	ktap_begin("reconcile: this end's key missing (lease expired): put again");
	reset();
	put_end(42, "b", "vw0", "192.0.2.2", "vxlan", false, NULL);
	kernel(k_udp_b);
	run("a", &r, 1);
	CHECK(plan.nacts == 1 && plan.acts[0].kind == VWD_ACT_PUT);
	r.refused = true;	/* the late registration was refused */
	run("a", &r, 1);
	CHECK(plan.nacts == 0);
	CHECK_STR(plan.st[0].state, "conflict");
	ktap_end();
}

/* Connector 42: P on host a, VM V on host b moving to host c. */

/* Host a's endpoint vw0: remote @remote, accept @accept, roam @roam. */
static void kernel_a(const char *remote, const char *accept, bool roam)
{
	char json[512];

	snprintf(json, sizeof(json),
		 "{\"connectors\":[{\"id\":42,\"dev\":\"vw0\",\"wire\":\"udp\",\"remote\":\"%s\","
		 "\"port\":4789,\"format\":\"vxlan\",\"state\":\"active\",\"accept\":[%s],"
		 "\"roam\":%s,\"vm_mac\":[]}]}",
		 remote, accept, roam ? "true" : "false");
	kernel(json);
}

static void test_migration(void)
{
	struct vwd_reg ra = { .id = 42, .dev = "vw0", .format = "vxlan",
			      .vm = "P" };
	struct vwd_reg rb = { .id = 42, .dev = "vw0", .format = "vxlan",
			      .vm = "V" };
	struct vwd_reg rc = { .id = 42, .dev = "vw1", .format = "vxlan",
			      .vm = "V", .standby = true,
			      .vm_mac = "02:00:00:00:00:14" };
	struct vwd_self self = { .host = "c", .connected = true,
				 .addrs = b_addrs, .naddrs = 1 };
	char err[256];

	ktap_begin("reconcile: standby end: sends to the far end, accepts the VM's host, vm-mac");
	reset();
	put_end(42, "a", "vw0", "192.0.2.1", "vxlan", false, "P");
	put_end(42, "b", "vw0", "192.0.2.2", "vxlan", false, "V");
	CHECK(!vwd_connect_check(&self, &view, &rc, err, sizeof(err)));
	rc.vm[0] = 'W';
	CHECK(vwd_connect_check(&self, &view, &rc, err, sizeof(err)) == -1);
	rc.vm[0] = 'V';
	put_end(42, "c", "vw1", "192.0.2.3", "vxlan", true, "V");
	kernel("{\"connectors\":[]}");
	run("c", &rc, 1);
	CHECK_STR(cmd(0), "vwctl replace 42 dev vw1 remote 192.0.2.1 format vxlan port 4789 standby accept 192.0.2.2 vm-mac 02:00:00:00:00:14");
	CHECK_STR(plan.st[0].state, "standby");
	kernel("{\"connectors\":[{\"id\":42,\"dev\":\"vw1\",\"wire\":\"udp\",\"remote\":\"192.0.2.1\","
	       "\"port\":4789,\"format\":\"vxlan\",\"state\":\"standby\",\"accept\":[\"192.0.2.2/32\"],"
	       "\"roam\":false,\"vm_mac\":[\"02:00:00:00:00:14\"]}]}");
	run("c", &rc, 1);
	CHECK(plan.nacts == 0 && plan.st[0].in_step);
	/* A vm-mac the kernel does not have: not in step. */
	strcpy(rc.vm_mac, "02:00:00:00:00:15");
	run("c", &rc, 1);
	CHECK(plan.nacts == 1 && !plan.st[0].in_step);
	strcpy(rc.vm_mac, "02:00:00:00:00:14");
	ktap_end();

	ktap_begin("reconcile: the far end accepts the standby end's host, roam on");
	kernel_a("192.0.2.2", "", false);
	run("a", &ra, 1);
	CHECK_STR(cmd(0), "vwctl replace 42 dev vw0 remote 192.0.2.2 format vxlan port 4789 accept 192.0.2.3 roam on");
	CHECK_STR(plan.acts[0].reason,
		  "far end on host b (192.0.2.2), accepting the VM's next host, roam on");
	kernel_a("192.0.2.2", "\"192.0.2.3/32\"", true);
	run("a", &ra, 1);
	CHECK(plan.nacts == 0 && plan.st[0].in_step);
	/* accept without roam (an older vwd's config) is not in step */
	kernel_a("192.0.2.2", "\"192.0.2.3/32\"", false);
	run("a", &ra, 1);
	CHECK(plan.nacts == 1);
	ktap_end();

	ktap_begin("reconcile: the VM's own end neither accepts nor roams to its next host");
	kernel_a("192.0.2.1", "", false);
	run("b", &rb, 1);
	CHECK(plan.nacts == 0 && plan.st[0].in_step);
	ktap_end();

	ktap_begin("reconcile: a far end roamed to the standby end's host: in step, never put back");
	kernel_a("192.0.2.3", "\"192.0.2.3/32\"", true);
	run("a", &ra, 1);
	CHECK(plan.nacts == 0 && plan.st[0].in_step);
	/* roamed elsewhere (not a standby end's host): put back */
	kernel_a("192.0.2.9", "\"192.0.2.3/32\"", true);
	run("a", &ra, 1);
	CHECK_STR(cmd(0), "vwctl replace 42 dev vw0 remote 192.0.2.2 format vxlan port 4789 accept 192.0.2.3 roam on");
	ktap_end();

	ktap_begin("reconcile: the standby end activated in the kernel: one txn");
	kernel("{\"connectors\":[{\"id\":42,\"dev\":\"vw1\",\"wire\":\"udp\",\"remote\":\"192.0.2.1\","
	       "\"port\":4789,\"format\":\"vxlan\",\"state\":\"active\",\"accept\":[\"192.0.2.2/32\"],"
	       "\"roam\":false,\"vm_mac\":[\"02:00:00:00:00:14\"]}]}");
	run("c", &rc, 1);
	CHECK(plan.nacts == 1 && plan.acts[0].kind == VWD_ACT_ACTIVATE);
	CHECK(plan.acts[0].ndel == 1 && !strcmp(plan.acts[0].del[0].host, "b"));
	CHECK_STR(plan.acts[0].accept, "192.0.2.2");
	ktap_end();

	ktap_begin("reconcile: half the txn seen (old end gone, new still standby): a roamed wire stays");
	del_end(42, "b", "vw0");
	kernel_a("192.0.2.3", "\"192.0.2.3/32\"", true);
	run("a", &ra, 1);
	CHECK(plan.nacts == 0);
	ktap_end();

	/* The txn's effect. */
	put_end(42, "c", "vw1", "192.0.2.3", "vxlan", false, "V");

	ktap_begin("reconcile: the activated end keeps accepting the relay and its vm-mac: nothing to do");
	rc.standby = false;
	strcpy(rc.accept_src, "192.0.2.2");
	kernel("{\"connectors\":[{\"id\":42,\"dev\":\"vw1\",\"wire\":\"udp\",\"remote\":\"192.0.2.1\","
	       "\"port\":4789,\"format\":\"vxlan\",\"state\":\"active\",\"accept\":[\"192.0.2.2/32\"],"
	       "\"roam\":false,\"vm_mac\":[\"02:00:00:00:00:14\"]}]}");
	run("c", &rc, 1);
	CHECK(plan.nacts == 0);
	CHECK_STR(plan.st[0].state, "wired");
	ktap_end();

	ktap_begin("reconcile: the directory caught up: remote the new host, no accept, no roam");
	kernel_a("192.0.2.3", "\"192.0.2.3/32\"", true);
	run("a", &ra, 1);
	CHECK(plan.nacts == 1);
	CHECK_STR(cmd(0), "vwctl replace 42 dev vw0 remote 192.0.2.3 format vxlan port 4789");
	kernel_a("192.0.2.3", "", false);
	run("a", &ra, 1);
	CHECK(plan.nacts == 0 && plan.st[0].in_step);
	/* not roamed (vwd re-points by itself): the same replace */
	kernel_a("192.0.2.2", "\"192.0.2.3/32\"", true);
	run("a", &ra, 1);
	CHECK_STR(cmd(0), "vwctl replace 42 dev vw0 remote 192.0.2.3 format vxlan port 4789");
	ktap_end();

	ktap_begin("reconcile: the source relays to the VM's new host, keeps no key");
	kernel(k_udp_b);
	run("b", &rb, 1);
	CHECK(plan.nacts == 1 && plan.acts[0].relaying);
	CHECK_STR(cmd(0), "vwctl set 42 dev vw0 relay 192.0.2.3");
	rb.relaying = true;
	strcpy(rb.relay, "192.0.2.3");
	kernel("{\"connectors\":[{\"id\":42,\"dev\":\"vw0\",\"wire\":\"udp\",\"remote\":\"192.0.2.1\","
	       "\"port\":4789,\"format\":\"vxlan\",\"state\":\"relay\",\"relay\":\"192.0.2.3\"}]}");
	run("b", &rb, 1);
	CHECK(plan.nacts == 0);
	CHECK_STR(plan.st[0].state, "relaying");
	ktap_end();
}

static void test_monitor_event(void)
{
	char dev[IFNAMSIZ];

	ktap_begin("kernel: monitor events update the kernel state");
	kernel("{\"connectors\":[]}");
	CHECK(vwd_kernel_event(&kern, "{\"event\":\"new\",\"connector\":{\"id\":5,\"dev\":\"vw5\",\"state\":\"standby\"}}", dev) == 1);
	CHECK_STR(dev, "vw5");
	CHECK(kern.n == 1 && !strcmp(kern.eps[0].state, "standby"));
	CHECK(vwd_kernel_event(&kern, "{\"event\":\"changed\",\"connector\":{\"id\":5,\"dev\":\"vw5\",\"state\":\"active\"}}", dev) == 1);
	CHECK(kern.n == 1 && !strcmp(kern.eps[0].state, "active"));
	CHECK(vwd_kernel_event(&kern, "{\"event\":\"removed\",\"connector\":{\"id\":5,\"dev\":\"vw5\"}}", dev) == 1);
	CHECK(kern.n == 0);
	CHECK(vwd_kernel_event(&kern, "{\"event\":\"changed\",\"connector\":{\"id\":5,\"dev\":\"vw5\",\"roam\":true,"
				     "\"vm_mac\":[\"02:00:00:00:00:01\",\"02:00:00:00:00:02\"]}}", dev) == 1);
	CHECK(kern.n == 1 && kern.eps[0].roam);
	CHECK_STR(kern.eps[0].vm_mac, "02:00:00:00:00:01,02:00:00:00:00:02");
	CHECK(vwd_kernel_event(&kern, "garbage", dev) == 0);
	ktap_end();
}

void test_reconcile(void)
{
	test_values();
	test_waiting();
	test_local();
	test_udp();
	test_format();
	test_three();
	test_gone();
	test_missing_key();
	test_migration();
	test_monitor_event();
	reset();
}
