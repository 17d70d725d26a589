// SPDX-License-Identifier: GPL-2.0
/*
 * vwd's directory: keys, JSON values and the in-memory view (directory.h).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directory.h"

#define KEY_ROOT "%s/v1/"

bool vwd_key_root(char *buf, size_t len, const char *prefix)
{
	int n = snprintf(buf, len, KEY_ROOT, prefix);

	return n > 0 && (size_t)n < len;
}

bool vwd_key_host(char *buf, size_t len, const char *prefix,
		  const char *host)
{
	int n = snprintf(buf, len, KEY_ROOT "hosts/%s", prefix, host);

	return n > 0 && (size_t)n < len;
}

bool vwd_key_end(char *buf, size_t len, const char *prefix,
		 const struct vwd_end *end)
{
	int n = snprintf(buf, len, KEY_ROOT "connectors/%u/%s/%s", prefix,
			 end->id, end->host, end->dev);

	return n > 0 && (size_t)n < len;
}

bool vwd_key_connector(char *buf, size_t len, const char *prefix,
		       uint32_t id)
{
	int n = snprintf(buf, len, KEY_ROOT "connectors/%u/", prefix, id);

	return n > 0 && (size_t)n < len;
}

static json_object *addrs_json(const char (*addrs)[VWD_ADDRLEN], size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_object_array_add(a, json_object_new_string(addrs[i]));
	return a;
}

static char *dump(json_object *o)
{
	char *s = NULL;

	if (o)
		s = strdup(json_object_to_json_string_ext(o,
						JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

char *vwd_end_json(const struct vwd_end *e)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "version", json_object_new_int(VWD_VERSION));
	json_object_object_add(o, "id", json_object_new_int64(e->id));
	json_object_object_add(o, "host", json_object_new_string(e->host));
	json_object_object_add(o, "dev", json_object_new_string(e->dev));
	json_object_object_add(o, "addrs", addrs_json(e->addrs, e->naddrs));
	json_object_object_add(o, "port", json_object_new_int(e->port));
	json_object_object_add(o, "format", json_object_new_string(e->format));
	json_object_object_add(o, "state", json_object_new_string(
				       e->standby ? "standby" : "active"));
	if (e->vm[0])
		json_object_object_add(o, "vm", json_object_new_string(e->vm));
	return dump(o);
}

char *vwd_host_json(const struct vwd_host *h)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "version", json_object_new_int(VWD_VERSION));
	json_object_object_add(o, "host", json_object_new_string(h->name));
	json_object_object_add(o, "addrs", addrs_json(h->addrs, h->naddrs));
	return dump(o);
}

/* Copy the string member @key of @o into buf; false if absent or too long. */
void vwd_json_str(json_object *o, const char *key, char *buf, size_t len)
{
	json_object *m;

	buf[0] = 0;
	if (json_object_object_get_ex(o, key, &m) &&
	    json_object_is_type(m, json_type_string))
		snprintf(buf, len, "%s", json_object_get_string(m));
}

bool vwd_json_bool(json_object *o, const char *key)
{
	json_object *m;

	return json_object_object_get_ex(o, key, &m) &&
	       json_object_get_boolean(m);
}

static bool get_str(json_object *o, const char *key, char *buf, size_t len)
{
	json_object *m;
	const char *s;

	if (!json_object_object_get_ex(o, key, &m) ||
	    !json_object_is_type(m, json_type_string))
		return false;
	s = json_object_get_string(m);
	if (strlen(s) >= len)
		return false;
	strcpy(buf, s);
	return true;
}

static bool get_addrs(json_object *o, char (*addrs)[VWD_ADDRLEN],
		      size_t *n)
{
	json_object *a, *m;
	size_t i, len;

	if (!json_object_object_get_ex(o, "addrs", &a) ||
	    !json_object_is_type(a, json_type_array))
		return false;
	len = json_object_array_length(a);
	if (len > VWD_MAX_ADDRS)
		len = VWD_MAX_ADDRS;
	for (i = 0; i < len; i++) {
		m = json_object_array_get_idx(a, i);
		if (!json_object_is_type(m, json_type_string) ||
		    strlen(json_object_get_string(m)) >= VWD_ADDRLEN)
			return false;
		strcpy(addrs[i], json_object_get_string(m));
	}
	*n = len;
	return true;
}

