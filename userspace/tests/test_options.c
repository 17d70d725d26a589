// SPDX-License-Identifier: GPL-2.0
/*
 * The table of endpoint options: its rows are complete and distinct, what
 * show prints parses back to the same endpoint (through the netlink
 * request and report), save leaves out the defaults and orders local
 * wires, and a refused attribute is named by the operator's keyword.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ktap.h"
#include "netlink.h"
#include "options.h"
#include "print.h"

#define FAKE_FAMILY 0x20

static char *words_of(const struct vw_endpoint *ep, bool save)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	option_print_words(f, ep, save);
	fclose(f);
	return buf;
}

static void test_rows(void)
{
	const struct vw_option *o;
	size_t i, k;
	bool ok;

	ktap_begin("options: keywords distinct, every row complete");
	CHECK(vw_noptions <= VW_OPTIONS_MAX);
	for (i = 0; i < vw_noptions; i++) {
		o = &vw_options[i];
		ok = o->keyword && o->help && o->parse && o->where &&
		     (o->nargs == 0) == !o->args;
		/* What add or set send, show reads back and prints. */
		if (o->attrs[0])
			ok = ok && o->put && o->get && o->words;
		if (o->json_key)
			ok = ok && o->json;
		if (!CHECK(ok))
			ktap_diag("row '%s' is incomplete", o->keyword);
		for (k = 0; k < i; k++)
			if (!CHECK(strcmp(o->keyword, vw_options[k].keyword)))
				ktap_diag("'%s' twice", o->keyword);
		CHECK(option_find(o->keyword, o->where) == o);
	}
	CHECK(!option_find("dev", OPT_SET) && option_find("dev", OPT_ADD));
	CHECK(!option_find("active", OPT_ADD) && option_find("active", OPT_SET));
	CHECK(!option_find("bogus", OPT_ADD | OPT_SET));
	ktap_end();

	ktap_begin("options: each attribute of a request has the operator's word");
	CHECK_STR(option_attr_word(VW_A_ID), "ID");
	CHECK_STR(option_attr_word(VW_A_IFNAME), "dev");
	CHECK_STR(option_attr_word(VW_A_REMOTE6), "remote");
	CHECK_STR(option_attr_word(VW_A_LOCAL4), "local");
	CHECK_STR(option_attr_word(VW_A_PEER_IFNAME), "peer");
	CHECK_STR(option_attr_word(VW_A_SRCPORT_MAX), "srcport");
	CHECK_STR(option_attr_word(VW_A_UDP6_ZERO_CSUM_TX), "udp6zerocsumtx");
	CHECK_STR(option_attr_word(VW_A_ACCEPT), "accept");
	CHECK_STR(option_attr_word(VW_A_RELAY6), "relay");
	CHECK_STR(option_attr_word(VW_A_STANDBY), "standby");
	CHECK_STR(option_attr_word(VW_A_RATE_MAX), "rate");
	CHECK_STR(option_attr_word(VW_A_RATE_BURST), "burst");
	CHECK_STR(option_attr_word(VW_A_MARK), "mark");
	CHECK_STR(option_attr_word(VW_A_ID_MIN), "id");
	CHECK(!option_attr_word(VW_A_STATS));
	for (i = VW_A_ID; i <= VW_A_MAX; i++) {
		if (i == VW_A_STATS || i == VW_A_WIRE || i == VW_A_STATE ||
		    i == VW_A_PAD)
			continue;
		if (!CHECK(option_attr_word(i)))
			ktap_diag("attribute %zu has no word", i);
	}
	ktap_end();
}

/* The words after "add" of a line of show, split in place. */
static int split(char *line, char **argv, int max)
{
	int n = 0;
	char *w;

	for (w = strtok(line, " \n"); w && n < max; w = strtok(NULL, " \n"))
		argv[n++] = w;
	return n;
}

/*
 * show's line of ep, given to add, put into a request, read back as the
 * kernel would report it, printed again: the same line.
 */
