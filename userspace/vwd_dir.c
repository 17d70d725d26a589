// SPDX-License-Identifier: GPL-2.0
/*
 * vwd's session with the etcd directory: connect (lease and its keeper,
 * range, this host's keys, watch), the keeper's news, the watch's
 * events, and the registration of an end, checked against the others
 * in one txn.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vwd_dir.h"
#include "vwd_regs.h"

#define BACKOFF_MIN_MS		500
#define BACKOFF_MAX_MS		10000
#define KEEPALIVE_STRIKES	2

static void keeper_stop(struct vwd *vwd)
{
	vw_etcd_keeper_stop(vwd->keeper);
	vwd->keeper = NULL;
	vwd->keeper_failed = false;
}

static void dir_down_why(struct vwd *vwd, const char *what, const char *why)
{
	vwd_dir_stop(vwd);
	if (vwd->connected || !vwd->since) {
		snprintf(vwd->dir_error, sizeof(vwd->dir_error), "%s: %s", what,
			 why);
		vwd_log("directory unreachable (%s): wires keep their config, retrying",
			vwd->dir_error);
		vwd->since = time(NULL);
		vwd->backoff_ms = BACKOFF_MIN_MS;
	} else {
		vwd->backoff_ms = vwd->backoff_ms * 2 > BACKOFF_MAX_MS ?
				  BACKOFF_MAX_MS : vwd->backoff_ms * 2;
	}
	vwd->connected = false;
	vwd->retry_at = vwd_now_ms() + vwd->backoff_ms;
}

void vwd_dir_down(struct vwd *vwd, const char *what)
{
	dir_down_why(vwd, what, vw_etcd_error(vwd->etcd));
}

void vwd_dir_apply(struct vwd *vwd, const char *key, const char *value)
{
	const char *why;

	if (vwd_view_apply(&vwd->view, vwd->cfg.prefix, key, value, &why))
		vwd_log("ignoring %s: %s", key, why);
}

int vwd_dir_connect(struct vwd *vwd)
{
	char root[VWD_KEYLEN], key[VWD_KEYLEN], hkey[VWD_KEYLEN], *hval;
	struct vwd_host h = { 0 };
	struct vw_etcd_kv *kvs = NULL;
	struct vwd_view nv = { 0 };
	size_t i, n = 0;
	int64_t rev;
	int ttl = 0;
	const char *why;

	keeper_stop(vwd);	/* a new one for the lease below */
	if (vwd->lease &&
	    vw_etcd_lease_keepalive(vwd->etcd, vwd->lease, &ttl)) {
		vwd_dir_down(vwd, "lease keepalive");
		return -1;
	}
	if (!ttl) {
		if (vw_etcd_lease_grant(vwd->etcd, vwd->cfg.ttl, &vwd->lease)) {
			vwd_dir_down(vwd, "lease grant");
			return -1;
		}
		vwd_log("lease %" PRIx64 " granted (ttl %d s)", vwd->lease,
			vwd->cfg.ttl);
	}
	/* From now on: the rest of a connect may outlast the TTL. */
	vwd->keeper = vw_etcd_keeper_start(vwd->etcd, vwd->lease, vwd->cfg.ttl);
	if (!vwd->keeper) {
		vwd_dir_down(vwd, "lease keeper");
		return -1;
	}
	strcpy(h.name, vwd->cfg.host);
	memcpy(h.addrs, vwd->cfg.addrs, sizeof(h.addrs));
	h.naddrs = vwd->cfg.naddrs;
	hval = vwd_host_json(&h);
	vwd_key_host(hkey, sizeof(hkey), vwd->cfg.prefix, vwd->cfg.host);
	if (!hval || vw_etcd_put(vwd->etcd, hkey, hval, vwd->lease)) {
		free(hval);
		vwd_dir_down(vwd, "put host key");
		return -1;
	}
	free(hval);
	vwd_key_root(root, sizeof(root), vwd->cfg.prefix);
	if (vw_etcd_range(vwd->etcd, root, true, &kvs, &n, &rev)) {
		vwd_dir_down(vwd, "range");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (vwd_view_apply(&nv, vwd->cfg.prefix, kvs[i].key,
				   kvs[i].value, &why))
			vwd_log("ignoring %s: %s", kvs[i].key, why);
	nv.revision = rev;
	/*
	 * This host's ends: under an old lease, put under this one; no longer
	 * held (disconnected while etcd was away), deleted.
	 */
	for (i = 0; i < n; i++) {
		const struct vwd_end *e;
		struct vwd_reg *r;
		size_t j;

		for (j = 0; j < nv.nends; j++) {
			e = &nv.ends[j];
			if (strcmp(e->host, vwd->cfg.host) ||
			    !vwd_key_end(key, sizeof(key), vwd->cfg.prefix, e) ||
			    strcmp(key, kvs[i].key))
				continue;
			r = vwd_reg_find(vwd, e->dev);
			if (r && r->id == e->id && !r->relaying) {
				if (kvs[i].lease != vwd->lease &&
				    vw_etcd_put(vwd->etcd, key, kvs[i].value,
						vwd->lease))
					goto fail;
			} else if (vw_etcd_delete(vwd->etcd, key, false)) {
				goto fail;
			} else {
				vwd_log("%u %s: stale key of this host removed",
					e->id, e->dev);
				vwd_view_apply(&nv, vwd->cfg.prefix, key, NULL,
					       &why);
			}
			break;
		}
	}
	vw_etcd_kvs_free(kvs, n);
	vwd_view_clear(&vwd->view);
	vwd->view = nv;
	vwd->watch = vw_etcd_watch_start(vwd->etcd, root, rev + 1);
	if (!vwd->watch) {
		vwd_dir_down(vwd, "watch");
		return -1;
	}
	if (vwd->ever_connected)
		vwd_log("directory reachable again (revision %" PRId64 ")", rev);
	else
		vwd_log("directory connected (revision %" PRId64 ", %zu ends, %zu hosts)",
			rev, nv.nends, nv.nhosts);
	vwd->connected = true;
	vwd->ever_connected = true;
	vwd->since = time(NULL);
	vwd->dir_error[0] = 0;
	return 0;
fail:
	vw_etcd_kvs_free(kvs, n);
	vwd_view_clear(&nv);
	vwd_dir_down(vwd, "re-put this host's keys");
	return -1;
}

