// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor without a kernel: event messages built here as the module
 * sends them, decoded and printed as text and JSON, and nlctrl's
 * notification that the family went away.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>

#include "ktap.h"
#include "netlink.h"
#include "print.h"

#define FAKE_FAMILY 0x21

/* An event as vw_nl_notify() builds it: the attributes of a GET reply. */
static struct nl_msg *event(uint8_t cmd, bool local_wire)
{
	static const uint8_t remote[4] = { 192, 0, 2, 2 };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0, cmd, VW_GENL_VERSION);
	nla_put_u32(msg, VW_A_IFINDEX, local_wire ? 8 : 5);
	nla_put_string(msg, VW_A_IFNAME, local_wire ? "vwa" : "vw0");
	nla_put_u32(msg, VW_A_ID, local_wire ? 7 : 42);
	nla_put_u8(msg, VW_A_WIRE, local_wire ? VW_WIRE_LOCAL : VW_WIRE_UDP);
	nla_put_u8(msg, VW_A_FORMAT, VW_FORMAT_VXLAN);
	if (local_wire) {
		nla_put_u32(msg, VW_A_PEER_IFINDEX, 9);
		nla_put_string(msg, VW_A_PEER_IFNAME, "vwb");
	} else {
		nla_put(msg, VW_A_REMOTE4, 4, remote);
		nla_put_u16(msg, VW_A_PORT, 4789);
	}
	nla_put_u16(msg, VW_A_TTL, VW_TTL_AUTO);
	nla_put_u16(msg, VW_A_TOS, 0);
	nla_put_u8(msg, VW_A_DF, VW_DF_UNSET);
	nla_put_u16(msg, VW_A_SRCPORT_MIN, 49152);
	nla_put_u16(msg, VW_A_SRCPORT_MAX, 65535);
	nla_put_u8(msg, VW_A_CSUM, 1);
	nla_put_u8(msg, VW_A_UDP6_ZERO_CSUM_TX, 0);
	nla_put_u8(msg, VW_A_UDP6_ZERO_CSUM_RX, 0);
	nest = nla_nest_start(msg, VW_A_STATS);
	nla_put_u64(msg, VW_STATS_RX_PACKETS, 0);
	nla_put_u64(msg, VW_STATS_DROP_NO_ROUTE, 0);
	nla_nest_end(msg, nest);
	return msg;
}

/* nlctrl's announcement of a family that is gone (or came). */
static struct nl_msg *ctrl_event(uint8_t cmd, const char *name, int id)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, GENL_ID_CTRL, 0, 0, cmd, 2);
	if (name)
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name);
	if (id >= 0)
		nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, id);
	return msg;
}

struct printed {
	FILE *f;
	char *buf;
	size_t len;
	bool json;
	int n;
	int stop_after;		/* 0: never */
};

static bool print_cb(uint8_t cmd, const struct vw_endpoint *ep, void *arg)
{
	struct printed *p = arg;

	if (p->json)
		print_event_json(p->f, cmd, ep);
	else
		print_event_text(p->f, cmd, ep);
	p->n++;
	return p->n != p->stop_after;
}

static void printed_open(struct printed *p, bool json)
{
	memset(p, 0, sizeof(*p));
	p->f = open_memstream(&p->buf, &p->len);
	p->json = json;
}

static const char *printed_text(struct printed *p)
{
	fflush(p->f);
	return p->buf;
}

static void printed_close(struct printed *p)
{
	fclose(p->f);
	free(p->buf);
}

/* The messages of msgs, back to back in one buffer, as one datagram. */
static size_t concat(struct nl_msg **msgs, int n, char *buf, size_t size)
{
	size_t len = 0, l;
	int i;

	for (i = 0; i < n; i++) {
		l = NLMSG_ALIGN(nlmsg_hdr(msgs[i])->nlmsg_len);
		if (len + l > size)
			break;
		memcpy(buf + len, nlmsg_hdr(msgs[i]), l);
		len += l;
	}
	return len;
}

static char *text_of(uint8_t cmd, bool local_wire, bool json)
{
	struct nl_msg *msg = event(cmd, local_wire);
	struct vw_endpoint ep;
	uint8_t got = 0;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY, &got, &ep) ==
	      VW_EVENT_ENDPOINT);
	CHECK(got == cmd);
	if (json)
		print_event_json(f, got, &ep);
	else
		print_event_text(f, got, &ep);
	fclose(f);
	nlmsg_free(msg);
	return buf;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* python3 must parse json and find expr true (j is the document). */
