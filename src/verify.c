/*
 * verify.c - compare the live filter tables with the compiled policy.
 *
 * Both sides become iptables-save text: the expected side from render.c,
 * the live side by decoding each kernel entry into an abstract rule and
 * rendering that. A rule that cannot be decoded is shown as not understood,
 * which is drift by definition. The difference is the lines only the policy
 * has and the lines only the kernel has, between the common head and tail;
 * verify_report.c prints it.
 */
#include "verify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "iptc.h"
#include "render.h"
#include "xt_entry.h"

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

static void live_rule(void *ctx, int chain, const void *entry, const char *target)
{
	struct live *lv = ctx;
	struct ew_rule r;
	char why[128], line[EW_LINE_MAX];

	if (ew_xt_decode(entry, target, lv->family, chain, &r, why, sizeof(why))) {
		fprintf(lv->f, "-A %s (a rule earlywall does not understand: %s)\n",
			ew_chain_names[chain], why);
		return;
	}
	ew_render_rule(&r, lv->family, line, sizeof(line));
	fprintf(lv->f, "%s\n", line);
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

static void compare(struct ew_drift *d)
{
	const struct ew_lines *w = &d->want, *h = &d->have;

	d->head = 0;
	d->wn = w->n;
	d->hn = h->n;
	while (d->head < d->wn && d->head < d->hn && !strcmp(w->l[d->head], h->l[d->head]))
		d->head++;
	while (d->wn > d->head && d->hn > d->head &&
	       !strcmp(w->l[d->wn - 1], h->l[d->hn - 1])) {
		d->wn--;
		d->hn--;
	}
	d->code = d->wn > d->head || d->hn > d->head ? EW_EXIT_DRIFT : EW_EXIT_OK;
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
	if (both_texts(want, t, d)) {
		snprintf(d->err, sizeof(d->err), "out of memory");
		d->code = EW_EXIT_REFUSED;
	} else {
		compare(d);
	}
	ew_table_close(t);
}

void ew_drift_free(struct ew_drift *d)
{
	free(d->want.buf);
	free(d->want.l);
	free(d->have.buf);
	free(d->have.l);
	memset(d, 0, sizeof(*d));
}
