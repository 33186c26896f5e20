/*
 * tamper.c - test tool: edit a committed rule through libiptc, below what
 * iptables and ip6tables show, as anyone with CAP_NET_ADMIN can. Built
 * only for tests/verify_tamper.bats; never part of earlywall.
 *
 *   tamper 4|6 zero-iface-mask CHAIN N   clear rule N's interface masks
 *   tamper 4|6 dup-match CHAIN N         repeat rule N's first match
 *   tamper 4|6 multiport-storm CHAIN N K replace rule N with one holding K
 *                                        multiport matches of 15 ports each
 *
 * N counts from 1, as iptables -L --line-numbers does. Exit 0 when the
 * kernel took the edited table, 1 with libiptc's reason otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libiptc/libip6tc.h>
#include <libiptc/libiptc.h>
#include <linux/netfilter/xt_multiport.h>

#define BUF (64 * 1024)

static unsigned char buf[BUF] __attribute__((aligned(8)));

struct fam {
	struct xtc_handle *(*init)(const char *);
	const void *(*first)(const char *, struct xtc_handle *);
	const void *(*next)(const void *, struct xtc_handle *);
	const char *(*target)(const void *, struct xtc_handle *);
	int (*replace)(const char *, const void *, unsigned, struct xtc_handle *);
	int (*commit)(struct xtc_handle *);
	const char *(*strerror)(int);
	size_t head;
};

static int replace4(const char *c, const void *e, unsigned n, struct xtc_handle *h)
{ return iptc_replace_entry(c, e, n, h); }
static int replace6(const char *c, const void *e, unsigned n, struct xtc_handle *h)
{ return ip6tc_replace_entry(c, e, n, h); }
static const void *first4(const char *c, struct xtc_handle *h) { return iptc_first_rule(c, h); }
static const void *first6(const char *c, struct xtc_handle *h) { return ip6tc_first_rule(c, h); }
static const void *next4(const void *e, struct xtc_handle *h) { return iptc_next_rule(e, h); }
static const void *next6(const void *e, struct xtc_handle *h) { return ip6tc_next_rule(e, h); }
static const char *target4(const void *e, struct xtc_handle *h) { return iptc_get_target(e, h); }
static const char *target6(const void *e, struct xtc_handle *h) { return ip6tc_get_target(e, h); }

static const struct fam f4 = { iptc_init, first4, next4, target4, replace4, iptc_commit,
			       iptc_strerror, sizeof(struct ipt_entry) };
static const struct fam f6 = { ip6tc_init, first6, next6, target6, replace6, ip6tc_commit,
			       ip6tc_strerror, sizeof(struct ip6t_entry) };

/* The entry's offsets, for either family (the fields sit at the same
 * place relative to the end of the fixed part). */
static uint16_t *target_offset(int v, void *e)
{
	return v == 4 ? &((struct ipt_entry *)e)->target_offset
		      : &((struct ip6t_entry *)e)->target_offset;
}

static uint16_t *next_offset(int v, void *e)
{
	return v == 4 ? &((struct ipt_entry *)e)->next_offset
		      : &((struct ip6t_entry *)e)->next_offset;
}

static void zero_masks(int v, void *e)
{
	if (v == 4) {
		memset(((struct ipt_entry *)e)->ip.iniface_mask, 0, IFNAMSIZ);
		memset(((struct ipt_entry *)e)->ip.outiface_mask, 0, IFNAMSIZ);
	} else {
		memset(((struct ip6t_entry *)e)->ipv6.iniface_mask, 0, IFNAMSIZ);
		memset(((struct ip6t_entry *)e)->ipv6.outiface_mask, 0, IFNAMSIZ);
	}
}

/* Insert a copy of the first match right after it. */
static int dup_match(int v, unsigned char *e, size_t head)
{
	struct xt_entry_match *m = (void *)(e + head);
	size_t size = m->u.user.match_size, next = *next_offset(v, e);

	if (*target_offset(v, e) == head || next + size > BUF)
		return -1;
	memmove(e + head + size, e + head, next - head);
	*target_offset(v, e) += (uint16_t)size;
	*next_offset(v, e) += (uint16_t)size;
	return 0;
}

