/*
 * gen_list.c - validate one allowlist symbol (host side of the generator).
 *
 * Splits the value on white space and parses each entry with parse.c. Every
 * problem is reported as `CONFIG: SYMBOL entry N "TEXT": REASON`, and all of
 * them are reported, not just the first. Duplicates are errors: a repeated
 * entry is almost always a typo for another host.
 */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cursor {
	const char *cfg;
	const struct gen_list_spec *spec;
	size_t pos;             /* 1-based entry number */
	const char *text;
	size_t len;
};

static void report(const struct cursor *c, const char *kind, const char *why)
{
	fprintf(stderr, "%s: %s%s entry %zu \"%.*s\": %s\n", c->cfg, kind,
		c->spec->symbol, c->pos, (int)c->len, c->text, why);
}

static int check_entry(const struct cursor *c, const struct ew_entry *e, int ipv6)
{
	if (c->spec->addresses_only && (e->proto != EW_ANY || e->ports.n ||
					memchr(c->text, '@', c->len))) {
		report(c, "", "takes addresses only, without a protocol or ports");
		return -1;
	}
	if (e->family == 6 && !ipv6)
		report(c, "warning: ", "IPv6 entry ignored, IPV6_DROP_ALL drops all "
		       "IPv6 (choose IPV6_FILTER to use it)");
	return 0;
}

static int add_entry(struct cursor *c, struct gen_list *out, int ipv6)
{
	char why[EW_WHY_MAX];
	struct ew_entry e;
	struct ew_entry *grown;

	if (ew_parse_entry(c->text, c->len, &e, why, sizeof(why))) {
		report(c, "", why);
		return 1;
	}
	if (check_entry(c, &e, ipv6))
		return 1;
	grown = realloc(out->e, (out->n + 1) * sizeof(*grown));
	if (!grown) {
		report(c, "", "out of memory");
		return 1;
	}
	out->e = grown;
	out->e[out->n++] = e;
	return 0;
}

static const struct ew_entry *sort_base;

static int by_entry(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int d = memcmp(&sort_base[i], &sort_base[j], sizeof(*sort_base));

	return d ? d : (i > j) - (i < j);
}

/* Entries equal after parsing ("192.0.2.1" and "any@192.0.2.1/32") are duplicates. */
static int find_duplicates(const char *cfg, const struct gen_list *l)
{
	size_t *idx = malloc((l->n + 1) * sizeof(*idx)), i;
	int errors = 0;
	char text[EW_MAX_ENTRY + 64];

	if (!idx)
		return 1;
	for (i = 0; i < l->n; i++)
		idx[i] = i;
	sort_base = l->e;
	qsort(idx, l->n, sizeof(*idx), by_entry);
	for (i = 1; i < l->n; i++) {
		if (memcmp(&l->e[idx[i]], &l->e[idx[i - 1]], sizeof(*l->e)))
			continue;
		ew_format_entry(&l->e[idx[i]], text, sizeof(text));
		fprintf(stderr, "%s: %s entry %zu \"%s\": duplicate of entry %zu\n",
			cfg, l->spec->symbol, idx[i] + 1, text, idx[i - 1] + 1);
		errors++;
	}
	free(idx);
	return errors;
}

int gen_parse_list(const char *cfg, const struct gen_list_spec *spec,
		   const char *value, int ipv6, struct gen_list *out)
{
	static const char space[] = " \t\n\r\f\v";
	struct cursor c = { cfg, spec, 0, value ? value : "", 0 };
	int errors = 0;

	out->n = 0;
	out->e = NULL;
	for (;;) {
		c.text += strspn(c.text, space);
		c.len = strcspn(c.text, space);
		if (!c.len)
			break;
		c.pos++;
		errors += add_entry(&c, out, ipv6);
		c.text += c.len;
	}
	return errors ? errors : find_duplicates(cfg, out);
}
