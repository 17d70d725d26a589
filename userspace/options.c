// SPDX-License-Identifier: GPL-2.0
/*
 * The table of endpoint options (see options.h), and the functions of its
 * rows.  To add an option: a field in struct vw_endpoint, a row below and
 * whichever of parse/put/get/words/json it needs that no row has yet.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "options.h"
#include "print.h"
#include "units.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static size_t addr_len(int family)
{
	return family == AF_INET ? sizeof(struct in_addr) :
				   sizeof(struct in6_addr);
}

static const char *addr_str(int family, const union vw_addr *a, char *buf,
			    size_t len)
{
	return inet_ntop(family, a, buf, len) ? buf : "?";
}

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/* ------------------------------------------------ reading a report */

static bool len_is(const struct nlattr *a, int len)
{
	return nla_len(a) == len;
}

/* The put_* write an attribute only when the field was given. */
static int put_u8(struct nl_msg *msg, int attr, bool has, uint8_t v)
{
	return has && nla_put_u8(msg, attr, v) ? -NLE_MSGSIZE : 0;
}

static int put_u16(struct nl_msg *msg, int attr, bool has, uint16_t v)
{
	return has && nla_put_u16(msg, attr, v) ? -NLE_MSGSIZE : 0;
}

static int get_u8(struct nlattr *a, bool *has, uint8_t *v)
{
	if (!a)
		return 0;
	if (!len_is(a, 1))
		return -1;
	*has = true;
	*v = nla_get_u8(a);
	return 0;
}

static int get_u16(struct nlattr *a, bool *has, uint16_t *v)
{
	if (!a)
		return 0;
	if (!len_is(a, 2))
		return -1;
	*has = true;
	*v = nla_get_u16(a);
	return 0;
}

static int get_u32(struct nlattr *a, bool *has, uint32_t *v)
{
	if (!a)
		return 0;
	if (!len_is(a, 4))
		return -1;
	*has = true;
	*v = nla_get_u32(a);
	return 0;
}

/* A u8 0/1 switch; any non-zero value is on. */
static int get_bool(struct nlattr *a, bool *has, bool *v)
{
	uint8_t u = 0;

	if (get_u8(a, has, &u) < 0)
		return -1;
	*v = u;
	return 0;
}

static int get_addr(struct nlattr *a4, struct nlattr *a6, bool *has,
		    int *family, union vw_addr *addr)
{
	struct nlattr *a = a4 ? a4 : a6;
	int f = a4 ? AF_INET : AF_INET6;

	if (!a)
		return 0;
	if ((a4 && a6) || !len_is(a, addr_len(f)))
		return -1;
	*has = true;
	*family = f;
	memcpy(addr, nla_data(a), addr_len(f));
	return 0;
}

/* ------------------------------------------------------------ words */

static const char *onoff(bool v)
{
	return v ? "on" : "off";
}

const char *enum_str(const char *name, unsigned int v, char *buf,
			    size_t len)
{
	if (name)
		return name;
	snprintf(buf, len, "unknown(%u)", v);
	return buf;
}

static void json_opt_str(struct json *j, const char *key, const char *s)
{
	json_str(j, key, s);
}

/* A row whose JSON member is its words as a string, or null. */
#define JSON_WORDS(fn, sz)						\
static void fn##_json(struct json *j, const char *key,			\
		      const struct vw_endpoint *ep)			\
{									\
	char buf[sz];							\
									\
	json_opt_str(j, key, fn##_words(ep, buf, sizeof(buf)));		\
}

/* ------------------------------------------------------------- rows */

/* dev NAME: add only; set and the selectors name the endpoint with it. */
static bool dev_parse(char **v, struct vw_endpoint *ep)
{
	return parse_ifname(v[0], ep->ifname);
}

static int dev_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	if (ep->ifname[0])
		NLA_PUT_STRING(msg, VW_A_IFNAME, ep->ifname);
	return 0;
nla_put_failure:
	return -NLE_MSGSIZE;
}

static int dev_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	struct nlattr *a = tb[VW_A_IFNAME];

	if (!a)
		return 0;
	if (nla_len(a) < 1)
		return -1;
	nla_strlcpy(ep->ifname, a, sizeof(ep->ifname));
	return 0;
}

static const char *dev_words(const struct vw_endpoint *ep, char *buf,
			     size_t len)
{
	(void)buf;
	(void)len;
	return ep->ifname[0] ? ep->ifname : NULL;
}
JSON_WORDS(dev, 4)

static bool format_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_format = true;
	return parse_format(v[0], &ep->format);
}

static int format_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	return put_u8(msg, VW_A_FORMAT, ep->has_format, ep->format);
}

static int format_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_u8(tb[VW_A_FORMAT], &ep->has_format, &ep->format);
}

static const char *format_words(const struct vw_endpoint *ep, char *buf,
				size_t len)
{
	if (!ep->has_format)
		return NULL;
	return enum_str(format_name(ep->format), ep->format, buf, len);
}
JSON_WORDS(format, 32)

static bool remote_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_remote = true;
	return parse_addr("remote", v[0], &ep->family, &ep->remote);
}

static int remote_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	if (ep->has_remote)
		NLA_PUT(msg, ep->family == AF_INET ? VW_A_REMOTE4 :
			VW_A_REMOTE6, addr_len(ep->family), &ep->remote);
	return 0;
nla_put_failure:
	return -NLE_MSGSIZE;
}

static int remote_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_addr(tb[VW_A_REMOTE4], tb[VW_A_REMOTE6], &ep->has_remote,
			&ep->family, &ep->remote);
}

