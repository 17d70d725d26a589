/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vwd's side of the control requests (control.h has the protocol):
 * connect, disconnect and status.
 */
#ifndef VWD_REQUEST_H
#define VWD_REQUEST_H

#include "vwd.h"

/* Accept one request on vwd->ctl_fd, carry it out and reply. */
void vwd_request_handle(struct vwd *vwd);

#endif /* VWD_REQUEST_H */
