// SPDX-License-Identifier: GPL-2.0
/*
 * vwseq: a stream of sequenced UDP datagrams, to measure the frames lost,
 * and how long the traffic stopped, while the path under test changes
 * (a VM, here a network namespace, migrating between hosts:
 * selftests/migration.sh).
 *
 *   vwseq send -d ADDR -p PORT [-r RATE] [-n COUNT | -t SECONDS | -f SECONDS]
 *              [-s SIZE] [-i STREAM_ID]
 *   vwseq recv -p PORT [-b BIND_ADDR] [-t IDLE_S] [-T TOTAL_S]
 *              [-e EXPECTED] [-i STREAM_ID] [-B RCVBUF] [-w]
 *
 * send: RATE datagrams a second (default 1000) to ADDR (IPv4 or IPv6),
 * each SIZE bytes of UDP payload (default 64, at least the 32-byte
 * header): COUNT of them, or RATE * SECONDS, or until SIGINT/SIGTERM.
 * With -f, the count is set by SIGUSR1: the sender goes on for SECONDS
 * more (RATE * SECONDS datagrams, at least one) and stops, and every
 * datagram from the signal on carries the count.  A test that cannot tell
 * how long the change of path takes ends the stream a known time after
 * it so.
 * SIGUSR2 takes a mark: the sequence numbers used before it (the next
 * datagram is the first sent after it), reported as marks=A,B... (the
 * first 16).  A test marks the start and the end of a change of path and
 * knows exactly how many datagrams the sender sent meanwhile, however it
 * was scheduled.
 * Datagram k is due start + k / RATE (clock_nanosleep on CLOCK_MONOTONIC,
 * TIMER_ABSTIME), so the rate does not drift; a sender that fell behind
 * sends the late ones at once, skipping no sequence number.  A send that
 * fails (ENOBUFS, ENETUNREACH...) is counted in send_errors and not
 * retried: its sequence number is gone, the receiver sees a hole.  The
 * socket is not connected, so an ICMP error from the path (port or host
 * unreachable) fails no later send: every error counted is local.
 * Report: sent (datagrams that left), seqs (sequence numbers used),
 * skipped, send_errors, seconds (start to the last send), rate (seqs per
 * second), marks (if any).  Each datagram starts with 32 bytes, big-endian: the magic
 * "VWSQ", STREAM_ID (32 bits), the sequence number (64 bits, from 0), the
 * send time (CLOCK_MONOTONIC, ns) and the count planned (0: until
 * stopped); zeros follow.
 *
 * recv: counts the datagrams of stream STREAM_ID (default 0) arriving on
 * PORT (any address, IPv4 and IPv6, unless -b), with a receive buffer of
 * 4 MiB (or -B RCVBUF bytes; SO_RCVBUFFORCE, else SO_RCVBUF up to
 * net.core.rmem_max), and prints port=N once bound (-p 0: a free port).
 * It stops IDLE_S seconds (default 3) after the last datagram of the
 * stream, once one arrived; after TOTAL_S seconds in all; once every
 * expected datagram arrived; or on SIGINT/SIGTERM, after reading what is
 * queued (stop it after the sender: expected may count datagrams not yet
 * sent).  Then it reports:
 *   received      distinct sequence numbers received
 *   expected      EXPECTED (-e), or the sender's planned count carried in
 *                 the datagrams, or else the highest seq + 1; never less
 *                 than the highest seq + 1
 *   lost          expected - received
 *   rcvbuf_drops  datagrams the receiving socket itself dropped
 *   wire_lost     lost - rcvbuf_drops, at least 0
 *   duplicated    copies of a sequence number already received
 *   reordered     new sequence numbers lower than the highest so far
 *   foreign       datagrams of another stream, a wrong magic or too short
 *   first_seq, last_seq  the lowest and highest seq received
 *   max_gap_ms    the longest time between two consecutive arrivals of
 *                 new sequence numbers (kernel receive timestamps)
 *   max_gap_seqs  the sequence numbers missing in the longest hole
 *   holes         runs of missing sequence numbers
 *   rcvbuf        the receive buffer, as SO_RCVBUF says (twice what
 *                 was asked: the kernel's share for its overhead)
 *   lost_ranges   with -w, the holes: 10-20,35 (the first 100 of them)
 * A bitmap of the sequence numbers received (sized by -e, grown as
 * needed) makes duplicates and reorders exact; a sequence number of 2^28
 * or more (3 days at 1000/s) is foreign.  Exit status: 0 after a report,
 * 1 on a system error, 2 on bad arguments.
 *
 * Loss on the path and loss in the receiver are told apart: a slow guest
 * (QEMU TCG) may not read its socket in time, and the datagrams its full
 * receive buffer refuses never were lost by the network.  The socket
 * counts them (SO_RXQ_OVFL on each datagram, SO_MEMINFO at the end), and
 * wire_lost leaves them out.  That counter also holds datagrams with a
 * bad UDP checksum, and any datagram the socket dropped whether or not
 * of this stream (a duplicate, a foreign one), hence wire_lost is a lower
 * bound of the path's loss, clamped at 0.
 *
 * Options for the tests (scripts/tests/vwseq.sh): send --skip A[-B] (may
 * repeat): use those sequence numbers without sending them; --dup K: send
 * seq K twice; --swap K: send K + 1 before K.  recv --stall-ms MS: stop
 * reading for MS ms after the first datagram (with a small -B, the socket
 * overflows).
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <linux/sock_diag.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VWSEQ_MAGIC	0x56575351u	/* "VWSQ" */
#define NSEC		1000000000ull
#define MAX_SEQ		(1ull << 28)	/* a 32 MiB bitmap; 3 days at 1000/s */
#define MAX_SIZE	65507		/* UDP payload over IPv4 */
#define MAX_SKIPS	8
#define MAX_RANGES	100		/* lost_ranges printed */
#define MAX_MARKS	16
#define BATCH		64
#define SLOT		128		/* bytes read of each datagram */
#define RCVBUF		(4 << 20)
#define NONE		UINT64_MAX

