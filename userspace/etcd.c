// SPDX-License-Identifier: GPL-2.0
/*
 * vwd's etcd v3 client over etcd's JSON gateway (see etcd.h).
 *
 * What etcd 3.4's gateway really sends (grpc-gateway, jsonpb with the
 * proto field names and no defaults): every field at its zero value is
 * left out ("succeeded" of a failed txn, "kvs" of an empty range, "TTL"
 * of an expired lease, "type" of a PUT event, "lease" 0), int64s are JSON
 * strings, bytes are base64.  An error is an HTTP status other than 200
 * with {"error": "...", "message": "...", "code": GRPC_CODE}; in a stream
 * (the watch, the lease keepalive) it is {"error": {"grpc_code": N,
 * "http_code": N, "message": "...", ...}} in place of {"result": ...}.
 *
 * Every request carries "Grpc-Metadata-hasleader: true", which the
 * gateway passes to etcd as the gRPC metadata etcd's own client sets
 * with WithRequireLeader: a member that has lost its leader (a
 * partition, no quorum) then answers "no leader" at once (Unavailable),
 * instead of letting a request hang until the timeout, and cancels the
 * watch streams it serves, so the watch moves to another member.
 *
 * VWD_ETCD_DEBUG=1 in the environment: the watch thread prints every
 * message it gets and why each stream ended, on stderr.
 *
 * Threads: the unary calls are made by one thread (vwd's main loop) on
 * e->curl and e->err.  The watch thread and the lease keeper's have
 * their own curl handles.  The three share the auth token and the
 * preferred endpoint, under e->lock; the rest of struct vw_etcd is
 * read-only after vw_etcd_new().  Every socket is close-on-exec: the
 * vwctl that vwd runs inherits none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "etcd.h"

struct vw_etcd {
	char **endpoints;
	size_t nendpoints;
	char *cacert, *cert, *key, *user, *password;
	int timeout_ms;

	pthread_mutex_t lock;		/* protects preferred and token */
	size_t preferred;		/* the endpoint that answered last */
	char *token;			/* auth token; NULL: none yet */

	CURL *curl;			/* the unary calls' handle */
	char err[512];
};

/* A growing buffer for a response body. */
struct buf {
	char *p;
	size_t len, cap;
};

static void set_err(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
}

/* base64 (RFC 4648, padded) of @len bytes; malloc'd, NUL-terminated. */
static char *b64_encode(const unsigned char *s, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		*o++ = tab[s[i] >> 2];
		*o++ = tab[(s[i] & 3) << 4 | s[i + 1] >> 4];
		*o++ = tab[(s[i + 1] & 15) << 2 | s[i + 2] >> 6];
		*o++ = tab[s[i + 2] & 63];
	}
	if (i < len) {
		*o++ = tab[s[i] >> 2];
		if (i + 1 < len) {
			*o++ = tab[(s[i] & 3) << 4 | s[i + 1] >> 4];
			*o++ = tab[(s[i + 1] & 15) << 2];
		} else {
			*o++ = tab[(s[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

static int b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/*
 * Decode base64 into a malloc'd NUL-terminated string (keys and values
 * are C strings in etcd.h: a value with a NUL in it is cut there).
 * NULL on bad input or no memory.
 */
static char *b64_decode(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len / 4 * 3 + 4), *o = out;
	unsigned int acc = 0;
	int bits = 0, v;

	if (!out)
		return NULL;
	for (; *s && *s != '='; s++) {
		v = b64_val(*s);
		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6 | (unsigned int)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*o++ = (char)(acc >> bits & 0xff);
		}
	}
	*o = '\0';
	return out;
}

/*
 * The end of the range of every key starting with @prefix: the prefix
 * with its last byte plus one (0xff bytes dropped first); "\0" (every
 * key) when nothing is left.  Returned base64'd.
 */
static char *prefix_end_b64(const char *prefix)
{
	size_t len = strlen(prefix);
	unsigned char *end = (unsigned char *)strdup(prefix);
	char *out;

	if (!end)
		return NULL;
	while (len && end[len - 1] == 0xff)
		len--;
	if (len) {
		end[len - 1]++;
		out = b64_encode(end, len);
	} else {
		out = b64_encode((const unsigned char *)"", 1);
	}
	free(end);
	return out;
}

/* An int64 field: a JSON string (as etcd sends them) or number; absent: 0. */
static int64_t get_i64(json_object *o, const char *name)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, name, &v))
		return 0;
	if (json_object_is_type(v, json_type_string))
		return strtoll(json_object_get_string(v), NULL, 10);
	return json_object_get_int64(v);
}

static json_object *get_obj(json_object *o, const char *name)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, name, &v))
		return NULL;
	return v;
}

static void add_str(json_object *o, const char *name, const char *s)
{
	json_object_object_add(o, name, json_object_new_string(s));
}

/* Add @name: base64 of the C string @s (the owner of it is @o). */
static int add_b64(json_object *o, const char *name, const char *s)
{
	char *b = b64_encode((const unsigned char *)s, strlen(s));

	if (!b)
		return -1;
	add_str(o, name, b);
	free(b);
	return 0;
}

static int add_prefix_end(json_object *o, const char *prefix)
{
	char *b = prefix_end_b64(prefix);

	if (!b)
		return -1;
	add_str(o, "range_end", b);
	free(b);
	return 0;
}

/* int64 in requests as strings too: lease IDs do not fit a double. */
static void add_i64(json_object *o, const char *name, int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRId64, v);
	add_str(o, name, s);
}

static size_t buf_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;

	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return n;
}

static char *get_token(struct vw_etcd *e)
{
	char *t;

	pthread_mutex_lock(&e->lock);
	t = e->token ? strdup(e->token) : NULL;
	pthread_mutex_unlock(&e->lock);
	return t;
}

