// SPDX-License-Identifier: GPL-2.0
/*
 * Output of "vwctl show", "vwctl stats" and "vwctl monitor".
 *
 * JSON schema of "show --json", printed as one line of UTF-8 text (with
 * --pretty, indented over many); members in the order of the option
 * table (options.c), ifindex, wire, state and stats last:
 *
 *   {
 *     "connectors": [               every endpoint, or the one asked for
 *       {
 *         "id": 42,                 connector ID (number); null for an
 *                                   endpoint not bound to an ID yet
 *         "dev": "vw0",             device name, or null
 *         "ifindex": 5,             device index, or null
 *         "format": "vxlan",        wire format, "vxlan" or "vw";
 *                                   "unknown(N)" for a format this vwctl
 *                                   has no name for; or null
 *         "wire": "udp",            "udp" (to a remote host) or "local"
 *                                   (to a peer device on this host);
 *                                   "unknown(N)"; or null
 *         "remote": "192.0.2.2",    remote address (IPv4 dotted quad or
 *                                   IPv6 RFC 5952 text); null for a local
 *                                   wire and an unbound endpoint
 *         "peer": null,             peer device name of a local wire;
 *                                   null for a UDP wire, an unbound
 *                                   endpoint, and a peer that is gone
 *         "local": null,            outer source address; null: any
 *         "port": 4789,             UDP port (number); null for a local
 *                                   wire and an unbound endpoint
 *         "ttl": 64,                outer TTL / hop limit: a number
 *                                   1-255, "auto" (the route's default)
 *                                   or "inherit" (the inner one); or null
 *         "tos": 0,                 outer TOS / traffic class: a number
 *                                   0-255 or "inherit"; or null
 *         "df": "unset",            outer IPv4 DF bit: "unset", "set",
 *                                   "inherit" or "unknown(N)"; or null
 *         "srcport": {              outer UDP source port range, or null
 *           "min": 49152,
 *           "max": 65535
 *         },
 *         "csum": true,             UDP checksum over IPv4 (bool), or null
 *         "udp6zerocsumtx": false,  send zero UDP checksums over IPv6
 *                                   (bool), or null
 *         "udp6zerocsumrx": false,  accept zero UDP checksums over IPv6
 *                                   (bool), or null
 *         "state": "active",        "active", "standby" or "relay";
 *                                   "unknown(N)"; or null
 *         "relay": null,            where it relays to, or null
 *         "accept": [],             accepted source prefixes, "ADDR/LEN"
 *         "roam": false,            roaming (bool), or null
 *         "roam_holddown_ms": 1000, or null
 *         "hold": 1024,             standby queue bound, frames, or null
 *         "hold_time_ms": 2000,     how long a frame is held, or null
 *         "vm_mac": [],             the VM's MAC addresses
 *         "stats": {
 *           "rx_packets": 12,
 *           "rx_bytes": 1176,
 *           "tx_packets": 12,
 *           "tx_bytes": 1176,
 *           "route_hit": 11,        flow cache use (UDP wires)
 *           "route_miss": 1,
 *           "held": 0,              frames held in standby, activations,
 *           "activations": 0,       frames relayed, roams
 *           "relayed": 0,
 *           "roams": 0,
 *           "route_evict": 0,       a flow's route took another's entry
 *           "drops": {              frames dropped, by reason
 *             "no_route": 0,
 *             ...
 *           }
 *         }
 *       }
 *     ],
 *     "namespace": {                only when no ID or dev was given:
 *       "drops": {                  drops that belong to no connector
 *         "unknown_id": 3,
 *         "bad_header": 0,
 *         "short": 0
 *       }
 *     }
 *   }
 *
 * A configuration member is null when the kernel did not report it (an
 * unbound endpoint reports none, an older kernel fewer).
 *
 * "stats --json" is the same document with only "id", "dev" and "stats"
 * in each connector:
 *
 *   {"connectors":[{"id":42,"dev":"vw0","stats":{...}}],
 *    "namespace":{"drops":{...}}}
 *
 * "monitor --json" prints one line, one object, per event:
 *
 *   {"event":"new","connector":{...}}
 *
 *     "event"                   "new" (added or bound), "changed" (set,
 *                               or its peer deleted), "removed"
 *                               (deleted); "unknown(N)" for an event
 *                               this vwctl has no name for
 *     "connector"               the endpoint as it is after the event
 *                               (before it, for "removed"), the same
 *                               object as in "show --json", counters
 *                               included
 *
 * With -t the object starts with "time": "2026-12-06T13:52:15.123456+0000"
 * (local time, microseconds).
 *
 * The text of "show" is, for each endpoint, a line in the words of
 * "vwctl add" (ID first, "unbound" for a device without one), every
 * option the kernel reported, so that it can be pasted after "vwctl add";
 * then indented lines of what add does not take (wire, state, ifindex,
 * counters):
 *
 *   42 dev vw0 remote 192.0.2.2 port 4789 format vxlan ttl auto ...
 *     wire: udp, state: active, ifindex: 5
 *     rx: 12 packets, 1176 bytes
 *
 * "monitor" prints the event, then the first line of show:
 *
 *   new 42 dev vw0 remote 192.0.2.2 port 4789 format vxlan ttl auto ...
 *   changed 7 dev vwa peer none format vxlan ...
 *   removed unbound dev vwx
 *
 * and with -t the time before it, as in --json.
 *
 * Counters are unsigned 64-bit numbers named after the VW_STATS_* enum of
 * <linux/virtualwire.h> in lower case: VW_STATS_RX_PACKETS is
 * "rx_packets", VW_STATS_DROP_X is "x" inside "drops".  The kernel leaves
 * out counters that do not apply, and such a counter is absent here, so
 * treat every counter as optional; "stats" and "drops" are always objects.
 * Later versions may add members and counters but will not rename or
 * retype these.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "options.h"
#include "print.h"

static bool json_pretty;

void json_set_pretty(bool pretty)
{
	json_pretty = pretty;
}

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = json_pretty;
}

static void json_indent(struct json *j, int depth)
{
	fputc('\n', j->f);
	while (depth-- > 0)
		fputs("  ", j->f);
}

static void json_prefix(struct json *j, const char *key)
{
	if (j->depth > 0 && j->depth <= JSON_MAX_DEPTH) {
		if (j->need_comma[j->depth - 1])
			fputc(',', j->f);
		j->need_comma[j->depth - 1] = true;
	}
	if (j->pretty && j->depth > 0)
		json_indent(j, j->depth);
	if (key) {
		json_write_string(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_prefix(j, key);
	fputc(c, j->f);
	j->depth++;
	if (j->depth <= JSON_MAX_DEPTH)
		j->need_comma[j->depth - 1] = false;
}

static void json_close(struct json *j, char c)
{
	j->depth--;
	if (j->pretty && j->depth < JSON_MAX_DEPTH && j->need_comma[j->depth])
		json_indent(j, j->depth);
	fputc(c, j->f);
	if (!j->depth)
		fputc('\n', j->f);
}

void json_begin_obj(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_end_obj(struct json *j)
{
	json_close(j, '}');
}

void json_begin_arr(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_end_arr(struct json *j)
{
	json_close(j, ']');
}

void json_str(struct json *j, const char *key, const char *s)
{
	json_prefix(j, key);
	if (s)
		json_write_string(j->f, s);
	else
		fputs("null", j->f);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	json_prefix(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_prefix(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	json_prefix(j, key);
	fputs("null", j->f);
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629), 0 if none. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

#define STAT(x) [VW_STATS_##x] = #x
static const char *const stat_enum_names[VW_STATS_MAX + 1] = {
	STAT(RX_PACKETS),
	STAT(RX_BYTES),
	STAT(TX_PACKETS),
	STAT(TX_BYTES),
	STAT(DROP_UNKNOWN_ID),
	STAT(DROP_BAD_HEADER),
	STAT(DROP_SHORT),
	STAT(DROP_NO_ROUTE),
	STAT(DROP_LOOP),
	STAT(DROP_NOMEM),
	STAT(DROP_XMIT),
	STAT(DROP_UNBOUND),
	STAT(DROP_DOWN),
	STAT(DROP_BAD_SOURCE),
	STAT(DROP_TOO_BIG),
	STAT(DROP_ECN),
	STAT(DROP_ZERO_CSUM),
	STAT(DROP_NO_PEER),
	STAT(DROP_PEER_DOWN),
	STAT(ROUTE_HIT),
	STAT(ROUTE_MISS),
	STAT(HELD),
	STAT(ACTIVATIONS),
	STAT(RELAYED),
	STAT(ROAMS),
	STAT(DROP_HOLD_FULL),
	STAT(DROP_HOLD_EXPIRED),
	STAT(DROP_STANDBY),
	STAT(DROP_RELAYING),
	STAT(DROP_RELAY_LOOP),
	STAT(DROP_RATE),
	STAT(ROUTE_EVICT),
};
#undef STAT

#define DROP_PREFIX "DROP_"

const char *stat_name(unsigned int nr, bool *drop)
{
	static char names[VW_STATS_MAX + 1][32];
	const char *src;
	size_t i;

	if (nr > VW_STATS_MAX || !stat_enum_names[nr])
		return NULL;
	src = stat_enum_names[nr];
	*drop = !strncmp(src, DROP_PREFIX, strlen(DROP_PREFIX));
	if (*drop)
		src += strlen(DROP_PREFIX);
	if (!names[nr][0]) {
		for (i = 0; src[i] && i < sizeof(names[nr]) - 1; i++)
			names[nr][i] = tolower((unsigned char)src[i]);
		names[nr][i] = '\0';
	}
	return names[nr];
}

static void print_traffic(FILE *f, const char *dir, const struct vw_counters *st,
			  int packets, int bytes)
{
	if (!st->present[packets] && !st->present[bytes])
		return;
	fprintf(f, "  %s: ", dir);
	if (st->present[packets])
		fprintf(f, "%llu packets",
			(unsigned long long)st->val[packets]);
	if (st->present[packets] && st->present[bytes])
		fputs(", ", f);
	if (st->present[bytes])
		fprintf(f, "%llu bytes", (unsigned long long)st->val[bytes]);
	fputc('\n', f);
}

/*
 * label: then the drop counters: all that are present (all), or only the
 * non-zero ones, as a list of zeros hides the one that matters.
 */
