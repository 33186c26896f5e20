/*
 * commands.h - the user-facing commands; each returns an EW_EXIT_* code.
 */
#ifndef EW_COMMANDS_H
#define EW_COMMANDS_H

struct ew_command {
	const char *name;
	int (*run)(int argc, char **argv);      /* the arguments after the name */
};

/* The command named word, or NULL (also for NULL, and for revert in a
 * build without REVERT). */
const struct ew_command *ew_command_find(const char *word);

/* No command given, or an unknown one: say which, print the usage, exit 2. */
int ew_cmd_unknown(const char *word);

/* After a command: a failed write to stdout turns code into
 * EW_EXIT_OUTPUT, with a message on stderr. */
int ew_cmd_finish(int code);

int ew_cmd_help(int code);

#endif