static void check_python(const char *json, const char *expr)
{
	char cmd[1024];
	FILE *p;
	int st;

	if (system("command -v python3 >/dev/null 2>&1")) {
		ktap_diag("no python3: JSON not checked by a parser");
		return;
	}
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; j = json.load(sys.stdin); "
		 "sys.exit(0 if (%s) else 1)'", expr);
	p = popen(cmd, "w");
	if (!CHECK(p))
		return;
	fputs(json, p);
	st = pclose(p);
	if (!CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		ktap_diag("python3 rejected: %s", expr);
}

static void test_text(void)
{
	char *s;

	ktap_begin("monitor text: new UDP wire, in the words of show");
	s = text_of(VW_CMD_NEW, false, false);
	CHECK_STR(s, "new "
		  "42 dev vw0 remote 192.0.2.2 port 4789 format vxlan ttl auto tos 0x00 df unset srcport 49152 65535 csum on udp6zerocsumtx off udp6zerocsumrx off\n");
	free(s);
	ktap_end();

	ktap_begin("monitor text: changed local wire");
	s = text_of(VW_CMD_CHANGED, true, false);
	CHECK_STR(s, "changed "
		  "7 dev vwa peer vwb format vxlan ttl auto tos 0x00 df unset srcport 49152 65535 csum on udp6zerocsumtx off udp6zerocsumrx off\n");
	free(s);
	ktap_end();

	ktap_begin("monitor text: removed");
	s = text_of(VW_CMD_REMOVED, false, false);
	CHECK_STR(s, "removed "
		  "42 dev vw0 remote 192.0.2.2 port 4789 format vxlan ttl auto tos 0x00 df unset srcport 49152 65535 csum on udp6zerocsumtx off udp6zerocsumrx off\n");
	free(s);
	ktap_end();

	ktap_begin("monitor text: an event this vwctl has no name for");
	s = text_of(200, false, false);
	CHECK_STR(s, "unknown(200) "
		  "42 dev vw0 remote 192.0.2.2 port 4789 format vxlan ttl auto tos 0x00 df unset srcport 49152 65535 csum on udp6zerocsumtx off udp6zerocsumrx off\n");
	free(s);
	ktap_end();
}

/* Every option away from its default, in the words of add. */
static void test_text_options(void)
{
	struct vw_endpoint ep = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ktap_begin("monitor text: every option in the words of add");
	ep.has_id = true;
	ep.id = 3000000000u;
	strcpy(ep.ifname, "vw1");
	ep.has_wire = true;
	ep.wire = VW_WIRE_UDP;
	ep.has_format = true;
	ep.format = VW_FORMAT_VW;
	ep.has_remote = true;
	ep.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::2", &ep.remote.v6);
	ep.has_local = true;
	ep.local_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &ep.local.v6);
	ep.has_port = true;
	ep.port = 4798;
	ep.has_ttl = true;
	ep.ttl = VW_TTL_INHERIT;
	ep.has_tos = true;
	ep.tos = 0xb8;
	ep.has_df = true;
	ep.df = VW_DF_SET;
	ep.has_srcport = true;
	ep.srcport_min = 50000;
	ep.srcport_max = 50999;
	ep.has_csum = true;
	ep.csum = false;
	ep.has_udp6zcsum_tx = true;
	ep.udp6zcsum_tx = true;
	ep.has_udp6zcsum_rx = true;
	ep.udp6zcsum_rx = true;
	f = open_memstream(&buf, &len);
	print_event_text(f, VW_CMD_CHANGED, &ep);
	fclose(f);
	CHECK_STR(buf, "changed 3000000000 dev vw1 remote 2001:db8::2 "
		  "local 2001:db8::1 port 4798 format vw ttl inherit tos 0xb8 "
		  "df set srcport 50000 50999 csum off udp6zerocsumtx on "
		  "udp6zerocsumrx on\n");
	free(buf);
	ktap_end();

	ktap_begin("monitor text: numeric ttl, tos inherit, a peer that is gone");
	memset(&ep, 0, sizeof(ep));
	ep.has_id = true;
	ep.id = 7;
	strcpy(ep.ifname, "vwa");
	ep.has_wire = true;
	ep.wire = VW_WIRE_LOCAL;
	ep.has_ttl = true;
	ep.ttl = 16;
	ep.has_tos = true;
	ep.tos = VW_TOS_INHERIT;
	buf = NULL;
	f = open_memstream(&buf, &len);
	print_event_text(f, VW_CMD_CHANGED, &ep);
	fclose(f);
	CHECK_STR(buf, "changed 7 dev vwa peer none ttl 16 tos inherit\n");
	free(buf);
	ktap_end();

	ktap_begin("monitor text: an unbound endpoint");
	memset(&ep, 0, sizeof(ep));
	strcpy(ep.ifname, "vw9");
	buf = NULL;
	f = open_memstream(&buf, &len);
	print_event_text(f, VW_CMD_REMOVED, &ep);
	fclose(f);
	CHECK_STR(buf, "removed unbound dev vw9\n");
	free(buf);
	ktap_end();
}