/* The datagram's first bytes, big-endian. */
struct vwseq_hdr {
	uint32_t magic;
	uint32_t stream;
	uint64_t seq;		/* 0, 1, 2... */
	uint64_t send_ns;	/* the sender's CLOCK_MONOTONIC */
	uint64_t total;		/* datagrams planned; 0: until stopped */
};

_Static_assert(sizeof(struct vwseq_hdr) == 32, "header layout");

static const char *prog;
static volatile sig_atomic_t stop, finish, marks_asked;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		finish = 1;
	else if (sig == SIGUSR2)
		marks_asked++;
	else
		stop = 1;
}

/*
 * SIGINT and SIGTERM set stop, SIGUSR1 (if asked) finish, SIGUSR2 (if
 * asked) asks for a mark; they interrupt a sleep (no SA_RESTART).
 */
static void catch_signals(bool usr1, bool usr2)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (usr1)
		sigaction(SIGUSR1, &sa, NULL);
	if (usr2)
		sigaction(SIGUSR2, &sa, NULL);
}

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s send -d ADDR -p PORT [-r RATE] [-n COUNT | -t SECONDS | -f SECONDS] [-s SIZE] [-i STREAM_ID]\n"
		"       %s recv -p PORT [-b BIND_ADDR] [-t IDLE_S] [-T TOTAL_S] [-e EXPECTED] [-i STREAM_ID] [-B RCVBUF] [-w]\n",
		prog, prog);
	exit(2);
}

static uint64_t parse_u64(const char *s, uint64_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v > max) {
		fprintf(stderr, "%s: bad number '%s'\n", prog, s);
		usage();
	}
	return v;
}

static double parse_secs(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= 0 && v < 1e9)) {
		fprintf(stderr, "%s: bad number of seconds '%s'\n", prog, s);
		usage();
	}
	return v;
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

static struct addrinfo *resolve(const char *host, const char *port,
				int flags)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_DGRAM,
		.ai_flags = AI_NUMERICSERV | flags,
	};
	struct addrinfo *ai;
	int err = getaddrinfo(host, port, &hints, &ai);

	if (err) {
		fprintf(stderr, "%s: %s port %s: %s\n", prog,
			host ? host : "*", port, gai_strerror(err));
		exit(1);
	}
	return ai;
}

/* ------------------------------------------------------------- send --- */

struct range {
	uint64_t lo, hi;
};

