// SPDX-License-Identifier: GPL-2.0
/*
 * vwfuzz_pkt: send malformed and random VirtualWire / VXLAN datagrams to a
 * receiver, and say what the receiver must make of each one.
 *
 *   vwfuzz_pkt -4 SRC,ALT,DST -6 SRC,ALT,DST -e ENDPOINT... [-n COUNT]
 *              [-s SEED]
 *
 * SRC is this host's address the receiver's endpoints name as their remote,
 * ALT a second address of this host (the wrong source), DST the receiver.
 * Each -e ID,FORMAT,PORT,REMOTE[,down][,zrx] describes one endpoint of the
 * receiver (FORMAT vxlan or vw; "down": administratively down; "zrx":
 * udp6zerocsumrx on).  COUNT datagrams (default 1000000) are built from
 * precomputed pieces, each of a random category, and sent through one raw
 * socket per family (IPPROTO_RAW, headers built here) with sendmmsg().
 *
 * For every datagram a model of the receive path (kmod/rx.c and the UDP
 * and IP layers in front of it) predicts its fate: a drop reason of the
 * module, a delivery, or a drop before the module (bad UDP checksum or
 * length, IP fragments that never reassemble).  The output is key=value
 * lines: sent_CATEGORY (datagrams), expect_OUTCOME, packets (IP packets,
 * fragments included), seconds, and enobufs (sends retried after a local
 * drop, so that every datagram counted went out).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VXLAN_PORT	4789
#define VW_PORT		4798
#define VXLAN_FLAG_I	0x08000000u
#define VW_WORD0	0x56570100u
#define RELAY_MARK	0x00000001u	/* a relayed frame (wire-format.rst) */
#define ETH_HLEN	14
#define IP4_HLEN	20
#define IP6_HLEN	40
#define FRAG6_HLEN	8
#define UDP_HLEN	8
#define VW_HLEN		8
#define MTU		1500
#define MAX_UDP		65535
#define BATCH		64
#define MAX_EPS		16
#define POOL		(128 * 1024)

enum { FMT_VXLAN, FMT_VW };

struct endpoint {
	uint32_t id;
	int format;
	uint16_t port;
	int fam;			/* 4 or 6: the remote's family */
	uint8_t remote[16];
	bool down;
	bool zrx;
};

/* Categories of datagrams, as counted in sent_*. */
#define CATEGORIES(X)							\
	X(trunc, 100)	/* 0..15 bytes: part of a header, or a runt */	\
	X(flagbit, 100)	/* one bit of the header's reserved fields */	\
	X(randhdr, 100)	/* 8 random header bytes */			\
	X(randid, 100)	/* valid header, random ID */			\
	X(wrongsrc, 100) /* valid ID from the wrong source */		\
	X(crossport, 50) /* valid ID, the other format's port */		\
	X(inner, 150)	/* valid, garbage inner frame of 0..1400 */	\
	X(ecn, 60)	/* outer CE, inner IP with or without ECT */	\
	X(down, 40)	/* to an endpoint that is down */		\
	X(zerocsum, 50)	/* UDP checksum 0 */				\
	X(badcsum, 60)	/* wrong UDP checksum */			\
	X(badlen, 30)	/* UDP length beyond the datagram, or < 8 */	\
	X(giant, 2)	/* up to 64K: IP fragments */			\
	X(frag, 40)	/* a small datagram in 2-4 IP fragments */	\
	X(fragbad, 18)	/* fragments missing or overlapping */

#define X_ENUM(name, w) C_##name,
enum category { CATEGORIES(X_ENUM) C_NUM };
#define X_NAME(name, w) #name,
static const char *const cat_name[] = { CATEGORIES(X_NAME) };
#define X_WEIGHT(name, w) w,
static const unsigned int cat_weight[] = { CATEGORIES(X_WEIGHT) };