static const char *remote_words(const struct vw_endpoint *ep, char *buf,
				size_t len)
{
	return ep->has_remote ? addr_str(ep->family, &ep->remote, buf, len) :
				NULL;
}
JSON_WORDS(remote, INET6_ADDRSTRLEN)

static bool peer_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_peer = true;
	return parse_ifname(v[0], ep->peer_ifname);
}

static int peer_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	if (ep->has_peer && ep->peer_ifname[0])
		NLA_PUT_STRING(msg, VW_A_PEER_IFNAME, ep->peer_ifname);
	else if (ep->has_peer && ep->peer_ifindex)
		NLA_PUT_U32(msg, VW_A_PEER_IFINDEX, ep->peer_ifindex);
	return 0;
nla_put_failure:
	return -NLE_MSGSIZE;
}

static int peer_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	struct nlattr *a;

	if ((a = tb[VW_A_PEER_IFINDEX])) {
		if (!len_is(a, 4))
			return -1;
		ep->has_peer = true;
		ep->peer_ifindex = nla_get_u32(a);
	}
	if ((a = tb[VW_A_PEER_IFNAME])) {
		if (nla_len(a) < 1)
			return -1;
		ep->has_peer = true;
		nla_strlcpy(ep->peer_ifname, a, sizeof(ep->peer_ifname));
	}
	return 0;
}

/* A local wire whose peer is gone has none: "peer none". */
static const char *peer_words(const struct vw_endpoint *ep, char *buf,
			      size_t len)
{
	(void)buf;
	(void)len;
	if (ep->peer_ifname[0])
		return ep->peer_ifname;
	if (ep->has_peer || (ep->has_wire && ep->wire == VW_WIRE_LOCAL))
		return "none";
	return NULL;
}

/* JSON: the peer's name, null for none. */
static void peer_json(struct json *j, const char *key,
		      const struct vw_endpoint *ep)
{
	json_str(j, key, ep->peer_ifname[0] ? ep->peer_ifname : NULL);
}

static bool local_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_local = true;
	return parse_local(v[0], &ep->local_family, &ep->local);
}

static int local_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	if (ep->has_local)
		NLA_PUT(msg, ep->local_family == AF_INET ? VW_A_LOCAL4 :
			VW_A_LOCAL6, addr_len(ep->local_family), &ep->local);
	return 0;
nla_put_failure:
	return -NLE_MSGSIZE;
}

static int local_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	if (get_addr(tb[VW_A_LOCAL4], tb[VW_A_LOCAL6], &ep->has_local,
		     &ep->local_family, &ep->local))
		return -1;
	/* The kernel sends no local when unset; all-zero means the same. */
	if (ep->has_local && all_zero(&ep->local, addr_len(ep->local_family)))
		ep->has_local = false;
	return 0;
}

static const char *local_words(const struct vw_endpoint *ep, char *buf,
			       size_t len)
{
	if (!ep->has_local)
		return NULL;
	if (all_zero(&ep->local, addr_len(ep->local_family)))
		return "any";
	return addr_str(ep->local_family, &ep->local, buf, len);
}

/* JSON: null for any. */
static void local_json(struct json *j, const char *key,
		       const struct vw_endpoint *ep)
{
	char buf[INET6_ADDRSTRLEN];
	const char *w = local_words(ep, buf, sizeof(buf));

	json_str(j, key, w && strcmp(w, "any") ? w : NULL);
}

static bool port_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_port = true;
	return parse_port(v[0], &ep->port);
}

static int port_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	return put_u16(msg, VW_A_PORT, ep->has_port, ep->port);
}

static int port_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_u16(tb[VW_A_PORT], &ep->has_port, &ep->port);
}

/* The port of the endpoint's format (the kernel's vw_port parameter may
 * say otherwise for vw: then save writes the port it has). */
static bool port_is_default(const struct vw_endpoint *ep)
{
	bool vw = ep->has_format && ep->format == VW_FORMAT_VW;

	return !ep->has_port || ep->port == (vw ? 4798 : 4789);
}

static const char *u32_words(bool has, uint32_t v, char *buf, size_t len)
{
	if (!has)
		return NULL;
	snprintf(buf, len, "%u", v);
	return buf;
}

static void json_opt_u64(struct json *j, const char *key, bool has,
			 uint64_t v)
{
	if (has)
		json_u64(j, key, v);
	else
		json_null(j, key);
}

static const char *port_words(const struct vw_endpoint *ep, char *buf,
			      size_t len)
{
	return u32_words(ep->has_port, ep->port, buf, len);
}

static void port_json(struct json *j, const char *key,
		      const struct vw_endpoint *ep)
{
	json_opt_u64(j, key, ep->has_port, ep->port);
}

static bool ttl_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_ttl = true;
	return parse_ttl(v[0], &ep->ttl);
}

static int ttl_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	return put_u16(msg, VW_A_TTL, ep->has_ttl, ep->ttl);
}

static int ttl_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_u16(tb[VW_A_TTL], &ep->has_ttl, &ep->ttl);
}

static const char *ttl_words(const struct vw_endpoint *ep, char *buf,
			     size_t len)
{
	if (!ep->has_ttl)
		return NULL;
	if (ep->ttl == VW_TTL_AUTO)
		return "auto";
	if (ep->ttl == VW_TTL_INHERIT)
		return "inherit";
	return u32_words(true, ep->ttl, buf, len);
}

/* A number, or the word naming a special value. */
static void json_num_or_word(struct json *j, const char *key, bool has,
			     uint64_t v, const char *w)
{
	if (!has)
		json_null(j, key);
	else if (w[0] < '0' || w[0] > '9')
		json_str(j, key, w);
	else
		json_u64(j, key, v);
}

