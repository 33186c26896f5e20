/*
 * policy.h - build-time configuration in, abstract ruleset out.
 */
#ifndef EW_POLICY_H
#define EW_POLICY_H

#include "policy/rule.h"

struct ew_list {
	const struct ew_entry *e;
	size_t n;
};

struct ew_config {
	struct ew_list trusted, allow_out, allow_in, dns, ntp;
	/* ALLOW_OUT and ALLOW_IN addresses, each once: echo targets/sources */
	struct ew_list ping_out, ping_in;
	uint8_t allow_ping, allow_dhcp, ipv6_filter, stateful, log_drops;
};

/* The full policy for one family (4 or 6). Returns 0, or -1 when out of memory. */
int ew_policy_build(const struct ew_config *cfg, int family, struct ew_ruleset *rs);

/* The minimal lockdown: DROP policies, loopback only. */
int ew_policy_minimal(int family, struct ew_ruleset *rs);

/* Everything open: ACCEPT policies, no rules (what `revert` commits). */
void ew_policy_open(int family, struct ew_ruleset *rs);

void ew_ruleset_free(struct ew_ruleset *rs);

/* Append a copy of r; returns 0, or -1 when out of memory. */
int ew_ruleset_add(struct ew_ruleset *rs, const struct ew_rule *r);

#endif
