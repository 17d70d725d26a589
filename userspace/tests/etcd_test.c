// SPDX-License-Identifier: GPL-2.0
/*
 * etcd_test URL1 URL2 URL3 PID1 PID2 PID3 [TLSURL CA CERT KEY]: the etcd
 * client (etcd.c) against a real 3-member etcd cluster (scripts/tests/
 * etcd.sh starts it; PIDn is member n's process, which the tests freeze
 * and kill), and a member at TLSURL that wants a client certificate.
 * KTAP.
 *
 * Every key is under a prefix of this run's own, so a cluster that is
 * not empty does not matter.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "etcd.h"
#include "ktap.h"

static const char *urls[3];
static pid_t pids[3];
static char pfx[64];

static struct vw_etcd *client(const char *const *eps, size_t n)
{
	struct vw_etcd_opts o = {
		.endpoints = eps, .nendpoints = n, .timeout_ms = 2000,
	};

	return vw_etcd_new(&o);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * PREFIX + @name, in one of 64 buffers used in turn: enough for the keys
 * of one test case.
 */
static char *key(const char *name)
{
	static char k[64][256];
	static int i;
	char *p = k[i++ % 64];

	snprintf(p, 256, "%s%s", pfx, name);
	return p;
}

/* The value of @k, or NULL (malloc'd). */
static char *get(struct vw_etcd *e, const char *k)
{
	struct vw_etcd_kv *kvs;
	size_t n;
	int64_t rev;
	char *v = NULL;

	if (vw_etcd_range(e, k, false, &kvs, &n, &rev))
		return NULL;
	if (n == 1)
		v = strdup(kvs[0].value);
	vw_etcd_kvs_free(kvs, n);
	return v;
}

static int64_t revision(struct vw_etcd *e)
{
	struct vw_etcd_kv *kvs;
	size_t n;
	int64_t rev = 0;

	if (vw_etcd_range(e, "\x01", false, &kvs, &n, &rev))
		return 0;
	vw_etcd_kvs_free(kvs, n);
	return rev;
}

/* Wait up to @secs for an event of @w; 1, 0 (none), -1 (compacted). */
static int next_event(struct vw_etcd_watch *w, struct vw_etcd_event *ev,
		      double secs)
{
	double end = now() + secs;
	struct pollfd p = { .fd = vw_etcd_watch_fd(w), .events = POLLIN };
	int rc;

	for (;;) {
		rc = vw_etcd_watch_next(w, ev);
		if (rc)
			return rc;
		if (now() >= end)
			return 0;
		poll(&p, 1, (int)((end - now()) * 1000) + 1);
	}
}

/* The next event of @w (NULL: failed to start) is a put of @value; stop @w. */
static void check_put_and_stop(struct vw_etcd_watch *w, const char *value)
{
	struct vw_etcd_event ev;

	if (!CHECK(w))
		return;
	if (CHECK(next_event(w, &ev, 5) == 1)) {
		CHECK_STR(ev.kv.value, value);
		vw_etcd_event_free(&ev);
	}
	vw_etcd_watch_stop(w);
}

/* Put with retries: while the cluster elects a new leader. */
static int put_retry(struct vw_etcd *e, const char *k, const char *v)
{
	double end = now() + 10;

	while (vw_etcd_put(e, k, v, 0)) {
		if (now() > end)
			return -1;
		usleep(100 * 1000);
	}
	return 0;
}

