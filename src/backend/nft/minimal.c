/*
 * minimal.c - the minimal lockdown as one nf_tables batch: on a kernel
 * without legacy xtables (Raspberry Pi OS's 6.18 kernels have no
 * ip_tables), PID 1's FAIL_LOCKOUT ladder ends here rather than in a
 * device that never hands off.
 *
 * The batch: NEWTABLE (create), DELTABLE, NEWTABLE (create, exclusive),
 * so an earlywall table that is there is replaced in the same transaction
 * and one that is not does not fail it; the three base chains with policy
 * drop; "iifname lo accept" and "oifname lo accept". The table never has
 * NFT_TABLE_F_OWNER: it must outlive PID 1's exec.
 */
#include "backend/nft/minimal.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <string.h>

#include "backend/nft/netlink.h"
#include "util/faults.h"

static const struct { const char *name; int hook; } chains[] = {
	{ "input", NF_INET_LOCAL_IN },
	{ "forward", NF_INET_FORWARD },
	{ "output", NF_INET_LOCAL_OUT },
};

static void table(struct ew_nl_batch *b, int type, int flags)
{
	ew_nl_msg(b, type, flags, NFPROTO_INET, "table inet " EW_NFT_TABLE);
	ew_nl_put_str(b, NFTA_TABLE_NAME, EW_NFT_TABLE);
	if (type == NFT_MSG_NEWTABLE)
		ew_nl_put_be32(b, NFTA_TABLE_FLAGS, 0);
}

static void base_chain(struct ew_nl_batch *b, const char *name, int hook)
{
	ew_nl_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, NFPROTO_INET, name);
	ew_nl_put_str(b, NFTA_CHAIN_TABLE, EW_NFT_TABLE);
	ew_nl_put_str(b, NFTA_CHAIN_NAME, name);
	ew_nl_nest(b, NFTA_CHAIN_HOOK);
	ew_nl_put_be32(b, NFTA_HOOK_HOOKNUM, (uint32_t)hook);
	ew_nl_put_be32(b, NFTA_HOOK_PRIORITY, 0);
	ew_nl_end_nest(b);
	ew_nl_put_be32(b, NFTA_CHAIN_POLICY, NF_DROP);
	ew_nl_put_str(b, NFTA_CHAIN_TYPE, "filter");
}

static void expr_begin(struct ew_nl_batch *b, const char *name)
{
	ew_nl_nest(b, NFTA_LIST_ELEM);
	ew_nl_put_str(b, NFTA_EXPR_NAME, name);
	ew_nl_nest(b, NFTA_EXPR_DATA);
}

static void expr_end(struct ew_nl_batch *b)
{
	ew_nl_end_nest(b);
	ew_nl_end_nest(b);
}

/* "iifname lo accept" (meta key NFT_META_IIFNAME) or "oifname lo accept". */
static void loopback(struct ew_nl_batch *b, const char *chain, int key)
{
	char lo[IFNAMSIZ] = "lo";

	ew_nl_msg(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, NFPROTO_INET,
		  key == NFT_META_IIFNAME ? "rule input iifname lo accept"
					  : "rule output oifname lo accept");
	ew_nl_put_str(b, NFTA_RULE_TABLE, EW_NFT_TABLE);
	ew_nl_put_str(b, NFTA_RULE_CHAIN, chain);
	ew_nl_nest(b, NFTA_RULE_EXPRESSIONS);
	/* The test build's "nonft" fault names an expression the kernel lacks. */
	expr_begin(b, EW_FAULTS && ew_fault("nonft") ? "ewfault" : "meta");
	ew_nl_put_be32(b, NFTA_META_KEY, (uint32_t)key);
	ew_nl_put_be32(b, NFTA_META_DREG, NFT_REG_1);
	expr_end(b);
	expr_begin(b, "cmp");
	ew_nl_put_be32(b, NFTA_CMP_SREG, NFT_REG_1);
	ew_nl_put_be32(b, NFTA_CMP_OP, NFT_CMP_EQ);
	ew_nl_nest(b, NFTA_CMP_DATA);
	ew_nl_put(b, NFTA_DATA_VALUE, lo, sizeof(lo));
	ew_nl_end_nest(b);
	expr_end(b);
	expr_begin(b, "immediate");
	ew_nl_put_be32(b, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	ew_nl_nest(b, NFTA_IMMEDIATE_DATA);
	ew_nl_nest(b, NFTA_DATA_VERDICT);
	ew_nl_put_be32(b, NFTA_VERDICT_CODE, NF_ACCEPT);
	ew_nl_end_nest(b);
	ew_nl_end_nest(b);
	expr_end(b);
	ew_nl_end_nest(b);
}

int ew_nft_minimal(char *err, size_t n)
{
	struct ew_nl_batch b;
	size_t i;
	int rc;

	ew_nl_init(&b);
	table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	table(&b, NFT_MSG_DELTABLE, 0);
	table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL);
	for (i = 0; i < sizeof(chains) / sizeof(chains[0]); i++)
		base_chain(&b, chains[i].name, chains[i].hook);
	loopback(&b, "input", NFT_META_IIFNAME);
	loopback(&b, "output", NFT_META_OIFNAME);
	rc = ew_nl_commit(&b, err, n);
	ew_nl_free(&b);
	return rc;
}
