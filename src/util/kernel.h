/*
 * kernel.h - facts about the running kernel that every backend needs.
 */
#ifndef EW_UTIL_KERNEL_H
#define EW_UTIL_KERNEL_H

#include <stddef.h>

/* 0 when the kernel has no IPv6 at all (socket(AF_INET6) says
 * EAFNOSUPPORT: ipv6.disable=1, or built without IPv6). */
int ew_kernel_has_ipv6(void);

/* The legacy tables this network namespace has, one name a line, into
 * buf (n bytes, NUL-terminated): the length, or -1 with errno when the list
 * cannot be read (ENOENT: no legacy xtables; EACCES: it is root's only). */
long ew_legacy_tables(int family, char *buf, size_t n);

/* 1 when the running kernel is older than major.minor (its release in
 * release, n bytes); 0 when it is not, or cannot be told. */
int ew_kernel_older(int major, int minor, char *release, size_t n);

#endif