static void test_kv(struct vw_etcd *e)
{
	char bin[256], *v, *big;
	struct vw_etcd_kv *kvs;
	size_t n, i;
	int64_t rev;

	ktap_begin("put, range, delete, by key and by prefix");
	for (i = 0; i < 255; i++)
		bin[i] = (char)(i + 1);
	bin[255] = '\0';
	CHECK(!vw_etcd_put(e, key("kv/a"), "1", 0));
	CHECK(!vw_etcd_put(e, key("kv/b/c"), bin, 0));
	CHECK(!vw_etcd_put(e, key("kv/\"é\n"), "{\"x\": \"é\"}", 0));
	CHECK(!vw_etcd_put(e, key("kv0"), "outside", 0));
	CHECK(!vw_etcd_put(e, key("kv"), "outside", 0));
	CHECK(!vw_etcd_range(e, key("kv/"), true, &kvs, &n, &rev));
	CHECK(n == 3);
	CHECK(rev > 0);
	if (n == 3) {
		/* Sorted by key bytes. */
		CHECK_STR(kvs[0].key, key("kv/\"é\n"));
		CHECK_STR(kvs[0].value, "{\"x\": \"é\"}");
		CHECK_STR(kvs[1].key, key("kv/a"));
		CHECK_STR(kvs[2].value, bin);
		CHECK(kvs[1].mod_revision > 0 && kvs[1].create_revision > 0);
		CHECK(kvs[2].mod_revision <= rev);
		CHECK(kvs[1].lease == 0);
	}
	vw_etcd_kvs_free(kvs, n);
	CHECK(!vw_etcd_range(e, key("nothing/"), true, &kvs, &n, &rev));
	CHECK(n == 0 && !kvs);
	CHECK(!vw_etcd_delete(e, key("kv/a"), false));
	v = get(e, key("kv/a"));
	CHECK(!v);
	free(v);
	CHECK(!vw_etcd_delete(e, key("kv/"), true));
	CHECK(!vw_etcd_range(e, key("kv"), true, &kvs, &n, &rev));
	CHECK(n == 2);	/* "kv" and "kv0" are not under "kv/" */
	vw_etcd_kvs_free(kvs, n);
	/* A prefix ending in 0xff: its range ends at "...y", excluded. */
	CHECK(!vw_etcd_put(e, key("x\xff\xff"), "in", 0));
	CHECK(!vw_etcd_put(e, key("y"), "out", 0));
	CHECK(!vw_etcd_range(e, key("x\xff"), true, &kvs, &n, &rev));
	CHECK(n == 1);
	vw_etcd_kvs_free(kvs, n);
	/* A value of 64 KiB, in a txn. */
	big = malloc(65537);
	if (big) {
		struct vw_etcd_op op = { .key = key("big"), .value = big };

		memset(big, 'v', 65536);
		big[65536] = '\0';
		CHECK(vw_etcd_txn(e, key("big"), revision(e), &op, 1) == 0);
		v = get(e, key("big"));
		CHECK(v && !strcmp(v, big));
		free(v);
		free(big);
	}
	CHECK(!vw_etcd_delete(e, pfx, true));
	ktap_end();
}

static void test_lease(struct vw_etcd *e)
{
	int64_t lease = 0, lease2 = 0;
	int ttl = -1, i;
	char *v;

	ktap_begin("lease: keepalive keeps the keys, expiry and revoke delete them");
	CHECK(!vw_etcd_lease_grant(e, 2, &lease));
	CHECK(lease != 0);
	CHECK(!vw_etcd_put(e, key("lease/a"), "x", lease));
	for (i = 0; i < 8; i++) {
		usleep(500 * 1000);
		CHECK(!vw_etcd_lease_keepalive(e, lease, &ttl));
	}
	CHECK(ttl > 0);
	v = get(e, key("lease/a"));
	CHECK(v && !strcmp(v, "x"));
	free(v);
	/* No keepalive: gone within TTL plus etcd's expiry check. */
	for (i = 0; i < 50; i++) {
		usleep(100 * 1000);
		v = get(e, key("lease/a"));
		if (!v)
			break;
		free(v);
	}
	CHECK(i < 50);
	ttl = -1;
	CHECK(!vw_etcd_lease_keepalive(e, lease, &ttl));
	CHECK(ttl == 0);

	CHECK(!vw_etcd_lease_grant(e, 30, &lease2));
	CHECK(!vw_etcd_put(e, key("lease/b"), "y", lease2));
	CHECK(!vw_etcd_lease_revoke(e, lease2));
	v = get(e, key("lease/b"));
	CHECK(!v);
	free(v);
	CHECK(vw_etcd_lease_revoke(e, lease2) == -1);
	ktap_diag("revoke again: %s", vw_etcd_error(e));
	CHECK(strstr(vw_etcd_error(e), "lease not found"));
	ktap_end();
}

