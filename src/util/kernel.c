/*
 * kernel.c - facts about the running kernel that every backend needs.
 */
#include "util/kernel.h"

#include <errno.h>
#include <fcntl.h>
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

/* The number at s[*at], moving *at past it; -1 when there is none. (No
 * sscanf: it would bring in all of scanf, 14 KiB of the binary.) */
static int number(const char *s, size_t *at)
{
	int v = 0, digits = 0;

	for (; s[*at] >= '0' && s[*at] <= '9' && v < 100000; (*at)++, digits++)
		v = v * 10 + (s[*at] - '0');
	return digits ? v : -1;
}

int ew_kernel_older(int major, int minor, char *release, size_t n)
{
	struct utsname u;
	size_t at = 0;
	int ma, mi = -1;

	if (uname(&u))
		return 0;       /* cannot tell: let the kernel say */
	ma = number(u.release, &at);
	if (u.release[at] == '.') {
		at++;
		mi = number(u.release, &at);
	}
	if (ma < 0 || mi < 0)
		return 0;
	snprintf(release, n, "%s", u.release);
	return ma < major || (ma == major && mi < minor);
}

long ew_legacy_tables(int family, char *buf, size_t n)
{
	int fd = open(family == 4 ? "/proc/net/ip_tables_names" : "/proc/net/ip6_tables_names",
		      O_RDONLY | O_CLOEXEC);
	ssize_t got;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	got = read(fd, buf, n - 1);
	close(fd);
	buf[got > 0 ? got : 0] = '\0';
	return got > 0 ? got : 0;
}
