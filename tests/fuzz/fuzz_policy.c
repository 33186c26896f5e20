/*
 * fuzz_policy.c - libFuzzer target for the policy builder, the renderer
 * and the xtables encoder/decoder.
 *
 * The input is a configuration: its first byte holds the bool options, the
 * rest is up to five host lists separated by '|' (TRUSTED_HOSTS, ALLOW_OUT,
 * ALLOW_IN, DNS_SERVERS, NTP_SERVERS); entries the parser rejects are
 * skipped. Properties: building never fails on valid entries, and every
 * rule survives the round trip rule -> kernel entry -> rule with the same
 * iptables-save line, which is what `verify` relies on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "policy/render.h"
#include "backend/xt/entry.h"
#include "backend/xt/modules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ENTRIES 64

static void parse_list(const char *s, size_t len, struct ew_entry *out, size_t *n)
{
	size_t pos = 0;
	char why[EW_WHY_MAX];

	while (pos < len && *n < MAX_ENTRIES) {
		size_t start, word;

		while (pos < len && (s[pos] == ' ' || s[pos] == '\n'))
			pos++;
		start = pos;
		while (pos < len && s[pos] != ' ' && s[pos] != '\n')
			pos++;
		word = pos - start;
		if (word && !ew_parse_entry(s + start, word, &out[*n], why, sizeof(why)))
			(*n)++;
	}
}

static void round_trip(const struct ew_ruleset *rs)
{
	unsigned char buf[EW_XT_ENTRY_MAX] __attribute__((aligned(8)));
	char want[EW_LINE_MAX], got[EW_LINE_MAX], why[128];
	const char *modules[EW_MAX_MODULES];
	size_t i;

	for (i = 0; i < rs->n; i++) {
		struct ew_rule r;
		const struct ew_rule *in = &rs->r[i];
		const char *label = in->verdict == EW_LOG ? "LOG" :
				    in->verdict == EW_ACCEPT ? "ACCEPT" : "DROP";

		ew_render_rule(in, rs->family, want, sizeof(want));
		size_t size = ew_xt_encode(in, rs->family, buf);

		if (size > sizeof(buf))
			abort();
		if (ew_xt_decode(buf, size, label, rs->family, in->chain, &r, why, sizeof(why)))
			abort();
		ew_render_rule(&r, rs->family, got, sizeof(got));
		if (strcmp(want, got) != 0)
			abort();
	}
	ew_xt_modules(rs, 1, modules, EW_MAX_MODULES);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ew_entry lists[5][MAX_ENTRIES];
	struct ew_list *targets[5];
	struct ew_config cfg;
	size_t start = 1, i, list = 0;
	int family;

	if (!size)
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	targets[0] = &cfg.trusted;
	targets[1] = &cfg.allow_out;
	targets[2] = &cfg.allow_in;
	targets[3] = &cfg.dns;
	targets[4] = &cfg.ntp;
	cfg.allow_ping = data[0] & 1;
	cfg.allow_dhcp = data[0] >> 1 & 1;
	cfg.ipv6_filter = data[0] >> 2 & 1;
	cfg.stateful = data[0] >> 3 & 1;
	cfg.log_drops = data[0] >> 4 & 1;
	for (i = 1; i <= size && list < 5; i++) {
		if (i < size && data[i] != '|')
			continue;
		targets[list]->e = lists[list];
		targets[list]->n = 0;
		parse_list((const char *)data + start, i - start, lists[list], &targets[list]->n);
		list++;
		start = i + 1;
	}
	cfg.ping_out = cfg.allow_out;
	cfg.ping_in = cfg.allow_in;
	for (family = 4; family <= 6; family += 2) {
		struct ew_ruleset rs;

		if (ew_policy_build(&cfg, family, &rs))
			abort();
		round_trip(&rs);
		ew_ruleset_free(&rs);
	}
	return 0;
}
