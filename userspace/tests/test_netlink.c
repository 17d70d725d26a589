// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink messages: what vwctl puts into requests, how it reads replies,
 * and (tests/unit --kernel, in the test VM: the host unit tests never talk
 * to the kernel) against the kernel's own nlctrl family, the request loop
 * with its error and extended ack handling.
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
	ep.local_family = AF_INET;
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
	CHECK(!tb[VW_A_PEER_IFNAME] && !tb[VW_A_PEER_IFINDEX] && !tb[VW_A_TTL] &&
	      !tb[VW_A_TOS] && !tb[VW_A_DF] && !tb[VW_A_SRCPORT_MIN] &&
	      !tb[VW_A_SRCPORT_MAX] && !tb[VW_A_CSUM] &&
	      !tb[VW_A_UDP6_ZERO_CSUM_TX] && !tb[VW_A_UDP6_ZERO_CSUM_RX] &&
	      !tb[VW_A_WIRE]);
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

	ktap_begin("flush request: the ID range, or nothing for all");
	{
		struct vw_flush f = { .has_range = true, .min = 3, .max = 9 };

		msg = new_msg(VW_CMD_FLUSH);
		CHECK(vw_nl_put_flush(msg, &f) == 0);
		parse_msg(msg, tb);
		CHECK(tb[VW_A_ID_MIN] && nla_get_u32(tb[VW_A_ID_MIN]) == 3);
		CHECK(tb[VW_A_ID_MAX] && nla_get_u32(tb[VW_A_ID_MAX]) == 9);
		CHECK(!tb[VW_A_ID]);
		nlmsg_free(msg);
		f.has_range = false;
		msg = new_msg(VW_CMD_FLUSH);
		CHECK(vw_nl_put_flush(msg, &f) == 0);
		parse_msg(msg, tb);
		CHECK(!tb[VW_A_ID_MIN] && !tb[VW_A_ID_MAX]);
		nlmsg_free(msg);
	}
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

/* a is a u16 attribute holding v in host order. */
static bool is_u16(const struct nlattr *a, uint16_t v)
{
	uint16_t got;

	if (!a || nla_len(a) != 2)
		return false;
	memcpy(&got, nla_data(a), 2);
	return got == v;
}

static bool is_u8(const struct nlattr *a, uint8_t v)
{
	return a && nla_len(a) == 1 && nla_get_u8(a) == v;
}

