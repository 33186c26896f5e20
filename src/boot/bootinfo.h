/*
 * bootinfo.h - facts PID 1 reads from the kernel before it locks down.
 */
#ifndef EW_BOOTINFO_H
#define EW_BOOTINFO_H

#include <stddef.h>

/*
 * The value of earlywall.init= on the kernel command line, copied to buf;
 * NULL when absent. Mounts /proc for the read if it is not mounted, and
 * unmounts it again, so the real init finds the system as the kernel left it.
 */
const char *ew_cmdline_init(char *buf, size_t len);

/* Names of the interfaces other than lo that are up ("" when none). */
void ew_interfaces_up(char *buf, size_t len);

/* Milliseconds and microseconds on the monotonic clock. */
long ew_now_ms(void);
long ew_now_us(void);

#endif