static void test_json(void)
{
	char *s, *show = NULL;
	struct nl_msg *msg;
	struct vw_endpoint ep;
	size_t len = 0;
	uint8_t cmd;
	FILE *f;

	ktap_begin("monitor json: one line, the connector as show prints it");
	s = text_of(VW_CMD_NEW, false, true);
	CHECK(starts_with(s, "{\"event\":\"new\",\"connector\":{\"id\":42,"
			  "\"dev\":\"vw0\",\"remote\":"));
	CHECK(strchr(s, '\n') == s + strlen(s) - 1);
	/* The connector object is show's, byte for byte. */
	msg = event(VW_CMD_NEW, false);
	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY, &cmd, &ep) ==
	      VW_EVENT_ENDPOINT);
	f = open_memstream(&show, &len);
	print_show_json(f, &ep, 1, NULL);
	fclose(f);
	/* {"connectors":[X]}\n  against  {"event":"new","connector":X}\n */
	if (CHECK(strlen(show) > 18 && strlen(s) > 30)) {
		size_t xs = strlen(show) - strlen("{\"connectors\":[") - 3;
		const char *x = show + strlen("{\"connectors\":[");
		const char *y = s + strlen("{\"event\":\"new\",\"connector\":");

		CHECK(!strncmp(x, y, xs) && !strcmp(y + xs, "}\n"));
	}
	check_python(s, "j[\"event\"] == \"new\" and "
		     "j[\"connector\"][\"id\"] == 42 and "
		     "j[\"connector\"][\"remote\"] == \"192.0.2.2\" and "
		     "j[\"connector\"][\"port\"] == 4789 and "
		     "j[\"connector\"][\"peer\"] is None and "
		     "j[\"connector\"][\"stats\"][\"drops\"][\"no_route\"] == 0 and "
		     "len(j) == 2");
	nlmsg_free(msg);
	free(show);
	free(s);
	ktap_end();

	ktap_begin("monitor json: changed and removed");
	s = text_of(VW_CMD_CHANGED, true, true);
	CHECK(starts_with(s, "{\"event\":\"changed\",\"connector\":{\"id\":7,"));
	check_python(s, "j[\"connector\"][\"wire\"] == \"local\" and "
		     "j[\"connector\"][\"peer\"] == \"vwb\" and "
		     "j[\"connector\"][\"remote\"] is None");
	free(s);
	s = text_of(VW_CMD_REMOVED, false, true);
	CHECK(starts_with(s, "{\"event\":\"removed\","));
	check_python(s, "j[\"event\"] == \"removed\"");
	free(s);
	ktap_end();

	ktap_begin("monitor json: an unknown event is unknown(N)");
	s = text_of(99, false, true);
	CHECK(starts_with(s, "{\"event\":\"unknown(99)\","));
	free(s);
	ktap_end();
}