static curl_socket_t open_cloexec(void *arg, curlsocktype purpose,
				  struct curl_sockaddr *a)
{
	(void)arg;
	(void)purpose;
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

#define AUTH_PATH "/v3/auth/authenticate"

/*
 * Set up @h for a POST of @body to endpoint @idx's @path: TLS, the
 * token (not to authenticate: etcd would refuse an invalid one), the
 * connect timeout; a total timeout unless 0 (the watch).  The header
 * list is the caller's to free after the transfer.
 */
static struct curl_slist *setup(struct vw_etcd *e, CURL *h, size_t idx,
				const char *path, const char *body,
				long total_ms, char *errbuf)
{
	struct curl_slist *hdrs = NULL;
	char url[1024], *token;

	curl_easy_reset(h);
	snprintf(url, sizeof(url), "%s%s", e->endpoints[idx], path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_cloexec);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)e->timeout_ms);
	if (total_ms)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	errbuf[0] = '\0';
	if (e->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, e->cacert);
	if (e->cert)
		curl_easy_setopt(h, CURLOPT_SSLCERT, e->cert);
	if (e->key)
		curl_easy_setopt(h, CURLOPT_SSLKEY, e->key);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, "Grpc-Metadata-hasleader: true");
	/* No "Expect: 100-continue" round trip before a large txn. */
	hdrs = curl_slist_append(hdrs, "Expect:");
	token = strcmp(path, AUTH_PATH) ? get_token(e) : NULL;
	if (token) {
		char h_auth[1024];

		snprintf(h_auth, sizeof(h_auth), "Authorization: %s", token);
		hdrs = curl_slist_append(hdrs, h_auth);
		free(token);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	return hdrs;
}

/* The one-line message of an etcd error answer (unary or in a stream). */
static const char *error_message(json_object *resp)
{
	json_object *err = get_obj(resp, "error"), *m;

	if (err && json_object_is_type(err, json_type_object))
		err = get_obj(err, "message");
	if (!err && (m = get_obj(resp, "message")))
		err = m;
	return err ? json_object_get_string(err) : "unexpected answer";
}

/* The gRPC code of an etcd error answer, 0 when there is none. */
static int error_code(json_object *resp)
{
	json_object *err = get_obj(resp, "error");

	if (err && json_object_is_type(err, json_type_object))
		return (int)get_i64(err, "grpc_code");
	return (int)get_i64(resp, "code");
}

#define GRPC_UNAVAILABLE 14

enum outcome {
	ANSWERED,		/* *resp is etcd's answer, 200 */
	REFUSED,		/* etcd answered an error: do not fail over */
	UNREACHABLE,		/* connection error, timeout, no leader */
};

/* curl's progress callback: a set @arg (an atomic_bool) ends a transfer. */
static int abort_check(void *arg, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load((const atomic_bool *)arg);
}

/*
 * One POST to one endpoint.  ANSWERED: *resp holds the parsed answer
 * (the caller's); else err says why.  A set *@abort (when not NULL)
 * ends it within curl's progress interval: UNREACHABLE.
 */
static enum outcome post_one(struct vw_etcd *e, CURL *h, size_t idx,
			     const char *path, const char *body,
			     json_object **resp, char *err, size_t errsize,
			     const atomic_bool *abort)
{
	char errbuf[CURL_ERROR_SIZE];
	struct buf b = { 0 };
	struct curl_slist *hdrs;
	enum outcome out;
	json_object *o;
	long status = 0;
	CURLcode rc;

	*resp = NULL;
	hdrs = setup(e, h, idx, path, body, e->timeout_ms, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, buf_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	if (abort) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, abort_check);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)abort);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
	rc = curl_easy_perform(h);
	curl_slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		set_err(err, errsize, "etcd %s: %s", e->endpoints[idx],
			errbuf[0] ? errbuf : curl_easy_strerror(rc));
		free(b.p);
		return UNREACHABLE;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	o = b.p ? json_tokener_parse(b.p) : NULL;
	if (!o) {
		set_err(err, errsize, "etcd %s: HTTP %ld, not JSON: %.100s",
			e->endpoints[idx], status, b.p ? b.p : "");
		free(b.p);
		return REFUSED;
	}
	free(b.p);
	/* A stream's answer (lease keepalive) is {"result": ...}. */
	if (status == 200 && !get_obj(o, "error")) {
		*resp = o;
		return ANSWERED;
	}
	set_err(err, errsize, "etcd %s: %s", e->endpoints[idx],
		error_message(o));
	out = error_code(o) == GRPC_UNAVAILABLE ? UNREACHABLE : REFUSED;
	json_object_put(o);
	return out;
}

/*
 * POST /v3/auth/authenticate on endpoint @idx with handle @h; on success
 * the new token replaces the old one.  Either thread may call it.
 */
static enum outcome authenticate(struct vw_etcd *e, CURL *h, size_t idx,
				 char *err, size_t errsize,
				 const atomic_bool *abort)
{
	json_object *req = json_object_new_object(), *resp, *tok;
	char *token, *old;
	enum outcome out;

	add_str(req, "name", e->user);
	add_str(req, "password", e->password ? e->password : "");
	out = post_one(e, h, idx, AUTH_PATH, json_object_to_json_string(req),
		       &resp, err, errsize, abort);
	json_object_put(req);
	if (out != ANSWERED)
		return out;
	tok = get_obj(resp, "token");
	if (!tok) {
		set_err(err, errsize, "etcd %s: authenticate: no token",
			e->endpoints[idx]);
		json_object_put(resp);
		return REFUSED;
	}
	/*
	 * Swapped, never cleared: the other threads' requests meanwhile go
	 * with the old token, or the new one.
	 */
	token = strdup(json_object_get_string(tok));
	pthread_mutex_lock(&e->lock);
	old = e->token;
	e->token = token;
	pthread_mutex_unlock(&e->lock);
	free(old);
	json_object_put(resp);
	return ANSWERED;
}

