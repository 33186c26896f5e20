/*
 * fuzz_netlink.c - libFuzzer target for the netlink reply parser that
 * reads nftables dumps (src/backend/nft/dump.c): tables, chains, rules, errors and
 * DONE, in any order and any shape.
 *
 * The input is an exact-size heap copy of the bytes recv() could return.
 * Properties: nothing is read outside them, the table list stays within
 * its bounds, and every name in it is NUL-terminated and non-empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/nft/dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ew_nft_state st;
	void *copy = malloc(size ? size : 1);
	size_t i;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&st, 0, sizeof(st));
	/* Twice: a second dump (chains, rules) finds the tables of the first. */
	ew_nft_parse(copy, size, &st);
	ew_nft_parse(copy, size, &st);
	if (st.n > EW_NFT_MAX_TABLES)
		abort();
	for (i = 0; i < st.n; i++)
		if (!st.t[i].name[0] || strnlen(st.t[i].name, EW_NFT_NAME) == EW_NFT_NAME ||
		    strnlen(st.t[i].hooks, sizeof(st.t[i].hooks)) == sizeof(st.t[i].hooks))
			abort();
	free(copy);
	return 0;
}
