/*
 * main.c - dispatch: PID 1, or one of the commands. Nothing else.
 */
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "exitcode.h"
#include "init.h"

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (getpid() == 1)
		ew_init(argc, argv);            /* never returns */
	if (!strcmp(cmd, "print"))
		return ew_cmd_print(argc - 2, argv + 2);
	if (!strcmp(cmd, "verify") && argc == 3 && !strcmp(argv[2], "--json"))
		return ew_cmd_verify(1);
	if (argc > 2)
		return ew_cmd_help(EW_EXIT_USAGE);
	if (!strcmp(cmd, "apply"))
		return ew_cmd_apply();
	if (!strcmp(cmd, "verify"))
		return ew_cmd_verify(0);
	if (CONFIG_REVERT && !strcmp(cmd, "revert"))
		return ew_cmd_revert();
	if (!strcmp(cmd, "config"))
		return ew_cmd_config();
	if (!strcmp(cmd, "--version"))
		return ew_cmd_version();
	if (!strcmp(cmd, "--help"))
		return ew_cmd_help(EW_EXIT_OK);
	return ew_cmd_help(EW_EXIT_USAGE);
}
