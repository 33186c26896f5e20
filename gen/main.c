/*
 * gen.c - the build-time generator (runs on the build host, never on the
 * device).
 *
 *   ewgen CONFIG-NAME FULL-CONFIG OUTDIR
 *
 * Reads a complete .config (as kconfig-conf --olddefconfig writes it),
 * validates every allowlist entry with parse.c, and writes OUTDIR/config.h
 * (0/1 and string constants) and OUTDIR/policy_table.c (the parsed entries
 * as const data). Every bad entry is reported, with the symbol, its
 * position, its text and the reason; any error fails the build and leaves no
 * output behind. It never writes anything but those two files.
 */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const bools[] = {
	"ALLOW_PING", "ALLOW_DHCP", "IPV6_DROP_ALL", "IPV6_FILTER", "STATEFUL",
	"LOG_DROPS", "BACKEND_AUTO", "BACKEND_NFTABLES", "BACKEND_IPTABLES", "FAIL_LOCKOUT",
	"FAIL_HALT", "FAIL_OPEN", "LOAD_MODULES", "REVERT", "ALLOW_ANY_ADDRESS",
};

static const struct gen_list_spec lists[] = {
	{ "TRUSTED_HOSTS", "trusted", 0 },
	{ "ALLOW_OUT", "allow_out", 0 },
	{ "ALLOW_IN", "allow_in", 0 },
	{ "DNS_SERVERS", "dns", 1 },
	{ "NTP_SERVERS", "ntp", 1 },
};

#define NBOOLS (sizeof(bools) / sizeof(bools[0]))
#define NLISTS (sizeof(lists) / sizeof(lists[0]))

static int check_init_path(const struct gen_config *c, const char *name)
{
	const char *path = gen_string(c, "INIT_PATH");

	if (path && path[0] == '/' && !strpbrk(path, " \t\n"))
		return 0;
	fprintf(stderr, "%s: INIT_PATH \"%s\": must be an absolute path without spaces\n",
		name, path ? path : "");
	return -1;
}

/* FOREIGN_TABLES_EXPECTED: FAMILY/NAME words; the number of bad ones. */
static int check_foreign(const struct gen_config *c, const char *name)
{
	static const char *const families[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev",
						"iptables", "ip6tables" };
	const char *v = gen_string(c, "FOREIGN_TABLES_EXPECTED"), *sp = " \t\n";
	size_t len, i, pos = 0;
	int errors = 0;

	for (; v && *(v += strspn(v, sp)); v += len) {
		const char *slash;
		size_t fam;
		int ok = 0;

		len = strcspn(v, sp);
		pos++;
		slash = memchr(v, '/', len);
		fam = slash ? (size_t)(slash - v) : 0;
		for (i = 0; slash && i < sizeof(families) / sizeof(families[0]); i++)
			ok |= strlen(families[i]) == fam && !strncmp(v, families[i], fam);
		ok = ok && len - fam - 1 > 0 && len - fam - 1 < 64 &&
		     strspn(slash + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789_-.") >= len - fam - 1;
		if (ok)
			continue;
		fprintf(stderr, "%s: FOREIGN_TABLES_EXPECTED entry %zu \"%.*s\": write FAMILY/NAME, "
			"FAMILY one of ip, ip6, inet, arp, bridge, netdev (nftables), iptables, "
			"ip6tables (legacy)\n", name, pos, (int)len, v);
		errors++;
	}
	return errors;
}

static int parse_lists(const struct gen_config *c, const char *name,
		       struct gen_list *out)
{
	struct gen_rules r = { gen_bool(c, "IPV6_FILTER"), gen_bool(c, "ALLOW_ANY_ADDRESS") };
	int errors = 0;
	size_t i;

	for (i = 0; i < NLISTS; i++)
		errors += gen_parse_list(name, &lists[i], gen_string(c, lists[i].symbol), &r,
					 &out[i]);
	return errors;
}

static int write_outputs(const struct gen_config *c, const struct gen_list *l,
			 const char *dir)
{
	if (gen_write_config_h(c, bools, NBOOLS, dir))
		return -1;
	return gen_write_table(c, l, NLISTS, dir);
}

static void free_lists(struct gen_list *l)
{
	size_t i;

	for (i = 0; i < NLISTS; i++) {
		free(l[i].e);
		free(l[i].at);
	}
}

int main(int argc, char **argv)
{
	struct gen_config c;
	struct gen_list l[NLISTS];
	int errors, rc;

	if (argc != 4) {
		fprintf(stderr, "usage: ewgen CONFIG-NAME FULL-CONFIG OUTDIR\n");
		return 2;
	}
	if (gen_read_config(argv[2], &c))
		return 1;
	errors = parse_lists(&c, argv[1], l);
	errors += check_init_path(&c, argv[1]) != 0;
	errors += check_foreign(&c, argv[1]);
	if (errors)
		fprintf(stderr, "%s: %d error%s, no policy generated\n", argv[1],
			errors, errors == 1 ? "" : "s");
	rc = errors || write_outputs(&c, l, argv[3]) ? 1 : 0;
	free_lists(l);
	gen_config_free(&c);
	return rc;
}
