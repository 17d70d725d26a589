// SPDX-License-Identifier: GPL-2.0
/*
 * vwd: the VirtualWire endpoint controller, one per host (network
 * namespace).  It registers this host's connector ends in an etcd
 * directory under its lease, watches the directory, and keeps each local
 * end's kernel config in step with it, driving the kernel only through
 * vwctl (vwd(8), Documentation/controller.rst).
 *
 * One thread (the etcd client's watch has its own): a poll loop over the
 * signals, the control socket, the watch's pipe, the stdout of a child
 * "vwctl monitor --json", and timers for the lease keepalive and the
 * reconnect backoff.
 *
 * Fail static: nothing here changes the kernel because the directory is
 * unreachable, and a stop (SIGTERM, SIGINT) leaves the kernel and the
 * lease alone: a vwd that restarts finds its wires running and runs
 * nothing for those that are right.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "directory.h"
#include "etcd.h"
#include "reconcile.h"
#include "vwd_config.h"

#define BACKOFF_MIN_MS		500
#define BACKOFF_MAX_MS		10000
#define KEEPALIVE_STRIKES	2
#define MONITOR_RETRY_MS	2000

struct vwd {
	struct vwd_config cfg;
	struct vw_etcd *etcd;
	struct vw_etcd_watch *watch;
	int64_t lease;
	bool connected;		/* the directory answers */
	bool ever_connected;
	time_t since;		/* connected or unreachable since */
	char dir_error[256];	/* why it is unreachable */
	int backoff_ms;
	int64_t retry_at;	/* ms, monotonic: next reconnect */
	int64_t keepalive_at;	/* ms, monotonic: next keepalive */
	int keepalive_fails;	/* in a row */

	struct vwd_view view;
	struct vwd_kernel kernel;
	bool kernel_ok;		/* the last vwctl show answered */
	bool kernel_warned;	/* said so once: not once per try */
	struct vwd_reg *regs;
	size_t nregs;
	struct vwd_plan last;	/* the last reconcile: status */

	int ctl_fd;
	int sig_fd;
	pid_t mon_pid;
	int mon_fd;
	char mon_buf[65536];
	size_t mon_len;
	int64_t mon_retry_at;
	bool mon_warned;
};

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("vwd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Running vwctl and ip. */

/* vwd blocks SIGTERM and SIGINT (its signalfd); its children must not. */
static void child_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
}

/*
 * Run @argv (argv[0] "vwctl" or "ip", replaced by the configured path),
 * its stdout into *out when out is not NULL (malloc'd).  The exit code,
 * or -1 when it could not run.
 */
