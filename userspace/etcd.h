/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small etcd v3 client over etcd's JSON gateway (POST /v3/...), with
 * libcurl and json-c: what vwd needs of etcd and nothing more.
 *
 * Every call but the watch is a blocking request of at most the client's
 * timeout per endpoint; on a connection failure (not on an answer etcd
 * gives) the next endpoint is tried, and the one that answered is used
 * first from then on.  Keys and values are C strings here; the client
 * does the base64.  int64 fields (revisions, lease IDs) arrive as JSON
 * strings and are parsed.
 *
 * Return values: 0 success, -1 failure with vw_etcd_error() saying why in
 * one line (which endpoint, what went wrong), -2 for a transaction whose
 * compare failed (nothing was written).
 *
 * A member without a leader (no quorum, partition) answers at once and
 * counts as unreachable: the next endpoint is tried.  A request that
 * timed out may have been applied: a txn retried on the next endpoint
 * after its first try was applied then fails its compare (-2) against
 * its own write, so after -2 range again before concluding anything.
 */
#ifndef VW_ETCD_H
#define VW_ETCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vw_etcd;

struct vw_etcd_opts {
	const char *const *endpoints;	/* "http://127.0.0.1:2379", ... */
	size_t nendpoints;
	const char *cacert;		/* TLS: CA file, client cert, key */
	const char *cert;
	const char *key;
	const char *user;		/* auth: /v3/auth/authenticate */
	const char *password;
	int timeout_ms;			/* per request and endpoint */
};

struct vw_etcd_kv {
	char *key;
	char *value;
	int64_t create_revision;
	int64_t mod_revision;
	int64_t lease;
};

/*
 * NULL without endpoints or memory.  The unary calls are for one thread
 * at a time; watches run in threads of their own and may run meanwhile.
 * Free the client after stopping every watch of it.
 */
struct vw_etcd *vw_etcd_new(const struct vw_etcd_opts *opts);
void vw_etcd_free(struct vw_etcd *e);
const char *vw_etcd_error(const struct vw_etcd *e);

int vw_etcd_lease_grant(struct vw_etcd *e, int ttl, int64_t *lease);
/* *ttl: what is left of the lease; 0 when it has expired (not an error). */
int vw_etcd_lease_keepalive(struct vw_etcd *e, int64_t lease, int *ttl);
int vw_etcd_lease_revoke(struct vw_etcd *e, int64_t lease);

/* @lease 0: no lease. */
int vw_etcd_put(struct vw_etcd *e, const char *key, const char *value,
		int64_t lease);
int vw_etcd_delete(struct vw_etcd *e, const char *key, bool prefix);
/* Every key under @key (a prefix when @prefix), sorted; *rev: the store's. */
int vw_etcd_range(struct vw_etcd *e, const char *key, bool prefix,
		  struct vw_etcd_kv **kvs, size_t *n, int64_t *rev);
void vw_etcd_kvs_free(struct vw_etcd_kv *kvs, size_t n);

/* One write of a transaction. */
struct vw_etcd_op {
	const char *key;
	const char *value;		/* NULL: delete @key */
	int64_t lease;
};

/*
 * If no key under @prefix was created or changed after revision @rev
 * (compare MOD < rev + 1 over the range), do @ops, all or none; else
 * return -2 and write nothing.
 */
int vw_etcd_txn(struct vw_etcd *e, const char *prefix, int64_t rev,
		const struct vw_etcd_op *ops, size_t nops);

/*
 * The watch: a thread keeps a long-lived POST /v3/watch open on @prefix
 * from revision @start_rev, resumes from the last revision it delivered
 * after a disconnect (trying every endpoint, with backoff), and hands the
 * events to the caller through a pipe: vw_etcd_watch_fd() is readable
 * when vw_etcd_watch_next() has something.
 */
struct vw_etcd_event {
	bool deleted;			/* else a put */
	struct vw_etcd_kv kv;		/* a delete: key, mod_revision, value "" */
};

struct vw_etcd_watch;

/*
 * Every change under @prefix from revision @start_rev on (0: from now),
 * each exactly once and in revision order, across reconnects.  NULL on
 * failure (vw_etcd_error).  The watch thread never touches the kernel or
 * the caller's state: only its queue.
 */
struct vw_etcd_watch *vw_etcd_watch_start(struct vw_etcd *e,
					  const char *prefix,
					  int64_t start_rev);
int vw_etcd_watch_fd(const struct vw_etcd_watch *w);
/*
 * 1: *ev filled (free it with vw_etcd_event_free); 0: nothing now;
 * -1: the watch cannot resume from its revision (compacted): range the
 * prefix again and start a new watch from the range's revision + 1.
 */
int vw_etcd_watch_next(struct vw_etcd_watch *w, struct vw_etcd_event *ev);
/* True while the watch has a live stream (for status and logs). */
bool vw_etcd_watch_connected(const struct vw_etcd_watch *w);
/*
 * Why the last stream ended, in one line ("" while none has): e.g.
 * "etcd http://a:2379: etcdserver: no leader".  Copied into @buf.
 */
void vw_etcd_watch_error(struct vw_etcd_watch *w, char *buf, size_t size);
void vw_etcd_event_free(struct vw_etcd_event *ev);
void vw_etcd_watch_stop(struct vw_etcd_watch *w);

/*
 * The lease keeper: a thread of its own sends @lease's keepalives every
 * @ttl/3 seconds, on a handle of its own, so that the lease lives while
 * the process does, however long the caller is busy elsewhere; after a
 * failure it tries again in 0.5 s.  vw_etcd_keeper_fd() is readable when
 * what it knows changed: a keepalive failed (every failure), one
 * answered after failures, or the lease expired (then the thread ends:
 * grant a new lease and start a new keeper).
 */
enum vw_etcd_lease_state {
	VW_LEASE_ALIVE,
	VW_LEASE_FAILING,	/* the last keepalive failed */
	VW_LEASE_EXPIRED,	/* etcd says the lease is gone */
};

struct vw_etcd_keeper;

/* NULL on failure (vw_etcd_error). */
struct vw_etcd_keeper *vw_etcd_keeper_start(struct vw_etcd *e, int64_t lease,
					    int ttl);
int vw_etcd_keeper_fd(const struct vw_etcd_keeper *k);
/*
 * The state now; *fails: keepalives failed in a row, @err why the last
 * one did.  Empties the pipe.
 */
enum vw_etcd_lease_state vw_etcd_keeper_state(struct vw_etcd_keeper *k,
					      int *fails, char *err,
					      size_t size);
/* Ends a keepalive under way (within curl's progress interval, 1 s). */
void vw_etcd_keeper_stop(struct vw_etcd_keeper *k);

#endif