static void round_trip(const char *name, const struct vw_endpoint *ep)
{
	struct vw_opts opts = { 0 };
	struct vw_endpoint back;
	char *first, *line, *again, *argv[64];
	struct nl_msg *msg;
	int argc;

	ktap_begin("options: show's words of %s parse back to it", name);
	first = words_of(ep, false);
	if (asprintf(&line, "%u%s", ep->id, first) < 0)
		line = NULL;
	argc = split(line, argv, 64);
	CHECK(parse_add(argc, argv, &back, &opts));
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0, VW_CMD_NEW, 1);
	CHECK(vw_nl_put_endpoint(msg, &back) == 0);
	/* The kernel reports its state where add said standby. */
	if (back.has_standby)
		nla_put_u8(msg, VW_A_STATE, back.standby ? VW_STATE_STANDBY :
			   VW_STATE_ACTIVE);
	CHECK(vw_nl_parse_endpoint(nlmsg_hdr(msg), &back) == 0);
	again = words_of(&back, false);
	CHECK_STR(again, first);
	nlmsg_free(msg);
	free(first);
	free(again);
	free(line);
	ktap_end();
}

static void udp_full(struct vw_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->has_id = true;
	ep->id = 3000000000u;
	strcpy(ep->ifname, "vw1");
	ep->has_wire = true;
	ep->wire = VW_WIRE_UDP;
	ep->has_format = true;
	ep->format = VW_FORMAT_VW;
	ep->has_remote = true;
	ep->family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::2", &ep->remote.v6);
	ep->has_local = true;
	ep->local_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &ep->local.v6);
	ep->has_port = true;
	ep->port = 5000;
	ep->has_ttl = true;
	ep->ttl = VW_TTL_INHERIT;
	ep->has_tos = true;
	ep->tos = 0xb8;
	ep->has_df = true;
	ep->df = VW_DF_SET;
	ep->has_srcport = true;
	ep->srcport_min = 50000;
	ep->srcport_max = 50999;
	ep->has_csum = true;
	ep->has_udp6zcsum_tx = true;
	ep->udp6zcsum_tx = true;
	ep->has_udp6zcsum_rx = true;
	ep->has_state = true;
	ep->state = VW_STATE_STANDBY;
	ep->has_accept = true;
	ep->naccept = 2;
	ep->accept[0].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.0", &ep->accept[0].addr.v4);
	ep->accept[0].len = 24;
	ep->accept[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:5::", &ep->accept[1].addr.v6);
	ep->accept[1].len = 48;
	ep->has_roam = true;
	ep->roam = true;
	ep->has_roam_holddown = true;
	ep->roam_holddown = 500;
	ep->has_relay = true;
	ep->relay_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::9", &ep->relay.v6);
	ep->has_hold = true;
	ep->hold = 7;
	ep->has_hold_time = true;
	ep->hold_time = 300;
	ep->has_vm_mac = true;
	ep->nvm_mac = 1;
	memcpy(ep->vm_mac[0], "\x52\x54\x00\x12\x34\x56", 6);
	ep->has_rate = true;
	ep->rate_min = 12500000;	/* 100mbit */
	ep->rate_max = 1250000000;	/* 10gbit */
	ep->has_burst = true;
	ep->burst = 1 << 20;
	ep->has_priority = true;
	ep->priority = 0x10010;
	ep->has_mark = true;
	ep->mark = 0x2a;
}

/* The service level a new endpoint of either wire is reported with. */
static void sla_default(struct vw_endpoint *ep)
{
	ep->has_rate = true;
	ep->rate_max = VW_RATE_UNLIMITED;
	ep->has_burst = true;
	ep->burst = VW_RATE_BURST_DEFAULT;
	ep->has_priority = true;
	ep->has_mark = true;
}

/* A UDP wire as a new one is reported: every option at its default. */
static void udp_default(struct vw_endpoint *ep, uint32_t id, const char *dev)
{
	memset(ep, 0, sizeof(*ep));
	ep->has_id = true;
	ep->id = id;
	strcpy(ep->ifname, dev);
	ep->has_wire = true;
	ep->wire = VW_WIRE_UDP;
	ep->has_format = true;
	ep->has_remote = true;
	ep->family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", &ep->remote.v4);
	ep->has_port = true;
	ep->port = 4789;
	ep->has_ttl = true;
	ep->has_tos = true;
	ep->has_df = true;
	ep->has_srcport = true;
	ep->srcport_min = 49152;
	ep->srcport_max = 65535;
	ep->has_csum = true;
	ep->csum = true;
	ep->has_udp6zcsum_tx = true;
	ep->has_udp6zcsum_rx = true;
	ep->has_state = true;
	ep->has_accept = true;
	ep->has_roam = true;
	ep->has_roam_holddown = true;
	ep->roam_holddown = 1000;
	ep->has_hold = true;
	ep->hold = 1024;
	ep->has_hold_time = true;
	ep->hold_time = 2000;
	ep->has_vm_mac = true;
	sla_default(ep);
}