static int do_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "skip", required_argument, NULL, 'S' },
		{ "dup", required_argument, NULL, 'D' },
		{ "swap", required_argument, NULL, 'W' },
		{}
	};
	const char *dst = NULL, *port = NULL;
	uint64_t rate = 1000, total = 0, size = 64, stream = 0;
	uint64_t dup = NONE, swap = NONE;
	uint64_t sent = 0, skipped = 0, errors = 0, slot, start, end;
	struct range skip[MAX_SKIPS];
	uint64_t marks[MAX_MARKS];
	int nskip = 0, nmarks = 0, opt, fd, i;
	struct vwseq_hdr h;
	struct addrinfo *ai;
	double secs = -1, tail_secs = -1;
	uint64_t tail = 0;
	char *buf, *dash;

	while ((opt = getopt_long(argc, argv, "d:p:r:n:t:f:s:i:", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'd':
			dst = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		case 'r':
			rate = parse_u64(optarg, NSEC);
			break;
		case 'n':
			total = parse_u64(optarg, MAX_SEQ);
			if (!total)
				usage();
			break;
		case 't':
			secs = parse_secs(optarg);
			break;
		case 'f':
			tail_secs = parse_secs(optarg);
			break;
		case 's':
			size = parse_u64(optarg, MAX_SIZE);
			break;
		case 'i':
			stream = parse_u64(optarg, UINT32_MAX);
			break;
		case 'D':
			dup = parse_u64(optarg, MAX_SEQ);
			break;
		case 'W':
			swap = parse_u64(optarg, MAX_SEQ);
			break;
		case 'S':
			if (nskip == MAX_SKIPS)
				usage();
			dash = strchr(optarg, '-');
			if (dash)
				*dash++ = '\0';
			skip[nskip].lo = parse_u64(optarg, MAX_SEQ);
			skip[nskip].hi = dash ? parse_u64(dash, MAX_SEQ) :
						skip[nskip].lo;
			nskip++;
			break;
		default:
			usage();
		}
	}
	if (!dst || !port || optind != argc || !rate ||
	    size < sizeof(h) || (total && secs >= 0) ||
	    (tail_secs >= 0 && (total || secs >= 0)))
		usage();
	if (secs >= 0) {
		if (secs * rate + 0.5 < 1 || secs * rate + 0.5 > MAX_SEQ)
			usage();
		total = (uint64_t)(secs * rate + 0.5);
	}
	if (swap != NONE && total && swap + 1 >= total)
		usage();
	if (tail_secs >= 0) {
		if (tail_secs * rate + 0.5 > MAX_SEQ)
			usage();
		tail = (uint64_t)(tail_secs * rate + 0.5);
		if (!tail)
			tail = 1;
	}

	ai = resolve(dst, port, 0);
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	buf = calloc(1, size);
	if (!buf)
		die("calloc");
	h.magic = htobe32(VWSEQ_MAGIC);
	h.stream = htobe32(stream);
	h.total = htobe64(total);
	catch_signals(tail != 0, true);

	start = now_ns(CLOCK_MONOTONIC);
	for (slot = 0; !total || slot < total; slot++) {
		/* Slot k's deadline, without overflowing k * NSEC. */
		uint64_t due = start + slot / rate * NSEC +
			       slot % rate * NSEC / rate;
		struct timespec ts = {
			.tv_sec = due / NSEC, .tv_nsec = due % NSEC,
		};
		uint64_t seq = slot;

		while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
						&ts, NULL) == EINTR)
			;
		if (stop)
			break;
		/* Every datagram before this slot has left. */
		while (nmarks < marks_asked && nmarks < MAX_MARKS)
			marks[nmarks++] = slot;
		if (finish && !total) {
			/* Slot is due now: it is the first of the tail. */
			total = slot + tail;
			h.total = htobe64(total);
		}
		if (slot == swap)
			seq = swap + 1;
		else if (swap != NONE && slot == swap + 1)
			seq = swap;
		for (i = 0; i < nskip; i++)
			if (seq >= skip[i].lo && seq <= skip[i].hi)
				break;
		if (i < nskip) {
			skipped++;
			continue;
		}
		for (i = 0; i < (seq == dup ? 2 : 1); i++) {
			h.seq = htobe64(seq);
			h.send_ns = htobe64(now_ns(CLOCK_MONOTONIC));
			memcpy(buf, &h, sizeof(h));
			if (sendto(fd, buf, size, 0, ai->ai_addr,
				   ai->ai_addrlen) >= 0) {
				sent++;
				continue;
			}
			if (++errors <= 10)
				fprintf(stderr, "%s: send seq %llu: %s\n",
					prog, (unsigned long long)seq,
					strerror(errno));
		}
	}
	end = now_ns(CLOCK_MONOTONIC);

	printf("sent=%llu\nseqs=%llu\nskipped=%llu\nsend_errors=%llu\n",
	       (unsigned long long)sent, (unsigned long long)slot,
	       (unsigned long long)skipped, (unsigned long long)errors);
	printf("seconds=%.3f\nrate=%.1f\n", (end - start) / 1e9,
	       end > start ? slot * 1e9 / (end - start) : 0.0);
	for (i = 0; i < nmarks; i++)
		printf("%s%llu", i ? "," : "marks=",
		       (unsigned long long)marks[i]);
	if (nmarks)
		printf("\n");
	freeaddrinfo(ai);
	free(buf);
	close(fd);
	return 0;
}

