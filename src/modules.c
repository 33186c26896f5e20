/*
 * modules.c - load kernel modules without modprobe.
 *
 * libiptc never loads modules, and an initramfs may have no modprobe, so
 * PID 1 loads what the policy needs itself: it reads modules.dep,
 * modules.softdep, modules.alias and modules.builtin under
 * /lib/modules/$(uname -r),
 * loads dependencies first, and calls finit_module(2). Compressed modules
 * (.ko.xz, .ko.zst, .ko.gz) go to the kernel with
 * MODULE_INIT_COMPRESSED_FILE; a kernel that cannot decompress them gets
 * /sbin/modprobe if there is one, else the error names the module. A
 * module that is built in or already loaded (EEXIST) counts as loaded.
 * It needs no /proc or /sys.
 */
#include "modules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "faults.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

#define MAX_DEPTH 16

struct moddb {
	char dir[256];
	char *dep, *softdep, *alias, *builtin;  /* file contents, NUL-terminated */
	char *err;
	size_t errlen;
	char loaded[64][64];    /* names already handled in this run */
	size_t nloaded;
};

static char *read_file(const char *dir, const char *name)
{
	char path[512];
	struct stat st;
	char *buf = NULL;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && (buf = malloc((size_t)st.st_size + 1))) {
		ssize_t got = read(fd, buf, (size_t)st.st_size);

		buf[got > 0 ? got : 0] = '\0';
	}
	close(fd);
	return buf;
}

/* Module name of a path: basename up to ".ko", with '-' read as '_'. */
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
		if (base[i] != name[i] && !(base[i] == '-' && name[i] == '_') &&
		    !(base[i] == '_' && name[i] == '-'))
			return 0;
	return 1;
}

/* The line of a modules.dep-like file whose first word names the module. */
static const char *find_line(const char *text, const char *name, const char *stop)
{
	const char *line = text;

	while (line && *line) {
		size_t len = strcspn(line, stop);

		if (name_is(line, len, name))
			return line;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

static int fail(struct moddb *db, const char *fmt, const char *a, const char *b)
{
	snprintf(db->err, db->errlen, fmt, a, b);
	return -1;
}

static int run_modprobe(const char *name)
{
	pid_t pid;
	int status;

	if (access("/sbin/modprobe", X_OK))
		return -1;
	pid = fork();
	if (pid == 0) {
		execl("/sbin/modprobe", "modprobe", "-q", name, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int insmod(struct moddb *db, const char *rel, size_t len, const char *name)
{
	char path[512];
	int fd, rc, compressed;

	snprintf(path, sizeof(path), "%s/%.*s", db->dir, (int)len, rel);
	compressed = len < 3 || strncmp(rel + len - 3, ".ko", 3) != 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(db, "module %s: %s", name, strerror(errno));
	rc = (int)syscall(SYS_finit_module, fd, "", compressed ? MODULE_INIT_COMPRESSED_FILE : 0);
	if (rc && errno != EEXIST)
		rc = -errno;
	else
		rc = 0;
	close(fd);
	if (rc && compressed && run_modprobe(name) == 0)
		return 0;
	if (rc)
		return fail(db, "module %s: %s", name, strerror(-rc));
	return 0;
}

static int load(struct moddb *db, const char *name, int depth);

/* Load each module whose path is listed in p..end (a modules.dep line). */
static int load_paths(struct moddb *db, const char *p, const char *end, int depth)
{
	char word[256];

	while (p < end) {
		size_t len;
		const char *base;

		p += strspn(p, " \t");
		len = strcspn(p, " \t\n");
		if (!len || p >= end)
			break;
		snprintf(word, sizeof(word), "%.*s", (int)len, p);
		p += len;
		base = strrchr(word, '/');
		base = base ? base + 1 : word;
		memmove(word, base, strlen(base) + 1);
		word[strcspn(word, ".")] = '\0';
		if (load(db, word, depth + 1))
			return -1;
	}
	return 0;
}

/* "softdep NAME pre: A B post: C": load the modules listed after when. Best
 * effort, as modprobe does: a soft dependency that fails is not fatal. */
static void load_softdeps(struct moddb *db, const char *name, const char *when, int depth)
{
	const char *line = db->softdep;
	char head[96], copy[512], *tok, *save = NULL;
	int on;

	snprintf(head, sizeof(head), "softdep %s ", name);
	for (; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, head, strlen(head)) != 0)
			continue;
		snprintf(copy, sizeof(copy), "%.*s", (int)strcspn(line + strlen(head), "\n"),
			 line + strlen(head));
		on = 0;
		for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
			if (!strcmp(tok, "pre:") || !strcmp(tok, "post:"))
				on = !strcmp(tok, when);
			else if (on && load(db, tok, depth + 1))
				db->err[0] = '\0';
		}
	}
}

static int seen(struct moddb *db, const char *name)
{
	size_t i;

	for (i = 0; i < db->nloaded; i++)
		if (!strcmp(db->loaded[i], name))
			return 1;
	if (db->nloaded < sizeof(db->loaded) / sizeof(db->loaded[0]))
		snprintf(db->loaded[db->nloaded++], sizeof(db->loaded[0]), "%s", name);
	return 0;
}

/* "alias NAME MODULE" lines for NAME (a softdep may name an alias, e.g.
 * "softdep libcrc32c pre: crc32c", where crc32c is crc32c_generic or an
 * arch module): load the first module that loads. */
static int load_alias(struct moddb *db, const char *name, int depth)
{
	const char *line = db->alias;
	char target[64];
	size_t n = strlen(name), len;
	int tried = 0;

	for (; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, "alias ", 6) != 0 || strncmp(line + 6, name, n) != 0 ||
		    line[6 + n] != ' ')
			continue;
		len = strcspn(line + 7 + n, " \t\n");
		snprintf(target, sizeof(target), "%.*s", (int)len, line + 7 + n);
		tried = 1;
		if (strcmp(target, name) != 0 && load(db, target, depth + 1) == 0)
			return 0;
	}
	return tried ? -1 : 1;
}

