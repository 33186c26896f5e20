/*
 * backend/xt/modules.h - the kernel modules rulesets need.
 */
#ifndef EW_XT_MODULES_H
#define EW_XT_MODULES_H

#include "policy/rule.h"

#include "backend/backend.h"

/* Table modules first, then one per match/target; returns how many. */
size_t ew_xt_modules(const struct ew_ruleset *rs, size_t nrs, const char **out, size_t max);

#endif
