/*
 * readback.c - table ip/ip6 earlywall as canonical lines, from the kernel
 * (read with GET dumps: the table, its chains, sets, each set's elements,
 * its rules) or from the batch earlywall would send, so verify compares
 * the two line for line (canon.c makes the lines). Read only.
 */
#include "backend/nft/readback.h"

#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/nft/build.h"
#include "backend/nft/canon.h"
#include "backend/nft/netlink.h"
#include "policy/nftplan.h"
#include "policy/text.h"

struct line {
	char *key, *text;
};

struct lines {
	size_t n, cap;
	struct line *l;
	int nomem;
	char sets[EW_NFT_MAX_SETS * 2][EW_NFT_SET_NAME + 8];
	size_t nsets;
};

static void collect(void *ctx, const char *key, const char *text)
{
	struct lines *ls = ctx;
	struct line *grown;

	if (!strncmp(key, "3set ", 5) && !strchr(key + 5, ' ') &&
	    ls->nsets < sizeof(ls->sets) / sizeof(ls->sets[0]))
		snprintf(ls->sets[ls->nsets++], sizeof(ls->sets[0]), "%s", key + 5);
	grown = ew_grow(ls->l, &ls->cap, ls->n, sizeof(*ls->l));
	if (!grown) {
		ls->nomem = 1;
		return;
	}
	ls->l = grown;
	ls->l[ls->n].key = strdup(key);
	ls->l[ls->n].text = strdup(text);
	if (!ls->l[ls->n].key || !ls->l[ls->n].text)
		ls->nomem = 1;
	ls->n++;
}

static int by_key(const void *x, const void *y)
{
	const struct line *a = x, *b = y;

	return strcmp(a->key ? a->key : "", b->key ? b->key : "");
}

/* Sorted, one a line; then freed. -1 when out of memory. */
static int print(struct lines *ls, FILE *f)
{
	size_t i;
	int rc = ls->nomem ? -1 : 0;

	if (!rc)
		qsort(ls->l, ls->n, sizeof(*ls->l), by_key);
	for (i = 0; i < ls->n; i++) {
		if (!rc && f)
			fprintf(f, "%s\n", ls->l[i].text);
		free(ls->l[i].key);
		free(ls->l[i].text);
	}
	free(ls->l);
	return rc;
}

int ew_nft_want_text(const struct ew_ruleset *rs, FILE *f)
{
	static struct lines ls;
	struct ew_canon c = { collect, &ls, EW_NFT_TABLE, 0, 0, 0 };
	struct ew_nft_plan p;
	struct ew_nl_batch b;
	size_t pos = 0;

	memset(&ls, 0, sizeof(ls));
	if (ew_nft_plan(rs, &p))
		return -1;
	ew_nl_init(&b);
	ew_nft_build(&b, &p, 0);
	ew_nl_end(&b);
	while (!b.nomem && pos + NLMSG_HDRLEN <= b.len) {
		const struct nlmsghdr *h = (const void *)(b.buf + pos);

		ew_canon_message(&c, h->nlmsg_type & 0xff, b.buf + pos + NLMSG_HDRLEN,
					 h->nlmsg_len - NLMSG_HDRLEN);
		pos += NLMSG_ALIGN(h->nlmsg_len);
	}
	ls.nomem |= b.nomem;
	ew_nl_free(&b);
	ew_nft_plan_free(&p);
	return print(&ls, f);
}

static int parse(void *ctx, const void *buf, size_t len, int *done, int *error)
{
	struct ew_canon *c = ctx;
	const unsigned char *p = buf;
	size_t pos = 0;
	int rc = ew_canon_messages(c, buf, len);

	/* The error's errno, for the caller (ENOENT: no such table). */
	while (pos + NLMSG_HDRLEN <= len) {
		const struct nlmsghdr *h = (const void *)(p + pos);

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - pos)
			break;
		if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
			*error = ew_nl_errno(NLMSG_DATA(h));
		else if (!(h->nlmsg_flags & NLM_F_MULTI))
			c->done = 1;    /* the one answer of a plain GET */
		pos += NLMSG_ALIGN(h->nlmsg_len);
	}
	*done = c->done;
	return rc;
}

/* One GET: msg for the family, in table earlywall (and set, for elements). */
static int get(int fd, int family, int msg, int flags, const char *set, struct ew_canon *c)
{
	struct ew_nl_batch req;
	int rc;

	ew_nl_init(&req);
	ew_nl_request(&req, msg, flags, family == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6);
	ew_nl_put_str(&req, 1, EW_NFT_TABLE);   /* NFTA_*_TABLE, NFTA_TABLE_NAME */
	if (set)
		ew_nl_put_str(&req, NFTA_SET_ELEM_LIST_SET, set);
	c->done = c->error = 0;
	rc = ew_nl_dump(fd, &req, parse, c);
	ew_nl_free(&req);
	return rc;
}

static int read_all(int fd, int family, struct lines *ls, struct ew_canon *c)
{
	static const int dumps[] = { NFT_MSG_GETCHAIN, NFT_MSG_GETSET, NFT_MSG_GETRULE };
	size_t i, nsets;

	if (get(fd, family, NFT_MSG_GETTABLE, 0, NULL, c))
		return errno == ENOENT ? 0 : -1;       /* no table: nothing to list */
	for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++)
		if (get(fd, family, dumps[i], NLM_F_DUMP, NULL, c))
			return -1;
	nsets = ls->nsets;
	for (i = 0; i < nsets; i++)
		if (get(fd, family, NFT_MSG_GETSETELEM, NLM_F_DUMP, ls->sets[i], c))
			return -1;
	return 0;
}

int ew_nft_live_text(int family, FILE *f, char *err, size_t n)
{
	static struct lines ls;
	struct ew_canon c = { collect, &ls, EW_NFT_TABLE, 0, 0, 0 };
	int fd = ew_nl_socket(), rc;

	memset(&ls, 0, sizeof(ls));
	if (fd < 0)
		return snprintf(err, n, "nftables: netlink: %s", strerror(errno)), -1;
	rc = read_all(fd, family, &ls, &c);
	if (rc)
		snprintf(err, n, "nftables: reading table %s " EW_NFT_TABLE ": %s",
			 family == 4 ? "ip" : "ip6", strerror(errno));
	close(fd);
	if (print(&ls, rc ? NULL : f) && !rc) {
		snprintf(err, n, "out of memory");
		rc = -1;
	}
	return rc;
}
