// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers of vwctl that need no kernel: the order of show's
 * endpoints, and what to tell the user when the module does not answer.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util.h"

static int ep_cmp(const void *a, const void *b)
{
	const struct vw_endpoint *x = a, *y = b;

	if (x->has_id != y->has_id)
		return x->has_id ? -1 : 1;
	if (x->has_id && x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return 0;
}

void vw_sort_endpoints(struct vw_endpoint *eps, size_t n)
{
	/* qsort()'s array must not be NULL, even for no element. */
	if (n > 1)
		qsort(eps, n, sizeof(*eps), ep_cmp);
}

/* The module's file names, as depmod and DKMS install it. */
static bool is_module_file(const char *path)
{
	static const char *const names[] = {
		"virtualwire.ko", "virtualwire.ko.xz", "virtualwire.ko.zst",
		"virtualwire.ko.gz",
	};
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(base, names[i]))
			return true;
	return false;
}

/* nftw() takes no argument: where the walk keeps what it found. */
static char found[1200];

static int find_module(const char *path, const struct stat *sb, int type,
		       struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type != FTW_F || !is_module_file(path))
		return 0;
	snprintf(found, sizeof(found), "%s", path);
	return 1;
}

static bool file_says(const char *path, const char *want)
{
	char buf[16] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return !strncmp(buf, want, strlen(want));
}

void vw_modstate_read(struct vw_modstate *st, const char *root,
		      const char *release)
{
	char dir[512], path[1024], line[1024];
	size_t rlen = strcmp(root, "/") ? strlen(root) : 0;
	FILE *f;

	memset(st, 0, sizeof(*st));
	snprintf(st->release, sizeof(st->release), "%s", release);
	snprintf(dir, sizeof(dir), "%.*s/lib/modules/%s", (int)rlen, root,
		 release);

	/* modules.dep is what modprobe goes by: "kernel/x/y.ko: deps". */
	snprintf(path, sizeof(path), "%s/modules.dep", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *end = strchr(line, ':');

		if (!end)
			continue;
		*end = '\0';
		if (!is_module_file(line))
			continue;
		if (line[0] == '/')
			snprintf(st->path, sizeof(st->path), "%s", line);
		else
			snprintf(st->path, sizeof(st->path),
				 "/lib/modules/%s/%s", release, line);
		st->indexed = true;
		break;
	}
	if (f)
		fclose(f);
	/* Not indexed: is the file there all the same (depmod not run)? */
	found[0] = '\0';
	if (!st->indexed && nftw(dir, find_module, 16, FTW_PHYS) == 1)
		snprintf(st->path, sizeof(st->path), "%s", found + rlen);

	snprintf(path, sizeof(path), "%.*s/sys/module/virtualwire",
		 (int)rlen, root);
	st->loaded = !access(path, F_OK);
	snprintf(path, sizeof(path), "%.*s/proc/sys/kernel/modules_disabled",
		 (int)rlen, root);
	st->disabled = file_says(path, "1");
	st->root = geteuid() == 0;
}

void vw_module_hint(FILE *f, const struct vw_modstate *st)
{
	const char *sudo = st->root ? "" : "sudo ";

	if (st->loaded) {
		fputs("vwctl: the virtualwire module is loaded but does not answer (its generic netlink family is not registered): is it being unloaded? 'dmesg' may say why\n",
		      f);
	} else if (!st->path[0]) {
		fprintf(f, "vwctl: the virtualwire kernel module is not loaded, and none is installed for the running kernel %s (no virtualwire.ko under /lib/modules/%s): install the virtualwire-dkms package, or 'make install' in the source tree\n",
			st->release, st->release);
	} else if (st->disabled) {
		fprintf(f, "vwctl: the virtualwire kernel module is not loaded, and this host no longer loads modules (kernel.modules_disabled is 1): load %s at boot, before that is set\n",
			st->path);
	} else if (!st->indexed) {
		fprintf(f, "vwctl: the virtualwire kernel module is not loaded: %s is not in modules.dep, so modprobe cannot find it; run '%sdepmod %s', then '%smodprobe virtualwire'\n",
			st->path, sudo, st->release, sudo);
	} else if (!st->root) {
		fprintf(f, "vwctl: the virtualwire kernel module is not loaded (%s is installed), and loading it needs root: 'sudo modprobe virtualwire' ('dmesg' says why if it fails)\n",
			st->path);
	} else {
		fprintf(f, "vwctl: the virtualwire kernel module %s is installed but did not load: 'modprobe virtualwire' and 'dmesg' say why (built for another kernel? unsigned under Secure Boot?)\n",
			st->path);
	}
}

void vw_not_loaded(FILE *f)
{
	const char *root = getenv("VWCTL_TEST_ROOT");
	struct vw_modstate st;
	struct utsname u;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	vw_modstate_read(&st, root ? root : "/", u.release);
	vw_module_hint(f, &st);
}