static bool has_token(struct vw_etcd *e)
{
	bool t;

	pthread_mutex_lock(&e->lock);
	t = e->token != NULL;
	pthread_mutex_unlock(&e->lock);
	return t;
}

/*
 * One request to one endpoint, authenticated when a user is set: get a
 * token first if there is none, and once more if etcd says the one we
 * have is no good (expired, or etcd restarted with simple tokens).
 */
static enum outcome request_one(struct vw_etcd *e, CURL *h, size_t idx,
				const char *path, const char *body,
				json_object **resp, char *err, size_t errsize,
				const atomic_bool *abort)
{
	enum outcome out;

	if (e->user && !has_token(e)) {
		out = authenticate(e, h, idx, err, errsize, abort);
		if (out != ANSWERED)
			return out;
	}
	out = post_one(e, h, idx, path, body, resp, err, errsize,
			       abort);
	if (out == REFUSED && e->user && strstr(err, "invalid auth token")) {
		out = authenticate(e, h, idx, err, errsize, abort);
		if (out != ANSWERED)
			return out;
		out = post_one(e, h, idx, path, body, resp, err, errsize,
			       abort);
	}
	return out;
}

static size_t preferred(struct vw_etcd *e)
{
	size_t p;

	pthread_mutex_lock(&e->lock);
	p = e->preferred;
	pthread_mutex_unlock(&e->lock);
	return p;
}

static void set_preferred(struct vw_etcd *e, size_t idx)
{
	pthread_mutex_lock(&e->lock);
	e->preferred = idx;
	pthread_mutex_unlock(&e->lock);
}

/*
 * A unary call on handle @h: POST @req (consumed) to @path on the
 * preferred endpoint, the next ones while they are unreachable, until
 * *@abort (when not NULL) is set.  NULL with @err set on failure; else
 * the answer, the caller's to put.
 */
static json_object *call_on(struct vw_etcd *e, CURL *h, char *err,
			    size_t errsize, const char *path,
			    json_object *req, const atomic_bool *abort)
{
	const char *body = json_object_to_json_string(req);
	size_t first = preferred(e), i, idx;
	json_object *resp = NULL;
	enum outcome out = UNREACHABLE;

	for (i = 0; i < e->nendpoints && !(abort && atomic_load(abort)); i++) {
		idx = (first + i) % e->nendpoints;
		out = request_one(e, h, idx, path, body, &resp, err, errsize,
				  abort);
		if (out != UNREACHABLE) {
			if (idx != first)
				set_preferred(e, idx);
			break;
		}
	}
	json_object_put(req);
	return out == ANSWERED ? resp : NULL;
}

/* The caller's thread's call: its handle, e->err. */
static json_object *call(struct vw_etcd *e, const char *path, json_object *req)
{
	return call_on(e, e->curl, e->err, sizeof(e->err), path, req, NULL);
}

static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
}

struct vw_etcd *vw_etcd_new(const struct vw_etcd_opts *opts)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct vw_etcd *e;
	size_t i;

	if (!opts->nendpoints)
		return NULL;
	/* Before any thread uses curl: curl_global_init is not thread-safe. */
	pthread_once(&once, global_init);
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	pthread_mutex_init(&e->lock, NULL);
	e->endpoints = calloc(opts->nendpoints, sizeof(*e->endpoints));
	if (!e->endpoints)
		goto fail;
	e->nendpoints = opts->nendpoints;
	for (i = 0; i < opts->nendpoints; i++) {
		size_t len = strlen(opts->endpoints[i]);

		/* "http://a:2379/" and "http://a:2379" alike. */
		while (len && opts->endpoints[i][len - 1] == '/')
			len--;
		e->endpoints[i] = strndup(opts->endpoints[i], len);
		if (!e->endpoints[i])
			goto fail;
	}
#define DUP(f) do {						\
		if (opts->f && !(e->f = strdup(opts->f)))	\
			goto fail;				\
	} while (0)
	DUP(cacert);
	DUP(cert);
	DUP(key);
	DUP(user);
	DUP(password);
#undef DUP
	e->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 2000;
	e->curl = curl_easy_init();
	if (!e->curl)
		goto fail;
	return e;
fail:
	vw_etcd_free(e);
	return NULL;
}

