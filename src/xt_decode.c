/*
 * xt_decode.c - xtables entries read back from the kernel, into abstract
 * rules, for `verify`. Strict: anything earlywall would not have written
 * (an inverted match, TCP flags, an unknown match or target) is reported as
 * not understood, so it shows up as drift instead of being misread.
 */
#include "xt_entry.h"

#include <stdio.h>
#include <string.h>

#include "xt_kernel.h"

static const struct { unsigned ew, kernel; } ct_bits[] = {
	{ EW_CT_INVALID, XT_CONNTRACK_STATE_INVALID },
	{ EW_CT_ESTABLISHED, XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED) },
	{ EW_CT_RELATED, XT_CONNTRACK_STATE_BIT(IP_CT_RELATED) },
	{ EW_CT_NEW, XT_CONNTRACK_STATE_BIT(IP_CT_NEW) },
};

unsigned ew_ct_to_kernel(unsigned state)
{
	unsigned k = 0;
	size_t i;

	for (i = 0; i < sizeof(ct_bits) / sizeof(ct_bits[0]); i++)
		if (state & ct_bits[i].ew)
			k |= ct_bits[i].kernel;
	return k;
}

unsigned ew_ct_from_kernel(unsigned mask)
{
	unsigned s = 0;
	size_t i;

	for (i = 0; i < sizeof(ct_bits) / sizeof(ct_bits[0]); i++)
		if (mask & ct_bits[i].kernel)
			s |= ct_bits[i].ew;
	return ew_ct_to_kernel(s) == mask ? s : 0;
}

static int get_range(struct ew_ports *p, const uint16_t pts[2])
{
	if (pts[0] == 0 && pts[1] == 0xffff)
		return 0;
	if (pts[0] > pts[1] || pts[0] == 0)
		return -1;
	p->n = 1;
	p->r[0].lo = pts[0];
	p->r[0].hi = pts[1];
	return 0;
}

static int get_multiport(struct ew_rule *r, const struct xt_multiport_v1 *mp)
{
	struct ew_ports *p = mp->flags == XT_MULTIPORT_SOURCE ? &r->sports : &r->dports;
	unsigned i;

	if (mp->invert || mp->flags > XT_MULTIPORT_DESTINATION || mp->count > XT_MULTI_PORTS)
		return -1;
	for (i = 0; i < mp->count; i++) {
		struct ew_range *rg = &p->r[p->n++];

		rg->lo = rg->hi = mp->ports[i];
		if (mp->pflags[i] && i + 1 < mp->count)
			rg->hi = mp->ports[++i];
	}
	return p->n > 1 ? 0 : -1;
}

static int get_match(struct ew_rule *r, const struct xt_entry_match *m, int family)
{
	const char *name = m->u.user.name;
	const void *d = m->data;

	if (!strcmp(name, "tcp") && r->proto == EW_TCP) {
		const struct xt_tcp *t = d;

		if (t->option || t->flg_mask || t->invflags)
			return -1;
		return get_range(&r->sports, t->spts) || get_range(&r->dports, t->dpts);
	}
	if (!strcmp(name, "udp") && r->proto == EW_UDP) {
		const struct xt_udp *u = d;

		return u->invflags ? -1 : get_range(&r->sports, u->spts) ||
					  get_range(&r->dports, u->dpts);
	}
	if (!strcmp(name, "multiport") && m->u.user.revision == 1)
		return get_multiport(r, d);
	if (!strcmp(name, family == 4 ? "icmp" : "icmp6") && r->proto == EW_ICMP) {
		const struct ipt_icmp *ic = d;

		r->icmp_type = ic->type;
		return ic->code[0] || ic->code[1] != 0xff || ic->invflags ? -1 : 0;
	}
	if (!strcmp(name, "conntrack") && m->u.user.revision == 3) {
		const struct xt_conntrack_mtinfo3 *ct = d;

		r->ctstate = (uint8_t)ew_ct_from_kernel(ct->state_mask);
		return ct->match_flags != XT_CONNTRACK_STATE || ct->invert_flags ||
		       !r->ctstate ? -1 : 0;
	}
	if (!strcmp(name, "limit")) {
		const struct xt_rateinfo *rl = d;
		unsigned per_min = rl->avg ? XT_LIMIT_SCALE * 60 / rl->avg : 0;

		r->limit_per_min = (uint16_t)per_min;
		r->limit_burst = (uint16_t)rl->burst;
		return per_min && per_min * rl->avg == XT_LIMIT_SCALE * 60 ? 0 : -1;
	}
	return -1;
}

static int get_target(struct ew_rule *r, const struct xt_entry_target *t,
		      const char *label)
{
	if (!strcmp(label, "ACCEPT") || !strcmp(label, "DROP")) {
		r->verdict = label[0] == 'A' ? EW_ACCEPT : EW_DROP;
		return 0;
	}
	if (!strcmp(label, "LOG")) {
		const struct ew_log_info *li = (const void *)t->data;

		r->verdict = EW_LOG;
		memcpy(r->log_prefix, li->prefix, sizeof(r->log_prefix) - 1);
		return li->level == 4 && !li->logflags ? 0 : -1;
	}
	return -1;
}

int ew_xt_decode(const void *entry, const char *label, int family, int chain,
		 struct ew_rule *r, char *why, size_t n)
{
	const unsigned char *p = entry;
	size_t pos = family == 4 ? sizeof(struct ipt_entry) : sizeof(struct ip6t_entry);
	uint16_t target = family == 4 ? ((const struct ipt_entry *)entry)->target_offset
				      : ((const struct ip6t_entry *)entry)->target_offset;
	int rc;

	memset(r, 0, sizeof(*r));
	r->chain = (uint8_t)chain;
	r->icmp_type = -1;
	rc = family == 4 ? ew_xt_read_header4(entry, r) : ew_xt_read_header6(entry, r);
	if (rc)
		return snprintf(why, n, "address, interface or protocol"), -1;
	while (pos < target) {
		const struct xt_entry_match *m = (const void *)(p + pos);

		if (m->u.user.match_size < sizeof(*m) || get_match(r, m, family))
			return snprintf(why, n, "match \"%.29s\"", m->u.user.name), -1;
		pos += m->u.user.match_size;
	}
	if (get_target(r, (const void *)(p + target), label))
		return snprintf(why, n, "target \"%s\"", label), -1;
	return 0;
}
