/*
 * netlink.h - the nf_tables netlink writer: one batch, built message by
 * message, sent once, every ack read.
 */
#ifndef EW_NFT_NETLINK_H
#define EW_NFT_NETLINK_H

#include <stddef.h>
#include <stdint.h>

#define EW_NL_WHAT 96

/* What a message creates, for errors: its name, where it starts in the
 * batch, and the number of its first list item (element), or 0. */
struct ew_nl_what {
	char text[EW_NL_WHAT];
	size_t at;
	uint32_t item0, per;    /* per: list items to an element */
};

struct ew_nl_batch {
	unsigned char *buf;
	size_t len, cap;
	size_t msg;             /* offset of the message being built */
	size_t nest[8];         /* offsets of the open nested attributes */
	int depth;
	uint32_t seq, first;    /* next sequence number; the first one's */
	int nomem;              /* an allocation failed: the batch is void */
	int error;              /* after a failed commit: the first errno */
	uint32_t gen;           /* with gen_set: the generation the batch is for */
	int gen_set;
	struct ew_nl_what *what;        /* what each acked message creates, by seq - first */
	size_t nwhat, capwhat;
};

void ew_nl_init(struct ew_nl_batch *b);
void ew_nl_free(struct ew_nl_batch *b);

/* Start a message of type NFT_MSG_* with NLM_F_* flags (NLM_F_REQUEST and
 * NLM_F_ACK are always added) for an NFPROTO_* family; what names it in
 * errors ("chain input"). Ends the previous message. */
void ew_nl_msg(struct ew_nl_batch *b, int type, int flags, int family, const char *what);

/* A request outside a batch (NFT_MSG_GET*), with NLM_F_* flags such as
 * NLM_F_DUMP, for an NFPROTO_* family (NFPROTO_UNSPEC: all); no ack is
 * asked for. Attributes may follow; ew_nl_end() ends it. */
/* The current message's list (set elements, per list items each) counts
 * from first (1-based): a refusal the kernel pins on one of them names it
 * by that number. */
void ew_nl_items(struct ew_nl_batch *b, uint32_t first, uint32_t per);

void ew_nl_request(struct ew_nl_batch *b, int type, int flags, int family);
void ew_nl_end(struct ew_nl_batch *b);

/* A NETLINK_NETFILTER socket with a receive timeout, or -1 (errno). */
int ew_nl_socket(void);

/* Takes len bytes of replies; sets *done at NLMSG_DONE (or the one answer
 * of a request that is no dump), *error to an NLMSG_ERROR's errno.
 * Returns -1 when the bytes are not well formed. */
typedef int (*ew_nl_parse_fn)(void *ctx, const void *buf, size_t len, int *done, int *error);

/* Send the request req and feed every reply to parse until done. 0, or
 * -1 with errno set (the kernel's error, or the socket's). */
int ew_nl_dump(int fd, struct ew_nl_batch *req, ew_nl_parse_fn parse, void *ctx);

void ew_nl_put(struct ew_nl_batch *b, int type, const void *data, size_t len);
void ew_nl_put_str(struct ew_nl_batch *b, int type, const char *s);
void ew_nl_put_be32(struct ew_nl_batch *b, int type, uint32_t v);
void ew_nl_nest(struct ew_nl_batch *b, int type);
void ew_nl_end_nest(struct ew_nl_batch *b);

/* The ruleset's generation now. 0, or -1 (no nf_tables). */
int ew_nl_genid(uint32_t *gen);

/* Send the batch, framed by BATCH_BEGIN (with the ruleset generation, so
 * a concurrent change fails it: the current one, or b->gen when gen_set)
 * and BATCH_END, and read every ack. 0, or -1 with err naming the first
 * message the kernel refused and its reason; then nothing was committed. */
int ew_nl_commit(struct ew_nl_batch *b, char *err, size_t n);

/* The errno of an NLMSG_ERROR's payload (a negative int; 0 for an ack);
 * EIO for a value that is no errno. */
int ew_nl_errno(const void *payload);

/* The acks in len bytes of replies to b: counts them in *have and, at the
 * first error, names the message in err (*failed set). Any bytes at all
 * are safe here (it has a fuzz target). */
void ew_nl_acks(const struct ew_nl_batch *b, const void *buf, size_t len, uint32_t *have,
		int *failed, char *err, size_t n);

#endif
