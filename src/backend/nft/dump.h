/*
 * backend/nft/dump.h - what nf_tables holds, read with netlink dumps: every table
 * of every family, its chains (which are base chains, on which hook) and
 * how many rules. For verify, which counts any table that is not
 * earlywall's as foreign.
 */
#ifndef EW_NFT_DUMP_H
#define EW_NFT_DUMP_H

#include <stddef.h>

#define EW_NFT_MAX_TABLES 64
#define EW_NFT_NAME 64

struct ew_nft_table {
	int family;                     /* NFPROTO_* */
	char name[EW_NFT_NAME];
	size_t chains, base_chains, rules;
	char hooks[96];                 /* "prerouting,input" */
};

struct ew_nft_state {
	size_t n;
	struct ew_nft_table t[EW_NFT_MAX_TABLES];
	size_t dropped;                 /* tables beyond EW_NFT_MAX_TABLES */
	int done, error;                /* NLMSG_DONE seen; an NLMSG_ERROR's errno */
};

/* Dump every table, chain and rule. 0, or -1 with err set (no nf_tables
 * in the kernel is not an error: nothing to report). */
int ew_nft_dump(struct ew_nft_state *st, char *err, size_t n);

/* Take len bytes of netlink replies (a dump of tables, chains or rules)
 * into st. Any bytes at all are safe here. 0, or -1 when they are not
 * well formed. */
int ew_nft_parse(const void *buf, size_t len, struct ew_nft_state *st);

/* "ip", "ip6", "inet", "arp", "bridge", "netdev", or "family N". */
const char *ew_nft_family_name(int family, char *buf, size_t n);

#endif
