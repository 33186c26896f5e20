/*
 * main.c - dispatch: one of the commands, or PID 1. Nothing else.
 *
 * The rule: a first argument that names one of earlywall's commands runs
 * that command, whatever the PID, so `earlywall verify` as PID 1 of a
 * container verifies and exits, and never commits or execs anything. Only
 * as PID 1 with no command word (the kernel's argv: nothing, or words such
 * as "single") is it a boot. Do not put a bare command word ("apply",
 * "verify", ...) on a kernel command line: the kernel passes such words to
 * init as arguments.
 */
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "boot/init.h"

int main(int argc, char **argv)
{
	const struct ew_command *cmd = ew_command_find(argc > 1 ? argv[1] : NULL);

	if (!cmd && getpid() == 1)
		ew_init(argc, argv);            /* never returns */
	if (!cmd)
		return ew_cmd_unknown(argc > 1 ? argv[1] : NULL);
	return ew_cmd_finish(cmd->run(argc - 2, argv + 2));
}
