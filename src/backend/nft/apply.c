/*
 * apply.c - the nftables backend's commit: both families in one netlink
 * batch, so the kernel takes all of it or none, and a refused batch
 * leaves every table as it was. Also what revert does with nftables
 * (earlywall's tables deleted, in one batch), whether earlywall's tables
 * are there, and which modules a commit needs.
 *
 * A kernel without IPv6 gets table ip earlywall alone, and that is no
 * failure: there is no IPv6 to close.
 */
#include "backend/nft/apply.h"

#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>

#include "backend/nft/build.h"
#include "backend/nft/dump.h"
#include "backend/nft/netlink.h"
#include "policy/nftplan.h"
#include "util/exitcode.h"
#include "util/kernel.h"

static int code_of(int err)
{
	/* ENOENT is also an expression module the kernel could not load. */
	return err == ENOENT || err == EOPNOTSUPP || err == EPROTONOSUPPORT ||
	       err == EAFNOSUPPORT ? EW_EXIT_MISSING : EW_EXIT_REFUSED;
}

/* Concatenated interval sets (address . port) came with Linux 5.6. */
static int too_old(const struct ew_nft_plan *p, char *err, size_t n)
{
	char release[72];
	size_t i;

	for (i = 0; i < p->nsets; i++)
		if (p->sets[i].port && ew_kernel_older(5, 6, release, sizeof(release))) {
			snprintf(err, n, "nftables: kernel %s is older than 5.6, which the "
				 "address . port sets need", release);
			return 1;
		}
	return 0;
}

/* Both families' tables into b: replacing earlier ones, or not. */
static int build_all(struct ew_nl_batch *b, const struct ew_ruleset *rs[2], int families,
		     int replace, char *err, size_t n)
{
	struct ew_nft_plan p;
	int i;

	for (i = 0; i < families; i++) {
		if (ew_nft_plan(rs[i], &p))
			return snprintf(err, n, "out of memory"), EW_EXIT_REFUSED;
		if (too_old(&p, err, n)) {
			ew_nft_plan_free(&p);
			return EW_EXIT_MISSING;
		}
		ew_nft_build(b, &p, replace);
		ew_nft_plan_free(&p);
	}
	return EW_EXIT_OK;
}

/* One batch: the short form (tables created) when there were none at
 * generation gen, else (or when the short one meets a changed ruleset)
 * the form that replaces them. Deleting a table costs the kernel work
 * that the socket's close then waits for: some 10 ms, at every boot. */
static int commit_once(const struct ew_ruleset *rs[2], int families, int replace,
		       const uint32_t *gen, char *err, size_t n)
{
	struct ew_nl_batch b;
	int code;

	ew_nl_init(&b);
	code = build_all(&b, rs, families, replace, err, n);
	if (!code && gen) {
		b.gen = *gen;
		b.gen_set = 1;
	}
	if (!code && ew_nl_commit(&b, err, n))
		code = b.error == ERESTART ? -1 : code_of(b.error);
	ew_nl_free(&b);
	return code;
}

int ew_nft_commit(const struct ew_ruleset *v4, const struct ew_ruleset *v6, char *err, size_t n)
{
	const struct ew_ruleset *rs[2] = { v4, v6 };
	int families = ew_kernel_has_ipv6() ? 2 : 1, code;
	uint32_t gen;

	if (!ew_nl_genid(&gen) && ew_nft_holds() == 0) {
		code = commit_once(rs, families, 0, &gen, err, n);
		if (code != -1)
			return code;
	}
	code = commit_once(rs, families, 1, NULL, err, n);
	return code == -1 ? EW_EXIT_REFUSED : code;
}

int ew_nft_remove(char *err, size_t n)
{
	struct ew_nl_batch b;
	int i, families = ew_kernel_has_ipv6() ? 2 : 1, code = EW_EXIT_OK;

	ew_nl_init(&b);
	for (i = 0; i < families; i++) {
		ew_nft_table_msg(&b, 4 + 2 * i, NFT_MSG_NEWTABLE, NLM_F_CREATE);
		ew_nft_table_msg(&b, 4 + 2 * i, NFT_MSG_DELTABLE, 0);
	}
	if (ew_nl_commit(&b, err, n))
		code = code_of(b.error);
	ew_nl_free(&b);
	return code;
}

int ew_nft_holds(void)
{
	static struct ew_nft_state st;
	char err[256];
	size_t i;

	if (ew_nft_dump(&st, err, sizeof(err)))
		return -1;
	for (i = 0; i < st.n; i++)
		if ((st.t[i].family == NFPROTO_IPV4 || st.t[i].family == NFPROTO_IPV6) && !strcmp(st.t[i].name, EW_NFT_TABLE))
			return 1;
	return 0;
}

static int uses(const struct ew_ruleset rs[2], int what)
{
	size_t f, i;

	for (f = 0; f < 2; f++)
		for (i = 0; i < rs[f].n; i++) {
			const struct ew_rule *r = &rs[f].r[i];

			if ((what == 0 && r->ctstate) || (what == 1 && r->limit_per_min) ||
			    (what == 2 && r->verdict == EW_LOG))
				return 1;
		}
	return 0;
}

size_t ew_nft_modules(const struct ew_ruleset rs[2], const char **names, size_t max)
{
	size_t n = 0;

	if (n < max)
		names[n++] = "nfnetlink";
	if (n < max)
		names[n++] = "nf_tables";
	if (uses(rs, 0) && n < max)
		names[n++] = "nft_ct";
	if (uses(rs, 1) && n < max)
		names[n++] = "nft_limit";
	if (uses(rs, 2) && n + 1 < max) {
		names[n++] = "nft_log";
		names[n++] = "nf_log_syslog";
	}
	return n;
}
