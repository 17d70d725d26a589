// SPDX-License-Identifier: GPL-2.0
/*
 * This host's registrations, and the state file that keeps them so that
 * a restart knows them: {"version":1,"registrations":[{"id":...},...]}.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vwd_regs.h"

struct vwd_reg *vwd_reg_find(struct vwd *vwd, const char *dev)
{
	size_t i;

	for (i = 0; i < vwd->nregs; i++)
		if (!strcmp(vwd->regs[i].dev, dev))
			return &vwd->regs[i];
	return NULL;
}

void vwd_reg_end(const struct vwd *vwd, const struct vwd_reg *r,
		 struct vwd_end *e)
{
	memset(e, 0, sizeof(*e));
	e->id = r->id;
	strcpy(e->host, vwd->cfg.host);
	strcpy(e->dev, r->dev);
	memcpy(e->addrs, vwd->cfg.addrs, sizeof(e->addrs));
	e->naddrs = vwd->cfg.naddrs;
	e->port = strcmp(r->format, "vw") ? 4789 : 4798;
	strcpy(e->format, r->format);
	e->standby = r->standby;
	strcpy(e->vm, r->vm);
}

int vwd_regs_save(struct vwd *vwd)
{
	json_object *o = json_object_new_object(), *arr =
		json_object_new_array();
	char tmp[PATH_MAX];
	const char *s;
	size_t i;
	FILE *f;
	int ret = -1;

	json_object_object_add(o, "version", json_object_new_int(1));
	for (i = 0; i < vwd->nregs; i++) {
		const struct vwd_reg *r = &vwd->regs[i];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "id", json_object_new_int64(r->id));
		json_object_object_add(e, "dev", json_object_new_string(r->dev));
		json_object_object_add(e, "format",
				       json_object_new_string(r->format));
		json_object_object_add(e, "standby",
				       json_object_new_boolean(r->standby));
		json_object_object_add(e, "vm", json_object_new_string(r->vm));
		json_object_object_add(e, "vm_mac",
				       json_object_new_string(r->vm_mac));
		json_object_object_add(e, "relaying",
				       json_object_new_boolean(r->relaying));
		json_object_object_add(e, "relay",
				       json_object_new_string(r->relay));
		json_object_object_add(e, "refused",
				       json_object_new_boolean(r->refused));
		json_object_object_add(e, "last_far",
				       json_object_new_string(r->last_far));
		json_object_object_add(e, "accept_src",
				       json_object_new_string(r->accept_src));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "registrations", arr);
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	/* Written beside it and renamed: a crash leaves the old or the new. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", vwd->cfg.state);
	f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "%s\n", s);
		if (!fflush(f) && !fsync(fileno(f)) && !fclose(f) &&
		    !rename(tmp, vwd->cfg.state))
			ret = 0;
		else if (f)
			unlink(tmp);
	}
	if (ret)
		vwd_log("cannot write the state file '%s': %s", vwd->cfg.state,
			strerror(errno));
	json_object_put(o);
	return ret;
}

int vwd_regs_load(struct vwd *vwd)
{
	json_object *o, *arr, *m;
	size_t i, n;

	o = json_object_from_file(vwd->cfg.state);
	if (!o) {
		if (access(vwd->cfg.state, F_OK))
			return 0;	/* a first start */
		vwd_log("state file '%s' does not parse: starting with no registrations",
			vwd->cfg.state);
		return 0;
	}
	if (!json_object_object_get_ex(o, "registrations", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		json_object_put(o);
		return 0;
	}
	n = json_object_array_length(arr);
	vwd->regs = calloc(n ? n : 1, sizeof(*vwd->regs));
	if (!vwd->regs) {
		json_object_put(o);
		return -1;
	}
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		struct vwd_reg *r = &vwd->regs[vwd->nregs];

		if (!json_object_object_get_ex(e, "id", &m))
			continue;
		r->id = json_object_get_int64(m);
		vwd_json_str(e, "dev", r->dev, sizeof(r->dev));
		vwd_json_str(e, "format", r->format, sizeof(r->format));
		vwd_json_str(e, "vm", r->vm, sizeof(r->vm));
		vwd_json_str(e, "vm_mac", r->vm_mac, sizeof(r->vm_mac));
		vwd_json_str(e, "relay", r->relay, sizeof(r->relay));
		r->standby = vwd_json_bool(e, "standby");
		r->relaying = vwd_json_bool(e, "relaying");
		r->refused = vwd_json_bool(e, "refused");
		vwd_json_str(e, "last_far", r->last_far, sizeof(r->last_far));
		vwd_json_str(e, "accept_src", r->accept_src, sizeof(r->accept_src));
		if (r->dev[0] && r->format[0])
			vwd->nregs++;
	}
	json_object_put(o);
	vwd_log("%zu registration%s from %s", vwd->nregs,
		vwd->nregs == 1 ? "" : "s", vwd->cfg.state);
	return 0;
}
