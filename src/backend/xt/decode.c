/*
 * backend/xt/decode.c - xtables entries read back from the kernel, into abstract
 * rules, for `verify`. Strict: anything earlywall would not have written
 * (an inverted match, TCP flags, an unknown match or target) is reported as
 * not understood, so it shows up as drift instead of being misread.
 *
 * The entry is input from whoever holds CAP_NET_ADMIN: every size and
 * count in it is checked against the bytes there are before it is used,
 * and nothing here writes outside the rule it fills. Decoding alone can
 * miss what it does not look at (an interface mask, a second match of one
 * kind), so ew_xt_exact() then compares the entry byte for byte with the
 * one earlywall would write for the decoded rule.
 */
#include "backend/xt/entry.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "backend/xt/kernel.h"

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

	if (mp->invert || mp->flags > XT_MULTIPORT_DESTINATION || mp->count > XT_MULTI_PORTS ||
	    p->n)
		return -1;
	for (i = 0; i < mp->count && p->n < EW_MAX_PORTS; i++) {
		struct ew_range *rg = &p->r[p->n++];

		rg->lo = rg->hi = mp->ports[i];
		if (mp->pflags[i] && i + 1 < mp->count)
			rg->hi = mp->ports[++i];
	}
	return p->n > 1 ? 0 : -1;
}

/* Each match's data must hold the struct it is read as. */
static const struct { const char *name; size_t size; } match_sizes[] = {
	{ "tcp", sizeof(struct xt_tcp) },
	{ "udp", sizeof(struct xt_udp) },
	{ "multiport", sizeof(struct xt_multiport_v1) },
	{ "icmp", sizeof(struct ipt_icmp) },
	{ "icmp6", sizeof(struct ipt_icmp) },
	{ "conntrack", sizeof(struct xt_conntrack_mtinfo3) },
	{ "limit", sizeof(struct xt_rateinfo) },
};

static int fits(const char *name, size_t datalen)
{
	size_t i;

	for (i = 0; i < sizeof(match_sizes) / sizeof(match_sizes[0]); i++)
		if (!strcmp(name, match_sizes[i].name))
			return datalen >= match_sizes[i].size;
	return 0;
}

