/*
 * modules.c - load kernel modules without modprobe.
 *
 * libiptc never loads modules, and an initramfs may have no modprobe, so
 * PID 1 loads what the policy needs itself: it reads modules.dep,
 * modules.softdep, modules.alias and modules.builtin under
 * /lib/modules/$(uname -r), loads dependencies first, and calls
 * finit_module(2). Compressed modules (.ko.xz, .ko.zst, .ko.gz) go to the
 * kernel with MODULE_INIT_COMPRESSED_FILE; a kernel that cannot decompress
 * them gets /sbin/modprobe if there is one (killed after a few seconds),
 * else the error names the module. A module that is built in or already
 * loaded (EEXIST) counts as loaded. It needs no /proc or /sys.
 *
 * These files are input like any other and may be broken: blank lines,
 * comments, CRLF, lines without a colon, NUL bytes and overlong lines are
 * skipped or read as white space; a file that is not a regular file (a
 * FIFO, a device) or is larger than MAX_FILE is not read, so nothing here
 * can block or exhaust memory. Every module is tried at most once per run
 * (a dependency loop ends there), at most MAX_MODULES of them, each a
 * linear scan of the files: the total work is bounded whatever the files
 * say. Every module asked for is tried, and every failure is named.
 */
#include "boot/modules.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/faults.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

#define MAX_DEPTH 16
#define MAX_MODULES 256
#define MAX_NAME 64
#define MAX_FILE (64u << 20)
#define MODPROBE_SECONDS 10

struct line {
	const char *p;
	size_t len;
};

struct moddb {
	char dir[256];
	char *dep, *softdep, *alias, *builtin;  /* file contents, NUL-terminated */
	char seen[MAX_MODULES][MAX_NAME];       /* modules tried in this run */
	signed char state[MAX_MODULES];         /* 1 in progress or loaded, -1 failed */
	size_t nseen;
	char *err;
	size_t errlen, errused;
};

/* Append "; fmt" to the error text, as far as it fits. */
static int fail(struct moddb *db, const char *fmt, const char *a, const char *b)
{
	int n;

	if (db->errused + 3 >= db->errlen)
		return -1;
	if (db->errused)
		db->errused += (size_t)snprintf(db->err + db->errused, db->errlen - db->errused, "; ");
	n = snprintf(db->err + db->errused, db->errlen - db->errused, fmt, a, b);
	if (n > 0)
		db->errused += (size_t)n < db->errlen - db->errused ? (size_t)n
								     : db->errlen - db->errused - 1;
	return -1;
}

/* A whole regular file, NUL-terminated, with CR and NUL read as spaces. */
static char *read_file(struct moddb *db, const char *name)
{
	char path[512];
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", db->dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (unsigned long long)st.st_size > MAX_FILE) {
		fail(db, "%s: %s", path, "not a regular file of a sane size, ignored");
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (buf) {
		for (size_t i = 0; i < got; i++)
			if (buf[i] == '\r' || buf[i] == '\0')
				buf[i] = ' ';
		buf[got] = '\0';
	}
	return buf;
}

/* The next line of text at *pos (without its newline), skipping leading
 * blanks; 0 at the end. */
static int next_line(const char **pos, struct line *l)
{
	const char *p = *pos;

	if (!p || !*p)
		return 0;
	p += strspn(p, " \t");
	l->p = p;
	l->len = strcspn(p, "\n");
	*pos = p[l->len] ? p + l->len + 1 : p + l->len;
	return 1;
}

static int same_char(char a, char b)
{
	return a == b || (a == '-' && b == '_') || (a == '_' && b == '-');
}

/* Module name of a path p[0..len): basename up to ".ko". */
static int name_is(const char *path, size_t len, const char *name)
{
	const char *base = path, *p;
	size_t i, n = strlen(name);

	for (p = path; p < path + len; p++)
		if (*p == '/')
			base = p + 1;
	if ((size_t)(path + len - base) < n + 3 || strncmp(base + n, ".ko", 3) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!same_char(base[i], name[i]))
			return 0;
	return 1;
}

/* The word p[0..len) equals name ('-' and '_' alike). */
static int word_is(const char *p, size_t len, const char *name)
{
	size_t i;

	if (len != strlen(name))
		return 0;
	for (i = 0; i < len; i++)
		if (!same_char(p[i], name[i]))
			return 0;
	return 1;
}

