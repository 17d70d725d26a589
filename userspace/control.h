/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vwd control socket, shared by vwd (the server) and vwctl connect,
 * disconnect and directory (the client): the abstract unix socket
 * @virtualwire/vwd, SOCK_SEQPACKET, one JSON request and one JSON reply
 * per connection.  Abstract names belong to a network namespace, so each
 * namespace has its own vwd; only uid 0 is served (SO_PEERCRED).
 *
 * Requests:  {"cmd":"connect","id":42,"dev":"vw0","format":"vw",
 *             "standby":false,"vm":"V"}
 *            {"cmd":"disconnect","id":42}  or  {"cmd":"disconnect","dev":"vw0"}
 *            {"cmd":"status"}  or  {"cmd":"status","id":42}
 * Replies:   {"ok":true,...}  or  {"ok":false,"error":"...","code":N}
 *            (N: vwctl's exit code, 1 error, 3 exists, 4 not found)
 */
#ifndef VWD_CONTROL_H
#define VWD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* json-c's, declared here: vwctl.c cannot include json-c (json_bool). */
struct json_object;

#define VWD_CONTROL_NAME	"virtualwire/vwd"	/* after the NUL */
#define VWD_CONTROL_MAX		(256 * 1024)		/* one message */

/*
 * Send @request, wait for the reply (at most timeout_ms), *reply: a
 * malloc'd NUL-terminated string.  0, or -1 with errno: ECONNREFUSED or
 * ENOENT when no vwd listens in this network namespace.
 */
int vwd_control_call(const char *request, char **reply, int timeout_ms);

/* The listening socket (close-on-exec, non-blocking), or -1 with errno. */
int vwd_control_listen(void);

/*
 * Accept one connection on @lfd: its request in *req (malloc'd) and the
 * connection's fd, to vwd_control_reply() to.  0; 1 when the peer was
 * refused (not root: it was told, nothing to do); -1 on error.
 */
int vwd_control_accept(int lfd, int *cfd, char **req);
/* Send @reply and close @cfd. */
void vwd_control_reply(int cfd, const char *reply);

/*
 * The client's side in one call: send @req, parse the reply.  0 with
 * *reply set (ok true), or the exit code (the reply's "code", 1 when vwd
 * is not running or answers nonsense) with the reason on @err as
 * "PROG: CMD: ...".
 */
extern int vwd_call_timeout_ms;	/* how long vwd_call() waits: 30 s */
int vwd_call(const char *prog, const char *cmd, struct json_object *req,
	     struct json_object **reply, FILE *err);

/*
 * vwctl directory / vwd status: [ID] [--json] in argv (after the command
 * word), the status asked and printed, on stdout.  Returns the exit code.
 */
int vwd_status_cmd(const char *prog, int argc, char **argv, bool json,
		   FILE *err);

#endif /* VWD_CONTROL_H */
