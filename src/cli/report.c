/*
 * cli/report.c - print what verify found, as text for people or as
 * JSON for fleet tooling.
 *
 * JSON schema "earlywall-verify/1" (one object, one line):
 *   {"schema":"earlywall-verify/1","status":"match"|"drift"|"error","exit":N,
 *    "families":[{"family":"ipv4"|"ipv6","status":"match"|"drift"|"error",
 *                 "missing":[LINE...],"unexpected":[LINE...],"error":TEXT}...]}
 * "missing" lines are in the compiled policy but not in the kernel,
 * "unexpected" lines are in the kernel only; both are iptables-save lines,
 * and together they are a shortest edit script from the one text to the
 * other. "error" appears only when that family could not be read. The
 * output is always valid UTF-8: a byte that is not part of a valid UTF-8
 * sequence is written as \u00XX, its value as a code point.
 */
#include "cli/verify.h"

#include "util/exitcode.h"

void ew_report_text(FILE *out, const struct ew_drift *d)
{
	size_t i, j;

	if (d->code > EW_EXIT_DRIFT)
		return;
	if (d->code == EW_EXIT_OK) {
		fprintf(out, "IPv%d: the live table matches the compiled policy\n", d->family);
		return;
	}
	fprintf(out, "IPv%d: drift (- compiled policy, + live kernel table)\n", d->family);
	for (i = 0, j = 0; i < d->want.n || j < d->have.n;) {
		if (i < d->want.n && d->wdiff[i])
			fprintf(out, "- %s\n", d->want.l[i++]);
		else if (j < d->have.n && d->hdiff[j])
			fprintf(out, "+ %s\n", d->have.l[j++]);
		else
			i++, j++;
	}
}

/* The length of the valid UTF-8 sequence at s (1-4), or 0. */
static int utf8_len(const unsigned char *s)
{
	int n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
		: s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0, i;
	unsigned cp;

	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n == 3) {
		cp = (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6;
		if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	if (n == 4) {
		cp = (s[0] & 0x07u) << 18 | (s[1] & 0x3fu) << 12;
		if (cp < 0x10000 || cp > 0x10ffff)
			return 0;
	}
	return n;
}

static void json_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		int n = utf8_len(s);

		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s < 0x20 || *s == 0x7f || !n)
			fprintf(out, "\\u%04x", *s);
		else
			fwrite(s, 1, (size_t)n, out);
		s += n ? n : 1;
	}
	fputc('"', out);
}

static void json_lines(FILE *out, const char *key, char **l, size_t count,
		       const unsigned char *marked)
{
	size_t i;
	int first = 1;

	fprintf(out, ",\"%s\":[", key);
	for (i = 0; i < count; i++) {
		if (!marked[i])
			continue;
		if (!first)
			fputc(',', out);
		first = 0;
		json_string(out, l[i]);
	}
	fputc(']', out);
}

static const char *status(int code)
{
	return code == EW_EXIT_OK ? "match" : code == EW_EXIT_DRIFT ? "drift" : "error";
}

static void json_family(FILE *out, const struct ew_drift *d)
{
	fprintf(out, "{\"family\":\"ipv%d\",\"status\":\"%s\"", d->family, status(d->code));
	json_lines(out, "missing", d->want.l, d->code > EW_EXIT_DRIFT ? 0 : d->want.n, d->wdiff);
	json_lines(out, "unexpected", d->have.l, d->code > EW_EXIT_DRIFT ? 0 : d->have.n, d->hdiff);
	if (d->code > EW_EXIT_DRIFT) {
		fputs(",\"error\":", out);
		json_string(out, d->err);
	}
	fputc('}', out);
}

void ew_report_foreign(FILE *out, const struct ew_foreign *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		fprintf(out, "foreign table %s: %s (%s)\n", f->it[i].table, f->it[i].detail,
			f->it[i].expected ? "expected: FOREIGN_TABLES_EXPECTED"
					  : "not earlywall's: drift");
}

static void json_foreign(FILE *out, const struct ew_foreign *f)
{
	size_t i;

	fputs(",\"foreign\":[", out);
	for (i = 0; i < f->n; i++) {
		fputs(i ? ",{\"table\":" : "{\"table\":", out);
		json_string(out, f->it[i].table);
		fputs(",\"detail\":", out);
		json_string(out, f->it[i].detail);
		fprintf(out, ",\"expected\":%s}", f->it[i].expected ? "true" : "false");
	}
	fputc(']', out);
	if (f->code > EW_EXIT_DRIFT) {
		fputs(",\"foreign_error\":", out);
		json_string(out, f->err);
	}
}

void ew_report_json(FILE *out, const struct ew_drift d[2], const struct ew_foreign *f, int code)
{
	fprintf(out, "{\"schema\":\"earlywall-verify/1\",\"status\":\"%s\",\"exit\":%d,"
		"\"families\":[", status(code), code);
	json_family(out, &d[0]);
	fputc(',', out);
	json_family(out, &d[1]);
	fputc(']', out);
	json_foreign(out, f);
	fputs("}\n", out);
}