/* modules.dep: the line "PATH: DEPS" of the module; *colon set. */
static int find_dep(const char *text, const char *name, struct line *l, const char **colon)
{
	const char *pos = text;

	while (next_line(&pos, l)) {
		const char *c = memchr(l->p, ':', l->len);

		if (!c || l->p[0] == '#')
			continue;
		if (name_is(l->p, (size_t)(c - l->p), name)) {
			*colon = c;
			return 1;
		}
	}
	return 0;
}

static int is_builtin(const char *text, const char *name)
{
	const char *pos = text;
	struct line l;

	while (next_line(&pos, &l)) {
		size_t len = strcspn(l.p, " \t\n");

		if (l.p[0] != '#' && name_is(l.p, len, name))
			return 1;
	}
	return 0;
}

/* Wait for pid at most MODPROBE_SECONDS, then kill it. */
static int wait_bounded(pid_t pid)
{
	struct timespec tick = { 0, 20000000L };
	int status, i;

	for (i = 0; i < MODPROBE_SECONDS * 50; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static int run_modprobe(const char *name)
{
	pid_t pid;

	if (access("/sbin/modprobe", X_OK))
		return -1;
	pid = fork();
	if (pid == 0) {
		execl("/sbin/modprobe", "modprobe", "-q", name, (char *)NULL);
		_exit(127);
	}
	return pid < 0 ? -1 : wait_bounded(pid);
}

static int insmod(struct moddb *db, const char *rel, size_t len, const char *name)
{
	char path[512];
	struct stat st;
	int fd, rc, compressed;

	if (snprintf(path, sizeof(path), "%s/%.*s", db->dir, (int)len, rel) >= (int)sizeof(path))
		return fail(db, "module %s: %s", name, "path too long");
	compressed = len < 3 || strncmp(rel + len - 3, ".ko", 3) != 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fail(db, "module %s: %s", name, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(db, "module %s: %s", name, "not a regular file");
	}
	rc = (int)syscall(SYS_finit_module, fd, "", compressed ? MODULE_INIT_COMPRESSED_FILE : 0);
	rc = rc && errno != EEXIST ? -errno : 0;
	close(fd);
	if (rc && compressed && run_modprobe(name) == 0)
		return 0;
	if (rc)
		return fail(db, "module %s: %s", name, strerror(-rc));
	return 0;
}

static int load(struct moddb *db, const char *name, int depth);

/* Load each module whose path is listed in p[0..len) (after the colon of a
 * modules.dep line). Every one is tried; -1 if any failed. */
static int load_paths(struct moddb *db, const char *p, size_t len, int depth)
{
	const char *end = p + len;
	char word[MAX_NAME];
	int rc = 0;

	while (p < end) {
		size_t n, base;

		p += strspn(p, " \t");
		n = strcspn(p, " \t\n");
		if (p + n > end)
			n = (size_t)(end - p);
		if (!n)
			break;
		for (base = n; base && p[base - 1] != '/'; base--)
			;
		snprintf(word, sizeof(word), "%.*s", (int)(n - base), p + base);
		word[strcspn(word, ".")] = '\0';
		if (word[0] && load(db, word, depth + 1))
			rc = -1;
		p += n;
	}
	return rc;
}

/* "softdep NAME pre: A B post: C": load the modules listed after when. Best
 * effort, as modprobe does: a soft dependency that fails is not fatal, and
 * is not reported. */
static void load_softdeps(struct moddb *db, const char *name, const char *when, int depth)
{
	const char *pos = db->softdep;
	struct line l;
	size_t saved = db->errused;

	while (next_line(&pos, &l)) {
		const char *p = l.p, *end = l.p + l.len;
		int word = 0, on = 0;

		while (p < end) {
			size_t n = strcspn(p, " \t\n");

			if (p + n > end)
				n = (size_t)(end - p);
			if (n) {
				char tok[MAX_NAME];

				if ((word == 0 && !word_is(p, n, "softdep")) || (word == 1 && !word_is(p, n, name)))
					break;
				if (word >= 2 && (word_is(p, n, "pre:") || word_is(p, n, "post:")))
					on = word_is(p, n, when);
				else if (word >= 2 && on && n < sizeof(tok)) {
					snprintf(tok, sizeof(tok), "%.*s", (int)n, p);
					load(db, tok, depth + 1);
				}
				word++;
			}
			p += n + (p + n < end);
		}
	}
	db->errused = saved;
	if (db->errlen)
		db->err[saved] = '\0';
}

/* The slot of name in this run's list, or a new one; -1 when full. */
static int slot(struct moddb *db, const char *name, int *fresh)
{
	size_t i;

	*fresh = 0;
	for (i = 0; i < db->nseen; i++)
		if (!strcmp(db->seen[i], name))
			return (int)i;
	if (db->nseen >= MAX_MODULES)
		return -1;
	snprintf(db->seen[db->nseen], MAX_NAME, "%s", name);
	db->state[db->nseen] = 1;
	*fresh = 1;
	return (int)db->nseen++;
}

/* "alias NAME MODULE" lines for NAME (a softdep may name an alias, e.g.
 * "softdep libcrc32c pre: crc32c", where crc32c is crc32c_generic or an
 * arch module): load the first module that loads. 1 if there is none. */
static int load_alias(struct moddb *db, const char *name, int depth)
{
	const char *pos = db->alias;
	struct line l;
	size_t n = strlen(name), len;
	char target[MAX_NAME];
	int tried = 0;

	while (next_line(&pos, &l)) {
		if (l.len < 8 + n || strncmp(l.p, "alias ", 6) != 0 ||
		    strncmp(l.p + 6, name, n) != 0 || l.p[6 + n] != ' ')
			continue;
		len = strcspn(l.p + 7 + n, " \t\n");
		if (!len || len >= sizeof(target))
			continue;
		snprintf(target, sizeof(target), "%.*s", (int)len, l.p + 7 + n);
		tried = 1;
		if (strcmp(target, name) != 0 && load(db, target, depth + 1) == 0)
			return 0;
	}
	return tried ? -1 : 1;
}

/* One module: built in, or its dependencies and then itself. */
static int load_one(struct moddb *db, const char *name, int depth)
{
	struct line l;
	const char *colon;

	if (db->builtin && is_builtin(db->builtin, name))
		return 0;
	if (!db->dep || !find_dep(db->dep, name, &l, &colon)) {
		int rc = db->alias ? load_alias(db, name, depth) : 1;

		if (rc <= 0)
			return rc;
		return fail(db, "module %s: not in %s/modules.dep and not built in", name, db->dir);
	}
	if (db->softdep)
		load_softdeps(db, name, "pre:", depth);
	/* A dependency that failed is named by itself; the module is tried all
	 * the same: the kernel knows best what it lacks. */
	load_paths(db, colon + 1, l.len - (size_t)(colon + 1 - l.p), depth);
	if (insmod(db, l.p, (size_t)(colon - l.p), name))
		return -1;
	if (db->softdep)
		load_softdeps(db, name, "post:", depth);
	return 0;
}

static int load(struct moddb *db, const char *name, int depth)
{
	int i, fresh;

	if (strlen(name) >= MAX_NAME)
		return fail(db, "module %.60s...: %s", name, "name too long");
	if (depth > MAX_DEPTH)
		return fail(db, "module %s: %s", name, "dependencies nested too deep");
	i = slot(db, name, &fresh);
	if (i < 0)
		return fail(db, "module %s: %s", name, "more than 256 modules in one run, not tried");
	if (!fresh)     /* done before, or in progress (a loop): not again */
		return db->state[i] < 0 ? -1 : 0;
	if (load_one(db, name, depth) == 0)
		return 0;
	db->state[i] = -1;
	return -1;
}

int ew_modules_load_dir(const char *dir, const char *const *names, size_t n, char *err,
			size_t errlen)
{
	struct moddb *db = calloc(1, sizeof(*db));
	size_t i;
	int rc = 0;

	if (errlen)
		err[0] = '\0';
	if (!db)
		return snprintf(err, errlen, "modules: out of memory"), -1;
	db->err = err;
	db->errlen = errlen;
	snprintf(db->dir, sizeof(db->dir), "%s", dir);
	db->dep = read_file(db, "modules.dep");
	db->softdep = read_file(db, "modules.softdep");
	db->alias = read_file(db, "modules.alias");
	db->builtin = read_file(db, "modules.builtin");
	for (i = 0; i < n; i++)
		if (load(db, names[i], 0))
			rc = -1;
	if (db->errused)
		rc = -1;
	free(db->dep);
	free(db->softdep);
	free(db->alias);
	free(db->builtin);
	free(db);
	return rc;
}

int ew_modules_load(const char *const *names, size_t n, char *err, size_t errlen)
{
	char dir[sizeof(((struct utsname *)0)->release) + 16];
	struct utsname u;

	if (EW_FAULTS && ew_fault("nomodules"))
		return snprintf(err, errlen, "module %s: injected fault", n ? names[0] : "?"), -1;
	if (uname(&u))
		return snprintf(err, errlen, "uname: %s", strerror(errno)), -1;
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	return ew_modules_load_dir(dir, names, n, err, errlen);
}
