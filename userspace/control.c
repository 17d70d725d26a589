// SPDX-License-Identifier: GPL-2.0
/*
 * The vwd control socket (control.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "control.h"

static socklen_t control_addr(struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	/* Abstract: sun_path[0] is NUL, the name follows, no NUL counted. */
	memcpy(sun->sun_path + 1, VWD_CONTROL_NAME,
	       strlen(VWD_CONTROL_NAME));
	return offsetof(struct sockaddr_un, sun_path) + 1 +
	       strlen(VWD_CONTROL_NAME);
}

/* One whole message into a malloc'd string, waiting at most timeout_ms. */
static int recv_msg(int fd, char **out, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char *buf;
	ssize_t n;
	int ret;

	ret = poll(&p, 1, timeout_ms);
	if (ret <= 0) {
		if (!ret)
			errno = ETIMEDOUT;
		return -1;
	}
	buf = malloc(VWD_CONTROL_MAX + 1);
	if (!buf)
		return -1;
	n = recv(fd, buf, VWD_CONTROL_MAX, 0);
	if (n <= 0) {
		if (!n)
			errno = ECONNRESET;
		free(buf);
		return -1;
	}
	buf[n] = 0;
	*out = buf;
	return 0;
}

int vwd_control_call(const char *request, char **reply, int timeout_ms)
{
	struct sockaddr_un sun;
	socklen_t len = control_addr(&sun);
	int fd, ret = -1, saved;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, len) ||
	    send(fd, request, strlen(request), MSG_NOSIGNAL) < 0)
		goto out;
	ret = recv_msg(fd, reply, timeout_ms);
out:
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

int vwd_control_listen(void)
{
	struct sockaddr_un sun;
	socklen_t len = control_addr(&sun);
	int fd, saved;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sun, len) || listen(fd, 16)) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int vwd_control_accept(int lfd, int *cfd, char **req)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) ||
	    cred.uid != 0) {
		vwd_control_reply(fd, "{\"ok\":false,\"error\":\"permission denied: vwd serves root only\",\"code\":1}");
		return 1;
	}
	/* A client that connects and sends nothing holds vwd up 2 s at most. */
	if (recv_msg(fd, req, 2000)) {
		close(fd);
		return -1;
	}
	*cfd = fd;
	return 0;
}

void vwd_control_reply(int cfd, const char *reply)
{
	/* A client that went away is no error of vwd's. */
	if (send(cfd, reply, strlen(reply), MSG_NOSIGNAL) < 0)
		errno = 0;
	close(cfd);
}

int vwd_call_timeout_ms = 30000;

int vwd_call(const char *prog, const char *cmd, json_object *req,
	     json_object **reply, FILE *err)
{
	json_object *o, *m;
	char *text = NULL;
	int code;

	if (vwd_control_call(json_object_to_json_string_ext(req,
					JSON_C_TO_STRING_PLAIN), &text,
			     vwd_call_timeout_ms)) {
		if (errno == ECONNREFUSED || errno == ENOENT)
			fprintf(err, "%s: %s: vwd is not running in this network namespace\n",
				prog, cmd);
		else
			fprintf(err, "%s: %s: talking to vwd: %s\n", prog, cmd,
				strerror(errno));
		return 1;
	}
	o = json_tokener_parse(text);
	free(text);
	if (!o || !json_object_object_get_ex(o, "ok", &m)) {
		fprintf(err, "%s: %s: vwd answered something that is not a reply\n",
			prog, cmd);
		json_object_put(o);
		return 1;
	}
	if (json_object_get_boolean(m)) {
		*reply = o;
		return 0;
	}
	code = json_object_object_get_ex(o, "code", &m) ?
	       json_object_get_int(m) : 1;
	if (json_object_object_get_ex(o, "error", &m))
		fprintf(err, "%s: %s: %s\n", prog, cmd,
			json_object_get_string(m));
	json_object_put(o);
	return code > 0 ? code : 1;
}

static const char *member(json_object *o, const char *key)
{
	json_object *m;

	if (!o || !json_object_object_get_ex(o, key, &m) || !m)
		return NULL;
	return json_object_get_string(m);
}

/* member(), "" for none: for what vwd always sends. */
static const char *text(json_object *o, const char *key)
{
	const char *s = member(o, key);

	return s ? s : "";
}

