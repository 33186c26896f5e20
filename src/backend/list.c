/*
 * list.c - the backends this build has, from the BACKEND_* choice: only
 * the chosen ones are compiled in (the Makefile leaves the others' files
 * out, and the constant conditions below drop every reference to them).
 */
#include "backend/backend.h"

#include "config.h"

size_t ew_backends(const struct ew_backend *out[2])
{
	size_t n = 0;

	if (!CONFIG_BACKEND_IPTABLES)
		out[n++] = &ew_backend_nft;
	if (!CONFIG_BACKEND_NFTABLES)
		out[n++] = &ew_backend_xt;
	return n;
}
