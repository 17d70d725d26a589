// SPDX-License-Identifier: GPL-2.0
/*
 * vwd's side of the control requests on its socket (control.h): connect,
 * disconnect and status, each answered with one JSON reply.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "vwd_act.h"
#include "vwd_dir.h"
#include "vwd_kernel.h"
#include "vwd_regs.h"
#include "vwd_request.h"

static json_object *error_reply(const char *msg, int code)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(false));
	json_object_object_add(o, "error", json_object_new_string(msg));
	json_object_object_add(o, "code", json_object_new_int(code));
	return o;
}

static json_object *ok_reply(void)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(true));
	return o;
}

static bool dev_taken(struct vwd *vwd, const char *dev)
{
	return vwd_reg_find(vwd, dev) || vwd_kernel_find(&vwd->kernel, dev);
}

static json_object *kep_json(const struct vwd_kep *ep)
{
	json_object *o = json_object_new_object(), *acc;
	size_t i;

	json_object_object_add(o, "id", ep->bound ?
			       json_object_new_int64(ep->id) : NULL);
	json_object_object_add(o, "dev", json_object_new_string(ep->dev));
#define STR_OR_NULL(k, v) json_object_object_add(o, k, (v)[0] ? \
				json_object_new_string(v) : NULL)
	STR_OR_NULL("format", ep->format);
	STR_OR_NULL("wire", ep->wire);
	STR_OR_NULL("remote", ep->remote);
	STR_OR_NULL("peer", ep->peer);
	json_object_object_add(o, "port", ep->port ?
			       json_object_new_int(ep->port) : NULL);
	STR_OR_NULL("state", ep->state);
	STR_OR_NULL("relay", ep->relay);
	acc = json_object_new_array();
	for (i = 0; i < ep->naccept; i++)
		json_object_array_add(acc, json_object_new_string(ep->accept[i]));
	json_object_object_add(o, "accept", acc);
	json_object_object_add(o, "roam", json_object_new_boolean(ep->roam));
	STR_OR_NULL("vm_mac", ep->vm_mac);
#undef STR_OR_NULL
	return o;
}

static json_object *status_reply(struct vwd *vwd, bool has_id, uint32_t id)
{
	json_object *o = ok_reply(), *d, *arr, *eps;
	char lease[32];
	size_t i;

	json_object_object_add(o, "host",
			       json_object_new_string(vwd->cfg.host));
	d = json_object_new_object();
	json_object_object_add(d, "connected",
			       json_object_new_boolean(vwd->connected));
	json_object_object_add(d, "since", json_object_new_int64(vwd->since));
	if (!vwd->connected)
		json_object_object_add(d, "error",
				       json_object_new_string(vwd->dir_error));
	eps = json_object_new_array();
	for (i = 0; i < vwd->cfg.nendpoints; i++)
		json_object_array_add(eps,
				json_object_new_string(vwd->cfg.endpoints[i]));
	json_object_object_add(d, "endpoints", eps);
	json_object_object_add(d, "revision",
			       json_object_new_int64(vwd->view.revision));
	snprintf(lease, sizeof(lease), "%" PRIx64, vwd->lease);
	json_object_object_add(d, "lease", json_object_new_string(lease));
	json_object_object_add(o, "directory", d);
	arr = json_object_new_array();
	for (i = 0; i < vwd->last.nst && i < vwd->nregs; i++) {
		const struct vwd_rstatus *st = &vwd->last.st[i];
		const struct vwd_reg *r = &vwd->regs[i];
		const struct vwd_kep *ep = vwd_kernel_find(&vwd->kernel,
							    st->dev);
		json_object *c, *far = NULL;

		if (has_id && st->id != id)
			continue;
		c = json_object_new_object();
		json_object_object_add(c, "id", json_object_new_int64(st->id));
		json_object_object_add(c, "dev", json_object_new_string(st->dev));
		json_object_object_add(c, "state",
				       json_object_new_string(st->state));
		json_object_object_add(c, "format",
				       json_object_new_string(r->format));
		json_object_object_add(c, "vm", r->vm[0] ?
				       json_object_new_string(r->vm) : NULL);
		json_object_object_add(c, "vm_mac", r->vm_mac[0] ?
				       json_object_new_string(r->vm_mac) : NULL);
		json_object_object_add(c, "registered", json_object_new_boolean(
			r->relaying || !!vwd_view_find(&vwd->view, r->id,
						       vwd->cfg.host, r->dev)));
		if (st->has_far) {
			far = json_object_new_object();
			json_object_object_add(far, "host",
					json_object_new_string(st->far.host));
			json_object_object_add(far, "dev",
					json_object_new_string(st->far.dev));
			json_object_object_add(far, "addr", st->far_addr[0] ?
					json_object_new_string(st->far_addr) : NULL);
			json_object_object_add(far, "state",
					json_object_new_string(st->far.standby ?
							"standby" : "active"));
		}
		json_object_object_add(c, "far", far);
		json_object_object_add(c, "far_gone",
				       json_object_new_boolean(st->far_gone));
		json_object_object_add(c, "far_gone_host", st->far_gone &&
				       r->last_far[0] ?
				       json_object_new_string(r->last_far) : NULL);
		json_object_object_add(c, "kernel", ep ? kep_json(ep) : NULL);
		json_object_object_add(c, "in_step",
				       json_object_new_boolean(st->in_step));
		json_object_object_add(c, "conflict", st->conflict[0] ?
				json_object_new_string(st->conflict) : NULL);
		json_object_array_add(arr, c);
	}
	json_object_object_add(o, "connectors", arr);
	return o;
}

static int get_id(json_object *req, uint32_t *id)
{
	json_object *m;
	int64_t v;

	if (!json_object_object_get_ex(req, "id", &m) ||
	    !json_object_is_type(m, json_type_int))
		return 0;
	v = json_object_get_int64(m);
	if (v < 0 || v > UINT32_MAX)
		return -1;
	*id = v;
	return 1;
}

/* @r is parsed from @req; vm_mac only counts when the request names it. */
static bool same_request(const struct vwd_reg *had, const struct vwd_reg *r,
			 json_object *req)
{
	json_object *m;

	return had->id == r->id && !had->relaying &&
	       !strcmp(had->format, r->format) &&
	       had->standby == r->standby && !strcmp(had->vm, r->vm) &&
	       (!json_object_object_get_ex(req, "vm_mac", &m) ||
		!strcmp(had->vm_mac, r->vm_mac));
}

