/*
 * apply.h - the nftables backend: commit, remove, look.
 */
#ifndef EW_NFT_APPLY_H
#define EW_NFT_APPLY_H

#include <stddef.h>

#include "policy/rule.h"

/* Commit table ip earlywall for v4 and table ip6 earlywall for v6 in one
 * batch (v4 alone on a kernel without IPv6), replacing earlier ones. An
 * EW_EXIT_* code; on failure err names the table, set, element or rule
 * the kernel refused, by its place in the policy, and why. */
int ew_nft_commit(const struct ew_ruleset *v4, const struct ew_ruleset *v6, char *err, size_t n);

/* Delete earlywall's tables, in one batch; absent ones are no failure. */
int ew_nft_remove(char *err, size_t n);

/* 1 when table ip or ip6 earlywall is there, 0 when not, -1 unreadable. */
int ew_nft_holds(void);

/* The modules a commit of rs[0..1] needs, at most max. */
size_t ew_nft_modules(const struct ew_ruleset rs[2], const char **names, size_t max);

#endif