static void ttl_json(struct json *j, const char *key,
		     const struct vw_endpoint *ep)
{
	char buf[16];

	json_num_or_word(j, key, ep->has_ttl, ep->ttl,
			 ep->has_ttl ? ttl_words(ep, buf, sizeof(buf)) : "");
}

static bool tos_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_tos = true;
	return parse_tos(v[0], &ep->tos);
}

static int tos_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	return put_u16(msg, VW_A_TOS, ep->has_tos, ep->tos);
}

static int tos_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_u16(tb[VW_A_TOS], &ep->has_tos, &ep->tos);
}

/* DSCP values read best in hex (0xb8 for EF), and parse_tos() takes it. */
static const char *tos_words(const struct vw_endpoint *ep, char *buf,
			     size_t len)
{
	if (!ep->has_tos)
		return NULL;
	if (ep->tos == VW_TOS_INHERIT)
		return "inherit";
	snprintf(buf, len, "0x%02x", ep->tos);
	return buf;
}

static void tos_json(struct json *j, const char *key,
		     const struct vw_endpoint *ep)
{
	json_num_or_word(j, key, ep->has_tos, ep->tos,
			 ep->has_tos && ep->tos == VW_TOS_INHERIT ?
			 "inherit" : "0");
}

static bool df_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_df = true;
	return parse_df(v[0], &ep->df);
}

static int df_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	return put_u8(msg, VW_A_DF, ep->has_df, ep->df);
}

static int df_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_u8(tb[VW_A_DF], &ep->has_df, &ep->df);
}

static const char *df_words(const struct vw_endpoint *ep, char *buf,
			    size_t len)
{
	return ep->has_df ? enum_str(df_name(ep->df), ep->df, buf, len) : NULL;
}
JSON_WORDS(df, 32)

static bool srcport_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_srcport = true;
	return parse_srcport(v[0], v[1], &ep->srcport_min, &ep->srcport_max);
}

static int srcport_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	if (ep->has_srcport) {
		NLA_PUT_U16(msg, VW_A_SRCPORT_MIN, ep->srcport_min);
		NLA_PUT_U16(msg, VW_A_SRCPORT_MAX, ep->srcport_max);
	}
	return 0;
nla_put_failure:
	return -NLE_MSGSIZE;
}

static int srcport_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	bool has_min = false, has_max = false;

	if (get_u16(tb[VW_A_SRCPORT_MIN], &has_min, &ep->srcport_min) ||
	    get_u16(tb[VW_A_SRCPORT_MAX], &has_max, &ep->srcport_max))
		return -1;
	/* Half a range is no range: show neither end rather than guess. */
	ep->has_srcport = has_min && has_max;
	return 0;
}

static const char *srcport_words(const struct vw_endpoint *ep, char *buf,
				 size_t len)
{
	if (!ep->has_srcport)
		return NULL;
	snprintf(buf, len, "%u %u", ep->srcport_min, ep->srcport_max);
	return buf;
}

static void srcport_json(struct json *j, const char *key,
			 const struct vw_endpoint *ep)
{
	if (!ep->has_srcport) {
		json_null(j, key);
		return;
	}
	json_begin_obj(j, key);
	json_u64(j, "min", ep->srcport_min);
	json_u64(j, "max", ep->srcport_max);
	json_end_obj(j);
}

/*
 * The on/off switches: one set of functions, the field found by the
 * row's keyword.
 */
struct onoff_field {
	const char *keyword;
	uint16_t attr;
	size_t has, val;	/* offsets of the bools in the endpoint */
};

#define ONOFF(kw, a, f) { kw, a, offsetof(struct vw_endpoint, has_##f), \
			  offsetof(struct vw_endpoint, f) }
static const struct onoff_field onoff_fields[] = {
	ONOFF("csum", VW_A_CSUM, csum),
	ONOFF("udp6zerocsumtx", VW_A_UDP6_ZERO_CSUM_TX, udp6zcsum_tx),
	ONOFF("udp6zerocsumrx", VW_A_UDP6_ZERO_CSUM_RX, udp6zcsum_rx),
	ONOFF("roam", VW_A_ROAM, roam),
};
#undef ONOFF

#define EP_BOOL(ep, off) ((bool *)((char *)(ep) + (off)))
#define EP_CBOOL(ep, off) ((const bool *)((const char *)(ep) + (off)))

/* The switches' rows are told apart by a static function each. */
#define ONOFF_ROW(fn, i)						\
static bool fn##_parse(char **v, struct vw_endpoint *ep)		\
{									\
	const struct onoff_field *f = &onoff_fields[i];			\
									\
	*EP_BOOL(ep, f->has) = true;					\
	return parse_onoff(f->keyword, v[0], EP_BOOL(ep, f->val));	\
}									\
static int fn##_put(struct nl_msg *msg, const struct vw_endpoint *ep)	\
{									\
	const struct onoff_field *f = &onoff_fields[i];			\
									\
	if (*EP_CBOOL(ep, f->has))					\
		NLA_PUT_U8(msg, f->attr, *EP_CBOOL(ep, f->val));	\
	return 0;							\
nla_put_failure:							\
	return -NLE_MSGSIZE;						\
}									\
static int fn##_get(struct nlattr **tb, struct vw_endpoint *ep)		\
{									\
	const struct onoff_field *f = &onoff_fields[i];			\
									\
	return get_bool(tb[f->attr], EP_BOOL(ep, f->has),		\
			EP_BOOL(ep, f->val));				\
}									\
static const char *fn##_words(const struct vw_endpoint *ep, char *buf,	\
			      size_t len)				\
{									\
	const struct onoff_field *f = &onoff_fields[i];			\
									\
	(void)buf;							\
	(void)len;							\
	return *EP_CBOOL(ep, f->has) ? onoff(*EP_CBOOL(ep, f->val)) : NULL; \
}									\
static void fn##_json(struct json *j, const char *key,			\
		      const struct vw_endpoint *ep)			\
{									\
	const struct onoff_field *f = &onoff_fields[i];			\
									\
	if (*EP_CBOOL(ep, f->has))					\
		json_bool(j, key, *EP_CBOOL(ep, f->val));		\
	else								\
		json_null(j, key);					\
}