static void print_drops(FILE *f, const char *label,
			const struct vw_counters *st, bool all)
{
	const char *name;
	bool drop, any = false;
	unsigned int i;

	fprintf(f, "%s:", label);
	for (i = 0; i <= VW_STATS_MAX; i++) {
		name = stat_name(i, &drop);
		if (!name || !drop || !st->present[i] || (!all && !st->val[i]))
			continue;
		fprintf(f, "%s %s %llu", any ? "," : "", name,
			(unsigned long long)st->val[i]);
		any = true;
	}
	fputs(any ? "\n" : " none\n", f);
}

/*
 * "42 dev vw0 remote 192.0.2.2 port 4789 ...": the endpoint in the words
 * of add, every option the kernel reported; "unbound dev vw0" for a
 * device with no ID yet.
 */
static void print_add_words(FILE *f, const struct vw_endpoint *ep)
{
	if (ep->has_id)
		fprintf(f, "%u", ep->id);
	else
		fputs("unbound", f);
	option_print_words(f, ep, false);
}

/* What the kernel reports but add does not take, on a line of its own. */
static void print_facts(FILE *f, const struct vw_endpoint *ep)
{
	const char *sep = "  ";
	char buf[32];

	if (ep->has_wire) {
		fprintf(f, "%swire: %s", sep, enum_str(wire_name(ep->wire),
						      ep->wire, buf,
						      sizeof(buf)));
		sep = ", ";
	}
	if (ep->has_state) {
		fprintf(f, "%sstate: %s", sep, enum_str(state_name(ep->state),
						       ep->state, buf,
						       sizeof(buf)));
		sep = ", ";
	}
	if (ep->ifindex) {
		fprintf(f, "%sifindex: %u", sep, ep->ifindex);
		sep = ", ";
	}
	if (ep->peer_ifindex) {
		fprintf(f, "%speer ifindex: %u", sep, ep->peer_ifindex);
		sep = ", ";
	}
	if (*sep == ',')
		fputc('\n', f);
}