/* -p tcp, then k multiport matches (rev 1, 15 ports each), then the target. */
static int storm(int v, unsigned char *e, size_t head, int k)
{
	size_t msize = XT_ALIGN(sizeof(struct xt_entry_match)) +
		       XT_ALIGN(sizeof(struct xt_multiport_v1));
	size_t tpos = *target_offset(v, e), tsize = *next_offset(v, e) - tpos, pos = head;
	unsigned char target[512];
	int i, j;

	if (tsize > sizeof(target) || head + (size_t)k * msize + tsize > BUF)
		return -1;
	memcpy(target, e + tpos, tsize);
	if (v == 4)
		((struct ipt_entry *)e)->ip.proto = 6;
	else
		((struct ip6t_entry *)e)->ipv6.proto = 6, ((struct ip6t_entry *)e)->ipv6.flags |= IP6T_F_PROTO;
	for (i = 0; i < k; i++, pos += msize) {
		struct xt_entry_match *m = (void *)(e + pos);
		struct xt_multiport_v1 *mp = (void *)m->data;

		memset(m, 0, msize);
		m->u.user.match_size = (uint16_t)msize;
		strcpy(m->u.user.name, "multiport");
		m->u.user.revision = 1;
		mp->flags = XT_MULTIPORT_DESTINATION;
		mp->count = XT_MULTI_PORTS;
		for (j = 0; j < XT_MULTI_PORTS; j++)
			mp->ports[j] = (uint16_t)(1000 + i * XT_MULTI_PORTS + j);
	}
	memcpy(e + pos, target, tsize);
	*target_offset(v, e) = (uint16_t)pos;
	*next_offset(v, e) = (uint16_t)(pos + tsize);
	return 0;
}

int main(int argc, char **argv)
{
	const struct fam *f;
	struct xtc_handle *h;
	const void *r;
	int v, n, i, rc = -1;

	if (argc < 5 || (argv[1][0] != '4' && argv[1][0] != '6')) {
		fprintf(stderr, "usage: tamper 4|6 zero-iface-mask|dup-match|multiport-storm CHAIN N [K]\n");
		return 2;
	}
	v = argv[1][0] - '0';
	f = v == 4 ? &f4 : &f6;
	n = atoi(argv[4]);
	h = f->init("filter");
	if (!h)
		return fprintf(stderr, "tamper: %s\n", f->strerror(0)), 1;
	for (r = f->first(argv[3], h), i = 1; r && i < n; i++)
		r = f->next(r, h);
	if (!r)
		return fprintf(stderr, "tamper: %s has no rule %d\n", argv[3], n), 1;
	memcpy(buf, r, *next_offset(v, (void *)r));
	/* libiptc wants a standard target by its name, not as a verdict. */
	if (!strcmp(f->target(r, h), "ACCEPT") || !strcmp(f->target(r, h), "DROP"))
		strcpy(((struct xt_entry_target *)(void *)(buf + *target_offset(v, buf)))->u.user.name,
		       f->target(r, h));
	if (!strcmp(argv[2], "zero-iface-mask"))
		zero_masks(v, buf), rc = 0;
	else if (!strcmp(argv[2], "dup-match"))
		rc = dup_match(v, buf, f->head);
	else if (!strcmp(argv[2], "multiport-storm") && argc == 6)
		rc = storm(v, buf, f->head, atoi(argv[5]));
	if (rc)
		return fprintf(stderr, "tamper: cannot %s rule %d\n", argv[2], n), 1;
	if (!f->replace(argv[3], buf, (unsigned)(n - 1), h) || !f->commit(h))
		return fprintf(stderr, "tamper: %s\n", f->strerror(errno)), 1;
	return 0;
}
