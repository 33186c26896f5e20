/*
 * render.h - abstract rules to iptables-save text.
 */
#ifndef EW_RENDER_H
#define EW_RENDER_H

#include <stdio.h>

#include "policy/rule.h"

#define EW_LINE_MAX 512

/* One rule as an iptables-save line, without the newline. */
void ew_render_rule(const struct ew_rule *r, int family, char *buf, size_t len);

/* The filter table as iptables-save prints it, comments left out. */
void ew_render(FILE *f, const struct ew_ruleset *rs);

#endif
