// SPDX-License-Identifier: GPL-2.0
/*
 * Output of "vwctl show", "vwctl stats" and "vwctl monitor".
 *
 * JSON schema of "show --json", printed as one line of UTF-8 text:
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
 *           "route_hit": 11,        outer route cache use (UDP wires)
 *           "route_miss": 1,
 *           "held": 0,              frames held in standby, activations,
 *           "activations": 0,       frames relayed, roams
 *           "relayed": 0,
 *           "roams": 0,
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
 * The text of "monitor" is one line per event too: the event, then the
 * endpoint in the words of "vwctl add", options only where they differ
 * from the defaults of add:
 *
 *   new connector 42 dev vw0 wire udp remote 192.0.2.2 port 4789
 *   changed connector 42 dev vw0 wire udp remote 192.0.2.2 port 4789 ttl 16
 *   new connector 7 dev vwa wire local peer vwb
 *   removed connector 42 dev vw0 wire udp remote 192.0.2.2 port 4789 ttl 16
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
#include <string.h>
#include <sys/socket.h>

#include "print.h"

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void json_prefix(struct json *j, const char *key)
{
	if (j->depth > 0 && j->depth <= JSON_MAX_DEPTH) {
		if (j->need_comma[j->depth - 1])
			fputc(',', j->f);
		j->need_comma[j->depth - 1] = true;
	}
	if (key) {
		json_write_string(j->f, key);
		fputc(':', j->f);
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

static const char *addr_str(int family, const union vw_addr *a, char *buf,
			    size_t len)
{
	return inet_ntop(family, a, buf, len) ? buf : "?";
}

/* "192.0.2.0/24,2001:db8::/32", in the words vwctl takes; "none". */
static const char *accept_str(const struct vw_endpoint *ep, char *buf,
			      size_t len)
{
	char a[INET6_ADDRSTRLEN];
	size_t off = 0;
	int i;

	if (!ep->naccept)
		return "none";
	buf[0] = '\0';
	for (i = 0; i < ep->naccept && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s/%u", i ? "," : "",
				addr_str(ep->accept[i].family,
					 &ep->accept[i].addr, a, sizeof(a)),
				ep->accept[i].len);
	return buf;
}

