/*
 * cli/diff.c - a shortest edit script between two lists of lines
 * (Myers, "An O(ND) Difference Algorithm and Its Variations", 1986), so
 * that verify reports an inserted, deleted or moved rule as exactly the
 * lines that changed, and its JSON's "missing" and "unexpected" are exact.
 *
 * The common head and tail are trimmed first. The search keeps one row of
 * furthest reaching x per edit distance d (k = x - y from -d to d), which
 * is O(D^2) memory for D edits. Past MAX_EDITS edits (a table that shares
 * almost nothing with the policy) it stops searching and marks every line
 * of the untrimmed middle as changed: still correct, just not minimal.
 */
#include "cli/verify.h"

#include <stdlib.h>
#include <string.h>

#define MAX_EDITS 2048

struct lists {
	char **a, **b;
	long n, m;
	long **row;             /* row[d][k + d]: furthest x on diagonal k */
};

static long snake(const struct lists *s, long x, long k)
{
	while (x < s->n && x - k < s->m && !strcmp(s->a[x], s->b[x - k]))
		x++;
	return x;
}

/* Did the path to diagonal k at distance d come down (an insertion)? */
static int down(long **row, long d, long k)
{
	return k == -d || (k != d && row[d - 1][k - 1 + d - 1] < row[d - 1][k + 1 + d - 1]);
}

/* Forward search; the edit distance, or -1 (too many edits or no memory). */
static long search(struct lists *s)
{
	long d, k;

	for (d = 0; d <= MAX_EDITS && d <= s->n + s->m; d++) {
		s->row[d] = malloc((size_t)(2 * d + 1) * sizeof(long));
		if (!s->row[d])
			return -1;
		for (k = -d; k <= d; k += 2) {
			long x = d == 0 ? 0 : down(s->row, d, k) ? s->row[d - 1][k + 1 + d - 1]
								 : s->row[d - 1][k - 1 + d - 1] + 1;

			x = snake(s, x, k);
			s->row[d][k + d] = x;
			if (x >= s->n && x - k >= s->m)
				return d;
		}
	}
	return -1;
}

/* Walk back from (n, m), marking the deleted and inserted lines. */
static void back(const struct lists *s, long d, unsigned char *adiff, unsigned char *bdiff)
{
	long x = s->n, y = s->m;

	for (; d > 0; d--) {
		long k = x - y, pk = down(s->row, d, k) ? k + 1 : k - 1;
		long px = s->row[d - 1][pk + d - 1], py = px - pk;

		if (pk == k + 1)
			bdiff[py] = 1;
		else
			adiff[px] = 1;
		x = px;
		y = py;
	}
}

int ew_diff(char **a, size_t n, char **b, size_t m, unsigned char *adiff, unsigned char *bdiff)
{
	size_t head = 0;
	struct lists s;
	long d;

	while (head < n && head < m && !strcmp(a[head], b[head]))
		head++;
	while (n > head && m > head && !strcmp(a[n - 1], b[m - 1]))
		n--, m--;
	s.a = a + head;
	s.b = b + head;
	s.n = (long)(n - head);
	s.m = (long)(m - head);
	s.row = calloc(MAX_EDITS + 1, sizeof(*s.row));
	if (!s.row)
		return -1;
	d = search(&s);
	if (d >= 0) {
		back(&s, d, adiff + head, bdiff + head);
	} else {
		memset(adiff + head, 1, n - head);
		memset(bdiff + head, 1, m - head);
	}
	for (d = 0; d <= MAX_EDITS; d++)
		free(s.row[d]);
	free(s.row);
	return 0;
}
