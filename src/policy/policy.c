/*
 * policy.c - configuration to abstract rules, per address family.
 *
 * Pure: it reads a const configuration and appends rules to a list. It never
 * touches the kernel, never prints, and knows nothing of libiptc. The rule
 * order is the design's: loopback, anti-spoofing, (IPv6 neighbour
 * discovery), connection state, services, trusted hosts, ALLOW_OUT,
 * ALLOW_IN, logging. Policies are DROP on every chain.
 */
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>

#include "policy/text.h"

const char *const ew_chain_names[EW_NCHAINS] = { "INPUT", "FORWARD", "OUTPUT" };

#define ICMP_ECHO_REQUEST(f) ((f) == 4 ? 8 : 128)
#define ICMP_ECHO_REPLY(f) ((f) == 4 ? 0 : 129)

int ew_ruleset_add(struct ew_ruleset *rs, const struct ew_rule *r)
{
	struct ew_rule *grown = ew_grow(rs->r, &rs->cap, rs->n, sizeof(*rs->r));

	if (!grown)
		return -1;
	rs->r = grown;
	rs->r[rs->n++] = *r;
	return 0;
}

void ew_ruleset_free(struct ew_ruleset *rs)
{
	free(rs->r);
	rs->r = NULL;
	rs->n = rs->cap = 0;
}

static void ruleset_init(struct ew_ruleset *rs, int family, int policy)
{
	memset(rs, 0, sizeof(*rs));
	rs->family = (uint8_t)family;
	rs->policy[EW_INPUT] = rs->policy[EW_FORWARD] = rs->policy[EW_OUTPUT] =
		(uint8_t)policy;
}

static struct ew_rule blank(int chain, int verdict)
{
	struct ew_rule r;

	memset(&r, 0, sizeof(r));
	r.chain = (uint8_t)chain;
	r.verdict = (uint8_t)verdict;
	r.icmp_type = -1;
	return r;
}

/* A /0 prefix matches every address: no address match at all. */
static void set_addr(struct ew_addr *a, const struct ew_entry *e)
{
	a->set = e->prefix != 0;
	a->prefix = e->prefix;
	memcpy(a->a, e->addr, sizeof(a->a));
}

static int add_loopback(struct ew_ruleset *rs)
{
	struct ew_rule in = blank(EW_INPUT, EW_ACCEPT);
	struct ew_rule out = blank(EW_OUTPUT, EW_ACCEPT);
	struct ew_rule spoof = blank(EW_INPUT, EW_DROP);

	strcpy(in.iface, "lo");
	strcpy(out.iface, "lo");
	spoof.src.set = 1;
	if (rs->family == 4) {
		spoof.src.prefix = 8;
		spoof.src.a[0] = 127;
	} else {
		spoof.src.prefix = 128;
		spoof.src.a[15] = 1;
	}
	return ew_ruleset_add(rs, &in) || ew_ruleset_add(rs, &out) ||
	       ew_ruleset_add(rs, &spoof);
}

/*
 * IPv6 only: router and neighbour solicitation and advertisement (133-136),
 * and multicast listener queries and reports (130-132, 143), both ways.
 * Without MLD a snooping switch stops forwarding the solicitations for the
 * device's own addresses, and nobody can reach it over IPv6.
 */
static int add_neighbour_discovery(struct ew_ruleset *rs)
{
	static const int types[] = { 130, 131, 132, 133, 134, 135, 136, 143 };
	size_t i;
	int chain;

	for (chain = EW_INPUT; chain <= EW_OUTPUT; chain += EW_OUTPUT - EW_INPUT) {
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			int type = types[i];
			struct ew_rule r = blank(chain, EW_ACCEPT);

			r.proto = EW_ICMP;
			r.icmp_type = (int16_t)type;
			if (ew_ruleset_add(rs, &r))
				return -1;
		}
	}
	return 0;
}

