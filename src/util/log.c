/*
 * log.c - one line per message, to stderr or to /dev/kmsg.
 *
 * For /dev/kmsg each message is a single write of "<level>earlywall: ...",
 * so it becomes one record in dmesg and the journal. Never allocates.
 */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static int kmsg_fd = -1;

void ew_log_to_kmsg(int fd)
{
	kmsg_fd = fd;
}

void ew_log(int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int len;

	len = kmsg_fd >= 0 ? snprintf(line, sizeof(line), "<%d>earlywall: ", level)
			   : snprintf(line, sizeof(line), "earlywall: ");
	va_start(ap, fmt);
	len += vsnprintf(line + len, sizeof(line) - (size_t)len - 1, fmt, ap);
	va_end(ap);
	if (len > (int)sizeof(line) - 2)
		len = (int)sizeof(line) - 2;
	line[len++] = '\n';
	if (write(kmsg_fd >= 0 ? kmsg_fd : 2, line, (size_t)len) < 0 && kmsg_fd >= 0)
		(void)!write(2, line, (size_t)len);
}
