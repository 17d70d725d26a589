/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel as vwd sees it: it runs vwctl and ip, reads the endpoints
 * with vwctl show --json, and follows their changes through a child
 * vwctl monitor --json.  vwd changes the kernel only through vwctl.
 */
#ifndef VWD_KERNEL_H
#define VWD_KERNEL_H

#include "vwd.h"

/*
 * Run @argv (argv[0] "vwctl" or "ip", replaced by the configured path),
 * its stdout into *out when out is not NULL (malloc'd).  The exit code,
 * or -1 when it could not run.
 */
int vwd_run(struct vwd *vwd, char *const *argv, char **out);
/* vwd->kernel from vwctl show --json; vwd->kernel_ok says if it answered. */
void vwd_read_kernel(struct vwd *vwd);

/* Start the monitor child (vwd->mon_fd) and read the kernel again. */
void vwd_monitor_start(struct vwd *vwd);
void vwd_monitor_stop(struct vwd *vwd);
/* 1: an event changed the kernel state; 0: nothing; -1: the child ended. */
int vwd_monitor_read(struct vwd *vwd);

#endif /* VWD_KERNEL_H */
