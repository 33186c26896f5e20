/*
 * verify.c - compare the live filter tables with the compiled policy.
 *
 * Both sides become iptables-save text: the expected side from render.c,
 * the live side by decoding each kernel entry into an abstract rule and
 * rendering that. A rule that cannot be decoded is shown as not understood,
 * which is drift by definition. The difference is printed as the lines only
 * the policy has (-) and the lines only the kernel has (+), between the
 * common head and tail.
 */
#include "verify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "iptc.h"
#include "render.h"
#include "xt_entry.h"

struct text {
	char *buf;
	size_t size, n;
	char **l;
};

struct live {
	FILE *f;
	int family;
};

static int split(struct text *t)
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

static void text_free(struct text *t)
{
	free(t->buf);
	free(t->l);
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

static void diff(const struct text *want, const struct text *have, int family, FILE *out)
{
	size_t head = 0, wn = want->n, hn = have->n, i;

	while (head < wn && head < hn && !strcmp(want->l[head], have->l[head]))
		head++;
	while (wn > head && hn > head && !strcmp(want->l[wn - 1], have->l[hn - 1])) {
		wn--;
		hn--;
	}
	fprintf(out, "IPv%d: drift (- compiled policy, + live kernel table)\n", family);
	for (i = head; i < wn; i++)
		fprintf(out, "- %s\n", want->l[i]);
	for (i = head; i < hn; i++)
		fprintf(out, "+ %s\n", have->l[i]);
}

static int same(const struct text *a, const struct text *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->l[i], b->l[i]))
			return 0;
	return 1;
}

static int verify_family(const struct ew_ruleset *want, FILE *out, char *err, size_t n)
{
	struct text w = { 0 }, h = { 0 };
	struct ew_table *t = ew_table_open(want->family, err, n);
	FILE *fw, *fh;
	int rc;

	if (!t)
		return errno == EPERM ? EW_EXIT_REFUSED : EW_EXIT_MISSING;
	fw = open_memstream(&w.buf, &w.size);
	fh = open_memstream(&h.buf, &h.size);
	if (fw)
		ew_render(fw, want);
	if (fh)
		live_text(t, want->family, fh);
	rc = 0;
	if (!fw || fclose(fw))
		rc = -1;
	if (!fh || fclose(fh))
		rc = -1;
	ew_table_close(t);
	if (rc || split(&w) || split(&h)) {
		snprintf(err, n, "out of memory");
		rc = EW_EXIT_REFUSED;
	} else if (same(&w, &h)) {
		fprintf(out, "IPv%d: the live table matches the compiled policy\n", want->family);
	} else {
		diff(&w, &h, want->family, out);
		rc = EW_EXIT_DRIFT;
	}
	text_free(&w);
	text_free(&h);
	return rc;
}

int ew_verify(const struct ew_ruleset *want[2], FILE *out, char *err, size_t n)
{
	int worst = EW_EXIT_OK, i;

	for (i = 0; i < 2; i++) {
		int rc = verify_family(want[i], out, err, n);

		if (rc > EW_EXIT_DRIFT)
			return rc;
		if (rc)
			worst = rc;
	}
	return worst;
}
