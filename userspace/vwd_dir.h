/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vwd's session with the etcd directory: the lease and its keeper,
 * the view kept up to date by the watch, this host's keys, and the
 * registration of an end.  Fail static: when the directory is
 * unreachable, nothing here touches the kernel.
 */
#ifndef VWD_DIR_H
#define VWD_DIR_H

#include "vwd.h"

/* The directory is unreachable (@what failed): retry with backoff. */
void vwd_dir_down(struct vwd *vwd, const char *what);
/* A put (@value) or delete (NULL) of @key into vwd->view. */
void vwd_dir_apply(struct vwd *vwd, const char *key, const char *value);
/*
 * (Re)connect: keep the lease if it lives, else grant one; range the
 * prefix into a new view; move this host's keys under the lease (a key
 * of an end this host no longer has goes); watch from the range's
 * revision + 1.  0, or -1 (vwd_dir_down() was called).
 */
int vwd_dir_connect(struct vwd *vwd);
/*
 * The lease keeper said something (its fd was readable): a failure, a
 * second in a row (unreachable), expiry (connect again: 1 when that
 * read the directory again).
 */
int vwd_dir_keeper_read(struct vwd *vwd);
/* Stop the watch and the keeper, on the way out (the lease stays). */
void vwd_dir_stop(struct vwd *vwd);
/* The watch's events into the view: 1 when something changed. */
int vwd_dir_watch_read(struct vwd *vwd);
/*
 * Register @r in the directory, refused when it would make a conflict:
 * the check reads the connector and the txn writes only if nothing under
 * it changed since, so two racing connects cannot both win.  0; 1
 * refused (err says why); -1 unreachable (a pending registration).
 */
int vwd_dir_register(struct vwd *vwd, const struct vwd_reg *r, char *err,
		     size_t len);

#endif /* VWD_DIR_H */
