/*
 * backend/xt/entry.h - abstract rules to and from xtables entries (ipt_entry and
 * ip6t_entry with their matches and target).
 */
#ifndef EW_XT_ENTRY_H
#define EW_XT_ENTRY_H

#include "policy/rule.h"

#define EW_XT_ENTRY_MAX 1024
#define EW_XT_MAX_EXT 4

struct ew_xt_ext {
	char name[30];
	uint8_t revision;
	uint8_t is_target;
};

/* Encode r into buf (EW_XT_ENTRY_MAX bytes, aligned); returns its size. */
size_t ew_xt_encode(const struct ew_rule *r, int family, void *buf);

/*
 * Decode an entry read back from the kernel, avail bytes at entry (its
 * next_offset must fit); target is the label libiptc gives for it
 * ("ACCEPT", "DROP", "LOG", ...). Returns 0, or -1 with what could not be
 * understood in why.
 */
int ew_xt_decode(const void *entry, size_t avail, const char *target, int family, int chain,
		 struct ew_rule *r, char *why, size_t n);

/* An entry's size as it says (its next_offset): what libiptc holds of it. */
size_t ew_xt_size(const void *entry, int family);

/*
 * Compare an entry (avail bytes, its whole next_offset) with the one
 * earlywall writes for r, as the kernel hands it back: byte for byte but
 * for the counters and comefrom, which the kernel fills in. Returns -1 when
 * they are equal, else the offset of the first byte that differs.
 */
long ew_xt_exact(const void *entry, size_t avail, const struct ew_rule *r, int family);

/* The matches and target r needs; returns how many. */
int ew_xt_extensions(const struct ew_rule *r, int family,
		     struct ew_xt_ext ext[EW_XT_MAX_EXT]);

#endif
