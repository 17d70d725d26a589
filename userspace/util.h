/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers of vwctl that need no kernel, kept apart to be tested. */
#ifndef VWCTL_UTIL_H
#define VWCTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "parse.h"

/*
 * In the order show and stats print them: bound endpoints by ID, then
 * the unbound ones by ifindex.  eps may be NULL when n is 0.
 */
void vw_sort_endpoints(struct vw_endpoint *eps, size_t n);

/* What the host says about the module when its family is absent. */
struct vw_modstate {
	char release[65];	/* the running kernel's, uname -r */
	char path[1200];	/* its virtualwire.ko, or "" when none */
	bool indexed;		/* path is in modules.dep: modprobe finds it */
	bool loaded;		/* /sys/module/virtualwire exists */
	bool disabled;		/* kernel.modules_disabled is 1 */
	bool root;		/* may load modules (effective UID 0) */
};

/* Read st's files under root ("/" but in tests) for kernel release. */
void vw_modstate_read(struct vw_modstate *st, const char *root,
		      const char *release);
/* The one line telling what is wrong and what to do, "vwctl: ...\n". */
void vw_module_hint(FILE *f, const struct vw_modstate *st);
/*
 * vw_module_hint() for this host.  The test hook VWCTL_TEST_ROOT (see
 * vw_nl_open()) names the directory to read instead of "/".
 */
void vw_not_loaded(FILE *f);

#endif /* VWCTL_UTIL_H */
