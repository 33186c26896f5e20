/*
 * commands.c - print, apply, verify, revert, config, help, version.
 *
 * Each command builds what it needs from the compiled configuration and
 * hands it to a renderer, or to the backends through backend.h (in the
 * build's order of preference); none of them talks to libiptc or netlink.
 */
#include "cli/commands.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "boot/bootinfo.h"
#include "cli/verify.h"
#include "config.h"
#include "policy/nftplan.h"
#include "policy/policy.h"
#include "policy/render.h"
#include "policy/render_nft.h"
#include "policy/table.h"
#include "util/exitcode.h"
#include "util/kernel.h"
#include "util/log.h"

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

/* print's options: at most one of --nft/--iptables, one of --ipv4/--ipv6. */
static int print_options(int argc, char **argv, int *nft, int want[2])
{
	int i, format = 0, family = 0;

	*nft = !CONFIG_BACKEND_IPTABLES;        /* the preferred backend's text */
	want[0] = want[1] = 1;
	for (i = 0; i < argc; i++) {
		int fmt = !strcmp(argv[i], "--nft") ? 1 : !strcmp(argv[i], "--iptables") ? 2 : 0;
		int fam = !strcmp(argv[i], "--ipv4") ? 4 : !strcmp(argv[i], "--ipv6") ? 6 : 0;

		if ((!fmt && !fam) || (fmt && format) || (fam && family))
			return usage("print", fmt || fam ? "takes one format and one family at "
				     "most, got" : "unknown option", argv[i]);
		if (fmt)
			*nft = (format = fmt) == 1;
		if (fam) {
			family = fam;
			want[0] = fam == 4;
			want[1] = fam == 6;
		}
	}
	return 0;
}

static int print_nft(FILE *f, const struct ew_ruleset *rs)
{
	struct ew_nft_plan p;

	if (ew_nft_plan(rs, &p))
		return -1;
	ew_render_nft(f, &p);
	ew_nft_plan_free(&p);
	return 0;
}

static int cmd_print(int argc, char **argv)
{
	int want[2], nft, i, rc = 0;
	struct ew_ruleset rs[2];

	if (print_options(argc, argv, &nft, want))
		return EW_EXIT_USAGE;
	if (build(rs))
		return EW_EXIT_REFUSED;
	for (i = 0; i < 2; i++) {
		if (!want[i])
			continue;
		if (!nft)
			ew_render(stdout, &rs[i]);
		else if (print_nft(stdout, &rs[i]))
			rc = -1;
	}
	ew_ruleset_free(&rs[0]);
	ew_ruleset_free(&rs[1]);
	if (rc)
		ew_log(3, "out of memory building the policy");
	return rc ? EW_EXIT_REFUSED : EW_EXIT_OK;
}

/* Commit both families with be; the log line carries the time the commit
 * took in-process (what `make bench` reports beside the whole process). */
static int commit_with(const struct ew_backend *be, struct ew_ruleset rs[2], const char *what)
{
	char err[1024] = "";
	long start = ew_now_us();
	int code = be->commit(&rs[0], &rs[1], err, sizeof(err));

	if (code)
		ew_log(3, "%s failed with %s: %s", what, be->name, err);
	else if (!ew_kernel_has_ipv6())
		ew_log(6, "%s: IPv4 %zu rules committed in %ld us with %s; IPv6 none: the "
		       "kernel has no IPv6", what, rs[0].n, ew_now_us() - start, be->name);
	else
		ew_log(6, "%s: IPv4 %zu rules, IPv6 %zu rules committed in %ld us with %s",
		       what, rs[0].n, rs[1].n, ew_now_us() - start, be->name);
	return code;
}

/* Whatever earlywall left in the backends other than be goes: one
 * policy in force. It goes after be's commit, so there is no gap. */
static void clear_others(const struct ew_backend *be, const struct ew_backend *all[2], size_t n)
{
	char err[512];
	size_t i;

	for (i = 0; i < n; i++) {
		if (all[i] == be || all[i]->holds() != 1)
			continue;
		if (all[i]->remove(err, sizeof(err)))
			ew_log(3, "removing the earlier policy from %s failed: %s", all[i]->name, err);
		else
			ew_log(6, "removed the earlier policy from %s", all[i]->name);
	}
}

