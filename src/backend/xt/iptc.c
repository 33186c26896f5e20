/*
 * iptc.c - the libiptc backend, and the only file that includes libiptc.
 *
 * A table handle is read from the kernel, emptied, refilled from an
 * abstract ruleset and committed: libiptc sends the whole table in one
 * IPT_SO_SET_REPLACE (IP6T_SO_SET_REPLACE for IPv6), which the kernel swaps
 * in atomically or refuses, leaving the previous table in place. The two
 * families differ only in function names and entry types, so each has a
 * small table of operations; everything else is shared.
 */
#include "backend/xt/iptc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libiptc/libip6tc.h>
#include <libiptc/libiptc.h>

#include "backend/xt/entry.h"

struct ops {
	struct xtc_handle *(*init)(const char *table);
	void (*free)(struct xtc_handle *h);
	int (*commit)(struct xtc_handle *h);
	const char *(*strerror)(int err);
	const char *(*first_chain)(struct xtc_handle *h);
	const char *(*next_chain)(struct xtc_handle *h);
	int (*builtin)(const char *chain, struct xtc_handle *const h);
	int (*flush)(const char *chain, struct xtc_handle *h);
	int (*delete_chain)(const char *chain, struct xtc_handle *h);
	int (*create_chain)(const char *chain, struct xtc_handle *h);
	int (*set_policy)(const char *chain, const char *policy,
			  struct xt_counters *c, struct xtc_handle *h);
	const char *(*get_policy)(const char *chain, struct xt_counters *c,
				  struct xtc_handle *h);
	int (*append)(const char *chain, const void *e, struct xtc_handle *h);
	const void *(*first_rule)(const char *chain, struct xtc_handle *h);
	const void *(*next_rule)(const void *prev, struct xtc_handle *h);
	const char *(*target)(const void *e, struct xtc_handle *h);
	size_t (*size)(const void *e, size_t *target_offset);
};

static int append4(const char *c, const void *e, struct xtc_handle *h)
{ return iptc_append_entry(c, e, h); }
static const void *first4(const char *c, struct xtc_handle *h)
{ return iptc_first_rule(c, h); }
static const void *next4(const void *p, struct xtc_handle *h)
{ return iptc_next_rule(p, h); }
static const char *target4(const void *e, struct xtc_handle *h)
{ return iptc_get_target(e, h); }
static size_t size4(const void *e, size_t *target)
{
	const struct ipt_entry *x = e;

	*target = x->target_offset;
	return x->next_offset;
}

static int append6(const char *c, const void *e, struct xtc_handle *h)
{ return ip6tc_append_entry(c, e, h); }
static const void *first6(const char *c, struct xtc_handle *h)
{ return ip6tc_first_rule(c, h); }
static const void *next6(const void *p, struct xtc_handle *h)
{ return ip6tc_next_rule(p, h); }
static const char *target6(const void *e, struct xtc_handle *h)
{ return ip6tc_get_target(e, h); }
static size_t size6(const void *e, size_t *target)
{
	const struct ip6t_entry *x = e;

	*target = x->target_offset;
	return x->next_offset;
}

static const struct ops ops4 = {
	iptc_init, iptc_free, iptc_commit, iptc_strerror, iptc_first_chain,
	iptc_next_chain, iptc_builtin, iptc_flush_entries, iptc_delete_chain,
	iptc_create_chain, iptc_set_policy, iptc_get_policy, append4, first4, next4,
	target4, size4,
};

static const struct ops ops6 = {
	ip6tc_init, ip6tc_free, ip6tc_commit, ip6tc_strerror, ip6tc_first_chain,
	ip6tc_next_chain, ip6tc_builtin, ip6tc_flush_entries, ip6tc_delete_chain,
	ip6tc_create_chain, ip6tc_set_policy, ip6tc_get_policy, append6, first6, next6,
	target6, size6,
};

struct ew_table {
	int family;
	const struct ops *op;
	struct xtc_handle *h;
};

static const char *fam(int family)
{
	return family == 4 ? "IPv4" : "IPv6";
}

struct ew_table *ew_table_open(int family, char *err, size_t n)
{
	struct ew_table *t = calloc(1, sizeof(*t));

	if (!t) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	t->family = family;
	t->op = family == 4 ? &ops4 : &ops6;
	t->h = t->op->init("filter");
	if (!t->h) {
		snprintf(err, n, "%s filter table: %s", fam(family), t->op->strerror(errno));
		free(t);
		return NULL;
	}
	return t;
}

void ew_table_close(struct ew_table *t)
{
	if (!t)
		return;
	t->op->free(t->h);
	free(t);
}

/* Empty every chain and remove the user-defined ones. */
static int empty_table(struct ew_table *t)
{
	const char *c;

	for (c = t->op->first_chain(t->h); c; c = t->op->next_chain(t->h))
		if (!t->op->flush(c, t->h))
			return -1;
	for (c = t->op->first_chain(t->h); c;) {
		if (t->op->builtin(c, t->h)) {
			c = t->op->next_chain(t->h);
			continue;
		}
		if (!t->op->delete_chain(c, t->h))
			return -1;
		c = t->op->first_chain(t->h);
	}
	return 0;
}

static int append_rule(struct ew_table *t, const struct ew_rule *r)
{
	unsigned char buf[EW_XT_ENTRY_MAX] __attribute__((aligned(8)));

	ew_xt_encode(r, t->family, buf);
	return t->op->append(ew_chain_names[r->chain], buf, t->h) ? 0 : -1;
}

