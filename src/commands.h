/*
 * commands.h - the user-facing commands; each returns an EW_EXIT_* code.
 */
#ifndef EW_COMMANDS_H
#define EW_COMMANDS_H

int ew_cmd_print(int argc, char **argv);
int ew_cmd_apply(void);
int ew_cmd_verify(int json);
int ew_cmd_revert(void);
int ew_cmd_config(void);
int ew_cmd_help(int code);
int ew_cmd_version(void);

#endif
