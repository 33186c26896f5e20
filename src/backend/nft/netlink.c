/*
 * netlink.c - the nf_tables netlink writer, and the only file that builds
 * netlink messages. Spoken directly from the kernel's uapi headers
 * (linux/netfilter/nf_tables.h, nfnetlink.h), as systemd's firewall code
 * does with its own writer.
 *
 * A batch is one buffer: messages are appended with their attributes and
 * sent in one sendmsg(), framed by NFNL_MSG_BATCH_BEGIN (carrying
 * NFNL_BATCH_GENID, so a ruleset changed meanwhile fails the batch with
 * ERESTART) and NFNL_MSG_BATCH_END. The kernel applies all of it or none.
 * Every message asks for an ack; a failed batch answers with an error for
 * each refused message and error-0 acks for the rest, so the batch failed
 * if any ack carries an error, and that message is named by its sequence
 * number. The socket buffer is raised with SO_SNDBUFFORCE for large
 * batches. Nothing here knows what a rule means.
 */
#include "backend/nft/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static void *room(struct ew_nl_batch *b, size_t len)
{
	size_t need = b->len + NLMSG_ALIGN(len);
	void *p;

	if (b->nomem)
		return NULL;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *grown;

		while (cap < need)
			cap *= 2;
		grown = realloc(b->buf, cap);
		if (!grown) {
			b->nomem = 1;
			return NULL;
		}
		b->buf = grown;
		b->cap = cap;
	}
	p = b->buf + b->len;
	memset(p, 0, NLMSG_ALIGN(len));
	b->len = need;
	return p;
}

void ew_nl_init(struct ew_nl_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->msg = (size_t)-1;
	b->seq = b->first = 1;
}

void ew_nl_free(struct ew_nl_batch *b)
{
	free(b->buf);
	free(b->what);
	ew_nl_init(b);
}

static void end_msg(struct ew_nl_batch *b)
{
	if (b->msg != (size_t)-1 && !b->nomem)
		((struct nlmsghdr *)(void *)(b->buf + b->msg))->nlmsg_len = (uint32_t)(b->len - b->msg);
	b->msg = (size_t)-1;
}

static void header(struct ew_nl_batch *b, int type, int flags, int family, int res_id)
{
	struct nlmsghdr *h;
	struct nfgenmsg *g;

	end_msg(b);
	b->msg = b->len;
	h = room(b, NLMSG_HDRLEN + sizeof(*g));
	if (!h)
		return;
	h->nlmsg_type = (uint16_t)type;
	h->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	h->nlmsg_seq = b->seq++;
	g = (void *)((unsigned char *)h + NLMSG_HDRLEN);
	g->nfgen_family = (uint8_t)family;
	g->version = NFNETLINK_V0;
	g->res_id = htons((uint16_t)res_id);
}

void ew_nl_msg(struct ew_nl_batch *b, int type, int flags, int family, const char *what)
{
	size_t i = b->seq - b->first;

	if (i == b->capwhat && !b->nomem) {
		size_t cap = b->capwhat ? b->capwhat * 2 : 64;
		struct ew_nl_what *grown = realloc(b->what, cap * sizeof(*grown));

		if (!grown)
			b->nomem = 1;
		else
			b->what = grown, b->capwhat = cap;
	}
	header(b, (NFNL_SUBSYS_NFTABLES << 8) | type, flags | NLM_F_ACK, family, 0);
	if (i < b->capwhat) {
		snprintf(b->what[i].text, sizeof(b->what[i].text), "%s", what);
		b->what[i].at = b->msg;
		b->what[i].item0 = 0;
		b->what[i].per = 1;
		b->nwhat = i + 1;
	}
}

void ew_nl_items(struct ew_nl_batch *b, uint32_t first, uint32_t per)
{
	if (b->nwhat) {
		b->what[b->nwhat - 1].item0 = first;
		b->what[b->nwhat - 1].per = per ? per : 1;
	}
}

/* The attribute of NLMSGERR_ATTR_* type in an error reply's TLVs, or NULL. */
static const struct nlattr *ack_tlv(const struct nlmsghdr *h, int type)
{
	const unsigned char *p = (const unsigned char *)h;
	size_t pos = NLMSG_HDRLEN + sizeof(struct nlmsgerr);

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || !(h->nlmsg_flags & NLM_F_CAPPED))
		return NULL;    /* the socket asks for capped acks: anything else is odd */
	while (pos + NLA_HDRLEN <= h->nlmsg_len) {
		const struct nlattr *a = (const void *)(p + pos);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > h->nlmsg_len - pos)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		pos += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

/* Which item (1-based) of the attribute holding offset off, in message m
 * of len bytes, contains off; 0 when none does. */
