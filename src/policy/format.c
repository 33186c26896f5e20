/*
 * format.c - addresses and entries back into text.
 *
 * The inverse of parse.c, used by render.c (iptables-save text), by the
 * `config` command and by the generator. IPv6 is formatted here rather than
 * with inet_ntop so that the host's libc and musl can never disagree: the
 * output follows RFC 5952 (lower case, longest run of two or more zero
 * groups compressed, the first such run on a tie), which is also what
 * iptables-save prints.
 */
#include "policy/parse.h"

#include <stdio.h>
#include <string.h>

static const char *const proto_names[] = { "any", "tcp", "udp", "icmp" };

/* Longest run of zero groups, at least two long; -1 when none. */
static int zero_run(const uint16_t *g, int *runlen)
{
	int best = -1, bestlen = 1, i = 0;

	while (i < 8) {
		int j = i;

		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	*runlen = bestlen;
	return best;
}

static void format_ipv6(const uint8_t *a, char *buf, size_t len)
{
	uint16_t g[8];
	int i, run, runlen;
	size_t pos = 0;

	for (i = 0; i < 8; i++)
		g[i] = (uint16_t)(a[(size_t)i * 2] << 8 | a[(size_t)i * 2 + 1]);
	run = zero_run(g, &runlen);
	buf[0] = '\0';
	for (i = 0; i < 8 && pos < len; i++) {
		if (i == run) {
			pos += (size_t)snprintf(buf + pos, len - pos, "::");
			i += runlen - 1;
			continue;
		}
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%x",
					i && i != run + runlen ? ":" : "", g[i]);
	}
}

void ew_format_addr(int family, const uint8_t *a, int prefix,
		    char *buf, size_t len)
{
	char host[48];

	if (family == 4)
		snprintf(host, sizeof(host), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	else
		format_ipv6(a, host, sizeof(host));
	if (prefix < 0)
		snprintf(buf, len, "%s", host);
	else
		snprintf(buf, len, "%s/%d", host, prefix);
}

static size_t format_ports(const struct ew_ports *p, char sep, char *buf,
			   size_t len)
{
	size_t pos = 0;
	int i;

	for (i = 0; i < p->n && pos < len; i++) {
		const struct ew_range *r = &p->r[i];

		pos += (size_t)snprintf(buf + pos, len - pos, "%s%u", i ? "," : "", r->lo);
		if (r->hi != r->lo && pos < len)
			pos += (size_t)snprintf(buf + pos, len - pos, "%c%u", sep, r->hi);
	}
	return pos;
}

size_t ew_format_ports(const struct ew_ports *p, char range_sep, char *buf,
		       size_t len)
{
	if (len)
		buf[0] = '\0';
	return format_ports(p, range_sep, buf, len);
}

size_t ew_format_entry(const struct ew_entry *e, char *buf, size_t len)
{
	char addr[64], ports[128] = "";
	int full = e->family == 4 ? 32 : 128;

	ew_format_addr(e->family, e->addr, e->prefix == full ? -1 : e->prefix,
		       addr, sizeof(addr));
	if (e->ports.n)
		ew_format_ports(&e->ports, '-', ports, sizeof(ports));
	if (e->proto == EW_ANY && !e->ports.n)
		return (size_t)snprintf(buf, len, "%s", addr);
	return (size_t)snprintf(buf, len, "%s%s%s@%s", proto_names[e->proto],
				e->ports.n ? "/" : "", ports, addr);
}

int ew_entry_cmp(const struct ew_entry *a, const struct ew_entry *b)
{
	int d = a->family - b->family, i;

	if (!d)
		d = a->proto - b->proto;
	if (!d)
		d = a->prefix - b->prefix;
	if (!d)
		d = memcmp(a->addr, b->addr, sizeof(a->addr));
	if (!d)
		d = a->ports.n - b->ports.n;
	for (i = 0; !d && i < a->ports.n; i++) {
		d = a->ports.r[i].lo - b->ports.r[i].lo;
		if (!d)
			d = a->ports.r[i].hi - b->ports.r[i].hi;
	}
	return d;
}