static void print_endpoint_text(FILE *f, const struct vw_endpoint *ep)
{
	print_add_words(f, ep);
	fputc('\n', f);
	print_facts(f, ep);
	print_traffic(f, "rx", &ep->stats, VW_STATS_RX_PACKETS,
		      VW_STATS_RX_BYTES);
	print_traffic(f, "tx", &ep->stats, VW_STATS_TX_PACKETS,
		      VW_STATS_TX_BYTES);
	print_drops(f, "  drops", &ep->stats, false);
}

static const char *(*endpoint_note)(const struct vw_endpoint *ep);

void print_set_endpoint_note(const char *(*note)(const struct vw_endpoint *ep))
{
	endpoint_note = note;
}

void print_show_text(FILE *f, const struct vw_endpoint *eps, size_t n,
		     const struct vw_counters *ns)
{
	const char *note;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fputc('\n', f);
		print_endpoint_text(f, &eps[i]);
		note = endpoint_note ? endpoint_note(&eps[i]) : NULL;
		if (note)
			fprintf(f, "  directory: %s\n", note);
	}
	if (ns) {
		if (n)
			fputc('\n', f);
		print_drops(f, "namespace drops", ns, false);
	}
}

static void json_stats(struct json *j, const char *key,
		       const struct vw_counters *st)
{
	const char *name;
	unsigned int i;
	bool drop;

	json_begin_obj(j, key);
	for (i = 0; i <= VW_STATS_MAX; i++) {
		name = stat_name(i, &drop);
		if (name && !drop && st->present[i])
			json_u64(j, name, st->val[i]);
	}
	json_begin_obj(j, "drops");
	for (i = 0; i <= VW_STATS_MAX; i++) {
		name = stat_name(i, &drop);
		if (name && drop && st->present[i])
			json_u64(j, name, st->val[i]);
	}
	json_end_obj(j);
	json_end_obj(j);
}

