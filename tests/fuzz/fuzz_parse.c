/*
 * fuzz_parse.c - libFuzzer target for the allowlist entry grammar.
 *
 * Properties: the parser never reads past the length it is given (the
 * input is an exact-size heap copy, so ASan sees any over-read), a
 * rejection always carries a reason, and an accepted entry survives the
 * round trip parse -> format -> parse unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ew_entry e, again;
	char why[EW_WHY_MAX], text[EW_MAX_ENTRY + 64];
	char *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	why[0] = '\0';
	if (ew_parse_entry(copy, size, &e, why, sizeof(why))) {
		free(copy);
		if (!why[0])
			abort();
		return 0;
	}
	free(copy);
	ew_format_entry(&e, text, sizeof(text));
	if (ew_parse_entry(text, strlen(text), &again, why, sizeof(why)) ||
	    ew_entry_cmp(&e, &again))
		abort();
	return 0;
}