static void test_decode(void)
{
	struct vw_endpoint ep;
	struct nl_msg *msg;
	uint8_t cmd;

	ktap_begin("monitor: nlctrl DELFAMILY of our family ID is the end");
	msg = ctrl_event(CTRL_CMD_DELFAMILY, VW_GENL_NAME, FAKE_FAMILY);
	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY, &cmd, &ep) ==
	      VW_EVENT_GONE);
	nlmsg_free(msg);
	msg = ctrl_event(CTRL_CMD_DELFAMILY, VW_GENL_NAME, -1);
	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY, &cmd, &ep) ==
	      VW_EVENT_GONE);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("monitor: other nlctrl news is ignored");
	msg = ctrl_event(CTRL_CMD_DELFAMILY, "wireguard", FAKE_FAMILY + 1);
	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY, &cmd, &ep) ==
	      VW_EVENT_NONE);
	nlmsg_free(msg);
	msg = ctrl_event(CTRL_CMD_NEWFAMILY, VW_GENL_NAME, FAKE_FAMILY);
	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY, &cmd, &ep) ==
	      VW_EVENT_NONE);
	nlmsg_free(msg);
	msg = ctrl_event(CTRL_CMD_DELMCAST_GRP, VW_GENL_NAME, FAKE_FAMILY);
	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY, &cmd, &ep) ==
	      VW_EVENT_NONE);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("monitor: messages of another family are ignored");
	msg = event(VW_CMD_NEW, false);
	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY + 1, &cmd, &ep) ==
	      VW_EVENT_NONE);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("monitor: an event without a genetlink header is refused");
	msg = nlmsg_alloc_simple(FAKE_FAMILY, 0);
	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY, &cmd, &ep) < 0);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("monitor: a malformed event is refused");
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0, VW_CMD_NEW, 1);
	nla_put_u8(msg, VW_A_ID, 1);
	CHECK(vw_nl_parse_event(nlmsg_hdr(msg), FAKE_FAMILY, &cmd, &ep) < 0);
	nlmsg_free(msg);
	ktap_end();
}

static void test_dispatch(void)
{
	static char buf[65536] __attribute__((aligned(4)));
	struct nl_msg *msgs[4];
	struct vw_nl nl = { .family = FAKE_FAMILY };
	struct printed p;
	size_t len;
	int i;

	msgs[0] = event(VW_CMD_NEW, false);
	msgs[1] = ctrl_event(CTRL_CMD_NEWFAMILY, "other", 0x30);
	msgs[2] = event(VW_CMD_CHANGED, true);
	msgs[3] = ctrl_event(CTRL_CMD_DELFAMILY, VW_GENL_NAME, FAKE_FAMILY);
	len = concat(msgs, 4, buf, sizeof(buf));

	ktap_begin("monitor: every event of a datagram, in order, then the end");
	printed_open(&p, false);
	CHECK(vw_nl_monitor_dispatch(&nl, buf, len, print_cb, &p) ==
	      VW_NL_NOFAMILY);
	CHECK(p.n == 2);
	CHECK_STR(printed_text(&p),
		  "new "
		  "42 dev vw0 remote 192.0.2.2 port 4789 format vxlan ttl auto tos 0x00 df unset srcport 49152 65535 csum on udp6zerocsumtx off udp6zerocsumrx off\n"
		  "changed "
		  "7 dev vwa peer vwb format vxlan ttl auto tos 0x00 df unset srcport 49152 65535 csum on udp6zerocsumtx off udp6zerocsumrx off\n");
	printed_close(&p);
	ktap_end();

	ktap_begin("monitor: a callback that says stop stops");
	printed_open(&p, true);
	p.stop_after = 1;
	CHECK(vw_nl_monitor_dispatch(&nl, buf, len, print_cb, &p) ==
	      VW_NL_STOP);
	CHECK(p.n == 1);
	CHECK(starts_with(printed_text(&p), "{\"event\":\"new\""));
	printed_close(&p);
	ktap_end();

	ktap_begin("monitor: a truncated datagram ends at the last whole message");
	printed_open(&p, false);
	len = concat(msgs, 1, buf, sizeof(buf));
	CHECK(vw_nl_monitor_dispatch(&nl, buf, len - 8, print_cb, &p) ==
	      VW_NL_OK);
	CHECK(p.n == 0);
	printed_close(&p);
	ktap_end();

	ktap_begin("monitor: a malformed event fails with a parse error");
	printed_open(&p, false);
	nlmsg_free(msgs[1]);
	msgs[1] = nlmsg_alloc();
	genlmsg_put(msgs[1], 0, 0, FAKE_FAMILY, 0, 0, VW_CMD_NEW, 1);
	nla_put_u16(msgs[1], VW_A_IFINDEX, 1);
	len = concat(msgs, 3, buf, sizeof(buf));
	CHECK(vw_nl_monitor_dispatch(&nl, buf, len, print_cb, &p) ==
	      VW_NL_FAIL);
	CHECK(nl.nlerr != 0);
	CHECK(p.n == 1);
	printed_close(&p);
	ktap_end();

	for (i = 0; i < 4; i++)
		nlmsg_free(msgs[i]);
}

void test_monitor(void)
{
	test_text();
	test_text_options();
	test_json();
	test_decode();
	test_dispatch();
}