static int run_cmd(struct vwd *vwd, char *const *argv, char **out)
{
	int pfd[2] = { -1, -1 }, status;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	const char *path;
	ssize_t n;
	pid_t pid;

	path = !strcmp(argv[0], "ip") ? vwd->cfg.ip : vwd->cfg.vwctl;
	if (out && pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		if (out) {
			close(pfd[0]);
			close(pfd[1]);
		}
		return -1;
	}
	if (!pid) {
		child_signals();
		if (out)
			dup2(pfd[1], 1);
		execvp(path, argv);
		fprintf(stderr, "vwd: cannot run %s: %s\n", path,
			strerror(errno));
		_exit(127);
	}
	if (out) {
		close(pfd[1]);
		for (;;) {
			if (cap - len < 4096) {
				char *nb = realloc(buf, cap + 65536);

				if (!nb)
					break;
				buf = nb;
				cap += 65536;
			}
			n = read(pfd[0], buf + len, cap - len - 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			len += n;
		}
		close(pfd[0]);
		if (buf)
			buf[len] = 0;
		*out = buf;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The kernel's endpoints, from vwctl show --json. */
static void read_kernel(struct vwd *vwd)
{
	char *argv[] = { "vwctl", "show", "--json", NULL }, *out = NULL;
	struct vwd_kernel k;
	int rc = run_cmd(vwd, argv, &out);

	if (rc || !out || vwd_kernel_parse(out, &k)) {
		if (!vwd->kernel_warned)
			logf_("cannot read the kernel's endpoints (vwctl show --json exit %d): changing nothing until it answers",
			      rc);
		vwd->kernel_ok = false;
		vwd->kernel_warned = true;
		free(out);
		return;
	}
	if (vwd->kernel_warned)
		logf_("the kernel's endpoints answer again");
	vwd->kernel_warned = false;
	free(out);
	vwd_kernel_clear(&vwd->kernel);
	vwd->kernel = k;
	vwd->kernel_ok = true;
}

/* The state file: the registrations, so that a restart knows them. */

static int save_state(struct vwd *vwd)
{
	json_object *o = json_object_new_object(), *arr =
		json_object_new_array();
	char tmp[PATH_MAX];
	const char *s;
	size_t i;
	FILE *f;
	int ret = -1;

	json_object_object_add(o, "version", json_object_new_int(1));
	for (i = 0; i < vwd->nregs; i++) {
		const struct vwd_reg *r = &vwd->regs[i];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "id", json_object_new_int64(r->id));
		json_object_object_add(e, "dev", json_object_new_string(r->dev));
		json_object_object_add(e, "format",
				       json_object_new_string(r->format));
		json_object_object_add(e, "standby",
				       json_object_new_boolean(r->standby));
		json_object_object_add(e, "vm", json_object_new_string(r->vm));
		json_object_object_add(e, "vm_mac",
				       json_object_new_string(r->vm_mac));
		json_object_object_add(e, "relaying",
				       json_object_new_boolean(r->relaying));
		json_object_object_add(e, "relay",
				       json_object_new_string(r->relay));
		json_object_object_add(e, "refused",
				       json_object_new_boolean(r->refused));
		json_object_object_add(e, "last_far",
				       json_object_new_string(r->last_far));
		json_object_object_add(e, "accept_src",
				       json_object_new_string(r->accept_src));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "registrations", arr);
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	/* Written beside it and renamed: a crash leaves the old or the new. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", vwd->cfg.state);
	f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "%s\n", s);
		if (!fflush(f) && !fsync(fileno(f)) && !fclose(f) &&
		    !rename(tmp, vwd->cfg.state))
			ret = 0;
		else if (f)
			unlink(tmp);
	}
	if (ret)
		logf_("cannot write the state file '%s': %s", vwd->cfg.state,
		      strerror(errno));
	json_object_put(o);
	return ret;
}

static void str_member(json_object *o, const char *key, char *buf,
		       size_t len)
{
	json_object *m;

	buf[0] = 0;
	if (json_object_object_get_ex(o, key, &m) &&
	    json_object_is_type(m, json_type_string))
		snprintf(buf, len, "%s", json_object_get_string(m));
}

static bool bool_member(json_object *o, const char *key)
{
	json_object *m;

	return json_object_object_get_ex(o, key, &m) &&
	       json_object_get_boolean(m);
}

static int load_state(struct vwd *vwd)
{
	json_object *o, *arr, *m;
	size_t i, n;

	o = json_object_from_file(vwd->cfg.state);
	if (!o) {
		if (access(vwd->cfg.state, F_OK))
			return 0;	/* a first start */
		logf_("state file '%s' does not parse: starting with no registrations",
		      vwd->cfg.state);
		return 0;
	}
	if (!json_object_object_get_ex(o, "registrations", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		json_object_put(o);
		return 0;
	}
	n = json_object_array_length(arr);
	vwd->regs = calloc(n ? n : 1, sizeof(*vwd->regs));
	if (!vwd->regs) {
		json_object_put(o);
		return -1;
	}
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct vwd_reg *r = &vwd->regs[vwd->nregs];

		if (!json_object_object_get_ex(e, "id", &m))
			continue;
		r->id = json_object_get_int64(m);
		str_member(e, "dev", r->dev, sizeof(r->dev));
		str_member(e, "format", r->format, sizeof(r->format));
		str_member(e, "vm", r->vm, sizeof(r->vm));
		str_member(e, "vm_mac", r->vm_mac, sizeof(r->vm_mac));
		str_member(e, "relay", r->relay, sizeof(r->relay));
		r->standby = bool_member(e, "standby");
		r->relaying = bool_member(e, "relaying");
		r->refused = bool_member(e, "refused");
		str_member(e, "last_far", r->last_far, sizeof(r->last_far));
		str_member(e, "accept_src", r->accept_src, sizeof(r->accept_src));
		if (r->dev[0] && r->format[0])
			vwd->nregs++;
	}
	json_object_put(o);
	logf_("%zu registration%s from %s", vwd->nregs,
	      vwd->nregs == 1 ? "" : "s", vwd->cfg.state);
	return 0;
}

static void end_of_reg(struct vwd *vwd, const struct vwd_reg *r, struct vwd_end *e)
{
	memset(e, 0, sizeof(*e));
	e->id = r->id;
	strcpy(e->host, vwd->cfg.host);
	strcpy(e->dev, r->dev);
	memcpy(e->addrs, vwd->cfg.addrs, sizeof(e->addrs));
	e->naddrs = vwd->cfg.naddrs;
	e->port = strcmp(r->format, "vw") ? 4789 : 4798;
	strcpy(e->format, r->format);
	e->standby = r->standby;
	strcpy(e->vm, r->vm);
}

/* The directory. */

static void dir_down(struct vwd *vwd, const char *what)
{
	if (vwd->watch) {
		vw_etcd_watch_stop(vwd->watch);
		vwd->watch = NULL;
	}
	if (vwd->connected || !vwd->since) {
		snprintf(vwd->dir_error, sizeof(vwd->dir_error), "%s: %s", what,
			 vw_etcd_error(vwd->etcd));
		logf_("directory unreachable (%s): wires keep their config, retrying",
		      vwd->dir_error);
		vwd->since = time(NULL);
		vwd->backoff_ms = BACKOFF_MIN_MS;
	} else {
		vwd->backoff_ms = vwd->backoff_ms * 2 > BACKOFF_MAX_MS ?
				  BACKOFF_MAX_MS : vwd->backoff_ms * 2;
	}
	vwd->connected = false;
	vwd->retry_at = now_ms() + vwd->backoff_ms;
}

static void apply_kv(struct vwd *vwd, const char *key, const char *value)
{
	const char *why;

	if (vwd_view_apply(&vwd->view, vwd->cfg.prefix, key, value, &why))
		logf_("ignoring %s: %s", key, why);
}

static struct vwd_reg *find_reg(struct vwd *vwd, const char *dev)
{
	size_t i;

	for (i = 0; i < vwd->nregs; i++)
		if (!strcmp(vwd->regs[i].dev, dev))
			return &vwd->regs[i];
	return NULL;
}

/*
 * (Re)connect: keep the lease if it lives, else grant one; range the
 * prefix into a new view; move this host's keys under the lease (a key
 * of an end this host no longer has goes); watch from the range's
 * revision + 1.  0, or -1 (dir_down() was called).
 */
static int dir_connect(struct vwd *vwd)
{
	char root[VWD_KEYLEN], key[VWD_KEYLEN], hkey[VWD_KEYLEN], *hval;
	struct vwd_host h = { 0 };
	struct vw_etcd_kv *kvs = NULL;
	struct vwd_view nv = { 0 };
	size_t i, n = 0;
	int64_t rev;
	int ttl = 0;
	const char *why;

	if (vwd->lease &&
	    vw_etcd_lease_keepalive(vwd->etcd, vwd->lease, &ttl)) {
		dir_down(vwd, "lease keepalive");
		return -1;
	}
	if (!ttl) {
		if (vw_etcd_lease_grant(vwd->etcd, vwd->cfg.ttl, &vwd->lease)) {
			dir_down(vwd, "lease grant");
			return -1;
		}
		logf_("lease %" PRIx64 " granted (ttl %d s)", vwd->lease,
		      vwd->cfg.ttl);
	}
	strcpy(h.name, vwd->cfg.host);
	memcpy(h.addrs, vwd->cfg.addrs, sizeof(h.addrs));
	h.naddrs = vwd->cfg.naddrs;
	hval = vwd_host_json(&h);
	vwd_key_host(hkey, sizeof(hkey), vwd->cfg.prefix, vwd->cfg.host);
	if (!hval || vw_etcd_put(vwd->etcd, hkey, hval, vwd->lease)) {
		free(hval);
		dir_down(vwd, "put host key");
		return -1;
	}
	free(hval);
	vwd_key_root(root, sizeof(root), vwd->cfg.prefix);
	if (vw_etcd_range(vwd->etcd, root, true, &kvs, &n, &rev)) {
		dir_down(vwd, "range");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (vwd_view_apply(&nv, vwd->cfg.prefix, kvs[i].key,
				   kvs[i].value, &why))
			logf_("ignoring %s: %s", kvs[i].key, why);
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
			r = find_reg(vwd, e->dev);
			if (r && r->id == e->id && !r->relaying) {
				if (kvs[i].lease != vwd->lease &&
				    vw_etcd_put(vwd->etcd, key, kvs[i].value,
						vwd->lease))
					goto fail;
			} else if (vw_etcd_delete(vwd->etcd, key, false)) {
				goto fail;
			} else {
				logf_("%u %s: stale key of this host removed",
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
		dir_down(vwd, "watch");
		return -1;
	}
	if (vwd->ever_connected)
		logf_("directory reachable again (revision %" PRId64 ")", rev);
	else
		logf_("directory connected (revision %" PRId64 ", %zu ends, %zu hosts)",
		      rev, nv.nends, nv.nhosts);
	vwd->connected = true;
	vwd->keepalive_fails = 0;
	vwd->ever_connected = true;
	vwd->since = time(NULL);
	vwd->dir_error[0] = 0;
	vwd->keepalive_at = now_ms() + vwd->cfg.ttl * 1000 / 3;
	return 0;
fail:
	vw_etcd_kvs_free(kvs, n);
	vwd_view_clear(&nv);
	dir_down(vwd, "re-put this host's keys");
	return -1;
}

static void keepalive(struct vwd *vwd)
{
	int ttl;

	vwd->keepalive_at = now_ms() + vwd->cfg.ttl * 1000 / 3;
	if (vw_etcd_lease_keepalive(vwd->etcd, vwd->lease, &ttl)) {
		/*
		 * One call that outlasts the timeout (a loaded etcd) is not
		 * an outage: try again soon, and only the second failure in
		 * a row drops the watch and makes the directory unreachable.
		 */
		if (++vwd->keepalive_fails < KEEPALIVE_STRIKES) {
			logf_("lease keepalive failed (%s): trying again",
			      vw_etcd_error(vwd->etcd));
			vwd->keepalive_at = now_ms() + BACKOFF_MIN_MS;
			return;
		}
		vwd->keepalive_fails = 0;
		dir_down(vwd, "lease keepalive");
		return;
	}
	vwd->keepalive_fails = 0;
	if (!ttl) {
		/* Expired: this host's keys are gone; connect again. */
		logf_("lease %" PRIx64 " expired: registering again", vwd->lease);
		vwd->lease = 0;
		if (vwd->watch) {
			vw_etcd_watch_stop(vwd->watch);
			vwd->watch = NULL;
		}
		vwd->connected = false;
		dir_connect(vwd);
	}
}

/* Reconcile and act. */

static void log_action(const struct vwd_action *a, const char *what)
{
	char cmd[1024];

	vwd_action_cmdline(a, cmd, sizeof(cmd));
	logf_("%u %s: %s: %s", a->id, a->dev, a->reason, what ? what : cmd);
}

static int do_activate(struct vwd *vwd, const struct vwd_action *a)
{
	char keys[5][VWD_KEYLEN], cprefix[VWD_KEYLEN], *val;
	struct vw_etcd_op ops[5];
	struct vwd_reg *r = find_reg(vwd, a->dev);
	struct vwd_end e;
	size_t i, n = 0;
	int ret;

	if (!r)
		return -1;
	end_of_reg(vwd, r, &e);
	e.standby = false;
	val = vwd_end_json(&e);
	if (!val)
		return -1;
	vwd_key_end(keys[0], sizeof(keys[0]), vwd->cfg.prefix, &e);
	ops[n++] = (struct vw_etcd_op){ keys[0], val, vwd->lease };
	for (i = 0; i < a->ndel && i < 4; i++) {
		vwd_key_end(keys[n], sizeof(keys[n]), vwd->cfg.prefix,
			    &a->del[i]);
		ops[n] = (struct vw_etcd_op){ keys[n], NULL, 0 };
		n++;
	}
	vwd_key_connector(cprefix, sizeof(cprefix), vwd->cfg.prefix, a->id);
	ret = vw_etcd_txn(vwd->etcd, cprefix, vwd->view.revision, ops, n);
	if (!ret) {
		r->standby = false;
		strcpy(r->accept_src, a->accept);
		save_state(vwd);
		apply_kv(vwd, keys[0], val);
		for (i = 1; i < n; i++)
			apply_kv(vwd, keys[i], NULL);
		log_action(a, "directory txn: this end active");
	} else if (ret == -2) {
		log_action(a, "directory txn lost a race: trying again with the directory's view");
	} else {
		dir_down(vwd, "activation txn");
	}
	free(val);
	return ret;
}

/* @a ran: what follows for the registration. */
static void after_run(struct vwd *vwd, const struct vwd_action *a, int rc)
{
	struct vwd_reg *r;

	if (rc) {
		char cmd[1024];

		vwd_action_cmdline(a, cmd, sizeof(cmd));
		logf_("%u %s: failed (exit %d): %s", a->id, a->dev, rc, cmd);
		return;
	}
	if (!a->relaying)
		return;
	r = find_reg(vwd, a->dev);
	if (!r)
		return;
	r->relaying = true;
	strcpy(r->relay, a->relay);
	save_state(vwd);
}

static int register_end(struct vwd *vwd, const struct vwd_reg *r, char *err, size_t len);

/*
 * Reconcile until nothing is left to do (a command changes the kernel,
 * which is read again), at most a few rounds: a command that keeps
 * failing is logged each time, not retried in a loop.
 */
static void reconcile(struct vwd *vwd)
{
	struct vwd_self self = {
		.host = vwd->cfg.host, .addrs = vwd->cfg.addrs,
		.naddrs = vwd->cfg.naddrs, .connected = vwd->connected,
	};
	char err[512];
	struct vwd_reg *r;
	int round, ret;
	size_t i;

	for (round = 0; round < 4; round++) {
		bool ran = false, again = false;

		if (!vwd->kernel_ok)
			read_kernel(vwd);
		vwd_plan_free(&vwd->last);
		if (vwd_reconcile(&self, &vwd->view, vwd->regs, vwd->nregs,
				  &vwd->kernel, &vwd->last)) {
			logf_("out of memory");
			return;
		}
		for (i = 0; i < vwd->last.nst && i < vwd->nregs; i++)
			if (vwd->last.st[i].has_far)
				strcpy(vwd->regs[i].last_far,
				       vwd->last.st[i].far.host);
		/* Without the kernel's state, vwd cannot tell a right wire. */
		if (!vwd->kernel_ok)
			return;
		for (i = 0; i < vwd->last.nacts; i++) {
			struct vwd_action *a = &vwd->last.acts[i];
			char *argv[VWD_MAX_WORDS + 1];
			size_t j;

			switch (a->kind) {
			case VWD_ACT_RUN:
				for (j = 0; j < a->nwords; j++)
					argv[j] = a->words[j];
				argv[j] = NULL;
				log_action(a, NULL);
				after_run(vwd, a, run_cmd(vwd, argv, NULL));
				ran = true;
				break;
			case VWD_ACT_PUT:
				if (!vwd->connected || !(r = find_reg(vwd, a->dev)))
					break;
				/* As a connect: checked against the others. */
				ret = register_end(vwd, r, err, sizeof(err));
				if (ret == 1) {
					logf_("%u %s: registration refused: %s; the end stays as it is",
					      a->id, a->dev, err);
					r->refused = true;
					save_state(vwd);
				} else if (!ret) {
					log_action(a, "directory put");
				}
				again = !ret;
				break;
			case VWD_ACT_ACTIVATE:
				if (!vwd->connected)
					break;
				if (!do_activate(vwd, a))
					again = true;
				break;
			}
		}
		if (ran)
			read_kernel(vwd);
		if (!ran && !again)
			return;
	}
}

/* The monitor child: kernel events, activation among them. */

static void monitor_start(struct vwd *vwd)
{
	char *argv[] = { vwd->cfg.vwctl, "monitor", "--json", NULL };
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return;
	}
	if (!pid) {
		child_signals();
		/* A vwd killed outright must not leave its monitor behind. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(pfd[1], 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	vwd->mon_pid = pid;
	vwd->mon_fd = pfd[0];
	vwd->mon_len = 0;
	/* Events from before it started are in this read. */
	read_kernel(vwd);
}

static void monitor_stop(struct vwd *vwd)
{
	int status;

	if (vwd->mon_fd >= 0)
		close(vwd->mon_fd);
	vwd->mon_fd = -1;
	if (vwd->mon_pid > 0) {
		kill(vwd->mon_pid, SIGTERM);
		waitpid(vwd->mon_pid, &status, 0);
	}
	vwd->mon_pid = 0;
}

/* 1: an event changed the kernel state; 0: nothing; -1: the child ended. */
static int monitor_read(struct vwd *vwd)
{
	char dev[IFNAMSIZ], *nl, *line;
	int changed = 0;
	ssize_t n;

	n = read(vwd->mon_fd, vwd->mon_buf + vwd->mon_len,
		 sizeof(vwd->mon_buf) - vwd->mon_len - 1);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		if (!vwd->mon_warned)
			logf_("vwctl monitor ended: restarting it every %d ms",
			      MONITOR_RETRY_MS);
		vwd->mon_warned = true;
		monitor_stop(vwd);
		vwd->mon_retry_at = now_ms() + MONITOR_RETRY_MS;
		return -1;
	}
	vwd->mon_warned = false;
	vwd->mon_len += n;
	vwd->mon_buf[vwd->mon_len] = 0;
	line = vwd->mon_buf;
	while ((nl = strchr(line, '\n'))) {
		*nl = 0;
		if (vwd_kernel_event(&vwd->kernel, line, dev) == 1) {
			changed = 1;
			if (vwd->cfg.verbose)
				logf_("kernel event: %s", line);
		}
		line = nl + 1;
	}
	vwd->mon_len -= line - vwd->mon_buf;
	memmove(vwd->mon_buf, line, vwd->mon_len);
	if (vwd->mon_len == sizeof(vwd->mon_buf) - 1)
		vwd->mon_len = 0;	/* a line longer than the buffer: dropped */
	return changed;
}

/* The watch. */

static int watch_read(struct vwd *vwd)
{
	struct vw_etcd_event ev;
	int ret, changed = 0;

	while ((ret = vw_etcd_watch_next(vwd->watch, &ev)) == 1) {
		apply_kv(vwd, ev.kv.key, ev.deleted ? NULL : ev.kv.value);
		if (ev.kv.mod_revision > vwd->view.revision)
			vwd->view.revision = ev.kv.mod_revision;
		if (vwd->cfg.verbose)
			logf_("directory %s %s", ev.deleted ? "delete" : "put",
			      ev.kv.key);
		vw_etcd_event_free(&ev);
		changed = 1;
	}
	if (ret == -1) {
		logf_("the watch cannot resume (compacted): reading the directory again");
		vw_etcd_watch_stop(vwd->watch);
		vwd->watch = NULL;
		vwd->connected = false;
		if (!dir_connect(vwd))
			changed = 1;
	}
	return changed;
}

/* Control requests. */

static json_object *error_reply(const char *msg, int code)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(false));
	json_object_object_add(o, "error", json_object_new_string(msg));
	json_object_object_add(o, "code", json_object_new_int(code));
	return o;
}