/* Outcomes, as counted in expect_*; the first ones are module counters. */
enum outcome {
	O_RX,			/* delivered: rx_packets of an endpoint */
	O_SHORT, O_BAD_HEADER, O_UNKNOWN_ID,	/* namespace drops */
	O_BAD_SOURCE, O_ZERO_CSUM, O_RUNT, O_DOWN, O_ECN, /* endpoint's */
	O_CSUM4, O_CSUM6,	/* UDP InCsumErrors */
	O_LEN4, O_LEN6,		/* UDP InErrors without a checksum error */
	O_FRAGLOST4, O_FRAGLOST6,	/* never reassembled */
	O_NUM
};

static const char *const out_name[] = {
	"rx", "short", "bad_header", "unknown_id", "bad_source",
	"zero_csum", "runt", "down", "ecn", "csum_err4", "csum_err6", "len_err4",
	"len_err6", "frag_lost4", "frag_lost6",
};

struct family {
	int fam;
	int sock;
	uint8_t src[16], alt[16], dst[16];
	int alen;
	struct sockaddr_storage sa;
	socklen_t salen;
	/* The batch being filled. */
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	uint8_t buf[BATCH][MTU];
	int n;
	uint32_t frag_id;
	unsigned long reasm_ok;
};

static struct endpoint eps[MAX_EPS];
static int neps;
static struct family fam4 = { .fam = 4, .alen = 4 };
static struct family fam6 = { .fam = 6, .alen = 16 };
static unsigned long sent[C_NUM], expect[O_NUM];
static unsigned long packets, enobufs;
static uint8_t pool[POOL];
static uint8_t dgram[MAX_UDP];	/* the UDP datagram being built */
static uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)((rnd() >> 32) * n >> 32);
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* One's complement sum of big-endian 16-bit words, not folded. */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	uint32_t w;

	for (; len >= 4; p += 4, len -= 4) {
		memcpy(&w, p, 4);
		sum += ntohl(w);
	}
	for (; len >= 2; p += 2, len -= 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The UDP checksum of dgram[0..len) from src to f's destination. */
static uint16_t udp_csum(const struct family *f, const uint8_t *src,
			 size_t len)
{
	uint64_t sum = 17 + len;

	sum = csum_add(sum, src, f->alen);
	sum = csum_add(sum, f->dst, f->alen);
	sum = csum_add(sum, dgram, len);
	sum = csum_fold(sum);
	return sum ? sum : 0xffff;
}

static const struct endpoint *ep_lookup(uint32_t id, int format, int port)
{
	int i;

	for (i = 0; i < neps; i++)
		if (eps[i].id == id && eps[i].format == format &&
		    eps[i].port == port)
			return &eps[i];
	return NULL;
}

/*
 * What the receiver does with a datagram that reached its UDP socket
 * intact: the model of vw_udp_encap_recv().  zero: the UDP checksum was 0.
 */
static enum outcome model(const struct family *f, const uint8_t *src,
			  int dport, size_t len, uint8_t tos, bool zero)
{
	const uint8_t *h = dgram + UDP_HLEN, *in = h + VW_HLEN;
	const struct endpoint *ep;
	uint32_t w0, w1, id;
	size_t inlen;
	int format, type;
	uint8_t itos;

	if (len < UDP_HLEN + VW_HLEN)
		return O_SHORT;
	/*
	 * The relay mark (the last bit of word 0) is a valid header bit of
	 * both formats; none of the fuzzed endpoints relays.
	 */
	w0 = get32(h) & ~RELAY_MARK;
	w1 = get32(h + 4);
	if (w0 == VXLAN_FLAG_I && !(w1 & 0xff)) {
		format = FMT_VXLAN;
		id = w1 >> 8;
	} else if (w0 == VW_WORD0) {
		format = FMT_VW;
		id = w1;
	} else {
		return O_BAD_HEADER;
	}
	ep = ep_lookup(id, format, dport);
	if (!ep)
		return O_UNKNOWN_ID;
	if (ep->fam != f->fam || memcmp(ep->remote, src, f->alen))
		return O_BAD_SOURCE;
	if (f->fam == 6 && zero && !ep->zrx)
		return O_ZERO_CSUM;
	/* iptunnel_pull_header() wants an Ethernet header: "short". */
	inlen = len - UDP_HLEN - VW_HLEN;
	if (inlen < ETH_HLEN)
		return O_RUNT;
	if (ep->down)
		return O_DOWN;
	/* RFC 6040: CE outside, not-ECT inside is dropped. */
	type = (in[12] << 8) | in[13];
	if ((tos & 3) != 3)
		return O_RX;
	if (type == 0x0800 && inlen >= ETH_HLEN + IP4_HLEN)
		itos = in[ETH_HLEN + 1];
	else if (type == 0x86dd && inlen >= ETH_HLEN + IP6_HLEN)
		itos = (get32(in + ETH_HLEN) >> 20) & 0xff;
	else
		return O_RX;
	return (itos & 3) ? O_RX : O_ECN;
}

static void flush(struct family *f)
{
	int done = 0, r;

	while (done < f->n) {
		r = sendmmsg(f->sock, f->msg + done, f->n - done, 0);
		if (r > 0) {
			done += r;
		} else if (r < 0 && (errno == ENOBUFS || errno == EAGAIN ||
				     errno == EINTR)) {
			/* Dropped on the way out (IP_RECVERR): send again. */
			enobufs++;
			usleep(1000);
		} else {
			die("sendmmsg");
		}
	}
	packets += f->n;
	f->n = 0;
}

/* A new IP packet of f's batch: its header, and where its payload goes. */
static uint8_t *ip_packet(struct family *f, const uint8_t *src, uint8_t tos,
			  size_t plen, int frag, size_t off, bool more)
{
	uint8_t *p, *ip;
	size_t hlen;

	if (f->n == BATCH)
		flush(f);
	ip = f->buf[f->n];
	if (f->fam == 4) {
		hlen = IP4_HLEN;
		memset(ip, 0, hlen);
		ip[0] = 0x45;
		ip[1] = tos;
		put16(ip + 2, hlen + plen);
		/* The kernel fills in an ID of 0: keep ours for fragments. */
		put16(ip + 4, frag ? f->frag_id : 0);
		put16(ip + 6, frag ? (off >> 3) | (more ? 0x2000 : 0) : 0);
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		memcpy(ip + 12, src, 4);
		memcpy(ip + 16, f->dst, 4);
	} else {
		hlen = IP6_HLEN + (frag ? FRAG6_HLEN : 0);
		put32(ip, 0x60000000u | (uint32_t)tos << 20);
		put16(ip + 4, hlen - IP6_HLEN + plen);
		ip[6] = frag ? 44 : IPPROTO_UDP;
		ip[7] = 64;
		memcpy(ip + 8, src, 16);
		memcpy(ip + 24, f->dst, 16);
		if (frag) {
			p = ip + IP6_HLEN;
			p[0] = IPPROTO_UDP;
			p[1] = 0;
			put16(p + 2, off | (more ? 1 : 0));
			put32(p + 4, f->frag_id);
		}
	}
	f->iov[f->n].iov_base = ip;
	f->iov[f->n].iov_len = hlen + plen;
	f->n++;
	return ip + hlen;
}

/*
 * Send dgram[0..len) in IP fragments of at most MTU bytes; with "bad",
 * one of them is left out or made to overlap its predecessor, so that
 * the datagram never reassembles.
 */
static void send_frags(struct family *f, const uint8_t *src, uint8_t tos,
		       size_t len, size_t max, bool bad)
{
	size_t off, n, nfrags = (len + max - 1) / max;
	unsigned int skip = ~0u, overlap = ~0u, i;

	f->frag_id++;
	if (f->fam == 4 && !(f->frag_id & 0xffff))
		f->frag_id++;
	if (bad) {
		if (rnd() & 1)
			skip = rnd_below(nfrags);
		else
			overlap = 1 + rnd_below(nfrags - 1);
	}
	for (i = 0, off = 0; off < len; i++, off += n) {
		size_t o = off;

		n = len - off < max ? len - off : max;
		if (i == overlap)
			o -= 8;
		if (i == skip)
			continue;
		memcpy(ip_packet(f, src, tos, off + n - o, 1, o, off + n < len),
		       dgram + o, off + n - o);
	}
}

static const struct endpoint *pick_ep(int fam, bool down)
{
	const struct endpoint *ep;
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		ep = &eps[rnd_below(neps)];
		if (ep->fam == fam && ep->down == down)
			return ep;
	}
	fprintf(stderr, "no%s endpoint over IPv%d\n", down ? " down" : "", fam);
	exit(2);
}

