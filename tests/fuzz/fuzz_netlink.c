/*
 * fuzz_netlink.c - libFuzzer target for the code that reads netlink
 * replies: the nftables dump parser (src/backend/nft/dump.c: tables,
 * chains, rules, errors and DONE, in any order and any shape), the ack
 * reader of a commit (src/backend/nft/netlink.c), and verify's canonical
 * lines of table dumps (src/backend/nft/canon.c), fed the same bytes.
 *
 * The input is an exact-size heap copy of the bytes recv() could return.
 * Properties: nothing is read outside them, the table list stays within
 * its bounds, and every name in it is NUL-terminated and non-empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/nft/canon.h"
#include "backend/nft/dump.h"
#include "backend/nft/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every canonical line is a bounded, NUL-terminated string. */
static void line(void *ctx, const char *key, const char *text)
{
	(void)ctx;
	if (strnlen(key, EW_CANON_LINE + 200) > EW_CANON_LINE + 100 ||
	    strnlen(text, EW_CANON_LINE + 1) >= EW_CANON_LINE)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ew_nft_state st;
	void *copy = malloc(size ? size : 1);
	struct ew_nl_batch b;
	uint32_t have = 0;
	int failed = 0;
	char err[256] = "";
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
	/* The acks of a small batch: counted, the first error named, bounded. */
	ew_nl_init(&b);
	ew_nl_msg(&b, 0, 0, 1, "table inet t");
	ew_nl_msg(&b, 3, 0, 1, "chain input");
	ew_nl_put(&b, 3, copy, size < 64 ? size : 64);     /* an element list to point into */
	ew_nl_items(&b, 1, 2);
	ew_nl_acks(&b, copy, size, &have, &failed, err, sizeof(err));
	if (strnlen(err, sizeof(err)) == sizeof(err) || (failed && !err[0]))
		abort();
	ew_nl_free(&b);
	{
		struct ew_canon c = { line, NULL, NULL, 0, 0, 0 };
		struct ew_canon only = { line, NULL, "earlywall", 0, 0, 0 };

		ew_canon_messages(&c, copy, size);
		ew_canon_messages(&only, copy, size);
	}
	free(copy);
	return 0;
}