static json_object *ok_reply(void)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(true));
	return o;
}

static bool dev_taken(struct vwd *vwd, const char *dev)
{
	return find_reg(vwd, dev) || vwd_kernel_find(&vwd->kernel, dev);
}

static json_object *kep_json(const struct vwd_kep *ep)
{
	json_object *o = json_object_new_object(), *acc;
	size_t i;

	json_object_object_add(o, "id", ep->bound ?
			       json_object_new_int64(ep->id) : NULL);
	json_object_object_add(o, "dev", json_object_new_string(ep->dev));
#define STR_OR_NULL(k, v) json_object_object_add(o, k, (v)[0] ? \
				json_object_new_string(v) : NULL)
	STR_OR_NULL("format", ep->format);
	STR_OR_NULL("wire", ep->wire);
	STR_OR_NULL("remote", ep->remote);
	STR_OR_NULL("peer", ep->peer);
	json_object_object_add(o, "port", ep->port ?
			       json_object_new_int(ep->port) : NULL);
	STR_OR_NULL("state", ep->state);
	STR_OR_NULL("relay", ep->relay);
	acc = json_object_new_array();
	for (i = 0; i < ep->naccept; i++)
		json_object_array_add(acc, json_object_new_string(ep->accept[i]));
	json_object_object_add(o, "accept", acc);
	json_object_object_add(o, "roam", json_object_new_boolean(ep->roam));
	STR_OR_NULL("vm_mac", ep->vm_mac);
