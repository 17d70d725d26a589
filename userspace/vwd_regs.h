/* SPDX-License-Identifier: GPL-2.0 */
/*
 * This host's registrations (vwd->regs, the connector ends vwctl connect
 * asked for), and the state file that keeps them across a restart.
 */
#ifndef VWD_REGS_H
#define VWD_REGS_H

#include <json-c/json.h>

#include "vwd.h"

struct vwd_reg *vwd_reg_find(struct vwd *vwd, const char *dev);
/* The directory end that registers @r. */
void vwd_reg_end(const struct vwd *vwd, const struct vwd_reg *r,
		 struct vwd_end *e);

/* Write the state file (beside it, then renamed); -1 after logging why. */
int vwd_regs_save(struct vwd *vwd);
/* Read it into vwd->regs: none when it is missing or does not parse. */
int vwd_regs_load(struct vwd *vwd);

#endif /* VWD_REGS_H */