ONOFF_ROW(csum, 0)
ONOFF_ROW(udp6tx, 1)
ONOFF_ROW(udp6rx, 2)
ONOFF_ROW(roam, 3)

/* standby (add, set) and active (set): VW_A_STANDBY 1 or 0. */
static bool standby_parse(char **v, struct vw_endpoint *ep)
{
	(void)v;
	ep->has_standby = true;
	ep->standby = true;
	return true;
}

static bool active_parse(char **v, struct vw_endpoint *ep)
{
	(void)v;
	ep->has_standby = true;
	ep->standby = false;
	return true;
}

static int standby_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	return put_u8(msg, VW_A_STANDBY, ep->has_standby, ep->standby);
}

/* The kernel reports the state, standby among them. */
static int standby_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_u8(tb[VW_A_STATE], &ep->has_state, &ep->state);
}

static const char *standby_words(const struct vw_endpoint *ep, char *buf,
				 size_t len)
{
	(void)buf;
	(void)len;
	return ep->has_state && ep->state == VW_STATE_STANDBY ? "" : NULL;
}

static bool vm_mac_parse(char **v, struct vw_endpoint *ep)
{
	return parse_vm_mac(v[0], ep);
}

static int vm_mac_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	if (ep->has_vm_mac)
		NLA_PUT(msg, VW_A_VM_MAC, ep->nvm_mac * 6, ep->vm_mac);
	return 0;
nla_put_failure:
	return -NLE_MSGSIZE;
}

static int vm_mac_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	struct nlattr *a = tb[VW_A_VM_MAC];

	if (!a)
		return 0;
	if (nla_len(a) % 6 || nla_len(a) > VW_VM_MAC_MAX * 6)
		return -1;
	ep->has_vm_mac = true;
	ep->nvm_mac = nla_len(a) / 6;
	memcpy(ep->vm_mac, nla_data(a), nla_len(a));
	return 0;
}

static const char *mac_str(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

/* "52:54:00:12:34:56,..."; "none". */
static const char *vm_mac_words(const struct vw_endpoint *ep, char *buf,
				size_t len)
{
	char m[18];
	size_t off = 0;
	int i;

	if (!ep->has_vm_mac)
		return NULL;
	if (!ep->nvm_mac)
		return "none";
	buf[0] = '\0';
	for (i = 0; i < ep->nvm_mac && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? "," : "",
				mac_str(ep->vm_mac[i], m, sizeof(m)));
	return buf;
}

/* JSON: an array, empty for none. */
static void vm_mac_json(struct json *j, const char *key,
			const struct vw_endpoint *ep)
{
	char buf[18];
	int i;

	json_begin_arr(j, key);
	for (i = 0; i < ep->nvm_mac; i++)
		json_str(j, NULL, mac_str(ep->vm_mac[i], buf, sizeof(buf)));
	json_end_arr(j);
}

/* hold, hold-time, roam-holddown: u32 numbers in a range. */
struct u32_field {
	const char *what;	/* in messages */
	uint16_t attr;
	uint32_t min, max;
	size_t has, val;
};

#define U32F(w, a, lo, hi, f) { w, a, lo, hi, \
				offsetof(struct vw_endpoint, has_##f), \
				offsetof(struct vw_endpoint, f) }
static const struct u32_field u32_fields[] = {
	U32F("hold (frames)", VW_A_HOLD, 1, VW_HOLD_MAX, hold),
	U32F("hold-time (ms)", VW_A_HOLD_TIME, 1, VW_TIME_MAX, hold_time),
	U32F("roam-holddown (ms)", VW_A_ROAM_HOLDDOWN, VW_ROAM_HOLDDOWN_MIN,
	     VW_TIME_MAX, roam_holddown),
};
#undef U32F

#define EP_U32(ep, off) ((uint32_t *)((char *)(ep) + (off)))
#define EP_CU32(ep, off) ((const uint32_t *)((const char *)(ep) + (off)))

#define U32_ROW(fn, i)							\
static bool fn##_parse(char **v, struct vw_endpoint *ep)		\
{									\
	const struct u32_field *f = &u32_fields[i];			\
									\
	*EP_BOOL(ep, f->has) = true;					\
	return parse_u32_range(f->what, v[0], f->min, f->max,		\
			       EP_U32(ep, f->val));			\
}									\
static int fn##_put(struct nl_msg *msg, const struct vw_endpoint *ep)	\
{									\
	const struct u32_field *f = &u32_fields[i];			\
									\
	if (*EP_CBOOL(ep, f->has))					\
		NLA_PUT_U32(msg, f->attr, *EP_CU32(ep, f->val));	\
	return 0;							\
nla_put_failure:							\
	return -NLE_MSGSIZE;						\
}									\
static int fn##_get(struct nlattr **tb, struct vw_endpoint *ep)		\
{									\
	const struct u32_field *f = &u32_fields[i];			\
									\
	return get_u32(tb[f->attr], EP_BOOL(ep, f->has),		\
		       EP_U32(ep, f->val));				\
}									\
static const char *fn##_words(const struct vw_endpoint *ep, char *buf,	\
			      size_t len)				\
{									\
	const struct u32_field *f = &u32_fields[i];			\
									\
	return u32_words(*EP_CBOOL(ep, f->has), *EP_CU32(ep, f->val),	\
			 buf, len);					\
}									\
static void fn##_json(struct json *j, const char *key,			\
		      const struct vw_endpoint *ep)			\
{									\
	const struct u32_field *f = &u32_fields[i];			\
									\
	json_opt_u64(j, key, *EP_CBOOL(ep, f->has), *EP_CU32(ep, f->val)); \
}

