/*
 * init.c - earlywall as PID 1: prepare, lock down, report, hand off.
 *
 * The sequence reads top to bottom in ew_init(). PID 1 must never exit:
 * every failure funnels into fail_policy(), which applies the configured
 * failure policy (FAIL_LOCKOUT, FAIL_HALT, FAIL_OPEN); when nothing may or
 * can be exec'd it waits forever. The outcome is one line in /dev/kmsg,
 * the device's own per-boot evidence. Nothing is written to the root
 * filesystem.
 */
#include "boot/init.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend.h"
#include "boot/bootinfo.h"
#include "boot/modules.h"
#include "config.h"
#include "policy/policy.h"
#include "policy/table.h"
#include "util/kernel.h"
#include "util/log.h"

extern char **environ;

struct boot {
	char up[256];           /* interfaces up before the commit */
	char modules_err[512];
	char err[1024];
	size_t rules[2];
	int ipv6;               /* the kernel has IPv6 */
	long started;
	int hand_off;
	char outcome[4096];
};

/* /dev may be empty or unmounted (no /dev/kmsg): devtmpfs first, so that
 * the fds taken below are /dev/null, not whatever opens next. */
static void mount_dev(void)
{
	if (access("/dev/kmsg", F_OK))
		mount("devtmpfs", "/dev", "devtmpfs", 0, "");
}

/* fds 0-2 may be closed when the kernel starts us; keep them taken, so the
 * real init gets them open and no later fd lands on 0-2. */
static void open_std_fds(void)
{
	int fd;

	do {
		fd = open("/dev/null", O_RDWR | O_NOCTTY);
	} while (fd >= 0 && fd <= 2);
	if (fd > 2)
		close(fd);
}

static void open_kmsg(void)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd >= 0)
		ew_log_to_kmsg(fd);
}

static int build(int minimal, struct ew_ruleset rs[2])
{
	int i;

	for (i = 0; i < 2; i++) {
		int rc = minimal ? ew_policy_minimal(4 + 2 * i, &rs[i])
				 : ew_policy_build(&ew_built_config, 4 + 2 * i, &rs[i]);

		if (rc) {
			if (i)
				ew_ruleset_free(&rs[0]);
			return -1;
		}
	}
	return 0;
}

/* "module a: why; module b: why; ..." as "module a: why, and 1 more
 * module": the kmsg line must stay whole (a record holds 1 KiB). */
static void first_of(char *err, size_t n)
{
	char *cut = strstr(err, "; ");
	int more = 0;
	const char *p;

	for (p = cut; p; p = strstr(p + 2, "; "))
		more++;
	if (cut)
		snprintf(cut, n - (size_t)(cut - err), ", and %d more module%s", more,
			 more == 1 ? "" : "s");
}

/* Modules (best effort: a failure only matters if the commit then fails). */
static void load_modules(const struct ew_backend *be, const struct ew_ruleset rs[2],
			 struct boot *b)
{
	const char *names[EW_MAX_MODULES];
	size_t n = be->modules(rs, names, EW_MAX_MODULES);

	b->modules_err[0] = '\0';
	if (CONFIG_LOAD_MODULES &&
	    ew_modules_load(names, n, b->modules_err, sizeof(b->modules_err)) == 0)
		b->modules_err[0] = '\0';
	first_of(b->modules_err, sizeof(b->modules_err));
}

/* Commit the full (or minimal) policy with be; err says why not. */
static int commit(const struct ew_backend *be, int minimal, struct boot *b, char *err, size_t n)
{
	struct ew_ruleset rs[2];
	int code;

	if (build(minimal, rs))
		return snprintf(err, n, "out of memory"), -1;
	load_modules(be, rs, b);
	code = be->commit(&rs[0], &rs[1], err, n);
	if (code && b->modules_err[0]) {
		size_t used = strlen(err);

		snprintf(err + used, n - used, " (after %s)", b->modules_err);
	}
	b->rules[0] = rs[0].n;
	b->rules[1] = rs[1].n;
	b->ipv6 = ew_kernel_has_ipv6();
	ew_ruleset_free(&rs[0]);
	ew_ruleset_free(&rs[1]);
	return code;
}

/* The ladder's rungs, in order: each backend, the preferred first. On
 * success, *used is the backend; tried collects why the ones before
 * failed ("nftables: ...; "). */
static int commit_any(int minimal, struct boot *b, const struct ew_backend **used, char *tried,
		      size_t n)
{
	const struct ew_backend *be[2];
	size_t count = ew_backends(be), i;
	char err[1024];

	tried[0] = '\0';
	for (i = 0; i < count; i++) {
		size_t len;

		if (commit(be[i], minimal, b, err, sizeof(err)) == 0) {
			*used = be[i];
			return 0;
		}
		len = strlen(tried);
		snprintf(tried + len, n - len, "%swith %s: %s", len ? "; " : "", be[i]->name, err);
	}
	return -1;
}

