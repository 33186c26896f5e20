/*
 * backend/nft/dump.c - read what nf_tables holds with three netlink dumps (tables,
 * chains, rules) on a NETLINK_NETFILTER socket, spoken directly from the
 * kernel's uapi headers. Read only: it never sends anything but GET
 * requests, which the writer (netlink.c) builds.
 *
 * The replies are input like any other: every length in them is checked
 * against the bytes received before it is followed, names are copied
 * bounded and NUL-terminated, and a chain or rule whose table was not
 * listed is ignored. ew_nft_parse() takes arbitrary bytes (it has a fuzz
 * target); ew_nft_dump() only feeds it what recv() returned.
 */
#include "backend/nft/dump.h"

#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "backend/nft/netlink.h"

#define MAX_ATTR 32

static const char *const hook_names[] = { "prerouting", "input", "forward", "output",
					  "postrouting" };

const char *ew_nft_family_name(int family, char *buf, size_t n)
{
	switch (family) {
	case NFPROTO_IPV4: return "ip";
	case NFPROTO_IPV6: return "ip6";
	case NFPROTO_INET: return "inet";
	case NFPROTO_ARP: return "arp";
	case NFPROTO_BRIDGE: return "bridge";
	case NFPROTO_NETDEV: return "netdev";
	default: snprintf(buf, n, "family %d", family); return buf;
	}
}

/* The attributes in p[0..len), by type (nested flag cleared); later
 * duplicates win. -1 when an attribute's length runs past len. */
static int attrs(const unsigned char *p, size_t len, const struct nlattr *tb[MAX_ATTR])
{
	size_t i;

	for (i = 0; i < MAX_ATTR; i++)
		tb[i] = NULL;
	while (len >= sizeof(struct nlattr)) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len, step = NLA_ALIGN(alen);
		unsigned type = a->nla_type & NLA_TYPE_MASK;

		if (alen < sizeof(*a) || alen > len)
			return -1;
		if (type < MAX_ATTR)
			tb[type] = a;
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return 0;
}

static size_t payload(const struct nlattr *a)
{
	return a->nla_len - sizeof(*a);
}

static const void *data(const struct nlattr *a)
{
	return (const unsigned char *)a + sizeof(*a);
}

/* A string attribute into out (n bytes); 0 when absent or empty. */
static int string(const struct nlattr *a, char *out, size_t n)
{
	size_t len;

	if (!a)
		return 0;
	len = strnlen(data(a), payload(a));
	if (!len || len >= n)
		return 0;
	memcpy(out, data(a), len);
	out[len] = '\0';
	return 1;
}

static uint32_t be32(const struct nlattr *a)
{
	const unsigned char *d = data(a);

	return payload(a) < 4 ? 0 : (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
					    (uint32_t)d[2] << 8 | d[3];
}

static struct ew_nft_table *find(struct ew_nft_state *st, int family, const char *name)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->t[i].family == family && !strcmp(st->t[i].name, name))
			return &st->t[i];
	return NULL;
}

static void add_table(struct ew_nft_state *st, int family, const struct nlattr **tb)
{
	char name[EW_NFT_NAME];

	if (!string(tb[NFTA_TABLE_NAME], name, sizeof(name)) || find(st, family, name))
		return;
	if (st->n == EW_NFT_MAX_TABLES) {
		st->dropped++;
		return;
	}
	memset(&st->t[st->n], 0, sizeof(st->t[0]));
	st->t[st->n].family = family;
	memcpy(st->t[st->n].name, name, sizeof(name));
	st->n++;
}

static void add_hook(struct ew_nft_table *t, const struct nlattr *hook)
{
	const struct nlattr *tb[MAX_ATTR];
	uint32_t num;
	size_t used = strlen(t->hooks);
	char other[16];
	const char *name;

	if (attrs(data(hook), payload(hook), tb) || !tb[NFTA_HOOK_HOOKNUM])
		return;
	num = be32(tb[NFTA_HOOK_HOOKNUM]);
	t->base_chains++;
	snprintf(other, sizeof(other), "hook %u", (unsigned)num);
	name = num < sizeof(hook_names) / sizeof(hook_names[0]) ? hook_names[num] : other;
	if (!strstr(t->hooks, name))
		snprintf(t->hooks + used, sizeof(t->hooks) - used, "%s%s", used ? "," : "", name);
}