static void local_end(struct vw_endpoint *ep, uint32_t id, const char *dev,
		      const char *peer)
{
	memset(ep, 0, sizeof(*ep));
	ep->has_id = true;
	ep->id = id;
	strcpy(ep->ifname, dev);
	ep->has_wire = true;
	ep->wire = VW_WIRE_LOCAL;
	ep->has_format = true;
	if (peer) {
		ep->has_peer = true;
		strcpy(ep->peer_ifname, peer);
	}
	ep->has_ttl = true;
	ep->has_tos = true;
	ep->has_df = true;
	ep->has_srcport = true;
	ep->srcport_min = 49152;
	ep->srcport_max = 65535;
	ep->has_csum = true;
	ep->csum = true;
	sla_default(ep);
}

static char *save_of(const struct vw_endpoint *eps, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	print_save(f, eps, n);
	fclose(f);
	return buf;
}

static void test_words(void)
{
	struct vw_endpoint ep, eps[6];
	char *s;

	udp_full(&ep);
	round_trip("a UDP wire with every option set", &ep);
	udp_default(&ep, 42, "vw42");
	round_trip("a UDP wire at the defaults", &ep);
	local_end(&ep, 7, "vwa", "vwb");
	ep.has_ttl = true;
	ep.ttl = 9;
	round_trip("a local wire", &ep);
	udp_default(&ep, 43, "vw43");
	ep.rate_min = 1;
	ep.rate_max = VW_RATE_LIMIT;
	ep.burst = 1500;
	ep.priority = 6;
	round_trip("a UDP wire with the extreme rates", &ep);

	ktap_begin("save: a UDP wire at the defaults is its ID, dev and remote");
	udp_default(&eps[0], 42, "vw42");
	s = save_of(eps, 1);
	CHECK_STR(s, "add 42 dev vw42 remote 192.0.2.2\n");
	free(s);
	ktap_end();

	ktap_begin("save: every option away from its default");
	udp_full(&eps[0]);
	s = save_of(eps, 1);
	CHECK_STR(s, "add 3000000000 dev vw1 remote 2001:db8::2 "
		  "local 2001:db8::1 port 5000 format vw ttl inherit tos 0xb8 "
		  "df set srcport 50000 50999 csum off udp6zerocsumtx on "
		  "accept 192.0.2.0/24,2001:db8:5::/48 roam on "
		  "roam-holddown 500 relay 2001:db8::9 hold 7 hold-time 300 "
		  "vm-mac 52:54:00:12:34:56 rate 100mbit 10gbit burst 1m "
		  "priority 1:10 mark 0x2a standby\n");
	free(s);
	ktap_end();

	ktap_begin("save: the vw format's port is its default");
	udp_default(&eps[0], 42, "vw42");
	eps[0].format = VW_FORMAT_VW;
	eps[0].port = 4798;
	s = save_of(eps, 1);
	CHECK_STR(s, "add 42 dev vw42 remote 192.0.2.2 format vw\n");
	free(s);
	ktap_end();

	ktap_begin("save: UDP wires first, local pairs by one add and a set");
	local_end(&eps[0], 5, "vwa", "vwb");
	eps[0].ttl = 7;
	local_end(&eps[1], 5, "vwb", "vwa");
	eps[1].tos = 8;
	local_end(&eps[2], 6, "vwc", "vw9");
	udp_default(&eps[3], 9, "vw9");
	local_end(&eps[4], 8, "vwd", NULL);
	memset(&eps[5], 0, sizeof(eps[5]));
	strcpy(eps[5].ifname, "vwu");
	s = save_of(eps, 6);
	CHECK_STR(s, "add 9 dev vw9 remote 192.0.2.2\n"
		  "# dev vwu: unbound, not saved\n"
		  "add 5 dev vwa peer vwb ttl 7\n"
		  "set dev vwb peer vwa ttl auto tos 0x08\n"
		  "add 6 dev vwc peer vw9\n"
		  "# 8 dev vwd: a local wire whose peer is gone, not saved\n");
	free(s);
	ktap_end();
}