static void json_endpoint(struct json *j, const char *key,
			  const struct vw_endpoint *ep)
{
	char buf[32];

	json_begin_obj(j, key);
	if (ep->has_id)
		json_u64(j, "id", ep->id);
	else
		json_null(j, "id");
	option_print_json(j, ep);
	if (ep->ifindex)
		json_u64(j, "ifindex", ep->ifindex);
	else
		json_null(j, "ifindex");
	json_str(j, "wire", ep->has_wire ?
		 enum_str(wire_name(ep->wire), ep->wire, buf, sizeof(buf)) :
		 NULL);
	json_str(j, "state", ep->has_state ?
		 enum_str(state_name(ep->state), ep->state, buf, sizeof(buf)) :
		 NULL);
	json_stats(j, "stats", &ep->stats);
	json_end_obj(j);
}

void print_show_json(FILE *f, const struct vw_endpoint *eps, size_t n,
		     const struct vw_counters *ns)
{
	struct json j;
	size_t i;

	json_init(&j, f);
	json_begin_obj(&j, NULL);
	json_begin_arr(&j, "connectors");
	for (i = 0; i < n; i++)
		json_endpoint(&j, NULL, &eps[i]);
	json_end_arr(&j);
	if (ns)
		json_stats(&j, "namespace", ns);
	json_end_obj(&j);
}

static bool is_traffic(unsigned int nr)
{
	return nr == VW_STATS_RX_PACKETS || nr == VW_STATS_RX_BYTES ||
	       nr == VW_STATS_TX_PACKETS || nr == VW_STATS_TX_BYTES;
}

/* "  counters: x 1, y 2": those neither traffic nor drops, if any. */
static void print_other_counters(FILE *f, const struct vw_counters *st)
{
	const char *name;
	bool drop, any = false;
	unsigned int i;

	for (i = 0; i <= VW_STATS_MAX; i++) {
		name = stat_name(i, &drop);
		if (!name || drop || is_traffic(i) || !st->present[i])
			continue;
		fprintf(f, "%s %s %llu", any ? "," : "  counters:", name,
			(unsigned long long)st->val[i]);
		any = true;
	}
	if (any)
		fputc('\n', f);
}

void print_stats_text(FILE *f, const struct vw_endpoint *eps, size_t n,
		      const struct vw_counters *ns)
{
	const struct vw_endpoint *ep;
	size_t i;

	for (i = 0; i < n; i++) {
		ep = &eps[i];
		if (ep->has_id)
			fprintf(f, "connector %u", ep->id);
		else
			fputs("connector unbound", f);
		if (ep->ifname[0])
			fprintf(f, " (%s)", ep->ifname);
		fputc('\n', f);
		print_traffic(f, "rx", &ep->stats, VW_STATS_RX_PACKETS,
			      VW_STATS_RX_BYTES);
		print_traffic(f, "tx", &ep->stats, VW_STATS_TX_PACKETS,
			      VW_STATS_TX_BYTES);
		print_other_counters(f, &ep->stats);
		print_drops(f, "  drops", &ep->stats, true);
	}
	if (ns)
		print_drops(f, "namespace", ns, true);
}

