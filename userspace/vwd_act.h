/* SPDX-License-Identifier: GPL-2.0 */
/* Reconcile and act: the plan of reconcile.c carried out. */
#ifndef VWD_ACT_H
#define VWD_ACT_H

#include "vwd.h"

/*
 * Reconcile the registrations, the directory's view and the kernel, and
 * carry out the plan (run vwctl, register, activate) until nothing is
 * left to do; vwd->last keeps the plan for status.
 */
void vwd_act(struct vwd *vwd);

#endif /* VWD_ACT_H */