/* ------------------------------------------------------------- recv --- */

struct rx {
	uint32_t stream;
	uint64_t *bits;		/* sequence numbers received */
	uint64_t cap;		/* bits allocated, a multiple of 64 */
	uint64_t received, duplicated, reordered, foreign;
	uint64_t lowest, highest;	/* NONE until the first */
	uint64_t total;		/* the sender's planned count, 0: unknown */
	uint64_t last_ns;	/* receive time of the last new seq */
	uint64_t max_gap_ns;
	uint32_t ovfl;		/* the socket's drop counter, SO_RXQ_OVFL */
};

static bool seen(const struct rx *rx, uint64_t seq)
{
	return seq < rx->cap && rx->bits[seq / 64] >> (seq % 64) & 1;
}

/* Room in the bitmap for sequence numbers up to SEQ. */
static void grow(struct rx *rx, uint64_t seq)
{
	uint64_t cap = rx->cap ? rx->cap : 4096;

	while (cap <= seq)
		cap *= 2;
	if (cap == rx->cap)
		return;
	rx->bits = realloc(rx->bits, cap / 8);
	if (!rx->bits)
		die("realloc");
	memset(rx->bits + rx->cap / 64, 0, (cap - rx->cap) / 8);
	rx->cap = cap;
}

static void mark(struct rx *rx, uint64_t seq)
{
	grow(rx, seq);
	rx->bits[seq / 64] |= 1ull << (seq % 64);
}

/* One datagram of LEN bytes (maybe more than read), received at RX_NS. */
static void account(struct rx *rx, const void *buf, size_t len,
		    uint64_t rx_ns)
{
	struct vwseq_hdr h;
	uint64_t seq, total;

	memcpy(&h, buf, sizeof(h));
	seq = be64toh(h.seq);
	if (len < sizeof(h) || be32toh(h.magic) != VWSEQ_MAGIC ||
	    be32toh(h.stream) != rx->stream || seq >= MAX_SEQ) {
		rx->foreign++;
		return;
	}
	total = be64toh(h.total);
	if (total <= MAX_SEQ && total > rx->total)
		rx->total = total;
	if (seen(rx, seq)) {
		rx->duplicated++;
		return;
	}
	if (rx->highest != NONE && seq < rx->highest)
		rx->reordered++;
	mark(rx, seq);
	rx->received++;
	if (rx->highest == NONE || seq > rx->highest)
		rx->highest = seq;
	if (rx->lowest == NONE || seq < rx->lowest)
		rx->lowest = seq;
	if (rx->last_ns && rx_ns > rx->last_ns &&
	    rx_ns - rx->last_ns > rx->max_gap_ns)
		rx->max_gap_ns = rx_ns - rx->last_ns;
	rx->last_ns = rx_ns;
}

/* The receiving socket: ADDR, or any (IPv6 and IPv4); RCVBUF bytes. */
static int rx_socket(const char *addr, const char *port, int rcvbuf)
{
	struct addrinfo *ai = resolve(addr ? addr : "::", port, AI_PASSIVE);
	int on = 1, off = 0, fd;

	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 && !addr && errno == EAFNOSUPPORT) {
		/* A kernel without IPv6. */
		freeaddrinfo(ai);
		ai = resolve("0.0.0.0", port, AI_PASSIVE);
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	}
	if (fd < 0)
		die("socket");
	if (!addr && ai->ai_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)))
		die("IPV6_V6ONLY");
	/* Beyond net.core.rmem_max with CAP_NET_ADMIN, else up to it. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))
		die("SO_RCVBUF");
	if (setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on)))
		die("SO_RXQ_OVFL");
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)))
		die("SO_TIMESTAMPNS");
	if (bind(fd, ai->ai_addr, ai->ai_addrlen))
		die("bind");
	freeaddrinfo(ai);
	return fd;
}

/* The socket's port, printed for the caller once it can send. */
static void print_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		die("getsockname");
	printf("port=%u\n", ntohs(ss.ss_family == AF_INET6 ?
				  ((struct sockaddr_in6 *)&ss)->sin6_port :
				  ((struct sockaddr_in *)&ss)->sin_port));
	fflush(stdout);
}