static void put_hdr(uint8_t *h, int format, uint32_t id)
{
	if (format == FMT_VXLAN) {
		put32(h, VXLAN_FLAG_I);
		put32(h + 4, id << 8);
	} else {
		put32(h, VW_WORD0);
		put32(h + 4, id);
	}
}

static void garbage(uint8_t *p, size_t len)
{
	size_t off = rnd_below(POOL - len + 1);

	memcpy(p, pool + off, len);
}

/* An inner IPv4 or IPv6 packet, ECN codepoint random. */
static size_t inner_ip(uint8_t *in)
{
	size_t len = ETH_HLEN + 60 + rnd_below(200);
	uint8_t ecn = rnd() & 3;

	garbage(in, len);
	if (rnd() & 1) {
		put16(in + 12, 0x0800);
		in[ETH_HLEN] = 0x45;
		in[ETH_HLEN + 1] = (in[ETH_HLEN + 1] & ~3) | ecn;
	} else {
		put16(in + 12, 0x86dd);
		in[ETH_HLEN] = 0x60 | (in[ETH_HLEN] & 0x0f);
		in[ETH_HLEN + 1] = (in[ETH_HLEN + 1] & ~0x30) | ecn << 4;
	}
	return len;
}

static void send_one(void)
{
	struct family *f = (rnd() & 1) ? &fam4 : &fam6;
	const uint8_t *src = f->src;
	enum category c = C_NUM;
	uint8_t *h = dgram + UDP_HLEN, *in = h + VW_HLEN;
	uint32_t r = rnd_below(1000), w, bit;
	const struct endpoint *ep;
	int csum = 1;		/* 1 right, 0 zero, -1 wrong */
	bool bad_frag = false;
	size_t len = 0, ulen, max;
	uint16_t dport, sum;
	uint8_t tos = rnd() & 0xff;	/* ECN bits included */
	enum outcome o;

	for (c = 0; r >= cat_weight[c]; c++)
		r -= cat_weight[c];
	ep = pick_ep(f->fam, c == C_down);
	dport = ep->port;
	put_hdr(h, ep->format, ep->id);
	len = rnd_below(64);
	garbage(in, len);

	switch (c) {
	case C_trunc:
		break;
	case C_flagbit:
		/* The 32 bits of word 0, then VXLAN's reserved byte. */
		bit = sent[C_flagbit] % 40;
		if (bit < 32) {
			put32(h, get32(h) ^ (1u << bit));
		} else {
			put_hdr(h, FMT_VXLAN, ep->id & 0xffffff);
			put32(h + 4, get32(h + 4) | (1u << (bit - 32)));
		}
		break;
	case C_randhdr:
		garbage(h, VW_HLEN);
		break;
	case C_randid:
		put_hdr(h, ep->format, ep->format == FMT_VXLAN ?
			(uint32_t)rnd() & 0xffffff : (uint32_t)rnd());
		break;
	case C_wrongsrc:
		src = f->alt;
		if (rnd() & 1) {
			/* The right address, but of the other family. */
			ep = pick_ep(f->fam == 4 ? 6 : 4, false);
			put_hdr(h, ep->format, ep->id);
			src = f->src;
		}
		break;
	case C_crossport:
		dport = ep->port == VXLAN_PORT ? VW_PORT : VXLAN_PORT;
		break;
	case C_inner:
		len = rnd_below(1401);
		garbage(in, len);
		break;
	case C_ecn:
		tos |= 3;
		len = inner_ip(in);
		break;
	case C_down:
		break;
	case C_zerocsum:
		csum = 0;
		break;
	case C_badcsum:
		csum = -1;
		break;
	case C_badlen:
		break;
	case C_giant:
		max = MAX_UDP - UDP_HLEN - VW_HLEN - (f->fam == 4 ? IP4_HLEN : 0);
		len = MTU + rnd_below(max - MTU + 1);
		garbage(in, len);
		break;
	case C_frag:
	case C_fragbad:
		len = 100 + rnd_below(2800);
		garbage(in, len);
		bad_frag = c == C_fragbad;
		break;
	default:
		abort();
	}
	sent[c]++;
	len += UDP_HLEN + VW_HLEN;
	if (c == C_trunc)
		len = UDP_HLEN + rnd_below(16);

	/* The UDP header and its checksum. */
	put16(dgram, 49152 + rnd_below(16384));
	put16(dgram + 2, dport);
	put16(dgram + 4, len);
	put16(dgram + 6, 0);
	sum = udp_csum(f, src, len);
	if (csum == 0) {
		sum = 0;
	} else if (csum < 0) {
		do
			w = rnd() & 0xffff;
		while (!w || w == sum);
		sum = w;
	}
	put16(dgram + 6, sum);
	ulen = len;
	if (c == C_badlen) {
		ulen = rnd() & 1 ? 1 + rnd_below(7) :
			len + 1 + rnd_below(MAX_UDP - len);
		put16(dgram + 4, ulen);
	}

	/* Its fate. */
	if (c == C_badlen)
		o = f->fam == 4 ? O_LEN4 : O_LEN6;
	else if (csum < 0)
		o = f->fam == 4 ? O_CSUM4 : O_CSUM6;
	else if (bad_frag)
		o = f->fam == 4 ? O_FRAGLOST4 : O_FRAGLOST6;
	else
		o = model(f, src, dport, len, tos, csum == 0);
	expect[o]++;

	/* Fragments of 8-byte multiples, and room for one to overlap. */
	max = MTU - (f->fam == 4 ? IP4_HLEN : IP6_HLEN + FRAG6_HLEN) - 8;
	max &= ~7ul;
	if (c == C_frag || c == C_fragbad || c == C_giant) {
		if (len <= max)
			max = (len / 2 + 7) & ~7ul;
		send_frags(f, src, tos, len, max, bad_frag);
		if (!bad_frag)
			f->reasm_ok++;
	} else {
		memcpy(ip_packet(f, src, tos, len, 0, 0, false), dgram, len);
	}
}

