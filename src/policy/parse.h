/*
 * parse.h - the allowlist entry grammar, shared by the build-time generator
 * and the binary.
 *
 *   entry  := [ proto [ "/" ports ] "@" ] target
 *   proto  := tcp | udp | icmp | any
 *   ports  := range { "," range }        range := port [ "-" port ]
 *   target := IPv4 [ "/" 0..32 ] | IPv6 [ "/" 0..128 ]
 */
#ifndef EW_PARSE_H
#define EW_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define EW_MAX_PORTS 15     /* kernel multiport slots; a range takes two */
#define EW_MAX_ENTRY 128    /* longest entry text accepted */
#define EW_WHY_MAX 160

enum ew_proto { EW_ANY, EW_TCP, EW_UDP, EW_ICMP };

struct ew_range {
	uint16_t lo, hi;
};

struct ew_ports {
	uint8_t n;
	struct ew_range r[EW_MAX_PORTS];
};

struct ew_entry {
	uint8_t family;         /* 4 or 6 */
	uint8_t proto;          /* enum ew_proto */
	uint8_t prefix;         /* 0..32 or 0..128 */
	uint8_t addr[16];       /* network byte order, host bits zero */
	struct ew_ports ports;  /* destination ports; n == 0 means all */
};

/* Parse one entry of len bytes. Returns 0, or -1 with the reason in why. */
int ew_parse_entry(const char *text, size_t len, struct ew_entry *out,
		   char *why, size_t whylen);

/* Order entries (all fields, padding ignored); 0 when equal. */
int ew_entry_cmp(const struct ew_entry *a, const struct ew_entry *b);

/* Format an entry back into the grammar; returns the length written. */
size_t ew_format_entry(const struct ew_entry *e, char *buf, size_t len);

/* Format an address with its prefix length ("192.0.2.0/24"). */
void ew_format_addr(int family, const uint8_t *addr, int prefix,
		    char *buf, size_t len);

/* Format a port list: "80,443,8000-8080" with range_sep '-', or ':'. */
size_t ew_format_ports(const struct ew_ports *p, char range_sep, char *buf,
		       size_t len);

/* Number of multiport slots the port list uses (a range takes two). */
int ew_port_slots(const struct ew_ports *p);

#endif