/* The object of @json if its version is ours, else NULL and *why. */
static json_object *parse_versioned(const char *json, const char **why)
{
	json_object *o = json_tokener_parse(json), *v;

	if (!o || !json_object_is_type(o, json_type_object)) {
		*why = "not a JSON object";
		json_object_put(o);
		return NULL;
	}
	if (!json_object_object_get_ex(o, "version", &v) ||
	    json_object_get_int(v) != VWD_VERSION) {
		*why = "not version 1";
		json_object_put(o);
		return NULL;
	}
	return o;
}

int vwd_end_parse(const char *json, struct vwd_end *e, const char **why)
{
	json_object *o = parse_versioned(json, why), *m;
	char state[16];
	int64_t v;

	if (!o)
		return -1;
	memset(e, 0, sizeof(*e));
	*why = "a member is missing or of the wrong type";
	if (!json_object_object_get_ex(o, "id", &m) ||
	    !json_object_is_type(m, json_type_int))
		goto bad;
	v = json_object_get_int64(m);
	if (v < 0 || v > UINT32_MAX)
		goto bad;
	e->id = v;
	if (!json_object_object_get_ex(o, "port", &m) ||
	    !json_object_is_type(m, json_type_int))
		goto bad;
	v = json_object_get_int64(m);
	if (v < 1 || v > 65535)
		goto bad;
	e->port = v;
	if (!get_str(o, "host", e->host, sizeof(e->host)) ||
	    !get_str(o, "dev", e->dev, sizeof(e->dev)) ||
	    !get_str(o, "format", e->format, sizeof(e->format)) ||
	    !get_str(o, "state", state, sizeof(state)) ||
	    !get_addrs(o, e->addrs, &e->naddrs))
		goto bad;
	if (json_object_object_get_ex(o, "vm", &m) &&
	    !get_str(o, "vm", e->vm, sizeof(e->vm)))
		goto bad;
	if (strcmp(e->format, "vxlan") && strcmp(e->format, "vw")) {
		*why = "unknown format";
		goto bad;
	}
	if (!strcmp(state, "standby")) {
		e->standby = true;
	} else if (strcmp(state, "active")) {
		*why = "unknown state";
		goto bad;
	}
	json_object_put(o);
	return 0;
bad:
	json_object_put(o);
	return -1;
}

int vwd_host_parse(const char *json, struct vwd_host *h, const char **why)
{
	json_object *o = parse_versioned(json, why);

	if (!o)
		return -1;
	memset(h, 0, sizeof(*h));
	if (!get_str(o, "host", h->name, sizeof(h->name)) ||
	    !get_addrs(o, h->addrs, &h->naddrs)) {
		*why = "a member is missing or of the wrong type";
		json_object_put(o);
		return -1;
	}
	json_object_put(o);
	return 0;
}

const struct vwd_end *vwd_view_find(const struct vwd_view *v, uint32_t id,
				    const char *host, const char *dev)
{
	size_t i;

	for (i = 0; i < v->nends; i++)
		if (v->ends[i].id == id && !strcmp(v->ends[i].host, host) &&
		    !strcmp(v->ends[i].dev, dev))
			return &v->ends[i];
	return NULL;
}

static struct vwd_host *find_host(struct vwd_view *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nhosts; i++)
		if (!strcmp(v->hosts[i].name, name))
			return &v->hosts[i];
	return NULL;
}

