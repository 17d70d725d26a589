// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink messages: what vwctl puts into requests, how it reads replies,
 * and (against the kernel's own nlctrl family, which every host has) the
 * request loop with its error and extended ack handling.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>

#include "ktap.h"
#include "netlink.h"

#define FAKE_FAMILY 0x20

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg)
		genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, FAKE_FAMILY, 0, 0,
			    cmd, VW_GENL_VERSION);
	return msg;
}

static void parse_msg(struct nl_msg *msg, struct nlattr **tb)
{
	CHECK(genlmsg_parse(nlmsg_hdr(msg), 0, tb, VW_A_MAX, NULL) == 0);
}

static void test_put(void)
{
	struct nlattr *tb[VW_A_MAX + 1];
	struct vw_endpoint ep = { 0 };
	static const uint8_t remote[4] = { 192, 0, 2, 2 };
	static const uint8_t local[4] = { 192, 0, 2, 1 };
	struct in6_addr a6;
	struct nl_msg *msg;

	ktap_begin("add request: attributes and byte order (IPv4)");
	ep.has_id = true;
	ep.id = 0x123456;
	strcpy(ep.ifname, "vw7");
	ep.family = AF_INET;
	ep.has_remote = true;
	memcpy(&ep.remote.v4, remote, 4);
	ep.has_local = true;
	memcpy(&ep.local.v4, local, 4);
	ep.has_port = true;
	ep.port = 4789;
	ep.has_format = true;
	ep.format = VW_FORMAT_VXLAN;
	msg = new_msg(VW_CMD_ADD);
	CHECK(vw_nl_put_endpoint(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(tb[VW_A_ID] && nla_len(tb[VW_A_ID]) == 4 &&
	      nla_get_u32(tb[VW_A_ID]) == 0x123456);
	CHECK(tb[VW_A_IFNAME] && !strcmp(nla_get_string(tb[VW_A_IFNAME]), "vw7"));
	CHECK(tb[VW_A_REMOTE4] && nla_len(tb[VW_A_REMOTE4]) == 4 &&
	      !memcmp(nla_data(tb[VW_A_REMOTE4]), remote, 4));
	CHECK(tb[VW_A_LOCAL4] && nla_len(tb[VW_A_LOCAL4]) == 4 &&
	      !memcmp(nla_data(tb[VW_A_LOCAL4]), local, 4));
	CHECK(!tb[VW_A_REMOTE6] && !tb[VW_A_LOCAL6]);
	/* Host order, not network order. */
	CHECK(tb[VW_A_PORT] && nla_len(tb[VW_A_PORT]) == 2 &&
	      *(uint16_t *)nla_data(tb[VW_A_PORT]) == 4789);
	CHECK(tb[VW_A_FORMAT] && nla_len(tb[VW_A_FORMAT]) == 1 &&
	      nla_get_u8(tb[VW_A_FORMAT]) == VW_FORMAT_VXLAN);
	CHECK(!tb[VW_A_IFINDEX] && !tb[VW_A_STATS]);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("add request: IPv6, optional attributes left out");
	memset(&ep, 0, sizeof(ep));
	ep.has_id = true;
	ep.id = 0;
	ep.family = AF_INET6;
	ep.has_remote = true;
	inet_pton(AF_INET6, "2001:db8::2", &ep.remote.v6);
	msg = new_msg(VW_CMD_ADD);
	CHECK(vw_nl_put_endpoint(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(tb[VW_A_ID] && nla_get_u32(tb[VW_A_ID]) == 0);
	inet_pton(AF_INET6, "2001:db8::2", &a6);
	CHECK(tb[VW_A_REMOTE6] && nla_len(tb[VW_A_REMOTE6]) == 16 &&
	      !memcmp(nla_data(tb[VW_A_REMOTE6]), &a6, 16));
	CHECK(!tb[VW_A_REMOTE4] && !tb[VW_A_LOCAL4] && !tb[VW_A_LOCAL6]);
	CHECK(!tb[VW_A_IFNAME] && !tb[VW_A_PORT] && !tb[VW_A_FORMAT]);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("del/get request: the ID alone names the endpoint");
	memset(&ep, 0, sizeof(ep));
	ep.has_id = true;
	ep.id = 9;
	msg = new_msg(VW_CMD_DEL);
	CHECK(vw_nl_put_selector(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(tb[VW_A_ID] && nla_get_u32(tb[VW_A_ID]) == 9);
	CHECK(!tb[VW_A_IFNAME] && !tb[VW_A_IFINDEX]);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("del/get request: dev NAME names the endpoint");
	memset(&ep, 0, sizeof(ep));
	strcpy(ep.ifname, "vw0");
	msg = new_msg(VW_CMD_DEL);
	CHECK(vw_nl_put_selector(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(!tb[VW_A_ID] && !tb[VW_A_IFINDEX]);
	CHECK(tb[VW_A_IFNAME] && !strcmp(nla_get_string(tb[VW_A_IFNAME]), "vw0"));
	nlmsg_free(msg);
	ktap_end();
}

/* A GET reply as the kernel builds it, u64 counters with padding. */
static struct nl_msg *reply(bool with_id, bool extras)
{
	static const uint8_t remote[4] = { 198, 51, 100, 7 };
	struct nl_msg *msg = new_msg(VW_CMD_GET);
	struct nlattr *nest;

	if (with_id)
		nla_put_u32(msg, VW_A_ID, 42);
	nla_put_u32(msg, VW_A_IFINDEX, 5);
	nla_put_string(msg, VW_A_IFNAME, "vw0");
	nla_put_u8(msg, VW_A_FORMAT, VW_FORMAT_VXLAN);
	nla_put_u16(msg, VW_A_PORT, 4789);
	nla_put(msg, VW_A_REMOTE4, 4, remote);
	if (extras)
		nla_put_u32(msg, VW_A_MAX + 3, 0xdead);
	nest = nla_nest_start(msg, VW_A_STATS);
	nla_put_u64(msg, VW_STATS_RX_PACKETS, 12);
	nla_put_u32(msg, VW_STATS_PAD, 0);
	nla_put_u64(msg, VW_STATS_RX_BYTES, 1176);
	nla_put_u64(msg, VW_STATS_DROP_NO_ROUTE, 0);
	nla_put_u64(msg, VW_STATS_DROP_XMIT, 1ULL << 40);
	if (extras)
		nla_put_u64(msg, VW_STATS_MAX + 5, 77);
	nla_nest_end(msg, nest);
	return msg;
}

static void test_parse_reply(void)
{
	struct vw_endpoint ep;
	struct nl_msg *msg;
	struct nlattr *nest;
	uint8_t bad[4] = { 0 };
	int i;

	ktap_begin("get reply: every attribute and counter read");
	msg = reply(true, false);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(ep.has_id && ep.id == 42);
	CHECK(ep.ifindex == 5);
	CHECK_STR(ep.ifname, "vw0");
	CHECK(ep.has_format && ep.format == VW_FORMAT_VXLAN);
	CHECK(ep.has_port && ep.port == 4789);
	CHECK(ep.family == AF_INET && ep.has_remote && !ep.has_local);
	CHECK(ntohl(ep.remote.v4.s_addr) == 0xc6336407);
	CHECK(ep.has_stats);
	CHECK(ep.stats.present[VW_STATS_RX_PACKETS] &&
	      ep.stats.val[VW_STATS_RX_PACKETS] == 12);
	CHECK(ep.stats.present[VW_STATS_RX_BYTES] &&
	      ep.stats.val[VW_STATS_RX_BYTES] == 1176);
	CHECK(ep.stats.present[VW_STATS_DROP_NO_ROUTE] &&
	      ep.stats.val[VW_STATS_DROP_NO_ROUTE] == 0);
	CHECK(ep.stats.val[VW_STATS_DROP_XMIT] == 1ULL << 40);
	CHECK(!ep.stats.present[VW_STATS_TX_PACKETS]);
	CHECK(!ep.stats.present[VW_STATS_PAD]);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: unbound endpoint has no ID");
	msg = reply(false, false);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(!ep.has_id);
	CHECK_STR(ep.ifname, "vw0");
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: unknown attributes and counters ignored");
	msg = reply(true, true);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(ep.has_id && ep.id == 42);
	CHECK(ep.stats.present[VW_STATS_RX_PACKETS]);
	for (i = VW_STATS_TX_PACKETS; i <= VW_STATS_MAX; i++)
		if (i != VW_STATS_DROP_NO_ROUTE && i != VW_STATS_DROP_XMIT)
			CHECK(!ep.stats.present[i]);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: IPv4 address of the wrong size rejected");
	msg = new_msg(VW_CMD_GET);
	nla_put(msg, VW_A_REMOTE4, 3, bad);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) < 0);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: local of the other family rejected");
	msg = new_msg(VW_CMD_GET);
	nla_put(msg, VW_A_REMOTE4, 4, bad);
	nla_put(msg, VW_A_LOCAL6, 16, &in6addr_loopback);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) < 0);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: 32-bit counter rejected");
	msg = new_msg(VW_CMD_GET);
	nest = nla_nest_start(msg, VW_A_STATS);
	nla_put_u32(msg, VW_STATS_RX_PACKETS, 1);
	nla_nest_end(msg, nest);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) < 0);
	nlmsg_free(msg);
	ktap_end();
}

static int count_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(*(int *)arg)++;
	return NL_OK;
}

static struct nl_msg *ctrl_msg(int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, flags,
		    CTRL_CMD_GETFAMILY, 1);
	return msg;
}

