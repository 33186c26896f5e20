/*
 * expr.c - a plan rule's matches as nf_tables expressions, in nft's own
 * encoding: the same loads, registers and compares `nft -f` produces for
 * the text `print --nft` shows, so `nft list` prints that text back.
 *
 * Every attribute the kernel dumps for an expression is sent, so verify
 * can compare what the kernel holds with what this file builds, attribute
 * for attribute. Messages go through netlink.c; nothing here sends.
 */
#include "backend/nft/expr.h"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <string.h>

#include "util/faults.h"

/* nft's names for where a payload load starts. */
#define NET NFT_PAYLOAD_NETWORK_HEADER
#define TH NFT_PAYLOAD_TRANSPORT_HEADER

static void begin(struct ew_nl_batch *b, const char *name)
{
	ew_nl_nest(b, NFTA_LIST_ELEM);
	ew_nl_put_str(b, NFTA_EXPR_NAME, name);
	ew_nl_nest(b, NFTA_EXPR_DATA);
}

static void end(struct ew_nl_batch *b)
{
	ew_nl_end_nest(b);
	ew_nl_end_nest(b);
}

static void data(struct ew_nl_batch *b, int type, const void *v, size_t len)
{
	ew_nl_nest(b, type);
	ew_nl_put(b, NFTA_DATA_VALUE, v, len);
	ew_nl_end_nest(b);
}

static void meta(struct ew_nl_batch *b, int key)
{
	/* The test build's "nonft" fault names an expression the kernel lacks. */
	begin(b, EW_FAULTS && ew_fault("nonft") ? "ewfault" : "meta");
	ew_nl_put_be32(b, NFTA_META_KEY, (uint32_t)key);
	ew_nl_put_be32(b, NFTA_META_DREG, NFT_REG_1);
	end(b);
}

static void cmp(struct ew_nl_batch *b, int op, const void *v, size_t len)
{
	begin(b, "cmp");
	ew_nl_put_be32(b, NFTA_CMP_SREG, NFT_REG_1);
	ew_nl_put_be32(b, NFTA_CMP_OP, (uint32_t)op);
	data(b, NFTA_CMP_DATA, v, len);
	end(b);
}

static void payload(struct ew_nl_batch *b, int base, int offset, int len, int dreg)
{
	begin(b, "payload");
	ew_nl_put_be32(b, NFTA_PAYLOAD_DREG, (uint32_t)dreg);
	ew_nl_put_be32(b, NFTA_PAYLOAD_BASE, (uint32_t)base);
	ew_nl_put_be32(b, NFTA_PAYLOAD_OFFSET, (uint32_t)offset);
	ew_nl_put_be32(b, NFTA_PAYLOAD_LEN, (uint32_t)len);
	end(b);
}

static void bitwise(struct ew_nl_batch *b, const uint8_t *mask, size_t len)
{
	static const uint8_t zero[16];

	begin(b, "bitwise");
	ew_nl_put_be32(b, NFTA_BITWISE_SREG, NFT_REG_1);
	ew_nl_put_be32(b, NFTA_BITWISE_DREG, NFT_REG_1);
	ew_nl_put_be32(b, NFTA_BITWISE_LEN, (uint32_t)len);
	ew_nl_put_be32(b, NFTA_BITWISE_OP, NFT_BITWISE_BOOL);
	data(b, NFTA_BITWISE_MASK, mask, len);
	data(b, NFTA_BITWISE_XOR, zero, len);
	end(b);
}

static void cmp_u8(struct ew_nl_batch *b, int v)
{
	uint8_t x = (uint8_t)v;

	cmp(b, NFT_CMP_EQ, &x, 1);
}

static void cmp_be16(struct ew_nl_batch *b, int op, unsigned v)
{
	uint16_t x = htons((uint16_t)v);

	cmp(b, op, &x, 2);
}

static int l4(int family, int proto)
{
	static const int v4[] = { 0, 6, 17, 1 }, v6[] = { 0, 6, 17, 58 };

	return family == 4 ? v4[proto] : v6[proto];
}

static int addr_offset(int family, int dir)
{
	return family == 4 ? (dir ? 16 : 12) : (dir ? 24 : 8);
}

/* ip saddr A/P: the whole bytes of the prefix, a mask on a partial one. */
static void addr(struct ew_nl_batch *b, int family, const struct ew_nft_match *m)
{
	int bytes = (m->prefix + 7) / 8, i;
	uint8_t mask[16], v[16];

	payload(b, NET, addr_offset(family, m->dir), bytes, NFT_REG_1);
	for (i = 0; i < bytes; i++) {
		int bits = m->prefix - 8 * i;

		mask[i] = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		v[i] = m->a[i] & mask[i];
	}
	if (m->prefix % 8)
		bitwise(b, mask, (size_t)bytes);
	cmp(b, NFT_CMP_EQ, v, (size_t)bytes);
}

static void ifname(struct ew_nl_batch *b, const struct ew_nft_match *m)
{
	char name[16];

	memset(name, 0, sizeof(name));
	strncpy(name, m->text, sizeof(name) - 1);
	meta(b, m->dir ? NFT_META_OIFNAME : NFT_META_IIFNAME);
	cmp(b, NFT_CMP_EQ, name, sizeof(name));
}

/* tcp dport 443, or 8000-8080 as two compares, as nft does. */
static void port(struct ew_nl_batch *b, const struct ew_nft_match *m)
{
	payload(b, TH, m->dir ? 2 : 0, 2, NFT_REG_1);
	if (m->lo == m->hi) {
		cmp_be16(b, NFT_CMP_EQ, m->lo);
		return;
	}
	cmp_be16(b, NFT_CMP_GTE, m->lo);
	cmp_be16(b, NFT_CMP_LTE, m->hi);
}

