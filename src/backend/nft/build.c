/*
 * build.c - a family's plan as nf_tables messages: table ip (or ip6)
 * earlywall replaced, then its base chains, sets, set elements and rules,
 * one small function per object, all appended to the caller's batch.
 *
 * To replace a table, it is created, deleted and created again
 * (exclusive), so one that is there is replaced in the same transaction and
 * one that is not does not fail it; when the caller knows there is none,
 * only the exclusive create is sent. It never has NFT_TABLE_F_OWNER: it must outlive PID 1's
 * exec. Element messages are split below 64 KiB, the most one netlink
 * attribute can carry. Every message is named by its place in the policy,
 * which is what a refusal reports. Nothing here sends.
 */
#include "backend/nft/build.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>

#include "backend/nft/expr.h"
#include "policy/render_nft.h"
#include "util/faults.h"

/* Room for the message header and names; the rest is elements. */
#define ELEM_MSG_MAX ((size_t)60 * 1024)

static const char *const chain_names[] = { "input", "forward", "output" };
static const int hooks[] = { NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT };

static int nfproto(int family)
{
	return family == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
}

static const char *ip(int family)
{
	return family == 4 ? "ip" : "ip6";
}

void ew_nft_table_msg(struct ew_nl_batch *b, int family, int type, int flags)
{
	char what[EW_NL_WHAT];

	snprintf(what, sizeof(what), "table %s " EW_NFT_TABLE, ip(family));
	ew_nl_msg(b, type, flags, nfproto(family), what);
	ew_nl_put_str(b, NFTA_TABLE_NAME, EW_NFT_TABLE);
	if (type == NFT_MSG_NEWTABLE)
		ew_nl_put_be32(b, NFTA_TABLE_FLAGS, 0);
}

static void chain(struct ew_nl_batch *b, const struct ew_nft_plan *p, int c)
{
	char what[EW_NL_WHAT];

	snprintf(what, sizeof(what), "%s chain %s", ip(p->family), chain_names[c]);
	ew_nl_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, nfproto(p->family), what);
	ew_nl_put_str(b, NFTA_CHAIN_TABLE, EW_NFT_TABLE);
	ew_nl_put_str(b, NFTA_CHAIN_NAME, chain_names[c]);
	ew_nl_nest(b, NFTA_CHAIN_HOOK);
	ew_nl_put_be32(b, NFTA_HOOK_HOOKNUM, (uint32_t)hooks[c]);
	ew_nl_put_be32(b, NFTA_HOOK_PRIORITY, 0);
	ew_nl_end_nest(b);
	ew_nl_put_be32(b, NFTA_CHAIN_POLICY, p->policy[c] == EW_DROP ? NF_DROP : NF_ACCEPT);
	ew_nl_put_str(b, NFTA_CHAIN_TYPE, "filter");
	ew_nl_put_be32(b, NFTA_CHAIN_FLAGS, NFT_CHAIN_BASE);
}

/* nft's type ids (userspace metadata: they make `nft list` print the types). */
#define TYPE_IPADDR 7
#define TYPE_IP6ADDR 8
#define TYPE_INET_SERVICE 13
#define TYPE_BITS 6

static void set(struct ew_nl_batch *b, const struct ew_nft_plan *p, const struct ew_nft_set *s)
{
	int alen = EW_ALEN(p->family);
	uint32_t type = p->family == 4 ? TYPE_IPADDR : TYPE_IP6ADDR;
	char what[EW_NL_WHAT];

	snprintf(what, sizeof(what), "%s set %s", ip(p->family), s->name);
	ew_nl_msg(b, NFT_MSG_NEWSET, NLM_F_CREATE, nfproto(p->family), what);
	ew_nl_put_str(b, NFTA_SET_TABLE, EW_NFT_TABLE);
	ew_nl_put_str(b, NFTA_SET_NAME, s->name);
	ew_nl_put_be32(b, NFTA_SET_FLAGS, NFT_SET_INTERVAL | (s->port ? NFT_SET_CONCAT : 0));
	ew_nl_put_be32(b, NFTA_SET_KEY_TYPE, s->port ? type << TYPE_BITS | TYPE_INET_SERVICE : type);
	ew_nl_put_be32(b, NFTA_SET_KEY_LEN, (uint32_t)(alen + (s->port ? 4 : 0)));
	/* The kernel wants an id unique in the batch (it finds sets by it). */
	ew_nl_put_be32(b, NFTA_SET_ID, (uint32_t)p->family * 1000u + (uint32_t)(s - p->sets) + 1u);
	if (!s->port)
		return;
	ew_nl_nest(b, NFTA_SET_DESC);
	ew_nl_nest(b, NFTA_SET_DESC_CONCAT);
	ew_nl_nest(b, NFTA_LIST_ELEM);
	ew_nl_put_be32(b, NFTA_SET_FIELD_LEN, (uint32_t)alen);
	ew_nl_end_nest(b);
	ew_nl_nest(b, NFTA_LIST_ELEM);
	ew_nl_put_be32(b, NFTA_SET_FIELD_LEN, 2);
	ew_nl_end_nest(b);
	ew_nl_end_nest(b);
	ew_nl_end_nest(b);
}

