/*
 * build.h - nftables plans to netlink messages.
 */
#ifndef EW_NFT_BUILD_H
#define EW_NFT_BUILD_H

#include "backend/nft/netlink.h"
#include "policy/nftplan.h"

/* Append to b: table ip/ip6 earlywall replaced by the plan's table. */
void ew_nft_build(struct ew_nl_batch *b, const struct ew_nft_plan *p);

/* One table message (NFT_MSG_NEWTABLE or DELTABLE) for table earlywall. */
void ew_nft_table_msg(struct ew_nl_batch *b, int family, int type, int flags);

#endif
