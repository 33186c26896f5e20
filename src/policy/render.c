/*
 * render.c - abstract rules to iptables-save text.
 *
 * The output is byte for byte what iptables-legacy-save prints for the
 * table the backend commits, minus its comment lines: option order, "-m"
 * names, address and port formats all follow iptables-save. That is the
 * contract `print` makes and the tests check. Nothing here touches the
 * kernel.
 */
#include "policy/render.h"

#include <string.h>

#include "policy/text.h"

static void put_addr(struct ew_text *b, const char *opt, const struct ew_addr *a,
		     int family)
{
	char text[64];

	if (!a->set)
		return;
	ew_format_addr(family, a->a, a->prefix, text, sizeof(text));
	ew_text_put(b, " %s %s", opt, text);
}

static void put_proto(struct ew_text *b, const struct ew_rule *r, int family)
{
	static const char *const v4[] = { "", "tcp", "udp", "icmp" };
	static const char *const v6[] = { "", "tcp", "udp", "ipv6-icmp" };

	if (r->proto != EW_ANY)
		ew_text_put(b, " -p %s", family == 4 ? v4[r->proto] : v6[r->proto]);
}

static void put_ports(struct ew_text *b, const struct ew_rule *r)
{
	const char *name = r->proto == EW_TCP ? "tcp" : "udp";
	char s[128], d[128];

	if (r->proto != EW_TCP && r->proto != EW_UDP)
		return;
	ew_format_ports(&r->sports, ':', s, sizeof(s));
	ew_format_ports(&r->dports, ':', d, sizeof(d));
	if (r->sports.n > 1 || r->dports.n > 1) {
		ew_text_put(b, " -m multiport --%s %s", r->sports.n ? "sports" : "dports",
		    r->sports.n ? s : d);
		return;
	}
	if (!r->sports.n && !r->dports.n)
		return;
	ew_text_put(b, " -m %s", name);
	if (r->sports.n)
		ew_text_put(b, " --sport %s", s);
	if (r->dports.n)
		ew_text_put(b, " --dport %s", d);
}

static void put_icmp(struct ew_text *b, const struct ew_rule *r, int family)
{
	if (r->proto != EW_ICMP || r->icmp_type < 0)
		return;
	if (family == 4)
		ew_text_put(b, " -m icmp --icmp-type %d", r->icmp_type);
	else
		ew_text_put(b, " -m icmp6 --icmpv6-type %d", r->icmp_type);
}

static void put_ctstate(struct ew_text *b, unsigned state)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ EW_CT_INVALID, "INVALID" }, { EW_CT_NEW, "NEW" },
		{ EW_CT_RELATED, "RELATED" }, { EW_CT_ESTABLISHED, "ESTABLISHED" },
	};
	const char *sep = " -m conntrack --ctstate ";
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(state & names[i].bit))
			continue;
		ew_text_put(b, "%s%s", sep, names[i].name);
		sep = ",";
	}
}

static void put_target(struct ew_text *b, const struct ew_rule *r)
{
	if (r->limit_per_min) {
		ew_text_put(b, " -m limit --limit %u/min", r->limit_per_min);
		if (r->limit_burst != 5)
			ew_text_put(b, " --limit-burst %u", r->limit_burst);
	}
	if (r->verdict == EW_LOG)
		ew_text_put(b, " -j LOG --log-prefix \"%s\"", r->log_prefix);
	else
		ew_text_put(b, " -j %s", r->verdict == EW_ACCEPT ? "ACCEPT" : "DROP");
}

void ew_render_rule(const struct ew_rule *r, int family, char *p, size_t len)
{
	struct ew_text b = { p, len, 0 };

	p[0] = '\0';
	ew_text_put(&b, "-A %s", ew_chain_names[r->chain]);
	put_addr(&b, "-s", &r->src, family);
	put_addr(&b, "-d", &r->dst, family);
	if (r->iface[0])
		ew_text_put(&b, " %s %s", r->chain == EW_OUTPUT ? "-o" : "-i", r->iface);
	put_proto(&b, r, family);
	put_ports(&b, r);
	put_icmp(&b, r, family);
	put_ctstate(&b, r->ctstate);
	put_target(&b, r);
}

void ew_render(FILE *f, const struct ew_ruleset *rs)
{
	char line[EW_LINE_MAX];
	size_t i;
	int c;

	fputs("*filter\n", f);
	for (c = 0; c < EW_NCHAINS; c++)
		fprintf(f, ":%s %s [0:0]\n", ew_chain_names[c],
			rs->policy[c] == EW_ACCEPT ? "ACCEPT" : "DROP");
	for (c = 0; c < EW_NCHAINS; c++) {
		for (i = 0; i < rs->n; i++) {
			if (rs->r[i].chain != c)
				continue;
			ew_render_rule(&rs->r[i], rs->family, line, sizeof(line));
			fprintf(f, "%s\n", line);
		}
	}
	fputs("COMMIT\n", f);
}