static int load(struct moddb *db, const char *name, int depth)
{
	const char *line, *colon, *eol;
	char saved[256];
	int rc;

	if (depth > MAX_DEPTH)
		return fail(db, "module %s: dependencies nested too deep%s", name, "");
	if (seen(db, name))
		return 0;
	if (db->builtin && find_line(db->builtin, name, "\n"))
		return 0;
	line = db->dep ? find_line(db->dep, name, ":") : NULL;
	if (!line && (rc = load_alias(db, name, depth)) <= 0)
		return rc;
	if (!line)
		return fail(db, "module %s: not in %s/modules.dep and not built in", name, db->dir);
	colon = strchr(line, ':');
	eol = strchr(line, '\n');
	if (!eol)
		eol = line + strlen(line);
	snprintf(saved, sizeof(saved), "%s", name);
	load_softdeps(db, saved, "pre:", depth);
	if (load_paths(db, colon + 1, eol, depth) ||
	    insmod(db, line, (size_t)(colon - line), saved))
		return -1;
	load_softdeps(db, saved, "post:", depth);
	return 0;
}

int ew_modules_load(const char *const *names, size_t n, char *err, size_t errlen)
{
	struct moddb db = { .err = err, .errlen = errlen };
	struct utsname u;
	size_t i;
	int rc = 0;

	if (EW_FAULTS && ew_fault("nomodules"))
		return snprintf(err, errlen, "module %s: injected fault", n ? names[0] : "?"), -1;
	if (uname(&u))
		return snprintf(err, errlen, "uname: %s", strerror(errno)), -1;
	snprintf(db.dir, sizeof(db.dir), "/lib/modules/%s", u.release);
	db.dep = read_file(db.dir, "modules.dep");
	db.softdep = read_file(db.dir, "modules.softdep");
	db.alias = read_file(db.dir, "modules.alias");
	db.builtin = read_file(db.dir, "modules.builtin");
	for (i = 0; i < n && !rc; i++)
		rc = load(&db, names[i], 0);
	free(db.dep);
	free(db.softdep);
	free(db.alias);
	free(db.builtin);
	return rc;
}
