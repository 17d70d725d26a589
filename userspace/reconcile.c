// SPDX-License-Identifier: GPL-2.0
/*
 * What vwd must do (reconcile.h): a pure function of the directory's
 * view, the registrations and the kernel's endpoints.
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile.h"

static bool same_end(const struct vwd_end *e, const char *host,
		     const char *dev)
{
	return !strcmp(e->host, host) && !strcmp(e->dev, dev);
}

static unsigned short default_port(const char *format)
{
	return strcmp(format, "vw") ? 4789 : 4798;
}

/* The active ends of @id other than (host, dev), at most max of them. */
static size_t other_actives(const struct vwd_view *v, uint32_t id,
			    const char *host, const char *dev,
			    const struct vwd_end **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < v->nends; i++) {
		const struct vwd_end *e = &v->ends[i];

		if (e->id != id || e->standby || same_end(e, host, dev))
			continue;
		if (n < max)
			out[n] = e;
		n++;
	}
	return n;
}

static void list_ends(char *buf, size_t len, const struct vwd_end **ends,
		      size_t n)
{
	size_t i, used = 0;

	buf[0] = 0;
	for (i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%shost %s dev %s",
				 i ? ", " : "", ends[i]->host, ends[i]->dev);
}

static struct vwd_action *new_action(struct vwd_plan *p, enum vwd_act_kind k,
				     const struct vwd_reg *r)
{
	struct vwd_action *a = realloc(p->acts,
				       (p->nacts + 1) * sizeof(*a));

	if (!a)
		return NULL;
	p->acts = a;
	a = &p->acts[p->nacts++];
	memset(a, 0, sizeof(*a));
	a->kind = k;
	a->id = r->id;
	strcpy(a->dev, r->dev);
	return a;
}

static void word(struct vwd_action *a, const char *fmt, ...)
{
	va_list ap;

	if (a->nwords >= VWD_MAX_WORDS)
		return;
	va_start(ap, fmt);
	vsnprintf(a->words[a->nwords++], sizeof(a->words[0]), fmt, ap);
	va_end(ap);
}

/* "vwctl VERB ID dev DEV": the start of every vwctl command vwd runs. */
static void vwctl_words(struct vwd_action *a, const char *verb,
			const struct vwd_reg *r)
{
	word(a, "vwctl");
	word(a, "%s", verb);
	word(a, "%u", r->id);
	word(a, "dev");
	word(a, "%s", r->dev);
}

/*
 * Take @far as the far end of @r: false (a conflict, reported in st)
 * when its format differs or, on another host, it has no address of a
 * family this host has; else st->far_addr is where to send ("" local).
 */
static bool far_usable(const struct vwd_self *self, const struct vwd_reg *r,
		       const struct vwd_end *far, struct vwd_rstatus *st)
{
	const char *addr;

	st->has_far = true;
	st->far = *far;
	if (strcmp(far->format, r->format)) {
		snprintf(st->conflict, sizeof(st->conflict),
			 "format conflict: far end host %s dev %s is %s, this end is %s",
			 far->host, far->dev, far->format, r->format);
		st->state = "conflict";
		return false;
	}
	if (!strcmp(far->host, self->host))
		return true;
	addr = vwd_pick_addr(self->addrs, self->naddrs, far);
	if (!addr) {
		snprintf(st->conflict, sizeof(st->conflict),
			 "far end host %s has no address of this host's families",
			 far->host);
		st->state = "conflict";
		return false;
	}
	strcpy(st->far_addr, addr);
	return true;
}

void vwd_action_cmdline(const struct vwd_action *a, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = 0;
	for (i = 0; i < a->nwords && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "",
				 a->words[i]);
}

const struct vwd_kep *vwd_kernel_find(const struct vwd_kernel *k,
				      const char *dev)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->eps[i].dev, dev))
			return &k->eps[i];
	return NULL;
}

/* Does the kernel's accept list hold exactly the addresses @want? */
static bool accept_equal(const struct vwd_kep *ep,
			 const char (*want)[VWD_ADDRLEN], size_t n)
{
	size_t i, j;

	if (ep->naccept != n)
		return false;
	for (i = 0; i < n; i++) {
		bool found = false;

		for (j = 0; j < ep->naccept && !found; j++) {
			size_t l = strlen(want[i]);
			const char *k = ep->accept[j];

			found = !strncmp(k, want[i], l) &&
				(!k[l] || !strcmp(k + l, "/32") ||
				 !strcmp(k + l, "/128"));
		}
		if (!found)
			return false;
	}
	return true;
}

