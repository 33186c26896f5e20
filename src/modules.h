/*
 * modules.h - load kernel modules without modprobe.
 */
#ifndef EW_MODULES_H
#define EW_MODULES_H

#include <stddef.h>

/*
 * Load each module with its dependencies (modules.dep) and soft
 * dependencies (modules.softdep) from /lib/modules/$(uname -r). Built-in
 * and already loaded modules count as loaded. Returns 0, or -1 with the
 * first module that could not be loaded and why in err.
 */
int ew_modules_load(const char *const *names, size_t n, char *err, size_t errlen);

#endif