#undef STR_OR_NULL
	return o;
}

static json_object *status_reply(struct vwd *vwd, bool has_id, uint32_t id)
{
	json_object *o = ok_reply(), *d, *arr, *eps;
	char lease[32];
	size_t i;

	json_object_object_add(o, "host",
			       json_object_new_string(vwd->cfg.host));
	d = json_object_new_object();
	json_object_object_add(d, "connected",
			       json_object_new_boolean(vwd->connected));
	json_object_object_add(d, "since", json_object_new_int64(vwd->since));
	if (!vwd->connected)
		json_object_object_add(d, "error",
				       json_object_new_string(vwd->dir_error));
	eps = json_object_new_array();
	for (i = 0; i < vwd->cfg.nendpoints; i++)
		json_object_array_add(eps,
				json_object_new_string(vwd->cfg.endpoints[i]));
	json_object_object_add(d, "endpoints", eps);
	json_object_object_add(d, "revision",
			       json_object_new_int64(vwd->view.revision));
	snprintf(lease, sizeof(lease), "%" PRIx64, vwd->lease);
	json_object_object_add(d, "lease", json_object_new_string(lease));
	json_object_object_add(o, "directory", d);
	arr = json_object_new_array();
	for (i = 0; i < vwd->last.nst && i < vwd->nregs; i++) {
		const struct vwd_rstatus *st = &vwd->last.st[i];
		const struct vwd_reg *r = &vwd->regs[i];
		const struct vwd_kep *ep = vwd_kernel_find(&vwd->kernel,
							    st->dev);
		json_object *c, *far = NULL;

		if (has_id && st->id != id)
			continue;
		c = json_object_new_object();
		json_object_object_add(c, "id", json_object_new_int64(st->id));
		json_object_object_add(c, "dev", json_object_new_string(st->dev));
		json_object_object_add(c, "state",
				       json_object_new_string(st->state));
		json_object_object_add(c, "format",
				       json_object_new_string(r->format));
		json_object_object_add(c, "vm", r->vm[0] ?
				       json_object_new_string(r->vm) : NULL);
		json_object_object_add(c, "vm_mac", r->vm_mac[0] ?
				       json_object_new_string(r->vm_mac) : NULL);
		json_object_object_add(c, "registered", json_object_new_boolean(
			r->relaying || !!vwd_view_find(&vwd->view, r->id,
						       vwd->cfg.host, r->dev)));
		if (st->has_far) {
			far = json_object_new_object();
			json_object_object_add(far, "host",
					json_object_new_string(st->far.host));
			json_object_object_add(far, "dev",
					json_object_new_string(st->far.dev));
			json_object_object_add(far, "addr", st->far_addr[0] ?
					json_object_new_string(st->far_addr) : NULL);
			json_object_object_add(far, "state",
					json_object_new_string(st->far.standby ?
							"standby" : "active"));
		}
		json_object_object_add(c, "far", far);
		json_object_object_add(c, "far_gone",
				       json_object_new_boolean(st->far_gone));
		json_object_object_add(c, "far_gone_host", st->far_gone &&
				       r->last_far[0] ?
				       json_object_new_string(r->last_far) : NULL);
		json_object_object_add(c, "kernel", ep ? kep_json(ep) : NULL);
		json_object_object_add(c, "in_step",
				       json_object_new_boolean(st->in_step));
		json_object_object_add(c, "conflict", st->conflict[0] ?
				json_object_new_string(st->conflict) : NULL);
		json_object_array_add(arr, c);
	}
	json_object_object_add(o, "connectors", arr);
	return o;
}

