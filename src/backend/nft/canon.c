/*
 * canon.c - nf_tables messages as canonical text lines, for verify.
 *
 * The same function reads the messages earlywall would send and the
 * messages the kernel dumps, so the two sides compare attribute for
 * attribute. A line names its object ("rule ip input", "element ip
 * in_any") and then every attribute: the nests this backend writes are
 * opened (by their place, so a value can never pass for a nest), in their
 * order; everything else is its exact bytes in hex. Only what the kernel
 * adds by itself is left out: handles, use counts, positions. Elements
 * sort within their set, since the kernel dumps them in its own order.
 *
 * Any bytes at all are safe here: every length is checked against the
 * bytes that hold it (it has a fuzz target).
 */
#include "backend/nft/canon.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *p;
	size_t len, pos;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->pos + n >= o->len) {
		o->pos = o->len;        /* too long: marked cut */
		return;
	}
	memcpy(o->p + o->pos, s, n);
	o->pos += n;
	o->p[o->pos] = '\0';
}

static void put_hex(struct out *o, const unsigned char *d, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char two[2];
	size_t i;

	for (i = 0; i < n; i++) {
		two[0] = digits[d[i] >> 4];
		two[1] = digits[d[i] & 15];
		put(o, two, 2);
	}
}

static void put_num(struct out *o, unsigned v)
{
	char s[16];
	int n = snprintf(s, sizeof(s), "%u", v);

	put(o, s, (size_t)n);
}

/* Where a nest is: the path of attribute types from the message down. */
enum { MAX_DEPTH = 6 };

struct path {
	int msg;                        /* NFT_MSG_* */
	int n;
	unsigned t[MAX_DEPTH];
	char expr[16];                  /* the expression the path is in */
};

/* The path starts with a (then b, then c, as far as n goes). */
static int under(const struct path *p, int n, unsigned a, unsigned b, unsigned c)
{
	return p->n >= n && p->t[0] == a && (n < 2 || p->t[1] == b) && (n < 3 || p->t[2] == c);
}

/* The path is exactly that. */
static int is(const struct path *p, int n, unsigned a, unsigned b, unsigned c)
{
	return p->n == n && under(p, n, a, b, c);
}

/* Is the attribute at the end of p one of the nests this backend writes? */
static int nested(const struct path *p)
{
	switch (p->msg) {
	case NFT_MSG_NEWCHAIN:
		return is(p, 1, NFTA_CHAIN_HOOK, 0, 0);
	case NFT_MSG_NEWSET:
		return is(p, 1, NFTA_SET_DESC, 0, 0) || is(p, 2, NFTA_SET_DESC, NFTA_SET_DESC_CONCAT, 0) ||
		       is(p, 3, NFTA_SET_DESC, NFTA_SET_DESC_CONCAT, NFTA_LIST_ELEM);
	case NFT_MSG_NEWSETELEM:        /* the elements themselves are split off */
		return is(p, 1, NFTA_SET_ELEM_KEY, 0, 0) || is(p, 1, NFTA_SET_ELEM_KEY_END, 0, 0) ||
		       is(p, 1, NFTA_SET_ELEM_DATA, 0, 0);
	case NFT_MSG_NEWRULE:
		if (is(p, 1, NFTA_RULE_EXPRESSIONS, 0, 0) ||
		    is(p, 2, NFTA_RULE_EXPRESSIONS, NFTA_LIST_ELEM, 0) ||
		    is(p, 3, NFTA_RULE_EXPRESSIONS, NFTA_LIST_ELEM, NFTA_EXPR_DATA))
			return 1;
		if (!under(p, 3, NFTA_RULE_EXPRESSIONS, NFTA_LIST_ELEM, NFTA_EXPR_DATA))
			return 0;
		if (p->n == 4)
			return (!strcmp(p->expr, "cmp") && p->t[3] == NFTA_CMP_DATA) ||
			       (!strcmp(p->expr, "bitwise") && (p->t[3] == NFTA_BITWISE_MASK ||
								p->t[3] == NFTA_BITWISE_XOR)) ||
			       (!strcmp(p->expr, "immediate") && p->t[3] == NFTA_IMMEDIATE_DATA);
		return p->n == 5 && !strcmp(p->expr, "immediate") && p->t[4] == NFTA_DATA_VERDICT;
	}
	return 0;
}

