// SPDX-License-Identifier: GPL-2.0
/*
 * vwd: the VirtualWire endpoint controller, one per host (network
 * namespace).  It registers this host's connector ends in an etcd
 * directory under its lease, watches the directory, and keeps each local
 * end's kernel config in step with it, driving the kernel only through
 * vwctl (vwd(8), Documentation/controller.rst).
 *
 * One thread (the etcd client's watch and lease keeper have their own):
 * a poll loop over the signals, the control socket, the watch's and the
 * keeper's pipes, the stdout of a child "vwctl monitor --json", and a
 * timer for the reconnect backoff.
 *
 * Fail static: nothing here changes the kernel because the directory is
 * unreachable, and a stop (SIGTERM, SIGINT) leaves the kernel and the
 * lease alone: a vwd that restarts finds its wires running and runs
 * nothing for those that are right.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control.h"
#include "vwd.h"
#include "vwd_act.h"
#include "vwd_dir.h"
#include "vwd_kernel.h"
#include "vwd_regs.h"
#include "vwd_request.h"

void vwd_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("vwd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* vwd status [ID] [--json]: what vwctl directory prints. */
static int status_main(int argc, char **argv)
{
	return vwd_status_cmd("vwd", argc - 2, argv + 2, false, stderr);
}

static int next_timeout(struct vwd *vwd)
{
	int64_t now = vwd_now_ms(), t = now + 60000;

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
	struct pollfd fds[5];
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
	if (vwd_regs_load(vwd))
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
	vwd_log("host %s, %zu address%s, etcd %s%s, prefix %s, ttl %d s, state %s",
		vwd->cfg.host, vwd->cfg.naddrs, vwd->cfg.naddrs == 1 ? "" : "es",
		vwd->cfg.endpoints[0], vwd->cfg.nendpoints > 1 ? ",..." : "",
		vwd->cfg.prefix, vwd->cfg.ttl, vwd->cfg.state);
	vwd_monitor_start(vwd);
	vwd_dir_connect(vwd);
	vwd_act(vwd);

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
		fds[n++] = (struct pollfd){
			.fd = vwd->keeper ? vw_etcd_keeper_fd(vwd->keeper) : -1,
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
			vwd_log("stopping on signal %u: wires and the lease are left as they are",
				si.ssi_signo);
			break;
		}
		if (fds[2].revents && vwd_monitor_read(vwd))
			changed = 1;
		if (vwd->watch && fds[3].revents && vwd_dir_watch_read(vwd))
			changed = 1;
		if (vwd->keeper && fds[4].revents && vwd_dir_keeper_read(vwd))
			changed = 1;
		if (fds[1].revents)
			vwd_request_handle(vwd);
		if (vwd->mon_fd < 0 && vwd_now_ms() >= vwd->mon_retry_at)
			vwd_monitor_start(vwd), changed = 1;
		if (!vwd->connected && vwd_now_ms() >= vwd->retry_at &&
		    !vwd_dir_connect(vwd))
			changed = 1;
		if (changed)
			vwd_act(vwd);
	}
	vwd_monitor_stop(vwd);
	vwd_dir_stop(vwd);
	vw_etcd_free(vwd->etcd);
	free(password);
	return 0;
}