static uint32_t item_at(const unsigned char *m, size_t len, uint32_t off)
{
	size_t pos = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));

	while (pos + NLA_HDRLEN <= len) {
		const struct nlattr *a = (const void *)(m + pos);
		size_t end = pos + a->nla_len, in = pos + NLA_HDRLEN;
		uint32_t k = 0;

		if (a->nla_len < NLA_HDRLEN || end > len)
			return 0;
		while (off >= in && off < end && in + NLA_HDRLEN <= end) {
			const struct nlattr *item = (const void *)(m + in);

			if (item->nla_len < NLA_HDRLEN || in + item->nla_len > end)
				return 0;
			k++;
			if (off < in + item->nla_len)
				return k;
			in += NLA_ALIGN(item->nla_len);
		}
		pos += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

/* " (element N)" when the kernel pinned its refusal on a numbered item. */
static void name_item(const struct ew_nl_batch *b, uint32_t i, const struct nlmsghdr *h,
		      char *buf, size_t n)
{
	const struct nlattr *offs = ack_tlv(h, NLMSGERR_ATTR_OFFS);
	const struct nlmsghdr *m;
	uint32_t off, k;

	buf[0] = '\0';
	if (!offs || offs->nla_len < NLA_HDRLEN + 4 || i >= b->nwhat || !b->what[i].item0 ||
	    b->what[i].at + NLMSG_HDRLEN > b->len)
		return;
	memcpy(&off, (const unsigned char *)offs + NLA_HDRLEN, sizeof(off));
	m = (const void *)(b->buf + b->what[i].at);
	if (m->nlmsg_len > b->len - b->what[i].at)
		return;
	k = item_at(b->buf + b->what[i].at, m->nlmsg_len, off);
	if (k)
		snprintf(buf, n, " (element %u)", b->what[i].item0 + (k - 1) / b->what[i].per);
}

void ew_nl_put(struct ew_nl_batch *b, int type, const void *data, size_t len)
{
	struct nlattr *a = room(b, NLA_HDRLEN + len);

	if (!a)
		return;
	a->nla_type = (uint16_t)type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((unsigned char *)a + NLA_HDRLEN, data, len);
}

void ew_nl_put_str(struct ew_nl_batch *b, int type, const char *s)
{
	ew_nl_put(b, type, s, strlen(s) + 1);
}

void ew_nl_put_be32(struct ew_nl_batch *b, int type, uint32_t v)
{
	uint32_t be = htonl(v);

	ew_nl_put(b, type, &be, sizeof(be));
}

void ew_nl_nest(struct ew_nl_batch *b, int type)
{
	size_t at = b->len;
	struct nlattr *a = room(b, NLA_HDRLEN);

	if (!a || b->depth == (int)(sizeof(b->nest) / sizeof(b->nest[0]))) {
		b->nomem = 1;
		return;
	}
	a->nla_type = (uint16_t)(type | NLA_F_NESTED);
	b->nest[b->depth++] = at;
}

void ew_nl_end_nest(struct ew_nl_batch *b)
{
	size_t at;

	if (b->nomem || !b->depth)
		return;
	at = b->nest[--b->depth];
	((struct nlattr *)(void *)(b->buf + at))->nla_len = (uint16_t)(b->len - at);
}

void ew_nl_request(struct ew_nl_batch *b, int type, int flags, int family)
{
	header(b, (NFNL_SUBSYS_NFTABLES << 8) | type, flags, family, 0);
}

void ew_nl_end(struct ew_nl_batch *b)
{
	end_msg(b);
}

int ew_nl_socket(void)
{
	struct timeval tv = { 5, 0 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

int ew_nl_dump(int fd, struct ew_nl_batch *req, ew_nl_parse_fn parse, void *ctx)
{
	static unsigned char buf[64 * 1024];
	int rounds = 0, done = 0, error = 0;

	end_msg(req);
	if (req->nomem || send(fd, req->buf, req->len, 0) != (ssize_t)req->len)
		return -1;
	while (!done && rounds++ < 1 << 20) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);

		if (got <= 0 || parse(ctx, buf, (size_t)got, &done, &error))
			return -1;
	}
	if (error)
		errno = error;
	return error || !done ? -1 : 0;
}

/* NFT_MSG_GETGEN: the ruleset's generation, for NFNL_BATCH_GENID. */
static int genid(int fd, uint32_t *id)
{
	struct ew_nl_batch q;
	unsigned char buf[512];
	ssize_t got;
	int rc = -1;

	ew_nl_init(&q);
	ew_nl_request(&q, NFT_MSG_GETGEN, 0, NFPROTO_UNSPEC);
	ew_nl_end(&q);
	if (!q.nomem && send(fd, q.buf, q.len, 0) == (ssize_t)q.len &&
	    (got = recv(fd, buf, sizeof(buf), 0)) >= (ssize_t)(NLMSG_HDRLEN + sizeof(struct nfgenmsg))) {
		const struct nlmsghdr *h = (const void *)buf;
		size_t pos = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));

		while (h->nlmsg_len <= (size_t)got && pos + NLA_HDRLEN + 4 <= h->nlmsg_len) {
			const struct nlattr *a = (const void *)(buf + pos);

			if (a->nla_len < NLA_HDRLEN)
				break;
			if ((a->nla_type & NLA_TYPE_MASK) == NFTA_GEN_ID && a->nla_len >= NLA_HDRLEN + 4) {
				memcpy(id, buf + pos + NLA_HDRLEN, 4);
				*id = ntohl(*id);
				rc = 0;
				break;
			}
			pos += NLA_ALIGN(a->nla_len);
		}
	}
	ew_nl_free(&q);
	return rc;
}

