/*
 * minimal.h - the minimal lockdown with nftables, for kernels that have no
 * legacy xtables.
 */
#ifndef EW_NFT_MINIMAL_H
#define EW_NFT_MINIMAL_H

#include <stddef.h>

/* The table earlywall owns: one inet table, for IPv4 and IPv6 at once. */
#define EW_NFT_TABLE "earlywall"

/*
 * Commit, in one batch, table inet earlywall with base chains input,
 * forward and output (filter, priority 0, policy drop), and loopback
 * accepted on input and output: DROP policies, loopback only, both
 * families. An earlywall table already there is replaced in the same
 * transaction. 0, or -1 with err naming what the kernel refused.
 */
int ew_nft_minimal(char *err, size_t n);

#endif
