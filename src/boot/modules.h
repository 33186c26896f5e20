/*
 * modules.h - load kernel modules without modprobe.
 */
#ifndef EW_MODULES_H
#define EW_MODULES_H

#include <stddef.h>

/*
 * Load each module with its dependencies (modules.dep) and soft
 * dependencies (modules.softdep) from /lib/modules/$(uname -r). Built-in
 * and already loaded modules count as loaded. Every module is tried;
 * returns 0, or -1 with every module that could not be loaded, and why,
 * in err ("module A: reason; module B: reason", as far as it fits).
 */
int ew_modules_load(const char *const *names, size_t n, char *err, size_t errlen);

/* The same from the module tree in dir (modules.dep and friends, and the
 * paths they name, relative to dir). */
int ew_modules_load_dir(const char *dir, const char *const *names, size_t n, char *err,
			size_t errlen);

#endif
