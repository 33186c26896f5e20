/*
 * readback.c - the live filter table as iptables-save text, for verify.
 *
 * Each kernel entry is decoded into an abstract rule and rendered; then it
 * is compared byte for byte with the entry earlywall would write for what
 * it decoded to (ew_xt_exact), so nothing the decoder does not look at
 * can hide: an entry that differs, or that cannot be decoded, is shown
 * with the hex of its bytes from the first one that differs, which is
 * drift by definition. Read only.
 */
#include "backend/xt/readback.h"

#include <stdio.h>

#include "backend/xt/entry.h"
#include "backend/xt/iptc.h"
#include "policy/render.h"

struct live {
	FILE *f;
	int family;
};

/* " bytes from offset N: HEX" of an entry, at most 48 bytes of it. */
static void hex_from(FILE *f, const void *entry, size_t size, long at)
{
	const unsigned char *p = entry;
	size_t i, from = at < 0 ? 0 : (size_t)at;

	fprintf(f, "; its bytes from offset %zu: ", from);
	for (i = from; i < size && i < from + 48; i++)
		fprintf(f, "%02x", p[i]);
	if (i < size)
		fputs("...", f);
}

static void live_rule(void *ctx, int chain, const void *entry, const char *target)
{
	struct live *lv = ctx;
	struct ew_rule r;
	char why[128], line[EW_LINE_MAX];
	size_t size = ew_xt_size(entry, lv->family);
	long at;

	if (ew_xt_decode(entry, size, target, lv->family, chain, &r, why, sizeof(why))) {
		fprintf(lv->f, "-A %s (a rule earlywall does not understand: %s",
			ew_chain_names[chain], why);
		hex_from(lv->f, entry, size, ew_xt_exact(entry, size, &r, lv->family));
		fputs(")\n", lv->f);
		return;
	}
	ew_render_rule(&r, lv->family, line, sizeof(line));
	at = ew_xt_exact(entry, size, &r, lv->family);
	if (at < 0) {
		fprintf(lv->f, "%s\n", line);
		return;
	}
	fprintf(lv->f, "%s (NOT as earlywall writes it: the kernel entry differs", line);
	hex_from(lv->f, entry, size, at);
	fputs(")\n", lv->f);
}

static void live_chain(void *ctx, const char *name)
{
	fprintf(((struct live *)ctx)->f, ":%s - [0:0]\n", name);
}

static void table_text(struct ew_table *t, int family, FILE *f)
{
	static const char *const pol[] = { "ACCEPT", "DROP" };
	struct live lv = { f, family };
	int c;

	fputs("*filter\n", f);
	for (c = 0; c < EW_NCHAINS; c++) {
		int p = ew_table_policy(t, c);

		fprintf(f, ":%s %s [0:0]\n", ew_chain_names[c], p < 0 ? "?" : pol[p]);
	}
	ew_table_user_chains(t, live_chain, &lv);
	for (c = 0; c < EW_NCHAINS; c++)
		ew_table_walk(t, c, live_rule, &lv);
	fputs("COMMIT\n", f);
}

int ew_xt_live_text(int family, FILE *f, char *err, size_t n)
{
	struct ew_table *t = ew_table_open(family, err, n);

	if (!t)
		return -1;
	table_text(t, family, f);
	ew_table_close(t);
	return 0;
}
