/*
 * backend/xt/modules.c - which kernel modules a ruleset needs (pure: no kernel
 * access). The loader (boot/modules.c) resolves their dependencies.
 */
#include "backend/xt/modules.h"

#include <string.h>

#include "backend/xt/entry.h"

/* Extension name -> module; NULL where the table module itself has it. */
static const struct { const char *ext, *module, *extra; } ext_modules[] = {
	{ "tcp", "xt_tcpudp", NULL },
	{ "udp", "xt_tcpudp", NULL },
	{ "multiport", "xt_multiport", NULL },
	{ "conntrack", "xt_conntrack", NULL },
	{ "limit", "xt_limit", NULL },
	{ "LOG", "xt_LOG", "nf_log_syslog" },
	{ "icmp", NULL, NULL },
	{ "icmp6", NULL, NULL },
};

static size_t add(const char **out, size_t n, size_t max, const char *name)
{
	size_t i;

	if (!name)
		return n;
	for (i = 0; i < n; i++)
		if (!strcmp(out[i], name))
			return n;
	if (n < max)
		out[n++] = name;
	return n;
}

static size_t add_ext(const char **out, size_t n, size_t max, const char *ext)
{
	size_t i;

	for (i = 0; i < sizeof(ext_modules) / sizeof(ext_modules[0]); i++) {
		if (strcmp(ext_modules[i].ext, ext) != 0)
			continue;
		n = add(out, n, max, ext_modules[i].module);
		return add(out, n, max, ext_modules[i].extra);
	}
	return n;
}

size_t ew_xt_modules(const struct ew_ruleset *rs, size_t nrs, const char **out, size_t max)
{
	size_t n = 0, i, j;
	int k, count;

	for (i = 0; i < nrs; i++) {
		n = add(out, n, max, rs[i].family == 4 ? "ip_tables" : "ip6_tables");
		n = add(out, n, max, rs[i].family == 4 ? "iptable_filter" : "ip6table_filter");
	}
	for (i = 0; i < nrs; i++) {
		for (j = 0; j < rs[i].n; j++) {
			struct ew_xt_ext ext[EW_XT_MAX_EXT];

			count = ew_xt_extensions(&rs[i].r[j], rs[i].family, ext);
			for (k = 0; k < count; k++)
				n = add_ext(out, n, max, ext[k].name);
		}
	}
	return n;
}