U32_ROW(hold, 0)
U32_ROW(hold_time, 1)
U32_ROW(holddown, 2)

/* relay ADDR|off: "off" is an all-zero IPv4 address. */
static bool relay_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_relay = true;
	if (!strcmp(v[0], "off")) {
		memset(&ep->relay, 0, sizeof(ep->relay));
		ep->relay_family = AF_INET;
		return true;
	}
	return parse_addr("relay", v[0], &ep->relay_family, &ep->relay);
}

static int relay_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	if (ep->has_relay)
		NLA_PUT(msg, ep->relay_family == AF_INET ? VW_A_RELAY4 :
			VW_A_RELAY6, addr_len(ep->relay_family), &ep->relay);
	return 0;
nla_put_failure:
	return -NLE_MSGSIZE;
}

static int relay_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_addr(tb[VW_A_RELAY4], tb[VW_A_RELAY6], &ep->has_relay,
			&ep->relay_family, &ep->relay);
}

static const char *relay_words(const struct vw_endpoint *ep, char *buf,
			       size_t len)
{
	if (!ep->has_relay)
		return NULL;
	if (all_zero(&ep->relay, addr_len(ep->relay_family)))
		return "off";
	return addr_str(ep->relay_family, &ep->relay, buf, len);
}

/* JSON: null for off. */
static void relay_json(struct json *j, const char *key,
		       const struct vw_endpoint *ep)
{
	char buf[INET6_ADDRSTRLEN];
	const char *w = relay_words(ep, buf, sizeof(buf));

	json_str(j, key, w && strcmp(w, "off") ? w : NULL);
}

static bool accept_parse(char **v, struct vw_endpoint *ep)
{
	return parse_accept(v[0], ep);
}

static int accept_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	struct nlattr *list, *pf;
	int i;

	if (!ep->has_accept)
		return 0;
	list = nla_nest_start(msg, VW_A_ACCEPT);
	if (!list)
		return -NLE_MSGSIZE;
	for (i = 0; i < ep->naccept; i++) {
		const struct vw_prefix *p = &ep->accept[i];

		pf = nla_nest_start(msg, VW_A_ACCEPT_PREFIX);
		if (!pf ||
		    nla_put(msg, p->family == AF_INET ? VW_PREFIX_A_ADDR4 :
			    VW_PREFIX_A_ADDR6, addr_len(p->family),
			    &p->addr) < 0 ||
		    nla_put_u8(msg, VW_PREFIX_A_LEN, p->len) < 0)
			return -NLE_MSGSIZE;
		nla_nest_end(msg, pf);
	}
	/* An empty list clears the kernel's: nla_nest_end() would drop it. */
	nla_nest_end_keep_empty(msg, list);
	return 0;
}

static int accept_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	struct nlattr *ptb[VW_PREFIX_A_MAX + 1];
	struct nlattr *list = tb[VW_A_ACCEPT];
	struct vw_prefix *p;
	struct nlattr *a;
	bool has = false;
	int rem;

	if (!list)
		return 0;
	ep->has_accept = true;
	nla_for_each_nested(a, list, rem) {
		if (ep->naccept == VW_ACCEPT_MAX ||
		    nla_parse_nested(ptb, VW_PREFIX_A_MAX, a, NULL) < 0)
			return -1;
		p = &ep->accept[ep->naccept];
		if (get_addr(ptb[VW_PREFIX_A_ADDR4], ptb[VW_PREFIX_A_ADDR6],
			     &has, &p->family, &p->addr) || !has ||
		    !ptb[VW_PREFIX_A_LEN] || !len_is(ptb[VW_PREFIX_A_LEN], 1))
			return -1;
		p->len = nla_get_u8(ptb[VW_PREFIX_A_LEN]);
		ep->naccept++;
	}
	return 0;
}

static const char *prefix_str(const struct vw_prefix *p, char *buf,
			      size_t len)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", addr_str(p->family, &p->addr, a,
					     sizeof(a)), p->len);
	return buf;
}

/* "192.0.2.0/24,2001:db8::/32"; "none". */
static const char *accept_words(const struct vw_endpoint *ep, char *buf,
				size_t len)
{
	char p[INET6_ADDRSTRLEN + 5];
	size_t off = 0;
	int i;

	if (!ep->has_accept)
		return NULL;
	if (!ep->naccept)
		return "none";
	buf[0] = '\0';
	for (i = 0; i < ep->naccept && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? "," : "",
				prefix_str(&ep->accept[i], p, sizeof(p)));
	return buf;
}

static void accept_json(struct json *j, const char *key,
			const struct vw_endpoint *ep)
{
	char buf[INET6_ADDRSTRLEN + 5];
	int i;

	json_begin_arr(j, key);
	for (i = 0; i < ep->naccept; i++)
		json_str(j, NULL, prefix_str(&ep->accept[i], buf, sizeof(buf)));
	json_end_arr(j);
}

/*
 * The service level (Documentation/sla.rst): rate MIN MAX and burst in
 * tc's words (units.h), bytes per second and bytes on the wire and in
 * show --json; priority and mark, numbers.
 */