/*
 * The text of the status: the directory's line, then one line per
 * connector, the directory's view against the kernel's:
 *
 *   directory: connected since 2026-12-06 18:00:00 UTC, revision 12, lease 694d...
 *   42 vw0: wired, far end host a dev vw0 (192.0.2.1), kernel udp remote 192.0.2.1, in step
 *   42 vw1: standby, vm web1 vm-mac 52:54:00:12:34:56, far end host a ...
 */
static void print_status_text(FILE *f, json_object *st)
{
	json_object *d, *arr, *m;
	char when[64];
	time_t since;
	struct tm tm;
	size_t i;

	json_object_object_get_ex(st, "directory", &d);
	since = json_object_object_get_ex(d, "since", &m) ?
		json_object_get_int64(m) : 0;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC",
		 gmtime_r(&since, &tm));
	json_object_object_get_ex(d, "connected", &m);
	if (json_object_get_boolean(m))
		fprintf(f, "host %s, directory: connected since %s, revision %s, lease %s\n",
			member(st, "host"), when, member(d, "revision"),
			member(d, "lease"));
	else
		fprintf(f, "host %s, directory: unreachable since %s (%s)\n",
			member(st, "host"), when, member(d, "error"));
	if (!json_object_object_get_ex(st, "connectors", &arr))
		return;
	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object *c = json_object_array_get_idx(arr, i), *far, *k;
		const char *conflict = member(c, "conflict"), *vm, *vm_mac;

		fprintf(f, "%s %s: %s", text(c, "id"), text(c, "dev"),
			text(c, "state"));
		vm = member(c, "vm");
		vm_mac = member(c, "vm_mac");
		if (vm)
			fprintf(f, ", vm %s", vm);
		if (vm_mac)
			fprintf(f, " vm-mac %s", vm_mac);
		json_object_object_get_ex(c, "far", &far);
		json_object_object_get_ex(c, "far_gone", &m);
		if (far)
			fprintf(f, ", far end host %s dev %s%s%s%s",
				member(far, "host"), member(far, "dev"),
				member(far, "addr") ? " (" : "",
				member(far, "addr") ? member(far, "addr") : "",
				member(far, "addr") ? ")" : "");
		else if (json_object_get_boolean(m))
			fputs(", far end gone (keeping the last config)", f);
		else
			fputs(", no far end", f);
		json_object_object_get_ex(c, "kernel", &k);
		if (!k)
			fputs(", kernel: none", f);
		else if (member(k, "id") && member(k, "wire"))
			fprintf(f, ", kernel: %s %s %s%s%s",
				member(k, "wire"),
				member(k, "remote") ? "remote" : "peer",
				member(k, "remote") ? member(k, "remote") :
				member(k, "peer") ? member(k, "peer") : "none",
				member(k, "state") ? " " : "",
				member(k, "state") ? member(k, "state") : "");
		else
			fputs(", kernel: unbound", f);
		json_object_object_get_ex(c, "registered", &m);
		if (!json_object_get_boolean(m))
			fputs(", not registered", f);
		json_object_object_get_ex(c, "in_step", &m);
		fputs(json_object_get_boolean(m) ? ", in step" : ", not in step",
		      f);
		if (conflict)
			fprintf(f, ", conflict: %s", conflict);
		fputc('\n', f);
	}
}

int vwd_status_cmd(const char *prog, int argc, char **argv, bool json,
		   FILE *err)
{
	json_object *req = json_object_new_object(), *rep = NULL;
	/* What the user typed: "vwctl directory" or "vwd status". */
	const char *cmd = strcmp(prog, "vwd") ? "directory" : "status";
	unsigned long id;
	char *end;
	int i, rc;

	json_object_object_add(req, "cmd", json_object_new_string("status"));
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j")) {
			json = true;
			continue;
		}
		errno = 0;
		id = strtoul(argv[i], &end, 0);
		if (*end || end == argv[i] || errno || id > UINT32_MAX ||
		    argv[i][0] == '-' || json_object_object_get_ex(req, "id", NULL)) {
			fprintf(err, "%s: %s: unexpected argument '%s': expected [ID] [--json]\n",
				prog, cmd, argv[i]);
			json_object_put(req);
			return 2;
		}
		json_object_object_add(req, "id", json_object_new_int64(id));
	}
	rc = vwd_call(prog, cmd, req, &rep, err);
	json_object_put(req);
	if (rc)
		return rc;
	json_object_object_del(rep, "ok");
	if (json)
		printf("%s\n", json_object_to_json_string_ext(rep,
					JSON_C_TO_STRING_PLAIN));
	else
		print_status_text(stdout, rep);
	json_object_put(rep);
	return fflush(stdout) ? 1 : 0;
}