void vw_etcd_free(struct vw_etcd *e)
{
	size_t i;

	if (!e)
		return;
	if (e->curl)
		curl_easy_cleanup(e->curl);
	for (i = 0; e->endpoints && i < e->nendpoints; i++)
		free(e->endpoints[i]);
	free(e->endpoints);
	free(e->cacert);
	free(e->cert);
	free(e->key);
	free(e->user);
	if (e->password)
		memset(e->password, 0, strlen(e->password));
	free(e->password);
	free(e->token);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

const char *vw_etcd_error(const struct vw_etcd *e)
{
	return e->err;
}

static int no_memory(struct vw_etcd *e)
{
	snprintf(e->err, sizeof(e->err), "etcd: out of memory");
	return -1;
}

/* A call whose answer says nothing but that it worked; @req consumed. */
static int call_ok(struct vw_etcd *e, const char *path, json_object *req)
{
	json_object *resp;

	if (!req)
		return no_memory(e);
	resp = call(e, path, req);
	if (!resp)
		return -1;
	json_object_put(resp);
	return 0;
}

static json_object *lease_req(int64_t lease)
{
	json_object *req = json_object_new_object();

	add_i64(req, "ID", lease);
	return req;
}

int vw_etcd_lease_grant(struct vw_etcd *e, int ttl, int64_t *lease)
{
	json_object *req = json_object_new_object(), *resp;

	add_i64(req, "TTL", ttl);
	resp = call(e, "/v3/lease/grant", req);
	if (!resp)
		return -1;
	*lease = get_i64(resp, "ID");
	json_object_put(resp);
	if (!*lease) {
		snprintf(e->err, sizeof(e->err), "etcd: lease grant: no ID");
		return -1;
	}
	return 0;
}

/*
 * A keepalive on handle @h (either thread's), why it failed in @err;
 * @abort as call_on's.
 */
static int keepalive_on(struct vw_etcd *e, CURL *h, char *err, size_t errsize,
			int64_t lease, int *ttl, const atomic_bool *abort)
{
	json_object *resp, *res;

	resp = call_on(e, h, err, errsize, "/v3/lease/keepalive",
		       lease_req(lease), abort);
	if (!resp)
		return -1;
	res = get_obj(resp, "result");
	if (!res) {
		set_err(err, errsize, "etcd: lease keepalive: no result");
		json_object_put(resp);
		return -1;
	}
	/* An expired lease: "TTL" left out (0) or negative. */
	*ttl = (int)get_i64(res, "TTL");
	if (*ttl < 0)
		*ttl = 0;
	json_object_put(resp);
	return 0;
}

int vw_etcd_lease_keepalive(struct vw_etcd *e, int64_t lease, int *ttl)
{
	return keepalive_on(e, e->curl, e->err, sizeof(e->err), lease, ttl,
			    NULL);
}

int vw_etcd_lease_revoke(struct vw_etcd *e, int64_t lease)
{
	return call_ok(e, "/v3/lease/revoke", lease_req(lease));
}

/* The body of a put request (also a txn's request_put). */
static json_object *put_req(const char *key, const char *value, int64_t lease)
{
	json_object *req = json_object_new_object();

	if (add_b64(req, "key", key) || add_b64(req, "value", value)) {
		json_object_put(req);
		return NULL;
	}
	if (lease)
		add_i64(req, "lease", lease);
	return req;
}

/* The body of a range or delete request of @key, a prefix when @prefix. */
static json_object *range_req(const char *key, bool prefix)
{
	json_object *req = json_object_new_object();

	if (add_b64(req, "key", key) || (prefix && add_prefix_end(req, key))) {
		json_object_put(req);
		return NULL;
	}
	return req;
}

int vw_etcd_put(struct vw_etcd *e, const char *key, const char *value,
		int64_t lease)
{
	return call_ok(e, "/v3/kv/put", put_req(key, value, lease));
}

int vw_etcd_delete(struct vw_etcd *e, const char *key, bool prefix)
{
	return call_ok(e, "/v3/kv/deleterange", range_req(key, prefix));
}

/* Fill @kv from etcd's JSON of a KeyValue; -1 on bad base64 or memory. */
static int parse_kv(json_object *o, struct vw_etcd_kv *kv)
{
	json_object *k = get_obj(o, "key"), *v = get_obj(o, "value");

	memset(kv, 0, sizeof(*kv));
	kv->key = b64_decode(k ? json_object_get_string(k) : "");
	kv->value = b64_decode(v ? json_object_get_string(v) : "");
	kv->create_revision = get_i64(o, "create_revision");
	kv->mod_revision = get_i64(o, "mod_revision");
	kv->lease = get_i64(o, "lease");
	if (!kv->key || !kv->value) {
		free(kv->key);
		free(kv->value);
		kv->key = kv->value = NULL;
		return -1;
	}
	return 0;
}

int vw_etcd_range(struct vw_etcd *e, const char *key, bool prefix,
		  struct vw_etcd_kv **kvs, size_t *n, int64_t *rev)
{
	json_object *req = range_req(key, prefix), *resp, *arr;
	size_t i, len;

	*kvs = NULL;
	*n = 0;
	if (!req)
		return no_memory(e);
	resp = call(e, "/v3/kv/range", req);
	if (!resp)
		return -1;
	*rev = get_i64(get_obj(resp, "header"), "revision");
	arr = get_obj(resp, "kvs");
	len = arr ? json_object_array_length(arr) : 0;
	if (len) {
		*kvs = calloc(len, sizeof(**kvs));
		if (!*kvs) {
			json_object_put(resp);
			return no_memory(e);
		}
	}
	for (i = 0; i < len; i++) {
		if (parse_kv(json_object_array_get_idx(arr, i), &(*kvs)[i])) {
			vw_etcd_kvs_free(*kvs, i);
			*kvs = NULL;
			json_object_put(resp);
			snprintf(e->err, sizeof(e->err),
				 "etcd: range %s: bad key or value", key);
			return -1;
		}
	}
	*n = len;
	json_object_put(resp);
	return 0;
}

void vw_etcd_kvs_free(struct vw_etcd_kv *kvs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kvs[i].key);
		free(kvs[i].value);
	}
	free(kvs);
}

int vw_etcd_txn(struct vw_etcd *e, const char *prefix, int64_t rev,
		const struct vw_etcd_op *ops, size_t nops)
{
	json_object *req = json_object_new_object(), *cmp, *cmps, *succ, *op;
	json_object *resp, *ok;
	size_t i;
	int ret;

	/* MOD of every key in the range < rev + 1; true on an empty range. */
	cmp = json_object_new_object();
	cmps = json_object_new_array();
	json_object_array_add(cmps, cmp);
	json_object_object_add(req, "compare", cmps);
	add_str(cmp, "target", "MOD");
	add_str(cmp, "result", "LESS");
	add_i64(cmp, "mod_revision", rev + 1);
	if (add_b64(cmp, "key", prefix) || add_prefix_end(cmp, prefix))
		goto nomem;
	succ = json_object_new_array();
	json_object_object_add(req, "success", succ);
	for (i = 0; i < nops; i++) {
		op = json_object_new_object();
		json_object_array_add(succ, op);
		if (ops[i].value) {
			json_object *put = put_req(ops[i].key, ops[i].value,
						   ops[i].lease);

			if (!put)
				goto nomem;
			json_object_object_add(op, "request_put", put);
		} else {
			json_object *del = range_req(ops[i].key, false);

			if (!del)
				goto nomem;
			json_object_object_add(op, "request_delete_range", del);
		}
	}
	resp = call(e, "/v3/kv/txn", req);
	if (!resp)
		return -1;
	/* A failed compare: "succeeded" is left out (false). */
	ok = get_obj(resp, "succeeded");
	ret = ok && json_object_get_boolean(ok) ? 0 : -2;
	if (ret)
		snprintf(e->err, sizeof(e->err),
			 "etcd: %s changed after revision %" PRId64, prefix,
			 rev);
	json_object_put(resp);
	return ret;
nomem:
	json_object_put(req);
	return no_memory(e);
}

