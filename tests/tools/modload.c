/*
 * modload.c - test tool: run earlywall's module loader (src/boot/modules.c) on a
 * module tree. Built only for tests/modules.bats.
 *
 *   modload DIR NAME...
 *
 * Prints "rc=N", then each failure the loader reported, one per line.
 */
#include <stdio.h>
#include <string.h>

#include "boot/modules.h"

int main(int argc, char **argv)
{
	char err[4096], *p, *next;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR NAME...\n", argv[0]);
		return 2;
	}
	rc = ew_modules_load_dir(argv[1], (const char *const *)argv + 2, (size_t)argc - 2, err,
				 sizeof(err));
	printf("rc=%d\n", rc);
	for (p = err; *p; p = next) {
		next = strstr(p, "; ");
		if (next)
			*next = '\0', next += 2;
		else
			next = p + strlen(p);
		printf("%s\n", p);
	}
	return 0;
}
