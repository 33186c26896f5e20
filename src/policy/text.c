/*
 * text.c - the renderers' text buffer, and the growable arrays of the
 * pure part. Nothing here touches the kernel.
 */
#include "policy/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void ew_text_put(struct ew_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->pos >= t->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->p + t->pos, t->len - t->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->pos += (size_t)n;
}

void *ew_grow(void *p, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? *cap * 2 : 32;
	void *grown;

	if (n < *cap)
		return p;
	grown = realloc(p, want * size);
	if (grown)
		*cap = want;
	return grown;
}
