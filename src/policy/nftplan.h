/*
 * nftplan.h - one family's rule list as nftables objects: the sets and
 * the rules of table ip/ip6 earlywall.
 *
 * Pure, like policy.c: the nft text renderer (policy/render_nft.c) and the
 * nftables backend (backend/nft/) both walk the same plan, so what `print
 * --nft` shows is what the backend commits.
 *
 * Accept rules that differ only in an address (and port) become one rule
 * over a set, as pfctl's optimizer does with tables. That keeps the rule
 * list's meaning exactly: accepts commute with each other, so within a run
 * of consecutive accept rules in one chain, the members of a group can be
 * checked together at the place of the first one. A drop or a log rule
 * ends the run.
 */
#ifndef EW_NFTPLAN_H
#define EW_NFTPLAN_H

#include <stddef.h>
#include <stdint.h>

#include "policy/rule.h"

#define EW_NFT_TABLE "earlywall"
#define EW_NFT_SET_NAME 48
#define EW_NFT_MAX_SETS 32
#define EW_NFT_MAX_MATCH 6

/* What a rule matches, in the order of its expressions (and its text). */
enum ew_nft_kind {
	EW_NM_IFNAME,           /* iifname/oifname "lo": text */
	EW_NM_ADDR,             /* ip saddr/daddr a/prefix: dir, prefix, a */
	EW_NM_L4PROTO,          /* meta l4proto: proto; implied: printed by what follows */
	EW_NM_PORT,             /* tcp dport lo-hi: dir, proto, lo, hi */
	EW_NM_PORT_PAIR,        /* udp sport lo udp dport hi: one 4-byte load */
	EW_NM_ICMP_TYPE,        /* icmp(v6) type: lo */
	EW_NM_CTSTATE,          /* ct state: lo = enum ew_ctstate bits */
	EW_NM_LOOKUP,           /* ip saddr [. tcp dport] @set: set, dir, port */
	EW_NM_LIMIT,            /* limit rate lo/minute burst hi packets */
	EW_NM_LOG,              /* log prefix text */
};

enum ew_nft_port { EW_NP_NONE, EW_NP_DPORT, EW_NP_SPORT };

struct ew_nft_match {
	uint8_t kind;           /* enum ew_nft_kind */
	uint8_t dir;            /* 0: source (saddr, sport, iifname); 1: destination */
	uint8_t proto;          /* enum ew_proto */
	uint8_t implied;        /* EW_NM_L4PROTO: a port or type match prints it */
	uint8_t prefix;
	uint8_t port;           /* EW_NM_LOOKUP: enum ew_nft_port */
	uint16_t lo, hi;
	int set;                /* EW_NM_LOOKUP: index into plan sets */
	uint8_t a[16];
	char text[EW_LOG_PREFIX_MAX + 1];
};

struct ew_nft_rule {
	uint8_t chain;          /* enum ew_chain */
	uint8_t verdict;        /* EW_ACCEPT, EW_DROP, or EW_LOG for none */
	uint8_t n;
	size_t from;            /* the first rule of the rule list it stands for */
	struct ew_nft_match m[EW_NFT_MAX_MATCH];
};

/* An interval element: addresses lo..hi, and ports plo..phi when the set
 * has a port field. Kept sorted and without overlaps. */
struct ew_nft_elem {
	uint8_t lo[16], hi[16];
	uint16_t plo, phi;
};

struct ew_nft_set {
	char name[EW_NFT_SET_NAME];
	uint8_t chain, proto, port;     /* enum ew_chain, ew_proto, ew_nft_port */
	int16_t icmp_type;
	int run;                        /* which run of accept rules */
	size_t n, cap;
	struct ew_nft_elem *e;
};

struct ew_nft_plan {
	int family;
	const uint8_t *policy;          /* the ruleset's chain policies */
	size_t nsets, nrules, cap;
	struct ew_nft_set sets[EW_NFT_MAX_SETS];
	struct ew_nft_rule *r;
};

/* Build the plan of rs. 0, or -1 when out of memory (plan freed). */
int ew_nft_plan(const struct ew_ruleset *rs, struct ew_nft_plan *p);
void ew_nft_plan_free(struct ew_nft_plan *p);

/* Address bytes of a family (4 or 16). */
#define EW_ALEN(family) ((family) == 4 ? 4 : 16)

/* Normalise a set's elements (nftplan_elems.c): sorted, merged, no
 * overlaps. Ranges of addresses alone merge when they touch; with a port
 * field, an element under a wider address keeps only the ports the wider
 * one does not already allow. 0, or -1 when out of memory. */
int ew_nft_elems_normalise(struct ew_nft_set *s, int family);

#endif
