/*
 * bootinfo.c - facts PID 1 reads from the kernel before it locks down:
 * the kernel command line and which interfaces are already up. Neither
 * needs /sys; /proc is mounted only for the moment the command line is
 * read, when nothing had mounted it yet.
 */
#include "boot/bootinfo.h"

#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static ssize_t read_cmdline(char *buf, size_t len)
{
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, buf, len - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[got > 0 ? got : 0] = '\0';
	return got;
}

const char *ew_cmdline_init(char *buf, size_t len)
{
	static const char key[] = "earlywall.init=";
	char *p;

	if (read_cmdline(buf, len) < 0 && mount("proc", "/proc", "proc", 0, "") == 0) {
		read_cmdline(buf, len);
		umount("/proc");
	}
	for (p = buf; (p = strstr(p, key)); p++) {
		if (p == buf || p[-1] == ' ') {
			p += sizeof(key) - 1;
			p[strcspn(p, " \n")] = '\0';
			return *p ? p : NULL;
		}
	}
	return NULL;
}

void ew_interfaces_up(char *buf, size_t len)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	size_t pos = 0;

	buf[0] = '\0';
	for (i = ifs; i && i->if_index && fd >= 0; i++) {
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		if (!strcmp(i->if_name, "lo") || ioctl(fd, SIOCGIFFLAGS, &ifr) ||
		    !(ifr.ifr_flags & IFF_UP) || pos >= len)
			continue;
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", pos ? " " : "", i->if_name);
	}
	if (fd >= 0)
		close(fd);
	if (ifs)
		if_freenameindex(ifs);
}

long ew_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

long ew_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000L;
}