void print_stats_json(FILE *f, const struct vw_endpoint *eps, size_t n,
		      const struct vw_counters *ns)
{
	const struct vw_endpoint *ep;
	struct json j;
	size_t i;

	json_init(&j, f);
	json_begin_obj(&j, NULL);
	json_begin_arr(&j, "connectors");
	for (i = 0; i < n; i++) {
		ep = &eps[i];
		json_begin_obj(&j, NULL);
		if (ep->has_id)
			json_u64(&j, "id", ep->id);
		else
			json_null(&j, "id");
		json_str(&j, "dev", ep->ifname[0] ? ep->ifname : NULL);
		json_stats(&j, "stats", &ep->stats);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	if (ns)
		json_stats(&j, "namespace", ns);
	json_end_obj(&j);
}

const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case VW_CMD_NEW:
		return "new";
	case VW_CMD_CHANGED:
		return "changed";
	case VW_CMD_REMOVED:
		return "removed";
	}
	return NULL;
}

void print_event_text(FILE *f, uint8_t cmd, const struct vw_endpoint *ep)
{
	char buf[32];

	fprintf(f, "%s ", enum_str(event_name(cmd), cmd, buf, sizeof(buf)));
	print_add_words(f, ep);
	fputc('\n', f);
}

/* Whether a is the local peer of b and b of a, both of one ID. */
static bool pair(const struct vw_endpoint *a, const struct vw_endpoint *b)
{
	return a->has_id && b->has_id && a->id == b->id &&
	       !strcmp(a->peer_ifname, b->ifname) &&
	       !strcmp(b->peer_ifname, a->ifname);
}

static bool is_local(const struct vw_endpoint *ep)
{
	return ep->has_wire && ep->wire == VW_WIRE_LOCAL;
}

static void save_line(FILE *f, const struct vw_endpoint *ep)
{
	fprintf(f, "add %u", ep->id);
	option_print_words(f, ep, true);
	fputc('\n', f);
}

/*
 * The UDP wires first, then the local wires, each "add ID dev A peer B"
 * once B exists: A's peer B is a UDP wire (written already) or the other
 * end of A's pair, which the add makes; "set dev B peer A ..." gives B its
 * own options.  What no command can make again is a comment.
 */
void print_save(FILE *f, const struct vw_endpoint *eps, size_t n)
{
	const struct vw_endpoint *ep, *other;
	bool *done = calloc(n ? n : 1, sizeof(*done));
	struct vw_endpoint o;
	size_t i, k;

	if (!done)
		return;
	for (i = 0; i < n; i++) {
		ep = &eps[i];
		if (!ep->has_id) {
			fprintf(f, "# dev %s: unbound, not saved\n",
				ep->ifname);
			done[i] = true;
		} else if (!is_local(ep)) {
			save_line(f, ep);
			done[i] = true;
		}
	}
	for (i = 0; i < n; i++) {
		ep = &eps[i];
		if (done[i])
			continue;
		done[i] = true;
		if (!ep->peer_ifname[0]) {
			fprintf(f, "# %u dev %s: a local wire whose peer is gone, not saved\n",
				ep->id, ep->ifname);
			continue;
		}
		save_line(f, ep);
		for (k = 0; k < n; k++) {
			other = &eps[k];
			if (done[k] || !pair(ep, other))
				continue;
			done[k] = true;
			fprintf(f, "set dev %s", other->ifname);
			/*
			 * Its dev names it already: the words from peer on;
			 * a default too where the add (which may have made
			 * it like ep) says otherwise.
			 */
			o = *other;
			o.ifname[0] = '\0';
			option_print_words_like(f, &o, true, ep);
			fputc('\n', f);
		}
	}
	free(done);
}

void print_event_json_at(FILE *f, uint8_t cmd, const struct vw_endpoint *ep,
			 const char *time)
{
	char buf[32];
	struct json j;

	json_init(&j, f);
	json_begin_obj(&j, NULL);
	if (time)
		json_str(&j, "time", time);
	json_str(&j, "event", enum_str(event_name(cmd), cmd, buf, sizeof(buf)));
	json_endpoint(&j, "connector", ep);
	json_end_obj(&j);
}

void print_event_json(FILE *f, uint8_t cmd, const struct vw_endpoint *ep)
{
	print_event_json_at(f, cmd, ep, NULL);
}

const char *timestamp_str(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char date[32], zone[8];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, len, "%s.%06ld%s", date, ts.tv_nsec / 1000, zone);
	return buf;
}
