/*
 * backend/xt/probe.c - ask the kernel which xtables extensions (matches, targets,
 * at which revision) it has, with the same getsockopt iptables uses. A
 * commit refused with ENOENT says only that something is missing; this
 * finds which rule needs it, so the error can name the rule.
 */
#include "backend/xt/probe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend/xt/entry.h"
#include "backend/xt/kernel.h"

static int probe(int fd, int family, const struct ew_xt_ext *x)
{
	struct xt_get_revision rev;
	socklen_t len = sizeof(rev);
	int level = family == 4 ? IPPROTO_IP : IPPROTO_IPV6;
	int opt = family == 4 ? (x->is_target ? IPT_SO_GET_REVISION_TARGET
					      : IPT_SO_GET_REVISION_MATCH)
			      : (x->is_target ? IP6T_SO_GET_REVISION_TARGET
					      : IP6T_SO_GET_REVISION_MATCH);

	memset(&rev, 0, sizeof(rev));
	strncpy(rev.name, x->name, sizeof(rev.name) - 1);
	rev.revision = x->revision;
	return getsockopt(fd, level, opt, &rev, &len) ? errno : 0;
}

static int rule_missing(int fd, int family, const struct ew_rule *r,
			char *why, size_t n)
{
	struct ew_xt_ext ext[EW_XT_MAX_EXT];
	int count = ew_xt_extensions(r, family, ext), i, err;

	for (i = 0; i < count; i++) {
		if (!strcmp(ext[i].name, "ACCEPT") || !strcmp(ext[i].name, "DROP"))
			continue;
		err = probe(fd, family, &ext[i]);
		if (!err)
			continue;
		snprintf(why, n, "the kernel has no %s \"%s\" revision %u: %s",
			 ext[i].is_target ? "target" : "match", ext[i].name,
			 ext[i].revision, strerror(err));
		return 1;
	}
	return 0;
}

long ew_xt_culprit(const struct ew_ruleset *rs, char *why, size_t n)
{
	int fd = socket(rs->family == 4 ? AF_INET : AF_INET6, SOCK_RAW, IPPROTO_RAW);
	size_t i;
	long found = -1;

	if (fd < 0)
		return -1;
	for (i = 0; i < rs->n && found < 0; i++)
		if (rule_missing(fd, rs->family, &rs->r[i], why, n))
			found = (long)i;
	close(fd);
	return found;
}
