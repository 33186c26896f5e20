/*
 * backend.c - the libiptc backend behind the interface of backend.h.
 */
#include "backend/backend.h"

#include <errno.h>
#include <string.h>

#include "backend/xt/apply.h"
#include "backend/xt/iptc.h"
#include "backend/xt/modules.h"
#include "backend/xt/readback.h"
#include "policy/policy.h"
#include "policy/render.h"
#include "util/kernel.h"

static size_t modules(const struct ew_ruleset rs[2], const char **names, size_t max)
{
	return ew_xt_modules(rs, 2, names, max);
}

/* revert: ACCEPT policies, empty filter tables. */
static int remove_policy(char *err, size_t n)
{
	struct ew_ruleset rs[2];

	ew_policy_open(4, &rs[0]);
	ew_policy_open(6, &rs[1]);
	return ew_apply(&rs[0], &rs[1], err, n);
}

/* The kernel may have a filter table for the family: it lists it in
 * /proc, or the list cannot be read (it is root's only; a verify unit runs
 * as another user). One that is not listed is not created by looking. */
static int listed(int family)
{
	char names[512];

	if (ew_legacy_tables(family, names, sizeof(names)) < 0)
		return errno != ENOENT;
	return strstr(names, "filter\n") == names || strstr(names, "\nfilter\n") != NULL;
}

/* The filter table holds rules or a policy other than ACCEPT; -1 (errno
 * set) when one is there but cannot be read (no CAP_NET_RAW, say). */
static int holds(void)
{
	struct ew_xt_summary s;
	char err[256];
	int f, any = 0;

	for (f = 4; f <= 6; f += 2) {
		if (!listed(f))
			continue;
		if (ew_table_summary(f, "filter", &s, err, sizeof(err)))
			return -1;
		any |= s.rules || s.user_chains || s.strict_policies;
	}
	return any;
}

static int want_text(const struct ew_ruleset *rs, FILE *f)
{
	ew_render(f, rs);
	return 0;
}

const struct ew_backend ew_backend_xt = {
	.name = "iptables",
	.shows = "iptables-legacy-save; ip6tables-legacy-save",
	.modules = modules,
	.commit = ew_apply,
	.remove = remove_policy,
	.holds = holds,
	.want_text = want_text,
	.live_text = ew_xt_live_text,
};