static void attrs(struct out *o, const unsigned char *d, size_t len, struct path *p);

/* One attribute after sep; an empty nest says nothing (the kernel dumps
 * some that are never sent) and is left out. */
static void attr(struct out *o, const struct nlattr *a, const unsigned char *d, size_t len,
		 struct path *p, const char *sep)
{
	unsigned type = a->nla_type & NLA_TYPE_MASK;

	if (p->n == MAX_DEPTH)
		return put(o, "?deep", 5);
	p->t[p->n++] = type;
	if (nested(p) && !len) {
		p->n--;
		return;
	}
	put(o, sep, strlen(sep));
	put_num(o, type);
	if (nested(p)) {
		put(o, "{", 1);
		attrs(o, d, len, p);
		put(o, "}", 1);
	} else {
		put(o, "=", 1);
		put_hex(o, d, len);
	}
	/* An expression's name says how its data nests. */
	if (p->msg == NFT_MSG_NEWRULE && p->n == 3 && type == NFTA_EXPR_NAME)
		snprintf(p->expr, sizeof(p->expr), "%.*s", (int)(len < 15 ? len : 15), (const char *)d);
	p->n--;
}

/* Attributes in order; bytes that are no attribute are shown as such. */
static void attrs(struct out *o, const unsigned char *d, size_t len, struct path *p)
{
	const char *sep = "";

	while (len) {
		const struct nlattr *a = (const void *)d;
		size_t step;

		if (len < NLA_HDRLEN || a->nla_len < NLA_HDRLEN || a->nla_len > len) {
			put(o, sep, strlen(sep));
			put(o, "?", 1);
			put_hex(o, d, len);
			return;
		}
		attr(o, a, d + NLA_HDRLEN, a->nla_len - NLA_HDRLEN, p, sep);
		sep = " ";
		step = (size_t)NLA_ALIGN(a->nla_len) < len ? (size_t)NLA_ALIGN(a->nla_len) : len;
		if (step > a->nla_len) {        /* padding: zero, or shown */
			size_t k;

			for (k = a->nla_len; k < step && !d[k]; k++)
				;
			if (k < step) {
				put(o, " ?pad", 5);
				put_hex(o, d + a->nla_len, step - a->nla_len);
			}
		}
		d += step;
		len -= step;
	}
}

/* What the kernel adds by itself, at the top of each message. */
static int skipped(int msg, unsigned type)
{
	switch (msg) {
	case NFT_MSG_NEWTABLE:
		return type == NFTA_TABLE_USE || type == NFTA_TABLE_HANDLE;
	case NFT_MSG_NEWCHAIN:
		return type == NFTA_CHAIN_HANDLE || type == NFTA_CHAIN_USE || type == NFTA_CHAIN_ID;
	case NFT_MSG_NEWSET:
		/* 19 and 20 (Linux 6.x): the backend the kernel chose, the element count */
		return type == NFTA_SET_HANDLE || type == NFTA_SET_ID || type == 19 || type == 20;
	case NFT_MSG_NEWRULE:
		return type == NFTA_RULE_HANDLE || type == NFTA_RULE_POSITION || type == NFTA_RULE_ID;
	}
	return 0;
}

/* The top attributes of a message by type, so that the order the kernel
 * dumps them in does not matter; each type appears once. */
static size_t top(const unsigned char *d, size_t len, const struct nlattr *tb[32])
{
	size_t n = 0;

	for (n = 0; n < 32; n++)
		tb[n] = NULL;
	n = 0;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)d;
		size_t step = NLA_ALIGN(a->nla_len);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) < 32)
			tb[a->nla_type & NLA_TYPE_MASK] = a, n++;
		if (step > len)
			step = len;
		d += step;
		len -= step;
	}
	return n;
}

static void name_of(const struct nlattr *a, char *buf, size_t n)
{
	size_t len;

	if (!a) {
		snprintf(buf, n, "?");
		return;
	}
	len = strnlen((const char *)a + NLA_HDRLEN, a->nla_len - NLA_HDRLEN);
	snprintf(buf, n, "%.*s", (int)(len < 64 ? len : 64), (const char *)a + NLA_HDRLEN);
}

