/*
 * log.h - messages: stderr for commands, /dev/kmsg for PID 1.
 */
#ifndef EW_LOG_H
#define EW_LOG_H

/* Send later messages to the kernel log (fd open on /dev/kmsg). */
void ew_log_to_kmsg(int fd);

/* One line, prefixed "earlywall: ". level is a syslog level (3 err, 6 info). */
void ew_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