static int get_u64(struct nlattr *a, bool *has, uint64_t *v)
{
	if (!a)
		return 0;
	if (!len_is(a, 8))
		return -1;
	*has = true;
	*v = nla_get_u64(a);
	return 0;
}

static bool rate_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_rate = true;
	return parse_rate(v[0], v[1], &ep->rate_min, &ep->rate_max);
}

static int rate_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	if (ep->has_rate) {
		NLA_PUT_U64(msg, VW_A_RATE_MIN, ep->rate_min);
		NLA_PUT_U64(msg, VW_A_RATE_MAX, ep->rate_max);
	}
	return 0;
nla_put_failure:
	return -NLE_MSGSIZE;
}

static int rate_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	bool has_min = false, has_max = false;

	if (get_u64(tb[VW_A_RATE_MIN], &has_min, &ep->rate_min) ||
	    get_u64(tb[VW_A_RATE_MAX], &has_max, &ep->rate_max))
		return -1;
	/* Half a rate is none, as for srcport. */
	ep->has_rate = has_min && has_max;
	return 0;
}

/* "100mbit 10gbit", "0 unlimited". */
static const char *rate_words(const struct vw_endpoint *ep, char *buf,
			      size_t len)
{
	char lo[32], hi[32];

	if (!ep->has_rate)
		return NULL;
	snprintf(buf, len, "%s %s", units_rate_str(ep->rate_min, lo,
						   sizeof(lo)),
		 ep->rate_max == VW_RATE_UNLIMITED ? "unlimited" :
		 units_rate_str(ep->rate_max, hi, sizeof(hi)));
	return buf;
}

/* Bytes per second; max null for unlimited. */
static void rate_json(struct json *j, const char *key,
		      const struct vw_endpoint *ep)
{
	if (!ep->has_rate) {
		json_null(j, key);
		return;
	}
	json_begin_obj(j, key);
	json_u64(j, "min", ep->rate_min);
	json_opt_u64(j, "max", ep->rate_max != VW_RATE_UNLIMITED,
		     ep->rate_max);
	json_end_obj(j);
}

static bool burst_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_burst = true;
	return parse_burst(v[0], &ep->burst);
}

static int put_u32(struct nl_msg *msg, int attr, bool has, uint32_t v)
{
	return has && nla_put_u32(msg, attr, v) ? -NLE_MSGSIZE : 0;
}

static int burst_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	return put_u32(msg, VW_A_RATE_BURST, ep->has_burst, ep->burst);
}

static int burst_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_u32(tb[VW_A_RATE_BURST], &ep->has_burst, &ep->burst);
}

static const char *burst_words(const struct vw_endpoint *ep, char *buf,
			       size_t len)
{
	return ep->has_burst ? units_size_str(ep->burst, buf, len) : NULL;
}

static void burst_json(struct json *j, const char *key,
		       const struct vw_endpoint *ep)
{
	json_opt_u64(j, key, ep->has_burst, ep->burst);
}

static bool priority_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_priority = true;
	return parse_priority(v[0], &ep->priority);
}

static int priority_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	return put_u32(msg, VW_A_PRIORITY, ep->has_priority, ep->priority);
}

static int priority_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_u32(tb[VW_A_PRIORITY], &ep->has_priority, &ep->priority);
}

/* A class ID as tc writes it ("1:10") when it has a major number. */
static const char *priority_words(const struct vw_endpoint *ep, char *buf,
				  size_t len)
{
	if (!ep->has_priority)
		return NULL;
	if (ep->priority >> 16)
		snprintf(buf, len, "%x:%x", ep->priority >> 16,
			 ep->priority & 0xffff);
	else
		snprintf(buf, len, "%u", ep->priority);
	return buf;
}

static void priority_json(struct json *j, const char *key,
			  const struct vw_endpoint *ep)
{
	json_opt_u64(j, key, ep->has_priority, ep->priority);
}

static bool mark_parse(char **v, struct vw_endpoint *ep)
{
	ep->has_mark = true;
	return parse_mark(v[0], &ep->mark);
}

static int mark_put(struct nl_msg *msg, const struct vw_endpoint *ep)
{
	return put_u32(msg, VW_A_MARK, ep->has_mark, ep->mark);
}

static int mark_get(struct nlattr **tb, struct vw_endpoint *ep)
{
	return get_u32(tb[VW_A_MARK], &ep->has_mark, &ep->mark);
}

/* Hex, as ip rule and nft write marks. */
static const char *mark_words(const struct vw_endpoint *ep, char *buf,
			      size_t len)
{
	if (!ep->has_mark)
		return NULL;
	if (ep->mark)
		snprintf(buf, len, "0x%x", ep->mark);
	else
		snprintf(buf, len, "0");
	return buf;
}

static void mark_json(struct json *j, const char *key,
		      const struct vw_endpoint *ep)
{
	json_opt_u64(j, key, ep->has_mark, ep->mark);
}

/* -------------------------------------------------------------- table */

/*
 * The order of the rows is the order of the words of show, monitor and
 * save, and of the members of show --json.
 */