static int add_stateful(struct ew_ruleset *rs)
{
	int chain;

	for (chain = EW_INPUT; chain <= EW_OUTPUT; chain += EW_OUTPUT - EW_INPUT) {
		struct ew_rule invalid = blank(chain, EW_DROP);
		struct ew_rule est = blank(chain, EW_ACCEPT);

		invalid.ctstate = EW_CT_INVALID;
		est.ctstate = EW_CT_ESTABLISHED | EW_CT_RELATED;
		if (ew_ruleset_add(rs, &invalid) || ew_ruleset_add(rs, &est))
			return -1;
	}
	return 0;
}

static void one_port(struct ew_ports *p, uint16_t port)
{
	p->n = 1;
	p->r[0].lo = p->r[0].hi = port;
}

/* DHCP client: sport client -> dport server out, the reverse in; any address. */
static int add_dhcp(struct ew_ruleset *rs, uint16_t client, uint16_t server)
{
	struct ew_rule out = blank(EW_OUTPUT, EW_ACCEPT);
	struct ew_rule in = blank(EW_INPUT, EW_ACCEPT);

	out.proto = in.proto = EW_UDP;
	one_port(&out.sports, client);
	one_port(&out.dports, server);
	one_port(&in.sports, server);
	one_port(&in.dports, client);
	return ew_ruleset_add(rs, &out) || ew_ruleset_add(rs, &in);
}

/* The reply direction of r, for stateless rule sets. */
static struct ew_rule mirror(const struct ew_rule *r, int family)
{
	struct ew_rule m = *r;

	m.chain = r->chain == EW_INPUT ? EW_OUTPUT : EW_INPUT;
	m.src = r->dst;
	m.dst = r->src;
	m.sports = r->dports;
	m.dports = r->sports;
	if (r->icmp_type == ICMP_ECHO_REQUEST(family))
		m.icmp_type = ICMP_ECHO_REPLY(family);
	return m;
}

/*
 * Accept new traffic with a peer: OUTPUT to it or INPUT from it. Without
 * connection tracking the reply direction needs a rule of its own.
 */
static int allow(struct ew_ruleset *rs, const struct ew_config *cfg, int chain,
		 const struct ew_entry *peer, int proto, const struct ew_ports *dports,
		 int icmp_type)
{
	struct ew_rule r = blank(chain, EW_ACCEPT), m;

	set_addr(chain == EW_OUTPUT ? &r.dst : &r.src, peer);
	r.proto = (uint8_t)proto;
	r.icmp_type = (int16_t)icmp_type;
	if (dports)
		r.dports = *dports;
	if (ew_ruleset_add(rs, &r))
		return -1;
	if (cfg->stateful)
		return 0;
	m = mirror(&r, rs->family);
	return ew_ruleset_add(rs, &m);
}

static int add_servers(struct ew_ruleset *rs, const struct ew_config *cfg,
		       const struct ew_list *l, int tcp_too, uint16_t port)
{
	struct ew_ports p;
	size_t i;

	one_port(&p, port);
	for (i = 0; i < l->n; i++) {
		if (l->e[i].family != rs->family)
			continue;
		if (allow(rs, cfg, EW_OUTPUT, &l->e[i], EW_UDP, &p, -1) ||
		    (tcp_too && allow(rs, cfg, EW_OUTPUT, &l->e[i], EW_TCP, &p, -1)))
			return -1;
	}
	return 0;
}

static int add_list(struct ew_ruleset *rs, const struct ew_config *cfg,
		    const struct ew_list *l, int chain, int icmp_type)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct ew_entry *e = &l->e[i];
		int proto = icmp_type >= 0 ? EW_ICMP : e->proto;

		if (e->family != rs->family)
			continue;
		if (allow(rs, cfg, chain, e, proto, icmp_type >= 0 ? NULL : &e->ports,
			  icmp_type))
			return -1;
	}
	return 0;
}

