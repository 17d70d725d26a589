/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vwctl's commands that talk to vwd rather than to the kernel: the words
 * after the command in argv, the exit code back (vwctl(8), EXIT STATUS),
 * messages on err.  vwctl directory is vwd_status_cmd() (control.h).
 */
#ifndef VWCTL_VWDCMD_H
#define VWCTL_VWDCMD_H

#include <stdbool.h>
#include <stdio.h>

int vwd_cmd_connect(int argc, char **argv, FILE *err);
int vwd_cmd_disconnect(int argc, char **argv, FILE *err);

struct vw_endpoint;
/*
 * For show: "far end gone (host b)" when this namespace's vwd holds the
 * endpoint and has seen its far end go; NULL otherwise, and when no vwd
 * answers (asked once, at the first call).
 */
const char *vwd_endpoint_note(const struct vw_endpoint *ep);

#endif /* VWCTL_VWDCMD_H */
