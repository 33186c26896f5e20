/*
 * init.c - earlywall as PID 1: prepare, lock down, report, hand off.
 *
 * PID 1 must never exit, so every failure funnels into fail_policy(), which
 * applies the configured failure policy (FAIL_LOCKOUT, FAIL_HALT,
 * FAIL_OPEN), and the hand-off tries INIT_PATH (or earlywall.init= from the
 * kernel command line), then the kernel's own fallbacks, then waits
 * forever. It writes nothing to the root filesystem.
 */
#include "init.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "config.h"
#include "log.h"
#include "policy.h"
#include "table.h"

extern char **environ;

/* fds 0-2 may be closed when the kernel starts us; keep them taken. */
static void open_std_fds(void)
{
	int fd;

	do {
		fd = open("/dev/null", O_RDWR);
	} while (fd >= 0 && fd <= 2);
	if (fd > 2)
		close(fd);
}

static void open_kmsg(void)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd < 0 && mount("devtmpfs", "/dev", "devtmpfs", 0, "") == 0)
		fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0)
		ew_log_to_kmsg(fd);
}

static int commit_policy(int minimal, size_t counts[2], char *err, size_t n)
{
	struct ew_ruleset rs[2];
	int code, i;

	for (i = 0; i < 2; i++) {
		int rc = minimal ? ew_policy_minimal(4 + 2 * i, &rs[i])
				 : ew_policy_build(&ew_built_config, 4 + 2 * i, &rs[i]);

		if (rc) {
			snprintf(err, n, "out of memory");
			if (i)
				ew_ruleset_free(&rs[0]);
			return -1;
		}
	}
	code = ew_apply(&rs[0], &rs[1], err, n);
	counts[0] = rs[0].n;
	counts[1] = rs[1].n;
	ew_ruleset_free(&rs[0]);
	ew_ruleset_free(&rs[1]);
	return code;
}

/* Returns 1 when the hand-off may go ahead. */
static int fail_policy(const char *err)
{
	char again[512];
	size_t counts[2];

	if (CONFIG_FAIL_OPEN) {
		ew_log(2, "FAILED OPEN: %s; handing off WITHOUT the policy", err);
		return 1;
	}
	if (CONFIG_FAIL_HALT) {
		ew_log(2, "failed, halting (FAIL_HALT): %s", err);
		return 0;
	}
	if (commit_policy(1, counts, again, sizeof(again))) {
		ew_log(2, "failed: %s; the minimal lockdown failed too: %s; not handing off",
		       err, again);
		return 0;
	}
	ew_log(2, "failed: %s; minimal lockdown committed (loopback only), handing off", err);
	return 1;
}

static const char *init_path(char *buf, size_t len)
{
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, buf, len - 1) : -1;
	char *p;

	if (fd >= 0)
		close(fd);
	buf[got > 0 ? got : 0] = '\0';
	for (p = buf; (p = strstr(p, "earlywall.init=")); p++) {
		if (p == buf || p[-1] == ' ') {
			p += strlen("earlywall.init=");
			p[strcspn(p, " \n")] = '\0';
			return p;
		}
	}
	return CONFIG_INIT_PATH;
}

static void __attribute__((noreturn)) hand_off(char **argv)
{
	static const char *const fallback[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };
	char cmdline[4096];
	const char *path = init_path(cmdline, sizeof(cmdline));
	sigset_t none;
	size_t i;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, argv, environ);
	ew_log(3, "exec %s failed, trying the fallbacks", path);
	for (i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++)
		execve(fallback[i], argv, environ);
	ew_log(2, "nothing to exec; waiting forever");
	for (;;)
		pause();
}

static void __attribute__((noreturn)) wait_forever(void)
{
	for (;;)
		pause();
}

void ew_init(int argc, char **argv)
{
	char err[1024] = "";
	size_t counts[2] = { 0, 0 };

	(void)argc;
	open_std_fds();
	open_kmsg();
	if (commit_policy(0, counts, err, sizeof(err)) == 0)
		ew_log(5, "policy committed: IPv4 %zu rules, IPv6 %zu rules", counts[0],
		       counts[1]);
	else if (!fail_policy(err))
		wait_forever();
	hand_off(argv);
}