static const char *mac_str(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

/* "52:54:00:12:34:56,..."; "none". */
static const char *vm_mac_str(const struct vw_endpoint *ep, char *buf,
			      size_t len)
{
	char m[18];
	size_t off = 0;
	int i;

	if (!ep->nvm_mac)
		return "none";
	buf[0] = '\0';
	for (i = 0; i < ep->nvm_mac && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? "," : "",
				mac_str(ep->vm_mac[i], m, sizeof(m)));
	return buf;
}

static bool relay_on(const struct vw_endpoint *ep)
{
	static const union vw_addr zero;

	return ep->has_relay && memcmp(&ep->relay, &zero, sizeof(zero));
}

/* name, or "unknown(N)" in buf when name is NULL. */
static const char *enum_str(const char *name, unsigned int v, char *buf,
			    size_t len)
{
	if (name)
		return name;
	snprintf(buf, len, "unknown(%u)", v);
	return buf;
}

static const char *format_str(uint8_t format, char *buf, size_t len)
{
	return enum_str(format_name(format), format, buf, len);
}

static const char *wire_str(uint8_t wire, char *buf, size_t len)
{
	return enum_str(wire_name(wire), wire, buf, len);
}

static const char *df_str(uint8_t df, char *buf, size_t len)
{
	return enum_str(df_name(df), df, buf, len);
}

/* "auto", "inherit", or NULL for a number. */
static const char *ttl_word(uint16_t ttl)
{
	if (ttl == VW_TTL_AUTO)
		return "auto";
	if (ttl == VW_TTL_INHERIT)
		return "inherit";
	return NULL;
}

static const char *tos_word(uint16_t tos)
{
	return tos == VW_TOS_INHERIT ? "inherit" : NULL;
}

static const char *onoff(bool v)
{
	return v ? "on" : "off";
}

/* "rx: 12 packets, 1176 bytes", with whichever of the two are present. */
/* The migration settings of a UDP wire, in show's words. */
static void print_migration(FILE *f, const struct vw_endpoint *ep)
{
	char buf[VW_ACCEPT_MAX * (INET6_ADDRSTRLEN + 5)];

	if (ep->has_state)
		fprintf(f, "  state: %s\n",
			enum_str(state_name(ep->state), ep->state, buf,
				 sizeof(buf)));
	if (relay_on(ep))
		fprintf(f, "  relay: %s\n", addr_str(ep->relay_family,
						     &ep->relay, buf,
						     sizeof(buf)));
	if (ep->has_accept)
		fprintf(f, "  accept: %s\n", accept_str(ep, buf, sizeof(buf)));
	if (ep->has_roam) {
		fprintf(f, "  roam: %s", onoff(ep->roam));
		if (ep->has_roam_holddown)
			fprintf(f, " (hold-down %u ms)", ep->roam_holddown);
		fputc('\n', f);
	}
	if (ep->has_hold && ep->has_hold_time)
		fprintf(f, "  hold: %u frames, %u ms\n", ep->hold,
			ep->hold_time);
	if (ep->has_vm_mac)
		fprintf(f, "  vm-mac: %s\n", vm_mac_str(ep, buf, sizeof(buf)));
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

static void print_endpoint_text(FILE *f, const struct vw_endpoint *ep)
{
	char buf[INET6_ADDRSTRLEN + 16];
	bool local_wire;
	const char *w;

	if (ep->has_id)
		fprintf(f, "connector %u\n", ep->id);
	else
		fputs("connector (unbound)\n", f);

	fprintf(f, "  dev: %s", ep->ifname[0] ? ep->ifname : "none");
	if (ep->ifindex)
		fprintf(f, " (ifindex %u)", ep->ifindex);
	fputc('\n', f);
	if (ep->has_wire)
		fprintf(f, "  wire: %s\n", wire_str(ep->wire, buf, sizeof(buf)));
	if (ep->has_format)
		fprintf(f, "  format: %s\n",
			format_str(ep->format, buf, sizeof(buf)));

	local_wire = ep->has_wire && ep->wire == VW_WIRE_LOCAL;
	/* A local wire has a peer instead, unless the kernel said more. */
	if (!local_wire || ep->has_remote || ep->has_port) {
		fputs("  remote: ", f);
		if (ep->has_remote)
			fputs(addr_str(ep->family, &ep->remote, buf,
				       sizeof(buf)), f);
		else
			fputs("none", f);
		if (ep->has_port)
			fprintf(f, ep->has_remote ? " port %u" : " (port %u)",
				ep->port);
		fputc('\n', f);
	}
	/* A local wire whose peer is gone still says it has none. */
	if (ep->has_peer || local_wire) {
		fprintf(f, "  peer: %s", ep->peer_ifname[0] ? ep->peer_ifname :
			ep->has_peer ? "?" : "none");
		if (ep->peer_ifindex)
			fprintf(f, " (ifindex %u)", ep->peer_ifindex);
		fputc('\n', f);
	}
	fprintf(f, "  local: %s\n", ep->has_local ?
		addr_str(ep->local_family, &ep->local, buf, sizeof(buf)) :
		"any");
	if (ep->has_ttl) {
		w = ttl_word(ep->ttl);
		if (w)
			fprintf(f, "  ttl: %s\n", w);
		else
			fprintf(f, "  ttl: %u\n", ep->ttl);
	}
	if (ep->has_tos) {
		w = tos_word(ep->tos);
		if (w)
			fprintf(f, "  tos: %s\n", w);
		else
			fprintf(f, "  tos: %u (0x%02x)\n", ep->tos, ep->tos);
	}
	if (ep->has_df)
		fprintf(f, "  df: %s\n", df_str(ep->df, buf, sizeof(buf)));
	if (ep->has_srcport)
		fprintf(f, "  srcport: %u-%u\n", ep->srcport_min,
			ep->srcport_max);
	if (ep->has_csum)
		fprintf(f, "  checksum: %s\n", onoff(ep->csum));
	if (ep->has_udp6zcsum_tx || ep->has_udp6zcsum_rx) {
		fputs("  udp6 zero checksum:", f);
		if (ep->has_udp6zcsum_tx)
			fprintf(f, " tx %s", onoff(ep->udp6zcsum_tx));
		if (ep->has_udp6zcsum_tx && ep->has_udp6zcsum_rx)
			fputc(',', f);
		if (ep->has_udp6zcsum_rx)
			fprintf(f, " rx %s", onoff(ep->udp6zcsum_rx));
		fputc('\n', f);
	}
	print_migration(f, ep);

	print_traffic(f, "rx", &ep->stats, VW_STATS_RX_PACKETS,
		      VW_STATS_RX_BYTES);
	print_traffic(f, "tx", &ep->stats, VW_STATS_TX_PACKETS,
		      VW_STATS_TX_BYTES);
	print_drops(f, "  drops", &ep->stats, false);
}

void print_show_text(FILE *f, const struct vw_endpoint *eps, size_t n,
		     const struct vw_counters *ns)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fputc('\n', f);
		print_endpoint_text(f, &eps[i]);
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

/* A number, or the word naming a special value. */
static void json_num_or_word(struct json *j, const char *key, uint64_t v,
			     const char *word)
{
	if (word)
		json_str(j, key, word);
	else
		json_u64(j, key, v);
}

static void json_opt_bool(struct json *j, const char *key, bool has, bool v)
{
	if (has)
		json_bool(j, key, v);
	else
		json_null(j, key);
}

static void json_migration(struct json *j, const struct vw_endpoint *ep)
{
	char buf[INET6_ADDRSTRLEN + 8];
	int i;

	json_str(j, "state", ep->has_state ?
		 enum_str(state_name(ep->state), ep->state, buf, sizeof(buf)) :
		 NULL);
	json_str(j, "relay", relay_on(ep) ?
		 addr_str(ep->relay_family, &ep->relay, buf, sizeof(buf)) :
		 NULL);
	json_begin_arr(j, "accept");
	for (i = 0; i < ep->naccept; i++) {
		char a[INET6_ADDRSTRLEN];

		snprintf(buf, sizeof(buf), "%s/%u",
			 addr_str(ep->accept[i].family, &ep->accept[i].addr, a,
				  sizeof(a)), ep->accept[i].len);
		json_str(j, NULL, buf);
	}
	json_end_arr(j);
	json_opt_bool(j, "roam", ep->has_roam, ep->roam);
	if (ep->has_roam_holddown)
		json_u64(j, "roam_holddown_ms", ep->roam_holddown);
	else
		json_null(j, "roam_holddown_ms");
	if (ep->has_hold)
		json_u64(j, "hold", ep->hold);
	else
		json_null(j, "hold");
	if (ep->has_hold_time)
		json_u64(j, "hold_time_ms", ep->hold_time);
	else
		json_null(j, "hold_time_ms");
	json_begin_arr(j, "vm_mac");
	for (i = 0; i < ep->nvm_mac; i++)
		json_str(j, NULL, mac_str(ep->vm_mac[i], buf, sizeof(buf)));
	json_end_arr(j);
}

static void json_endpoint(struct json *j, const char *key,
			  const struct vw_endpoint *ep)
{
	char buf[INET6_ADDRSTRLEN + 16];

	json_begin_obj(j, key);
	if (ep->has_id)
		json_u64(j, "id", ep->id);
	else
		json_null(j, "id");
	json_str(j, "dev", ep->ifname[0] ? ep->ifname : NULL);
	if (ep->ifindex)
		json_u64(j, "ifindex", ep->ifindex);
	else
		json_null(j, "ifindex");
	json_str(j, "format", ep->has_format ?
		 format_str(ep->format, buf, sizeof(buf)) : NULL);
	json_str(j, "wire", ep->has_wire ?
		 wire_str(ep->wire, buf, sizeof(buf)) : NULL);
	json_str(j, "remote", ep->has_remote ?
		 addr_str(ep->family, &ep->remote, buf, sizeof(buf)) : NULL);
	json_str(j, "peer", ep->peer_ifname[0] ? ep->peer_ifname : NULL);
	json_str(j, "local", ep->has_local ?
		 addr_str(ep->local_family, &ep->local, buf, sizeof(buf)) :
		 NULL);
	if (ep->has_port)
		json_u64(j, "port", ep->port);
	else
		json_null(j, "port");
	if (ep->has_ttl)
		json_num_or_word(j, "ttl", ep->ttl, ttl_word(ep->ttl));
	else
		json_null(j, "ttl");
	if (ep->has_tos)
		json_num_or_word(j, "tos", ep->tos, tos_word(ep->tos));
	else
		json_null(j, "tos");
	json_str(j, "df", ep->has_df ? df_str(ep->df, buf, sizeof(buf)) : NULL);
	if (ep->has_srcport) {
		json_begin_obj(j, "srcport");
		json_u64(j, "min", ep->srcport_min);
		json_u64(j, "max", ep->srcport_max);
		json_end_obj(j);
	} else {
		json_null(j, "srcport");
	}
	json_opt_bool(j, "csum", ep->has_csum, ep->csum);
	json_opt_bool(j, "udp6zerocsumtx", ep->has_udp6zcsum_tx,
		      ep->udp6zcsum_tx);
	json_opt_bool(j, "udp6zerocsumrx", ep->has_udp6zcsum_rx,
		      ep->udp6zcsum_rx);
	json_migration(j, ep);
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

/* The defaults of add, which an event line leaves out. */
#define DEFAULT_SRCPORT_MIN 49152
#define DEFAULT_SRCPORT_MAX 65535

/* The migration settings that differ from add's defaults, as words. */
static void print_migration_words(FILE *f, const struct vw_endpoint *ep)
{
	char buf[VW_ACCEPT_MAX * (INET6_ADDRSTRLEN + 5)];

	if (ep->has_state && ep->state == VW_STATE_STANDBY)
		fputs(" standby", f);
	if (relay_on(ep))
		fprintf(f, " relay %s", addr_str(ep->relay_family, &ep->relay,
						 buf, sizeof(buf)));
	if (ep->naccept)
		fprintf(f, " accept %s", accept_str(ep, buf, sizeof(buf)));
	if (ep->has_roam && ep->roam)
		fputs(" roam on", f);
	if (ep->has_roam_holddown &&
	    ep->roam_holddown != VW_ROAM_HOLDDOWN_DEFAULT)
		fprintf(f, " roam-holddown %u", ep->roam_holddown);
	if (ep->has_hold && ep->hold != VW_HOLD_DEFAULT)
		fprintf(f, " hold %u", ep->hold);
	if (ep->has_hold_time && ep->hold_time != VW_HOLD_TIME_DEFAULT)
		fprintf(f, " hold-time %u", ep->hold_time);
	if (ep->nvm_mac)
		fprintf(f, " vm-mac %s", vm_mac_str(ep, buf, sizeof(buf)));
}

/*
 * One line in the words of "vwctl add": what names the endpoint and where
 * its wire goes, always; the options only where they differ from the
 * defaults of add, so that a change stands out.
 */
void print_event_text(FILE *f, uint8_t cmd, const struct vw_endpoint *ep)
{
	char buf[INET6_ADDRSTRLEN + 16];
	bool local_wire;
	const char *w;

	fprintf(f, "%s connector ",
		enum_str(event_name(cmd), cmd, buf, sizeof(buf)));
	if (ep->has_id)
		fprintf(f, "%u", ep->id);
	else
		fputs("unbound", f);
	fprintf(f, " dev %s", ep->ifname[0] ? ep->ifname : "none");
	if (ep->has_wire)
		fprintf(f, " wire %s", wire_str(ep->wire, buf, sizeof(buf)));
	if (ep->has_remote)
		fprintf(f, " remote %s",
			addr_str(ep->family, &ep->remote, buf, sizeof(buf)));
	if (ep->has_port)
		fprintf(f, " port %u", ep->port);
	local_wire = ep->has_wire && ep->wire == VW_WIRE_LOCAL;
	if (ep->has_peer || local_wire)
		fprintf(f, " peer %s", ep->peer_ifname[0] ? ep->peer_ifname :
			ep->has_peer ? "?" : "none");
	if (ep->has_format && ep->format != VW_FORMAT_VXLAN)
		fprintf(f, " format %s",
			format_str(ep->format, buf, sizeof(buf)));
	if (ep->has_local)
		fprintf(f, " local %s", addr_str(ep->local_family, &ep->local,
						 buf, sizeof(buf)));
	if (ep->has_ttl && ep->ttl != VW_TTL_AUTO) {
		w = ttl_word(ep->ttl);
		if (w)
			fprintf(f, " ttl %s", w);
		else
			fprintf(f, " ttl %u", ep->ttl);
	}
	if (ep->has_tos && ep->tos) {
		w = tos_word(ep->tos);
		if (w)
			fprintf(f, " tos %s", w);
		else
			fprintf(f, " tos 0x%02x", ep->tos);
	}
	if (ep->has_df && ep->df != VW_DF_UNSET)
		fprintf(f, " df %s", df_str(ep->df, buf, sizeof(buf)));
	if (ep->has_srcport && (ep->srcport_min != DEFAULT_SRCPORT_MIN ||
				ep->srcport_max != DEFAULT_SRCPORT_MAX))
		fprintf(f, " srcport %u %u", ep->srcport_min, ep->srcport_max);
	if (ep->has_csum && !ep->csum)
		fputs(" csum off", f);
	if (ep->has_udp6zcsum_tx && ep->udp6zcsum_tx)
		fputs(" udp6zerocsumtx on", f);
	if (ep->has_udp6zcsum_rx && ep->udp6zcsum_rx)
		fputs(" udp6zerocsumrx on", f);
	print_migration_words(f, ep);
	fputc('\n', f);
}

void print_event_json(FILE *f, uint8_t cmd, const struct vw_endpoint *ep)
{
	char buf[32];
	struct json j;

	json_init(&j, f);
	json_begin_obj(&j, NULL);
	json_str(&j, "event", enum_str(event_name(cmd), cmd, buf, sizeof(buf)));
	json_endpoint(&j, "connector", ep);
	json_end_obj(&j);
}