/*
 * What a UDP wire of a registration should be.  @alt: addresses its
 * remote may also be (a roam to them, done by the kernel, is in step).
 */
struct wire_want {
	const char *addr;
	bool standby;
	const char (*acc)[VWD_ADDRLEN];
	size_t nacc;
	bool roam;
	const char (*alt)[VWD_ADDRLEN];
	size_t nalt;
};

static bool remote_ok(const struct vwd_kep *ep, const struct wire_want *w)
{
	size_t i;

	if (!strcmp(ep->remote, w->addr))
		return true;
	for (i = 0; i < w->nalt; i++)
		if (!strcmp(ep->remote, w->alt[i]))
			return true;
	return false;
}

/*
 * The UDP wire of @r as @w says: in step, or the replace that makes it
 * (with the registration's vm-mac, if any).
 */
static int udp_wire(struct vwd_plan *p, const struct vwd_reg *r,
		    const struct vwd_kep *ep, const struct wire_want *w,
		    const char *reason, struct vwd_rstatus *st)
{
	unsigned short port = default_port(r->format);
	struct vwd_action *a;
	size_t i;

	if (ep && ep->bound && ep->id == r->id && !strcmp(ep->wire, "udp") &&
	    remote_ok(ep, w) && ep->port == port &&
	    !strcmp(ep->format, r->format) &&
	    !strcmp(ep->state, w->standby ? "standby" : "active") &&
	    accept_equal(ep, w->acc, w->nacc) && ep->roam == w->roam &&
	    !strcmp(ep->vm_mac, r->vm_mac))
		return 0;
	st->in_step = false;
	a = new_action(p, VWD_ACT_RUN, r);
	if (!a)
		return -1;
	snprintf(a->reason, sizeof(a->reason), "%s", reason);
	vwctl_words(a, "replace", r);
	word(a, "remote");
	word(a, "%s", w->addr);
	word(a, "format");
	word(a, "%s", r->format);
	word(a, "port");
	word(a, "%u", port);
	if (w->standby)
		word(a, "standby");
	if (w->nacc) {
		char list[VWD_MAX_ACCEPT * VWD_ADDRLEN] = "";
		size_t used = 0;

		for (i = 0; i < w->nacc; i++)
			used += snprintf(list + used, sizeof(list) - used,
					 "%s%s", i ? "," : "", w->acc[i]);
		word(a, "accept");
		word(a, "%s", list);
	}
	if (w->roam) {
		word(a, "roam");
		word(a, "on");
	}
	if (r->vm_mac[0]) {
		word(a, "vm-mac");
		word(a, "%s", r->vm_mac);
	}
	return 0;
}

/* No far end: a device that does not exist yet is made, unbound. */
static int no_far(struct vwd_plan *p, const struct vwd_reg *r,
		  const struct vwd_kep *ep, struct vwd_rstatus *st)
{
	struct vwd_action *a;

	if (ep && ep->bound) {
		/* Fail static: keep the last config, say the far end went. */
		st->state = r->standby ? "standby" : "wired";
		st->far_gone = true;
		return 0;
	}
	st->state = "waiting";
	if (ep)
		return 0;
	st->in_step = false;
	a = new_action(p, VWD_ACT_RUN, r);
	if (!a)
		return -1;
	snprintf(a->reason, sizeof(a->reason), "no far end yet, waiting");
	word(a, "ip");
	word(a, "link");
	word(a, "add");
	word(a, "%s", r->dev);
	word(a, "type");
	word(a, "virtualwire");
	return 0;
}

static int reconcile_relaying(struct vwd_plan *p, const struct vwd_reg *r,
			      const struct vwd_kep *ep,
			      struct vwd_rstatus *st)
{
	struct vwd_action *a;

	st->state = "relaying";
	if (ep && !strcmp(ep->state, "relay") && !strcmp(ep->relay, r->relay))
		return 0;
	if (!ep)	/* gone from the kernel: nothing to relay any more */
		return 0;
	st->in_step = false;
	a = new_action(p, VWD_ACT_RUN, r);
	if (!a)
		return -1;
	snprintf(a->reason, sizeof(a->reason), "relaying to %s", r->relay);
	vwctl_words(a, "set", r);
	word(a, "relay");
	word(a, "%s", r->relay);
	return 0;
}

/* The end of the VM of @r (same vm label) active elsewhere, if any. */
static const struct vwd_end *moved_to(const struct vwd_view *v,
				      const struct vwd_self *self,
				      const struct vwd_reg *r)
{
	size_t i;

	if (!r->vm[0])
		return NULL;
	for (i = 0; i < v->nends; i++) {
		const struct vwd_end *e = &v->ends[i];

		if (e->id == r->id && !e->standby && !strcmp(e->vm, r->vm) &&
		    !same_end(e, self->host, r->dev))
			return e;
	}
	return NULL;
}