const struct vw_option vw_options[] = {
	{ "dev", "NAME", 1, OPT_ADD, { VW_A_IFNAME, VW_A_IFINDEX }, "dev",
	  "the endpoint's device",
	  NULL, NULL, dev_parse, dev_put, dev_get, dev_words, dev_json },
	{ "remote", "ADDR", 1, OPT_ADD | OPT_SET,
	  { VW_A_REMOTE4, VW_A_REMOTE6 }, "remote",
	  "the remote host's address, IPv4 or IPv6 (a UDP wire)",
	  NULL, NULL, remote_parse, remote_put, remote_get, remote_words,
	  remote_json },
	{ "peer", "DEV", 1, OPT_ADD | OPT_SET,
	  { VW_A_PEER_IFNAME, VW_A_PEER_IFINDEX }, "peer",
	  "the other end's device, on this host (a local wire)",
	  NULL, NULL, peer_parse, peer_put, peer_get, peer_words, peer_json },
	{ "local", "ADDR|any", 1, OPT_ADD | OPT_SET,
	  { VW_A_LOCAL4, VW_A_LOCAL6 }, "local",
	  "outer source address (any: the route's choice; default)",
	  "any", NULL, local_parse, local_put, local_get, local_words,
	  local_json },
	{ "port", "PORT", 1, OPT_ADD | OPT_SET, { VW_A_PORT }, "port",
	  "UDP port, 1-65535 (default 4789 vxlan, 4798 vw)",
	  NULL, port_is_default, port_parse, port_put, port_get, port_words,
	  port_json },
	{ "format", "vxlan|vw", 1, OPT_ADD | OPT_SET, { VW_A_FORMAT },
	  "format", "wire format; vxlan carries IDs up to 16777215",
	  "vxlan", NULL, format_parse, format_put, format_get, format_words,
	  format_json },
	{ "ttl", "N|auto|inherit", 1, OPT_ADD | OPT_SET, { VW_A_TTL }, "ttl",
	  "outer TTL / hop limit, N 1-255 (default auto)",
	  "auto", NULL, ttl_parse, ttl_put, ttl_get, ttl_words, ttl_json },
	{ "tos", "N|inherit", 1, OPT_ADD | OPT_SET, { VW_A_TOS }, "tos",
	  "outer TOS / traffic class, N 0-255 or 0xNN (default 0)",
	  "0x00", NULL, tos_parse, tos_put, tos_get, tos_words, tos_json },
	{ "df", "set|unset|inherit", 1, OPT_ADD | OPT_SET, { VW_A_DF }, "df",
	  "outer IPv4 DF bit (default unset)",
	  "unset", NULL, df_parse, df_put, df_get, df_words, df_json },
	{ "srcport", "MIN MAX", 2, OPT_ADD | OPT_SET,
	  { VW_A_SRCPORT_MIN, VW_A_SRCPORT_MAX }, "srcport",
	  "outer UDP source port range (default 49152 65535)",
	  "49152 65535", NULL, srcport_parse, srcport_put, srcport_get,
	  srcport_words, srcport_json },
	{ "csum", "on|off", 1, OPT_ADD | OPT_SET, { VW_A_CSUM }, "csum",
	  "UDP checksum over IPv4 (default on)",
	  "on", NULL, csum_parse, csum_put, csum_get, csum_words, csum_json },
	{ "udp6zerocsumtx", "on|off", 1, OPT_ADD | OPT_SET,
	  { VW_A_UDP6_ZERO_CSUM_TX }, "udp6zerocsumtx",
	  "send zero UDP checksums over IPv6 (default off)",
	  "off", NULL, udp6tx_parse, udp6tx_put, udp6tx_get, udp6tx_words,
	  udp6tx_json },
	{ "udp6zerocsumrx", "on|off", 1, OPT_ADD | OPT_SET,
	  { VW_A_UDP6_ZERO_CSUM_RX }, "udp6zerocsumrx",
	  "accept zero UDP checksums over IPv6 (default off)",
	  "off", NULL, udp6rx_parse, udp6rx_put, udp6rx_get, udp6rx_words,
	  udp6rx_json },
	{ "accept", "PREFIX[,..]|none", 1, OPT_ADD | OPT_SET,
	  { VW_A_ACCEPT, VW_A_ACCEPT_PREFIX }, "accept",
	  "sources accepted besides the remote, up to 8 (default none)",
	  "none", NULL, accept_parse, accept_put, accept_get, accept_words,
	  accept_json },
	{ "roam", "on|off", 1, OPT_ADD | OPT_SET, { VW_A_ROAM }, "roam",
	  "an accepted source that sends becomes the remote (default off)",
	  "off", NULL, roam_parse, roam_put, roam_get, roam_words, roam_json },
	{ "roam-holddown", "MS", 1, OPT_ADD | OPT_SET, { VW_A_ROAM_HOLDDOWN },
	  "roam_holddown_ms",
	  "no roam that long after one, 100-60000 (default 1000)",
	  "1000", NULL, holddown_parse, holddown_put, holddown_get,
	  holddown_words, holddown_json },
	{ "relay", "ADDR|off", 1, OPT_ADD | OPT_SET,
	  { VW_A_RELAY4, VW_A_RELAY6 }, "relay",
	  "send what arrives from the remote on to ADDR (default off)",
	  "off", NULL, relay_parse, relay_put, relay_get, relay_words,
	  relay_json },
	{ "hold", "N", 1, OPT_ADD | OPT_SET, { VW_A_HOLD }, "hold",
	  "frames held in standby, 1-65536 (default 1024)",
	  "1024", NULL, hold_parse, hold_put, hold_get, hold_words, hold_json },
	{ "hold-time", "MS", 1, OPT_ADD | OPT_SET, { VW_A_HOLD_TIME },
	  "hold_time_ms",
	  "how long a frame is held, 1-60000 (default 2000)",
	  "2000", NULL, hold_time_parse, hold_time_put, hold_time_get,
	  hold_time_words, hold_time_json },
	{ "vm-mac", "MAC[,MAC]|none", 1, OPT_ADD | OPT_SET, { VW_A_VM_MAC },
	  "vm_mac", "the VM's addresses: a frame from one activates",
	  "none", NULL, vm_mac_parse, vm_mac_put, vm_mac_get, vm_mac_words,
	  vm_mac_json },
	{ "rate", "MIN MAX", 2, OPT_ADD | OPT_SET,
	  { VW_A_RATE_MIN, VW_A_RATE_MAX }, "rate_bytes_per_sec",
	  "guaranteed, maximum rate: 100mbit 10gbit (default 0 unlimited)",
	  "0 unlimited", NULL, rate_parse, rate_put, rate_get, rate_words,
	  rate_json },
	{ "burst", "SIZE", 1, OPT_ADD | OPT_SET, { VW_A_RATE_BURST },
	  "burst_bytes", "what may leave at once above MAX (default 64k)",
	  "64k", NULL, burst_parse, burst_put, burst_get, burst_words,
	  burst_json },
	{ "priority", "N|MAJ:MIN", 1, OPT_ADD | OPT_SET, { VW_A_PRIORITY },
	  "priority", "outer skb priority or tc class (default 0: unset)",
	  "0", NULL, priority_parse, priority_put, priority_get,
	  priority_words, priority_json },
	{ "mark", "N", 1, OPT_ADD | OPT_SET, { VW_A_MARK }, "mark",
	  "outer skb mark (default 0: unset)",
	  "0", NULL, mark_parse, mark_put, mark_get, mark_words, mark_json },
	{ "standby", NULL, 0, OPT_ADD | OPT_SET, { VW_A_STANDBY }, NULL,
	  "hold what arrives until the VM sends (migration)",
	  NULL, NULL, standby_parse, standby_put, standby_get, standby_words,
	  NULL },
	{ "active", NULL, 0, OPT_SET, { 0 }, NULL,
	  "end standby now",
	  NULL, NULL, active_parse, NULL, NULL, NULL, NULL },
};