/* One NEWTABLE, NEWCHAIN or NEWRULE message's payload. */
static void message(struct ew_nft_state *st, int type, const unsigned char *p, size_t len)
{
	const struct nlattr *tb[MAX_ATTR];
	const struct nfgenmsg *g = (const void *)p;
	struct ew_nft_table *t;
	char table[EW_NFT_NAME];
	size_t head = NLMSG_ALIGN(sizeof(*g));

	if (len < head || attrs(p + head, len - head, tb))
		return;
	if (type == NFT_MSG_NEWTABLE) {
		add_table(st, g->nfgen_family, tb);
		return;
	}
	/* NFTA_CHAIN_TABLE and NFTA_RULE_TABLE are both attribute 1. */
	if (!string(tb[NFTA_CHAIN_TABLE], table, sizeof(table)) ||
	    !(t = find(st, g->nfgen_family, table)))
		return;
	if (type == NFT_MSG_NEWRULE) {
		t->rules++;
		return;
	}
	t->chains++;
	if (tb[NFTA_CHAIN_HOOK])
		add_hook(t, tb[NFTA_CHAIN_HOOK]);
}

int ew_nft_parse(const void *buf, size_t len, struct ew_nft_state *st)
{
	const unsigned char *p = buf;

	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const void *)p;
		size_t mlen = h->nlmsg_len, step = NLMSG_ALIGN(mlen);

		if (mlen < sizeof(*h) || mlen > len)
			return -1;
		if (h->nlmsg_type == NLMSG_DONE)
			st->done = 1;
		else if (h->nlmsg_type == NLMSG_ERROR && mlen >= NLMSG_LENGTH(sizeof(int)))
			st->error = ew_nl_errno(NLMSG_DATA(h)), st->done = 1;
		else if (h->nlmsg_type >> 8 == NFNL_SUBSYS_NFTABLES)
			message(st, h->nlmsg_type & 0xff, p + NLMSG_HDRLEN, mlen - NLMSG_HDRLEN);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return 0;
}

static int parse(void *ctx, const void *buf, size_t len, int *done, int *error)
{
	struct ew_nft_state *st = ctx;
	int rc = ew_nft_parse(buf, len, st);

	*done = st->done;
	*error = st->error;
	return rc;
}

/* One dump request (built by the writer), and its replies into st. */
static int dump(int fd, int msg, struct ew_nft_state *st)
{
	struct ew_nl_batch req;
	int rc;

	ew_nl_init(&req);
	ew_nl_request(&req, msg, NLM_F_DUMP, NFPROTO_UNSPEC);
	st->done = st->error = 0;
	rc = ew_nl_dump(fd, &req, parse, st);
	ew_nl_free(&req);
	return rc;
}

int ew_nft_dump(struct ew_nft_state *st, char *err, size_t n)
{
	static const int msgs[] = { NFT_MSG_GETTABLE, NFT_MSG_GETCHAIN, NFT_MSG_GETRULE };
	int fd = ew_nl_socket();
	size_t i;

	memset(st, 0, sizeof(*st));
	if (fd < 0 && (errno == EPROTONOSUPPORT || errno == EAFNOSUPPORT))
		return 0;       /* no nfnetlink: nothing there */
	if (fd < 0)
		return snprintf(err, n, "nftables: netlink socket: %s", strerror(errno)), -1;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		if (dump(fd, msgs[i], st) && errno != EOPNOTSUPP &&
		    errno != ENOENT && errno != EINVAL && errno != EPROTONOSUPPORT) {
			snprintf(err, n, "nftables: reading %s: %s",
				 i == 0 ? "tables" : i == 1 ? "chains" : "rules", strerror(errno));
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}
