/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vwd must do, as a pure function: the directory's view, this host's
 * registrations and the kernel's endpoints (vwctl show --json) in, the
 * vwctl commands and directory writes out, each with a one-line reason,
 * and each registration's status.  No etcd, no kernel, no clock: the unit
 * tests drive every rule (tests/test_reconcile.c).
 *
 * The rules (Documentation/controller.rst, "The state of an end"):
 * - the far end of an active end is the one other active end of its
 *   connector; none: a new end waits (an unbound device), a wired end
 *   keeps its last config (far end gone: an operator decides);
 * - on this host it makes a local wire (peer), elsewhere a UDP wire to
 *   the far host's address of a family this host has;
 * - more than two active ends, or a far end of another format: a
 *   conflict, reported, nothing run;
 * - a standby end (a VM arriving) sends to the far end of the VM's end
 *   and accepts the VM's current end (which will relay to it), with the
 *   VM's MACs (vm-mac) when the connect gave them; the far end accepts
 *   the standby end's host too, with roam on, so that the VM's first
 *   frame there re-points it in the kernel, without waiting for vwd; its
 *   remote at that host is in step until the directory catches up (a
 *   roamed wire is never put back); with no standby end left, the far
 *   end wants its plain remote again (no accept, no roam);
 * - a standby end the kernel says is active (the VM's first frame):
 *   one transaction makes it active and deletes the VM's old end;
 * - an end whose key went and whose VM is active elsewhere relays there;
 * - a right wire gets no command.
 */
#ifndef VWD_RECONCILE_H
#define VWD_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "directory.h"

#define VWD_MAX_ACCEPT	8
#define VWD_MAX_VM_MAC	8
/* "52:54:00:12:34:56,..." (lower case), up to VWD_MAX_VM_MAC of them */
#define VWD_VM_MAC_LEN	(VWD_MAX_VM_MAC * 18)

/* An endpoint as the kernel reports it (the members vwd looks at). */
struct vwd_kep {
	bool bound;
	uint32_t id;
	char dev[IFNAMSIZ];
	char wire[8];			/* "udp", "local" or "" */
	char remote[VWD_ADDRLEN];
	char peer[IFNAMSIZ];
	uint16_t port;
	char format[8];
	char state[16];			/* "active", "standby", "relay", "" */
	char relay[VWD_ADDRLEN];
	char accept[VWD_MAX_ACCEPT][VWD_ADDRLEN + 4];	/* "ADDR/LEN" */
	size_t naccept;
	bool roam;
	char vm_mac[VWD_VM_MAC_LEN];	/* as vwd_reg's, "" for none */
};

struct vwd_kernel {
	struct vwd_kep *eps;
	size_t n;
};

/* A connect this host's vwd holds (and keeps in its state file). */
struct vwd_reg {
	uint32_t id;
	char dev[IFNAMSIZ];
	char format[8];
	bool standby;
	char vm[VWD_NAMELEN];
	/* The VM's MACs, for its kernel endpoint: its first frame activates
	 * a standby end (else only an announce does); "" for none. */
	char vm_mac[VWD_VM_MAC_LEN];
	bool relaying;			/* moved away: relays, has no key */
	bool refused;			/* its late registration was refused */
	char last_far[VWD_NAMELEN];	/* vwd's: the far host it last had */
	/* An end that took over a VM keeps accepting the relay of its old host. */
	char accept_src[VWD_ADDRLEN];
	char relay[VWD_ADDRLEN];
};

struct vwd_self {
	const char *host;
	const char (*addrs)[VWD_ADDRLEN];
	size_t naddrs;
	bool connected;			/* the directory is reachable */
};

enum vwd_act_kind {
	VWD_ACT_RUN,			/* run words[] (vwctl or ip) */
	VWD_ACT_PUT,			/* put this end's key */
	VWD_ACT_ACTIVATE,		/* txn: this end active, del[] gone */
};

#define VWD_MAX_WORDS	24

struct vwd_action {
	enum vwd_act_kind kind;
	uint32_t id;
	char dev[IFNAMSIZ];
	char reason[512];
	char words[VWD_MAX_WORDS][VWD_ADDRLEN * 2];
	size_t nwords;
	/* RUN: after it ran, the registration relays to relay[] */
	bool relaying;
	char relay[VWD_ADDRLEN];
	/* ACTIVATE: the ends whose keys the transaction deletes, and the
	 * address of the VM's old host (accept_src from then on) */
	struct vwd_end del[4];
	size_t ndel;
	char accept[VWD_ADDRLEN];
};

struct vwd_rstatus {
	uint32_t id;
	char dev[IFNAMSIZ];
	const char *state;	/* waiting wired standby relaying conflict */
	bool has_far;
	struct vwd_end far;
	char far_addr[VWD_ADDRLEN];	/* "" for a local wire */
	bool far_gone;			/* wired, no far end any more */
	bool in_step;			/* no command needed */
	char conflict[512];		/* "" when none */
};

struct vwd_plan {
	struct vwd_action *acts;
	size_t nacts;
	struct vwd_rstatus *st;		/* one per registration, in order */
	size_t nst;
};

/* 0, or -1: out of memory. */
int vwd_reconcile(const struct vwd_self *self, const struct vwd_view *view,
		  const struct vwd_reg *regs, size_t nregs,
		  const struct vwd_kernel *k, struct vwd_plan *plan);
void vwd_plan_free(struct vwd_plan *plan);

/* "vwctl replace 42 dev vw0 ..." into buf, for logs. */
void vwd_action_cmdline(const struct vwd_action *a, char *buf, size_t len);

/*
 * May @reg be registered now?  0, or -1 with the refusal in err, in the
 * operator's words ("connector 42 already has two active ends: ...").
 */
int vwd_connect_check(const struct vwd_self *self,
		      const struct vwd_view *view, const struct vwd_reg *reg,
		      char *err, size_t len);

/* The kernel's endpoints from a "vwctl show --json" document; 0 or -1. */
int vwd_kernel_parse(const char *json, struct vwd_kernel *k);
/*
 * Apply one "vwctl monitor --json" line to @k.  Returns 1 when it was an
 * event (its device in dev), 0 when the line is not one, -1 on memory.
 */
int vwd_kernel_event(struct vwd_kernel *k, const char *line,
		     char dev[IFNAMSIZ]);
const struct vwd_kep *vwd_kernel_find(const struct vwd_kernel *k,
				      const char *dev);
void vwd_kernel_clear(struct vwd_kernel *k);

#endif /* VWD_RECONCILE_H */
