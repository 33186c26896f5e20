/*
 * verify.h - compare the live tables with the compiled policy.
 */
#ifndef EW_VERIFY_H
#define EW_VERIFY_H

#include <stdio.h>

#include "rule.h"

struct ew_lines {
	char *buf;
	size_t size, n;
	char **l;
};

/* One family's comparison. The difference is want->l[head..wn) (only in
 * the compiled policy) and have->l[head..hn) (only in the kernel). */
struct ew_drift {
	int family;
	int code;               /* EW_EXIT_OK, EW_EXIT_DRIFT, or an error code */
	char err[256];
	struct ew_lines want, have;
	size_t head, wn, hn;
};

void ew_verify_family(const struct ew_ruleset *want, struct ew_drift *d);
void ew_drift_free(struct ew_drift *d);

/* Reports (verify_report.c). */
void ew_report_text(FILE *out, const struct ew_drift *d);
void ew_report_json(FILE *out, const struct ew_drift d[2], int code);

#endif
