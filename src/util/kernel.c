/*
 * kernel.c - facts about the running kernel that every backend needs.
 */
#include "util/kernel.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util/faults.h"

int ew_kernel_has_ipv6(void)
{
	int fd;

	if (EW_FAULTS && ew_fault("noipv6"))
		return 0;
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		close(fd);
	return fd >= 0 || errno != EAFNOSUPPORT;
}

int ew_kernel_older(int major, int minor, char *release, size_t n)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return 0;       /* cannot tell: let the kernel say */
	snprintf(release, n, "%s", u.release);
	return ma < major || (ma == major && mi < minor);
}
