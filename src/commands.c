/*
 * commands.c - print, apply, verify, revert, config, help, version.
 *
 * Each command builds what it needs from the compiled configuration and
 * hands it to render, apply or verify; none of them talks to libiptc
 * directly.
 */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "apply.h"
#include "bootinfo.h"
#include "config.h"
#include "exitcode.h"
#include "log.h"
#include "policy.h"
#include "render.h"
#include "table.h"
#include "verify.h"

#ifndef EW_VERSION
#define EW_VERSION "unknown"
#endif

static int build(struct ew_ruleset rs[2])
{
	if (!ew_policy_build(&ew_built_config, 4, &rs[0]) &&
	    !ew_policy_build(&ew_built_config, 6, &rs[1]))
		return 0;
	ew_ruleset_free(&rs[0]);
	ew_log(3, "out of memory building the policy");
	return -1;
}

int ew_cmd_print(int argc, char **argv)
{
	int want4 = 1, want6 = 1;
	struct ew_ruleset rs[2];

	if (argc > 1 || (argc == 1 && strcmp(argv[0], "--ipv4") != 0 &&
			       strcmp(argv[0], "--ipv6") != 0))
		return ew_cmd_help(EW_EXIT_USAGE);
	if (argc == 1) {
		want4 = !strcmp(argv[0], "--ipv4");
		want6 = !want4;
	}
	if (build(rs))
		return EW_EXIT_REFUSED;
	if (want4)
		ew_render(stdout, &rs[0]);
	if (want6)
		ew_render(stdout, &rs[1]);
	ew_ruleset_free(&rs[0]);
	ew_ruleset_free(&rs[1]);
	return fflush(stdout) ? EW_EXIT_REFUSED : EW_EXIT_OK;
}

/* Commit both families; the log line carries the time the commit took
 * in-process (what `make bench` reports beside the whole process). */
static int commit(struct ew_ruleset rs[2], const char *what)
{
	char err[1024] = "";
	long start = ew_now_us();
	int code = ew_apply(&rs[0], &rs[1], err, sizeof(err));

	if (code)
		ew_log(3, "%s failed: %s", what, err);
	else
		ew_log(6, "%s: IPv4 %zu rules, IPv6 %zu rules committed in %ld us", what,
		       rs[0].n, rs[1].n, ew_now_us() - start);
	ew_ruleset_free(&rs[0]);
	ew_ruleset_free(&rs[1]);
	return code;
}

int ew_cmd_apply(void)
{
	struct ew_ruleset rs[2];

	return build(rs) ? EW_EXIT_REFUSED : commit(rs, "apply");
}

int ew_cmd_revert(void)
{
	struct ew_ruleset rs[2];

	ew_policy_open(4, &rs[0]);
	ew_policy_open(6, &rs[1]);
	return commit(rs, "revert");
}

int ew_cmd_verify(int json)
{
	struct ew_ruleset rs[2];
	struct ew_drift d[2];
	int code = EW_EXIT_OK, i;

	if (build(rs))
		return EW_EXIT_REFUSED;
	for (i = 0; i < 2; i++) {
		ew_verify_family(&rs[i], &d[i]);
		if (d[i].code > code)
			code = d[i].code;
		if (d[i].code > EW_EXIT_DRIFT)
			ew_log(3, "verify failed: %s", d[i].err);
		if (!json)
			ew_report_text(stdout, &d[i]);
	}
	if (json)
		ew_report_json(stdout, d, code);
	for (i = 0; i < 2; i++) {
		ew_drift_free(&d[i]);
		ew_ruleset_free(&rs[i]);
	}
	return code;
}

int ew_cmd_config(void)
{
	fputs(ew_config_text, stdout);
	return EW_EXIT_OK;
}

int ew_cmd_version(void)
{
	printf("earlywall %s\n", EW_VERSION);
	return EW_EXIT_OK;
}

int ew_cmd_help(int code)
{
	FILE *f = code ? stderr : stdout;

	fputs("usage: earlywall COMMAND\n"
	      "  print [--ipv4|--ipv6]  the compiled policy as iptables-save text\n"
	      "  apply                  commit the policy now (CAP_NET_ADMIN)\n"
	      "  verify [--json]        compare the live tables with the policy;\n"
	      "                         exit 1 and show the difference on drift\n", f);
	if (CONFIG_REVERT)
		fputs("  revert                 open everything: ACCEPT policies, "
		      "empty filter tables\n", f);
	fputs("  config                 the configuration this binary was built with\n"
	      "  --version, --help\n"
	      "As PID 1 it locks the network down, then execs " CONFIG_INIT_PATH ".\n"
	      "Exit codes: 0 ok, 1 drift, 2 usage, 3 kernel refused, 4 kernel facility missing\n",
	      f);
	return code;
}
