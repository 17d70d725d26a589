// SPDX-License-Identifier: GPL-2.0
/*
 * The vwd control socket (control.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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