static int cmd_apply(int argc, char **argv)
{
	const struct ew_backend *be[2];
	struct ew_ruleset rs[2];
	size_t n = ew_backends(be), i;
	int code = EW_EXIT_REFUSED;

	if (no_args("apply", argc, argv))
		return EW_EXIT_USAGE;
	if (build(rs))
		return EW_EXIT_REFUSED;
	for (i = 0; i < n; i++) {
		int c = commit_with(be[i], rs, "apply");

		if (i == 0 || !c)
			code = c;
		if (!c) {
			clear_others(be[i], be, n);
			break;
		}
	}
	ew_ruleset_free(&rs[0]);
	ew_ruleset_free(&rs[1]);
	return code;
}

static int cmd_revert(int argc, char **argv)
{
	const struct ew_backend *be[2];
	size_t n = ew_backends(be), i;
	char err[1024];
	int code = EW_EXIT_OK;

	if (no_args("revert", argc, argv))
		return EW_EXIT_USAGE;
	for (i = 0; i < n; i++) {
		int c = be[i]->remove(err, sizeof(err));

		if (c)
			ew_log(3, "revert with %s failed: %s", be[i]->name, err);
		else
			ew_log(6, "revert: nothing of earlywall's left in %s", be[i]->name);
		if (c > code)
			code = c;
	}
	return code;
}

/* The backend to verify: the one that holds earlywall's policy, else the
 * preferred one; the others that hold one too are reported. */
static const struct ew_backend *verified(struct ew_foreign *f)
{
	const struct ew_backend *be[2], *chosen = NULL;
	size_t n = ew_backends(be), i;

	int held[2];

	for (i = 0; i < n; i++) {
		held[i] = be[i]->holds();
		if (held[i] < 0)
			ew_foreign_unreadable(f, be[i]->name, strerror(errno));
		if (held[i] == 1 && !chosen)
			chosen = be[i];
	}
	if (!chosen)
		chosen = be[0];
	for (i = 0; i < n; i++)
		if (be[i] != chosen && held[i] == 1)
			ew_foreign_other(f, be[i]->name, chosen->name);
	return chosen;
}

static int cmd_verify(int argc, char **argv)
{
	static struct ew_foreign f;
	const struct ew_backend *be;
	struct ew_ruleset rs[2];
	struct ew_drift d[2];
	int code = EW_EXIT_OK, i, json = argc == 1 && !strcmp(argv[0], "--json");

	if (argc > 1)
		return usage("verify", "takes one option at most, got", argv[1]);
	if (argc == 1 && !json)
		return usage("verify", "unknown option", argv[0]);
	if (build(rs))
		return EW_EXIT_REFUSED;
	ew_verify_foreign(&f);
	be = verified(&f);
	for (i = 0; i < 2; i++) {
		ew_verify_family(be, &rs[i], &d[i]);
		if (d[i].code > code)
			code = d[i].code;
		if (d[i].code > EW_EXIT_DRIFT)
			ew_log(3, "verify failed: %s", d[i].err);
		if (!json)
			ew_report_text(stdout, &d[i]);
	}
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
	      "  print [--nft|--iptables] [--ipv4|--ipv6]\n"
	      "                         the compiled policy as nft or iptables-save text\n"
	      "                         (bare: as the preferred backend commits it)\n"
	      "  apply                  commit the policy now (CAP_NET_ADMIN)\n"
	      "  verify [--json]        compare the live tables with the policy;\n"
	      "                         exit 1 and show the difference on drift\n", f);
	if (CONFIG_REVERT)
		fputs("  revert                 open everything: no earlywall tables, "
		      "ACCEPT policies\n", f);
	fputs("  config                 the configuration this binary was built with\n"
	      "  --version, --help\n"
	      "As PID 1 it locks the network down, then execs " CONFIG_INIT_PATH ".\n"
	      "As PID 1 with a command word first, it runs that command instead.\n"
	      "Exit codes: 0 ok, 1 drift, 2 usage, 3 kernel refused, 4 kernel facility missing,\n"
	      "5 writing the output failed\n",
	      f);
	return code;
}