static int get_id(json_object *req, uint32_t *id)
{
	json_object *m;
	int64_t v;

	if (!json_object_object_get_ex(req, "id", &m) ||
	    !json_object_is_type(m, json_type_int))
		return 0;
	v = json_object_get_int64(m);
	if (v < 0 || v > UINT32_MAX)
		return -1;
	*id = v;
	return 1;
}

/*
 * Register @r in the directory, refused when it would make a conflict:
 * the check reads the connector and the txn writes only if nothing under
 * it changed since, so two racing connects cannot both win.  0; 1
 * refused (err says why); -1 unreachable (a pending registration).
 */
static int register_end(struct vwd *vwd, const struct vwd_reg *r, char *err, size_t len)
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
	end_of_reg(vwd, r, &e);
	vwd_key_end(key, sizeof(key), vwd->cfg.prefix, &e);
	val = vwd_end_json(&e);
	if (!val)
		return -1;
	for (attempt = 0; attempt < 5; attempt++) {
		struct vwd_view cv = { 0 };
		const char *why;

		if (vw_etcd_range(vwd->etcd, cprefix, true, &kvs, &n, &rev)) {
			dir_down(vwd, "range");
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
			apply_kv(vwd, key, val);
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
			dir_down(vwd, "connect txn");
		else
			apply_kv(vwd, key, val);
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

static json_object *do_connect(struct vwd *vwd, json_object *req)
{
	struct vwd_reg r = { 0 };
	char err[512];
	json_object *m, *o;
	uint32_t id;
	int ret;
	size_t i;

	if (get_id(req, &id) != 1)
		return error_reply("ID: a number from 0 to 4294967295", 2);
	r.id = id;
	str_member(req, "dev", r.dev, sizeof(r.dev));
	str_member(req, "format", r.format, sizeof(r.format));
	str_member(req, "vm", r.vm, sizeof(r.vm));
	/* Checked and written in lower case by vwctl connect. */
	str_member(req, "vm_mac", r.vm_mac, sizeof(r.vm_mac));
	r.standby = bool_member(req, "standby");
	if (!r.format[0])
		strcpy(r.format, "vxlan");
	if (strcmp(r.format, "vxlan") && strcmp(r.format, "vw"))
		return error_reply("format: vxlan or vw", 2);
	if (!r.dev[0]) {
		/* As the kernel names them: the first free vwN. */
		for (i = 0; i < 100000; i++) {
			snprintf(r.dev, sizeof(r.dev), "vw%zu", i);
			if (!dev_taken(vwd, r.dev))
				break;
		}
	} else if (find_reg(vwd, r.dev)) {
		snprintf(err, sizeof(err), "dev %s is already connected (connector %u)",
			 r.dev, find_reg(vwd, r.dev)->id);
		return error_reply(err, 3);
	} else if (vwd_kernel_find(&vwd->kernel, r.dev)) {
		snprintf(err, sizeof(err), "dev %s already exists and vwd did not make it: pick another name or delete it",
			 r.dev);
		return error_reply(err, 3);
	}
	/* vwctl checked it; a request from elsewhere gets a word's check. */
	if (strspn(r.vm_mac, "0123456789abcdef:,") != strlen(r.vm_mac))
		return error_reply("vm-mac: MAC[,MAC...], lower case", 2);
	if (r.standby && !r.vm[0])
		return error_reply("standby needs vm NAME: the VM whose end moves here", 2);
	ret = vwd->connected ? register_end(vwd, &r, err, sizeof(err)) : -1;
	if (ret == 1) {
		logf_("%u %s: connect refused: %s", r.id, r.dev, err);
		return error_reply(err, 1);
	}
	m = (void *)realloc(vwd->regs, (vwd->nregs + 1) * sizeof(*vwd->regs));
	if (!m)
		return error_reply("out of memory", 1);
	vwd->regs = (struct vwd_reg *)m;
	vwd->regs[vwd->nregs++] = r;
	save_state(vwd);
	logf_("%u %s: connected%s%s%s", r.id, r.dev,
	      r.standby ? " in standby for vm " : "", r.standby ? r.vm : "",
	      ret ? " (directory unreachable: registration pending)" : "");
	reconcile(vwd);
	o = ok_reply();
	json_object_object_add(o, "id", json_object_new_int64(r.id));
	json_object_object_add(o, "dev", json_object_new_string(r.dev));
	json_object_object_add(o, "pending", json_object_new_boolean(ret != 0));
	for (i = 0; i < vwd->last.nst; i++)
		if (!strcmp(vwd->last.st[i].dev, r.dev))
			json_object_object_add(o, "state",
				json_object_new_string(vwd->last.st[i].state));
	return o;
}

static json_object *do_disconnect(struct vwd *vwd, json_object *req)
{
	char dev[IFNAMSIZ], err[256], key[VWD_KEYLEN];
	bool pending = false;
	size_t i, done = 0;
	uint32_t id = 0;
	int has_id = get_id(req, &id);
	json_object *o;

	str_member(req, "dev", dev, sizeof(dev));
	if (has_id < 0 || (has_id != 1 && !dev[0]))
		return error_reply("ID or dev NAME", 2);
	for (i = 0; i < vwd->nregs;) {
		struct vwd_reg *r = &vwd->regs[i];
		char *argv[] = { "vwctl", "del", "dev", r->dev, "--if-exists",
				 NULL };
		struct vwd_end e;
		int rc;

		if ((has_id == 1 && r->id != id) || (dev[0] && strcmp(r->dev, dev))) {
			i++;
			continue;
		}
		rc = run_cmd(vwd, argv, NULL);
		logf_("%u %s: disconnect: vwctl del dev %s --if-exists%s", r->id,
		      r->dev, r->dev, rc ? " (failed)" : "");
		end_of_reg(vwd, r, &e);
		vwd_key_end(key, sizeof(key), vwd->cfg.prefix, &e);
		if (!r->relaying && vwd_view_find(&vwd->view, r->id,
						  vwd->cfg.host, r->dev)) {
			if (vwd->connected &&
			    vw_etcd_delete(vwd->etcd, key, false))
				dir_down(vwd, "delete");
			if (vwd->connected)
				apply_kv(vwd, key, NULL);
			else
				pending = true;
		}
		*r = vwd->regs[--vwd->nregs];
		done++;
	}
	if (!done) {
		if (dev[0])
			snprintf(err, sizeof(err), "dev %s is not connected",
				 dev);
		else
			snprintf(err, sizeof(err), "connector %u is not connected on this host",
				 id);
		return error_reply(err, 4);
	}
	save_state(vwd);
	read_kernel(vwd);
	reconcile(vwd);
	o = ok_reply();
	json_object_object_add(o, "removed", json_object_new_int64(done));
	json_object_object_add(o, "pending", json_object_new_boolean(pending));
	return o;
}

static void handle_control(struct vwd *vwd)
{
	json_object *req = NULL, *rep, *m;
	char *text = NULL;
	const char *cmd;
	uint32_t id = 0;
	int cfd, has_id;

	if (vwd_control_accept(vwd->ctl_fd, &cfd, &text))
		return;
	req = json_tokener_parse(text);
	if (!req || !json_object_object_get_ex(req, "cmd", &m)) {
		rep = error_reply("a request is a JSON object with \"cmd\"", 2);
		goto out;
	}
	cmd = json_object_get_string(m);
	if (!strcmp(cmd, "connect")) {
		rep = do_connect(vwd, req);
	} else if (!strcmp(cmd, "disconnect")) {
		rep = do_disconnect(vwd, req);
	} else if (!strcmp(cmd, "status")) {
		has_id = get_id(req, &id);
		if (!vwd->last.st && vwd->nregs)
			reconcile(vwd);
		rep = status_reply(vwd, has_id == 1, id);
	} else {
		rep = error_reply("unknown command: connect, disconnect or status",
				  2);
	}
out:
	vwd_control_reply(cfd, json_object_to_json_string_ext(rep,
						JSON_C_TO_STRING_PLAIN));
	json_object_put(rep);
	json_object_put(req);
	free(text);
}

/* Main. */

/* vwd status [ID] [--json]: what vwctl directory prints. */
static int status_main(int argc, char **argv)
{
	return vwd_status_cmd("vwd", argc - 2, argv + 2, false, stderr);
}

static int next_timeout(struct vwd *vwd)
{
	int64_t now = now_ms(), t = now + 60000;

	if (vwd->connected && vwd->keepalive_at < t)
		t = vwd->keepalive_at;
	if (!vwd->connected && vwd->retry_at < t)
		t = vwd->retry_at;
	if (vwd->mon_fd < 0 && vwd->mon_retry_at < t)
		t = vwd->mon_retry_at;
	return t <= now ? 0 : (int)(t - now);
}

int main(int argc, char **argv)
{
	/* Static: zeroed, and its 64 KiB monitor buffer off the stack. */
	static struct vwd state;
	struct vwd *vwd = &state;
	struct vw_etcd_opts eo = { 0 };
	char *password = NULL;
	struct pollfd fds[4];
	sigset_t sigs;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "status"))
		return status_main(argc, argv);
	setvbuf(stderr, NULL, _IOLBF, 0);
	strcpy(vwd->cfg.prefix, "/virtualwire");
	vwd->cfg.ttl = 10;
	vwd->cfg.timeout = 5;
	if (vwd_config_parse(&vwd->cfg, argc, argv))
		return 2;
	if (!vwd->cfg.state)
		vwd->cfg.state = "/run/virtualwire/vwd.state";
	if (!vwd->cfg.vwctl)
		vwd->cfg.vwctl = "vwctl";
	if (!vwd->cfg.ip)
		vwd->cfg.ip = "ip";
	if (vwd->cfg.password_file &&
	    !(password = vwd_config_password(vwd->cfg.password_file)))
		return 1;
	{
		char dir[PATH_MAX], *slash;

		snprintf(dir, sizeof(dir), "%s", vwd->cfg.state);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = 0;
			mkdir(dir, 0755);
		}
	}
	vwd->mon_fd = -1;
	vwd->ctl_fd = vwd_control_listen();
	if (vwd->ctl_fd < 0) {
		fprintf(stderr, "vwd: control socket @%s: %s%s\n",
			VWD_CONTROL_NAME, strerror(errno),
			errno == EADDRINUSE ? " (another vwd runs in this network namespace)" : "");
		return 1;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	vwd->sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (load_state(vwd))
		return 1;
	eo.endpoints = (const char *const *)vwd->cfg.endpoints;
	eo.nendpoints = vwd->cfg.nendpoints;
	eo.cacert = vwd->cfg.cacert;
	eo.cert = vwd->cfg.cert;
	eo.key = vwd->cfg.key;
	eo.user = vwd->cfg.user;
	eo.password = password;
	eo.timeout_ms = vwd->cfg.timeout * 1000;
	vwd->etcd = vw_etcd_new(&eo);
	if (!vwd->etcd) {
		fputs("vwd: cannot set up the etcd client\n", stderr);
		return 1;
	}
	logf_("host %s, %zu address%s, etcd %s%s, prefix %s, ttl %d s, state %s",
	      vwd->cfg.host, vwd->cfg.naddrs, vwd->cfg.naddrs == 1 ? "" : "es",
	      vwd->cfg.endpoints[0], vwd->cfg.nendpoints > 1 ? ",..." : "",
	      vwd->cfg.prefix, vwd->cfg.ttl, vwd->cfg.state);
	monitor_start(vwd);
	dir_connect(vwd);
	reconcile(vwd);

	for (;;) {
		int n = 0, changed = 0;

		fds[n++] = (struct pollfd){ .fd = vwd->sig_fd,
					    .events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = vwd->ctl_fd,
					    .events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = vwd->mon_fd,
					    .events = POLLIN };
		fds[n++] = (struct pollfd){
			.fd = vwd->watch ? vw_etcd_watch_fd(vwd->watch) : -1,
			.events = POLLIN };
		ret = poll(fds, n, next_timeout(vwd));
		if (ret < 0 && errno != EINTR) {
			perror("vwd: poll");
			break;
		}
		if (fds[0].revents) {
			struct signalfd_siginfo si;

			if (read(vwd->sig_fd, &si, sizeof(si)) < 0)
				si.ssi_signo = SIGTERM;
			/* No revoke, no kernel change: fail static. */
			logf_("stopping on signal %u: wires and the lease are left as they are",
			      si.ssi_signo);
			break;
		}
		if (fds[2].revents && monitor_read(vwd))
			changed = 1;
		if (vwd->watch && fds[3].revents && watch_read(vwd))
			changed = 1;
		if (fds[1].revents)
			handle_control(vwd);
		if (vwd->mon_fd < 0 && now_ms() >= vwd->mon_retry_at)
			monitor_start(vwd), changed = 1;
		if (vwd->connected && now_ms() >= vwd->keepalive_at)
			keepalive(vwd);
		if (!vwd->connected && now_ms() >= vwd->retry_at &&
		    !dir_connect(vwd))
			changed = 1;
		if (changed)
			reconcile(vwd);
	}
	monitor_stop(vwd);
	if (vwd->watch)
		vw_etcd_watch_stop(vwd->watch);
	vw_etcd_free(vwd->etcd);
	free(password);
	return 0;
}
