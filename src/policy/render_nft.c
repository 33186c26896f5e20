/*
 * render_nft.c - a plan as nft prints it.
 *
 * The output is byte for byte what `nft list ruleset` (nftables 1.0.6,
 * Debian 12) prints for the tables the nftables backend commits: nft's
 * keywords, its order of expressions, its names for ICMP types and
 * connection states, two IPv4 set elements to a line and one of anything
 * else. That is the contract `print --nft` makes and the tests check, and
 * `nft -f` reads it back. Nothing here touches the kernel.
 */
#include "policy/render_nft.h"

#include <string.h>

#include "policy/text.h"

static const char *icmp_name(int family, int type)
{
	static const struct { int family, type; const char *name; } names[] = {
		{ 4, 0, "echo-reply" }, { 4, 8, "echo-request" },
		{ 6, 128, "echo-request" }, { 6, 129, "echo-reply" },
		{ 6, 130, "mld-listener-query" }, { 6, 131, "mld-listener-report" },
		{ 6, 132, "mld-listener-done" }, { 6, 133, "nd-router-solicit" },
		{ 6, 134, "nd-router-advert" }, { 6, 135, "nd-neighbor-solicit" },
		{ 6, 136, "nd-neighbor-advert" }, { 6, 143, "mld2-listener-report" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].family == family && names[i].type == type)
			return names[i].name;
	return NULL;
}

static const char *proto_name(int family, int proto)
{
	static const char *const names[] = { "", "tcp", "udp", "icmp" };

	return proto == EW_ICMP && family == 6 ? "ipv6-icmp" : names[proto];
}

static const char *ip(int family)
{
	return family == 4 ? "ip" : "ip6";
}

static void put_addr(struct ew_text *o, int family, const uint8_t *a, int prefix)
{
	char text[64];

	ew_format_addr(family, a, prefix == 8 * EW_ALEN(family) ? -1 : prefix, text, sizeof(text));
	ew_text_put(o, "%s", text);
}

static void put_ctstate(struct ew_text *o, int bits)
{
	static const char *const names[] = { "invalid", "established", "related", "new" };
	const char *sep = "";
	int i;

	ew_text_put(o, "ct state ");
	for (i = 0; i < 4; i++)
		if (bits & (1 << i)) {
			ew_text_put(o, "%s%s", sep, names[i]);
			sep = ",";
		}
}

static void put_lookup(struct ew_text *o, const struct ew_nft_plan *p, const struct ew_nft_match *m)
{
	ew_text_put(o, "%s %s", ip(p->family), m->dir ? "daddr" : "saddr");
	if (m->port)
		ew_text_put(o, " . %s %s", proto_name(p->family, m->proto),
		    m->port == EW_NP_DPORT ? "dport" : "sport");
	ew_text_put(o, " @%s", p->sets[m->set].name);
}

static void put_match(struct ew_text *o, const struct ew_nft_plan *p, const struct ew_nft_match *m)
{
	const char *icmp = p->family == 4 ? "icmp" : "icmpv6", *name;

	switch (m->kind) {
	case EW_NM_IFNAME:
		ew_text_put(o, "%s \"%s\"", m->dir ? "oifname" : "iifname", m->text);
		break;
	case EW_NM_ADDR:
		ew_text_put(o, "%s %s ", ip(p->family), m->dir ? "daddr" : "saddr");
		put_addr(o, p->family, m->a, m->prefix);
		break;
	case EW_NM_L4PROTO:
		ew_text_put(o, "meta l4proto %s", proto_name(p->family, m->proto));
		break;
	case EW_NM_PORT:
		ew_text_put(o, "%s %s %u", proto_name(p->family, m->proto), m->dir ? "dport" : "sport", m->lo);
		if (m->hi != m->lo)
			ew_text_put(o, "-%u", m->hi);
		break;
	case EW_NM_PORT_PAIR:
		ew_text_put(o, "%s sport %u %s dport %u", proto_name(p->family, m->proto), m->lo,
		    proto_name(p->family, m->proto), m->hi);
		break;
	case EW_NM_ICMP_TYPE:
		name = icmp_name(p->family, m->lo);
		if (name)
			ew_text_put(o, "%s type %s", icmp, name);
		else
			ew_text_put(o, "%s type %u", icmp, m->lo);
		break;
	case EW_NM_CTSTATE:
		put_ctstate(o, m->lo);
		break;
	case EW_NM_LOOKUP:
		put_lookup(o, p, m);
		break;
	case EW_NM_LIMIT:
		ew_text_put(o, "limit rate %u/minute", m->lo);
		if (m->hi && m->hi != 5)
			ew_text_put(o, " burst %u packets", m->hi);
		break;
	default:
		ew_text_put(o, "log prefix \"%s\"", m->text);
		break;
	}
}

