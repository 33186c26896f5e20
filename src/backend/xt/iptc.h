/*
 * iptc.h - the libiptc backend: one filter table per family, committed in
 * one IPT_SO_SET_REPLACE / IP6T_SO_SET_REPLACE.
 */
#ifndef EW_IPTC_H
#define EW_IPTC_H

#include "policy/rule.h"

struct ew_table;

/* Read the live filter table of a family (4 or 6); NULL with err set. */
struct ew_table *ew_table_open(int family, char *err, size_t n);
void ew_table_close(struct ew_table *t);

/* Replace the handle's contents with rs (no kernel access). */
int ew_table_load(struct ew_table *t, const struct ew_ruleset *rs, char *err, size_t n);

/* Make dst hold what src holds (no kernel access): for putting a table back. */
int ew_table_copy(struct ew_table *dst, struct ew_table *src, char *err, size_t n);

/* Commit the handle as it is; for a handle only read, re-commit what was read. */
int ew_table_commit(struct ew_table *t, char *err, size_t n);

/* Policy of a builtin chain, EW_ACCEPT or EW_DROP; -1 when it is neither. */
int ew_table_policy(struct ew_table *t, int chain);

/* Call fn for every rule of a builtin chain, with libiptc's target label. */
typedef void (*ew_rule_fn)(void *ctx, int chain, const void *entry, const char *target);
void ew_table_walk(struct ew_table *t, int chain, ew_rule_fn fn, void *ctx);

/* Names of user-defined chains, for verify: fn(ctx, name). */
void ew_table_user_chains(struct ew_table *t, void (*fn)(void *, const char *), void *ctx);

/* What a legacy table other than filter holds (nat, mangle, raw,
 * security), read and left as it is. */
struct ew_xt_summary {
	size_t chains, rules, user_chains, strict_policies;     /* policy not ACCEPT */
};
int ew_table_summary(int family, const char *table, struct ew_xt_summary *s, char *err,
		     size_t n);

#endif