/* Wait up to @secs for the keeper to say something; its state then. */
static enum vw_etcd_lease_state keeper_wait(struct vw_etcd_keeper *k,
					    double secs, int *fails,
					    char *err, size_t size)
{
	struct pollfd p = { .fd = vw_etcd_keeper_fd(k), .events = POLLIN };

	poll(&p, 1, (int)(secs * 1000));
	return vw_etcd_keeper_state(k, fails, err, size);
}

/*
 * A member that takes the connection and never answers (a listening
 * socket nobody accepts from): a stop ends the keepalive under way at
 * once, not after the client's 5 s timeout.
 */
static void keeper_stop_aborts(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct vw_etcd_opts o = { .nendpoints = 1, .timeout_ms = 5000 };
	const char *eps[1];
	struct vw_etcd_keeper *k;
	struct vw_etcd *e = NULL;
	char url[64];
	double t0;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!CHECK(fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
		   !listen(fd, 8) &&
		   !getsockname(fd, (struct sockaddr *)&a, &alen)))
		goto out;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", ntohs(a.sin_port));
	eps[0] = url;
	o.endpoints = eps;
	e = vw_etcd_new(&o);
	k = e ? vw_etcd_keeper_start(e, 1234, 3) : NULL;
	if (!CHECK(k))
		goto out;
	/* The first keepalive goes after 1 s (TTL / 3) and hangs. */
	usleep(1500 * 1000);
	t0 = now();
	vw_etcd_keeper_stop(k);
	ktap_diag("stop during a hanging keepalive took %.2f s", now() - t0);
	CHECK(now() - t0 < 2);
out:
	vw_etcd_free(e);
	if (fd >= 0)
		close(fd);
}

static void test_keeper(struct vw_etcd *e)
{
	const char *eps[] = { "http://127.0.1.9:9" };
	struct vw_etcd *dead = client(eps, 1);
	struct vw_etcd_keeper *k;
	int64_t lease = 0;
	int fails = -1;
	char err[512];
	double t0;
	char *v;

	ktap_begin("lease keeper: keeps a lease while its caller is busy, says when it fails or expires");
	CHECK(!vw_etcd_lease_grant(e, 3, &lease));
	CHECK(!vw_etcd_put(e, key("keeper/a"), "x", lease));
	k = vw_etcd_keeper_start(e, lease, 3);
	if (CHECK(k)) {
		/* Twice the TTL with no keepalive from this thread. */
		sleep(6);
		v = get(e, key("keeper/a"));
		CHECK(v && !strcmp(v, "x"));
		free(v);
		CHECK(vw_etcd_keeper_state(k, &fails, err, sizeof(err)) ==
		      VW_LEASE_ALIVE && fails == 0);
		/* Gone behind its back: the next keepalive finds out. */
		CHECK(!vw_etcd_lease_revoke(e, lease));
		t0 = now();
		CHECK(keeper_wait(k, 3, &fails, err, sizeof(err)) ==
		      VW_LEASE_EXPIRED);
		CHECK(now() - t0 < 2);
		vw_etcd_keeper_stop(k);
	}
	/* Nothing answers: every failure is told, 0.5 s apart. */
	k = vw_etcd_keeper_start(dead, 1234, 3);
	if (CHECK(k)) {
		CHECK(keeper_wait(k, 3, &fails, err, sizeof(err)) ==
		      VW_LEASE_FAILING && fails == 1);
		ktap_diag("keeper against a dead endpoint: %s", err);
		CHECK(strstr(err, "127.0.1.9:9"));
		t0 = now();
		CHECK(keeper_wait(k, 2, &fails, err, sizeof(err)) ==
		      VW_LEASE_FAILING && fails == 2);
		CHECK(now() - t0 < 1.5);
		t0 = now();
		vw_etcd_keeper_stop(k);
		CHECK(now() - t0 < 1);
	}
	vw_etcd_free(dead);
	keeper_stop_aborts();
	ktap_end();
}

