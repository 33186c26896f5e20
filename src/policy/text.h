/*
 * text.h - appending to a fixed text buffer, for the renderers.
 */
#ifndef EW_TEXT_H
#define EW_TEXT_H

#include <stddef.h>

struct ew_text {
	char *p;
	size_t len, pos;
};

/* printf onto the end of t; what does not fit is cut, and t stays a
 * NUL-terminated string. */
void ew_text_put(struct ew_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Room for n more elements of size bytes in *p (capacity *cap, n used):
 * the array, grown by doubling when full, or NULL when out of memory (then
 * the old one is untouched). */
void *ew_grow(void *p, size_t *cap, size_t n, size_t size);

#endif