static int reconcile_standby(struct vwd_plan *p, const struct vwd_self *self,
			     const struct vwd_view *v, const struct vwd_reg *r,
			     const struct vwd_kep *ep, struct vwd_rstatus *st)
{
	const struct vwd_end *act[3], *far = NULL, *src = NULL;
	char acc[1][VWD_ADDRLEN], reason[400];
	struct wire_want w;
	struct vwd_action *a;
	const char *addr;
	size_t i, n;

	st->state = "standby";
	n = other_actives(v, r->id, self->host, r->dev, act, 3);
	for (i = 0; i < n && i < 3; i++) {
		if (r->vm[0] && !strcmp(act[i]->vm, r->vm))
			src = act[i];
		else
			far = act[i];
	}
	if (ep && ep->bound && !strcmp(ep->state, "active")) {
		/* The VM's first frame: this end takes over, in one txn. */
		st->in_step = false;
		a = new_action(p, VWD_ACT_ACTIVATE, r);
		if (!a)
			return -1;
		snprintf(a->reason, sizeof(a->reason),
			 "activated by the VM%s%s", src ? ", replacing host " : "",
			 src ? src->host : "");
		if (src) {
			a->del[a->ndel++] = *src;
			addr = vwd_pick_addr(self->addrs, self->naddrs, src);
			if (addr)
				strcpy(a->accept, addr);
		}
		return 0;
	}
	if (!far)
		return no_far(p, r, ep, st);
	/* A far end on this host: the VM moves within it, not supported. */
	if (!far_usable(self, r, far, st) || !st->far_addr[0])
		return 0;
	n = 0;
	if (src && (addr = vwd_pick_addr(self->addrs, self->naddrs, src)))
		strcpy(acc[n++], addr);
	snprintf(reason, sizeof(reason),
		 "standby for vm %s, far end on host %s (%s)%s%s",
		 r->vm[0] ? r->vm : "-", far->host, st->far_addr,
		 n ? ", accepting the VM's host " : "", n ? src->host : "");
	w = (struct wire_want){ .addr = st->far_addr, .standby = true,
				.acc = acc, .nacc = n };
	return udp_wire(p, r, ep, &w, reason, st);
}

