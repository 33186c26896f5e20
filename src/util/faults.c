/*
 * faults.c - fault injection points, linked into the test build only.
 *
 * Points (EW_FAULT=a,b,...):
 *   noconntrack4, noconntrack6  the kernel "lacks" the conntrack match: its
 *                               rules name a match that does not exist, so
 *                               the kernel really refuses that family's commit
 *   refuse-all                  every rule names a target that does not
 *                               exist: the kernel refuses every commit, the
 *                               minimal lockdown's too
 *   nomodules                   loading modules fails at once
 *   nonft                       the nftables minimal lockdown names an
 *                               expression that does not exist: the kernel
 *                               refuses that batch
 *   noipv6                      the kernel "has no IPv6": only IPv4 is committed
 */
#include "util/faults.h"

#include <stdlib.h>
#include <string.h>

int ew_fault(const char *point)
{
	const char *list = getenv("EW_FAULT");
	size_t len = strlen(point);

	while (list && *list) {
		size_t word = strcspn(list, ",");

		if (word == len && !strncmp(list, point, len))
			return 1;
		list += word + (list[word] == ',');
	}
	return 0;
}
