/*
 * nftplan_elems.c - a set's elements made what the kernel accepts:
 * sorted, and without overlaps, which interval sets refuse.
 *
 * An address set takes the union: ranges that overlap or touch become one.
 * A set of address and port pairs cannot merge across addresses, but its
 * addresses are prefixes, so two of them are nested or disjoint. Going
 * through the addresses widest first, an element keeps only the ports
 * that no enclosing address already allows: the same points, no overlap.
 * Pure.
 */
#include "policy/nftplan.h"

#include <stdlib.h>
#include <string.h>

#include "policy/text.h"

static int g_alen;      /* qsort has no context argument */

static int by_addr(const void *x, const void *y)
{
	const struct ew_nft_elem *a = x, *b = y;
	int d = memcmp(a->lo, b->lo, (size_t)g_alen);

	if (d)
		return d;
	d = memcmp(b->hi, a->hi, (size_t)g_alen);      /* wider first */
	if (d)
		return d;
	return (int)a->plo - (int)b->plo;
}

/* hi + 1 == lo, or hi >= lo: the two ranges touch or overlap. */
static int touches(const uint8_t *hi, const uint8_t *lo, int alen)
{
	uint8_t next[16];
	int i, carry = 1;

	if (memcmp(hi, lo, (size_t)alen) >= 0)
		return 1;
	for (i = alen - 1; i >= 0; i--) {
		int v = hi[i] + carry;

		next[i] = (uint8_t)v;
		carry = v >> 8;
	}
	return !carry && !memcmp(next, lo, (size_t)alen);
}

static void merge_addrs(struct ew_nft_set *s, int alen)
{
	size_t i, out = 0;

	for (i = 0; i < s->n; i++) {
		struct ew_nft_elem *last = out ? &s->e[out - 1] : NULL;

		if (last && touches(last->hi, s->e[i].lo, alen)) {
			if (memcmp(s->e[i].hi, last->hi, (size_t)alen) > 0)
				memcpy(last->hi, s->e[i].hi, (size_t)alen);
			continue;
		}
		s->e[out++] = s->e[i];
	}
	s->n = out;
}

struct ranges {
	size_t n, cap;
	struct ew_range *r;
};

static int push(struct ranges *v, unsigned lo, unsigned hi)
{
	struct ew_range *grown = ew_grow(v->r, &v->cap, v->n, sizeof(*v->r));

	if (!grown)
		return -1;
	v->r = grown;
	v->r[v->n].lo = (uint16_t)lo;
	v->r[v->n++].hi = (uint16_t)hi;
	return 0;
}

/* v[from..] minus the sorted, disjoint ranges cut[0..n), in place. */
static int subtract(struct ranges *v, size_t from, const struct ew_range *cut, size_t n)
{
	size_t i, end = v->n, k;

	for (i = from; i < end; i++) {
		unsigned lo = v->r[i].lo, hi = v->r[i].hi;

		for (k = 0; k < n && lo <= hi; k++) {
			if (cut[k].hi < lo || cut[k].lo > hi)
				continue;
			if (cut[k].lo > lo && push(v, lo, cut[k].lo - 1u))
				return -1;
			lo = cut[k].hi + 1u;
		}
		if (lo <= hi && push(v, lo, hi))
			return -1;
	}
	memmove(v->r + from, v->r + end, (v->n - end) * sizeof(*v->r));
	v->n -= end - from;
	return 0;
}

/* The elements of one address e[i..j), as sorted, merged port ranges at v[from..]. */
static int group_ports(const struct ew_nft_elem *e, size_t i, size_t j, struct ranges *v)
{
	for (; i < j; i++) {
		struct ew_range *last = v->n ? &v->r[v->n - 1] : NULL;

		if (last && e[i].plo <= (unsigned)last->hi + 1u) {
			if (e[i].phi > last->hi)
				last->hi = e[i].phi;
			continue;
		}
		if (push(v, e[i].plo, e[i].phi))
			return -1;
	}
	return 0;
}

struct anc {
	const struct ew_nft_elem *e;
	size_t at, n;           /* its port ranges in the pool */
};

static int same_addr(const struct ew_nft_elem *a, const struct ew_nft_elem *b, int alen)
{
	return !memcmp(a->lo, b->lo, (size_t)alen) && !memcmp(a->hi, b->hi, (size_t)alen);
}

static int emit(struct ew_nft_elem **out, size_t *n, size_t *cap, const struct ew_nft_elem *a,
		const struct ranges *v, size_t from)
{
	size_t k;

	for (k = from; k < v->n; k++) {
		struct ew_nft_elem *grown = ew_grow(*out, cap, *n, sizeof(**out));

		if (!grown)
			return -1;
		*out = grown;
		(*out)[*n] = *a;
		(*out)[*n].plo = v->r[k].lo;
		(*out)[*n].phi = v->r[k].hi;
		(*n)++;
	}
	return 0;
}

static int split_ports(struct ew_nft_set *s, int alen)
{
	struct anc stack[129];
	struct ranges pool = { 0, 0, NULL }, mine = { 0, 0, NULL };
	struct ew_nft_elem *out = NULL;
	size_t depth = 0, n = 0, cap = 0, i = 0, j, k;
	int rc = -1;

	while (i < s->n) {
		for (j = i + 1; j < s->n && same_addr(&s->e[i], &s->e[j], alen); j++)
			;
		while (depth && memcmp(stack[depth - 1].e->hi, s->e[i].lo, (size_t)alen) < 0)
			pool.n = stack[--depth].at;
		mine.n = 0;
		if (group_ports(s->e, i, j, &mine))
			goto done;
		stack[depth].e = &s->e[i];
		stack[depth].at = pool.n;
		for (k = 0; k < mine.n; k++)
			if (push(&pool, mine.r[k].lo, mine.r[k].hi))
				goto done;
		stack[depth].n = mine.n;
		for (k = 0; k < depth; k++)
			if (subtract(&mine, 0, pool.r + stack[k].at, stack[k].n))
				goto done;
		if (emit(&out, &n, &cap, &s->e[i], &mine, 0))
			goto done;
		if (depth < sizeof(stack) / sizeof(stack[0]) - 1)
			depth++;
		i = j;
	}
	free(s->e);
	s->e = out;
	s->n = n;
	s->cap = cap;
	out = NULL;
	rc = 0;
done:
	free(out);
	free(pool.r);
	free(mine.r);
	return rc;
}

int ew_nft_elems_normalise(struct ew_nft_set *s, int family)
{
	int alen = EW_ALEN(family);

	g_alen = alen;
	if (s->n > 1)
		qsort(s->e, s->n, sizeof(*s->e), by_addr);
	if (!s->port) {
		merge_addrs(s, alen);
		return 0;
	}
	return split_ports(s, alen);
}
