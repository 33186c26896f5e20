/*
 * apply.h - commit rulesets for both families, or nothing.
 */
#ifndef EW_APPLY_H
#define EW_APPLY_H

#include "policy/rule.h"

/*
 * Commit v4 then v6, one transaction each. Both tables are built before
 * either is committed; if the IPv6 commit fails, the IPv4 table that was
 * live before is committed back. Returns an EW_EXIT_* code; on failure err
 * names the family, the rule when one can be named, and the kernel's reason.
 * On a kernel without IPv6 (see below) only v4 is committed.
 */
int ew_apply(const struct ew_ruleset *v4, const struct ew_ruleset *v6,
	     char *err, size_t n);

#endif
