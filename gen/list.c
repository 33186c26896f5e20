/*
 * gen/list.c - validate one allowlist symbol (host side of the generator).
 *
 * Splits the value on white space and parses each entry with parse.c. Every
 * problem is reported as `CONFIG: SYMBOL entry N "TEXT": REASON`, with the
 * entry's text as written, and all of them are reported, not just the
 * first. Duplicates are errors (a repeated entry is almost always a typo
 * for another host); entries equal after parsing count, such as 192.0.2.1
 * and 192.0.2.1/32.
 */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cursor {
	const char *cfg;
	const struct gen_list_spec *spec;
	struct gen_where at;
};

static void report(const char *cfg, const char *kind, const char *symbol,
		   const struct gen_where *at, const char *why)
{
	fprintf(stderr, "%s: %s%s entry %zu \"%.*s\": %s\n", cfg, kind, symbol,
		at->pos, (int)at->len, at->text, why);
}

static int check_entry(const struct cursor *c, const struct ew_entry *e,
		       const struct gen_rules *r)
{
	if (c->spec->addresses_only && memchr(c->at.text, '@', c->at.len)) {
		report(c->cfg, "", c->spec->symbol, &c->at,
		       "takes addresses only, without a protocol or ports");
		return -1;
	}
	if (e->prefix == 0 && !r->any_address) {
		report(c->cfg, "", c->spec->symbol, &c->at, e->family == 4 ?
		       "a /0 prefix matches every IPv4 address and opens this list to the "
		       "whole Internet; refused unless ALLOW_ANY_ADDRESS=y" :
		       "a /0 prefix matches every IPv6 address and opens this list to the "
		       "whole Internet; refused unless ALLOW_ANY_ADDRESS=y");
		return -1;
	}
	if (e->family == 6 && !r->ipv6)
		report(c->cfg, "warning: ", c->spec->symbol, &c->at, "IPv6 entry ignored, "
		       "IPV6_DROP_ALL drops all IPv6 (choose IPV6_FILTER to use it)");
	return 0;
}

/* Grows geometrically: the generator stays linear in the list's length. */
static int keep(struct gen_list *out, const struct ew_entry *e, const struct gen_where *at)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? 2 * out->cap : 16;
		struct ew_entry *e2 = realloc(out->e, cap * sizeof(*e2));
		struct gen_where *at2;

		if (e2)
			out->e = e2;
		at2 = e2 ? realloc(out->at, cap * sizeof(*at2)) : NULL;
		if (!at2)
			return -1;
		out->at = at2;
		out->cap = cap;
	}
	out->e[out->n] = *e;
	out->at[out->n++] = *at;
	return 0;
}

static int add_entry(const struct cursor *c, struct gen_list *out, const struct gen_rules *r)
{
	char why[EW_WHY_MAX];
	struct ew_entry e;

	if (ew_parse_entry(c->at.text, c->at.len, &e, why, sizeof(why))) {
		report(c->cfg, "", c->spec->symbol, &c->at, why);
		return 1;
	}
	if (check_entry(c, &e, r))
		return 1;
	if (keep(out, &e, &c->at)) {
		report(c->cfg, "", c->spec->symbol, &c->at, "out of memory");
		return 1;
	}
	return 0;
}

static const struct ew_entry *sort_base;

static int by_entry(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int d = ew_entry_cmp(&sort_base[i], &sort_base[j]);

	return d ? d : (i > j) - (i < j);
}

/* Each repeat is reported against the first entry equal to it. */
static int find_duplicates(const char *cfg, const struct gen_list *l)
{
	size_t *idx = malloc((l->n + 1) * sizeof(*idx)), i, first = 0;
	int errors = 0;
	char why[64];

	if (!idx)
		return 1;
	for (i = 0; i < l->n; i++)
		idx[i] = i;
	sort_base = l->e;
	qsort(idx, l->n, sizeof(*idx), by_entry);
	for (i = 1; i < l->n; i++) {
		if (ew_entry_cmp(&l->e[idx[i]], &l->e[idx[first]])) {
			first = i;
			continue;
		}
		snprintf(why, sizeof(why), "duplicate of entry %zu", l->at[idx[first]].pos);
		report(cfg, "", l->spec->symbol, &l->at[idx[i]], why);
		errors++;
	}
	free(idx);
	return errors;
}

int gen_parse_list(const char *cfg, const struct gen_list_spec *spec,
		   const char *value, const struct gen_rules *r, struct gen_list *out)
{
	static const char space[] = " \t\n\r\f\v";
	struct cursor c = { cfg, spec, { 0, value ? value : "", 0 } };
	int errors = 0;

	memset(out, 0, sizeof(*out));
	out->spec = spec;
	for (;;) {
		c.at.text += strspn(c.at.text, space);
		c.at.len = strcspn(c.at.text, space);
		if (!c.at.len)
			break;
		c.at.pos++;
		errors += add_entry(&c, out, r);
		c.at.text += c.at.len;
	}
	return errors + find_duplicates(cfg, out);
}