/* Split "ID/HOST/DEV" (what follows connectors/); false if it is not one. */
static bool split_end_key(const char *rest, uint32_t *id, char *host,
			  char *dev)
{
	const char *s1 = strchr(rest, '/'), *s2;
	char *end;
	unsigned long v;

	if (!s1)
		return false;
	s2 = strchr(s1 + 1, '/');
	if (!s2 || strchr(s2 + 1, '/'))
		return false;
	v = strtoul(rest, &end, 10);
	if (end != s1 || end == rest || v > UINT32_MAX)
		return false;
	if ((size_t)(s2 - s1 - 1) >= VWD_NAMELEN || s2 == s1 + 1 ||
	    strlen(s2 + 1) >= IFNAMSIZ || !s2[1])
		return false;
	*id = v;
	memcpy(host, s1 + 1, s2 - s1 - 1);
	host[s2 - s1 - 1] = 0;
	strcpy(dev, s2 + 1);
	return true;
}

static int apply_end(struct vwd_view *v, const char *rest, const char *value,
		     const char **why)
{
	struct vwd_end e, *slot;
	char host[VWD_NAMELEN], dev[IFNAMSIZ];
	uint32_t id;

	if (!split_end_key(rest, &id, host, dev))
		return 0;
	slot = (struct vwd_end *)vwd_view_find(v, id, host, dev);
	if (slot && !value) {
		*slot = v->ends[--v->nends];
		return 0;
	}
	if (!value)
		return 0;
	/* The key is the truth about where an end is, not its value. */
	if (vwd_end_parse(value, &e, why) || e.id != id ||
	    strcmp(e.host, host) || strcmp(e.dev, dev)) {
		if (slot)
			*slot = v->ends[--v->nends];
		if (!*why || e.id != id)
			*why = "value does not match its key";
		return -1;
	}
	if (!slot) {
		slot = realloc(v->ends, (v->nends + 1) * sizeof(*v->ends));
		if (!slot) {
			*why = "out of memory";
			return -1;
		}
		v->ends = slot;
		slot = &v->ends[v->nends++];
	}
	*slot = e;
	return 0;
}

static int apply_host(struct vwd_view *v, const char *name,
		      const char *value, const char **why)
{
	struct vwd_host h, *slot = find_host(v, name);

	if (!value || vwd_host_parse(value, &h, why) ||
	    strcmp(h.name, name)) {
		if (slot)
			*slot = v->hosts[--v->nhosts];
		if (value && !*why)
			*why = "value does not match its key";
		return value ? -1 : 0;
	}
	if (!slot) {
		slot = realloc(v->hosts, (v->nhosts + 1) * sizeof(*v->hosts));
		if (!slot) {
			*why = "out of memory";
			return -1;
		}
		v->hosts = slot;
		slot = &v->hosts[v->nhosts++];
	}
	*slot = h;
	return 0;
}

int vwd_view_apply(struct vwd_view *v, const char *prefix, const char *key,
		   const char *value, const char **why)
{
	char root[VWD_KEYLEN];
	size_t len;

	*why = NULL;
	if (!vwd_key_root(root, sizeof(root), prefix))
		return 0;
	len = strlen(root);
	if (strncmp(key, root, len))
		return 0;
	key += len;
	if (!strncmp(key, "connectors/", 11))
		return apply_end(v, key + 11, value, why);
	if (!strncmp(key, "hosts/", 6) && key[6] && !strchr(key + 6, '/'))
		return apply_host(v, key + 6, value, why);
	return 0;
}

void vwd_view_clear(struct vwd_view *v)
{
	free(v->ends);
	free(v->hosts);
	memset(v, 0, sizeof(*v));
}

static int family_of(const char *addr)
{
	return strchr(addr, ':') ? 6 : 4;
}

const char *vwd_pick_addr(const char (*mine)[VWD_ADDRLEN], size_t nmine,
			  const struct vwd_end *far)
{
	size_t i, j;

	for (i = 0; i < nmine; i++)
		for (j = 0; j < far->naddrs; j++)
			if (family_of(mine[i]) == family_of(far->addrs[j]))
				return far->addrs[j];
	return NULL;
}