int vwd_dir_keeper_read(struct vwd *vwd)
{
	char err[512];
	int fails;

	switch (vw_etcd_keeper_state(vwd->keeper, &fails, err, sizeof(err))) {
	case VW_LEASE_ALIVE:
		if (vwd->keeper_failed)
			vwd_log("lease keepalive answered again");
		vwd->keeper_failed = false;
		return 0;
	case VW_LEASE_FAILING:
		/*
		 * One call that outlasts the timeout (a loaded etcd) is not
		 * an outage: the keeper tries again in 0.5 s, and only the
		 * second failure in a row drops the watch and makes the
		 * directory unreachable.
		 */
		if (fails < KEEPALIVE_STRIKES) {
			vwd_log("lease keepalive failed (%s): trying again",
				err);
			vwd->keeper_failed = true;
		} else {
			dir_down_why(vwd, "lease keepalive", err);
		}
		return 0;
	case VW_LEASE_EXPIRED:
		break;
	}
	/* This host's keys are gone with it: connect again. */
	vwd_log("lease %" PRIx64 " expired: registering again", vwd->lease);
	vwd->lease = 0;
	/* Still "connected": a failure of this connect says unreachable. */
	vwd_dir_stop(vwd);
	return !vwd_dir_connect(vwd);
}

void vwd_dir_stop(struct vwd *vwd)
{
	if (vwd->watch)
		vw_etcd_watch_stop(vwd->watch);
	vwd->watch = NULL;
	keeper_stop(vwd);
}

int vwd_dir_watch_read(struct vwd *vwd)
{
	struct vw_etcd_event ev;
	int ret, changed = 0;

	while ((ret = vw_etcd_watch_next(vwd->watch, &ev)) == 1) {
		vwd_dir_apply(vwd, ev.kv.key, ev.deleted ? NULL : ev.kv.value);
		if (ev.kv.mod_revision > vwd->view.revision)
			vwd->view.revision = ev.kv.mod_revision;
		if (vwd->cfg.verbose)
			vwd_log("directory %s %s", ev.deleted ? "delete" : "put",
				ev.kv.key);
		vw_etcd_event_free(&ev);
		changed = 1;
	}
	if (ret == -1) {
		vwd_log("the watch cannot resume (compacted): reading the directory again");
		vwd_dir_stop(vwd);
		if (!vwd_dir_connect(vwd))
			changed = 1;
	}
	return changed;
}

int vwd_dir_register(struct vwd *vwd, const struct vwd_reg *r, char *err,
		     size_t len)
{
	struct vwd_self self = { .host = vwd->cfg.host, .addrs = vwd->cfg.addrs,
				 .naddrs = vwd->cfg.naddrs, .connected = true };
	char cprefix[VWD_KEYLEN], key[VWD_KEYLEN], *val;
	struct vw_etcd_kv *kvs;
	struct vw_etcd_op op;
	struct vwd_end e;
	int attempt, ret = -1;
	int64_t rev;
	size_t i, n;

	vwd_key_connector(cprefix, sizeof(cprefix), vwd->cfg.prefix, r->id);
	vwd_reg_end(vwd, r, &e);
	vwd_key_end(key, sizeof(key), vwd->cfg.prefix, &e);
	val = vwd_end_json(&e);
	if (!val)
		return -1;
	for (attempt = 0; attempt < 5; attempt++) {
		struct vwd_view cv = { 0 };
		const char *why;

		if (vw_etcd_range(vwd->etcd, cprefix, true, &kvs, &n, &rev)) {
			vwd_dir_down(vwd, "range");
			break;
		}
		/*
		 * A txn that timed out on one member is sent to the next
		 * (vw_etcd_txn fails over), yet the first may have applied
		 * it: the next then finds this very write newer than rev
		 * and says -2.  Our own value under our lease already there
		 * is the registration done, not a race lost.
		 */
		for (i = 0; attempt && i < n; i++)
			if (!strcmp(kvs[i].key, key) &&
			    !strcmp(kvs[i].value, val) &&
			    kvs[i].lease == vwd->lease)
				break;
		if (attempt && i < n) {
			vw_etcd_kvs_free(kvs, n);
			vwd_dir_apply(vwd, key, val);
			ret = 0;
			break;
		}
		for (i = 0; i < n; i++)
			vwd_view_apply(&cv, vwd->cfg.prefix, kvs[i].key,
				       kvs[i].value, &why);
		vw_etcd_kvs_free(kvs, n);
		if (vwd_connect_check(&self, &cv, r, err, len)) {
			vwd_view_clear(&cv);
			ret = 1;
			break;
		}
		vwd_view_clear(&cv);
		op = (struct vw_etcd_op){ key, val, vwd->lease };
		ret = vw_etcd_txn(vwd->etcd, cprefix, rev, &op, 1);
		if (ret == -2)
			continue;
		if (ret)
			vwd_dir_down(vwd, "connect txn");
		else
			vwd_dir_apply(vwd, key, val);
		break;
	}
	if (ret == -2) {
		snprintf(err, len, "connector %u changes too fast to register: try again",
			 r->id);
		ret = 1;
	}
	free(val);
	return ret;
}
