/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* IPAddressAllow=/IPAddressDeny= entries: an address prefix of one family, as systemd's a(iayu). */

typedef struct IPAddressPrefix {
        int family;           /* AF_INET or AF_INET6 */
        uint8_t address[16];  /* network byte order, masked to the prefix; AF_INET uses the first 4 */
        unsigned prefixlen;
} IPAddressPrefix;

/* Entries per list: far above any real use; the daemon sizes its LPM tries by it. */
#define IP_ADDRESS_PREFIXES_MAX 4096

size_t ip_family_address_size(int family); /* 4, 16, or 0 for another family */

/* Validates one (family, address, prefix length) and fills *ret masked, as systemd stores it.
 * -EAFNOSUPPORT for a family other than AF_INET/AF_INET6, -EINVAL for an address of the wrong size,
 * -ERANGE for a prefix longer than the address. */
int ip_prefix_from_parts(int family, const uint8_t *address, size_t size, uint32_t prefixlen, IPAddressPrefix *ret);

/* One word of the -p text, as systemd-run reads it: "any", "localhost", "link-local", "multicast"
 * (one prefix of each family), or ADDRESS[/PREFIXLEN] (without a length, the whole address).
 * Fills 1 or 2 prefixes. -EINVAL for anything else. */
int ip_prefix_parse_word(const char *word, IPAddressPrefix ret[2], size_t *ret_n);

bool ip_prefix_equal(const IPAddressPrefix *a, const IPAddressPrefix *b);
bool ip_prefixes_contain(const IPAddressPrefix *l, size_t n, const IPAddressPrefix *p);

/* "10.0.0.0/8", "::1/128". */
int ip_prefix_to_string(const IPAddressPrefix *p, char **ret);

/* SocketBindAllow=/SocketBindDeny= entries, as systemd's a(iiqq): AF_UNSPEC/AF_INET/AF_INET6, 0 (any),
 * IPPROTO_TCP or IPPROTO_UDP, and nr_ports ports from port_min (nr_ports 0: any port). */
typedef struct SocketBindRule {
        int family;
        int protocol;
        uint16_t nr_ports;
        uint16_t port_min;
} SocketBindRule;

/* Entries per list, as systemd's limit. */
#define SOCKET_BIND_RULES_MAX 128

/* Validates a rule from the wire; -EAFNOSUPPORT, -EPROTONOSUPPORT, or -ERANGE for ports outside 1…65535. */
int socket_bind_rule_check(const SocketBindRule *r);
/* "any" or "[ipv4|ipv6:][tcp|udp:]PORT[-PORT]", as systemd-run reads it. */
int socket_bind_rule_parse(const char *s, SocketBindRule *ret);