int ew_table_load(struct ew_table *t, const struct ew_ruleset *rs, char *err, size_t n)
{
	size_t i;
	int c;

	if (empty_table(t))
		goto fail;
	for (c = 0; c < EW_NCHAINS; c++)
		if (!t->op->set_policy(ew_chain_names[c],
				       rs->policy[c] == EW_ACCEPT ? "ACCEPT" : "DROP",
				       NULL, t->h))
			goto fail;
	for (i = 0; i < rs->n; i++)
		if (append_rule(t, &rs->r[i]))
			goto fail;
	return 0;
fail:
	snprintf(err, n, "%s filter table: building the table: %s", fam(t->family),
		 t->op->strerror(errno));
	return -1;
}

int ew_table_commit(struct ew_table *t, char *err, size_t n)
{
	struct xt_counters c;
	const char *policy = t->op->get_policy("INPUT", &c, t->h);

	/* libiptc skips the commit of an unchanged handle; mark it changed. */
	if (policy && !t->op->set_policy("INPUT", policy, NULL, t->h))
		policy = NULL;
	if (policy && t->op->commit(t->h))
		return 0;
	snprintf(err, n, "%s filter table: the kernel refused the commit: %s",
		 fam(t->family), t->op->strerror(errno));
	return -1;
}

int ew_table_policy(struct ew_table *t, int chain)
{
	struct xt_counters c;
	const char *p = t->op->get_policy(ew_chain_names[chain], &c, t->h);

	if (!p)
		return -1;
	return !strcmp(p, "ACCEPT") ? EW_ACCEPT : !strcmp(p, "DROP") ? EW_DROP : -1;
}

void ew_table_walk(struct ew_table *t, int chain, ew_rule_fn fn, void *ctx)
{
	const char *name = ew_chain_names[chain];
	const void *e;

	for (e = t->op->first_rule(name, t->h); e; e = t->op->next_rule(e, t->h))
		fn(ctx, chain, e, t->op->target(e, t->h));
}

void ew_table_user_chains(struct ew_table *t, void (*fn)(void *, const char *), void *ctx)
{
	const char *c;

	for (c = t->op->first_chain(t->h); c; c = t->op->next_chain(t->h))
		if (!t->op->builtin(c, t->h))
			fn(ctx, c);
}

/*
 * A rule read from one handle, appended to another. libiptc hands out
 * standard targets (verdicts, jumps) with an empty name; appending needs
 * the label, so the copy gets it.
 */
static int copy_rule(struct ew_table *dst, struct ew_table *src, const char *chain,
		     const void *e)
{
	size_t target, size = src->op->size(e, &target);
	unsigned char *copy = malloc(size);
	struct xt_entry_target *t;
	int ok;

	if (!copy)
		return -1;
	memcpy(copy, e, size);
	t = (struct xt_entry_target *)(copy + target);
	if (!t->u.user.name[0])
		strncpy(t->u.user.name, src->op->target(e, src->h),
			sizeof(t->u.user.name) - 1);
	ok = dst->op->append(chain, copy, dst->h);
	free(copy);
	return ok ? 0 : -1;
}

static int copy_chain(struct ew_table *dst, struct ew_table *src, const char *chain)
{
	struct xt_counters c;
	const char *policy = src->op->get_policy(chain, &c, src->h);
	const void *e;

	if (policy && !dst->op->set_policy(chain, policy, NULL, dst->h))
		return -1;
	for (e = src->op->first_rule(chain, src->h); e; e = src->op->next_rule(e, src->h))
		if (copy_rule(dst, src, chain, e))
			return -1;
	return 0;
}

int ew_table_copy(struct ew_table *dst, struct ew_table *src, char *err, size_t n)
{
	const char *c;

	if (empty_table(dst))
		goto fail;
	for (c = src->op->first_chain(src->h); c; c = src->op->next_chain(src->h))
		if (!src->op->builtin(c, src->h) && !dst->op->create_chain(c, dst->h))
			goto fail;
	for (c = src->op->first_chain(src->h); c; c = src->op->next_chain(src->h))
		if (copy_chain(dst, src, c))
			goto fail;
	return 0;
fail:
	snprintf(err, n, "%s filter table: copying the previous table: %s",
		 fam(dst->family), dst->op->strerror(errno));
	return -1;
}

int ew_table_summary(int family, const char *table, struct ew_xt_summary *s, char *err,
		     size_t n)
{
	const struct ops *op = family == 4 ? &ops4 : &ops6;
	struct xtc_handle *h = op->init(table);
	const char *c;

	memset(s, 0, sizeof(*s));
	if (!h)
		return snprintf(err, n, "%s %s table: %s", fam(family), table,
				op->strerror(errno)), -1;
	for (c = op->first_chain(h); c; c = op->next_chain(h)) {
		struct xt_counters cnt;
		const char *pol = op->builtin(c, h) ? op->get_policy(c, &cnt, h) : NULL;
		const void *e;

		s->chains++;
		if (!op->builtin(c, h))
			s->user_chains++;
		else if (pol && strcmp(pol, "ACCEPT") != 0)
			s->strict_policies++;
		for (e = op->first_rule(c, h); e; e = op->next_rule(e, h))
			s->rules++;
	}
	op->free(h);
	return 0;
}
