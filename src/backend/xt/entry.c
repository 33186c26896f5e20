/*
 * backend/xt/entry.c - abstract rules to and from xtables entries.
 *
 * An entry is a fixed IP header part (struct ipt_entry or ip6t_entry), then
 * matches, then one target, each aligned. The match and target layouts are
 * the kernel's ABI; which ones are used and at which revision is decided
 * here and only here: tcp/udp (or multiport rev 1 for port lists),
 * icmp/icmp6, conntrack rev 3, limit, and the standard or LOG target.
 * Nothing here talks to the kernel or to libiptc.
 */
#include "backend/xt/entry.h"

#include <netinet/in.h>
#include <string.h>

#include "util/faults.h"
#include "backend/xt/kernel.h"

struct out {
	unsigned char *p;
	size_t pos;
};

static void *add_ext(struct out *o, const char *name, int rev, size_t datalen)
{
	struct xt_entry_match *m = (void *)(o->p + o->pos);
	size_t size = XT_ALIGN(sizeof(*m)) + XT_ALIGN(datalen);

	memset(m, 0, size);
	m->u.user.match_size = (uint16_t)size;
	strncpy(m->u.user.name, name, sizeof(m->u.user.name) - 1);
	m->u.user.revision = (uint8_t)rev;
	o->pos += size;
	return m->data;
}

static void range(uint16_t out[2], const struct ew_ports *p)
{
	out[0] = p->n ? p->r[0].lo : 0;
	out[1] = p->n ? p->r[0].hi : 0xffff;
}

static void add_multiport(struct out *o, const struct ew_ports *p, int flags)
{
	struct xt_multiport_v1 *mp = add_ext(o, "multiport", 1, sizeof(*mp));
	int i, slot = 0;

	mp->flags = (uint8_t)flags;
	for (i = 0; i < p->n; i++) {
		mp->ports[slot] = p->r[i].lo;
		if (p->r[i].hi != p->r[i].lo) {
			mp->pflags[slot++] = 1;
			mp->ports[slot] = p->r[i].hi;
		}
		slot++;
	}
	mp->count = (uint8_t)slot;
}

static void add_ports(struct out *o, const struct ew_rule *r)
{
	if (r->sports.n > 1 || r->dports.n > 1) {
		int src = r->sports.n > 1;

		add_multiport(o, src ? &r->sports : &r->dports,
			      src ? XT_MULTIPORT_SOURCE : XT_MULTIPORT_DESTINATION);
	} else if (r->sports.n || r->dports.n) {
		if (r->proto == EW_TCP) {
			struct xt_tcp *t = add_ext(o, "tcp", 0, sizeof(*t));

			range(t->spts, &r->sports);
			range(t->dpts, &r->dports);
		} else {
			struct xt_udp *u = add_ext(o, "udp", 0, sizeof(*u));

			range(u->spts, &r->sports);
			range(u->dpts, &r->dports);
		}
	}
}

static void add_matches(struct out *o, const struct ew_rule *r, int family)
{
	if (r->proto == EW_TCP || r->proto == EW_UDP)
		add_ports(o, r);
	if (r->proto == EW_ICMP && r->icmp_type >= 0) {
		struct ipt_icmp *ic = add_ext(o, family == 4 ? "icmp" : "icmp6", 0,
					      sizeof(*ic));

		ic->type = (uint8_t)r->icmp_type;
		ic->code[1] = 0xff;
	}
	if (r->ctstate) {
		int fake = EW_FAULTS && ew_fault(family == 4 ? "noconntrack4" : "noconntrack6");
		struct xt_conntrack_mtinfo3 *ct = add_ext(o, fake ? "ewfault" : "conntrack",
							  3, sizeof(*ct));

		ct->match_flags = XT_CONNTRACK_STATE;
		ct->state_mask = (uint16_t)ew_ct_to_kernel(r->ctstate);
	}
	if (r->limit_per_min) {
		struct xt_rateinfo *rl = add_ext(o, "limit", 0, sizeof(*rl));

		rl->avg = XT_LIMIT_SCALE * 60 / r->limit_per_min;
		rl->burst = r->limit_burst;
	}
}

static void add_target(struct out *o, const struct ew_rule *r)
{
	if (r->verdict == EW_LOG) {
		struct ew_log_info *li = add_ext(o, "LOG", 0, sizeof(*li));

		li->level = 4;
		strncpy(li->prefix, r->log_prefix, sizeof(li->prefix) - 1);
		return;
	}
	if (EW_FAULTS && ew_fault("refuse-all"))
		add_ext(o, "EWFAULT", 0, sizeof(int));
	else
		add_ext(o, r->verdict == EW_ACCEPT ? "ACCEPT" : "DROP", 0, sizeof(int));
}

size_t ew_xt_encode(const struct ew_rule *r, int family, void *buf)
{
	struct out o = { buf, 0 };
	uint16_t *target_offset, *next_offset;

	o.pos = family == 4 ? ew_xt_header4(r, buf, &target_offset, &next_offset)
			    : ew_xt_header6(r, buf, &target_offset, &next_offset);
	add_matches(&o, r, family);
	*target_offset = (uint16_t)o.pos;
	add_target(&o, r);
	*next_offset = (uint16_t)o.pos;
	return o.pos;
}

int ew_xt_extensions(const struct ew_rule *r, int family,
		     struct ew_xt_ext ext[EW_XT_MAX_EXT])
{
	unsigned char buf[EW_XT_ENTRY_MAX] __attribute__((aligned(8)));
	size_t size = ew_xt_encode(r, family, buf);
	size_t pos = family == 4 ? sizeof(struct ipt_entry) : sizeof(struct ip6t_entry);
	size_t target = family == 4 ? ((struct ipt_entry *)buf)->target_offset
				    : ((struct ip6t_entry *)buf)->target_offset;
	int n = 0;

	while (pos < size && n < EW_XT_MAX_EXT) {
		const struct xt_entry_match *m = (const void *)(buf + pos);

		memcpy(ext[n].name, m->u.user.name, sizeof(ext[n].name) - 1);
		ext[n].name[sizeof(ext[n].name) - 1] = '\0';
		ext[n].revision = m->u.user.revision;
		ext[n].is_target = pos == target;
		n++;
		pos += m->u.user.match_size;
	}
	return n;
}
