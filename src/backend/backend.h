/*
 * backend.h - what PID 1 and the commands see of a backend: one small
 * interface, so neither knows libiptc or netlink.
 */
#ifndef EW_BACKEND_H
#define EW_BACKEND_H

#include <stddef.h>
#include <stdio.h>

#include "policy/rule.h"

#define EW_MAX_MODULES 16

struct ew_backend {
	const char *name;               /* "nftables", "iptables" */
	const char *shows;              /* the command that shows its live policy */
	/* The kernel modules a commit of rs[0..1] needs, at most max. */
	size_t (*modules)(const struct ew_ruleset rs[2], const char **names, size_t max);
	/* Commit both families; an EW_EXIT_* code, and on failure err names
	 * what the kernel refused by its place in the policy, and why. */
	int (*commit)(const struct ew_ruleset *v4, const struct ew_ruleset *v6, char *err,
		      size_t n);
	/* Leave nothing of earlywall's in this backend (revert). */
	int (*remove)(char *err, size_t n);
	/* 1 when this backend holds a policy of earlywall's, 0 when not, -1
	 * when that cannot be read. */
	int (*holds)(void);
	/* Read back, as lines verify compares: what a commit of rs would
	 * leave, and what the kernel holds for a family. 0, or -1. */
	int (*want_text)(const struct ew_ruleset *rs, FILE *f);
	int (*live_text)(int family, FILE *f, char *err, size_t n);
};

extern const struct ew_backend ew_backend_nft, ew_backend_xt;

/* The backends this build has, the preferred one first; returns 1 or 2. */
size_t ew_backends(const struct ew_backend *out[2]);

#endif
