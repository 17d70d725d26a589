// SPDX-License-Identifier: GPL-2.0
/*
 * vwctl connect and disconnect: requests to this network namespace's vwd
 * (control.h), which makes and deletes the kernel's end itself, through
 * vwctl, so that it knows every end it registered.  Apart from vwctl.c:
 * json-c's json_bool would clash with print.h's.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <string.h>

#include "control.h"
#include "parse.h"
#include "vwdcmd.h"

static int vwd_request(const char *cmd, json_object *req, FILE *err)
{
	json_object *rep = NULL, *m;
	int rc = vwd_call("vwctl", cmd, req, &rep, err);

	json_object_put(req);
	if (rc)
		return rc;
	if (json_object_object_get_ex(rep, "pending", &m) &&
	    json_object_get_boolean(m))
		fprintf(err, "vwctl: %s: done on this host; the directory is unreachable, so vwd registers it when it is back\n",
			cmd);
	json_object_put(rep);
	return 0;
}

/*
 * vm-mac MAC[,MAC...] checked as vwctl add checks it (parse_vm_mac says
 * what is wrong), into @buf in lower case, as vwctl show prints it, so
 * that vwd compares it with the kernel's as a string.
 */
static bool vm_mac_list(const char *s, char *buf, size_t len, FILE *err)
{
	struct vw_endpoint ep = { 0 };
	size_t used = 0;
	int i;

	if (!parse_vm_mac(s, &ep))
		return false;
	if (!ep.nvm_mac) {
		fputs("vwctl: connect: invalid vm-mac 'none': expected MAC[,MAC...]\n",
		      err);
		return false;
	}
	buf[0] = 0;
	for (i = 0; i < ep.nvm_mac && used < len; i++) {
		const uint8_t *m = ep.vm_mac[i];

		used += snprintf(buf + used, len - used,
				 "%s%02x:%02x:%02x:%02x:%02x:%02x",
				 i ? "," : "", m[0], m[1], m[2], m[3], m[4],
				 m[5]);
	}
	return true;
}

int vwd_cmd_connect(int argc, char **argv, FILE *err)
{
	char macs[VW_VM_MAC_MAX * 18];
	json_object *req;
	char dev[IFNAMSIZ];
	uint8_t format;
	uint32_t id;
	int i;

	if (!argc) {
		fputs("vwctl: connect: missing ID\n", err);
		return 2;
	}
	if (!parse_id(argv[0], &id))
		return 2;
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("connect"));
	json_object_object_add(req, "id", json_object_new_int64(id));
	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(w, "standby")) {
			json_object_object_add(req, "standby",
					       json_object_new_boolean(true));
			continue;
		}
		if (strcmp(w, "dev") && strcmp(w, "format") && strcmp(w, "vm") &&
		    strcmp(w, "vm-mac")) {
			fprintf(err, "vwctl: connect: unexpected argument '%s': expected dev, format, standby, vm or vm-mac\n",
				w);
			goto bad;
		}
		if (!v) {
			fprintf(err, "vwctl: connect: %s needs a value\n", w);
			goto bad;
		}
		if ((!strcmp(w, "dev") && !parse_ifname(v, dev)) ||
		    (!strcmp(w, "format") && !parse_format(v, &format)))
			goto bad;
		if (!strcmp(w, "vm") && (!*v || strlen(v) >= 64)) {
			fprintf(err, "vwctl: connect: invalid vm '%s': expected 1-63 characters\n",
				v);
			goto bad;
		}
		if (!strcmp(w, "vm-mac")) {
			if (!vm_mac_list(v, macs, sizeof(macs), err))
				goto bad;
			json_object_object_add(req, "vm_mac",
					       json_object_new_string(macs));
			i++;
			continue;
		}
		json_object_object_add(req, w, json_object_new_string(v));
		i++;
	}
	return vwd_request("connect", req, err);
bad:
	json_object_put(req);
	return 2;
}

int vwd_cmd_disconnect(int argc, char **argv, FILE *err)
{
	json_object *req;
	char dev[IFNAMSIZ];
	uint32_t id;

	if (argc == 2 && !strcmp(argv[0], "dev")) {
		if (!parse_ifname(argv[1], dev))
			return 2;
	} else if (argc != 1 || !parse_id(argv[0], &id)) {
		if (argc != 1)
			fputs("vwctl: disconnect: expected ID or dev NAME\n",
			      err);
		return 2;
	}
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("disconnect"));
	if (argc == 2)
		json_object_object_add(req, "dev", json_object_new_string(dev));
	else
		json_object_object_add(req, "id", json_object_new_int64(id));
	return vwd_request("disconnect", req, err);
}

/* vwd's status, asked once per vwctl run; NULL when vwd did not answer. */
static json_object *status;
static bool status_asked;

const char *vwd_endpoint_note(const struct vw_endpoint *ep)
{
	static char note[128];
	json_object *req, *arr, *m;
	FILE *null;
	size_t i;

	if (!status_asked) {
		status_asked = true;
		null = fopen("/dev/null", "w");
		req = json_object_new_object();
		json_object_object_add(req, "cmd",
				       json_object_new_string("status"));
		/* show must not hang on a stuck vwd: a second at most. */
		vwd_call_timeout_ms = 1000;
		if (null && vwd_call("vwctl", "show", req, &status, null))
			status = NULL;
		json_object_put(req);
		if (null)
			fclose(null);
	}
	if (!status || !json_object_object_get_ex(status, "connectors", &arr))
		return NULL;
	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object *c = json_object_array_get_idx(arr, i);

		if (!json_object_object_get_ex(c, "dev", &m) ||
		    strcmp(json_object_get_string(m), ep->ifname) ||
		    !json_object_object_get_ex(c, "far_gone", &m) ||
		    !json_object_get_boolean(m))
			continue;
		json_object_object_get_ex(c, "far_gone_host", &m);
		if (m && json_object_get_string(m)[0])
			snprintf(note, sizeof(note), "far end gone (host %s)",
				 json_object_get_string(m));
		else
			snprintf(note, sizeof(note), "far end gone");
		return note;
	}
	return NULL;
}