static void test_txn(struct vw_etcd *e)
{
	struct vw_etcd_op ops[2] = {
		{ .key = key("txn/a/new"), .value = "n" },
		{ .key = key("txn/a/old"), .value = NULL },
	};
	struct vw_etcd_kv *kvs;
	int64_t rev;
	size_t n;
	char *v;

	ktap_begin("txn: all writes when the prefix is unchanged, -2 else");
	CHECK(!vw_etcd_range(e, key("txn/a/"), true, &kvs, &n, &rev));
	CHECK(n == 0);
	/* An empty prefix compares true. */
	CHECK(vw_etcd_txn(e, key("txn/a/"), rev, &ops[0], 1) == 0);
	CHECK(!vw_etcd_put(e, key("txn/a/old"), "o", 0));
	CHECK(!vw_etcd_range(e, key("txn/a/"), true, &kvs, &n, &rev));
	vw_etcd_kvs_free(kvs, n);
	ops[0].value = "n2";
	CHECK(vw_etcd_txn(e, key("txn/a/"), rev, ops, 2) == 0);
	v = get(e, key("txn/a/new"));
	CHECK(v && !strcmp(v, "n2"));
	free(v);
	v = get(e, key("txn/a/old"));
	CHECK(!v);
	free(v);
	/* A change under the prefix after the range: nothing written. */
	CHECK(!vw_etcd_range(e, key("txn/a/"), true, &kvs, &n, &rev));
	vw_etcd_kvs_free(kvs, n);
	CHECK(!vw_etcd_put(e, key("txn/a/other"), "racer", 0));
	ops[0].value = "n3";
	CHECK(vw_etcd_txn(e, key("txn/a/"), rev, ops, 1) == -2);
	v = get(e, key("txn/a/new"));
	CHECK(v && !strcmp(v, "n2"));
	free(v);
	/* A change elsewhere does not matter. */
	CHECK(!vw_etcd_range(e, key("txn/a/"), true, &kvs, &n, &rev));
	vw_etcd_kvs_free(kvs, n);
	CHECK(!vw_etcd_put(e, key("txn/b"), "elsewhere", 0));
	CHECK(vw_etcd_txn(e, key("txn/a/"), rev, ops, 1) == 0);
	CHECK(!vw_etcd_delete(e, key("txn/"), true));
	ktap_end();
}

static void test_watch(struct vw_etcd *e)
{
	struct vw_etcd_op ops[2] = {
		{ .key = key("w/c"), .value = "3" },
		{ .key = key("w/b"), .value = NULL },
	};
	struct vw_etcd_event ev;
	struct vw_etcd_watch *w;
	struct pollfd p;
	int64_t rev = revision(e), last = 0;
	static const struct {
		const char *k, *v;
		bool deleted;
	} want[] = {
		{ "w/a", "1", false }, { "w/b", "2", false },
		{ "w/a", "", true }, { "w/c", "3", false },
		{ "w/b", "", true },
	};
	size_t i;

	ktap_begin("watch: puts and deletes under the prefix, in order");
	w = vw_etcd_watch_start(e, key("w/"), rev + 1);
	CHECK(w);
	if (!w)
		goto out;
	CHECK(!vw_etcd_put(e, key("w/a"), "1", 0));
	CHECK(!vw_etcd_put(e, key("other"), "x", 0));
	CHECK(!vw_etcd_put(e, key("w/b"), "2", 0));
	CHECK(!vw_etcd_delete(e, key("w/a"), false));
	CHECK(vw_etcd_txn(e, key("w/"), revision(e), ops, 2) == 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!CHECK(next_event(w, &ev, 5) == 1)) {
			ktap_diag("event %zu of %zu missing", i + 1,
				  sizeof(want) / sizeof(want[0]));
			break;
		}
		CHECK_STR(ev.kv.key, key(want[i].k));
		CHECK(ev.deleted == want[i].deleted);
		if (!want[i].deleted)
			CHECK_STR(ev.kv.value, want[i].v);
		CHECK(ev.kv.mod_revision >= last);
		last = ev.kv.mod_revision;
		vw_etcd_event_free(&ev);
	}
	CHECK(vw_etcd_watch_connected(w));
	/* Drained: nothing more, and the fd says so. */
	p.fd = vw_etcd_watch_fd(w);
	p.events = POLLIN;
	CHECK(next_event(w, &ev, 0.3) == 0);
	CHECK(poll(&p, 1, 0) == 0);
	vw_etcd_watch_stop(w);
