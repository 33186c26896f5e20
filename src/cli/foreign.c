/*
 * cli/foreign.c - the tables that are not earlywall's: every legacy
 * table but filter (nat, mangle, raw, security, both families) that holds
 * a rule, a user chain or a policy other than ACCEPT, and every nftables
 * table of any family but ip/ip6 earlywall. A backend this build does not
 * have owns nothing: its tables are all foreign. Earlywall's policy left
 * in the other backend is reported here too (ew_foreign_other). Any of them can change what reaches earlywall's
 * rules (a NAT rule can turn a stranger into a trusted host), so each is
 * drift unless FOREIGN_TABLES_EXPECTED lists it. Read only.
 */
#include "cli/verify.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util/exitcode.h"
#include "util/kernel.h"
#include "backend/xt/iptc.h"
#include "backend/nft/dump.h"
#include "policy/nftplan.h"

static int expected(const char *table)
{
	const char *v = CONFIG_FOREIGN_TABLES_EXPECTED, *sp = " \t\n";
	size_t len, n = strlen(table);

	for (; *(v += strspn(v, sp)); v += len) {
		len = strcspn(v, sp);
		if (len == n && !strncmp(v, table, n))
			return 1;
	}
	return 0;
}

static struct ew_foreign_item *add(struct ew_foreign *f, const char *table)
{
	struct ew_foreign_item *it;

	if (f->n == EW_MAX_FOREIGN)
		return NULL;
	it = &f->it[f->n++];
	memset(it, 0, sizeof(*it));
	snprintf(it->table, sizeof(it->table), "%s", table);
	it->expected = expected(it->table);
	if (!it->expected)
		f->code = EW_EXIT_DRIFT;
	return it;
}

static void legacy(struct ew_foreign *f, int family)
{
	char names[512], table[80], err[256], *name, *save = NULL;
	struct ew_foreign_item *it;
	struct ew_xt_summary s;

	ew_legacy_tables(family, names, sizeof(names));
	for (name = strtok_r(names, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(name, "filter") && !CONFIG_BACKEND_NFTABLES)
			continue;       /* earlywall's: verified, or reported as left over */
		snprintf(table, sizeof(table), "%s/%.60s", family == 4 ? "iptables" : "ip6tables", name);
		if (CONFIG_BACKEND_NFTABLES) {
			if ((it = add(f, table)))
				snprintf(it->detail, sizeof(it->detail), "a legacy table (this build "
					 "has no libiptc to read it)");
			continue;
		}
		if (ew_table_summary(family, name, &s, err, sizeof(err)))
			continue;
		if (!s.rules && !s.user_chains && !s.strict_policies)
			continue;
		if ((it = add(f, table)))
			snprintf(it->detail, sizeof(it->detail), "%zu rules, %zu user chains, %zu "
				 "policies not ACCEPT", s.rules, s.user_chains, s.strict_policies);
	}
}

static void nftables(struct ew_foreign *f)
{
	static struct ew_nft_state st;
	char fam[32], table[96];
	size_t i;

	if (ew_nft_dump(&st, f->err, sizeof(f->err))) {
		f->code = EW_EXIT_REFUSED;
		return;
	}
	for (i = 0; i < st.n; i++) {
		struct ew_foreign_item *it;

		snprintf(table, sizeof(table), "%s/%s", ew_nft_family_name(st.t[i].family, fam,
									  sizeof(fam)), st.t[i].name);
		if (!CONFIG_BACKEND_IPTABLES && (!strcmp(table, "ip/" EW_NFT_TABLE) ||
						 !strcmp(table, "ip6/" EW_NFT_TABLE)))
			continue;       /* earlywall's: verified, or reported as left over */
		if (!(it = add(f, table)))
			continue;
		snprintf(it->detail, sizeof(it->detail), "%zu rules, %zu chains, %zu base "
			 "chains%s%s", st.t[i].rules, st.t[i].chains, st.t[i].base_chains,
			 st.t[i].hooks[0] ? " on " : "", st.t[i].hooks);
	}
	if (st.dropped)
		add(f, "nftables: more tables than verify lists");
}

void ew_verify_foreign(struct ew_foreign *f)
{
	memset(f, 0, sizeof(*f));
	legacy(f, 4);
	legacy(f, 6);
	nftables(f);
}

void ew_foreign_other(struct ew_foreign *f, const char *backend, const char *verified)
{
	struct ew_foreign_item *it;
	char table[96];

	snprintf(table, sizeof(table), "%s/earlywall", backend);
	if ((it = add(f, table)))
		snprintf(it->detail, sizeof(it->detail), "earlywall's policy left in %s, "
			 "while %s holds the one verified above", backend, verified);
}

void ew_foreign_unreadable(struct ew_foreign *f, const char *backend, const char *why)
{
	if (f->code >= EW_EXIT_REFUSED)
		return;
	f->code = EW_EXIT_REFUSED;
	snprintf(f->err, sizeof(f->err), "cannot read what %s holds: %s", backend, why);
}
