// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers of util.c: the order of show's endpoints (none at all
 * included: the unit tests run under UBSan, which reports qsort() of a
 * NULL array), and what vwctl says when the module does not answer, for
 * each state of the host, read from a made-up root directory.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ktap.h"
#include "util.h"

static void test_sort(void)
{
	struct vw_endpoint eps[4];

	ktap_begin("sort: no endpoint, NULL array");
	vw_sort_endpoints(NULL, 0);
	CHECK(true);
	ktap_end();

	ktap_begin("sort: bound by ID, then unbound by ifindex");
	memset(eps, 0, sizeof(eps));
	eps[0].ifindex = 9;
	eps[1].has_id = true;
	eps[1].id = 70;
	eps[2].ifindex = 3;
	eps[3].has_id = true;
	eps[3].id = 5;
	vw_sort_endpoints(eps, 4);
	CHECK(eps[0].has_id && eps[0].id == 5);
	CHECK(eps[1].has_id && eps[1].id == 70);
	CHECK(!eps[2].has_id && eps[2].ifindex == 3);
	CHECK(!eps[3].has_id && eps[3].ifindex == 9);
	ktap_end();
}

static char *hint(const struct vw_modstate *st)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	buf[0] = '\0';
	if (f) {
		vw_module_hint(f, st);
		fclose(f);
	}
	return buf;
}

static void test_hint(void)
{
	static const char ko[] = "/lib/modules/6.1.0-9-amd64/updates/dkms/virtualwire.ko.xz";
	struct vw_modstate st = { .release = "6.1.0-9-amd64", .root = true };

	ktap_begin("hint: no module for the running kernel");
	CHECK_STR(hint(&st), "vwctl: the virtualwire kernel module is not loaded, and none is installed for the running kernel 6.1.0-9-amd64 (no virtualwire.ko under /lib/modules/6.1.0-9-amd64): install the virtualwire-dkms package, or 'make install' in the source tree\n");
	ktap_end();

	ktap_begin("hint: installed, indexed, root: it refused to load");
	strcpy(st.path, ko);
	st.indexed = true;
	CHECK_STR(hint(&st), "vwctl: the virtualwire kernel module /lib/modules/6.1.0-9-amd64/updates/dkms/virtualwire.ko.xz is installed but did not load: 'modprobe virtualwire' and 'dmesg' say why (built for another kernel? unsigned under Secure Boot?)\n");
	ktap_end();

	ktap_begin("hint: installed, not root: loading needs root");
	st.root = false;
	CHECK_STR(hint(&st), "vwctl: the virtualwire kernel module is not loaded (/lib/modules/6.1.0-9-amd64/updates/dkms/virtualwire.ko.xz is installed), and loading it needs root: 'sudo modprobe virtualwire' ('dmesg' says why if it fails)\n");
	ktap_end();

	ktap_begin("hint: installed, module loading disabled");
	st.disabled = true;
	CHECK_STR(hint(&st), "vwctl: the virtualwire kernel module is not loaded, and this host no longer loads modules (kernel.modules_disabled is 1): load /lib/modules/6.1.0-9-amd64/updates/dkms/virtualwire.ko.xz at boot, before that is set\n");
	st.disabled = false;
	ktap_end();

	ktap_begin("hint: the file is there, depmod was not run");
	st.indexed = false;
	CHECK_STR(hint(&st), "vwctl: the virtualwire kernel module is not loaded: /lib/modules/6.1.0-9-amd64/updates/dkms/virtualwire.ko.xz is not in modules.dep, so modprobe cannot find it; run 'sudo depmod 6.1.0-9-amd64', then 'sudo modprobe virtualwire'\n");
	st.root = true;
	CHECK(strstr(hint(&st), "run 'depmod 6.1.0-9-amd64', then 'modprobe virtualwire'"));
	ktap_end();

	ktap_begin("hint: loaded, but no family");
	st.loaded = true;
	CHECK(strstr(hint(&st), "is loaded but does not answer"));
	ktap_end();
}

/* Make dir/rel (and its parents) holding text, or a directory if NULL. */
static bool put(const char *dir, const char *rel, const char *text)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	if (!text)
		return !mkdir(path, 0755);
	f = fopen(path, "w");
	if (!f)
		return false;
	fputs(text, f);
	return !fclose(f);
}

static void test_read(void)
{
	char dir[] = "/tmp/vwctl-root-XXXXXX", cmd[64];
	const char *rel = "6.12.9-amd64";
	struct vw_modstate st;

	if (!mkdtemp(dir)) {
		ktap_begin("modstate: a made-up root");
		ktap_skip("mkdtemp failed");
		ktap_end();
		return;
	}

	ktap_begin("modstate: nothing for this kernel");
	put(dir, "lib/modules/6.1.0-9-amd64/extra/virtualwire.ko", "");
	vw_modstate_read(&st, dir, rel);
	CHECK_STR(st.release, rel);
	CHECK_STR(st.path, "");
	CHECK(!st.indexed && !st.loaded && !st.disabled);
	CHECK(st.root == (geteuid() == 0));
	ktap_end();

	ktap_begin("modstate: the file without depmod");
	put(dir, "lib/modules/6.12.9-amd64/modules.dep",
	    "kernel/drivers/net/vxlan/vxlan.ko.xz: kernel/net/ipv6/ip6_udp_tunnel.ko.xz\n");
	put(dir, "lib/modules/6.12.9-amd64/updates/dkms/virtualwire.ko.xz", "");
	vw_modstate_read(&st, dir, rel);
	CHECK_STR(st.path, "/lib/modules/6.12.9-amd64/updates/dkms/virtualwire.ko.xz");
	CHECK(!st.indexed);
	ktap_end();

	ktap_begin("modstate: in modules.dep, loading disabled, loaded");
	put(dir, "lib/modules/6.12.9-amd64/modules.dep",
	    "kernel/drivers/net/vxlan/vxlan.ko.xz: kernel/net/ipv6/ip6_udp_tunnel.ko.xz\n"
	    "extra/virtualwire.ko:\n");
	put(dir, "proc/sys/kernel/modules_disabled", "1\n");
	vw_modstate_read(&st, dir, rel);
	CHECK_STR(st.path, "/lib/modules/6.12.9-amd64/extra/virtualwire.ko");
	CHECK(st.indexed && st.disabled && !st.loaded);
	put(dir, "sys/module/virtualwire", NULL);
	put(dir, "proc/sys/kernel/modules_disabled", "0\n");
	vw_modstate_read(&st, dir, rel);
	CHECK(st.indexed && !st.disabled && st.loaded);
	ktap_end();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		ktap_diag("could not remove %s", dir);
}

void test_util(void)
{
	test_sort();
	test_hint();
	test_read();
}
