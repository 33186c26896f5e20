/*
 * apply.c - commit rulesets for both families, or nothing.
 *
 * Order of work: read both live tables, build both new tables in memory,
 * then commit IPv4 and IPv6. A refused commit leaves that family's table as
 * it was (the kernel swaps tables atomically); a refused IPv6 commit also
 * puts the previous IPv4 table back, so a failed apply changes nothing.
 * A kernel without IPv6 (ipv6.disable=1, or built without it) has no IPv6
 * to close: only IPv4 is committed, and that is no failure.
 */
#include "backend/xt/apply.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/exitcode.h"
#include "util/faults.h"
#include "backend/xt/iptc.h"
#include "policy/render.h"
#include "backend/xt/probe.h"
#include "util/kernel.h"

static int missing(int err)
{
	return err == ENOENT || err == ENOPROTOOPT || err == EAFNOSUPPORT ||
	       err == EPROTONOSUPPORT;
}

/* 1-based position of rule i in its chain, as `iptables -L --line-numbers` shows it. */
static size_t chain_position(const struct ew_ruleset *rs, size_t i)
{
	size_t k, pos = 0;

	for (k = 0; k <= i; k++)
		pos += rs->r[k].chain == rs->r[i].chain;
	return pos;
}

/* Name the rule the kernel could not take, when one can be named. */
static int refused(const struct ew_ruleset *rs, int err, char *msg, size_t n)
{
	char why[256], line[EW_LINE_MAX];
	long i = ew_xt_culprit(rs, why, sizeof(why));

	if (i < 0)
		return missing(err) ? EW_EXIT_MISSING : EW_EXIT_REFUSED;
	ew_render_rule(&rs->r[i], rs->family, line, sizeof(line));
	snprintf(msg, n, "IPv%d %s rule %zu \"%s\": %s", rs->family,
		 ew_chain_names[rs->r[i].chain], chain_position(rs, (size_t)i), line, why);
	return EW_EXIT_MISSING;
}

static struct ew_table *prepare(const struct ew_ruleset *rs, char *err, size_t n,
				int *code)
{
	struct ew_table *t = ew_table_open(rs->family, err, n);

	*code = missing(errno) ? EW_EXIT_MISSING : EW_EXIT_REFUSED;
	if (t && ew_table_load(t, rs, err, n)) {
		ew_table_close(t);
		t = NULL;
		*code = EW_EXIT_REFUSED;
	}
	return t;
}

static int commit(struct ew_table *t, const struct ew_ruleset *rs, char *err, size_t n)
{
	int saved;

	if (!ew_table_commit(t, err, n))
		return EW_EXIT_OK;
	saved = errno;
	return refused(rs, saved, err, n) == EW_EXIT_MISSING || missing(saved)
		       ? EW_EXIT_MISSING : EW_EXIT_REFUSED;
}

/* The table read before is copied into a handle read now: the kernel wants
 * the commit to account for the entries live at this moment. */
static int put_back(struct ew_table *old, char *err, size_t n)
{
	struct ew_table *now = ew_table_open(4, err, n);
	int rc = !now || ew_table_copy(now, old, err, n) || ew_table_commit(now, err, n);

	ew_table_close(now);
	return rc;
}

static void roll_back(struct ew_table *old4, char *err, size_t n)
{
	char again[256];
	size_t used = 0;

	while (used < n && err[used])
		used++;
	if (!put_back(old4, again, sizeof(again)))
		snprintf(err + used, n - used, "; the previous IPv4 table was put back");
	else
		snprintf(err + used, n - used, "; the previous IPv4 table could not be "
			 "put back (%s), IPv4 holds the new policy", again);
}

/* IPv4 alone, on a kernel that has no IPv6. */
static int apply4(const struct ew_ruleset *v4, char *err, size_t n)
{
	int code;
	struct ew_table *t4 = prepare(v4, err, n, &code);

	if (t4)
		code = commit(t4, v4, err, n);
	ew_table_close(t4);
	return code;
}

int ew_apply(const struct ew_ruleset *v4, const struct ew_ruleset *v6,
	     char *err, size_t n)
{
	struct ew_table *t4, *t6 = NULL, *old4 = NULL;
	int code;

	if (!ew_kernel_has_ipv6())
		return apply4(v4, err, n);
	t4 = prepare(v4, err, n, &code);
	if (t4)
		t6 = prepare(v6, err, n, &code);
	if (t6) {
		old4 = ew_table_open(4, err, n);
		code = missing(errno) ? EW_EXIT_MISSING : EW_EXIT_REFUSED;
	}
	if (!old4)
		goto out;
	code = commit(t4, v4, err, n);
	if (code == EW_EXIT_OK) {
		code = commit(t6, v6, err, n);
		if (code != EW_EXIT_OK)
			roll_back(old4, err, n);
	}
out:
	ew_table_close(old4);
	ew_table_close(t6);
	ew_table_close(t4);
	return code;
}
