/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vwd's state, one struct vwd for the whole process, passed to each part
 * of it: the directory session (vwd_dir.c), the kernel through vwctl
 * (vwd_kernel.c), the registrations (vwd_regs.c), reconcile and act
 * (vwd_act.c), the control requests (vwd_request.c); vwd.c owns it and
 * runs the poll loop.  One thread touches it: the etcd watch's own thread
 * only fills a pipe.
 */
#ifndef VWD_H
#define VWD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "directory.h"
#include "etcd.h"
#include "reconcile.h"
#include "vwd_config.h"

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
	struct vw_etcd_keeper *keeper;	/* while connected */
	bool keeper_failed;	/* its last keepalive failed: said so */

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

/* "vwd: " and the message, a line on stderr. */
void vwd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline int64_t vwd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif /* VWD_H */