static char *perror_text(const struct vw_nl *nl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	vw_nl_perror(nl, "test", f);
	fclose(f);
	return buf;
}

static void test_kernel(void)
{
	struct vw_nl nl;
	struct nl_msg *msg;
	bool up;
	int n, ret;
	char *s;

	up = vw_nl_connect(&nl) == VW_NL_OK;
	nl.family = GENL_ID_CTRL;

	ktap_begin("request loop: a do request gets its reply and ack");
	if (!up) {
		ktap_skip("no generic netlink socket");
	} else {
		msg = ctrl_msg(NLM_F_ACK);
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
		n = 0;
		CHECK(vw_nl_request(&nl, msg, count_cb, &n) == VW_NL_OK);
		CHECK(n == 1);
		nlmsg_free(msg);
	}
	ktap_end();

	ktap_begin("request loop: a dump reads to the end");
	if (!up) {
		ktap_skip("no generic netlink socket");
	} else {
		msg = ctrl_msg(NLM_F_DUMP);
		n = 0;
		CHECK(vw_nl_request(&nl, msg, count_cb, &n) == VW_NL_OK);
		CHECK(n >= 1);
		nlmsg_free(msg);
	}
	ktap_end();

	/* nlctrl's policy wants a u16 here; one byte earns an extack. */
	ktap_begin("request loop: kernel error with extended ack message");
	if (!up) {
		ktap_skip("no generic netlink socket");
	} else {
		uint8_t byte = 1;
		char want[128];

		msg = ctrl_msg(NLM_F_ACK);
		nla_put(msg, CTRL_ATTR_FAMILY_ID, 1, &byte);
		n = 0;
		ret = vw_nl_request(&nl, msg, count_cb, &n);
		CHECK(ret == VW_NL_FAIL);
		CHECK(n == 0);
		/* EINVAL or, since 6.x range checks, ERANGE. */
		CHECK(nl.err == EINVAL || nl.err == ERANGE);
		if (!CHECK(nl.extack[0]))
			ktap_diag("no extack message came back");
		s = perror_text(&nl);
		ktap_diag("message: %s", s);
		CHECK(!strncmp(s, "vwctl: test: ", 13));
		CHECK(strstr(s, nl.extack));
		snprintf(want, sizeof(want), " (%s)\n", strerror(nl.err));
		CHECK(strstr(s, want));
		free(s);
		nlmsg_free(msg);
	}
	ktap_end();

	ktap_begin("request loop: kernel error without extack is strerror");
	if (!up) {
		ktap_skip("no generic netlink socket");
	} else {
		msg = ctrl_msg(NLM_F_ACK);
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nosuchfamily");
		ret = vw_nl_request(&nl, msg, NULL, NULL);
		CHECK(ret == VW_NL_FAIL);
		CHECK(nl.err == ENOENT);
		s = perror_text(&nl);
		ktap_diag("message: %s", s);
		CHECK(!strncmp(s, "vwctl: test: ", 13));
		CHECK(strstr(s, strerror(ENOENT)));
		free(s);
		nlmsg_free(msg);

		/* And the socket still works after an error. */
		msg = ctrl_msg(NLM_F_ACK);
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
		n = 0;
		CHECK(vw_nl_request(&nl, msg, count_cb, &n) == VW_NL_OK);
		CHECK(n == 1 && nl.err == 0 && !nl.extack[0]);
		nlmsg_free(msg);
	}
	ktap_end();

	if (up)
		vw_nl_close(&nl);
}

static void test_perror(void)
{
	struct vw_nl nl = { 0 };
	char *s;

	ktap_begin("error format: extack (strerror)");
	nl.err = EEXIST;
	strcpy(nl.extack, "connector ID already in use");
	s = perror_text(&nl);
	CHECK_STR(s, "vwctl: test: connector ID already in use (File exists)\n");
	free(s);
	ktap_end();

	ktap_begin("error format: strerror alone");
	nl.extack[0] = '\0';
	nl.err = EPERM;
	s = perror_text(&nl);
	CHECK_STR(s, "vwctl: test: Operation not permitted\n");
	free(s);
	ktap_end();

	ktap_begin("error format: libnl error when the kernel gave none");
	nl.err = 0;
	nl.nlerr = NLE_NOMEM;
	s = perror_text(&nl);
	CHECK_STR(s, "vwctl: test: Out of memory\n");
	free(s);
	ktap_end();
}

void test_netlink(void)
{
	test_put();
	test_parse_reply();
	test_kernel();
	test_perror();
}
