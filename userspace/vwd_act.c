// SPDX-License-Identifier: GPL-2.0
/*
 * Reconcile and act: reconcile.c plans from the registrations, the
 * directory's view and the kernel; this carries the plan out (vwctl
 * commands, registrations, activation txns) and plans again.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "vwd_act.h"
#include "vwd_dir.h"
#include "vwd_kernel.h"
#include "vwd_regs.h"

static void log_action(const struct vwd_action *a, const char *what)
{
	char cmd[1024];

	vwd_action_cmdline(a, cmd, sizeof(cmd));
	vwd_log("%u %s: %s: %s", a->id, a->dev, a->reason, what ? what : cmd);
}

static int do_activate(struct vwd *vwd, const struct vwd_action *a)
{
	char keys[5][VWD_KEYLEN], cprefix[VWD_KEYLEN], *val;
	struct vw_etcd_op ops[5];
	struct vwd_reg *r = vwd_reg_find(vwd, a->dev);
	struct vwd_end e;
	size_t i, n = 0;
	int ret;

	if (!r)
		return -1;
	vwd_reg_end(vwd, r, &e);
	e.standby = false;
	val = vwd_end_json(&e);
	if (!val)
		return -1;
	vwd_key_end(keys[0], sizeof(keys[0]), vwd->cfg.prefix, &e);
	ops[n++] = (struct vw_etcd_op){ keys[0], val, vwd->lease };
	for (i = 0; i < a->ndel && i < 4; i++) {
		vwd_key_end(keys[n], sizeof(keys[n]), vwd->cfg.prefix,
			    &a->del[i]);
		ops[n] = (struct vw_etcd_op){ keys[n], NULL, 0 };
		n++;
	}
	vwd_key_connector(cprefix, sizeof(cprefix), vwd->cfg.prefix, a->id);
	ret = vw_etcd_txn(vwd->etcd, cprefix, vwd->view.revision, ops, n);
	if (!ret) {
		r->standby = false;
		strcpy(r->accept_src, a->accept);
		vwd_regs_save(vwd);
		vwd_dir_apply(vwd, keys[0], val);
		for (i = 1; i < n; i++)
			vwd_dir_apply(vwd, keys[i], NULL);
		log_action(a, "directory txn: this end active");
	} else if (ret == -2) {
		log_action(a, "directory txn lost a race: trying again with the directory's view");
	} else {
		vwd_dir_down(vwd, "activation txn");
	}
	free(val);
	return ret;
}

/* @a ran: what follows for the registration. */
static void after_run(struct vwd *vwd, const struct vwd_action *a, int rc)
{
	struct vwd_reg *r;

	if (rc) {
		char cmd[1024];

		vwd_action_cmdline(a, cmd, sizeof(cmd));
		vwd_log("%u %s: failed (exit %d): %s", a->id, a->dev, rc, cmd);
		return;
	}
	if (!a->relaying)
		return;
	r = vwd_reg_find(vwd, a->dev);
	if (!r)
		return;
	r->relaying = true;
	strcpy(r->relay, a->relay);
	vwd_regs_save(vwd);
}

/*
 * Reconcile until nothing is left to do (a command changes the kernel,
 * which is read again), at most a few rounds: a command that keeps
 * failing is logged each time, not retried in a loop.
 */
void vwd_act(struct vwd *vwd)
{
	struct vwd_self self = {
		.host = vwd->cfg.host, .addrs = vwd->cfg.addrs,
		.naddrs = vwd->cfg.naddrs, .connected = vwd->connected,
	};
	char err[512];
	struct vwd_reg *r;
	int round, ret;
	size_t i;

	for (round = 0; round < 4; round++) {
		bool ran = false, again = false;

		if (!vwd->kernel_ok)
			vwd_read_kernel(vwd);
		vwd_plan_free(&vwd->last);
		if (vwd_reconcile(&self, &vwd->view, vwd->regs, vwd->nregs,
				  &vwd->kernel, &vwd->last)) {
			vwd_log("out of memory");
			return;
		}
		for (i = 0; i < vwd->last.nst && i < vwd->nregs; i++)
			if (vwd->last.st[i].has_far)
				strcpy(vwd->regs[i].last_far,
				       vwd->last.st[i].far.host);
		/* Without the kernel's state, vwd cannot tell a right wire. */
		if (!vwd->kernel_ok)
			return;
		for (i = 0; i < vwd->last.nacts; i++) {
			struct vwd_action *a = &vwd->last.acts[i];
			char *argv[VWD_MAX_WORDS + 1];
			size_t j;

			switch (a->kind) {
			case VWD_ACT_RUN:
				for (j = 0; j < a->nwords; j++)
					argv[j] = a->words[j];
				argv[j] = NULL;
				log_action(a, NULL);
				after_run(vwd, a, vwd_run(vwd, argv, NULL));
				ran = true;
				break;
			case VWD_ACT_PUT:
				if (!vwd->connected ||
				    !(r = vwd_reg_find(vwd, a->dev)))
					break;
				/* As a connect: checked against the others. */
				ret = vwd_dir_register(vwd, r, err,
						       sizeof(err));
				if (ret == 1) {
					vwd_log("%u %s: registration refused: %s; the end stays as it is",
						a->id, a->dev, err);
					r->refused = true;
					vwd_regs_save(vwd);
				} else if (!ret) {
					log_action(a, "directory put");
				}
				again = !ret;
				break;
			case VWD_ACT_ACTIVATE:
				if (!vwd->connected)
					break;
				if (!do_activate(vwd, a))
					again = true;
				break;
			}
		}
		if (ran)
			vwd_read_kernel(vwd);
		if (!ran && !again)
			return;
	}
}