static void parse_addrs(struct family *f, char *arg)
{
	int af = f->fam == 4 ? AF_INET : AF_INET6;
	char *s = strtok(arg, ","), *a = strtok(NULL, ","),
	     *d = strtok(NULL, ",");

	if (!s || !a || !d || inet_pton(af, s, f->src) != 1 ||
	    inet_pton(af, a, f->alt) != 1 || inet_pton(af, d, f->dst) != 1) {
		fprintf(stderr, "bad -%d addresses\n", f->fam);
		exit(2);
	}
}

static void parse_ep(char *arg)
{
	struct endpoint *ep = &eps[neps];
	char *id = strtok(arg, ","), *fmt = strtok(NULL, ","),
	     *port = strtok(NULL, ","), *remote = strtok(NULL, ","), *opt;

	if (neps == MAX_EPS || !id || !fmt || !port || !remote)
		goto bad;
	ep->id = strtoul(id, NULL, 0);
	ep->format = !strcmp(fmt, "vw") ? FMT_VW : FMT_VXLAN;
	ep->port = atoi(port);
	if (inet_pton(AF_INET, remote, ep->remote) == 1)
		ep->fam = 4;
	else if (inet_pton(AF_INET6, remote, ep->remote) == 1)
		ep->fam = 6;
	else
		goto bad;
	while ((opt = strtok(NULL, ","))) {
		if (!strcmp(opt, "down"))
			ep->down = true;
		else if (!strcmp(opt, "zrx"))
			ep->zrx = true;
		else
			goto bad;
	}
	neps++;
	return;
bad:
	fprintf(stderr, "bad endpoint (ID,FORMAT,PORT,REMOTE[,down][,zrx])\n");
	exit(2);
}

