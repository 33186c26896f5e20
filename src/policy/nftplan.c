/*
 * nftplan.c - a family's rule list to nftables rules and sets (see
 * nftplan.h for why grouping accept rules keeps the meaning).
 *
 * A rule goes into a set when it accepts, matches one address on the
 * chain's peer side (source on input, destination on output), at most one
 * kind of port, and nothing else but a protocol and an ICMP type. Its
 * group is chain, protocol, ICMP type and port kind, within one run of
 * accept rules. Every other rule becomes one nftables rule, or one per
 * port range when it lists several. Pure: nothing here touches the kernel.
 */
#include "policy/nftplan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/text.h"

static int settable(const struct ew_rule *r)
{
	const struct ew_addr *peer = r->chain == EW_INPUT ? &r->src : &r->dst;
	const struct ew_addr *other = r->chain == EW_INPUT ? &r->dst : &r->src;

	return r->verdict == EW_ACCEPT && r->chain != EW_FORWARD && !r->iface[0] &&
	       !r->ctstate && !r->limit_per_min && peer->set && !other->set &&
	       !(r->sports.n && r->dports.n);
}

static int port_kind(const struct ew_rule *r)
{
	return r->dports.n ? EW_NP_DPORT : r->sports.n ? EW_NP_SPORT : EW_NP_NONE;
}

static const char *proto_word(int proto, int family)
{
	static const char *const names[] = { "any", "tcp", "udp", "icmp" };

	return proto == EW_ICMP && family == 6 ? "icmpv6" : names[proto];
}

static void set_name(struct ew_nft_set *s, int family, int dup)
{
	const char *chain = s->chain == EW_INPUT ? "in" : "out";
	char what[16] = "";

	if (s->port)
		snprintf(what, sizeof(what), "_%s", s->port == EW_NP_DPORT ? "dport" : "sport");
	else if (s->icmp_type == 0 || s->icmp_type == 129)
		snprintf(what, sizeof(what), "_echo_reply");
	else if (s->icmp_type == 8 || s->icmp_type == 128)
		snprintf(what, sizeof(what), "_echo_request");
	else if (s->icmp_type >= 0)
		snprintf(what, sizeof(what), "_type%d", s->icmp_type);
	snprintf(s->name, sizeof(s->name), "%s_%s%s", chain, proto_word(s->proto, family), what);
	if (dup)
		snprintf(s->name + strlen(s->name), sizeof(s->name) - strlen(s->name), "_%d", dup + 1);
}

/* The set r belongs to, created when new; -1 when there is no room. */
static int find_set(struct ew_nft_plan *p, const struct ew_rule *r, int run, int *created)
{
	struct ew_nft_set *s;
	size_t i;
	int dup = 0;

	*created = 0;
	for (i = 0; i < p->nsets; i++) {
		s = &p->sets[i];
		if (s->chain == r->chain && s->proto == r->proto && s->icmp_type == r->icmp_type &&
		    s->port == port_kind(r)) {
			if (s->run == run)
				return (int)i;
			dup++;
		}
	}
	if (p->nsets == EW_NFT_MAX_SETS)
		return -1;
	s = &p->sets[p->nsets];
	memset(s, 0, sizeof(*s));
	s->chain = r->chain;
	s->proto = r->proto;
	s->icmp_type = r->icmp_type;
	s->port = (uint8_t)port_kind(r);
	s->run = run;
	set_name(s, p->family, dup);
	*created = 1;
	return (int)p->nsets++;
}

static void addr_range(const struct ew_addr *a, int family, uint8_t *lo, uint8_t *hi)
{
	int alen = EW_ALEN(family), i;

	for (i = 0; i < alen; i++) {
		int bits = a->prefix - 8 * i;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));

		lo[i] = a->a[i] & mask;
		hi[i] = (uint8_t)(a->a[i] | (uint8_t)~mask);
	}
}

static int add_elem(struct ew_nft_set *s, const struct ew_nft_elem *e)
{
	struct ew_nft_elem *grown = ew_grow(s->e, &s->cap, s->n, sizeof(*s->e));

	if (!grown)
		return -1;
	s->e = grown;
	s->e[s->n++] = *e;
	return 0;
}

