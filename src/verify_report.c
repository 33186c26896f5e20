/*
 * verify_report.c - print what verify found, as text for people or as
 * JSON for fleet tooling.
 *
 * JSON schema "earlywall-verify/1" (one object, one line):
 *   {"schema":"earlywall-verify/1","status":"match"|"drift"|"error","exit":N,
 *    "families":[{"family":"ipv4"|"ipv6","status":"match"|"drift"|"error",
 *                 "missing":[LINE...],"unexpected":[LINE...],"error":TEXT}...]}
 * "missing" lines are in the compiled policy but not in the kernel,
 * "unexpected" lines are in the kernel only; both are iptables-save lines.
 * "error" appears only when that family could not be read.
 */
#include "verify.h"

#include "exitcode.h"

void ew_report_text(FILE *out, const struct ew_drift *d)
{
	size_t i;

	if (d->code > EW_EXIT_DRIFT)
		return;
	if (d->code == EW_EXIT_OK) {
		fprintf(out, "IPv%d: the live table matches the compiled policy\n", d->family);
		return;
	}
	fprintf(out, "IPv%d: drift (- compiled policy, + live kernel table)\n", d->family);
	for (i = d->head; i < d->wn; i++)
		fprintf(out, "- %s\n", d->want.l[i]);
	for (i = d->head; i < d->hn; i++)
		fprintf(out, "+ %s\n", d->have.l[i]);
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_lines(FILE *out, const char *key, char **l, size_t from, size_t to)
{
	size_t i;

	fprintf(out, ",\"%s\":[", key);
	for (i = from; i < to; i++) {
		if (i > from)
			fputc(',', out);
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
	json_lines(out, "missing", d->want.l, d->head, d->wn);
	json_lines(out, "unexpected", d->have.l, d->head, d->hn);
	if (d->code > EW_EXIT_DRIFT) {
		fputs(",\"error\":", out);
		json_string(out, d->err);
	}
	fputc('}', out);
}

void ew_report_json(FILE *out, const struct ew_drift d[2], int code)
{
	fprintf(out, "{\"schema\":\"earlywall-verify/1\",\"status\":\"%s\",\"exit\":%d,"
		"\"families\":[", status(code), code);
	json_family(out, &d[0]);
	fputc(',', out);
	json_family(out, &d[1]);
	fputs("]}\n", out);
}
