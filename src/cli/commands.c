/*
 * commands.c - print, apply, verify, revert, config, help, version.
 *
 * Each command builds what it needs from the compiled configuration and
 * hands it to render, apply or verify; none of them talks to libiptc
 * directly.
 */
#include "cli/commands.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend/xt/apply.h"
#include "boot/bootinfo.h"
#include "config.h"
#include "util/exitcode.h"
#include "util/log.h"
#include "policy/policy.h"
#include "policy/render.h"
#include "policy/table.h"
#include "cli/verify.h"

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

/* A usage error: what was wrong, then the usage. */
static int usage(const char *cmd, const char *what, const char *arg)
{
	ew_log(3, "%s: %s \"%s\"", cmd, what, arg);
	return ew_cmd_help(EW_EXIT_USAGE);
}

/* The command takes no arguments. */
static int no_args(const char *cmd, int argc, char **argv)
{
	return argc ? usage(cmd, "takes no arguments, got", argv[0]) : 0;
}

static int cmd_print(int argc, char **argv)
{
	int want4 = 1, want6 = 1;
	struct ew_ruleset rs[2];

	if (argc > 1)
		return usage("print", "takes one option at most, got", argv[1]);
	if (argc == 1 && strcmp(argv[0], "--ipv4") != 0 && strcmp(argv[0], "--ipv6") != 0)
		return usage("print", "unknown option", argv[0]);
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
	return EW_EXIT_OK;
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
	else if (!ew_kernel_has_ipv6())
		ew_log(6, "%s: IPv4 %zu rules committed in %ld us; IPv6 none: the kernel has "
		       "no IPv6", what, rs[0].n, ew_now_us() - start);
	else
		ew_log(6, "%s: IPv4 %zu rules, IPv6 %zu rules committed in %ld us", what,
		       rs[0].n, rs[1].n, ew_now_us() - start);
	ew_ruleset_free(&rs[0]);
	ew_ruleset_free(&rs[1]);
	return code;
}

static int cmd_apply(int argc, char **argv)
{
	struct ew_ruleset rs[2];

	if (no_args("apply", argc, argv))
		return EW_EXIT_USAGE;
	return build(rs) ? EW_EXIT_REFUSED : commit(rs, "apply");
}

static int cmd_revert(int argc, char **argv)
{
	struct ew_ruleset rs[2];

	if (no_args("revert", argc, argv))
		return EW_EXIT_USAGE;
	ew_policy_open(4, &rs[0]);
	ew_policy_open(6, &rs[1]);
	return commit(rs, "revert");
}

static int cmd_verify(int argc, char **argv)
{
	static struct ew_foreign f;
	struct ew_ruleset rs[2];
	struct ew_drift d[2];
	int code = EW_EXIT_OK, i, json = argc == 1 && !strcmp(argv[0], "--json");

	if (argc > 1)
		return usage("verify", "takes one option at most, got", argv[1]);
	if (argc == 1 && !json)
		return usage("verify", "unknown option", argv[0]);
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
	ew_verify_foreign(&f);
	if (f.code > code)
		code = f.code;
	if (f.code > EW_EXIT_DRIFT)
		ew_log(3, "verify failed: %s", f.err);
	if (json)
		ew_report_json(stdout, d, &f, code);
	else
		ew_report_foreign(stdout, &f);
	for (i = 0; i < 2; i++) {
		ew_drift_free(&d[i]);
		ew_ruleset_free(&rs[i]);
	}
	return code;
}

static int cmd_config(int argc, char **argv)
{
	if (no_args("config", argc, argv))
		return EW_EXIT_USAGE;
	fputs(ew_config_text, stdout);
	return EW_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
	if (no_args("--version", argc, argv))
		return EW_EXIT_USAGE;
	printf("earlywall %s\n", EW_VERSION);
	return EW_EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
	if (no_args("--help", argc, argv))
		return EW_EXIT_USAGE;
	return ew_cmd_help(EW_EXIT_OK);
}

static const struct ew_command commands[] = {
	{ "print", cmd_print },
	{ "apply", cmd_apply },
	{ "verify", cmd_verify },
	{ CONFIG_REVERT ? "revert" : NULL, CONFIG_REVERT ? cmd_revert : NULL }, /* only with REVERT */
	{ "config", cmd_config },
	{ "--version", cmd_version },
	{ "--help", cmd_help },
};

const struct ew_command *ew_command_find(const char *word)
{
	size_t i;

	for (i = 0; word && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].name && !strcmp(word, commands[i].name))
			return &commands[i];
	return NULL;
}

int ew_cmd_unknown(const char *word)
{
	if (!word)
		ew_log(3, "no command given");
	else
		ew_log(3, "unknown command \"%s\"", word);
	return ew_cmd_help(EW_EXIT_USAGE);
}

int ew_cmd_finish(int code)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return code;
	ew_log(3, "cannot write the output: %s", strerror(errno));
	return EW_EXIT_OUTPUT;
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
	      "As PID 1 with a command word first, it runs that command instead.\n"
	      "Exit codes: 0 ok, 1 drift, 2 usage, 3 kernel refused, 4 kernel facility missing,\n"
	      "5 writing the output failed\n",
	      f);
	return code;
}
