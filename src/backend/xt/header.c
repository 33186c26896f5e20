/*
 * backend/xt/header.c - the fixed IP part of ipt_entry and ip6t_entry: addresses,
 * masks, interface, protocol. IPv6 entries that name a protocol must also
 * set IP6T_F_PROTO, or the kernel never compares the protocol and the rule
 * matches everything (or, with a port match, nothing).
 */
#include "backend/xt/kernel.h"

#include <string.h>

static const uint8_t proto_num4[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
static const uint8_t proto_num6[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6 };

static void prefix_mask(uint8_t *mask, int bytes, int prefix)
{
	int i;

	for (i = 0; i < bytes; i++) {
		int bits = prefix - i * 8;

		mask[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
}

/* Prefix length of a contiguous mask; -1 when it is not one. */
static int mask_prefix(const uint8_t *mask, int bytes)
{
	uint8_t want[16];
	int prefix = 0, i;

	for (i = 0; i < bytes; i++)
		prefix += __builtin_popcount(mask[i]);
	prefix_mask(want, bytes, prefix);
	return memcmp(want, mask, (size_t)bytes) ? -1 : prefix;
}

static void put_addr(const struct ew_addr *a, void *addr, void *mask, int bytes)
{
	if (!a->set)
		return;
	memcpy(addr, a->a, (size_t)bytes);
	prefix_mask(mask, bytes, a->prefix);
}

static int get_addr(struct ew_addr *a, const void *addr, const void *mask, int bytes)
{
	int prefix = mask_prefix(mask, bytes);

	memset(a, 0, sizeof(*a));
	if (prefix < 0)
		return -1;
	if (prefix == 0)
		return 0;
	a->set = 1;
	a->prefix = (uint8_t)prefix;
	memcpy(a->a, addr, (size_t)bytes);
	return 0;
}

static void put_iface(const struct ew_rule *r, char *in, unsigned char *inmask,
		      char *out, unsigned char *outmask)
{
	size_t len = strlen(r->iface);

	if (!len)
		return;
	if (r->chain == EW_OUTPUT) {
		memcpy(out, r->iface, len);
		memset(outmask, 0xff, len + 1);
	} else {
		memcpy(in, r->iface, len);
		memset(inmask, 0xff, len + 1);
	}
}

static int get_iface(struct ew_rule *r, const char *in, const char *out)
{
	const char *name = r->chain == EW_OUTPUT ? out : in;
	const char *other = r->chain == EW_OUTPUT ? in : out;

	if (other[0] || strnlen(name, IFNAMSIZ) >= sizeof(r->iface))
		return -1;
	memcpy(r->iface, name, strnlen(name, IFNAMSIZ));
	return 0;
}

static int get_proto(struct ew_rule *r, unsigned proto, const uint8_t *table)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (table[i] == proto) {
			r->proto = (uint8_t)i;
			return 0;
		}
	}
	return -1;
}

size_t ew_xt_header4(const struct ew_rule *r, void *buf, uint16_t **target_offset,
		     uint16_t **next_offset)
{
	struct ipt_entry *e = buf;

	memset(e, 0, sizeof(*e));
	put_addr(&r->src, &e->ip.src, &e->ip.smsk, 4);
	put_addr(&r->dst, &e->ip.dst, &e->ip.dmsk, 4);
	put_iface(r, e->ip.iniface, e->ip.iniface_mask, e->ip.outiface,
		  e->ip.outiface_mask);
	e->ip.proto = proto_num4[r->proto];
	*target_offset = &e->target_offset;
	*next_offset = &e->next_offset;
	return sizeof(*e);
}

size_t ew_xt_header6(const struct ew_rule *r, void *buf, uint16_t **target_offset,
		     uint16_t **next_offset)
{
	struct ip6t_entry *e = buf;

	memset(e, 0, sizeof(*e));
	put_addr(&r->src, &e->ipv6.src, &e->ipv6.smsk, 16);
	put_addr(&r->dst, &e->ipv6.dst, &e->ipv6.dmsk, 16);
	put_iface(r, e->ipv6.iniface, e->ipv6.iniface_mask, e->ipv6.outiface,
		  e->ipv6.outiface_mask);
	e->ipv6.proto = proto_num6[r->proto];
	if (r->proto != EW_ANY)
		e->ipv6.flags |= IP6T_F_PROTO;
	*target_offset = &e->target_offset;
	*next_offset = &e->next_offset;
	return sizeof(*e);
}

int ew_xt_read_header4(const struct ipt_entry *e, struct ew_rule *r)
{
	if (e->ip.flags || e->ip.invflags)
		return -1;
	if (get_addr(&r->src, &e->ip.src, &e->ip.smsk, 4) ||
	    get_addr(&r->dst, &e->ip.dst, &e->ip.dmsk, 4))
		return -1;
	if (get_iface(r, e->ip.iniface, e->ip.outiface))
		return -1;
	return get_proto(r, e->ip.proto, proto_num4);
}

int ew_xt_read_header6(const struct ip6t_entry *e, struct ew_rule *r)
{
	unsigned want = e->ipv6.proto ? IP6T_F_PROTO : 0;

	if (e->ipv6.flags != want || e->ipv6.invflags || e->ipv6.tos)
		return -1;
	if (get_addr(&r->src, &e->ipv6.src, &e->ipv6.smsk, 16) ||
	    get_addr(&r->dst, &e->ipv6.dst, &e->ipv6.dmsk, 16))
		return -1;
	if (get_iface(r, e->ipv6.iniface, e->ipv6.outiface))
		return -1;
	return get_proto(r, e->ipv6.proto, proto_num6);
}
