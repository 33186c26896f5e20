/*
 * rule.h - the abstract rule list between policy and backends.
 *
 * Backend-neutral on purpose: nothing here knows about libiptc structs,
 * match revisions or nftables expressions. render.c turns a ruleset into
 * iptables-save text, backend/xt/entry.c into xtables entries, and a later nftables
 * backend can turn the same list into one batch.
 */
#ifndef EW_RULE_H
#define EW_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "policy/parse.h"

enum ew_chain { EW_INPUT, EW_FORWARD, EW_OUTPUT, EW_NCHAINS };
enum ew_verdict { EW_ACCEPT, EW_DROP, EW_LOG };

/* Connection tracking states a rule matches (0 = no state match). */
enum ew_ctstate {
	EW_CT_INVALID = 1,
	EW_CT_ESTABLISHED = 2,
	EW_CT_RELATED = 4,
	EW_CT_NEW = 8,
};

#define EW_IFNAMSIZ 16
#define EW_LOG_PREFIX_MAX 29

struct ew_addr {
	uint8_t set;            /* 0: any address */
	uint8_t prefix;
	uint8_t a[16];
};

struct ew_rule {
	uint8_t chain;          /* enum ew_chain */
	uint8_t verdict;        /* enum ew_verdict */
	uint8_t proto;          /* enum ew_proto; EW_ICMP is ICMPv6 in family 6 */
	uint8_t ctstate;        /* enum ew_ctstate bits */
	int16_t icmp_type;      /* -1: any type */
	char iface[EW_IFNAMSIZ];/* in-interface on INPUT, out on OUTPUT */
	struct ew_addr src, dst;
	struct ew_ports sports, dports;
	uint16_t limit_per_min; /* 0: no rate limit */
	uint16_t limit_burst;
	char log_prefix[EW_LOG_PREFIX_MAX + 1];
};

struct ew_ruleset {
	uint8_t family;                 /* 4 or 6 */
	uint8_t policy[EW_NCHAINS];     /* EW_ACCEPT or EW_DROP */
	size_t n, cap;
	struct ew_rule *r;
};

extern const char *const ew_chain_names[EW_NCHAINS];

#endif
