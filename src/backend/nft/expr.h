/*
 * expr.h - plan rules to nf_tables expressions.
 */
#ifndef EW_NFT_EXPR_H
#define EW_NFT_EXPR_H

#include "backend/nft/netlink.h"
#include "policy/nftplan.h"

/* The rule's NFTA_RULE_EXPRESSIONS, matches then verdict. */
void ew_nft_exprs(struct ew_nl_batch *b, const struct ew_nft_plan *p, const struct ew_nft_rule *r);

#endif
