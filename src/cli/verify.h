/*
 * verify.h - compare the live tables with the compiled policy.
 */
#ifndef EW_VERIFY_H
#define EW_VERIFY_H

#include <stdio.h>

#include "backend/backend.h"
#include "policy/rule.h"

struct ew_lines {
	char *buf;
	size_t size, n;
	char **l;
};

/* One family's comparison: a shortest edit script between the two texts.
 * want.l[i] with wdiff[i] set is only in the compiled policy, have.l[j]
 * with hdiff[j] set only in the kernel; the other lines are common, in
 * the same order. */
struct ew_drift {
	int family;
	const char *backend;    /* "nftables", "iptables" */
	int code;               /* EW_EXIT_OK, EW_EXIT_DRIFT, or an error code */
	char err[256];
	struct ew_lines want, have;
	unsigned char *wdiff, *hdiff;
};

/* Mark in adiff/bdiff (zeroed, n and m bytes) the lines of a and b that a
 * shortest edit script deletes or inserts (Myers' O(ND) algorithm; cli/diff.c).
 * Returns 0, or -1 when out of memory. */
int ew_diff(char **a, size_t n, char **b, size_t m, unsigned char *adiff,
	    unsigned char *bdiff);

/* One family, read back through backend be. */
void ew_verify_family(const struct ew_backend *be, const struct ew_ruleset *want,
		      struct ew_drift *d);

/* Tables that are not earlywall's (cli/foreign.c). */
#define EW_MAX_FOREIGN 80
struct ew_foreign {
	int code;               /* EW_EXIT_OK, EW_EXIT_DRIFT (one not expected), or an error */
	char err[256];
	size_t n;
	struct ew_foreign_item {
		char table[96];         /* "iptables/nat", "inet/docker" */
		char detail[160];       /* "2 rules, 1 chains, 1 base chains on prerouting" */
		int expected;           /* listed in FOREIGN_TABLES_EXPECTED */
	} it[EW_MAX_FOREIGN];
};
void ew_verify_foreign(struct ew_foreign *f);
/* Earlywall's policy found in backend too, while verified is verified: drift. */
void ew_foreign_other(struct ew_foreign *f, const char *backend, const char *verified);
/* What backend holds cannot be read (why): verify fails, exit 3. */
void ew_foreign_unreadable(struct ew_foreign *f, const char *backend, const char *why);
void ew_drift_free(struct ew_drift *d);

/* Reports (cli/report.c). */
void ew_report_text(FILE *out, const struct ew_drift *d);
void ew_report_foreign(FILE *out, const struct ew_foreign *f);
void ew_report_json(FILE *out, const struct ew_drift d[2], const struct ew_foreign *f, int code);

#endif