const size_t vw_noptions = ARRAY_SIZE(vw_options);

int option_index(const char *keyword)
{
	size_t i;

	for (i = 0; i < vw_noptions; i++)
		if (!strcmp(vw_options[i].keyword, keyword))
			return i;
	return -1;
}

const struct vw_option *option_find(const char *keyword, unsigned int where)
{
	int i = option_index(keyword);

	return i >= 0 && (vw_options[i].where & where) ? &vw_options[i] : NULL;
}

const char *option_attr_word(unsigned int type)
{
	size_t i, k;

	switch (type) {
	case VW_A_ID:
		return "ID";
	case VW_A_ID_MIN:
	case VW_A_ID_MAX:
		return "id";
	case VW_A_PEER_CREATE:
		return "peer";
	}
	for (i = 0; i < vw_noptions; i++)
		for (k = 0; k < ARRAY_SIZE(vw_options[i].attrs) &&
			    vw_options[i].attrs[k]; k++)
			if (vw_options[i].attrs[k] == type)
				return vw_options[i].keyword;
	return NULL;
}

/* Whether save leaves o out of ep: the kernel's default. */
static bool is_default(const struct vw_option *o,
		       const struct vw_endpoint *ep, const char *w)
{
	return o->is_default ? o->is_default(ep) :
	       o->dflt && !strcmp(w, o->dflt);
}

void option_print_words_like(FILE *f, const struct vw_endpoint *ep,
			     bool save, const struct vw_endpoint *like)
{
	char buf[VW_ACCEPT_MAX * (INET6_ADDRSTRLEN + 5) + 16];
	char lbuf[sizeof(buf)];
	const struct vw_option *o;
	const char *w, *lw;
	size_t i;

	for (i = 0; i < vw_noptions; i++) {
		o = &vw_options[i];
		if (!o->words)
			continue;
		w = o->words(ep, buf, sizeof(buf));
		if (!w)
			continue;
		lw = like ? o->words(like, lbuf, sizeof(lbuf)) : NULL;
		if (save && is_default(o, ep, w) && (!lw || !strcmp(w, lw)))
			continue;
		fprintf(f, " %s%s%s", o->keyword, *w ? " " : "", w);
	}
}

void option_print_words(FILE *f, const struct vw_endpoint *ep, bool save)
{
	option_print_words_like(f, ep, save, NULL);
}

void option_print_json(struct json *j, const struct vw_endpoint *ep)
{
	size_t i;

	for (i = 0; i < vw_noptions; i++)
		if (vw_options[i].json_key)
			vw_options[i].json(j, vw_options[i].json_key, ep);
}

const char *option_keyword_list(unsigned int where)
{
	static char buf[512];
	size_t i, n = 0, k = 0, len = 0;

	for (i = 0; i < vw_noptions; i++)
		if (vw_options[i].where & where)
			n++;
	buf[0] = '\0';
	for (i = 0; i < vw_noptions; i++) {
		if (!(vw_options[i].where & where))
			continue;
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				!k ? "" : k == n - 1 ? " or " : ", ",
				vw_options[i].keyword);
		k++;
	}
	return buf;
}

void option_print_help(FILE *f, unsigned int where)
{
	const struct vw_option *o;
	char kw[64];
	size_t i;

	fputs("OPTIONS (each at most once):\n", f);
	for (i = 0; i < vw_noptions; i++) {
		o = &vw_options[i];
		if (!(o->where & where))
			continue;
		snprintf(kw, sizeof(kw), "%s%s%s", o->keyword,
			 o->args ? " " : "", o->args ? o->args : "");
		fprintf(f, "  %-24s%s%s\n", kw, o->help,
			where != o->where && o->where == OPT_ADD ? " (add)" :
			where != o->where && o->where == OPT_SET ? " (set)" :
			"");
	}
}
