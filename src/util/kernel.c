/*
 * kernel.c - facts about the running kernel that every backend needs.
 */
#include "util/kernel.h"

#include <errno.h>
#include <sys/socket.h>
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