/*
 * The watch.
 *
 * A thread streams POST /v3/watch from one endpoint at a time through a
 * curl multi handle, so that vw_etcd_watch_stop() can wake it at once
 * (curl_multi_wakeup) whether it is waiting for data or sleeping between
 * attempts.  The stream is a sequence of JSON objects, cut anywhere by
 * the transfer: a json_tokener parses them as they come.
 *
 * Events go to the caller through a queue under w->lock: the thread
 * appends heap-allocated ones, vw_etcd_watch_next() takes them off, and
 * from then on they are the caller's (vw_etcd_event_free).  A pipe tells
 * the caller's poll loop: one byte is written when the queue becomes
 * non-empty, and the pipe is drained when it becomes empty, both under
 * the lock, so the pipe is readable exactly while there is something.
 * The queue is unbounded: etcd sends no more than what changed.
 *
 * Resuming: w->next_rev is the revision after the last event queued
 * (etcd never splits one revision's events across two responses), and
 * a new stream starts there, so nothing is lost or seen twice.  The next
 * endpoint is tried after each disconnect, with a backoff of 0.5 s
 * doubling to 10 s, back to 0.5 s once a stream is established.  A watch
 * whose revision was compacted away cannot resume: the thread queues a
 * marker (vw_etcd_watch_next() then returns -1) and ends.
 *
 * A dead stream: etcd's gateway sends nothing while nothing changes, so
 * silence proves nothing, and a low-speed limit would cut healthy idle
 * streams; progress_notify would do, but etcd 3.4 sends progress only
 * every 10 minutes.  So:
 * - a member that is killed closes its sockets: the stream ends at once;
 * - a member that is up but has lost its leader (partition, no quorum)
 *   cancels the stream itself, thanks to the "hasleader" metadata (see
 *   the top of this file);
 * - after PROBE_IDLE_MS without a byte on the stream, the thread asks
 *   the same member for /v3/maintenance/status on a second handle of
 *   the same multi; no answer within the client's timeout (a frozen
 *   process, a host gone, a network cut) ends the stream.  Any HTTP
 *   answer, even an error, counts as alive.  About 7 s to notice with
 *   the default 2 s timeout, one small request per 5 s of silence;
 * - TCP keepalive (probes after 2 s idle, every 1 s, 3 lost) on top, so
 *   the kernel notices a vanished peer even between probes.
 */
#define PROBE_IDLE_MS 5000

static int64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct wev {
	struct wev *next;
	bool compacted;			/* the marker: no event */
	struct vw_etcd_event ev;
};

struct vw_etcd_watch {
	struct vw_etcd *e;
	char *key_b64, *end_b64;
	pthread_t thread;
	CURLM *multi;
	CURL *curl;			/* the stream */
	CURL *probe;			/* is its member alive? */
	atomic_bool stop;
	atomic_bool connected;

	/* The thread's alone. */
	json_tokener *tok;
	int64_t next_rev;		/* 0: from etcd's current revision */
	int64_t from_rev;		/* where this stream started */
	bool created;			/* this stream was accepted */
	bool compacted;
	bool auth_failed;
	int64_t last_data;		/* mono_ms() of the last sign of life */
	char err[512];

	pthread_mutex_t lock;		/* the queue, the pipe, last_err */
	struct wev *head, **tail;
	char last_err[600];		/* why the last stream ended */
	int pipe[2];
};

static void drain(int fd)
{
	char b[64];

	while (read(fd, b, sizeof(b)) > 0)
		;
}

static void enqueue(struct vw_etcd_watch *w, struct wev *q)
{
	pthread_mutex_lock(&w->lock);
	if (!w->head) {
		/* Full pipe: it is readable anyway. */
		if (write(w->pipe[1], "", 1) < 0 && errno != EAGAIN)
			fprintf(stderr, "vwd: etcd watch: pipe: %s\n",
				strerror(errno));
	}
	q->next = NULL;
	*w->tail = q;
	w->tail = &q->next;
	pthread_mutex_unlock(&w->lock);
}

/* One event of a watch response; -1 on bad data or no memory. */
static int queue_event(struct vw_etcd_watch *w, json_object *ev)
{
	json_object *type = get_obj(ev, "type");
	struct wev *q = calloc(1, sizeof(*q));

	if (!q)
		return -1;
	q->ev.deleted = type &&
		!strcmp(json_object_get_string(type), "DELETE");
	if (parse_kv(get_obj(ev, "kv"), &q->ev.kv)) {
		free(q);
		return -1;
	}
	/*
	 * Already delivered by an earlier stream: never twice.  (Not
	 * against next_rev: the events of one txn share a revision.)
	 */
	if (q->ev.kv.mod_revision < w->from_rev) {
		vw_etcd_event_free(&q->ev);
		free(q);
		return 0;
	}
	w->next_rev = q->ev.kv.mod_revision + 1;
	enqueue(w, q);
	return 0;
}