/* One element per port range of the rule (one without ports). */
static int add_elems(struct ew_nft_set *s, const struct ew_rule *r, int family)
{
	const struct ew_ports *pp = s->port == EW_NP_DPORT ? &r->dports : &r->sports;
	struct ew_nft_elem e;
	int i;

	memset(&e, 0, sizeof(e));
	addr_range(r->chain == EW_INPUT ? &r->src : &r->dst, family, e.lo, e.hi);
	if (!s->port)
		return add_elem(s, &e);
	for (i = 0; i < pp->n; i++) {
		e.plo = pp->r[i].lo;
		e.phi = pp->r[i].hi;
		if (add_elem(s, &e))
			return -1;
	}
	return 0;
}

static struct ew_nft_rule *new_rule(struct ew_nft_plan *p, int chain, int verdict, size_t from)
{
	struct ew_nft_rule *r = ew_grow(p->r, &p->cap, p->nrules, sizeof(*p->r));

	if (!r)
		return NULL;
	p->r = r;
	r = &p->r[p->nrules++];
	memset(r, 0, sizeof(*r));
	r->chain = (uint8_t)chain;
	r->verdict = (uint8_t)verdict;
	r->from = from;
	return r;
}

static struct ew_nft_match *match(struct ew_nft_rule *r, int kind)
{
	struct ew_nft_match *m = &r->m[r->n++];

	memset(m, 0, sizeof(*m));
	m->kind = (uint8_t)kind;
	m->set = -1;
	return m;
}

/* The protocol match that "tcp dport" or "icmp type" rests on, or that
 * stands alone ("meta l4proto tcp"). */
static void l4proto(struct ew_nft_rule *nr, int proto, int implied)
{
	struct ew_nft_match *m = match(nr, EW_NM_L4PROTO);

	m->proto = (uint8_t)proto;
	m->implied = (uint8_t)implied;
}

static void icmp_type(struct ew_nft_rule *nr, int type)
{
	match(nr, EW_NM_ICMP_TYPE)->lo = (uint16_t)type;
}

/* The rule that looks a set up: [protocol] [ICMP type] peer [. port] @set accept. */
static int lookup_rule(struct ew_nft_plan *p, int set, size_t from)
{
	const struct ew_nft_set *s = &p->sets[set];
	struct ew_nft_rule *nr = new_rule(p, s->chain, EW_ACCEPT, from);
	struct ew_nft_match *m;

	if (!nr)
		return -1;
	if (s->proto != EW_ANY)
		l4proto(nr, s->proto, s->port || s->icmp_type >= 0);
	if (s->icmp_type >= 0)
		icmp_type(nr, s->icmp_type);
	m = match(nr, EW_NM_LOOKUP);
	m->set = set;
	m->dir = s->chain == EW_OUTPUT;
	m->port = s->port;
	m->proto = s->proto;
	return 0;
}

static void addr(struct ew_nft_rule *nr, const struct ew_addr *a, int dir)
{
	struct ew_nft_match *m;

	if (!a->set)
		return;
	m = match(nr, EW_NM_ADDR);
	m->dir = (uint8_t)dir;
	m->prefix = a->prefix;
	memcpy(m->a, a->a, sizeof(m->a));
}

static void port(struct ew_nft_rule *nr, int proto, int dir, const struct ew_range *r)
{
	struct ew_nft_match *m = match(nr, EW_NM_PORT);

	m->proto = (uint8_t)proto;
	m->dir = (uint8_t)dir;
	m->lo = r->lo;
	m->hi = r->hi;
}

static int single(const struct ew_ports *p)
{
	return p->n == 1 && p->r[0].lo == p->r[0].hi;
}