out:
	ktap_end();
}

static void test_compacted(struct vw_etcd *e)
{
	struct vw_etcd_event ev;
	struct vw_etcd_watch *w;
	int64_t rev;
	char cmd[512];

	ktap_begin("watch: a compacted revision says -1");
	rev = revision(e);
	CHECK(!put_retry(e, key("c/a"), "1"));
	CHECK(!vw_etcd_put(e, key("c/a"), "2", 0));
	snprintf(cmd, sizeof(cmd),
		 "etcdctl --endpoints=%s,%s compact %" PRId64 " >/dev/null",
		 urls[1], urls[2], revision(e));
	CHECK(system(cmd) == 0);
	w = vw_etcd_watch_start(e, key("c/"), rev + 1);
	CHECK(w);
	if (w) {
		CHECK(next_event(w, &ev, 5) == -1);
		CHECK(vw_etcd_watch_next(w, &ev) == -1);
		vw_etcd_watch_stop(w);
	}
	ktap_end();
}

static void test_failover(void)
{
	/* Nothing listens on port 9 of 127.0.1.9: refused at once. */
	const char *eps[] = { "http://127.0.1.9:9", urls[1], urls[2] };
	struct vw_etcd *e = client(eps, 3), *dead = client(eps, 1);
	double t0;
	int64_t lease;

	ktap_begin("unary calls fail over when the first endpoint is dead");
	t0 = now();
	CHECK(!vw_etcd_put(e, key("f/a"), "1", 0));
	CHECK(now() - t0 < 1.5);
	/* It remembers the one that answered. */
	t0 = now();
	CHECK(!vw_etcd_lease_grant(e, 5, &lease));
	CHECK(!vw_etcd_lease_revoke(e, lease));
	CHECK(!vw_etcd_delete(e, key("f/"), true));
	CHECK(now() - t0 < 1);
	CHECK(vw_etcd_put(dead, key("f/a"), "1", 0) == -1);
	ktap_diag("dead endpoint: %s", vw_etcd_error(dead));
	CHECK(strstr(vw_etcd_error(dead), "127.0.1.9:9"));
	vw_etcd_free(dead);
	vw_etcd_free(e);
	ktap_end();
}

static void test_resume(struct vw_etcd *e)
{
	struct vw_etcd_event ev;
	struct vw_etcd_watch *w;
	char v[16];
	int i, got = 0, rc;
	bool order = true;
	double t0;

	ktap_begin("watch resumes on another member without loss or duplicates");
	w = vw_etcd_watch_start(e, key("r/"), revision(e) + 1);
	CHECK(w);
	if (!w)
		goto out;
	for (i = 0; i < 50 && !vw_etcd_watch_connected(w); i++)
		usleep(100 * 1000);
	CHECK(vw_etcd_watch_connected(w));
	for (i = 0; i < 5; i++) {
		snprintf(v, sizeof(v), "%d", i);
		CHECK(!put_retry(e, key("r/k"), v));
	}
	/* The watch streams from the first endpoint: kill that member. */
	t0 = now();
	CHECK(kill(pids[0], SIGKILL) == 0);
	for (; i < 30; i++) {
		snprintf(v, sizeof(v), "%d", i);
		CHECK(!put_retry(e, key("r/k"), v));
	}
	while (got < 30 && (rc = next_event(w, &ev, 15)) == 1) {
		snprintf(v, sizeof(v), "%d", got);
		if (strcmp(ev.kv.value, v))
			order = false;
		got++;
		vw_etcd_event_free(&ev);
	}
	ktap_diag("30 events, the last %.2f s after the kill", now() - t0);
	CHECK(got == 30);
	CHECK(order);
	CHECK(next_event(w, &ev, 1) == 0);
	CHECK(vw_etcd_watch_connected(w));
	t0 = now();
	vw_etcd_watch_stop(w);
	CHECK(now() - t0 < 1);
out:
	ktap_end();
}

/*
 * A member that is there but does not answer (SIGSTOP: its kernel still
 * answers TCP): the watch notices by its probe and moves on.
 */