/* One JSON object of the stream; -1: end this stream. */
static int watch_message(struct vw_etcd_watch *w, json_object *o)
{
	json_object *res = get_obj(o, "result"), *evs, *v;
	size_t i, n;

	if (getenv("VWD_ETCD_DEBUG"))
		fprintf(stderr, "etcd watch: %s\n", json_object_to_json_string(o));

	if (!res) {
		set_err(w->err, sizeof(w->err), "%s", error_message(o));
		if (strstr(w->err, "auth"))
			w->auth_failed = true;
		return -1;
	}
	if (get_i64(res, "compact_revision") > 0) {
		struct wev *q = calloc(1, sizeof(*q));

		set_err(w->err, sizeof(w->err),
			"revision %" PRId64 " compacted (compact revision %" PRId64 ")",
			w->next_rev, get_i64(res, "compact_revision"));
		w->compacted = true;
		if (q) {
			q->compacted = true;
			enqueue(w, q);
		}
		return -1;
	}
	v = get_obj(res, "canceled");
	if (v && json_object_get_boolean(v)) {
		v = get_obj(res, "cancel_reason");
		set_err(w->err, sizeof(w->err), "canceled: %s",
			v ? json_object_get_string(v) : "no reason");
		return -1;
	}
	v = get_obj(res, "created");
	if (v && json_object_get_boolean(v)) {
		w->created = true;
		atomic_store(&w->connected, true);
		if (!w->next_rev)
			w->next_rev = w->from_rev =
				get_i64(get_obj(res, "header"), "revision") + 1;
	}
	evs = get_obj(res, "events");
	n = evs ? json_object_array_length(evs) : 0;
	for (i = 0; i < n; i++)
		if (queue_event(w, json_object_array_get_idx(evs, i)))
			return -1;
	return 0;
}

static size_t watch_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct vw_etcd_watch *w = arg;
	size_t len = size * nmemb, off = 0;
	enum json_tokener_error jerr;
	json_object *o;
	int rc;

	w->last_data = mono_ms();
	while (off < len) {
		o = json_tokener_parse_ex(w->tok, data + off, (int)(len - off));
		jerr = json_tokener_get_error(w->tok);
		if (!o) {
			if (jerr == json_tokener_continue)
				return len;	/* the rest comes later */
			set_err(w->err, sizeof(w->err), "bad JSON: %s",
				json_tokener_error_desc(jerr));
			return 0;
		}
		off += json_tokener_get_parse_end(w->tok);
		rc = watch_message(w, o);
		json_object_put(o);
		if (rc)
			return 0;	/* ends the transfer */
		/* Only whitespace left (the gateway ends each with "\n")? */
		while (off < len && strchr(" \t\r\n", data[off]))
			off++;
	}
	return len;
}

/* Probe an idle stream: see "A dead stream" above. */
static int watch_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	int cnt = 3;

	(void)arg;
	if (purpose == CURLSOCKTYPE_IPCXN)
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	return CURL_SOCKOPT_OK;
}

/* Sleep @ms unless stopped. */
static void watch_sleep(struct vw_etcd_watch *w, int64_t ms)
{
	int64_t end = mono_ms() + ms, left = ms;

	while (left > 0 && !atomic_load(&w->stop)) {
		curl_multi_poll(w->multi, NULL, 0, (int)left, NULL);
		left = end - mono_ms();
	}
}

static size_t discard(char *data, size_t size, size_t nmemb, void *arg)
{
	(void)data;
	(void)arg;
	return size * nmemb;
}

/* Ask the stream's member whether it is there (see "A dead stream"). */
static struct curl_slist *probe_start(struct vw_etcd_watch *w, size_t idx,
				      char *errbuf)
{
	struct curl_slist *hdrs;

	hdrs = setup(w->e, w->probe, idx, "/v3/maintenance/status", "{}",
		     w->e->timeout_ms, errbuf);
	curl_easy_setopt(w->probe, CURLOPT_WRITEFUNCTION, discard);
	curl_multi_add_handle(w->multi, w->probe);
	return hdrs;
}