static void object(struct out *o, int msg, const struct nlattr *tb[32])
{
	struct path p;
	unsigned t;

	memset(&p, 0, sizeof(p));
	p.msg = msg;
	for (t = 0; t < 32; t++) {
		if (!tb[t] || skipped(msg, t))
			continue;
		attr(o, tb[t], (const unsigned char *)tb[t] + NLA_HDRLEN,
		     tb[t]->nla_len - NLA_HDRLEN, &p, " ");
	}
}

static const char *kind(int msg)
{
	switch (msg) {
	case NFT_MSG_NEWTABLE: return "1table";
	case NFT_MSG_NEWCHAIN: return "2chain";
	case NFT_MSG_NEWSET: return "3set";
	case NFT_MSG_NEWRULE: return "5rule";
	}
	return NULL;
}

static void emit_line(struct ew_canon *c, const char *key, const char *text)
{
	if (c->emit)
		c->emit(c->ctx, key, text);
}

/* One element of a set element message. */
static void element(struct ew_canon *c, const char *set, const unsigned char *d, size_t len)
{
	char line[EW_CANON_LINE], key[EW_CANON_LINE + 80];
	struct out o = { line, sizeof(line), 0 };
	struct path p;

	memset(&p, 0, sizeof(p));
	p.msg = NFT_MSG_NEWSETELEM;
	line[0] = '\0';
	put(&o, "element ", 8);
	put(&o, set, strlen(set));
	put(&o, ":", 1);
	attrs(&o, d, len, &p);
	snprintf(key, sizeof(key), "3set %s %s", set, line);
	emit_line(c, key, line);
}

static void elements(struct ew_canon *c, const struct nlattr *tb[32])
{
	const struct nlattr *list = tb[NFTA_SET_ELEM_LIST_ELEMENTS];
	const unsigned char *d;
	char set[72];
	size_t len;

	name_of(tb[NFTA_SET_ELEM_LIST_SET], set, sizeof(set));
	if (!list)
		return;
	d = (const unsigned char *)list + NLA_HDRLEN;
	len = list->nla_len - NLA_HDRLEN;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)d;
		size_t step = NLA_ALIGN(a->nla_len);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			break;
		element(c, set, d + NLA_HDRLEN, a->nla_len - NLA_HDRLEN);
		if (step > len)
			step = len;
		d += step;
		len -= step;
	}
}

void ew_canon_message(struct ew_canon *c, int msg, const void *payload, size_t len)
{
	const struct nlattr *tb[32];
	char line[EW_CANON_LINE], key[160], name[72];
	struct out o = { line, sizeof(line), 0 };
	size_t head = NLMSG_ALIGN(sizeof(struct nfgenmsg));
	const char *k = kind(msg);

	if (len < head)
		return;
	top((const unsigned char *)payload + head, len - head, tb);
	/* Attribute 1 is the table's name in every one of these messages. */
	name_of(tb[1], name, sizeof(name));
	if (c->table && strcmp(name, c->table) != 0)
		return;
	if (msg == NFT_MSG_NEWSETELEM) {
		elements(c, tb);
		return;
	}
	if (!k)
		return;
	/* A rule is named by its chain. */
	name_of(tb[msg == NFT_MSG_NEWTABLE ? NFTA_TABLE_NAME : msg == NFT_MSG_NEWCHAIN ?
		   NFTA_CHAIN_NAME : msg == NFT_MSG_NEWSET ? NFTA_SET_NAME : NFTA_RULE_CHAIN],
		name, sizeof(name));
	line[0] = '\0';
	put(&o, k + 1, strlen(k + 1));
	put(&o, " ", 1);
	put(&o, name, strlen(name));
	put(&o, ":", 1);
	object(&o, msg, tb);
	if (msg == NFT_MSG_NEWRULE)
		snprintf(key, sizeof(key), "%s %s %06zu", k, name, c->rules++);
	else
		snprintf(key, sizeof(key), "%s %s", k, name);
	emit_line(c, key, line);
}

int ew_canon_messages(struct ew_canon *c, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const void *)p;
		size_t step = NLMSG_ALIGN(h->nlmsg_len);

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len)
			return -1;
		if (h->nlmsg_type == NLMSG_DONE)
			c->done = 1;
		else if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
			c->error = 1, c->done = 1;
		else if (h->nlmsg_type >> 8 == NFNL_SUBSYS_NFTABLES)
			ew_canon_message(c, h->nlmsg_type & 0xff, p + NLMSG_HDRLEN,
					 h->nlmsg_len - NLMSG_HDRLEN);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return 0;
}