void ew_render_nft_rule(const struct ew_nft_plan *p, const struct ew_nft_rule *r, char *buf,
			size_t len)
{
	struct ew_text o = { buf, len, 0 };
	const char *sep = "";
	int i;

	buf[0] = '\0';
	for (i = 0; i < r->n; i++) {
		if (r->m[i].kind == EW_NM_L4PROTO && r->m[i].implied)
			continue;
		ew_text_put(&o, "%s", sep);
		put_match(&o, p, &r->m[i]);
		sep = " ";
	}
	if (r->verdict != EW_LOG)
		ew_text_put(&o, "%s%s", sep, r->verdict == EW_ACCEPT ? "accept" : "drop");
}

/* An address range as nft prints it: one address, a prefix, or lo-hi. */
static void put_range(struct ew_text *o, int family, const uint8_t *lo, const uint8_t *hi)
{
	int alen = EW_ALEN(family), bits = 8 * alen, i;
	uint8_t x[16];

	for (i = 0; i < alen; i++)
		x[i] = lo[i] ^ hi[i];
	for (i = 0; i < alen && x[i] == 0; i++)
		;
	if (i < alen) {
		int b = 0;

		while (b < 8 && !(x[i] & (0x80 >> b)))
			b++;
		bits = 8 * i + b;
	}
	if (ew_nft_is_prefix(lo, hi, alen, bits)) {
		put_addr(o, family, lo, bits);
		return;
	}
	put_addr(o, family, lo, 8 * alen);
	ew_text_put(o, "-");
	put_addr(o, family, hi, 8 * alen);
}

int ew_nft_is_prefix(const uint8_t *lo, const uint8_t *hi, int alen, int bits)
{
	int i;

	for (i = 0; i < alen; i++) {
		int keep = bits - 8 * i;
		uint8_t host = keep >= 8 ? 0 : keep <= 0 ? 0xff : (uint8_t)(0xff >> keep);

		if ((lo[i] & host) || (hi[i] & host) != host)
			return 0;
	}
	return 1;
}

void ew_render_nft_elem(const struct ew_nft_plan *p, const struct ew_nft_set *s,
			const struct ew_nft_elem *e, char *buf, size_t len)
{
	struct ew_text o = { buf, len, 0 };

	buf[0] = '\0';
	put_range(&o, p->family, e->lo, e->hi);
	if (!s->port)
		return;
	ew_text_put(&o, " . %u", e->plo);
	if (e->phi != e->plo)
		ew_text_put(&o, "-%u", e->phi);
}

static void render_set(FILE *f, const struct ew_nft_plan *p, const struct ew_nft_set *s)
{
	const char *type = p->family == 4 ? "ipv4_addr" : "ipv6_addr";
	char text[128];
	size_t i;

	fprintf(f, "\tset %s {\n\t\ttype %s%s\n\t\tflags interval\n", s->name, type,
		s->port ? " . inet_service" : "");
	for (i = 0; i < s->n; i++) {
		int two = p->family == 4 && !s->port;

		ew_render_nft_elem(p, s, &s->e[i], text, sizeof(text));
		fprintf(f, "%s%s", i == 0 ? "\t\telements = { " :
			two && (i % 2) ? ", " : ",\n\t\t\t     ", text);
	}
	fprintf(f, "%s\t}\n\n", s->n ? " }\n" : "");
}

static void render_chain(FILE *f, const struct ew_nft_plan *p, int chain)
{
	static const char *const names[] = { "input", "forward", "output" };
	char text[EW_NFT_RULE_TEXT];
	size_t i;

	fprintf(f, "\tchain %s {\n\t\ttype filter hook %s priority filter; policy %s;\n",
		names[chain], names[chain], p->policy[chain] == EW_DROP ? "drop" : "accept");
	for (i = 0; i < p->nrules; i++) {
		if (p->r[i].chain != chain)
			continue;
		ew_render_nft_rule(p, &p->r[i], text, sizeof(text));
		fprintf(f, "\t\t%s\n", text);
	}
	fprintf(f, "\t}\n");
}

void ew_render_nft(FILE *f, const struct ew_nft_plan *p)
{
	size_t i;
	int c;

	fprintf(f, "table %s " EW_NFT_TABLE " {\n", ip(p->family));
	for (i = 0; i < p->nsets; i++)
		render_set(f, p, &p->sets[i]);
	for (c = EW_INPUT; c < EW_NCHAINS; c++) {
		if (c)
			fprintf(f, "\n");
		render_chain(f, p, c);
	}
	fprintf(f, "}\n");
}
