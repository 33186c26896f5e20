/*
 * gen.h - pieces of the build-time generator (host only).
 */
#ifndef EW_GEN_H
#define EW_GEN_H

#include <stddef.h>

#include "policy/parse.h"

#define GEN_MAX_SYMS 64

struct gen_config {
	size_t n;
	char *name[GEN_MAX_SYMS];
	char *value[GEN_MAX_SYMS];      /* unquoted; "y", "n" for bools */
	char *text;                     /* the CONFIG_ lines, for `config` */
};

struct gen_list_spec {
	const char *symbol;
	const char *cname;
	int addresses_only;
};

struct gen_list {
	const struct gen_list_spec *spec;
	size_t n, cap;
	struct ew_entry *e;
	struct gen_where {
		size_t pos;             /* 1-based entry number in the list */
		const char *text;       /* as written, len bytes */
		size_t len;
	} *at;
};

int gen_read_config(const char *path, struct gen_config *c);
const char *gen_string(const struct gen_config *c, const char *symbol);
int gen_bool(const struct gen_config *c, const char *symbol);
void gen_config_free(struct gen_config *c);

/* What the configuration allows beyond the grammar. */
struct gen_rules {
	int ipv6;               /* IPV6_FILTER: IPv6 entries are used */
	int any_address;        /* ALLOW_ANY_ADDRESS: /0 entries are allowed */
};

/* Parse a whole list; returns the number of bad entries (0 when all good). */
int gen_parse_list(const char *cfgname, const struct gen_list_spec *spec,
		   const char *value, const struct gen_rules *r, struct gen_list *out);

int gen_write_config_h(const struct gen_config *c, const char *const *bools,
		       size_t nbools, const char *dir);
int gen_write_table(const struct gen_config *c, const struct gen_list *l,
		    size_t nlists, const char *dir);

#endif