/* One stream from endpoint @idx, until it ends or the watch is stopped. */
static void watch_stream(struct vw_etcd_watch *w, size_t idx)
{
	json_object *req = json_object_new_object(), *cr;
	char errbuf[CURL_ERROR_SIZE], perrbuf[CURL_ERROR_SIZE];
	struct curl_slist *hdrs, *phdrs = NULL;
	struct CURLMsg *msg;
	bool done = false;
	CURLcode rc;
	CURL *h;
	int left;

	cr = json_object_new_object();
	json_object_object_add(req, "create_request", cr);
	add_str(cr, "key", w->key_b64);
	add_str(cr, "range_end", w->end_b64);
	if (w->next_rev)
		add_i64(cr, "start_revision", w->next_rev);

	hdrs = setup(w->e, w->curl, idx, "/v3/watch",
		     json_object_to_json_string(req), 0, errbuf);
	curl_easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, watch_write);
	curl_easy_setopt(w->curl, CURLOPT_WRITEDATA, w);
	curl_easy_setopt(w->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(w->curl, CURLOPT_TCP_KEEPIDLE, 2L);
	curl_easy_setopt(w->curl, CURLOPT_TCP_KEEPINTVL, 1L);
	curl_easy_setopt(w->curl, CURLOPT_SOCKOPTFUNCTION, watch_sockopt);
	json_tokener_reset(w->tok);
	w->from_rev = w->next_rev;
	w->created = false;
	w->err[0] = '\0';

	curl_multi_add_handle(w->multi, w->curl);
	w->last_data = mono_ms();
	while (!done && !atomic_load(&w->stop)) {
		if (curl_multi_perform(w->multi, &left) != CURLM_OK)
			break;
		while ((msg = curl_multi_info_read(w->multi, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			h = msg->easy_handle;
			rc = msg->data.result;
			if (h == w->probe) {
				curl_multi_remove_handle(w->multi, w->probe);
				curl_slist_free_all(phdrs);
				phdrs = NULL;
				/* Any answer, even an error, is a live member. */
				if (rc == CURLE_OK) {
					w->last_data = mono_ms();
					continue;
				}
				set_err(w->err, sizeof(w->err),
					"the member does not answer: %s",
					perrbuf[0] ? perrbuf :
					curl_easy_strerror(rc));
			} else if (rc != CURLE_OK && !w->err[0]) {
				set_err(w->err, sizeof(w->err), "%s",
					errbuf[0] ? errbuf :
					curl_easy_strerror(rc));
			} else if (!w->err[0]) {
				set_err(w->err, sizeof(w->err),
					"the stream ended");
			}
			done = true;
		}
		if (done)
			break;
		if (!phdrs && mono_ms() - w->last_data > PROBE_IDLE_MS) {
			phdrs = probe_start(w, idx, perrbuf);
			continue;
		}
		curl_multi_poll(w->multi, NULL, 0, 1000, NULL);
	}
	if (phdrs) {
		curl_multi_remove_handle(w->multi, w->probe);
		curl_slist_free_all(phdrs);
	}
	curl_multi_remove_handle(w->multi, w->curl);
	curl_slist_free_all(hdrs);
	json_object_put(req);
	atomic_store(&w->connected, false);
}

static void *watch_thread(void *arg)
{
	struct vw_etcd_watch *w = arg;
	struct vw_etcd *e = w->e;
	size_t idx = preferred(e);
	long backoff = 500;

	while (!atomic_load(&w->stop)) {
		/*
		 * Blocking, as a unary call: a stop waits for it (at most
		 * the client's timeout).
		 */
		if (e->user && (w->auth_failed || !has_token(e))) {
			w->auth_failed = false;
			authenticate(e, w->curl, idx, w->err, sizeof(w->err),
				     NULL);
		}
		watch_stream(w, idx);
		if (w->compacted || atomic_load(&w->stop))
			break;
		pthread_mutex_lock(&w->lock);
		snprintf(w->last_err, sizeof(w->last_err), "etcd %s: %s",
			 e->endpoints[idx], w->err);
		pthread_mutex_unlock(&w->lock);
		if (getenv("VWD_ETCD_DEBUG"))
			fprintf(stderr, "%s\n", w->last_err);
		if (w->created)
			backoff = 500;
		idx = (idx + 1) % e->nendpoints;
		watch_sleep(w, backoff);
		backoff = backoff * 2 > 10000 ? 10000 : backoff * 2;
	}
	return NULL;
}

static void watch_free(struct vw_etcd_watch *w)
{
	struct wev *q, *next;

	for (q = w->head; q; q = next) {
		next = q->next;
		vw_etcd_event_free(&q->ev);
		free(q);
	}
	if (w->curl)
		curl_easy_cleanup(w->curl);
	if (w->probe)
		curl_easy_cleanup(w->probe);
	if (w->multi)
		curl_multi_cleanup(w->multi);
	if (w->tok)
		json_tokener_free(w->tok);
	if (w->pipe[0] >= 0)
		close(w->pipe[0]);
	if (w->pipe[1] >= 0)
		close(w->pipe[1]);
	pthread_mutex_destroy(&w->lock);
	free(w->key_b64);
	free(w->end_b64);
	free(w);
}

struct vw_etcd_watch *vw_etcd_watch_start(struct vw_etcd *e,
					  const char *prefix,
					  int64_t start_rev)
{
	struct vw_etcd_watch *w = calloc(1, sizeof(*w));

	if (!w) {
		no_memory(e);
		return NULL;
	}
	w->e = e;
	w->next_rev = start_rev;
	w->tail = &w->head;
	w->pipe[0] = w->pipe[1] = -1;
	pthread_mutex_init(&w->lock, NULL);
	atomic_init(&w->stop, false);
	atomic_init(&w->connected, false);
	w->key_b64 = b64_encode((const unsigned char *)prefix, strlen(prefix));
	w->end_b64 = prefix_end_b64(prefix);
	w->tok = json_tokener_new();
	w->multi = curl_multi_init();
	w->curl = curl_easy_init();
	w->probe = curl_easy_init();
	if (!w->key_b64 || !w->end_b64 || !w->tok || !w->multi || !w->curl ||
	    !w->probe) {
		no_memory(e);
		goto fail;
	}
	if (pipe2(w->pipe, O_CLOEXEC | O_NONBLOCK)) {
		set_err(e->err, sizeof(e->err), "etcd: watch: pipe: %s",
			strerror(errno));
		goto fail;
	}
	if (pthread_create(&w->thread, NULL, watch_thread, w)) {
		set_err(e->err, sizeof(e->err), "etcd: watch: no thread");
		goto fail;
	}
	return w;
fail:
	watch_free(w);
	return NULL;
}

int vw_etcd_watch_fd(const struct vw_etcd_watch *w)
{
	return w->pipe[0];
}

int vw_etcd_watch_next(struct vw_etcd_watch *w, struct vw_etcd_event *ev)
{
	struct wev *q;

	pthread_mutex_lock(&w->lock);
	q = w->head;
	if (q && q->compacted) {
		/* Stays: every later call says -1 too. */
		pthread_mutex_unlock(&w->lock);
		return -1;
	}
	if (q) {
		w->head = q->next;
		if (!w->head)
			w->tail = &w->head;
	}
	if (!w->head)
		drain(w->pipe[0]);
	pthread_mutex_unlock(&w->lock);
	if (!q)
		return 0;
	*ev = q->ev;
	free(q);
	return 1;
}

bool vw_etcd_watch_connected(const struct vw_etcd_watch *w)
{
	return atomic_load(&w->connected);
}

void vw_etcd_watch_error(struct vw_etcd_watch *w, char *buf, size_t size)
{
	pthread_mutex_lock(&w->lock);
	snprintf(buf, size, "%s", w->last_err);
	pthread_mutex_unlock(&w->lock);
}

void vw_etcd_event_free(struct vw_etcd_event *ev)
{
	free(ev->kv.key);
	free(ev->kv.value);
	ev->kv.key = ev->kv.value = NULL;
}

void vw_etcd_watch_stop(struct vw_etcd_watch *w)
{
	if (!w)
		return;
	atomic_store(&w->stop, true);
	curl_multi_wakeup(w->multi);
	pthread_join(w->thread, NULL);
	watch_free(w);
}

/*
 * The lease keeper: its own thread and handle, so that the lease lives
 * as long as the process does, however long the caller's thread is busy
 * (a slow vwctl, a queue of connects against a loaded etcd).  Only a
 * change of what it knows wakes the caller (a byte in the pipe).
 */
#define KEEPER_RETRY_MS 500

struct vw_etcd_keeper {
	struct vw_etcd *e;
	int64_t lease;
	int interval_ms;		/* TTL / 3 */
	pthread_t thread;
	CURL *curl;
	char err[512];			/* the thread's */

	atomic_bool stop;		/* also ends a keepalive under way */
	pthread_mutex_t lock;		/* all below */
	pthread_cond_t wake;		/* a stop */
	enum vw_etcd_lease_state state;
	int fails;			/* in a row */
	char last_err[512];
	int pipe[2];
};

static void *keeper_thread(void *arg)
{
	struct vw_etcd_keeper *k = arg;
	int64_t next = mono_ms() + k->interval_ms;
	struct timespec ts;
	int ttl = 0, ret;

	pthread_mutex_lock(&k->lock);
	while (!atomic_load(&k->stop) && k->state != VW_LEASE_EXPIRED) {
		ts.tv_sec = next / 1000;
		ts.tv_nsec = (next % 1000) * 1000000;
		if (pthread_cond_timedwait(&k->wake, &k->lock, &ts) != ETIMEDOUT ||
		    atomic_load(&k->stop))
			continue;	/* a stop, or spurious */
		pthread_mutex_unlock(&k->lock);
		/* Blocking, at most the client's timeout per endpoint. */
		next = mono_ms() + k->interval_ms;
		ret = keepalive_on(k->e, k->curl, k->err, sizeof(k->err),
				   k->lease, &ttl, &k->stop);
		if (atomic_load(&k->stop)) {
			pthread_mutex_lock(&k->lock);
			break;
		}
		pthread_mutex_lock(&k->lock);
		if (ret) {
			k->state = VW_LEASE_FAILING;
			k->fails++;
			snprintf(k->last_err, sizeof(k->last_err), "%s", k->err);
			next = mono_ms() + KEEPER_RETRY_MS;
		} else if (!ttl) {
			k->state = VW_LEASE_EXPIRED;
		} else if (k->state == VW_LEASE_ALIVE) {
			continue;	/* nothing new to tell */
		} else {
			k->state = VW_LEASE_ALIVE;
			k->fails = 0;
		}
		/* Full pipe: it is readable anyway. */
		if (write(k->pipe[1], "", 1) < 0 && errno != EAGAIN)
			fprintf(stderr, "vwd: etcd lease keeper: pipe: %s\n",
				strerror(errno));
	}
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

static void keeper_free(struct vw_etcd_keeper *k)
{
	if (k->curl)
		curl_easy_cleanup(k->curl);
	if (k->pipe[0] >= 0)
		close(k->pipe[0]);
	if (k->pipe[1] >= 0)
		close(k->pipe[1]);
	pthread_cond_destroy(&k->wake);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

struct vw_etcd_keeper *vw_etcd_keeper_start(struct vw_etcd *e, int64_t lease,
					    int ttl)
{
	struct vw_etcd_keeper *k = calloc(1, sizeof(*k));
	pthread_condattr_t ca;

	if (!k) {
		no_memory(e);
		return NULL;
	}
	k->e = e;
	k->lease = lease;
	k->interval_ms = ttl * 1000 / 3;
	k->state = VW_LEASE_ALIVE;
	atomic_init(&k->stop, false);
	k->pipe[0] = k->pipe[1] = -1;
	pthread_mutex_init(&k->lock, NULL);
	/* Timed waits on the monotonic clock, as mono_ms(). */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&k->wake, &ca);
	pthread_condattr_destroy(&ca);
	k->curl = curl_easy_init();
	if (!k->curl) {
		no_memory(e);
		goto fail;
	}
	if (pipe2(k->pipe, O_CLOEXEC | O_NONBLOCK)) {
		set_err(e->err, sizeof(e->err), "etcd: lease keeper: pipe: %s",
			strerror(errno));
		goto fail;
	}
	if (pthread_create(&k->thread, NULL, keeper_thread, k)) {
		set_err(e->err, sizeof(e->err), "etcd: lease keeper: no thread");
		goto fail;
	}
	return k;
fail:
	keeper_free(k);
	return NULL;
}

int vw_etcd_keeper_fd(const struct vw_etcd_keeper *k)
{
	return k->pipe[0];
}

enum vw_etcd_lease_state vw_etcd_keeper_state(struct vw_etcd_keeper *k,
					      int *fails, char *err,
					      size_t size)
{
	enum vw_etcd_lease_state st;

	pthread_mutex_lock(&k->lock);
	drain(k->pipe[0]);
	st = k->state;
	*fails = k->fails;
	snprintf(err, size, "%s", k->last_err);
	pthread_mutex_unlock(&k->lock);
	return st;
}

void vw_etcd_keeper_stop(struct vw_etcd_keeper *k)
{
	if (!k)
		return;
	/* Under the lock: the thread is waiting, or will see it before. */
	pthread_mutex_lock(&k->lock);
	atomic_store(&k->stop, true);
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->lock);
	pthread_join(k->thread, NULL);
	keeper_free(k);
}
