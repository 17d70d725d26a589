// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel as vwd sees it: vwctl and ip run, the endpoints read with
 * vwctl show --json, and a child vwctl monitor --json for the events in
 * between (activation among them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vwd_kernel.h"

#define MONITOR_RETRY_MS	2000

/* vwd blocks SIGTERM and SIGINT (its signalfd); its children must not. */
static void child_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
}

int vwd_run(struct vwd *vwd, char *const *argv, char **out)
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

void vwd_read_kernel(struct vwd *vwd)
{
	char *argv[] = { "vwctl", "show", "--json", NULL }, *out = NULL;
	struct vwd_kernel k;
	int rc = vwd_run(vwd, argv, &out);

	if (rc || !out || vwd_kernel_parse(out, &k)) {
		if (!vwd->kernel_warned)
			vwd_log("cannot read the kernel's endpoints (vwctl show --json exit %d): changing nothing until it answers",
				rc);
		vwd->kernel_ok = false;
		vwd->kernel_warned = true;
		free(out);
		return;
	}
	if (vwd->kernel_warned)
		vwd_log("the kernel's endpoints answer again");
	vwd->kernel_warned = false;
	free(out);
	vwd_kernel_clear(&vwd->kernel);
	vwd->kernel = k;
	vwd->kernel_ok = true;
}

void vwd_monitor_start(struct vwd *vwd)
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
	vwd_read_kernel(vwd);
}

void vwd_monitor_stop(struct vwd *vwd)
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

int vwd_monitor_read(struct vwd *vwd)
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
			vwd_log("vwctl monitor ended: restarting it every %d ms",
				MONITOR_RETRY_MS);
		vwd->mon_warned = true;
		vwd_monitor_stop(vwd);
		vwd->mon_retry_at = vwd_now_ms() + MONITOR_RETRY_MS;
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
				vwd_log("kernel event: %s", line);
		}
		line = nl + 1;
	}
	vwd->mon_len -= line - vwd->mon_buf;
	memmove(vwd->mon_buf, line, vwd->mon_len);
	if (vwd->mon_len == sizeof(vwd->mon_buf) - 1)
		vwd->mon_len = 0;	/* a line longer than the buffer: dropped */
	return changed;
}
