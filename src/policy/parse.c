/*
 * parse.c - the allowlist entry grammar (see parse.h).
 *
 * Shared by the build-time generator, which validates every entry before a
 * binary is built, and by the binary, which formats entries for `config`.
 * It is pure: no allocation, no I/O, no global state. Every rejection says
 * exactly which part of the entry is wrong and why.
 */
#include "policy/parse.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const proto_names[] = { "any", "tcp", "udp", "icmp" };

static int fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Like strspn, but never looks past len. */
static size_t span(const char *s, size_t len, const char *set)
{
	size_t i = 0;

	while (i < len && strchr(set, s[i]) && s[i])
		i++;
	return i;
}

/* Decimal digits only, at most 9 of them; -1 when not a number. */
static long parse_num(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int parse_port(const char *s, size_t len, uint16_t *port,
		      char *why, size_t n)
{
	long v = parse_num(s, len);

	const char *colon = memchr(s, ':', len);

	if (len == 0)
		return fail(why, n, "empty port in list");
	if (colon)
		return fail(why, n, "a port range is %.*s-%.*s, not \"%.*s\"", (int)(colon - s), s,
			    (int)(len - (size_t)(colon - s) - 1), colon + 1, (int)len, s);
	if (span(s, len, "0123456789") < len)
		return fail(why, n, "port \"%.*s\" is not a number", (int)len, s);
	if (len > 1 && s[0] == '0')
		return fail(why, n, "leading zero in port \"%.*s\"", (int)len, s);
	if (v < 1 || v > 65535)
		return fail(why, n, "port %.*s out of range 1-65535", (int)len, s);
	*port = (uint16_t)v;
	return 0;
}

static int parse_range(const char *s, size_t len, struct ew_range *r,
		       char *why, size_t n)
{
	const char *dash = memchr(s, '-', len);
	size_t first = dash ? (size_t)(dash - s) : len;

	if (dash && memchr(dash + 1, '-', len - first - 1))
		return fail(why, n, "malformed range \"%.*s\"", (int)len, s);
	if (dash && first == 0)
		return fail(why, n, "empty start of range \"%.*s\"", (int)len, s);
	if (dash && first + 1 == len)
		return fail(why, n, "empty end of range \"%.*s\"", (int)len, s);
	if (parse_port(s, first, &r->lo, why, n))
		return -1;
	r->hi = r->lo;
	if (!dash)
		return 0;
	if (parse_port(dash + 1, len - first - 1, &r->hi, why, n))
		return -1;
	if (r->hi < r->lo)
		return fail(why, n, "range %.*s is reversed", (int)len, s);
	return 0;
}

int ew_port_slots(const struct ew_ports *p)
{
	int slots = 0, i;

	for (i = 0; i < p->n; i++)
		slots += p->r[i].lo == p->r[i].hi ? 1 : 2;
	return slots;
}

static int by_start(const void *a, const void *b)
{
	const struct ew_range *x = a, *y = b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

/* Sorted, so that equal lists compare equal; overlaps are mistakes. */
static int sort_ports(struct ew_ports *p, char *why, size_t n)
{
	int i;

	qsort(p->r, p->n, sizeof(p->r[0]), by_start);
	for (i = 1; i < p->n; i++) {
		const struct ew_range *a = &p->r[i - 1], *b = &p->r[i];

		if (b->lo > a->hi)
			continue;
		struct ew_ports one = { 1, { *a } }, two = { 1, { *b } };
		char x[16], y[16];

		if (a->lo == a->hi && b->lo == b->hi)
			return fail(why, n, "port %u listed twice", a->lo);
		ew_format_ports(&one, '-', x, sizeof(x));
		ew_format_ports(&two, '-', y, sizeof(y));
		return fail(why, n, "ports %s and %s overlap", x, y);
	}
	return 0;
}

static int parse_ports(const char *s, size_t len, struct ew_ports *p,
		       char *why, size_t n)
{
	size_t pos = 0;

	p->n = 0;
	if (len == 0)
		return fail(why, n, "empty port list");
	while (pos <= len) {
		const char *comma = memchr(s + pos, ',', len - pos);
		size_t end = comma ? (size_t)(comma - s) : len;

		if (p->n == EW_MAX_PORTS)
			return fail(why, n, "more than %d ports (a range counts as two)",
				    EW_MAX_PORTS);
		if (parse_range(s + pos, end - pos, &p->r[p->n], why, n))
			return -1;
		p->n++;
		pos = end + 1;
	}
	if (ew_port_slots(p) > EW_MAX_PORTS)
		return fail(why, n, "more than %d ports (a range counts as two)",
			    EW_MAX_PORTS);
	return sort_ports(p, why, n);
}

static int proto_index(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (strlen(proto_names[i]) == len && !memcmp(s, proto_names[i], len))
			return (int)i;
	return -1;
}

/* "proto[/ports]" in front of the "@". */
static int parse_service(const char *s, size_t len, struct ew_entry *e,
			 char *why, size_t n)
{
	const char *slash = memchr(s, '/', len);
	size_t plen = slash ? (size_t)(slash - s) : len;
	int proto = proto_index(s, plen);

	const char *colon = memchr(s, ':', plen);

	if (plen == 0)
		return fail(why, n, "empty protocol before \"%s\"", slash ? "/" : "@");
	if (proto < 0 && colon && proto_index(s, (size_t)(colon - s)) >= 0)
		return fail(why, n, "write %.*s/%.*s@...: ports follow the protocol after a \"/\"",
			    (int)(colon - s), s, (int)(plen - (size_t)(colon - s) - 1), colon + 1);
	if (proto < 0)
		return fail(why, n, "unknown protocol \"%.*s\" (use tcp, udp, icmp or any)",
			    (int)plen, s);
	e->proto = (uint8_t)proto;
	if (!slash)
		return 0;
	if (proto != EW_TCP && proto != EW_UDP)
		return fail(why, n, "ports need tcp or udp, not %s", proto_names[proto]);
	return parse_ports(slash + 1, len - plen - 1, &e->ports, why, n);
}

static int parse_ipv4(const char *s, size_t len, uint8_t *addr,
		      char *why, size_t n)
{
	size_t pos = 0;
	int i;

	for (i = 0; i < 4; i++) {
		size_t dlen = pos < len ? span(s + pos, len - pos, "0123456789") : 0;
		long v = parse_num(s + pos, dlen);

		if (dlen == 0 || dlen > 3 || (i < 3 && (pos + dlen >= len || s[pos + dlen] != '.')))
			return fail(why, n, "malformed IPv4 address \"%.*s\"", (int)len, s);
		if (dlen > 1 && s[pos] == '0')
			return fail(why, n, "leading zero in octet \"%.*s\" of \"%.*s\"",
				    (int)dlen, s + pos, (int)len, s);
		if (v > 255)
			return fail(why, n, "octet %ld out of range 0-255 in \"%.*s\"",
				    v, (int)len, s);
		addr[i] = (uint8_t)v;
		pos += dlen + 1;
	}
	if (pos - 1 != len)
		return fail(why, n, "malformed IPv4 address \"%.*s\"", (int)len, s);
	return 0;
}

static int parse_ipv6(const char *s, size_t len, uint8_t *addr,
		      char *why, size_t n)
{
	char buf[INET6_ADDRSTRLEN];

	if (len >= sizeof(buf) || span(s, len, "0123456789abcdefABCDEF:.") < len)
		return fail(why, n, "malformed IPv6 address \"%.*s\"", (int)len, s);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET6, buf, addr) != 1)
		return fail(why, n, "malformed IPv6 address \"%.*s\"", (int)len, s);
	return 0;
}

