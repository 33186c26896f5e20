/*
 * verify.c - compare the live filter tables with the compiled policy.
 *
 * Both sides become iptables-save text: the expected side from render.c,
 * the live side by decoding each kernel entry into an abstract rule and
 * rendering that. Each live entry is then compared byte for byte with the
 * entry earlywall would write for what it decoded to (ew_xt_exact), so
 * nothing the decoder does not look at can hide: an entry that differs, or
 * that cannot be decoded, is shown with the hex of its bytes from the
 * first one that differs, which is drift by definition. The text is only
 * the way to show the difference: a shortest edit script (cli/diff.c)
 * marks the lines only the policy has and the lines only the kernel has;
 * cli/report.c prints them.
 */
#include "cli/verify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/exitcode.h"
#include "backend/xt/iptc.h"
#include "policy/render.h"
#include "backend/xt/entry.h"

struct live {
	FILE *f;
	int family;
};

static int split(struct ew_lines *t)
{
	char *p = t->buf, *nl;

	t->n = 0;
	t->l = NULL;
	while (p && (nl = strchr(p, '\n'))) {
		char **grown = realloc(t->l, (t->n + 1) * sizeof(*grown));

		if (!grown)
			return -1;
		t->l = grown;
		*nl = '\0';
		t->l[t->n++] = p;
		p = nl + 1;
	}
	return 0;
}

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

static void live_text(struct ew_table *t, int family, FILE *f)
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

static int compare(struct ew_drift *d)
{
	size_t i;

	d->wdiff = calloc(d->want.n + 1, 1);
	d->hdiff = calloc(d->have.n + 1, 1);
	if (!d->wdiff || !d->hdiff ||
	    ew_diff(d->want.l, d->want.n, d->have.l, d->have.n, d->wdiff, d->hdiff))
		return -1;
	d->code = EW_EXIT_OK;
	for (i = 0; i < d->want.n; i++)
		if (d->wdiff[i])
			d->code = EW_EXIT_DRIFT;
	for (i = 0; i < d->have.n; i++)
		if (d->hdiff[i])
			d->code = EW_EXIT_DRIFT;
	return 0;
}

/* Both sides as text; -1 when out of memory. */
static int both_texts(const struct ew_ruleset *want, struct ew_table *t, struct ew_drift *d)
{
	FILE *fw = open_memstream(&d->want.buf, &d->want.size);
	FILE *fh = open_memstream(&d->have.buf, &d->have.size);
	int rc = 0;

	if (fw)
		ew_render(fw, want);
	if (fh)
		live_text(t, want->family, fh);
	if (!fw || fclose(fw))
		rc = -1;
	if (!fh || fclose(fh))
		rc = -1;
	return rc || split(&d->want) || split(&d->have) ? -1 : 0;
}

void ew_verify_family(const struct ew_ruleset *want, struct ew_drift *d)
{
	struct ew_table *t;

	memset(d, 0, sizeof(*d));
	d->family = want->family;
	t = ew_table_open(want->family, d->err, sizeof(d->err));
	if (!t) {
		d->code = errno == EPERM ? EW_EXIT_REFUSED : EW_EXIT_MISSING;
		return;
	}
	if (both_texts(want, t, d) || compare(d)) {
		snprintf(d->err, sizeof(d->err), "out of memory");
		d->code = EW_EXIT_REFUSED;
	}
	ew_table_close(t);
}

void ew_drift_free(struct ew_drift *d)
{
	free(d->want.buf);
	free(d->want.l);
	free(d->have.buf);
	free(d->have.l);
	free(d->wdiff);
	free(d->hdiff);
	memset(d, 0, sizeof(*d));
}
