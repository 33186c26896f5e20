/*
 * readback.h - the live filter table as text, for verify.
 */
#ifndef EW_XT_READBACK_H
#define EW_XT_READBACK_H

#include <stddef.h>
#include <stdio.h>

/* The family's filter table as iptables-save text, each entry checked
 * for exactness. 0, or -1 with err set (and errno). */
int ew_xt_live_text(int family, FILE *f, char *err, size_t n);

#endif
