/*
 * readback.h - earlywall's nftables table as canonical lines, for verify.
 */
#ifndef EW_NFT_READBACK_H
#define EW_NFT_READBACK_H

#include <stdio.h>

#include "policy/rule.h"

/* The lines of the table the backend would commit for rs. 0, or -1 when
 * out of memory. */
int ew_nft_want_text(const struct ew_ruleset *rs, FILE *f);

/* The lines of table ip (family 4) or ip6 earlywall as the kernel holds
 * it; none when there is no such table. 0, or -1 with err set. */
int ew_nft_live_text(int family, FILE *f, char *err, size_t n);

#endif