static void test_frozen(void)
{
	const char *others[] = { urls[1], urls[2] };
	struct vw_etcd *e = client(urls, 3), *w2 = client(others, 2);
	struct vw_etcd_event ev;
	struct vw_etcd_watch *w;
	double t0;
	int i;

	ktap_begin("watch moves away from a frozen member");
	w = vw_etcd_watch_start(e, key("z/"), revision(w2) + 1);
	for (i = 0; w && i < 50 && !vw_etcd_watch_connected(w); i++)
		usleep(100 * 1000);
	CHECK(w && vw_etcd_watch_connected(w));
	if (!w)
		goto out;
	t0 = now();
	CHECK(kill(pids[0], SIGSTOP) == 0);
	CHECK(!put_retry(w2, key("z/a"), "1"));
	CHECK(next_event(w, &ev, 20) == 1);
	ktap_diag("the event %.2f s after the freeze", now() - t0);
	CHECK(now() - t0 < 12);
	vw_etcd_event_free(&ev);
	vw_etcd_watch_stop(w);
out:
	kill(pids[0], SIGCONT);
	vw_etcd_free(w2);
	vw_etcd_free(e);
	ktap_end();
}

/*
 * Member 1 is dead (test_resume): freeze member 2, and member 3 alone
 * has no quorum.  A call fails within the timeout, in etcd's words when
 * the member has noticed it lost its leader; the watch says it is not
 * connected.  Then member 2 is thawed and writes work again.
 */
static void test_no_quorum(struct vw_etcd *e)
{
	const char *eps[] = { urls[2] };
	struct vw_etcd *lone = client(eps, 1);
	struct vw_etcd_watch *w;
	double t0;
	int i;

	ktap_begin("no quorum: calls fail within the timeout, the watch is down");
	w = vw_etcd_watch_start(lone, key("q/"), revision(e) + 1);
	CHECK(kill(pids[1], SIGSTOP) == 0);
	sleep(3);	/* member 3 notices it has no leader */
	t0 = now();
	CHECK(vw_etcd_put(lone, key("q/a"), "1", 0) == -1);
	ktap_diag("%s, after %.2f s", vw_etcd_error(lone), now() - t0);
	CHECK(now() - t0 < 2.5);
	for (i = 0; w && i < 100 && vw_etcd_watch_connected(w); i++)
		usleep(100 * 1000);
	CHECK(w && !vw_etcd_watch_connected(w));
	if (w) {
		char why[600];

		vw_etcd_watch_error(w, why, sizeof(why));
		ktap_diag("the watch: %s", why);
		CHECK(strstr(why, urls[2]) && strstr(why, "no leader"));
	}
	kill(pids[1], SIGCONT);
	CHECK(!put_retry(lone, key("q/a"), "2"));
	for (i = 0; w && i < 150 && !vw_etcd_watch_connected(w); i++)
		usleep(100 * 1000);
	CHECK(w && vw_etcd_watch_connected(w));
	vw_etcd_watch_stop(w);
	vw_etcd_free(lone);
	ktap_end();
}

static void test_stop(void)
{
	const char *eps[] = { "http://127.0.1.9:9" };
	struct vw_etcd *dead = client(eps, 1);
	struct vw_etcd_watch *w;
	double t0;

	ktap_begin("watch stop joins within 1 s while it retries");
	w = vw_etcd_watch_start(dead, "/x/", 1);
	CHECK(w);
	if (w) {
		sleep(2);	/* in its backoff now */
		CHECK(!vw_etcd_watch_connected(w));
		t0 = now();
		vw_etcd_watch_stop(w);
		ktap_diag("stop took %.3f s", now() - t0);
		CHECK(now() - t0 < 1);
	}
	vw_etcd_free(dead);
	ktap_end();
}

/*
 * Last, as it turns auth on for the cluster: a user's client gets a
 * token, gets a new one when the old one expired (the script starts etcd
 * with --auth-token-ttl 2), and a bad password fails with etcd's words.
 */
