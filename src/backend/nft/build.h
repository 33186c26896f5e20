/*
 * build.h - nftables plans to netlink messages.
 */
#ifndef EW_NFT_BUILD_H
#define EW_NFT_BUILD_H

#include "backend/nft/netlink.h"
#include "policy/nftplan.h"

/* Append to b: the plan's table ip/ip6 earlywall, replacing one that is
 * there (replace), or created where there is none (not replace: the
 * batch fails if there is one). */
void ew_nft_build(struct ew_nl_batch *b, const struct ew_nft_plan *p, int replace);

/* One table message (NFT_MSG_NEWTABLE or DELTABLE) for table earlywall. */
void ew_nft_table_msg(struct ew_nl_batch *b, int family, int type, int flags);

#endif