/* "IPv4 22 rules, IPv6 3 rules", or what stands for IPv6 without it. */
static const char *families(const struct boot *b, char *buf, size_t len)
{
	if (b->ipv6)
		snprintf(buf, len, "IPv4 %zu rules, IPv6 %zu rules", b->rules[0], b->rules[1]);
	else
		snprintf(buf, len, "IPv4 %zu rules, IPv6 none: the kernel has no IPv6",
			 b->rules[0]);
	return buf;
}

static void interfaces_note(const struct boot *b, char *buf, size_t len)
{
	if (b->up[0])
		snprintf(buf, len, "interfaces already up: %s", b->up);
	else
		snprintf(buf, len, "no interface was up");
}

/* The one place failures go: decide whether to hand off, say what happened. */
static void fail_policy(struct boot *b, const char *ifs)
{
	const struct ew_backend *used = NULL;
	char again[1024], fam[96];

	if (CONFIG_FAIL_OPEN) {
		b->hand_off = 1;
		snprintf(b->outcome, sizeof(b->outcome), "FAILED OPEN %s; handing off "
			 "WITHOUT a firewall (FAIL_OPEN); %s", b->err, ifs);
	} else if (CONFIG_FAIL_HALT) {
		snprintf(b->outcome, sizeof(b->outcome), "FAILED %s; NOT handing off "
			 "(FAIL_HALT); %s", b->err, ifs);
	} else if (commit_any(1, b, &used, again, sizeof(again)) == 0) {
		b->hand_off = 1;
		snprintf(b->outcome, sizeof(b->outcome), "FAILED %s; minimal lockdown "
			 "committed with %s (DROP policies, loopback only): %s, in %ld ms "
			 "(FAIL_LOCKOUT)%s%s; %s", b->err, used->name, families(b, fam, sizeof(fam)),
			 ew_now_ms() - b->started, again[0] ? "; the minimal lockdown failed " : "",
			 again, ifs);
	} else {
		snprintf(b->outcome, sizeof(b->outcome), "FAILED %s; the minimal lockdown "
			 "failed too: %s; NOT handing off (FAIL_LOCKOUT); %s", b->err, again, ifs);
	}
}

static void lock_down(struct boot *b)
{
	const struct ew_backend *used = NULL;
	char ifs[300], fam[96], tried[1024];

	ew_interfaces_up(b->up, sizeof(b->up));
	interfaces_note(b, ifs, sizeof(ifs));
	b->started = ew_now_ms();
	if (commit_any(0, b, &used, b->err, sizeof(b->err))) {
		fail_policy(b, ifs);
		return;
	}
	snprintf(tried, sizeof(tried), "%s", b->err);
	b->err[0] = '\0';
	b->hand_off = 1;
	snprintf(b->outcome, sizeof(b->outcome), "policy committed with %s: %s, in %ld ms%s%s; %s",
		 used->name, families(b, fam, sizeof(fam)), ew_now_ms() - b->started,
		 tried[0] ? "; before that it failed " : "", tried, ifs);
}

static void __attribute__((noreturn)) wait_forever(void)
{
	for (;;)
		pause();
}

/* The file earlywall runs from, to refuse exec'ing itself (an INIT_PATH or
 * earlywall.init= naming earlywall would re-exec forever). */
static struct stat self;

static void note_self(const char *argv0)
{
	if (stat("/proc/self/exe", &self) && (!argv0 || stat(argv0, &self)))
		memset(&self, 0, sizeof(self));
}

static int is_self(const char *path)
{
	struct stat st;

	return self.st_ino && !stat(path, &st) && st.st_dev == self.st_dev &&
	       st.st_ino == self.st_ino;
}

/*
 * As the kernel does it: argv[0] is the path being run (a multi-call binary
 * such as busybox chooses its applet by it), the rest of the kernel's argv
 * and the environment go through unchanged. Returns only on failure, after
 * logging it.
 */
static void exec_init(const char *path, char **argv)
{
	if (is_self(path)) {
		ew_log(3, "FAILED: exec %s: it is earlywall itself, skipped", path);
		return;
	}
	argv[0] = (char *)path;
	execve(path, argv, environ);
	ew_log(3, "FAILED: exec %s: %s", path, strerror(errno));
}

static void __attribute__((noreturn)) hand_off(char **argv)
{
	static const char *const fallback[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };
	char cmdline[4096];
	const char *path = ew_cmdline_init(cmdline, sizeof(cmdline));
	sigset_t none;
	size_t i;

	if (!path)
		path = CONFIG_INIT_PATH;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	exec_init(path, argv);
	ew_log(3, "trying /sbin/init, /etc/init, /bin/init, /bin/sh");
	for (i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++)
		if (strcmp(fallback[i], path) != 0)
			exec_init(fallback[i], argv);
	ew_log(2, "FAILED: nothing to exec; waiting forever");
	wait_forever();
}

void ew_init(int argc, char **argv)
{
	struct boot b;

	(void)argc;
	memset(&b, 0, sizeof(b));
	mount_dev();
	open_std_fds();
	open_kmsg();
	note_self(argv[0]);
	lock_down(&b);
	ew_log(b.hand_off && !b.err[0] ? 5 : 2, "%s", b.outcome);
	if (!b.hand_off)
		wait_forever();
	hand_off(argv);
}