static void test_auth(void)
{
	const char *eps[] = { urls[1], urls[2] };
	struct vw_etcd_opts o = {
		.endpoints = eps, .nendpoints = 2, .timeout_ms = 2000,
		.user = "root", .password = "s3cret",
	};
	struct vw_etcd *e, *bad;
	struct vw_etcd_watch *w;
	char cmd[512], *v;
	int64_t rev;

	ktap_begin("user and password: a token, renewed when it expired");
	snprintf(cmd, sizeof(cmd),
		 "exec >/dev/null; E=--endpoints=%s; "
		 "etcdctl $E user add root:s3cret && "
		 "etcdctl $E user grant-role root root && "
		 "etcdctl $E auth enable", urls[1]);
	if (!CHECK(system(cmd) == 0))
		goto out;
	e = vw_etcd_new(&o);
	o.password = "wrong";
	bad = vw_etcd_new(&o);
	CHECK(!vw_etcd_put(e, key("auth/a"), "1", 0));
	v = get(e, key("auth/a"));
	CHECK(v && !strcmp(v, "1"));
	free(v);
	rev = revision(e);
	w = vw_etcd_watch_start(e, key("auth/"), rev + 1);
	sleep(3);	/* the token expires */
	CHECK(!vw_etcd_put(e, key("auth/a"), "2", 0));
	/* What the first try got (the put worked on the second). */
	CHECK(strstr(vw_etcd_error(e), "invalid auth token"));
	check_put_and_stop(w, "2");
	CHECK(vw_etcd_put(bad, key("auth/a"), "3", 0) == -1);
	ktap_diag("bad password: %s", vw_etcd_error(bad));
	CHECK(strstr(vw_etcd_error(bad), "authentication failed"));
	vw_etcd_free(bad);
	vw_etcd_free(e);
out:
	ktap_end();
}

static void test_tls(char **tls)
{
	const char *eps[] = { tls[0] };
	struct vw_etcd_opts o = {
		.endpoints = eps, .nendpoints = 1, .timeout_ms = 2000,
		.cacert = tls[1], .cert = tls[2], .key = tls[3],
	};
	struct vw_etcd *e, *nocert;
	struct vw_etcd_watch *w;
	char *v;
	int i;

	ktap_begin("TLS with a client certificate");
	if (!tls[0]) {
		ktap_skip("no TLS member (openssl missing)");
		ktap_end();
		return;
	}
	e = vw_etcd_new(&o);
	o.cert = o.key = NULL;
	nocert = vw_etcd_new(&o);
	/* The member may still be starting. */
	for (i = 0; i < 50 && put_retry(e, key("tls/a"), "1"); i++)
		;
	v = get(e, key("tls/a"));
	CHECK(v && !strcmp(v, "1"));
	free(v);
	w = vw_etcd_watch_start(e, key("tls/"), revision(e) + 1);
	CHECK(!vw_etcd_put(e, key("tls/a"), "2", 0));
	check_put_and_stop(w, "2");
	CHECK(vw_etcd_put(nocert, key("tls/a"), "3", 0) == -1);
	ktap_diag("without a certificate: %s", vw_etcd_error(nocert));
	vw_etcd_free(nocert);
	vw_etcd_free(e);
	ktap_end();
}

int main(int argc, char **argv)
{
	char *tls[4] = { NULL };
	struct vw_etcd *e;
	int i;

	if (argc != 7 && argc != 11) {
		fprintf(stderr,
			"usage: %s URL1 URL2 URL3 PID1 PID2 PID3 [TLSURL CA CERT KEY]\n",
			argv[0]);
		return 2;
	}
	if (argc == 11)
		memcpy(tls, argv + 7, sizeof(tls));
	for (i = 0; i < 3; i++) {
		urls[i] = argv[1 + i];
		pids[i] = atoi(argv[4 + i]);
	}
	snprintf(pfx, sizeof(pfx), "/etcd_test/%d/", (int)getpid());
	e = client(urls, 3);
	if (!e) {
		fprintf(stderr, "etcd_test: no client\n");
		return 1;
	}
	test_kv(e);
	test_lease(e);
	test_keeper(e);
	test_txn(e);
	test_watch(e);
	test_failover();
	test_stop();
	test_frozen();
	test_resume(e);		/* kills member 1 */
	test_no_quorum(e);
	test_compacted(e);
	test_auth();
	test_tls(tls);
	vw_etcd_free(e);
	return ktap_finish();
}
