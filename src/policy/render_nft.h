/*
 * render_nft.h - nftables plans to nft's own text.
 */
#ifndef EW_RENDER_NFT_H
#define EW_RENDER_NFT_H

#include <stdio.h>

#include "policy/nftplan.h"
#include "policy/parse.h"

#define EW_NFT_RULE_TEXT 512

/* The table as `nft list table` prints it. */
void ew_render_nft(FILE *f, const struct ew_nft_plan *p);

/* One rule's text, as in a chain ("ct state invalid drop"). */
void ew_render_nft_rule(const struct ew_nft_plan *p, const struct ew_nft_rule *r, char *buf,
			size_t len);

/* One element's text, as in a set ("192.0.2.0/24 . 443"). */
void ew_render_nft_elem(const struct ew_nft_plan *p, const struct ew_nft_set *s,
			const struct ew_nft_elem *e, char *buf, size_t len);

/* lo..hi is exactly the prefix of bits bits. */
int ew_nft_is_prefix(const uint8_t *lo, const uint8_t *hi, int alen, int bits);

#endif