/* Letters make a name, unless it starts like a dotted quad (a typo). */
static int is_hostname(const char *s, size_t len)
{
	size_t i, labels = 0, pos = 0;
	int letter = 0;

	while (labels < 3 && pos < len) {
		size_t d = span(s + pos, len - pos, "0123456789");

		if (!d || pos + d >= len || s[pos + d] != '.')
			break;
		labels++;
		pos += d + 1;
	}
	if (labels == 3)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = 1;
		else if (!(c >= '0' && c <= '9') && c != '.' && c != '-')
			return 0;
	}
	return letter;
}

static int is_v4_mapped(const uint8_t *a)
{
	static const uint8_t head[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return !memcmp(a, head, sizeof(head));
}

static int parse_prefix(const char *s, size_t len, int max, uint8_t *prefix,
			char *why, size_t n)
{
	long v = parse_num(s, len);

	if (len == 0)
		return fail(why, n, "empty prefix length after \"/\"");
	if (span(s, len, "0123456789") < len)
		return fail(why, n, "prefix \"/%.*s\" is not a number", (int)len, s);
	if (len > 1 && s[0] == '0')
		return fail(why, n, "leading zero in prefix \"/%.*s\"", (int)len, s);
	if (v < 0 || v > max)
		return fail(why, n, "prefix /%.*s out of range 0-%d", (int)len, s, max);
	*prefix = (uint8_t)v;
	return 0;
}

static int check_host_bits(const struct ew_entry *e, char *why, size_t n)
{
	uint8_t net[16] = { 0 };
	char have[64], want[64];
	int bytes = e->family == 4 ? 4 : 16, i;

	for (i = 0; i < bytes; i++) {
		int bits = e->prefix - i * 8;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));

		net[i] = e->addr[i] & mask;
	}
	if (!memcmp(net, e->addr, (size_t)bytes))
		return 0;
	ew_format_addr(e->family, e->addr, e->prefix, have, sizeof(have));
	ew_format_addr(e->family, net, e->prefix, want, sizeof(want));
	return fail(why, n, "%s has host bits set (the network is %s)", have, want);
}

