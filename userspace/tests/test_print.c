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
		  "{\"connectors\":["
		  "{\"id\":42,\"dev\":\"vw0\",\"ifindex\":5,\"format\":\"vxlan\","
		  "\"remote\":\"192.0.2.2\",\"local\":null,\"port\":4789,"
		  "\"stats\":{\"rx_packets\":12,\"rx_bytes\":1176,"
		  "\"tx_packets\":12,\"tx_bytes\":1176,"
		  "\"drops\":{\"no_route\":0,\"xmit\":2}}},"
		  "{\"id\":null,\"dev\":\"vw1\",\"ifindex\":6,\"format\":\"vxlan\","
		  "\"remote\":null,\"local\":null,\"port\":null,"
		  "\"stats\":{\"drops\":{\"unbound\":0}}},"
		  "{\"id\":16777215,\"dev\":\"vw\\\"2\",\"ifindex\":7,"
		  "\"format\":\"unknown(9)\",\"remote\":\"2001:db8::2\","
		  "\"local\":\"2001:db8::1\",\"port\":8472,"
		  "\"stats\":{\"rx_packets\":1,"
		  "\"drops\":{\"loop\":5,\"down\":1}}}],"
		  "\"namespace\":{\"drops\":{\"unknown_id\":3,\"bad_header\":0,"
		  "\"short\":0}}}\n");
	free(s);
	ktap_end();

	ktap_begin("show: text of all connectors and the namespace");
	s = capture(show_text, &a);
	CHECK_STR(s,
		  "connector 42\n"
		  "  dev: vw0 (ifindex 5)\n"
		  "  format: vxlan\n"
		  "  remote: 192.0.2.2 port 4789\n"
		  "  local: any\n"
		  "  rx: 12 packets, 1176 bytes\n"
		  "  tx: 12 packets, 1176 bytes\n"
		  "  drops: xmit 2\n"
		  "\n"
		  "connector (unbound)\n"
		  "  dev: vw1 (ifindex 6)\n"
		  "  format: vxlan\n"
		  "  remote: none\n"
		  "  local: any\n"
		  "  drops: none\n"
		  "\n"
		  "connector 16777215\n"
		  "  dev: vw\"2 (ifindex 7)\n"
		  "  format: unknown(9)\n"
		  "  remote: 2001:db8::2 port 8472\n"
		  "  local: 2001:db8::1\n"
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
	CHECK_STR(s, "connector (unbound)\n"
		  "  dev: vw9\n"
		  "  remote: none (port 4789)\n"
		  "  local: any\n"
		  "  drops: none\n");
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
}
