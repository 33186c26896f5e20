/*
 * kernel.h - facts about the running kernel that every backend needs.
 */
#ifndef EW_UTIL_KERNEL_H
#define EW_UTIL_KERNEL_H

/* 0 when the kernel has no IPv6 at all (socket(AF_INET6) says
 * EAFNOSUPPORT: ipv6.disable=1, or built without IPv6). */
int ew_kernel_has_ipv6(void);

#endif
