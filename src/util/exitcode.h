/*
 * exitcode.h - what earlywall's exit status means (a public interface).
 */
#ifndef EW_EXITCODE_H
#define EW_EXITCODE_H

enum {
	EW_EXIT_OK = 0,
	EW_EXIT_DRIFT = 1,      /* verify: the kernel holds something else */
	EW_EXIT_USAGE = 2,
	EW_EXIT_REFUSED = 3,    /* the kernel refused; the message names the rule */
	EW_EXIT_MISSING = 4,    /* a kernel facility (module, table) is missing */
	EW_EXIT_OUTPUT = 5,     /* writing the output failed (stdout closed, disk full) */
};

#endif