static void port_pair(struct ew_nl_batch *b, const struct ew_nft_match *m)
{
	uint16_t v[2] = { htons(m->lo), htons(m->hi) };

	payload(b, TH, 0, 4, NFT_REG_1);
	cmp(b, NFT_CMP_EQ, v, sizeof(v));
}

static void ctstate(struct ew_nl_batch *b, int family, const struct ew_nft_match *m)
{
	uint32_t mask = m->lo, zero = 0;

	/* The test build's "noconntrack4/6" faults name an expression the kernel lacks. */
	begin(b, EW_FAULTS && ew_fault(family == 4 ? "noconntrack4" : "noconntrack6") ? "ewfault"
										     : "ct");
	ew_nl_put_be32(b, NFTA_CT_DREG, NFT_REG_1);
	ew_nl_put_be32(b, NFTA_CT_KEY, NFT_CT_STATE);
	end(b);
	bitwise(b, (const uint8_t *)&mask, sizeof(mask));
	cmp(b, NFT_CMP_NEQ, &zero, sizeof(zero));
}

/* The 32-bit register at index i, named as the kernel dumps it: a
 * 16-byte register's name when i starts one. */
static int reg32(int i)
{
	return i % 4 ? NFT_REG32_00 + i : NFT_REG_1 + i / 4;
}

/* ip saddr [. tcp dport] @set: the fields in consecutive 32-bit registers. */
static void lookup(struct ew_nl_batch *b, const struct ew_nft_plan *p, const struct ew_nft_match *m)
{
	int alen = EW_ALEN(p->family);

	payload(b, NET, addr_offset(p->family, m->dir), alen, NFT_REG_1);
	if (m->port)
		payload(b, TH, m->port == EW_NP_DPORT ? 2 : 0, 2, reg32(alen / 4));
	begin(b, "lookup");
	ew_nl_put_str(b, NFTA_LOOKUP_SET, p->sets[m->set].name);
	ew_nl_put_be32(b, NFTA_LOOKUP_SREG, NFT_REG_1);
	ew_nl_put_be32(b, NFTA_LOOKUP_FLAGS, 0);
	end(b);
}

static void put_be64(struct ew_nl_batch *b, int type, uint64_t v)
{
	uint32_t be[2] = { htonl((uint32_t)(v >> 32)), htonl((uint32_t)v) };

	ew_nl_put(b, type, be, sizeof(be));
}

static void limit(struct ew_nl_batch *b, const struct ew_nft_match *m)
{
	begin(b, "limit");
	put_be64(b, NFTA_LIMIT_RATE, m->lo);
	put_be64(b, NFTA_LIMIT_UNIT, 60);
	ew_nl_put_be32(b, NFTA_LIMIT_BURST, m->hi);
	ew_nl_put_be32(b, NFTA_LIMIT_TYPE, NFT_LIMIT_PKTS);
	ew_nl_put_be32(b, NFTA_LIMIT_FLAGS, 0);
	end(b);
}

static void logging(struct ew_nl_batch *b, const struct ew_nft_match *m)
{
	begin(b, "log");
	ew_nl_put_str(b, NFTA_LOG_PREFIX, m->text);
	ew_nl_put_be32(b, NFTA_LOG_LEVEL, 4);   /* warning, as iptables' LOG */
	end(b);
}

static void match(struct ew_nl_batch *b, const struct ew_nft_plan *p, const struct ew_nft_match *m)
{
	switch (m->kind) {
	case EW_NM_IFNAME:
		ifname(b, m);
		break;
	case EW_NM_ADDR:
		addr(b, p->family, m);
		break;
	case EW_NM_L4PROTO:
		meta(b, NFT_META_L4PROTO);
		cmp_u8(b, l4(p->family, m->proto));
		break;
	case EW_NM_PORT:
		port(b, m);
		break;
	case EW_NM_PORT_PAIR:
		port_pair(b, m);
		break;
	case EW_NM_ICMP_TYPE:
		payload(b, TH, 0, 1, NFT_REG_1);
		cmp_u8(b, m->lo);
		break;
	case EW_NM_CTSTATE:
		ctstate(b, p->family, m);
		break;
	case EW_NM_LOOKUP:
		lookup(b, p, m);
		break;
	case EW_NM_LIMIT:
		limit(b, m);
		break;
	default:
		logging(b, m);
		break;
	}
}

static void verdict(struct ew_nl_batch *b, int code)
{
	begin(b, "immediate");
	ew_nl_put_be32(b, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	ew_nl_nest(b, NFTA_IMMEDIATE_DATA);
	ew_nl_nest(b, NFTA_DATA_VERDICT);
	ew_nl_put_be32(b, NFTA_VERDICT_CODE, (uint32_t)code);
	ew_nl_end_nest(b);
	ew_nl_end_nest(b);
	end(b);
}

void ew_nft_exprs(struct ew_nl_batch *b, const struct ew_nft_plan *p, const struct ew_nft_rule *r)
{
	int i;

	ew_nl_nest(b, NFTA_RULE_EXPRESSIONS);
	for (i = 0; i < r->n; i++)
		match(b, p, &r->m[i]);
	if (r->verdict != EW_LOG)
		verdict(b, r->verdict == EW_ACCEPT ? NF_ACCEPT : NF_DROP);
	ew_nl_end_nest(b);
}