/* The message vw_nl_perror() prints for nl. */
static char *perror_of(const struct vw_nl *nl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	vw_nl_perror(nl, "add", f);
	fclose(f);
	return buf;
}

static void test_errors(void)
{
	struct vw_endpoint ep = { 0 };
	struct vw_nl nl = { 0 };
	struct nl_msg *msg;
	struct nlattr *a;
	uint32_t off;
	char *s;

	ktap_begin("errors: the attribute at an offset of the request");
	ep.has_id = true;
	ep.id = 42;
	strcpy(ep.ifname, "vw0");
	ep.has_remote = true;
	ep.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", &ep.remote.v4);
	ep.has_local = true;
	ep.local_family = AF_INET6;
	ep.has_accept = true;
	ep.naccept = 1;
	ep.accept[0].family = AF_INET;
	ep.accept[0].len = 8;
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0, VW_CMD_ADD, 1);
	CHECK(vw_nl_put_endpoint(msg, &ep) == 0);
	a = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, VW_A_LOCAL6);
	CHECK(a);
	off = (char *)a - (char *)nlmsg_hdr(msg);
	CHECK(vw_nl_attr_at(nlmsg_hdr(msg), off) == VW_A_LOCAL6);
	/* The kernel points into an attribute's payload too. */
	CHECK(vw_nl_attr_at(nlmsg_hdr(msg), off + 4) == VW_A_LOCAL6);
	a = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, VW_A_ACCEPT);
	off = (char *)a - (char *)nlmsg_hdr(msg);
	/* Inside the nest: the prefix's address. */
	CHECK(vw_nl_attr_at(nlmsg_hdr(msg), off + 8) == VW_A_ACCEPT);
	CHECK(vw_nl_attr_at(nlmsg_hdr(msg), 2) == 0);
	CHECK(vw_nl_attr_at(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len) == 0);
	nlmsg_free(msg);
	ktap_end();

	ktap_begin("errors: the keyword, then the kernel's message");
	nl.err = EINVAL;
	nl.bad_attr = VW_A_LOCAL6;
	strcpy(nl.extack, "must be the same family as remote");
	s = perror_of(&nl);
	CHECK_STR(s, "vwctl: add: local: must be the same family as remote (Invalid argument)\n");
	free(s);
	ktap_end();

	ktap_begin("errors: an older module's VW_A_ prefix gives way to the keyword");
	strcpy(nl.extack, "VW_A_LOCAL6: give one of them");
	s = perror_of(&nl);
	CHECK_STR(s, "vwctl: add: local: give one of them (Invalid argument)\n");
	free(s);
	ktap_end();

	ktap_begin("errors: without an offset, the message alone");
	nl.bad_attr = 0;
	strcpy(nl.extack, "no such thing");
	s = perror_of(&nl);
	CHECK_STR(s, "vwctl: add: no such thing (Invalid argument)\n");
	free(s);
	nl.extack[0] = '\0';
	s = perror_of(&nl);
	CHECK_STR(s, "vwctl: add: Invalid argument\n");
	free(s);
	ktap_end();
}

static void test_pretty(void)
{
	static const char tail[] = "    }\n  ]\n}\n";
	struct vw_endpoint ep;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ktap_begin("--pretty: a member a line, indented");
	udp_default(&ep, 42, "vw42");
	json_set_pretty(true);
	f = open_memstream(&buf, &len);
	print_show_json(f, &ep, 1, NULL);
	fclose(f);
	json_set_pretty(false);
	CHECK(buf && !strncmp(buf, "{\n  \"connectors\": [\n    {\n"
			      "      \"id\": 42,\n      \"dev\": \"vw42\",\n",
			      strlen("{\n  \"connectors\": [\n    {\n"
				     "      \"id\": 42,\n      \"dev\": \"vw42\",\n")));
	CHECK(buf && strstr(buf, "\"accept\": [],\n"));
	CHECK(buf && strlen(buf) > strlen(tail) &&
	      !strcmp(buf + strlen(buf) - strlen(tail), tail));
	free(buf);
	ktap_end();
}

void test_options(void)
{
	test_rows();
	test_words();
	test_errors();
	test_pretty();
}
