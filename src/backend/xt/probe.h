/*
 * backend/xt/probe.h - ask the kernel which xtables extensions it has.
 */
#ifndef EW_XT_PROBE_H
#define EW_XT_PROBE_H

#include "policy/rule.h"

/*
 * After a refused commit: find the first rule of rs whose match or target
 * the kernel lacks. Returns its index with the reason in why, or -1.
 */
long ew_xt_culprit(const struct ew_ruleset *rs, char *why, size_t n);

#endif
