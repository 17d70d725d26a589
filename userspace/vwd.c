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

static struct vwd g;

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
static int run_cmd(char *const *argv, char **out)
{
	int pfd[2] = { -1, -1 }, status;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	const char *path;
	ssize_t n;
	pid_t pid;

	path = !strcmp(argv[0], "ip") ? g.cfg.ip : g.cfg.vwctl;
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
static void read_kernel(void)
{
	char *argv[] = { "vwctl", "show", "--json", NULL }, *out = NULL;
	struct vwd_kernel k;
	int rc = run_cmd(argv, &out);

	if (rc || !out || vwd_kernel_parse(out, &k)) {
		if (!g.kernel_warned)
			logf_("cannot read the kernel's endpoints (vwctl show --json exit %d): changing nothing until it answers",
			      rc);
		g.kernel_ok = false;
		g.kernel_warned = true;
		free(out);
		return;
	}
	if (g.kernel_warned)
		logf_("the kernel's endpoints answer again");
	g.kernel_warned = false;
	free(out);
	vwd_kernel_clear(&g.kernel);
	g.kernel = k;
	g.kernel_ok = true;
}

/* The state file: the registrations, so that a restart knows them. */

static int save_state(void)
{
	json_object *o = json_object_new_object(), *arr =
		json_object_new_array();
	char tmp[PATH_MAX];
	const char *s;
	size_t i;
	FILE *f;
	int ret = -1;

	json_object_object_add(o, "version", json_object_new_int(1));
	for (i = 0; i < g.nregs; i++) {
		const struct vwd_reg *r = &g.regs[i];
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
	snprintf(tmp, sizeof(tmp), "%s.tmp", g.cfg.state);
	f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "%s\n", s);
		if (!fflush(f) && !fsync(fileno(f)) && !fclose(f) &&
		    !rename(tmp, g.cfg.state))
			ret = 0;
		else if (f)
			unlink(tmp);
	}
	if (ret)
		logf_("cannot write the state file '%s': %s", g.cfg.state,
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

static int load_state(void)
{
	json_object *o, *arr, *m;
	size_t i, n;

	o = json_object_from_file(g.cfg.state);
	if (!o) {
		if (access(g.cfg.state, F_OK))
			return 0;	/* a first start */
		logf_("state file '%s' does not parse: starting with no registrations",
		      g.cfg.state);
		return 0;
	}
	if (!json_object_object_get_ex(o, "registrations", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		json_object_put(o);
		return 0;
	}
	n = json_object_array_length(arr);
	g.regs = calloc(n ? n : 1, sizeof(*g.regs));
	if (!g.regs) {
		json_object_put(o);
		return -1;
	}
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct vwd_reg *r = &g.regs[g.nregs];

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
			g.nregs++;
	}
	json_object_put(o);
	logf_("%zu registration%s from %s", g.nregs, g.nregs == 1 ? "" : "s",
	      g.cfg.state);
	return 0;
}

static void end_of_reg(const struct vwd_reg *r, struct vwd_end *e)
{
	memset(e, 0, sizeof(*e));
	e->id = r->id;
	strcpy(e->host, g.cfg.host);
	strcpy(e->dev, r->dev);
	memcpy(e->addrs, g.cfg.addrs, sizeof(e->addrs));
	e->naddrs = g.cfg.naddrs;
	e->port = strcmp(r->format, "vw") ? 4789 : 4798;
	strcpy(e->format, r->format);
	e->standby = r->standby;
	strcpy(e->vm, r->vm);
}

/* The directory. */

static void dir_down(const char *what)
{
	if (g.watch) {
		vw_etcd_watch_stop(g.watch);
		g.watch = NULL;
	}
	if (g.connected || !g.since) {
		snprintf(g.dir_error, sizeof(g.dir_error), "%s: %s", what,
			 vw_etcd_error(g.etcd));
		logf_("directory unreachable (%s): wires keep their config, retrying",
		      g.dir_error);
		g.since = time(NULL);
		g.backoff_ms = BACKOFF_MIN_MS;
	} else {
		g.backoff_ms = g.backoff_ms * 2 > BACKOFF_MAX_MS ?
			       BACKOFF_MAX_MS : g.backoff_ms * 2;
	}
	g.connected = false;
	g.retry_at = now_ms() + g.backoff_ms;
}

static void apply_kv(const char *key, const char *value)
{
	const char *why;

	if (vwd_view_apply(&g.view, g.cfg.prefix, key, value, &why))
		logf_("ignoring %s: %s", key, why);
}

static struct vwd_reg *find_reg(const char *dev)
{
	size_t i;

	for (i = 0; i < g.nregs; i++)
		if (!strcmp(g.regs[i].dev, dev))
			return &g.regs[i];
	return NULL;
}

/*
 * (Re)connect: keep the lease if it lives, else grant one; range the
 * prefix into a new view; move this host's keys under the lease (a key
 * of an end this host no longer has goes); watch from the range's
 * revision + 1.  0, or -1 (dir_down() was called).
 */
static int dir_connect(void)
{
	char root[VWD_KEYLEN], key[VWD_KEYLEN], hkey[VWD_KEYLEN], *hval;
	struct vwd_host h = { 0 };
	struct vw_etcd_kv *kvs = NULL;
	struct vwd_view nv = { 0 };
	size_t i, n = 0;
	int64_t rev;
	int ttl = 0;
	const char *why;

	if (g.lease && vw_etcd_lease_keepalive(g.etcd, g.lease, &ttl)) {
		dir_down("lease keepalive");
		return -1;
	}
	if (!ttl) {
		if (vw_etcd_lease_grant(g.etcd, g.cfg.ttl, &g.lease)) {
			dir_down("lease grant");
			return -1;
		}
		logf_("lease %" PRIx64 " granted (ttl %d s)", g.lease,
		      g.cfg.ttl);
	}
	strcpy(h.name, g.cfg.host);
	memcpy(h.addrs, g.cfg.addrs, sizeof(h.addrs));
	h.naddrs = g.cfg.naddrs;
	hval = vwd_host_json(&h);
	vwd_key_host(hkey, sizeof(hkey), g.cfg.prefix, g.cfg.host);
	if (!hval || vw_etcd_put(g.etcd, hkey, hval, g.lease)) {
		free(hval);
		dir_down("put host key");
		return -1;
	}
	free(hval);
	vwd_key_root(root, sizeof(root), g.cfg.prefix);
	if (vw_etcd_range(g.etcd, root, true, &kvs, &n, &rev)) {
		dir_down("range");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (vwd_view_apply(&nv, g.cfg.prefix, kvs[i].key,
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
			if (strcmp(e->host, g.cfg.host) ||
			    !vwd_key_end(key, sizeof(key), g.cfg.prefix, e) ||
			    strcmp(key, kvs[i].key))
				continue;
			r = find_reg(e->dev);
			if (r && r->id == e->id && !r->relaying) {
				if (kvs[i].lease != g.lease &&
				    vw_etcd_put(g.etcd, key, kvs[i].value,
						g.lease))
					goto fail;
			} else if (vw_etcd_delete(g.etcd, key, false)) {
				goto fail;
			} else {
				logf_("%u %s: stale key of this host removed",
				      e->id, e->dev);
				vwd_view_apply(&nv, g.cfg.prefix, key, NULL,
					       &why);
			}
			break;
		}
	}
	vw_etcd_kvs_free(kvs, n);
	vwd_view_clear(&g.view);
	g.view = nv;
	g.watch = vw_etcd_watch_start(g.etcd, root, rev + 1);
	if (!g.watch) {
		dir_down("watch");
		return -1;
	}
	if (g.ever_connected)
		logf_("directory reachable again (revision %" PRId64 ")", rev);
	else
		logf_("directory connected (revision %" PRId64 ", %zu ends, %zu hosts)",
		      rev, nv.nends, nv.nhosts);
	g.connected = true;
	g.keepalive_fails = 0;
	g.ever_connected = true;
	g.since = time(NULL);
	g.dir_error[0] = 0;
	g.keepalive_at = now_ms() + g.cfg.ttl * 1000 / 3;
	return 0;
fail:
	vw_etcd_kvs_free(kvs, n);
	vwd_view_clear(&nv);
	dir_down("re-put this host's keys");
	return -1;
}

static void keepalive(void)
{
	int ttl;

	g.keepalive_at = now_ms() + g.cfg.ttl * 1000 / 3;
	if (vw_etcd_lease_keepalive(g.etcd, g.lease, &ttl)) {
		/*
		 * One call that outlasts the timeout (a loaded etcd) is not
		 * an outage: try again soon, and only the second failure in
		 * a row drops the watch and makes the directory unreachable.
		 */
		if (++g.keepalive_fails < KEEPALIVE_STRIKES) {
			logf_("lease keepalive failed (%s): trying again",
			      vw_etcd_error(g.etcd));
			g.keepalive_at = now_ms() + BACKOFF_MIN_MS;
			return;
		}
		g.keepalive_fails = 0;
		dir_down("lease keepalive");
		return;
	}
	g.keepalive_fails = 0;
	if (!ttl) {
		/* Expired: this host's keys are gone; connect again. */
		logf_("lease %" PRIx64 " expired: registering again", g.lease);
		g.lease = 0;
		if (g.watch) {
			vw_etcd_watch_stop(g.watch);
			g.watch = NULL;
		}
		g.connected = false;
		dir_connect();
	}
}

/* Reconcile and act. */

static void log_action(const struct vwd_action *a, const char *what)
{
	char cmd[1024];

	vwd_action_cmdline(a, cmd, sizeof(cmd));
	logf_("%u %s: %s: %s", a->id, a->dev, a->reason, what ? what : cmd);
}

static int do_activate(const struct vwd_action *a)
{
	char keys[5][VWD_KEYLEN], cprefix[VWD_KEYLEN], *val;
	struct vw_etcd_op ops[5];
	struct vwd_reg *r = find_reg(a->dev);
	struct vwd_end e;
	size_t i, n = 0;
	int ret;

	if (!r)
		return -1;
	end_of_reg(r, &e);
	e.standby = false;
	val = vwd_end_json(&e);
	if (!val)
		return -1;
	vwd_key_end(keys[0], sizeof(keys[0]), g.cfg.prefix, &e);
	ops[n++] = (struct vw_etcd_op){ keys[0], val, g.lease };
	for (i = 0; i < a->ndel && i < 4; i++) {
		vwd_key_end(keys[n], sizeof(keys[n]), g.cfg.prefix, &a->del[i]);
		ops[n] = (struct vw_etcd_op){ keys[n], NULL, 0 };
		n++;
	}
	vwd_key_connector(cprefix, sizeof(cprefix), g.cfg.prefix, a->id);
	ret = vw_etcd_txn(g.etcd, cprefix, g.view.revision, ops, n);
	if (!ret) {
		r->standby = false;
		strcpy(r->accept_src, a->accept);
		save_state();
		apply_kv(keys[0], val);
		for (i = 1; i < n; i++)
			apply_kv(keys[i], NULL);
		log_action(a, "directory txn: this end active");
	} else if (ret == -2) {
		log_action(a, "directory txn lost a race: trying again with the directory's view");
	} else {
		dir_down("activation txn");
	}
	free(val);
	return ret;
}

/* @a ran: what follows for the registration. */
static void after_run(const struct vwd_action *a, int rc)
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
	r = find_reg(a->dev);
	if (!r)
		return;
	r->relaying = true;
	strcpy(r->relay, a->relay);
	save_state();
}

static int register_end(const struct vwd_reg *r, char *err, size_t len);

/*
 * Reconcile until nothing is left to do (a command changes the kernel,
 * which is read again), at most a few rounds: a command that keeps
 * failing is logged each time, not retried in a loop.
 */
static void reconcile(void)
{
	struct vwd_self self = {
		.host = g.cfg.host, .addrs = g.cfg.addrs,
		.naddrs = g.cfg.naddrs, .connected = g.connected,
	};
	char err[512];
	struct vwd_reg *r;
	int round, ret;
	size_t i;

	for (round = 0; round < 4; round++) {
		bool ran = false, again = false;

		if (!g.kernel_ok)
			read_kernel();
		vwd_plan_free(&g.last);
		if (vwd_reconcile(&self, &g.view, g.regs, g.nregs, &g.kernel,
				  &g.last)) {
			logf_("out of memory");
			return;
		}
		for (i = 0; i < g.last.nst && i < g.nregs; i++)
			if (g.last.st[i].has_far)
				strcpy(g.regs[i].last_far, g.last.st[i].far.host);
		/* Without the kernel's state, vwd cannot tell a right wire. */
		if (!g.kernel_ok)
			return;
		for (i = 0; i < g.last.nacts; i++) {
			struct vwd_action *a = &g.last.acts[i];
			char *argv[VWD_MAX_WORDS + 1];
			size_t j;

			switch (a->kind) {
			case VWD_ACT_RUN:
				for (j = 0; j < a->nwords; j++)
					argv[j] = a->words[j];
				argv[j] = NULL;
				log_action(a, NULL);
				after_run(a, run_cmd(argv, NULL));
				ran = true;
				break;
			case VWD_ACT_PUT:
				if (!g.connected || !(r = find_reg(a->dev)))
					break;
				/* As a connect: checked against the others. */
				ret = register_end(r, err, sizeof(err));
				if (ret == 1) {
					logf_("%u %s: registration refused: %s; the end stays as it is",
					      a->id, a->dev, err);
					r->refused = true;
					save_state();
				} else if (!ret) {
					log_action(a, "directory put");
				}
				again = !ret;
				break;
			case VWD_ACT_ACTIVATE:
				if (!g.connected)
					break;
				if (!do_activate(a))
					again = true;
				break;
			}
		}
		if (ran)
			read_kernel();
		if (!ran && !again)
			return;
	}
}

/* The monitor child: kernel events, activation among them. */

static void monitor_start(void)
{
	char *argv[] = { g.cfg.vwctl, "monitor", "--json", NULL };
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
	g.mon_pid = pid;
	g.mon_fd = pfd[0];
	g.mon_len = 0;
	/* Events from before it started are in this read. */
	read_kernel();
}

static void monitor_stop(void)
{
	int status;

	if (g.mon_fd >= 0)
		close(g.mon_fd);
	g.mon_fd = -1;
	if (g.mon_pid > 0) {
		kill(g.mon_pid, SIGTERM);
		waitpid(g.mon_pid, &status, 0);
	}
	g.mon_pid = 0;
}

/* 1: an event changed the kernel state; 0: nothing; -1: the child ended. */
static int monitor_read(void)
{
	char dev[IFNAMSIZ], *nl, *line;
	int changed = 0;
	ssize_t n;

	n = read(g.mon_fd, g.mon_buf + g.mon_len,
		 sizeof(g.mon_buf) - g.mon_len - 1);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		if (!g.mon_warned)
			logf_("vwctl monitor ended: restarting it every %d ms",
			      MONITOR_RETRY_MS);
		g.mon_warned = true;
		monitor_stop();
		g.mon_retry_at = now_ms() + MONITOR_RETRY_MS;
		return -1;
	}
	g.mon_warned = false;
	g.mon_len += n;
	g.mon_buf[g.mon_len] = 0;
	line = g.mon_buf;
	while ((nl = strchr(line, '\n'))) {
		*nl = 0;
		if (vwd_kernel_event(&g.kernel, line, dev) == 1) {
			changed = 1;
			if (g.cfg.verbose)
				logf_("kernel event: %s", line);
		}
		line = nl + 1;
	}
	g.mon_len -= line - g.mon_buf;
	memmove(g.mon_buf, line, g.mon_len);
	if (g.mon_len == sizeof(g.mon_buf) - 1)
		g.mon_len = 0;	/* a line longer than the buffer: dropped */
	return changed;
}

/* The watch. */

static int watch_read(void)
{
	struct vw_etcd_event ev;
	int ret, changed = 0;

	while ((ret = vw_etcd_watch_next(g.watch, &ev)) == 1) {
		apply_kv(ev.kv.key, ev.deleted ? NULL : ev.kv.value);
		if (ev.kv.mod_revision > g.view.revision)
			g.view.revision = ev.kv.mod_revision;
		if (g.cfg.verbose)
			logf_("directory %s %s", ev.deleted ? "delete" : "put",
			      ev.kv.key);
		vw_etcd_event_free(&ev);
		changed = 1;
	}
	if (ret == -1) {
		logf_("the watch cannot resume (compacted): reading the directory again");
		vw_etcd_watch_stop(g.watch);
		g.watch = NULL;
		g.connected = false;
		if (!dir_connect())
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

static bool dev_taken(const char *dev)
{
	return find_reg(dev) || vwd_kernel_find(&g.kernel, dev);
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

static json_object *status_reply(bool has_id, uint32_t id)
{
	json_object *o = ok_reply(), *d, *arr, *eps;
	char lease[32];
	size_t i;

	json_object_object_add(o, "host", json_object_new_string(g.cfg.host));
	d = json_object_new_object();
	json_object_object_add(d, "connected",
			       json_object_new_boolean(g.connected));
	json_object_object_add(d, "since", json_object_new_int64(g.since));
	if (!g.connected)
		json_object_object_add(d, "error",
				       json_object_new_string(g.dir_error));
	eps = json_object_new_array();
	for (i = 0; i < g.cfg.nendpoints; i++)
		json_object_array_add(eps,
				json_object_new_string(g.cfg.endpoints[i]));
	json_object_object_add(d, "endpoints", eps);
	json_object_object_add(d, "revision",
			       json_object_new_int64(g.view.revision));
	snprintf(lease, sizeof(lease), "%" PRIx64, g.lease);
	json_object_object_add(d, "lease", json_object_new_string(lease));
	json_object_object_add(o, "directory", d);
	arr = json_object_new_array();
	for (i = 0; i < g.last.nst && i < g.nregs; i++) {
		const struct vwd_rstatus *st = &g.last.st[i];
		const struct vwd_reg *r = &g.regs[i];
		const struct vwd_kep *ep = vwd_kernel_find(&g.kernel, st->dev);
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
			r->relaying || !!vwd_view_find(&g.view, r->id,
						       g.cfg.host, r->dev)));
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
static int register_end(const struct vwd_reg *r, char *err, size_t len)
{
	struct vwd_self self = { .host = g.cfg.host, .addrs = g.cfg.addrs,
				 .naddrs = g.cfg.naddrs, .connected = true };
	char cprefix[VWD_KEYLEN], key[VWD_KEYLEN], *val;
	struct vw_etcd_kv *kvs;
	struct vw_etcd_op op;
	struct vwd_end e;
	int attempt, ret = -1;
	int64_t rev;
	size_t i, n;

	vwd_key_connector(cprefix, sizeof(cprefix), g.cfg.prefix, r->id);
	end_of_reg(r, &e);
	vwd_key_end(key, sizeof(key), g.cfg.prefix, &e);
	val = vwd_end_json(&e);
	if (!val)
		return -1;
	for (attempt = 0; attempt < 5; attempt++) {
		struct vwd_view cv = { 0 };
		const char *why;

		if (vw_etcd_range(g.etcd, cprefix, true, &kvs, &n, &rev)) {
			dir_down("range");
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
			    kvs[i].lease == g.lease)
				break;
		if (attempt && i < n) {
			vw_etcd_kvs_free(kvs, n);
			apply_kv(key, val);
			ret = 0;
			break;
		}
		for (i = 0; i < n; i++)
			vwd_view_apply(&cv, g.cfg.prefix, kvs[i].key,
				       kvs[i].value, &why);
		vw_etcd_kvs_free(kvs, n);
		if (vwd_connect_check(&self, &cv, r, err, len)) {
			vwd_view_clear(&cv);
			ret = 1;
			break;
		}
		vwd_view_clear(&cv);
		op = (struct vw_etcd_op){ key, val, g.lease };
		ret = vw_etcd_txn(g.etcd, cprefix, rev, &op, 1);
		if (ret == -2)
			continue;
		if (ret)
			dir_down("connect txn");
		else
			apply_kv(key, val);
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

static json_object *do_connect(json_object *req)
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
			if (!dev_taken(r.dev))
				break;
		}
	} else if (find_reg(r.dev)) {
		snprintf(err, sizeof(err), "dev %s is already connected (connector %u)",
			 r.dev, find_reg(r.dev)->id);
		return error_reply(err, 3);
	} else if (vwd_kernel_find(&g.kernel, r.dev)) {
		snprintf(err, sizeof(err), "dev %s already exists and vwd did not make it: pick another name or delete it",
			 r.dev);
		return error_reply(err, 3);
	}
	/* vwctl checked it; a request from elsewhere gets a word's check. */
	if (strspn(r.vm_mac, "0123456789abcdef:,") != strlen(r.vm_mac))
		return error_reply("vm-mac: MAC[,MAC...], lower case", 2);
	if (r.standby && !r.vm[0])
		return error_reply("standby needs vm NAME: the VM whose end moves here", 2);
	ret = g.connected ? register_end(&r, err, sizeof(err)) : -1;
	if (ret == 1) {
		logf_("%u %s: connect refused: %s", r.id, r.dev, err);
		return error_reply(err, 1);
	}
	m = (void *)realloc(g.regs, (g.nregs + 1) * sizeof(*g.regs));
	if (!m)
		return error_reply("out of memory", 1);
	g.regs = (struct vwd_reg *)m;
	g.regs[g.nregs++] = r;
	save_state();
	logf_("%u %s: connected%s%s%s", r.id, r.dev,
	      r.standby ? " in standby for vm " : "", r.standby ? r.vm : "",
	      ret ? " (directory unreachable: registration pending)" : "");
	reconcile();
	o = ok_reply();
	json_object_object_add(o, "id", json_object_new_int64(r.id));
	json_object_object_add(o, "dev", json_object_new_string(r.dev));
	json_object_object_add(o, "pending", json_object_new_boolean(ret != 0));
	for (i = 0; i < g.last.nst; i++)
		if (!strcmp(g.last.st[i].dev, r.dev))
			json_object_object_add(o, "state",
				json_object_new_string(g.last.st[i].state));
	return o;
}

static json_object *do_disconnect(json_object *req)
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
	for (i = 0; i < g.nregs;) {
		struct vwd_reg *r = &g.regs[i];
		char *argv[] = { "vwctl", "del", "dev", r->dev, "--if-exists",
				 NULL };
		struct vwd_end e;
		int rc;

		if ((has_id == 1 && r->id != id) || (dev[0] && strcmp(r->dev, dev))) {
			i++;
			continue;
		}
		rc = run_cmd(argv, NULL);
		logf_("%u %s: disconnect: vwctl del dev %s --if-exists%s", r->id,
		      r->dev, r->dev, rc ? " (failed)" : "");
		end_of_reg(r, &e);
		vwd_key_end(key, sizeof(key), g.cfg.prefix, &e);
		if (!r->relaying && vwd_view_find(&g.view, r->id, g.cfg.host,
						  r->dev)) {
			if (g.connected && vw_etcd_delete(g.etcd, key, false))
				dir_down("delete");
			if (g.connected)
				apply_kv(key, NULL);
			else
				pending = true;
		}
		*r = g.regs[--g.nregs];
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
	save_state();
	read_kernel();
	reconcile();
	o = ok_reply();
	json_object_object_add(o, "removed", json_object_new_int64(done));
	json_object_object_add(o, "pending", json_object_new_boolean(pending));
	return o;
}

static void handle_control(void)
{
	json_object *req = NULL, *rep, *m;
	char *text = NULL;
	const char *cmd;
	uint32_t id = 0;
	int cfd, has_id;

	if (vwd_control_accept(g.ctl_fd, &cfd, &text))
		return;
	req = json_tokener_parse(text);
	if (!req || !json_object_object_get_ex(req, "cmd", &m)) {
		rep = error_reply("a request is a JSON object with \"cmd\"", 2);
		goto out;
	}
	cmd = json_object_get_string(m);
	if (!strcmp(cmd, "connect")) {
		rep = do_connect(req);
	} else if (!strcmp(cmd, "disconnect")) {
		rep = do_disconnect(req);
	} else if (!strcmp(cmd, "status")) {
		has_id = get_id(req, &id);
		if (!g.last.st && g.nregs)
			reconcile();
		rep = status_reply(has_id == 1, id);
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

static int next_timeout(void)
{
	int64_t now = now_ms(), t = now + 60000;

	if (g.connected && g.keepalive_at < t)
		t = g.keepalive_at;
	if (!g.connected && g.retry_at < t)
		t = g.retry_at;
	if (g.mon_fd < 0 && g.mon_retry_at < t)
		t = g.mon_retry_at;
	return t <= now ? 0 : (int)(t - now);
}

int main(int argc, char **argv)
{
	struct vw_etcd_opts eo = { 0 };
	char *password = NULL;
	struct pollfd fds[4];
	sigset_t sigs;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "status"))
		return status_main(argc, argv);
	setvbuf(stderr, NULL, _IOLBF, 0);
	strcpy(g.cfg.prefix, "/virtualwire");
	g.cfg.ttl = 10;
	g.cfg.timeout = 5;
	if (vwd_config_parse(&g.cfg, argc, argv))
		return 2;
	if (!g.cfg.state)
		g.cfg.state = "/run/virtualwire/vwd.state";
	if (!g.cfg.vwctl)
		g.cfg.vwctl = "vwctl";
	if (!g.cfg.ip)
		g.cfg.ip = "ip";
	if (g.cfg.password_file && !(password = vwd_config_password(g.cfg.password_file)))
		return 1;
	{
		char dir[PATH_MAX], *slash;

		snprintf(dir, sizeof(dir), "%s", g.cfg.state);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = 0;
			mkdir(dir, 0755);
		}
	}
	g.mon_fd = -1;
	g.ctl_fd = vwd_control_listen();
	if (g.ctl_fd < 0) {
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
	g.sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (load_state())
		return 1;
	eo.endpoints = (const char *const *)g.cfg.endpoints;
	eo.nendpoints = g.cfg.nendpoints;
	eo.cacert = g.cfg.cacert;
	eo.cert = g.cfg.cert;
	eo.key = g.cfg.key;
	eo.user = g.cfg.user;
	eo.password = password;
	eo.timeout_ms = g.cfg.timeout * 1000;
	g.etcd = vw_etcd_new(&eo);
	if (!g.etcd) {
		fputs("vwd: cannot set up the etcd client\n", stderr);
		return 1;
	}
	logf_("host %s, %zu address%s, etcd %s%s, prefix %s, ttl %d s, state %s",
	      g.cfg.host, g.cfg.naddrs, g.cfg.naddrs == 1 ? "" : "es",
	      g.cfg.endpoints[0], g.cfg.nendpoints > 1 ? ",..." : "",
	      g.cfg.prefix, g.cfg.ttl, g.cfg.state);
	monitor_start();
	dir_connect();
	reconcile();

	for (;;) {
		int n = 0, changed = 0;

		fds[n++] = (struct pollfd){ .fd = g.sig_fd, .events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = g.ctl_fd, .events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = g.mon_fd, .events = POLLIN };
		fds[n++] = (struct pollfd){
			.fd = g.watch ? vw_etcd_watch_fd(g.watch) : -1,
			.events = POLLIN };
		ret = poll(fds, n, next_timeout());
		if (ret < 0 && errno != EINTR) {
			perror("vwd: poll");
			break;
		}
		if (fds[0].revents) {
			struct signalfd_siginfo si;

			if (read(g.sig_fd, &si, sizeof(si)) < 0)
				si.ssi_signo = SIGTERM;
			/* No revoke, no kernel change: fail static. */
			logf_("stopping on signal %u: wires and the lease are left as they are",
			      si.ssi_signo);
			break;
		}
		if (fds[2].revents && monitor_read())
			changed = 1;
		if (g.watch && fds[3].revents && watch_read())
			changed = 1;
		if (fds[1].revents)
			handle_control();
		if (g.mon_fd < 0 && now_ms() >= g.mon_retry_at)
			monitor_start(), changed = 1;
		if (g.connected && now_ms() >= g.keepalive_at)
			keepalive();
		if (!g.connected && now_ms() >= g.retry_at && !dir_connect())
			changed = 1;
		if (changed)
			reconcile();
	}
	monitor_stop();
	if (g.watch)
		vw_etcd_watch_stop(g.watch);
	vw_etcd_free(g.etcd);
	free(password);
	return 0;
}
