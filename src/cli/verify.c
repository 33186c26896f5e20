/*
 * verify.c - compare the live tables with the compiled policy.
 *
 * The backend reads both sides back as lines: what a commit would leave
 * and what the kernel holds, exact to the byte (libiptc: iptables-save
 * text, each entry re-encoded and compared; nftables: every attribute of
 * every object, see backend/nft/canon.c). The text is only the way to
 * show the difference: a shortest edit script (cli/diff.c)
 * marks the lines only the policy has and the lines only the kernel has;
 * cli/report.c prints them.
 */
#include "cli/verify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/exitcode.h"

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

/* Both sides as text; -1 with d->err set. */
static int both_texts(const struct ew_backend *be, const struct ew_ruleset *want,
		      struct ew_drift *d)
{
	FILE *fw = open_memstream(&d->want.buf, &d->want.size);
	FILE *fh = open_memstream(&d->have.buf, &d->have.size);
	int rc = 0, live = 0, saved;

	if (fw && be->want_text(want, fw))
		rc = -1;
	if (fh)
		live = be->live_text(want->family, fh, d->err, sizeof(d->err));
	saved = errno;
	if (!fw || fclose(fw))
		rc = -1;
	if (!fh || fclose(fh))
		rc = -1;
	if (rc || split(&d->want) || split(&d->have))
		return snprintf(d->err, sizeof(d->err), "out of memory"), -1;
	errno = saved;
	return live;
}

void ew_verify_family(const struct ew_backend *be, const struct ew_ruleset *want,
		      struct ew_drift *d)
{
	memset(d, 0, sizeof(*d));
	d->family = want->family;
	d->backend = be->name;
	if (both_texts(be, want, d)) {
		d->code = errno == EPERM || errno == EACCES || errno == ENOMEM ? EW_EXIT_REFUSED
									       : EW_EXIT_MISSING;
		return;
	}
	if (compare(d)) {
		snprintf(d->err, sizeof(d->err), "out of memory");
		d->code = EW_EXIT_REFUSED;
	}
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