/*
 * The holes in [0, expected): their count, the longest and, with -w, the
 * first MAX_RANGES of them.
 */
static void report_holes(const struct rx *rx, uint64_t expected,
			 bool ranges)
{
	uint64_t seq, lo, holes = 0, longest = 0;

	if (ranges)
		printf("lost_ranges=");
	for (seq = 0; seq < expected; seq++) {
		if (seen(rx, seq))
			continue;
		lo = seq;
		while (seq + 1 < expected && !seen(rx, seq + 1))
			seq++;
		if (seq - lo + 1 > longest)
			longest = seq - lo + 1;
		if (ranges && holes < MAX_RANGES) {
			printf("%s%llu", holes ? "," : "",
			       (unsigned long long)lo);
			if (seq > lo)
				printf("-%llu", (unsigned long long)seq);
		} else if (ranges && holes == MAX_RANGES) {
			printf(",...");
		}
		holes++;
	}
	if (ranges)
		printf("\n");
	printf("holes=%llu\nmax_gap_seqs=%llu\n", (unsigned long long)holes,
	       (unsigned long long)longest);
}

static void report(const struct rx *rx, int fd, uint64_t expected,
		   bool ranges)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);
	uint64_t drops = rx->ovfl, lost;
	int rcvbuf = 0;

	if (!expected)
		expected = rx->total;
	if (rx->highest != NONE && rx->highest + 1 > expected)
		expected = rx->highest + 1;
	lost = expected - rx->received;
	/* The last datagram's SO_RXQ_OVFL misses drops after it. */
	if (!getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) &&
	    len > SK_MEMINFO_DROPS * sizeof(*mem) &&
	    mem[SK_MEMINFO_DROPS] > drops)
		drops = mem[SK_MEMINFO_DROPS];
	len = sizeof(rcvbuf);
	getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len);

	printf("received=%llu\nexpected=%llu\nlost=%llu\n",
	       (unsigned long long)rx->received, (unsigned long long)expected,
	       (unsigned long long)lost);
	/*
	 * wire_lost: the sequence numbers missing, less those the socket
	 * itself refused (its buffer full: the receiver too slow), is what
	 * the path lost.  The socket's counter may also hold datagrams that
	 * are missing from no count here (a duplicate, another stream's, a
	 * bad checksum), so the difference can fall below 0: clamped, it is
	 * a lower bound.
	 */
	printf("rcvbuf_drops=%llu\nwire_lost=%llu\n", (unsigned long long)drops,
	       (unsigned long long)(lost > drops ? lost - drops : 0));
	printf("duplicated=%llu\nreordered=%llu\nforeign=%llu\n",
	       (unsigned long long)rx->duplicated,
	       (unsigned long long)rx->reordered,
	       (unsigned long long)rx->foreign);
	if (rx->highest == NONE)
		printf("first_seq=none\nlast_seq=none\n");
	else
		printf("first_seq=%llu\nlast_seq=%llu\n",
		       (unsigned long long)rx->lowest,
		       (unsigned long long)rx->highest);
	printf("max_gap_ms=%.3f\n", rx->max_gap_ns / 1e6);
	report_holes(rx, expected, ranges);
	printf("rcvbuf=%d\n", rcvbuf);
}

/*
 * Read up to BATCH queued datagrams, without waiting: how many (0: none
 * queued).
 */