/* Ports: one sport and one dport share one load, as nft encodes them. */
static void ports(struct ew_nft_rule *nr, const struct ew_rule *r, const struct ew_range *sp,
		  const struct ew_range *dp)
{
	if (sp && dp && single(&r->sports) && single(&r->dports)) {
		struct ew_nft_match *m = match(nr, EW_NM_PORT_PAIR);

		m->proto = r->proto;
		m->lo = sp->lo;
		m->hi = dp->lo;
		return;
	}
	if (sp)
		port(nr, r->proto, 0, sp);
	if (dp)
		port(nr, r->proto, 1, dp);
}

static void tail(struct ew_nft_rule *nr, const struct ew_rule *r)
{
	if (r->icmp_type >= 0)
		icmp_type(nr, r->icmp_type);
	if (r->ctstate)
		match(nr, EW_NM_CTSTATE)->lo = r->ctstate;
	if (r->limit_per_min) {
		struct ew_nft_match *m = match(nr, EW_NM_LIMIT);

		m->lo = r->limit_per_min;
		m->hi = r->limit_burst;
	}
	if (r->verdict == EW_LOG)
		snprintf(match(nr, EW_NM_LOG)->text, sizeof(nr->m[0].text), "%s", r->log_prefix);
}

/* One nftables rule for r with source port range sp and destination dp. */
static int plain_one(struct ew_nft_plan *p, const struct ew_rule *r, size_t from,
		     const struct ew_range *sp, const struct ew_range *dp)
{
	struct ew_nft_rule *nr = new_rule(p, r->chain, r->verdict, from);

	if (!nr)
		return -1;
	if (r->iface[0]) {
		struct ew_nft_match *m = match(nr, EW_NM_IFNAME);

		m->dir = r->chain != EW_INPUT;
		snprintf(m->text, sizeof(m->text), "%s", r->iface);
	}
	addr(nr, &r->src, 0);
	addr(nr, &r->dst, 1);
	if (r->proto != EW_ANY)
		l4proto(nr, r->proto, sp || dp || r->icmp_type >= 0);
	ports(nr, r, sp, dp);
	tail(nr, r);
	return 0;
}

/* Every combination of the rule's port ranges, one rule each. */
static int plain(struct ew_nft_plan *p, const struct ew_rule *r, size_t from)
{
	int ns = r->sports.n ? r->sports.n : 1, nd = r->dports.n ? r->dports.n : 1, i, j;

	for (i = 0; i < ns; i++)
		for (j = 0; j < nd; j++)
			if (plain_one(p, r, from, r->sports.n ? &r->sports.r[i] : NULL,
				      r->dports.n ? &r->dports.r[j] : NULL))
				return -1;
	return 0;
}

static int place(struct ew_nft_plan *p, const struct ew_ruleset *rs, size_t i, int run)
{
	const struct ew_rule *r = &rs->r[i];
	int created, set;

	if (!settable(r))
		return plain(p, r, i);
	set = find_set(p, r, run, &created);
	if (set < 0)
		return plain(p, r, i);
	if (add_elems(&p->sets[set], r, rs->family))
		return -1;
	return created ? lookup_rule(p, set, i) : 0;
}

int ew_nft_plan(const struct ew_ruleset *rs, struct ew_nft_plan *p)
{
	int run[EW_NCHAINS] = { 0, 0, 0 };
	size_t i, s;

	memset(p, 0, sizeof(*p));
	p->family = rs->family;
	p->policy = rs->policy;
	for (i = 0; i < rs->n; i++) {
		int chain = rs->r[i].chain < EW_NCHAINS ? rs->r[i].chain : EW_FORWARD;

		if (rs->r[i].verdict != EW_ACCEPT)
			run[chain]++;
		if (place(p, rs, i, run[chain]))
			goto oom;
	}
	for (s = 0; s < p->nsets; s++)
		if (ew_nft_elems_normalise(&p->sets[s], rs->family))
			goto oom;
	return 0;
oom:
	ew_nft_plan_free(p);
	return -1;
}

void ew_nft_plan_free(struct ew_nft_plan *p)
{
	size_t i;

	for (i = 0; i < p->nsets; i++)
		free(p->sets[i].e);
	free(p->r);
	memset(p, 0, sizeof(*p));
}
