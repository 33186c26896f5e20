/*
 * gen/config.c - read a complete .config (host side of the generator).
 *
 * Understands the two line forms kconfig writes, `CONFIG_X=value` (strings
 * quoted, with \" and \\ escaped) and `# CONFIG_X is not set`. Keeps the
 * CONFIG_ lines verbatim for the binary's `config` command.
 */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *unquote(const char *v)
{
	size_t len = strlen(v), i, o = 0;
	char *out = malloc(len + 1);

	if (!out)
		return NULL;
	if (v[0] != '"') {
		memcpy(out, v, len + 1);
		return out;
	}
	for (i = 1; i < len && v[i] != '"'; i++) {
		if (v[i] == '\\' && i + 1 < len)
			i++;
		out[o++] = v[i];
	}
	out[o] = '\0';
	return out;
}

static int add_symbol(struct gen_config *c, const char *name, size_t nlen,
		      const char *value)
{
	if (c->n == GEN_MAX_SYMS) {
		fprintf(stderr, "ewgen: too many symbols in the configuration\n");
		return -1;
	}
	c->name[c->n] = strndup(name, nlen);
	c->value[c->n] = unquote(value);
	if (!c->name[c->n] || !c->value[c->n])
		return -1;
	c->n++;
	return 0;
}

static int append_text(struct gen_config *c, const char *line)
{
	size_t old = c->text ? strlen(c->text) : 0, add = strlen(line);
	char *t = realloc(c->text, old + add + 2);

	if (!t)
		return -1;
	memcpy(t + old, line, add);
	t[old + add] = '\n';
	t[old + add + 1] = '\0';
	c->text = t;
	return 0;
}

static int read_line(struct gen_config *c, char *line)
{
	char *eq;

	line[strcspn(line, "\r\n")] = '\0';
	if (strncmp(line, "CONFIG_", 7) != 0)
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return 0;
	if (append_text(c, line))
		return -1;
	return add_symbol(c, line + 7, (size_t)(eq - line - 7), eq + 1);
}

int gen_read_config(const char *path, struct gen_config *c)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (!f) {
		perror(path);
		return -1;
	}
	while (!rc && getline(&line, &cap, f) >= 0)
		rc = read_line(c, line);
	free(line);
	fclose(f);
	if (!rc && !c->text)
		rc = append_text(c, "# (empty configuration)");
	return rc;
}

const char *gen_string(const struct gen_config *c, const char *symbol)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->name[i], symbol))
			return c->value[i];
	return NULL;
}

int gen_bool(const struct gen_config *c, const char *symbol)
{
	const char *v = gen_string(c, symbol);

	return v && !strcmp(v, "y");
}

void gen_config_free(struct gen_config *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->name[i]);
		free(c->value[i]);
	}
	free(c->text);
	memset(c, 0, sizeof(*c));
}