/* Both directions; the mirror rules would repeat these when no port is named. */
static int add_trusted(struct ew_ruleset *rs, const struct ew_config *cfg)
{
	struct ew_config plain = *cfg;
	size_t i;

	for (i = 0; i < cfg->trusted.n; i++) {
		const struct ew_entry *e = &cfg->trusted.e[i];

		plain.stateful = cfg->stateful || !e->ports.n;
		if (e->family != rs->family)
			continue;
		if (allow(rs, &plain, EW_INPUT, e, e->proto, &e->ports, -1) ||
		    allow(rs, &plain, EW_OUTPUT, e, e->proto, &e->ports, -1))
			return -1;
	}
	return 0;
}

static int add_log(struct ew_ruleset *rs)
{
	struct ew_rule in = blank(EW_INPUT, EW_LOG);
	struct ew_rule out = blank(EW_OUTPUT, EW_LOG);

	in.limit_per_min = out.limit_per_min = 5;
	in.limit_burst = out.limit_burst = 10;
	strcpy(in.log_prefix, "earlywall drop in: ");
	strcpy(out.log_prefix, "earlywall drop out: ");
	return ew_ruleset_add(rs, &in) || ew_ruleset_add(rs, &out);
}

static int add_services(struct ew_ruleset *rs, const struct ew_config *cfg)
{
	int f = rs->family;

	if (cfg->allow_dhcp && add_dhcp(rs, f == 4 ? 68 : 546, f == 4 ? 67 : 547))
		return -1;
	if (add_servers(rs, cfg, &cfg->dns, 1, 53) ||
	    add_servers(rs, cfg, &cfg->ntp, 0, 123))
		return -1;
	if (!cfg->allow_ping)
		return 0;
	return add_list(rs, cfg, &cfg->ping_out, EW_OUTPUT, ICMP_ECHO_REQUEST(f)) ||
	       add_list(rs, cfg, &cfg->ping_in, EW_INPUT, ICMP_ECHO_REQUEST(f));
}

/* Room for every rule at once: no copying while large lists grow. */
static int reserve(struct ew_ruleset *rs, const struct ew_config *cfg)
{
	size_t n = 64 + 4 * cfg->trusted.n + 2 * (cfg->allow_out.n + cfg->allow_in.n) +
		   4 * cfg->dns.n + 2 * cfg->ntp.n + 2 * (cfg->ping_out.n + cfg->ping_in.n);

	rs->r = malloc(n * sizeof(*rs->r));
	rs->cap = rs->r ? n : 0;
	return rs->r ? 0 : -1;
}

int ew_policy_build(const struct ew_config *cfg, int family, struct ew_ruleset *rs)
{
	int filtered = family == 4 || cfg->ipv6_filter;

	ruleset_init(rs, family, EW_DROP);
	if (reserve(rs, cfg))
		goto oom;
	if (add_loopback(rs))
		goto oom;
	if (filtered) {
		if ((family == 6 && add_neighbour_discovery(rs)) ||
		    (cfg->stateful && add_stateful(rs)) ||
		    add_services(rs, cfg) || add_trusted(rs, cfg) ||
		    add_list(rs, cfg, &cfg->allow_out, EW_OUTPUT, -1) ||
		    add_list(rs, cfg, &cfg->allow_in, EW_INPUT, -1))
			goto oom;
	}
	if (cfg->log_drops && add_log(rs))
		goto oom;
	return 0;
oom:
	ew_ruleset_free(rs);
	return -1;
}

int ew_policy_minimal(int family, struct ew_ruleset *rs)
{
	struct ew_rule in = blank(EW_INPUT, EW_ACCEPT);
	struct ew_rule out = blank(EW_OUTPUT, EW_ACCEPT);

	ruleset_init(rs, family, EW_DROP);
	strcpy(in.iface, "lo");
	strcpy(out.iface, "lo");
	if (ew_ruleset_add(rs, &in) || ew_ruleset_add(rs, &out)) {
		ew_ruleset_free(rs);
		return -1;
	}
	return 0;
}

void ew_policy_open(int family, struct ew_ruleset *rs)
{
	ruleset_init(rs, family, EW_ACCEPT);
}