static int rx_batch(struct rx *rx, int fd)
{
	static char bufs[BATCH][SLOT];
	static union {
		char buf[CMSG_SPACE(sizeof(uint32_t)) +
			 CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctrl[BATCH];
	static struct mmsghdr msgs[BATCH];
	static struct iovec iovs[BATCH];
	int n, i;

	for (i = 0; i < BATCH; i++) {
		iovs[i] = (struct iovec){ bufs[i], SLOT };
		msgs[i].msg_hdr = (struct msghdr){
			.msg_iov = &iovs[i], .msg_iovlen = 1,
			.msg_control = ctrl[i].buf,
			.msg_controllen = sizeof(ctrl[i].buf),
		};
	}
	/* MSG_TRUNC: msg_len is the datagram's length, not what was read. */
	n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT | MSG_TRUNC, NULL);
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		die("recvmmsg");
	for (i = 0; i < n; i++) {
		struct msghdr *m = &msgs[i].msg_hdr;
		uint64_t ts = 0;
		struct cmsghdr *c;
		struct timespec t;

		for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
			if (c->cmsg_level != SOL_SOCKET)
				continue;
			/* The socket's drops so far, when not 0. */
			if (c->cmsg_type == SO_RXQ_OVFL)
				memcpy(&rx->ovfl, CMSG_DATA(c),
				       sizeof(rx->ovfl));
			if (c->cmsg_type == SO_TIMESTAMPNS) {
				memcpy(&t, CMSG_DATA(c), sizeof(t));
				ts = t.tv_sec * NSEC + t.tv_nsec;
			}
		}
		if (!ts)
			ts = now_ns(CLOCK_REALTIME);
		account(rx, bufs[i], msgs[i].msg_len, ts);
	}
	return n < 0 ? 0 : n;
}

static int do_recv(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stall-ms", required_argument, NULL, 'L' },
		{}
	};
	const char *addr = NULL, *port = NULL;
	uint64_t expected = 0, idle = 3 * NSEC, limit = 0, stall = 0;
	uint64_t t0, last = 0, now, wait, want, before;
	struct rx rx = { .lowest = NONE, .highest = NONE };
	int rcvbuf = RCVBUF, opt, fd, n;
	bool ranges = false;
	sigset_t block, unblocked;
	struct pollfd pfd;
	struct timespec ts;

	while ((opt = getopt_long(argc, argv, "p:b:t:T:e:i:B:w", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'p':
			port = optarg;
			break;
		case 'b':
			addr = optarg;
			break;
		case 't':
			idle = parse_secs(optarg) * NSEC;
			break;
		case 'T':
			limit = parse_secs(optarg) * NSEC;
			break;
		case 'e':
			expected = parse_u64(optarg, MAX_SEQ);
			break;
		case 'i':
			rx.stream = parse_u64(optarg, UINT32_MAX);
			break;
		case 'B':
			rcvbuf = parse_u64(optarg, INT32_MAX / 2);
			break;
		case 'w':
			ranges = true;
			break;
		case 'L':
			stall = parse_u64(optarg, 3600000) * 1000000;
			break;
		default:
			usage();
		}
	}
	if (!port || optind != argc)
		usage();
	if (expected)
		grow(&rx, expected - 1);

	/*
	 * SIGINT and SIGTERM are taken only in ppoll(), when the queue was
	 * read: what arrived before them is counted.
	 */
	catch_signals(false, false);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGTERM);

	fd = rx_socket(addr, port, rcvbuf);
	print_port(fd);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	t0 = now_ns(CLOCK_MONOTONIC);
	for (;;) {
		before = rx.received + rx.duplicated;
		n = rx_batch(&rx, fd);
		now = now_ns(CLOCK_MONOTONIC);
		if (rx.received + rx.duplicated > before) {
			/* --stall-ms: the receiver falls behind, once. */
			if (!last && stall) {
				ts.tv_sec = stall / NSEC;
				ts.tv_nsec = stall % NSEC;
				nanosleep(&ts, NULL);
			}
			last = now;
		}
		if (n == BATCH)
			continue;
		/* Every datagram queued was read. */
		want = expected ? expected : rx.total;
		if (stop || (want && rx.received == want &&
			     rx.highest + 1 == want))
			break;
		wait = NONE;
		if (last) {
			if (now - last >= idle)
				break;
			wait = idle - (now - last);
		}
		if (limit) {
			if (now - t0 >= limit)
				break;
			if (limit - (now - t0) < wait)
				wait = limit - (now - t0);
		}
		if (n > 0)
			continue;
		ts.tv_sec = wait / NSEC;
		ts.tv_nsec = wait % NSEC;
		if (ppoll(&pfd, 1, wait == NONE ? NULL : &ts, &unblocked) < 0 &&
		    errno != EINTR)
			die("ppoll");
	}
	report(&rx, fd, expected, ranges);
	free(rx.bits);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	prog = argv[0];
	if (argc < 2)
		usage();
	/* getopt sees "send -d ..." as the mode's own argv. */
	if (!strcmp(argv[1], "send"))
		return do_send(argc - 1, argv + 1);
	if (!strcmp(argv[1], "recv"))
		return do_recv(argc - 1, argv + 1);
	usage();
}