int ew_nl_genid(uint32_t *gen)
{
	int fd = ew_nl_socket(), rc;

	if (fd < 0)
		return -1;
	rc = genid(fd, gen);
	close(fd);
	return rc;
}

/* The whole buffer: begin, the messages, end. */
static int frame(struct ew_nl_batch *b, uint32_t gen, struct ew_nl_batch *out)
{
	ew_nl_init(out);
	out->seq = b->seq + 1;  /* begin and end: numbers no message has */
	header(out, NFNL_MSG_BATCH_BEGIN, 0, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
	ew_nl_put_be32(out, NFNL_BATCH_GENID, gen);
	end_msg(out);
	if (!room(out, b->len))
		return -1;
	memcpy(out->buf + out->len - NLMSG_ALIGN(b->len), b->buf, b->len);
	header(out, NFNL_MSG_BATCH_END, 0, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
	end_msg(out);
	return out->nomem ? -1 : 0;
}

int ew_nl_errno(const void *payload)
{
	int e;

	memcpy(&e, payload, sizeof(e));
	return e > 0 || e < -4095 ? EIO : -e;
}

void ew_nl_acks(const struct ew_nl_batch *b, const void *buf, size_t len, uint32_t *have,
		int *failed, char *err, size_t n)
{
	const unsigned char *p = buf;
	size_t pos = 0;

	while (pos + NLMSG_HDRLEN <= len) {
		const struct nlmsghdr *h = (const void *)(p + pos);

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - pos)
			return;
		if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
			uint32_t i = h->nlmsg_seq - b->first;
			int e = ew_nl_errno(NLMSG_DATA(h));

			(*have)++;
			if (e && !(*failed)++) {
				char item[48];

				name_item(b, i, h, item, sizeof(item));
				errno = e;
				snprintf(err, n, "nftables: %s%s: %s",
					 i < b->nwhat ? b->what[i].text : "the batch", item,
					 e == ERESTART ? "the ruleset changed meanwhile" : strerror(e));
			}
		}
		pos += NLMSG_ALIGN(h->nlmsg_len);
	}
}

/* Read acks until every message has one; the first error wins. */
static int acks(int fd, struct ew_nl_batch *b, char *err, size_t n)
{
	static unsigned char buf[64 * 1024];
	uint32_t want = b->seq - b->first, have = 0;
	int failed = 0;

	while (have < want) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);

		if (got <= 0)
			return snprintf(err, n, "nftables: reading the acks: %s",
					got < 0 ? strerror(errno) : "no answer"), -1;
		ew_nl_acks(b, buf, (size_t)got, &have, &failed, err, n);
		if (failed && !b->error)
			b->error = errno;
	}
	return failed ? -1 : 0;
}

int ew_nl_commit(struct ew_nl_batch *b, char *err, size_t n)
{
	struct timeval tv = { 5, 0 };
	struct ew_nl_batch whole;
	int fd, one = 1, size;
	uint32_t gen = 0;
	int rc = -1;

	end_msg(b);
	if (b->nomem)
		return snprintf(err, n, "nftables: out of memory"), -1;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		return b->error = errno, snprintf(err, n, "nftables: netlink: %s", strerror(errno)), -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (b->gen_set)
		gen = b->gen;
	else if (genid(fd, &gen)) {
		b->error = EPROTONOSUPPORT;
		snprintf(err, n, "nftables: the kernel has no nf_tables (%s)", strerror(errno ? errno : EPROTONOSUPPORT));
		close(fd);
		return -1;
	}
	if (frame(b, gen, &whole) == 0) {
		size = (int)whole.len + 65536;
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
			setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
		if (send(fd, whole.buf, whole.len, 0) == (ssize_t)whole.len)
			rc = acks(fd, b, err, n);
		else
			snprintf(err, n, "nftables: sending the batch: %s", strerror(errno));
	} else {
		snprintf(err, n, "nftables: out of memory");
	}
	ew_nl_free(&whole);
	close(fd);
	return rc;
}