static json_object *do_connect(struct vwd *vwd, json_object *req)
{
	struct vwd_reg r = { 0 };
	char err[512];
	json_object *m, *o;
	uint32_t id;
	int ret;
	size_t i;

	if (get_id(req, &id) != 1)
		return error_reply("ID: a number from 0 to 4294967295", 2);
	r.id = id;
	vwd_json_str(req, "dev", r.dev, sizeof(r.dev));
	vwd_json_str(req, "format", r.format, sizeof(r.format));
	vwd_json_str(req, "vm", r.vm, sizeof(r.vm));
	/* Checked and written in lower case by vwctl connect. */
	vwd_json_str(req, "vm_mac", r.vm_mac, sizeof(r.vm_mac));
	r.standby = vwd_json_bool(req, "standby");
	if (!r.format[0])
		strcpy(r.format, "vxlan");
	if (strcmp(r.format, "vxlan") && strcmp(r.format, "vw"))
		return error_reply("format: vxlan or vw", 2);
	if (!r.dev[0]) {
		/* As the kernel names them: the first free vwN. */
		for (i = 0; i < 100000; i++) {
			snprintf(r.dev, sizeof(r.dev), "vw%zu", i);
			if (!dev_taken(vwd, r.dev))
				break;
		}
	} else if (vwd_reg_find(vwd, r.dev)) {
		const struct vwd_reg *had = vwd_reg_find(vwd, r.dev);

		/*
		 * The same request again (a hook re-run, a client that gave
		 * up waiting) is answered as done: connect is idempotent.
		 */
		if (same_request(had, &r, req)) {
			o = ok_reply();
			json_object_object_add(o, "already",
					       json_object_new_boolean(true));
			return o;
		}
		snprintf(err, sizeof(err), "dev %s is already connected (connector %u%s)",
			 r.dev, had->id, had->id == r.id ? ", with other settings" : "");
		return error_reply(err, 3);
	} else if (vwd_kernel_find(&vwd->kernel, r.dev)) {
		snprintf(err, sizeof(err), "dev %s already exists and vwd did not make it: pick another name or delete it",
			 r.dev);
		return error_reply(err, 3);
	}
	/* vwctl checked it; a request from elsewhere gets a word's check. */
	if (strspn(r.vm_mac, "0123456789abcdef:,") != strlen(r.vm_mac))
		return error_reply("vm-mac: MAC[,MAC...], lower case", 2);
	if (r.standby && !r.vm[0])
		return error_reply("standby needs vm NAME: the VM whose end moves here", 2);
	ret = vwd->connected ? vwd_dir_register(vwd, &r, err, sizeof(err)) : -1;
	if (ret == 1) {
		vwd_log("%u %s: connect refused: %s", r.id, r.dev, err);
		return error_reply(err, 1);
	}
	m = (void *)realloc(vwd->regs, (vwd->nregs + 1) * sizeof(*vwd->regs));
	if (!m)
		return error_reply("out of memory", 1);
	vwd->regs = (struct vwd_reg *)m;
	vwd->regs[vwd->nregs++] = r;
	vwd_regs_save(vwd);
	vwd_log("%u %s: connected%s%s%s", r.id, r.dev,
		r.standby ? " in standby for vm " : "", r.standby ? r.vm : "",
		ret ? " (directory unreachable: registration pending)" : "");
	vwd_act(vwd);
	o = ok_reply();
	json_object_object_add(o, "id", json_object_new_int64(r.id));
	json_object_object_add(o, "dev", json_object_new_string(r.dev));
	json_object_object_add(o, "pending", json_object_new_boolean(ret != 0));
	for (i = 0; i < vwd->last.nst; i++)
		if (!strcmp(vwd->last.st[i].dev, r.dev))
			json_object_object_add(o, "state",
				json_object_new_string(vwd->last.st[i].state));
	return o;
}

