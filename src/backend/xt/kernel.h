/*
 * backend/xt/kernel.h - the kernel's xtables ABI, included in one order that works
 * with both glibc and musl, plus the few layouts the uapi headers lack.
 * Private to the xt_*.c files.
 */
#ifndef EW_XT_KERNEL_H
#define EW_XT_KERNEL_H

#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_limit.h>
#include <linux/netfilter/xt_multiport.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "policy/rule.h"

/* The LOG target's data (the uapi header only carries its flags). */
struct ew_log_info {
	unsigned char level;
	unsigned char logflags;
	char prefix[30];
};

unsigned ew_ct_to_kernel(unsigned state);
unsigned ew_ct_from_kernel(unsigned mask);

/* Write the IP part of an entry; returns its size. */
size_t ew_xt_header4(const struct ew_rule *r, void *buf, uint16_t **target_offset,
		     uint16_t **next_offset);
size_t ew_xt_header6(const struct ew_rule *r, void *buf, uint16_t **target_offset,
		     uint16_t **next_offset);

/* Read the IP part of an entry; -1 when it uses something earlywall never sets. */
int ew_xt_read_header4(const struct ipt_entry *e, struct ew_rule *r);
int ew_xt_read_header6(const struct ip6t_entry *e, struct ew_rule *r);

#endif