/* "a.b.c.d:port", as other tools write an address with a port. */
static int is_v4_with_port(const char *s, size_t len, size_t *colon)
{
	const char *c = memchr(s, ':', len);
	uint8_t addr[4];
	char why[8];

	if (!c || memchr(c + 1, ':', len - (size_t)(c - s) - 1))
		return 0;
	*colon = (size_t)(c - s);
	return parse_ipv4(s, *colon, addr, why, sizeof(why)) == 0;
}

/* The iptables habits in a target, with what to write instead. */
static int target_habits(const char *s, size_t len, const char *slash, char *why, size_t n)
{
	size_t alen = slash ? (size_t)(slash - s) : len, c;
	const char *colon = slash ? memchr(slash, ':', len - alen) : NULL;

	if (memchr(s, ',', len))
		return fail(why, n, "\"%.*s\" is a comma list: separate entries with spaces",
			    (int)len, s);
	if (colon && !memchr(s, ':', alen))
		return fail(why, n, "write tcp/%.*s@%.*s (or udp/...): ports go before the \"@\"",
			    (int)(len - (size_t)(colon - s) - 1), colon + 1, (int)(colon - s), s);
	if (is_v4_with_port(s, alen, &c))
		return fail(why, n, "write tcp/%.*s@%.*s (or udp/...): ports go before the \"@\"",
			    (int)(alen - c - 1), s + c + 1, (int)c, s);
	return 0;
}

static int parse_target(const char *s, size_t len, struct ew_entry *e,
			char *why, size_t n)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	int rc;

	if (alen == 0)
		return fail(why, n, "empty target");
	if (target_habits(s, len, slash, why, n))
		return -1;
	if (is_hostname(s, alen))
		return fail(why, n, "hostname \"%.*s\" is not supported yet: names are "
			    "never resolved at boot, list its addresses instead", (int)alen, s);
	e->family = memchr(s, ':', alen) ? 6 : 4;
	rc = e->family == 4 ? parse_ipv4(s, alen, e->addr, why, n)
			    : parse_ipv6(s, alen, e->addr, why, n);
	if (rc)
		return -1;
	if (e->family == 6 && is_v4_mapped(e->addr))
		return fail(why, n, "IPv4-mapped address \"%.*s\" never matches on the wire: "
			    "write the IPv4 address %u.%u.%u.%u", (int)alen, s, e->addr[12],
			    e->addr[13], e->addr[14], e->addr[15]);
	e->prefix = e->family == 4 ? 32 : 128;
	if (slash && parse_prefix(slash + 1, len - alen - 1, e->prefix, &e->prefix, why, n))
		return -1;
	return check_host_bits(e, why, n);
}

static int check_chars(const char *s, size_t len, char *why, size_t n)
{
	size_t ok = span(s, len, "0123456789abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ.:/,-@");

	if (len > EW_MAX_ENTRY)
		return fail(why, n, "entry longer than %d characters", EW_MAX_ENTRY);
	if (ok < len) {
		unsigned char c = (unsigned char)s[ok];

		if (c < 0x20 || c >= 0x7f)
			return fail(why, n, "unexpected character 0x%02x", c);
		return fail(why, n, "unexpected character '%c'", c);
	}
	return 0;
}

int ew_parse_entry(const char *s, size_t len, struct ew_entry *e,
		   char *why, size_t n)
{
	const char *at;

	memset(e, 0, sizeof(*e));
	if (check_chars(s, len, why, n))
		return -1;
	at = memchr(s, '@', len);
	if (!at) {
		const char *slash = memchr(s, '/', len);

		if (proto_index(s, slash ? (size_t)(slash - s) : len) >= 0)
			return fail(why, n, "missing \"@\" and a target after \"%.*s\"",
				    (int)len, s);
		return parse_target(s, len, e, why, n);
	}
	if (memchr(at + 1, '@', len - (size_t)(at - s) - 1))
		return fail(why, n, "more than one \"@\"");
	if (parse_service(s, (size_t)(at - s), e, why, n))
		return -1;
	if (at + 1 == s + len)
		return fail(why, n, "empty target after \"@\"");
	return parse_target(at + 1, len - (size_t)(at - s) - 1, e, why, n);
}
