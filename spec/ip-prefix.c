/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ip-prefix.h"
#include "macro.h"

size_t ip_family_address_size(int family) {
        return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static void mask_to_prefix(uint8_t *address, size_t size, unsigned prefixlen) {
        for (size_t i = 0; i < size; i++) {
                unsigned bits = prefixlen > i * 8 ? prefixlen - (unsigned) i * 8 : 0;
                address[i] &= bits >= 8 ? 0xff : (uint8_t) (0xff << (8 - bits));
        }
}

int ip_prefix_from_parts(int family, const uint8_t *address, size_t size, uint32_t prefixlen, IPAddressPrefix *ret) {
        size_t want = ip_family_address_size(family);
        IPAddressPrefix p = { .family = family };

        if (want == 0)
                return -EAFNOSUPPORT;
        if (size != want)
                return -EINVAL;
        if (prefixlen > want * 8)
                return -ERANGE;
        memcpy(p.address, address, size);
        p.prefixlen = prefixlen;
        mask_to_prefix(p.address, size, prefixlen);
        *ret = p;
        return 0;
}

static int parse_address_prefix(const char *word, IPAddressPrefix *ret) {
        const char *slash = strchr(word, '/');
        char host[INET6_ADDRSTRLEN + 1];
        uint8_t address[16];
        unsigned long len;
        size_t n = slash ? (size_t) (slash - word) : strlen(word);
        int family;
        char *end;

        if (n == 0 || n >= sizeof host)
                return -EINVAL;
        memcpy(host, word, n);
        host[n] = 0;
        if (inet_pton(AF_INET, host, address) == 1)
                family = AF_INET;
        else if (inet_pton(AF_INET6, host, address) == 1)
                family = AF_INET6;
        else
                return -EINVAL;
        len = ip_family_address_size(family) * 8;
        if (slash) {
                if (slash[1] < '0' || slash[1] > '9')
                        return -EINVAL;
                errno = 0;
                len = strtoul(slash + 1, &end, 10);
                if (errno || *end)
                        return -EINVAL;
                if (len > ip_family_address_size(family) * 8)
                        return -ERANGE;
        }
        return ip_prefix_from_parts(family, address, ip_family_address_size(family), (uint32_t) len, ret);
}

int ip_prefix_parse_word(const char *word, IPAddressPrefix ret[2], size_t *ret_n) {
        static const struct {
                const char *name;
                const char *v4, *v6;
        } names[] = {
                { "any", "0.0.0.0/0", "::/0" },
                { "localhost", "127.0.0.0/8", "::1/128" },
                { "link-local", "169.254.0.0/16", "fe80::/64" },
                { "multicast", "224.0.0.0/4", "ff00::/8" },
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(word, names[i].name)) {
                        r = parse_address_prefix(names[i].v4, &ret[0]);
                        if (r >= 0)
                                r = parse_address_prefix(names[i].v6, &ret[1]);
                        if (r < 0)
                                return r;
                        *ret_n = 2;
                        return 0;
                }
        r = parse_address_prefix(word, &ret[0]);
        if (r < 0)
                return r;
        *ret_n = 1;
        return 0;
}

bool ip_prefix_equal(const IPAddressPrefix *a, const IPAddressPrefix *b) {
        return a->family == b->family && a->prefixlen == b->prefixlen &&
               memcmp(a->address, b->address, ip_family_address_size(a->family)) == 0;
}

bool ip_prefixes_contain(const IPAddressPrefix *l, size_t n, const IPAddressPrefix *p) {
        for (size_t i = 0; i < n; i++)
                if (ip_prefix_equal(l + i, p))
                        return true;
        return false;
}

int ip_prefix_to_string(const IPAddressPrefix *p, char **ret) {
        char host[INET6_ADDRSTRLEN];

        if (!inet_ntop(p->family, p->address, host, sizeof host))
                return -errno;
        return asprintf(ret, "%s/%u", host, p->prefixlen) < 0 ? -ENOMEM : 0;
}

int socket_bind_rule_check(const SocketBindRule *r) {
        if (r->family != AF_UNSPEC && r->family != AF_INET && r->family != AF_INET6)
                return -EAFNOSUPPORT;
        if (r->protocol != 0 && r->protocol != IPPROTO_TCP && r->protocol != IPPROTO_UDP)
                return -EPROTONOSUPPORT;
        if (r->nr_ports == 0 ? r->port_min != 0 : r->port_min == 0 || (uint32_t) r->port_min + r->nr_ports > 65536)
                return -ERANGE;
        return 0;
}

static int parse_port(const char *s, size_t n, unsigned *ret) {
        unsigned long v;
        char buf[8], *end;

        if (n == 0 || n >= sizeof buf || s[0] < '0' || s[0] > '9')
                return -EINVAL;
        memcpy(buf, s, n);
        buf[n] = 0;
        errno = 0;
        v = strtoul(buf, &end, 10);
        if (errno || *end)
                return -EINVAL;
        if (v == 0 || v > 65535)
                return -ERANGE;
        *ret = (unsigned) v;
        return 0;
}

int socket_bind_rule_parse(const char *s, SocketBindRule *ret) {
        SocketBindRule r = {};
        const char *dash;
        unsigned low, high;
        int k;

        if (streq(s, "any")) {
                *ret = r;
                return 0;
        }
        if (strncmp(s, "ipv4:", 5) == 0 || strncmp(s, "ipv6:", 5) == 0) {
                r.family = s[3] == '4' ? AF_INET : AF_INET6;
                s += 5;
        }
        if (strncmp(s, "tcp:", 4) == 0 || strncmp(s, "udp:", 4) == 0) {
                r.protocol = s[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
                s += 4;
        }
        dash = strchr(s, '-');
        k = parse_port(s, dash ? (size_t) (dash - s) : strlen(s), &low);
        if (k < 0)
                return k;
        high = low;
        if (dash) {
                k = parse_port(dash + 1, strlen(dash + 1), &high);
                if (k < 0)
                        return k;
                if (high < low)
                        return -ERANGE;
        }
        r.port_min = (uint16_t) low;
        r.nr_ports = (uint16_t) (high - low + 1);
        *ret = r;
        return 0;
}
