/*
 * backend.c - the nftables backend behind the interface of backend.h.
 */
#include "backend/backend.h"

#include "backend/nft/apply.h"
#include "backend/nft/readback.h"

const struct ew_backend ew_backend_nft = {
	.name = "nftables",
	.shows = "nft list table ip earlywall; nft list table ip6 earlywall",
	.modules = ew_nft_modules,
	.commit = ew_nft_commit,
	.remove = ew_nft_remove,
	.holds = ew_nft_holds,
	.want_text = ew_nft_want_text,
	.live_text = ew_nft_live_text,
};
