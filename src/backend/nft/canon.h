/*
 * canon.h - nf_tables messages as canonical lines (see canon.c).
 */
#ifndef EW_NFT_CANON_H
#define EW_NFT_CANON_H

#include <stddef.h>

#define EW_CANON_LINE 4096

struct ew_canon {
	/* Called for each object: key orders the lines, line is the text. */
	void (*emit)(void *ctx, const char *key, const char *line);
	void *ctx;
	const char *table;      /* only objects of this table (NULL: all) */
	size_t rules;           /* rules seen: their order is kept */
	int done, error;        /* NLMSG_DONE seen; an NLMSG_ERROR seen */
};

/* One NFT_MSG_NEW* message's payload (after the netlink header). */
void ew_canon_message(struct ew_canon *c, int msg, const void *payload, size_t len);

/* len bytes of netlink messages (a batch, or dump replies). 0, or -1 when
 * they are not well formed. Any bytes at all are safe here. */
int ew_canon_messages(struct ew_canon *c, const void *buf, size_t len);

#endif