static void test_put_config(void)
{
	struct nlattr *tb[VW_A_MAX + 1];
	struct vw_endpoint ep;
	struct nl_msg *msg;
	struct in6_addr a6;
	uint8_t raw[2];

	ktap_begin("add request: every option, sizes and host byte order");
	memset(&ep, 0, sizeof(ep));
	ep.has_id = true;
	ep.id = 0xfedcba98;
	ep.family = AF_INET6;
	ep.has_remote = true;
	inet_pton(AF_INET6, "2001:db8::2", &ep.remote.v6);
	ep.local_family = AF_INET6;
	ep.has_local = true;
	inet_pton(AF_INET6, "2001:db8::1", &ep.local.v6);
	ep.has_port = true;
	ep.port = 4798;
	ep.has_format = true;
	ep.format = VW_FORMAT_VW;
	ep.has_ttl = true;
	ep.ttl = VW_TTL_INHERIT;
	ep.has_tos = true;
	ep.tos = 0xb8;
	ep.has_df = true;
	ep.df = VW_DF_INHERIT;
	ep.has_srcport = true;
	ep.srcport_min = 0x1234;
	ep.srcport_max = 0xfff0;
	ep.has_csum = true;
	ep.csum = false;
	ep.has_udp6zcsum_tx = true;
	ep.udp6zcsum_tx = true;
	ep.has_udp6zcsum_rx = true;
	ep.udp6zcsum_rx = false;
	msg = new_msg(VW_CMD_ADD);
	CHECK(vw_nl_put_endpoint(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(tb[VW_A_ID] && nla_get_u32(tb[VW_A_ID]) == 0xfedcba98);
	CHECK(tb[VW_A_REMOTE6] && nla_len(tb[VW_A_REMOTE6]) == 16);
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	CHECK(tb[VW_A_LOCAL6] && nla_len(tb[VW_A_LOCAL6]) == 16 &&
	      !memcmp(nla_data(tb[VW_A_LOCAL6]), &a6, 16));
	CHECK(!tb[VW_A_REMOTE4] && !tb[VW_A_LOCAL4]);
	CHECK(is_u16(tb[VW_A_PORT], 4798));
	CHECK(is_u8(tb[VW_A_FORMAT], VW_FORMAT_VW));
	/* 256 does not fit a u8: TTL and TOS are u16. */
	CHECK(is_u16(tb[VW_A_TTL], 256));
	CHECK(is_u16(tb[VW_A_TOS], 0xb8));
	CHECK(is_u8(tb[VW_A_DF], VW_DF_INHERIT));
	CHECK(is_u16(tb[VW_A_SRCPORT_MIN], 0x1234));
	CHECK(is_u16(tb[VW_A_SRCPORT_MAX], 0xfff0));
	/* Host order, byte by byte, whatever the machine. */
	if (tb[VW_A_SRCPORT_MIN]) {
		uint16_t want = 0x1234;

		memcpy(raw, &want, 2);
		CHECK(!memcmp(nla_data(tb[VW_A_SRCPORT_MIN]), raw, 2));
	}
	CHECK(is_u8(tb[VW_A_CSUM], 0));
	CHECK(is_u8(tb[VW_A_UDP6_ZERO_CSUM_TX], 1));
	CHECK(is_u8(tb[VW_A_UDP6_ZERO_CSUM_RX], 0));
	CHECK(!tb[VW_A_PEER_IFNAME] && !tb[VW_A_PEER_IFINDEX] &&
	      !tb[VW_A_IFNAME] && !tb[VW_A_WIRE]);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("add request: TTL auto is 0, TOS inherit is 256");
	memset(&ep, 0, sizeof(ep));
	ep.has_ttl = true;
	ep.ttl = VW_TTL_AUTO;
	ep.has_tos = true;
	ep.tos = VW_TOS_INHERIT;
	msg = new_msg(VW_CMD_ADD);
	CHECK(vw_nl_put_endpoint(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(is_u16(tb[VW_A_TTL], 0));
	CHECK(is_u16(tb[VW_A_TOS], 256));
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("add request: a local wire sends the peer's name");
	memset(&ep, 0, sizeof(ep));
	ep.has_id = true;
	ep.id = 7;
	strcpy(ep.ifname, "vwA");
	ep.has_peer = true;
	strcpy(ep.peer_ifname, "vwB");
	msg = new_msg(VW_CMD_ADD);
	CHECK(vw_nl_put_endpoint(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(tb[VW_A_PEER_IFNAME] &&
	      !strcmp(nla_get_string(tb[VW_A_PEER_IFNAME]), "vwB"));
	CHECK(tb[VW_A_IFNAME] && !strcmp(nla_get_string(tb[VW_A_IFNAME]), "vwA"));
	CHECK(!tb[VW_A_PEER_IFINDEX] && !tb[VW_A_REMOTE4] && !tb[VW_A_REMOTE6]);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("add request: local any is an all-zero VW_A_LOCAL4");
	memset(&ep, 0, sizeof(ep));
	ep.family = AF_INET6;
	ep.has_remote = true;
	inet_pton(AF_INET6, "2001:db8::2", &ep.remote.v6);
	ep.has_local = true;
	ep.local_family = AF_INET;
	msg = new_msg(VW_CMD_ADD);
	CHECK(vw_nl_put_endpoint(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(tb[VW_A_REMOTE6]);
	CHECK(tb[VW_A_LOCAL4] && nla_len(tb[VW_A_LOCAL4]) == 4 &&
	      *(uint32_t *)nla_data(tb[VW_A_LOCAL4]) == 0);
	CHECK(!tb[VW_A_LOCAL6]);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("set request: the ID and only what changes");
	memset(&ep, 0, sizeof(ep));
	ep.has_id = true;
	ep.id = 42;
	ep.family = AF_INET;
	ep.has_remote = true;
	ep.remote.v4.s_addr = htonl(0xc0000203);
	msg = new_msg(VW_CMD_SET);
	CHECK(vw_nl_put_set(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(tb[VW_A_ID] && nla_get_u32(tb[VW_A_ID]) == 42);
	CHECK(tb[VW_A_REMOTE4] &&
	      ntohl(*(uint32_t *)nla_data(tb[VW_A_REMOTE4])) == 0xc0000203);
	{
		int i, n = 0;

		for (i = 0; i <= VW_A_MAX; i++)
			n += !!tb[i];
		if (!CHECK(n == 2))
			ktap_diag("%d attributes, want 2", n);
	}
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("set request: accept none is an empty VW_A_ACCEPT, relay off all-zero");
	memset(&ep, 0, sizeof(ep));
	ep.has_id = true;
	ep.id = 42;
	ep.has_accept = true;
	ep.has_relay = true;
	ep.relay_family = AF_INET;
	ep.has_standby = true;
	msg = new_msg(VW_CMD_SET);
	CHECK(vw_nl_put_set(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(tb[VW_A_ACCEPT] && nla_len(tb[VW_A_ACCEPT]) == 0);
	CHECK(tb[VW_A_RELAY4] && nla_len(tb[VW_A_RELAY4]) == 4 &&
	      *(uint32_t *)nla_data(tb[VW_A_RELAY4]) == 0);
	CHECK(tb[VW_A_STANDBY] && nla_get_u8(tb[VW_A_STANDBY]) == 0);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("add request: the migration settings");
	memset(&ep, 0, sizeof(ep));
	ep.has_id = true;
	ep.id = 42;
	ep.has_accept = true;
	ep.naccept = 2;
	ep.accept[0].family = AF_INET;
	ep.accept[0].addr.v4.s_addr = htonl(0xc6336400);
	ep.accept[0].len = 24;
	ep.accept[1].family = AF_INET6;
	ep.accept[1].len = 32;
	ep.has_vm_mac = true;
	ep.nvm_mac = 2;
	ep.vm_mac[1][5] = 7;
	ep.has_hold = true;
	ep.hold = 77;
	ep.has_hold_time = true;
	ep.hold_time = 88;
	ep.has_roam = true;
	ep.roam = true;
	ep.has_roam_holddown = true;
	ep.roam_holddown = 99;
	msg = new_msg(VW_CMD_ADD);
	CHECK(vw_nl_put_endpoint(msg, &ep) == 0);
	parse_msg(msg, tb);
	{
		struct nlattr *a, *ptb[VW_PREFIX_A_MAX + 1];
		int rem, n = 0;

		CHECK(tb[VW_A_ACCEPT]);
		nla_for_each_nested(a, tb[VW_A_ACCEPT], rem) {
			CHECK(nla_type(a) == VW_A_ACCEPT_PREFIX);
			CHECK(nla_parse_nested(ptb, VW_PREFIX_A_MAX, a, NULL) == 0);
			CHECK(ptb[n ? VW_PREFIX_A_ADDR6 : VW_PREFIX_A_ADDR4]);
			CHECK(ptb[VW_PREFIX_A_LEN] &&
			      nla_get_u8(ptb[VW_PREFIX_A_LEN]) == (n ? 32 : 24));
			n++;
		}
		CHECK(n == 2);
	}
	CHECK(tb[VW_A_VM_MAC] && nla_len(tb[VW_A_VM_MAC]) == 12 &&
	      ((uint8_t *)nla_data(tb[VW_A_VM_MAC]))[11] == 7);
	CHECK(tb[VW_A_HOLD] && nla_get_u32(tb[VW_A_HOLD]) == 77);
	CHECK(tb[VW_A_HOLD_TIME] && nla_get_u32(tb[VW_A_HOLD_TIME]) == 88);
	CHECK(tb[VW_A_ROAM] && nla_get_u8(tb[VW_A_ROAM]) == 1);
	CHECK(tb[VW_A_ROAM_HOLDDOWN] &&
	      nla_get_u32(tb[VW_A_ROAM_HOLDDOWN]) == 99);
	CHECK(!tb[VW_A_STANDBY] && !tb[VW_A_RELAY4] && !tb[VW_A_RELAY6]);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("set request: dev NAME and a peer");
	memset(&ep, 0, sizeof(ep));
	strcpy(ep.ifname, "vwA");
	ep.has_peer = true;
	strcpy(ep.peer_ifname, "vwC");
	ep.has_ttl = true;
	ep.ttl = 9;
	msg = new_msg(VW_CMD_SET);
	CHECK(vw_nl_put_set(msg, &ep) == 0);
	parse_msg(msg, tb);
	CHECK(!tb[VW_A_ID] && !tb[VW_A_IFINDEX]);
	CHECK(tb[VW_A_IFNAME] && !strcmp(nla_get_string(tb[VW_A_IFNAME]), "vwA"));
	CHECK(tb[VW_A_PEER_IFNAME] &&
	      !strcmp(nla_get_string(tb[VW_A_PEER_IFNAME]), "vwC"));
	CHECK(is_u16(tb[VW_A_TTL], 9));
	CHECK(!tb[VW_A_REMOTE4] && !tb[VW_A_REMOTE6] && !tb[VW_A_PORT] &&
	      !tb[VW_A_FORMAT] && !tb[VW_A_TOS]);
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

/* A full GET reply of the new ABI: a UDP wire or a local one. */
static struct nl_msg *reply_full(bool local_wire)
{
	static const uint8_t r6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	static const uint8_t l6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct nl_msg *msg = new_msg(VW_CMD_GET);
	struct nlattr *nest;
	int i;

	nla_put_u32(msg, VW_A_ID, 0xffffffff);
	nla_put_u32(msg, VW_A_IFINDEX, 8);
	nla_put_string(msg, VW_A_IFNAME, "vwA");
	nla_put_u8(msg, VW_A_WIRE, local_wire ? VW_WIRE_LOCAL : VW_WIRE_UDP);
	nla_put_u8(msg, VW_A_FORMAT, VW_FORMAT_VW);
	if (!local_wire)
		nla_put_u16(msg, VW_A_PORT, 4798);
	if (local_wire) {
		nla_put_u32(msg, VW_A_PEER_IFINDEX, 9);
		nla_put_string(msg, VW_A_PEER_IFNAME, "vwB");
	} else {
		nla_put(msg, VW_A_REMOTE6, 16, r6);
		nla_put(msg, VW_A_LOCAL6, 16, l6);
	}
	nla_put_u16(msg, VW_A_TTL, local_wire ? VW_TTL_INHERIT : 64);
	nla_put_u16(msg, VW_A_TOS, local_wire ? VW_TOS_INHERIT : 0xb8);
	nla_put_u8(msg, VW_A_DF, VW_DF_SET);
	nla_put_u16(msg, VW_A_SRCPORT_MIN, 49152);
	nla_put_u16(msg, VW_A_SRCPORT_MAX, 65535);
	nla_put_u8(msg, VW_A_CSUM, 1);
	nla_put_u8(msg, VW_A_UDP6_ZERO_CSUM_TX, 0);
	nla_put_u8(msg, VW_A_UDP6_ZERO_CSUM_RX, 1);
	nest = nla_nest_start(msg, VW_A_STATS);
	for (i = VW_STATS_RX_PACKETS; i <= VW_STATS_MAX; i++)
		nla_put_u64(msg, i, 1000 + i);
	nla_nest_end(msg, nest);
	return msg;
}

/* A reply holding attribute type in 3 bytes, no size of any number. */
static void junk_refused(int type)
{
	uint8_t junk[3] = { 1, 2, 3 };
	struct vw_endpoint ep;
	struct nl_msg *msg;

	msg = new_msg(VW_CMD_GET);
	nla_put(msg, type, 3, junk);
	if (!CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) < 0))
		ktap_diag("attribute %d of 3 bytes accepted", type);
	nlmsg_free(msg);
}

static void test_parse_full(void)
{
	struct vw_endpoint ep;
	struct nl_msg *msg;
	struct in6_addr a6;
	uint8_t zero[16] = { 0 };
	int i;
	bool all;

	ktap_begin("get reply: UDP wire, every configuration attribute");
	msg = reply_full(false);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(ep.has_id && ep.id == 0xffffffff);
	CHECK(ep.has_wire && ep.wire == VW_WIRE_UDP);
	CHECK(ep.has_format && ep.format == VW_FORMAT_VW);
	CHECK(ep.has_port && ep.port == 4798);
	inet_pton(AF_INET6, "2001:db8::2", &a6);
	CHECK(ep.has_remote && ep.family == AF_INET6 &&
	      !memcmp(&ep.remote.v6, &a6, 16));
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	CHECK(ep.has_local && ep.local_family == AF_INET6 &&
	      !memcmp(&ep.local.v6, &a6, 16));
	CHECK(!ep.has_peer && !ep.peer_ifname[0] && !ep.peer_ifindex);
	CHECK(ep.has_ttl && ep.ttl == 64);
	CHECK(ep.has_tos && ep.tos == 0xb8);
	CHECK(ep.has_df && ep.df == VW_DF_SET);
	CHECK(ep.has_srcport && ep.srcport_min == 49152 &&
	      ep.srcport_max == 65535);
	CHECK(ep.has_csum && ep.csum);
	CHECK(ep.has_udp6zcsum_tx && !ep.udp6zcsum_tx);
	CHECK(ep.has_udp6zcsum_rx && ep.udp6zcsum_rx);
	all = true;
	for (i = VW_STATS_RX_PACKETS; i <= VW_STATS_MAX; i++)
		all &= ep.stats.present[i] &&
		       ep.stats.val[i] == (uint64_t)(1000 + i);
	CHECK(all);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: local wire, the peer by index and name");
	msg = reply_full(true);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(ep.has_wire && ep.wire == VW_WIRE_LOCAL);
	CHECK(ep.has_peer && ep.peer_ifindex == 9);
	CHECK_STR(ep.peer_ifname, "vwB");
	CHECK(!ep.has_remote && !ep.has_local && !ep.has_port);
	CHECK(ep.has_ttl && ep.ttl == VW_TTL_INHERIT);
	CHECK(ep.has_tos && ep.tos == VW_TOS_INHERIT);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: TTL as a u8 rejected");
	msg = new_msg(VW_CMD_GET);
	nla_put_u8(msg, VW_A_TTL, 64);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) < 0);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: wrong sizes of the new attributes rejected");
	/* Up to the last one a reply carries: VW_A_ID_MIN/MAX are FLUSH's. */
	for (i = VW_A_WIRE; i <= VW_A_UDP6_ZERO_CSUM_RX; i++)
		if (i != VW_A_PEER_IFNAME)
			junk_refused(i);
	ktap_end();

	ktap_begin("get reply: the service level, a pad before a u64 skipped");
	msg = new_msg(VW_CMD_GET);
	nla_put(msg, VW_A_PAD, 0, NULL);
	nla_put_u64(msg, VW_A_RATE_MIN, 12500000);
	nla_put_u64(msg, VW_A_RATE_MAX, VW_RATE_UNLIMITED);
	nla_put_u32(msg, VW_A_RATE_BURST, 1500);
	nla_put_u32(msg, VW_A_PRIORITY, 0x10010);
	nla_put_u32(msg, VW_A_MARK, 42);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(ep.has_rate && ep.rate_min == 12500000 &&
	      ep.rate_max == VW_RATE_UNLIMITED);
	CHECK(ep.has_burst && ep.burst == 1500);
	CHECK(ep.has_priority && ep.priority == 0x10010);
	CHECK(ep.has_mark && ep.mark == 42);
	nlmsg_free(msg);
	/* Half a rate is none, as half a source port range. */
	msg = new_msg(VW_CMD_GET);
	nla_put_u64(msg, VW_A_RATE_MAX, 1000);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(!ep.has_rate);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: wrong sizes of the service level rejected");
	for (i = VW_A_RATE_MIN; i <= VW_A_MARK; i++)
		junk_refused(i);
	msg = new_msg(VW_CMD_GET);
	nla_put_u32(msg, VW_A_RATE_MIN, 1000);
	nla_put_u64(msg, VW_A_RATE_MAX, 1000);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) < 0);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: a switch other than 0 or 1 reads as on");
	msg = new_msg(VW_CMD_GET);
	nla_put_u8(msg, VW_A_CSUM, 2);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(ep.has_csum && ep.csum);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: half a source port range is none");
	msg = new_msg(VW_CMD_GET);
	nla_put_u16(msg, VW_A_SRCPORT_MIN, 1000);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(!ep.has_srcport);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("get reply: all-zero local is no local, of either family");
	msg = new_msg(VW_CMD_GET);
	nla_put(msg, VW_A_REMOTE6, 16, &in6addr_loopback);
	nla_put(msg, VW_A_LOCAL4, 4, zero);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(ep.has_remote && !ep.has_local);
	nlmsg_free(msg);
	msg = new_msg(VW_CMD_GET);
	nla_put(msg, VW_A_LOCAL6, 16, zero);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &ep) == 0);
	CHECK(!ep.has_local);
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

void test_netlink_kernel(void)
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
	test_put_config();
	test_parse_reply();
	test_parse_full();
	test_perror();
}