static void key(struct ew_nl_batch *b, int type, const uint8_t *a, int alen, int port_field,
		unsigned port)
{
	uint8_t v[20];

	memset(v, 0, sizeof(v));
	memcpy(v, a, (size_t)alen);
	v[alen] = (uint8_t)(port >> 8);
	v[alen + 1] = (uint8_t)port;
	ew_nl_nest(b, type);
	ew_nl_put(b, NFTA_DATA_VALUE, v, (size_t)alen + (port_field ? 4u : 0u));
	ew_nl_end_nest(b);
}

/* hi + 1, or 0 when hi is the last address. */
static int next_addr(const uint8_t *hi, int alen, uint8_t *out)
{
	int i, carry = 1;

	for (i = alen - 1; i >= 0; i--) {
		int v = hi[i] + carry;

		out[i] = (uint8_t)v;
		carry = v >> 8;
	}
	return !carry;
}

/* An interval: a concatenation carries its end in KEY_END; a plain set
 * marks the first address after the range as an interval end. */
static void elem(struct ew_nl_batch *b, int family, const struct ew_nft_set *s, size_t i)
{
	const struct ew_nft_elem *e = &s->e[i];
	int alen = EW_ALEN(family);
	uint8_t after[16];

	ew_nl_nest(b, NFTA_LIST_ELEM);
	/* The test build's "badelem" fault gives the third element a key
	 * of the wrong length, which the kernel refuses. */
	key(b, NFTA_SET_ELEM_KEY, e->lo, alen + (EW_FAULTS && i == 2 && ew_fault("badelem")),
	    s->port, e->plo);
	if (s->port)
		key(b, NFTA_SET_ELEM_KEY_END, e->hi, alen, 1, e->phi);
	ew_nl_end_nest(b);
	if (s->port || !next_addr(e->hi, alen, after))
		return;
	ew_nl_nest(b, NFTA_LIST_ELEM);
	key(b, NFTA_SET_ELEM_KEY, after, alen, 0, 0);
	ew_nl_put_be32(b, NFTA_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
	ew_nl_end_nest(b);
}

static void elem_msg(struct ew_nl_batch *b, const struct ew_nft_plan *p, const struct ew_nft_set *s,
		     size_t from, size_t to)
{
	char what[EW_NL_WHAT];

	snprintf(what, sizeof(what), "%s set %s, elements %zu-%zu", ip(p->family), s->name,
		 from + 1, to);
	ew_nl_msg(b, NFT_MSG_NEWSETELEM, NLM_F_CREATE, nfproto(p->family), what);
	ew_nl_items(b, (uint32_t)from + 1, s->port ? 1 : 2);
	ew_nl_put_str(b, NFTA_SET_ELEM_LIST_TABLE, EW_NFT_TABLE);
	ew_nl_put_str(b, NFTA_SET_ELEM_LIST_SET, s->name);
	ew_nl_nest(b, NFTA_SET_ELEM_LIST_ELEMENTS);
	for (; from < to; from++)
		elem(b, p->family, s, from);
	ew_nl_end_nest(b);
}

/* The elements, in as many messages as keep each under 64 KiB. */
static void elems(struct ew_nl_batch *b, const struct ew_nft_plan *p, const struct ew_nft_set *s)
{
	size_t one = 2 * (16 + 3 * (size_t)NLA_HDRLEN + (size_t)EW_ALEN(p->family) + 8);
	size_t per = ELEM_MSG_MAX / one;
	size_t i;

	for (i = 0; i < s->n; i += per)
		elem_msg(b, p, s, i, i + per < s->n ? i + per : s->n);
}

static void rule(struct ew_nl_batch *b, const struct ew_nft_plan *p, const struct ew_nft_rule *r,
		 size_t pos)
{
	char what[EW_NL_WHAT], text[EW_NFT_RULE_TEXT];

	ew_render_nft_rule(p, r, text, sizeof(text));
	snprintf(what, sizeof(what), "%s chain %s rule %zu (%.48s)", ip(p->family),
		 chain_names[r->chain], pos, text);
	ew_nl_msg(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, nfproto(p->family), what);
	ew_nl_put_str(b, NFTA_RULE_TABLE, EW_NFT_TABLE);
	ew_nl_put_str(b, NFTA_RULE_CHAIN, chain_names[r->chain]);
	ew_nft_exprs(b, p, r);
}

void ew_nft_build(struct ew_nl_batch *b, const struct ew_nft_plan *p, int replace)
{
	size_t i, pos[EW_NCHAINS] = { 0, 0, 0 };
	int c;

	if (replace) {
		ew_nft_table_msg(b, p->family, NFT_MSG_NEWTABLE, NLM_F_CREATE);
		ew_nft_table_msg(b, p->family, NFT_MSG_DELTABLE, 0);
	}
	ew_nft_table_msg(b, p->family, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL);
	for (c = EW_INPUT; c < EW_NCHAINS; c++)
		chain(b, p, c);
	for (i = 0; i < p->nsets; i++)
		set(b, p, &p->sets[i]);
	for (i = 0; i < p->nsets; i++)
		elems(b, p, &p->sets[i]);
	for (i = 0; i < p->nrules; i++)
		rule(b, p, &p->r[i], ++pos[p->r[i].chain]);
}