static void open_raw(struct family *f)
{
	int on = 1, i;

	if (f->fam == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&f->sa;

		f->sock = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, f->dst, 4);
		f->salen = sizeof(*sin);
		if (f->sock >= 0 && setsockopt(f->sock, IPPROTO_IP, IP_RECVERR,
					       &on, sizeof(on)))
			die("IP_RECVERR");
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&f->sa;

		f->sock = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, f->dst, 16);
		f->salen = sizeof(*sin6);
		if (f->sock >= 0 && setsockopt(f->sock, IPPROTO_IPV6,
					       IPV6_RECVERR, &on, sizeof(on)))
			die("IPV6_RECVERR");
	}
	if (f->sock < 0)
		die("raw socket");
	for (i = 0; i < BATCH; i++) {
		f->msg[i].msg_hdr.msg_name = &f->sa;
		f->msg[i].msg_hdr.msg_namelen = f->salen;
		f->msg[i].msg_hdr.msg_iov = &f->iov[i];
		f->msg[i].msg_hdr.msg_iovlen = 1;
	}
}

int main(int argc, char **argv)
{
	unsigned long count = 1000000, seq, total = 0;
	struct timespec t0, t1;
	bool have4 = false, have6 = false;
	double secs;
	int opt, i;

	rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((opt = getopt(argc, argv, "4:6:e:n:s:")) != -1) {
		switch (opt) {
		case '4':
			parse_addrs(&fam4, optarg);
			have4 = true;
			break;
		case '6':
			parse_addrs(&fam6, optarg);
			have6 = true;
			break;
		case 'e':
			parse_ep(optarg);
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			rng = strtoull(optarg, NULL, 0);
			break;
		default:
			goto usage;
		}
	}
	if (!have4 || !have6 || !neps || optind != argc)
		goto usage;
	if (!rng)
		rng = 1;
	printf("seed=%llu\n", (unsigned long long)rng);
	for (i = 0; i < POOL; i += 8) {
		uint64_t v = rnd();

		memcpy(pool + i, &v, 8);
	}
	open_raw(&fam4);
	open_raw(&fam6);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (seq = 0; seq < count; seq++)
		send_one();
	flush(&fam4);
	flush(&fam6);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (i = 0; i < C_NUM; i++) {
		printf("sent_%s=%lu\n", cat_name[i], sent[i]);
		total += sent[i];
	}
	printf("sent_total=%lu\n", total);
	for (i = 0; i < O_NUM; i++)
		printf("expect_%s=%lu\n", out_name[i], expect[i]);
	printf("expect_reasm_ok4=%lu\nexpect_reasm_ok6=%lu\n",
	       fam4.reasm_ok, fam6.reasm_ok);
	printf("packets=%lu\nenobufs=%lu\nseconds=%.1f\nrate=%.0f\n",
	       packets, enobufs, secs, total / secs);
	return 0;

usage:
	fprintf(stderr,
		"usage: %s -4 SRC,ALT,DST -6 SRC,ALT,DST -e ID,FORMAT,PORT,REMOTE[,down][,zrx]... [-n COUNT] [-s SEED]\n",
		argv[0]);
	return 2;
}