static int reconcile_active(struct vwd_plan *p, const struct vwd_self *self,
			    const struct vwd_view *v, const struct vwd_reg *r,
			    const struct vwd_kep *ep, struct vwd_rstatus *st)
{
	const struct vwd_end *act[8], *far, *moved;
	char acc[VWD_MAX_ACCEPT][VWD_ADDRLEN], reason[400], list[200];
	const char *addr;
	struct vwd_action *a;
	struct wire_want w;
	size_t i, n, nacc = 0, nalt;

	st->state = "wired";
	if (self->connected && !vwd_view_find(v, r->id, self->host, r->dev)) {
		moved = moved_to(v, self, r);
		if (moved && (addr = vwd_pick_addr(self->addrs, self->naddrs,
						    moved))) {
			/* The VM went: relay what still comes, keep no key. */
			st->state = "relaying";
			st->in_step = false;
			a = new_action(p, VWD_ACT_RUN, r);
			if (!a)
				return -1;
			snprintf(a->reason, sizeof(a->reason),
				 "vm %s moved to host %s (%s), relaying",
				 r->vm, moved->host, addr);
			vwctl_words(a, "set", r);
			word(a, "relay");
			word(a, "%s", addr);
			a->relaying = true;
			strcpy(a->relay, addr);
			return 0;
		}
		if (r->refused) {
			/* Made while etcd was away, refused once it was back. */
			snprintf(st->conflict, sizeof(st->conflict),
				 "its registration was refused: connector %u has its two active ends elsewhere",
				 r->id);
			st->state = "conflict";
			return 0;
		}
		st->in_step = false;
		a = new_action(p, VWD_ACT_PUT, r);
		if (!a)
			return -1;
		snprintf(a->reason, sizeof(a->reason),
			 "registering this end in the directory");
	}
	n = other_actives(v, r->id, self->host, r->dev, act, 8);
	if (n > 1) {
		list_ends(list, sizeof(list), act, n < 8 ? n : 8);
		snprintf(st->conflict, sizeof(st->conflict),
			 "connector %u has %zu active ends besides this one: %s",
			 r->id, n, list);
		st->state = "conflict";
		return 0;
	}
	if (!n)
		return no_far(p, r, ep, st);
	far = act[0];
	if (!far_usable(self, r, far, st))
		return 0;
	if (!strcmp(far->host, self->host)) {
		if (ep && ep->bound && ep->id == r->id &&
		    !strcmp(ep->wire, "local") && !strcmp(ep->peer, far->dev) &&
		    !strcmp(ep->format, r->format))
			return 0;
		st->in_step = false;
		a = new_action(p, VWD_ACT_RUN, r);
		if (!a)
			return -1;
		snprintf(a->reason, sizeof(a->reason),
			 "far end on this host (dev %s)", far->dev);
		vwctl_words(a, "replace", r);
		word(a, "peer");
		word(a, "%s", far->dev);
		word(a, "format");
		word(a, "%s", r->format);
		return 0;
	}
	addr = st->far_addr;
	/* This end's VM came from there: its old host relays to it. */
	if (r->accept_src[0])
		strcpy(acc[nacc++], r->accept_src);
	/*
	 * The far end's VM arriving elsewhere: accept its new host, and roam
	 * there on the VM's first frame (the standby end sends it at once),
	 * in the kernel, without a round trip through vwd and etcd.  Only
	 * the address of an operator's hypervisor, from the directory, is
	 * ever accepted.  Until the directory says the VM's end moved, a
	 * remote that already roamed there is in step: never put back.
	 */
	nalt = nacc;
	for (i = 0; i < v->nends && nacc < VWD_MAX_ACCEPT; i++) {
		const struct vwd_end *s = &v->ends[i];
		const char *sa;

		if (s->id != r->id || !s->standby || !far->vm[0] ||
		    strcmp(s->vm, far->vm) || !strcmp(s->vm, r->vm) ||
		    !strcmp(s->host, self->host))
			continue;
		sa = vwd_pick_addr(self->addrs, self->naddrs, s);
		if (sa)
			strcpy(acc[nacc++], sa);
	}
	w = (struct wire_want){ .addr = addr, .acc = acc, .nacc = nacc,
				.roam = nacc > nalt, .alt = acc + nalt,
				.nalt = nacc - nalt };
	snprintf(reason, sizeof(reason), "far end on host %s (%s)%s",
		 far->host, addr, w.roam ?
		 ", accepting the VM's next host, roam on" : "");
	return udp_wire(p, r, ep, &w, reason, st);
}

int vwd_reconcile(const struct vwd_self *self, const struct vwd_view *view,
		  const struct vwd_reg *regs, size_t nregs,
		  const struct vwd_kernel *k, struct vwd_plan *plan)
{
	size_t i;
	int ret;

	memset(plan, 0, sizeof(*plan));
	if (nregs) {
		plan->st = calloc(nregs, sizeof(*plan->st));
		if (!plan->st)
			return -1;
	}
	plan->nst = nregs;
	for (i = 0; i < nregs; i++) {
		const struct vwd_reg *r = &regs[i];
		const struct vwd_kep *ep = vwd_kernel_find(k, r->dev);
		struct vwd_rstatus *st = &plan->st[i];

		st->id = r->id;
		strcpy(st->dev, r->dev);
		st->in_step = true;
		if (r->relaying)
			ret = reconcile_relaying(plan, r, ep, st);
		else if (r->standby)
			ret = reconcile_standby(plan, self, view, r, ep, st);
		else
			ret = reconcile_active(plan, self, view, r, ep, st);
		if (ret) {
			vwd_plan_free(plan);
			return -1;
		}
	}
	return 0;
}

void vwd_plan_free(struct vwd_plan *plan)
{
	free(plan->acts);
	free(plan->st);
	memset(plan, 0, sizeof(*plan));
}

int vwd_connect_check(const struct vwd_self *self,
		      const struct vwd_view *view, const struct vwd_reg *r,
		      char *err, size_t len)
{
	const struct vwd_end *act[8];
	char list[200];
	size_t i, n;
	bool has_vm = false;

	n = other_actives(view, r->id, self->host, r->dev, act, 8);
	list_ends(list, sizeof(list), act, n < 8 ? n : 8);
	if (!r->standby) {
		if (n < 2)
			return 0;
		snprintf(err, len,
			 "connector %u already has two active ends: %s",
			 r->id, list);
		return -1;
	}
	if (n < 2)
		return 0;
	for (i = 0; i < n && i < 8; i++)
		has_vm |= r->vm[0] && !strcmp(act[i]->vm, r->vm);
	if (n == 2 && has_vm)
		return 0;
	if (n == 2)
		snprintf(err, len,
			 "connector %u has two active ends (%s) and neither is vm %s: cannot tell which end moves",
			 r->id, list, r->vm[0] ? r->vm : "(none given)");
	else
		snprintf(err, len,
			 "connector %u already has %zu active ends: %s",
			 r->id, n, list);
	return -1;
}

