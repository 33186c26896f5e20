/*
 * verify.h - compare the live tables with the compiled policy.
 */
#ifndef EW_VERIFY_H
#define EW_VERIFY_H

#include <stdio.h>

#include "rule.h"

/* Prints the difference per family to out; returns an EW_EXIT_* code. */
int ew_verify(const struct ew_ruleset *want[2], FILE *out, char *err, size_t n);

#endif
