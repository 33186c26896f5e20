/*
 * fuzz_decode.c - libFuzzer target for the xtables entry decoder that
 * verify runs on what the kernel hands back (src/backend/xt/decode.c).
 *
 * The input's first byte picks the family (bit 0) and the label libiptc
 * would give the target (bits 1-2: ACCEPT, DROP, LOG, something else); the
 * rest is the entry, in an exact-size heap copy, so ASan sees any read
 * past it. Properties: decoding and the exact comparison never read or
 * write outside their buffers whatever the bytes say, and a rule that
 * decodes renders into a bounded line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/render.h"
#include "backend/xt/entry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const labels[] = { "ACCEPT", "DROP", "LOG", "REJECT" };
	char why[128], line[EW_LINE_MAX];
	struct ew_rule r;
	int family;
	void *copy;

	if (size < 1)
		return 0;
	family = data[0] & 1 ? 6 : 4;
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	if (!ew_xt_decode(copy, size - 1, labels[(data[0] >> 1) & 3], family, data[0] >> 3 & 1,
			  &r, why, sizeof(why))) {
		ew_render_rule(&r, family, line, sizeof(line));
		if (strlen(line) >= sizeof(line))
			abort();
	}
	(void)ew_xt_exact(copy, size - 1, &r, family);
	free(copy);
	return 0;
}