/* Kernel state from vwctl's JSON. */

static bool kep_from_json(json_object *c, struct vwd_kep *ep)
{
	json_object *m;
	size_t i;

	memset(ep, 0, sizeof(*ep));
	vwd_json_str(c, "dev", ep->dev, sizeof(ep->dev));
	if (!ep->dev[0])
		return false;
	if (json_object_object_get_ex(c, "id", &m) &&
	    json_object_is_type(m, json_type_int)) {
		ep->bound = true;
		ep->id = json_object_get_int64(m);
	}
	vwd_json_str(c, "wire", ep->wire, sizeof(ep->wire));
	vwd_json_str(c, "remote", ep->remote, sizeof(ep->remote));
	vwd_json_str(c, "peer", ep->peer, sizeof(ep->peer));
	vwd_json_str(c, "format", ep->format, sizeof(ep->format));
	vwd_json_str(c, "state", ep->state, sizeof(ep->state));
	vwd_json_str(c, "relay", ep->relay, sizeof(ep->relay));
	if (json_object_object_get_ex(c, "port", &m) &&
	    json_object_is_type(m, json_type_int))
		ep->port = json_object_get_int(m);
	ep->roam = json_object_object_get_ex(c, "roam", &m) &&
		   json_object_is_type(m, json_type_boolean) &&
		   json_object_get_boolean(m);
	if (json_object_object_get_ex(c, "vm_mac", &m) &&
	    json_object_is_type(m, json_type_array)) {
		size_t used = 0;

		/* As vwctl prints them: lower case, the kernel's order. */
		for (i = 0; i < json_object_array_length(m) &&
			    i < VWD_MAX_VM_MAC && used < sizeof(ep->vm_mac);
		     i++) {
			json_object *a = json_object_array_get_idx(m, i);

			if (json_object_is_type(a, json_type_string))
				used += snprintf(ep->vm_mac + used,
						 sizeof(ep->vm_mac) - used,
						 "%s%s", used ? "," : "",
						 json_object_get_string(a));
		}
	}
	if (json_object_object_get_ex(c, "accept", &m) &&
	    json_object_is_type(m, json_type_array)) {
		for (i = 0; i < json_object_array_length(m) &&
			    ep->naccept < VWD_MAX_ACCEPT; i++) {
			json_object *a = json_object_array_get_idx(m, i);

			if (json_object_is_type(a, json_type_string))
				snprintf(ep->accept[ep->naccept++],
					 sizeof(ep->accept[0]), "%s",
					 json_object_get_string(a));
		}
	}
	return true;
}

int vwd_kernel_parse(const char *json, struct vwd_kernel *k)
{
	json_object *o = json_tokener_parse(json), *arr;
	size_t i, n;

	memset(k, 0, sizeof(*k));
	if (!o || !json_object_object_get_ex(o, "connectors", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		json_object_put(o);
		return -1;
	}
	n = json_object_array_length(arr);
	k->eps = calloc(n ? n : 1, sizeof(*k->eps));
	if (!k->eps) {
		json_object_put(o);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (kep_from_json(json_object_array_get_idx(arr, i),
				  &k->eps[k->n]))
			k->n++;
	json_object_put(o);
	return 0;
}

int vwd_kernel_event(struct vwd_kernel *k, const char *line,
		     char dev[IFNAMSIZ])
{
	json_object *o = json_tokener_parse(line), *c;
	struct vwd_kep ep, *slot;
	char ev[16];
	int ret = 0;

	if (!o || !json_object_object_get_ex(o, "connector", &c) ||
	    !kep_from_json(c, &ep))
		goto out;
	vwd_json_str(o, "event", ev, sizeof(ev));
	strcpy(dev, ep.dev);
	ret = 1;
	slot = (struct vwd_kep *)vwd_kernel_find(k, ep.dev);
	if (!strcmp(ev, "removed")) {
		if (slot)
			*slot = k->eps[--k->n];
		goto out;
	}
	if (!slot) {
		slot = realloc(k->eps, (k->n + 1) * sizeof(*slot));
		if (!slot) {
			ret = -1;
			goto out;
		}
		k->eps = slot;
		slot = &k->eps[k->n++];
	}
	*slot = ep;
out:
	json_object_put(o);
	return ret;
}

void vwd_kernel_clear(struct vwd_kernel *k)
{
	free(k->eps);
	memset(k, 0, sizeof(*k));
}