static json_object *do_disconnect(struct vwd *vwd, json_object *req)
{
	char dev[IFNAMSIZ], err[256], key[VWD_KEYLEN];
	bool pending = false;
	size_t i, done = 0;
	uint32_t id = 0;
	int has_id = get_id(req, &id);
	json_object *o;

	vwd_json_str(req, "dev", dev, sizeof(dev));
	if (has_id < 0 || (has_id != 1 && !dev[0]))
		return error_reply("ID or dev NAME", 2);
	for (i = 0; i < vwd->nregs;) {
		struct vwd_reg *r = &vwd->regs[i];
		char *argv[] = { "vwctl", "del", "dev", r->dev, "--if-exists",
				 NULL };
		struct vwd_end e;
		int rc;

		if ((has_id == 1 && r->id != id) || (dev[0] && strcmp(r->dev, dev))) {
			i++;
			continue;
		}
		rc = vwd_run(vwd, argv, NULL);
		vwd_log("%u %s: disconnect: vwctl del dev %s --if-exists%s", r->id,
			r->dev, r->dev, rc ? " (failed)" : "");
		vwd_reg_end(vwd, r, &e);
		vwd_key_end(key, sizeof(key), vwd->cfg.prefix, &e);
		if (!r->relaying && vwd_view_find(&vwd->view, r->id,
						  vwd->cfg.host, r->dev)) {
			if (vwd->connected &&
			    vw_etcd_delete(vwd->etcd, key, false))
				vwd_dir_down(vwd, "delete");
			if (vwd->connected)
				vwd_dir_apply(vwd, key, NULL);
			else
				pending = true;
		}
		*r = vwd->regs[--vwd->nregs];
		done++;
	}
	if (!done) {
		if (dev[0])
			snprintf(err, sizeof(err), "dev %s is not connected",
				 dev);
		else
			snprintf(err, sizeof(err), "connector %u is not connected on this host",
				 id);
		return error_reply(err, 4);
	}
	vwd_regs_save(vwd);
	vwd_read_kernel(vwd);
	vwd_act(vwd);
	o = ok_reply();
	json_object_object_add(o, "removed", json_object_new_int64(done));
	json_object_object_add(o, "pending", json_object_new_boolean(pending));
	return o;
}

void vwd_request_handle(struct vwd *vwd)
{
	json_object *req = NULL, *rep, *m;
	char *text = NULL;
	const char *cmd;
	uint32_t id = 0;
	int cfd, has_id;

	if (vwd_control_accept(vwd->ctl_fd, &cfd, &text))
		return;
	req = json_tokener_parse(text);
	if (!req || !json_object_object_get_ex(req, "cmd", &m)) {
		rep = error_reply("a request is a JSON object with \"cmd\"", 2);
		goto out;
	}
	cmd = json_object_get_string(m);
	if (!strcmp(cmd, "connect")) {
		rep = do_connect(vwd, req);
	} else if (!strcmp(cmd, "disconnect")) {
		rep = do_disconnect(vwd, req);
	} else if (!strcmp(cmd, "status")) {
		has_id = get_id(req, &id);
		if (!vwd->last.st && vwd->nregs)
			vwd_act(vwd);
		rep = status_reply(vwd, has_id == 1, id);
	} else {
		rep = error_reply("unknown command: connect, disconnect or status",
				  2);
	}
out:
	vwd_control_reply(cfd, json_object_to_json_string_ext(rep,
						JSON_C_TO_STRING_PLAIN));
	json_object_put(rep);
	json_object_put(req);
	free(text);
}
