// SPDX-License-Identifier: GPL-2.0
/* Output: the JSON writer, counter names, text and JSON of "show". */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "print.h"

/* Output of fn(f, arg) as a string; the caller frees it. */
static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, arg);
	fclose(f);
	return buf;
}

static void write_string(FILE *f, const void *s)
{
	json_write_string(f, s);
}

static const struct {
	const char *name;
	const char *in;
	const char *out;
} escapes[] = {
	{ "plain", "vw0", "\"vw0\"" },
	{ "empty", "", "\"\"" },
	{ "quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"" },
	{ "named controls", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
	{ "other controls", "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
	{ "slash kept", "a/b", "\"a/b\"" },
	{ "valid UTF-8 kept", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
	{ "stray byte", "a\xff" "b", "\"a\\ufffdb\"" },
	{ "lone continuation", "\x80", "\"\\ufffd\"" },
	{ "overlong", "\xc0\xaf", "\"\\ufffd\\ufffd\"" },
	{ "overlong 3-byte", "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "surrogate", "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "past U+10FFFF", "\xf4\x90\x80\x80",
	  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ "truncated at end", "x\xe2\x82", "\"x\\ufffd\\ufffd\"" },
	{ "truncated mid-string", "\xe2\x82x", "\"\\ufffd\\ufffdx\"" },
};

static void test_escaping(void)
{
	size_t i;
	char *s;

	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		ktap_begin("json string: %s", escapes[i].name);
		s = capture(write_string, escapes[i].in);
		CHECK_STR(s, escapes[i].out);
		free(s);
		ktap_end();
	}
}

/* Every byte 1..255 in one string: Python's parser must take it. */
static void test_escaping_python(void)
{
	char in[256], *s, cmd[] = "python3 -c 'import json,sys; "
		"v = json.load(sys.stdin); "
		"sys.exit(0 if len(v) > 100 and \"\\t\" in v else 1)'";
	FILE *p;
	int i, st;

	ktap_begin("json string: every byte parses as JSON");
	if (system("command -v python3 >/dev/null 2>&1")) {
		ktap_skip("no python3");
		ktap_end();
		return;
	}
	for (i = 1; i < 256; i++)
		in[i - 1] = i;
	in[255] = '\0';
	s = capture(write_string, in);
	p = popen(cmd, "w");
	CHECK(p);
	if (p) {
		fputs(s, p);
		st = pclose(p);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	free(s);
	ktap_end();
}

static void write_nested(FILE *f, const void *arg)
{
	struct json j;

	(void)arg;
	json_init(&j, f);
	json_begin_obj(&j, NULL);
	json_u64(&j, "a", 18446744073709551615ULL);
	json_begin_arr(&j, "b");
	json_u64(&j, NULL, 1);
	json_str(&j, NULL, "x");
	json_null(&j, NULL);
	json_begin_obj(&j, NULL);
	json_end_obj(&j);
	json_begin_arr(&j, NULL);
	json_end_arr(&j);
	json_end_arr(&j);
	json_str(&j, "c", NULL);
	json_str(&j, "d\"", "e");
	json_end_obj(&j);
}

static void test_emitter(void)
{
	char *s;

	ktap_begin("json writer: commas, nesting, null, u64 max");
	s = capture(write_nested, NULL);
	CHECK_STR(s, "{\"a\":18446744073709551615,\"b\":[1,\"x\",null,{},[]],"
		  "\"c\":null,\"d\\\"\":\"e\"}\n");
	free(s);
	ktap_end();
}

static void test_stat_names(void)
{
	unsigned int i;
	bool drop;

	ktap_begin("counter names follow the VW_STATS_* enum");
	CHECK_STR(stat_name(VW_STATS_RX_PACKETS, &drop), "rx_packets");
	CHECK(!drop);
	CHECK_STR(stat_name(VW_STATS_TX_BYTES, &drop), "tx_bytes");
	CHECK(!drop);
	CHECK_STR(stat_name(VW_STATS_DROP_UNKNOWN_ID, &drop), "unknown_id");
	CHECK(drop);
	CHECK_STR(stat_name(VW_STATS_DROP_NO_ROUTE, &drop), "no_route");
	CHECK(drop);
	CHECK_STR(stat_name(VW_STATS_DROP_BAD_SOURCE, &drop), "bad_source");
	CHECK(drop);
	CHECK_STR(stat_name(VW_STATS_DROP_TOO_BIG, &drop), "too_big");
	CHECK_STR(stat_name(VW_STATS_DROP_ECN, &drop), "ecn");
	CHECK_STR(stat_name(VW_STATS_DROP_ZERO_CSUM, &drop), "zero_csum");
	CHECK_STR(stat_name(VW_STATS_DROP_NO_PEER, &drop), "no_peer");
	CHECK_STR(stat_name(VW_STATS_DROP_PEER_DOWN, &drop), "peer_down");
	CHECK(drop);
	CHECK_STR(stat_name(VW_STATS_ROUTE_HIT, &drop), "route_hit");
	CHECK(!drop);
	CHECK_STR(stat_name(VW_STATS_ROUTE_MISS, &drop), "route_miss");
	CHECK(!drop);
	CHECK(stat_name(VW_STATS_UNSPEC, &drop) == NULL);
	CHECK(stat_name(VW_STATS_PAD, &drop) == NULL);
	CHECK(stat_name(VW_STATS_MAX + 1, &drop) == NULL);
	CHECK(stat_name(1000, &drop) == NULL);
	ktap_end();

	/* Fails when the uapi grows a counter that print.c has not named. */
	ktap_begin("every counter of the uapi has a name");
	for (i = VW_STATS_RX_PACKETS; i <= VW_STATS_MAX; i++)
		if (!CHECK(stat_name(i, &drop)))
			ktap_diag("counter %u has no name", i);
	ktap_end();
}

static void set(struct vw_counters *st, int nr, uint64_t v)
{
	st->present[nr] = true;
	st->val[nr] = v;
}

struct show_args {
	struct vw_endpoint eps[3];
	size_t n;
	struct vw_counters ns;
	bool with_ns;
};

static void make_example(struct show_args *a)
{
	struct vw_endpoint *ep;

	memset(a, 0, sizeof(*a));
	ep = &a->eps[0];
	ep->has_id = true;
	ep->id = 42;
	strcpy(ep->ifname, "vw0");
	ep->ifindex = 5;
	ep->has_format = true;
	ep->format = VW_FORMAT_VXLAN;
	ep->has_port = true;
	ep->port = 4789;
	ep->family = AF_INET;
	ep->has_remote = true;
	inet_pton(AF_INET, "192.0.2.2", &ep->remote.v4);
	ep->has_stats = true;
	set(&ep->stats, VW_STATS_RX_PACKETS, 12);
	set(&ep->stats, VW_STATS_RX_BYTES, 1176);
	set(&ep->stats, VW_STATS_TX_PACKETS, 12);
	set(&ep->stats, VW_STATS_TX_BYTES, 1176);
	set(&ep->stats, VW_STATS_DROP_NO_ROUTE, 0);
	set(&ep->stats, VW_STATS_DROP_XMIT, 2);

	/* Made by "ip link add vw1 type virtualwire": no ID, no remote. */
	ep = &a->eps[1];
	strcpy(ep->ifname, "vw1");
	ep->ifindex = 6;
	ep->has_format = true;
	ep->format = VW_FORMAT_VXLAN;
	ep->has_stats = true;
	set(&ep->stats, VW_STATS_DROP_UNBOUND, 0);

	ep = &a->eps[2];
	ep->has_id = true;
	ep->id = 16777215;
	strcpy(ep->ifname, "vw\"2");
	ep->ifindex = 7;
	ep->has_format = true;
	ep->format = 9;
	ep->has_port = true;
	ep->port = 8472;
	ep->family = AF_INET6;
	ep->has_remote = true;
	inet_pton(AF_INET6, "2001:db8::2", &ep->remote.v6);
	ep->has_local = true;
	ep->local_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &ep->local.v6);
	set(&ep->stats, VW_STATS_RX_PACKETS, 1);
	set(&ep->stats, VW_STATS_DROP_LOOP, 5);
	set(&ep->stats, VW_STATS_DROP_DOWN, 1);
	a->n = 3;

	set(&a->ns, VW_STATS_DROP_UNKNOWN_ID, 3);
	set(&a->ns, VW_STATS_DROP_BAD_HEADER, 0);
	set(&a->ns, VW_STATS_DROP_SHORT, 0);
	a->with_ns = true;
}

static void show_json(FILE *f, const void *arg)
{
	const struct show_args *a = arg;

	print_show_json(f, a->eps, a->n, a->with_ns ? &a->ns : NULL);
}

static void show_text(FILE *f, const void *arg)
{
	const struct show_args *a = arg;

	print_show_text(f, a->eps, a->n, a->with_ns ? &a->ns : NULL);
}

static void test_show(void)
{
	struct show_args a;
	char *s;

	make_example(&a);

	ktap_begin("show --json: all connectors and the namespace");
	s = capture(show_json, &a);
	CHECK_STR(s,
		  "{\"connectors\":[{\"id\":42,\"dev\":\"vw0\","
		  "\"remote\":\"192.0.2.2\",\"peer\":null,\"local\":null,"
		  "\"port\":4789,\"format\":\"vxlan\",\"ttl\":null,"
		  "\"tos\":null,\"df\":null,\"srcport\":null,\"csum\":null,"
		  "\"udp6zerocsumtx\":null,\"udp6zerocsumrx\":null,"
		  "\"accept\":[],\"roam\":null,\"roam_holddown_ms\":null,"
		  "\"relay\":null,\"hold\":null,\"hold_time_ms\":null,"
		  "\"vm_mac\":[],"
		  "\"rate_bytes_per_sec\":null,\"burst_bytes\":null,"
		  "\"priority\":null,\"mark\":null,"
		  "\"ifindex\":5,\"wire\":null,\"state\":null,"
		  "\"stats\":{\"rx_packets\":12,\"rx_bytes\":1176,"
		  "\"tx_packets\":12,\"tx_bytes\":1176,"
		  "\"drops\":{\"no_route\":0,\"xmit\":2}}},{\"id\":null,"
		  "\"dev\":\"vw1\",\"remote\":null,\"peer\":null,"
		  "\"local\":null,\"port\":null,\"format\":\"vxlan\","
		  "\"ttl\":null,\"tos\":null,\"df\":null,\"srcport\":null,"
		  "\"csum\":null,\"udp6zerocsumtx\":null,"
		  "\"udp6zerocsumrx\":null,\"accept\":[],\"roam\":null,"
		  "\"roam_holddown_ms\":null,\"relay\":null,\"hold\":null,"
		  "\"hold_time_ms\":null,\"vm_mac\":[],"
		  "\"rate_bytes_per_sec\":null,\"burst_bytes\":null,"
		  "\"priority\":null,\"mark\":null,"
		  "\"ifindex\":6,"
		  "\"wire\":null,\"state\":null,"
		  "\"stats\":{\"drops\":{\"unbound\":0}}},{\"id\":16777215,"
		  "\"dev\":\"vw\\\"2\",\"remote\":\"2001:db8::2\","
		  "\"peer\":null,\"local\":\"2001:db8::1\",\"port\":8472,"
		  "\"format\":\"unknown(9)\",\"ttl\":null,\"tos\":null,"
		  "\"df\":null,\"srcport\":null,\"csum\":null,"
		  "\"udp6zerocsumtx\":null,\"udp6zerocsumrx\":null,"
		  "\"accept\":[],\"roam\":null,\"roam_holddown_ms\":null,"
		  "\"relay\":null,\"hold\":null,\"hold_time_ms\":null,"
		  "\"vm_mac\":[],"
		  "\"rate_bytes_per_sec\":null,\"burst_bytes\":null,"
		  "\"priority\":null,\"mark\":null,"
		  "\"ifindex\":7,\"wire\":null,\"state\":null,"
		  "\"stats\":{\"rx_packets\":1,\"drops\":{\"loop\":5,"
		  "\"down\":1}}}],\"namespace\":{\"drops\":{\"unknown_id\":3,"
		  "\"bad_header\":0,\"short\":0}}}\n");
	free(s);
	ktap_end();

	ktap_begin("show: text of all connectors and the namespace");
	s = capture(show_text, &a);
	CHECK_STR(s,
		  "42 dev vw0 remote 192.0.2.2 port 4789 format vxlan\n"
		  "  ifindex: 5\n"
		  "  rx: 12 packets, 1176 bytes\n"
		  "  tx: 12 packets, 1176 bytes\n"
		  "  drops: xmit 2\n"
		  "\n"
		  "unbound dev vw1 format vxlan\n"
		  "  ifindex: 6\n"
		  "  drops: none\n"
		  "\n"
		  "16777215 dev vw\"2 remote 2001:db8::2 local 2001:db8::1 "
		  "port 8472 format unknown(9)\n"
		  "  ifindex: 7\n"
		  "  rx: 1 packets\n"
		  "  drops: loop 5, down 1\n"
		  "\n"
		  "namespace drops: unknown_id 3\n");
	free(s);
	ktap_end();

	a.n = 1;
	a.with_ns = false;
	ktap_begin("show ID --json: no namespace member");
	s = capture(show_json, &a);
	CHECK(s && !strstr(s, "namespace"));
	CHECK(s && !strncmp(s, "{\"connectors\":[{\"id\":42,", 24));
	free(s);
	ktap_end();

	ktap_begin("show ID: no namespace line");
	s = capture(show_text, &a);
	CHECK(s && !strstr(s, "namespace"));
	free(s);
	ktap_end();

	memset(&a, 0, sizeof(a));
	a.with_ns = true;
	ktap_begin("show --json: no connectors, no counters");
	s = capture(show_json, &a);
	CHECK_STR(s, "{\"connectors\":[],\"namespace\":{\"drops\":{}}}\n");
	free(s);
	ktap_end();

	ktap_begin("show: no connectors, no counters");
	s = capture(show_text, &a);
	CHECK_STR(s, "namespace drops: none\n");
	free(s);
	ktap_end();

	ktap_begin("show: unbound endpoint with a port");
	a.n = 1;
	a.with_ns = false;
	a.eps[0].has_port = true;
	a.eps[0].port = 4789;
	strcpy(a.eps[0].ifname, "vw9");
	s = capture(show_text, &a);
	CHECK_STR(s, "unbound dev vw9 port 4789\n"
		  "  drops: none\n");
	free(s);
	ktap_end();
}

/* Every drop counter the uapi has, zeros included, as "stats" reads them. */
static void all_drops(struct vw_counters *st, int except_below)
{
	bool drop;
	int i;

	for (i = except_below; i <= VW_STATS_MAX; i++)
		if (stat_name(i, &drop) && drop)
			set(st, i, 0);
}

/* A UDP endpoint reporting every field, and the two ends of a local wire. */
static void make_full(struct show_args *a)
{
	struct vw_endpoint *ep;

	memset(a, 0, sizeof(*a));
	ep = &a->eps[0];
	ep->has_id = true;
	ep->id = 42;
	strcpy(ep->ifname, "vw0");
	ep->ifindex = 5;
	ep->has_wire = true;
	ep->wire = VW_WIRE_UDP;
	ep->has_format = true;
	ep->format = VW_FORMAT_VW;
	ep->has_port = true;
	ep->port = 4798;
	ep->family = AF_INET6;
	ep->has_remote = true;
	inet_pton(AF_INET6, "2001:db8::2", &ep->remote.v6);
	ep->local_family = AF_INET6;
	ep->has_local = true;
	inet_pton(AF_INET6, "2001:db8::1", &ep->local.v6);
	ep->has_ttl = true;
	ep->ttl = 64;
	ep->has_tos = true;
	ep->tos = 0xb8;
	ep->has_df = true;
	ep->df = VW_DF_INHERIT;
	ep->has_srcport = true;
	ep->srcport_min = 49152;
	ep->srcport_max = 65535;
	ep->has_csum = true;
	ep->csum = true;
	ep->has_udp6zcsum_tx = true;
	ep->udp6zcsum_tx = false;
	ep->has_udp6zcsum_rx = true;
	ep->udp6zcsum_rx = true;
	ep->has_stats = true;
	set(&ep->stats, VW_STATS_RX_PACKETS, 12);
	set(&ep->stats, VW_STATS_RX_BYTES, 1176);
	set(&ep->stats, VW_STATS_TX_PACKETS, 12);
	set(&ep->stats, VW_STATS_TX_BYTES, 1176);
	set(&ep->stats, VW_STATS_ROUTE_HIT, 11);
	set(&ep->stats, VW_STATS_ROUTE_MISS, 1);
	all_drops(&ep->stats, VW_STATS_DROP_NO_ROUTE);
	set(&ep->stats, VW_STATS_DROP_TOO_BIG, 3);

	ep = &a->eps[1];
	ep->has_id = true;
	ep->id = 7;
	strcpy(ep->ifname, "vwA");
	ep->ifindex = 8;
	ep->has_wire = true;
	ep->wire = VW_WIRE_LOCAL;
	ep->has_format = true;
	ep->format = VW_FORMAT_VXLAN;
	ep->has_peer = true;
	strcpy(ep->peer_ifname, "vwB");
	ep->peer_ifindex = 9;
	ep->has_ttl = true;
	ep->ttl = VW_TTL_AUTO;
	ep->has_tos = true;
	ep->tos = VW_TOS_INHERIT;
	ep->has_df = true;
	ep->df = VW_DF_UNSET;
	ep->has_srcport = true;
	ep->srcport_min = 49152;
	ep->srcport_max = 65535;
	ep->has_csum = true;
	ep->csum = true;
	ep->has_udp6zcsum_tx = true;
	ep->has_udp6zcsum_rx = true;
	ep->has_stats = true;
	set(&ep->stats, VW_STATS_RX_PACKETS, 3);
	set(&ep->stats, VW_STATS_RX_BYTES, 180);
	set(&ep->stats, VW_STATS_TX_PACKETS, 0);
	set(&ep->stats, VW_STATS_TX_BYTES, 0);
	set(&ep->stats, VW_STATS_DROP_NO_PEER, 0);
	set(&ep->stats, VW_STATS_DROP_PEER_DOWN, 1);

	/* The other end, its peer deleted: a local wire with no peer. */
	ep = &a->eps[2];
	ep->has_id = true;
	ep->id = 7;
	strcpy(ep->ifname, "vwC");
	ep->ifindex = 10;
	ep->has_wire = true;
	ep->wire = VW_WIRE_LOCAL;
	ep->has_format = true;
	ep->format = VW_FORMAT_VXLAN;
	ep->has_ttl = true;
	ep->ttl = VW_TTL_INHERIT;
	ep->has_tos = true;
	ep->tos = 0;
	ep->has_df = true;
	ep->df = VW_DF_SET;
	ep->has_srcport = true;
	ep->srcport_min = 1;
	ep->srcport_max = 1;
	ep->has_csum = true;
	ep->csum = false;
	ep->has_udp6zcsum_tx = true;
	ep->udp6zcsum_tx = true;
	ep->has_stats = true;
	set(&ep->stats, VW_STATS_DROP_NO_PEER, 4);
	a->n = 3;

	set(&a->ns, VW_STATS_DROP_UNKNOWN_ID, 3);
	set(&a->ns, VW_STATS_DROP_BAD_HEADER, 0);
	set(&a->ns, VW_STATS_DROP_SHORT, 0);
	a->with_ns = true;
}

static void stats_json(FILE *f, const void *arg)
{
	const struct show_args *a = arg;

	print_stats_json(f, a->eps, a->n, a->with_ns ? &a->ns : NULL);
}

static void stats_text(FILE *f, const void *arg)
{
	const struct show_args *a = arg;

	print_stats_text(f, a->eps, a->n, a->with_ns ? &a->ns : NULL);
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

#define ZERO_DROPS_TAIL \
	"\"nomem\":0,\"xmit\":0,\"unbound\":0,\"down\":0," \
	"\"bad_source\":0,\"too_big\":3,\"ecn\":0,\"zero_csum\":0," \
	"\"no_peer\":0,\"peer_down\":0,\"hold_full\":0," \
	"\"hold_expired\":0,\"standby\":0,\"relaying\":0," \
	"\"relay_loop\":0,\"rate\":0"

static void test_show_full(void)
{
	struct show_args a;
	char *s;

	make_full(&a);

	ktap_begin("show --json: UDP wire with every field, local wires");
	s = capture(show_json, &a);
	CHECK_STR(s,
		  "{\"connectors\":[{\"id\":42,\"dev\":\"vw0\","
		  "\"remote\":\"2001:db8::2\",\"peer\":null,"
		  "\"local\":\"2001:db8::1\",\"port\":4798,\"format\":\"vw\","
		  "\"ttl\":64,\"tos\":184,\"df\":\"inherit\","
		  "\"srcport\":{\"min\":49152,\"max\":65535},\"csum\":true,"
		  "\"udp6zerocsumtx\":false,\"udp6zerocsumrx\":true,"
		  "\"accept\":[],\"roam\":null,\"roam_holddown_ms\":null,"
		  "\"relay\":null,\"hold\":null,\"hold_time_ms\":null,"
		  "\"vm_mac\":[],"
		  "\"rate_bytes_per_sec\":null,\"burst_bytes\":null,"
		  "\"priority\":null,\"mark\":null,"
		  "\"ifindex\":5,\"wire\":\"udp\",\"state\":null,"
		  "\"stats\":{\"rx_packets\":12,\"rx_bytes\":1176,"
		  "\"tx_packets\":12,\"tx_bytes\":1176,\"route_hit\":11,"
		  "\"route_miss\":1,\"drops\":{\"no_route\":0,\"loop\":0,"
		  "\"nomem\":0,\"xmit\":0,\"unbound\":0,\"down\":0,"
		  "\"bad_source\":0,\"too_big\":3,\"ecn\":0,\"zero_csum\":0,"
		  "\"no_peer\":0,\"peer_down\":0,\"hold_full\":0,"
		  "\"hold_expired\":0,\"standby\":0,\"relaying\":0,"
		  "\"relay_loop\":0,\"rate\":0}}},{\"id\":7,\"dev\":\"vwA\","
		  "\"remote\":null,\"peer\":\"vwB\",\"local\":null,"
		  "\"port\":null,\"format\":\"vxlan\",\"ttl\":\"auto\","
		  "\"tos\":\"inherit\",\"df\":\"unset\","
		  "\"srcport\":{\"min\":49152,\"max\":65535},\"csum\":true,"
		  "\"udp6zerocsumtx\":false,\"udp6zerocsumrx\":false,"
		  "\"accept\":[],\"roam\":null,\"roam_holddown_ms\":null,"
		  "\"relay\":null,\"hold\":null,\"hold_time_ms\":null,"
		  "\"vm_mac\":[],"
		  "\"rate_bytes_per_sec\":null,\"burst_bytes\":null,"
		  "\"priority\":null,\"mark\":null,"
		  "\"ifindex\":8,\"wire\":\"local\","
		  "\"state\":null,\"stats\":{\"rx_packets\":3,\"rx_bytes\":180,"
		  "\"tx_packets\":0,\"tx_bytes\":0,\"drops\":{\"no_peer\":0,"
		  "\"peer_down\":1}}},{\"id\":7,\"dev\":\"vwC\","
		  "\"remote\":null,\"peer\":null,\"local\":null,\"port\":null,"
		  "\"format\":\"vxlan\",\"ttl\":\"inherit\",\"tos\":0,"
		  "\"df\":\"set\",\"srcport\":{\"min\":1,\"max\":1},"
		  "\"csum\":false,\"udp6zerocsumtx\":true,"
		  "\"udp6zerocsumrx\":null,\"accept\":[],\"roam\":null,"
		  "\"roam_holddown_ms\":null,\"relay\":null,\"hold\":null,"
		  "\"hold_time_ms\":null,\"vm_mac\":[],"
		  "\"rate_bytes_per_sec\":null,\"burst_bytes\":null,"
		  "\"priority\":null,\"mark\":null,"
		  "\"ifindex\":10,"
		  "\"wire\":\"local\",\"state\":null,"
		  "\"stats\":{\"drops\":{\"no_peer\":4}}}],"
		  "\"namespace\":{\"drops\":{\"unknown_id\":3,\"bad_header\":0,"
		  "\"short\":0}}}\n");
	check_python(s, "j[\"connectors\"][0][\"srcport\"][\"max\"] == 65535 and "
		     "j[\"connectors\"][1][\"udp6zerocsumrx\"] is False and "
		     "j[\"connectors\"][2][\"udp6zerocsumrx\"] is None and "
		     "j[\"connectors\"][1][\"ttl\"] == \"auto\"");
	free(s);
	ktap_end();

	ktap_begin("show: text of a UDP wire with every field, local wires");
	s = capture(show_text, &a);
	CHECK_STR(s,
		  "42 dev vw0 remote 2001:db8::2 local 2001:db8::1 port 4798 "
		  "format vw ttl 64 tos 0xb8 df inherit srcport 49152 65535 "
		  "csum on udp6zerocsumtx off udp6zerocsumrx on\n"
		  "  wire: udp, ifindex: 5\n"
		  "  rx: 12 packets, 1176 bytes\n"
		  "  tx: 12 packets, 1176 bytes\n"
		  "  drops: too_big 3\n"
		  "\n"
		  "7 dev vwA peer vwB format vxlan ttl auto tos inherit df unset "
		  "srcport 49152 65535 csum on udp6zerocsumtx off "
		  "udp6zerocsumrx off\n"
		  "  wire: local, ifindex: 8, peer ifindex: 9\n"
		  "  rx: 3 packets, 180 bytes\n"
		  "  tx: 0 packets, 0 bytes\n"
		  "  drops: peer_down 1\n"
		  "\n"
		  "7 dev vwC peer none format vxlan ttl inherit tos 0x00 df set "
		  "srcport 1 1 csum off udp6zerocsumtx on\n"
		  "  wire: local, ifindex: 10\n"
		  "  drops: no_peer 4\n"
		  "\n"
		  "namespace drops: unknown_id 3\n");
	free(s);
	ktap_end();

	ktap_begin("show: values this vwctl has no name for");
	a.n = 1;
	a.with_ns = false;
	a.eps[0].wire = 7;
	a.eps[0].df = 9;
	a.eps[0].ttl = 300;
	a.eps[0].tos = 511;
	a.eps[0].has_udp6zcsum_tx = false;
	a.eps[0].has_srcport = false;
	s = capture(show_text, &a);
	CHECK(s && strstr(s, "  wire: unknown(7), "));
	CHECK(s && strstr(s, " df unknown(9) "));
	CHECK(s && strstr(s, " ttl 300 "));
	CHECK(s && strstr(s, " tos 0x1ff "));
	CHECK(s && strstr(s, " udp6zerocsumrx on\n"));
	CHECK(s && !strstr(s, "srcport"));
	free(s);
	s = capture(show_json, &a);
	CHECK(s && strstr(s, "\"wire\":\"unknown(7)\""));
	CHECK(s && strstr(s, "\"df\":\"unknown(9)\""));
	CHECK(s && strstr(s, "\"ttl\":300,\"tos\":511,"));
	CHECK(s && strstr(s, "\"srcport\":null,"));
	CHECK(s && strstr(s, "\"udp6zerocsumtx\":null,\"udp6zerocsumrx\":true"));
	free(s);
	ktap_end();
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void test_stats(void)
{
	struct show_args a;
	char *s;

	make_full(&a);
	/* And one made by ip link, not bound yet. */
	strcpy(a.eps[2].ifname, "vw1");
	a.eps[2].has_id = false;
	memset(&a.eps[2].stats, 0, sizeof(a.eps[2].stats));
	set(&a.eps[2].stats, VW_STATS_DROP_UNBOUND, 2);

	ktap_begin("stats: every counter, zeros included, and the namespace");
	s = capture(stats_text, &a);
	CHECK_STR(s,
		  "connector 42 (vw0)\n"
		  "  rx: 12 packets, 1176 bytes\n"
		  "  tx: 12 packets, 1176 bytes\n"
		  "  counters: route_hit 11, route_miss 1\n"
		  "  drops: no_route 0, loop 0, nomem 0, xmit 0, unbound 0, down 0,"
		  " bad_source 0, too_big 3, ecn 0, zero_csum 0, no_peer 0,"
		  " peer_down 0, hold_full 0, hold_expired 0, standby 0,"
		  " relaying 0, relay_loop 0, rate 0\n"
		  "connector 7 (vwA)\n"
		  "  rx: 3 packets, 180 bytes\n"
		  "  tx: 0 packets, 0 bytes\n"
		  "  drops: no_peer 0, peer_down 1\n"
		  "connector unbound (vw1)\n"
		  "  drops: unbound 2\n"
		  "namespace: unknown_id 3, bad_header 0, short 0\n");
	free(s);
	ktap_end();

	ktap_begin("stats --json: id, dev and the stats object of show");
	s = capture(stats_json, &a);
	CHECK_STR(s,
		  "{\"connectors\":["
		  "{\"id\":42,\"dev\":\"vw0\","
		  "\"stats\":{\"rx_packets\":12,\"rx_bytes\":1176,"
		  "\"tx_packets\":12,\"tx_bytes\":1176,"
		  "\"route_hit\":11,\"route_miss\":1,"
		  "\"drops\":{\"no_route\":0,\"loop\":0," ZERO_DROPS_TAIL "}}},"
		  "{\"id\":7,\"dev\":\"vwA\","
		  "\"stats\":{\"rx_packets\":3,\"rx_bytes\":180,"
		  "\"tx_packets\":0,\"tx_bytes\":0,"
		  "\"drops\":{\"no_peer\":0,\"peer_down\":1}}},"
		  "{\"id\":null,\"dev\":\"vw1\","
		  "\"stats\":{\"drops\":{\"unbound\":2}}}],"
		  "\"namespace\":{\"drops\":{\"unknown_id\":3,\"bad_header\":0,"
		  "\"short\":0}}}\n");
	check_python(s, "j[\"connectors\"][0][\"stats\"][\"drops\"][\"too_big\"] == 3 "
		     "and j[\"namespace\"][\"drops\"][\"unknown_id\"] == 3");
	free(s);
	ktap_end();

	a.n = 1;
	a.with_ns = false;
	ktap_begin("stats ID: no namespace line or member");
	s = capture(stats_text, &a);
	CHECK(s && !strstr(s, "namespace") &&
	      starts_with(s, "connector 42 (vw0)\n"));
	free(s);
	s = capture(stats_json, &a);
	CHECK(s && !strstr(s, "namespace") &&
	      starts_with(s, "{\"connectors\":[{\"id\":42,\"dev\":\"vw0\",\"stats\":{"));
	free(s);
	ktap_end();

	memset(&a, 0, sizeof(a));
	a.with_ns = true;
	ktap_begin("stats: no connectors, no counters");
	s = capture(stats_text, &a);
	CHECK_STR(s, "namespace: none\n");
	free(s);
	s = capture(stats_json, &a);
	CHECK_STR(s, "{\"connectors\":[],\"namespace\":{\"drops\":{}}}\n");
	free(s);
	ktap_end();
}

void test_print(void)
{
	test_escaping();
	test_escaping_python();
	test_emitter();
	test_stat_names();
	test_show();
	test_show_full();
	test_stats();
}