static int get_match(struct ew_rule *r, const struct xt_entry_match *m, int family)
{
	const char *name = m->u.user.name;
	const void *d = m->data;

	if (!memchr(name, '\0', sizeof(m->u.user.name)) ||
	    !fits(name, m->u.user.match_size - sizeof(*m)))
		return -1;

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

static int get_target(struct ew_rule *r, const struct xt_entry_target *t, size_t size,
		      const char *label)
{
	if (!strcmp(label, "ACCEPT") || !strcmp(label, "DROP")) {
		r->verdict = label[0] == 'A' ? EW_ACCEPT : EW_DROP;
		return 0;
	}
	if (!strcmp(label, "LOG") && size >= sizeof(*t) + sizeof(struct ew_log_info)) {
		const struct ew_log_info *li = (const void *)t->data;

		r->verdict = EW_LOG;
		memcpy(r->log_prefix, li->prefix, sizeof(r->log_prefix) - 1);
		r->log_prefix[sizeof(r->log_prefix) - 1] = '\0';
		return li->level == 4 && !li->logflags ? 0 : -1;
	}
	return -1;
}

size_t ew_xt_size(const void *entry, int family)
{
	return family == 4 ? ((const struct ipt_entry *)entry)->next_offset
			   : ((const struct ip6t_entry *)entry)->next_offset;
}

/* The entry's offsets, checked against the bytes there are. */
static int offsets(const void *entry, size_t avail, int family, size_t *head,
		   size_t *target, size_t *next)
{
	*head = family == 4 ? sizeof(struct ipt_entry) : sizeof(struct ip6t_entry);
	if (avail < *head)
		return -1;
	*target = family == 4 ? ((const struct ipt_entry *)entry)->target_offset
			      : ((const struct ip6t_entry *)entry)->target_offset;
	*next = family == 4 ? ((const struct ipt_entry *)entry)->next_offset
			    : ((const struct ip6t_entry *)entry)->next_offset;
	return *target < *head || *next > avail || *target % XT_ALIGN(1) || *next % XT_ALIGN(1) ||
	       *next < *target + sizeof(struct xt_entry_target) ? -1 : 0;
}

int ew_xt_decode(const void *entry, size_t avail, const char *label, int family, int chain,
		 struct ew_rule *r, char *why, size_t n)
{
	const unsigned char *p = entry;
	size_t pos, target, next;
	int rc;

	memset(r, 0, sizeof(*r));
	r->chain = (uint8_t)chain;
	r->icmp_type = -1;
	if (offsets(entry, avail, family, &pos, &target, &next))
		return snprintf(why, n, "entry sizes"), -1;
	rc = family == 4 ? ew_xt_read_header4(entry, r) : ew_xt_read_header6(entry, r);
	if (rc)
		return snprintf(why, n, "address, interface or protocol"), -1;
	while (pos < target) {
		const struct xt_entry_match *m = (const void *)(p + pos);

		if (target - pos < sizeof(*m) || m->u.user.match_size < sizeof(*m) ||
		    m->u.user.match_size > target - pos || m->u.user.match_size % XT_ALIGN(1))
			return snprintf(why, n, "match sizes"), -1;
		if (get_match(r, m, family))
			return snprintf(why, n, "match \"%.29s\"", m->u.user.name), -1;
		pos += m->u.user.match_size;
	}
	if (get_target(r, (const void *)(p + target), next - target, label))
		return snprintf(why, n, "target \"%.30s\"", label), -1;
	return 0;
}

/* What the kernel hands back for a standard target: no name, the verdict. */
static void standard_verdict(unsigned char *buf, size_t target, const struct ew_rule *r)
{
	struct xt_entry_target *t = (void *)(buf + target);

	if (r->verdict == EW_LOG)
		return;
	memset(t->u.user.name, 0, sizeof(t->u.user.name));
	*(int *)(void *)t->data = r->verdict == EW_ACCEPT ? -NF_ACCEPT - 1 : -NF_DROP - 1;
}

/* Zero what the kernel fills in itself: comefrom and the counters. */
static void kernel_fields(unsigned char *e, int family)
{
	size_t from = family == 4 ? offsetof(struct ipt_entry, comefrom)
				  : offsetof(struct ip6t_entry, comefrom);
	size_t end = family == 4 ? offsetof(struct ipt_entry, elems)
				 : offsetof(struct ip6t_entry, elems);

	memset(e + from, 0, end - from);
}

/* Match and target names: the kernel copies a name up to its NUL and leaves
 * the rest of the field as the reader's buffer had it, so only that much
 * is compared. */
static void clear_name(char *name, size_t size)
{
	size_t len = strnlen(name, size);

	memset(name + len, 0, size - len);
}

static void names(unsigned char *e, size_t size, int family)
{
	size_t pos, target, next;

	if (offsets(e, size, family, &pos, &target, &next))
		return;
	while (pos < target && target - pos >= sizeof(struct xt_entry_match)) {
		struct xt_entry_match *m = (void *)(e + pos);

		clear_name(m->u.user.name, sizeof(m->u.user.name));
		if (m->u.user.match_size < sizeof(*m) || m->u.user.match_size % XT_ALIGN(1))
			return;
		pos += m->u.user.match_size;
	}
	clear_name(((struct xt_entry_target *)(void *)(e + target))->u.user.name,
		   sizeof(((struct xt_entry_target *)0)->u.user.name));
}

/* Byte i is in target_offset or next_offset: sizes, which differ whenever
 * a match does; the byte worth showing is where the matches differ. */
static int is_offset(size_t i, int family)
{
	size_t t = family == 4 ? offsetof(struct ipt_entry, target_offset)
			       : offsetof(struct ip6t_entry, target_offset);

	return i >= t && i < t + 4;
}

long ew_xt_exact(const void *entry, size_t avail, const struct ew_rule *r, int family)
{
	unsigned char want[EW_XT_ENTRY_MAX] __attribute__((aligned(8)));
	unsigned char have[EW_XT_ENTRY_MAX] __attribute__((aligned(8)));
	size_t head, target, next, size = ew_xt_encode(r, family, want), i;

	if (offsets(want, size, family, &head, &target, &next))
		return 0;
	standard_verdict(want, target, r);
	kernel_fields(want, family);
	if (avail > sizeof(have))
		avail = sizeof(have);
	memcpy(have, entry, avail);
	if (avail >= head) {
		kernel_fields(have, family);
		names(have, avail, family);
	}
	for (i = 0; i < size && i < avail; i++)
		if (want[i] != have[i] && !is_offset(i, family))
			return (long)i;
	return size == avail ? -1 : (long)i;
}
