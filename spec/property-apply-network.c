/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ip-prefix.h"
#include "parse-util.h"
#include "property-apply.h"
#include "property-appliers.h"
#include "strv.h"

/* IPAddressAllow=/IPAddressDeny= a(iayu): as in systemd, entries accumulate and an empty list resets.
 * The addresses are kept masked to their prefix, as systemd keeps them. */
int apply_ip_address_list(SandboxSpec *s, const PropertyValue *v, char **msg) {
        bool allow = streq(v->info->name, "IPAddressAllow");
        IPAddressPrefix **list = allow ? &s->ip_address_allow : &s->ip_address_deny;
        size_t *n = allow ? &s->n_ip_address_allow : &s->n_ip_address_deny;
        IPAddressPrefix *parsed, *grown;
        size_t n_new = 0;
        int r;

        if (v->n_tuples == 0) {
                free(*list);
                *list = NULL;
                *n = 0;
                return 0;
        }
        if (v->n_tuples > IP_ADDRESS_PREFIXES_MAX || *n + v->n_tuples > IP_ADDRESS_PREFIXES_MAX)
                return property_fail(msg, -EINVAL, "%s: more than %u address prefixes", v->info->name,
                                     IP_ADDRESS_PREFIXES_MAX);
        parsed = calloc(v->n_tuples, sizeof(IPAddressPrefix));
        if (!parsed)
                return -ENOMEM;
        for (size_t i = 0; i < v->n_tuples; i++) {
                const PropertyTuple *t = v->tuples + i;

                r = ip_prefix_from_parts(t->i, t->bytes, t->n_bytes, t->u, parsed + n_new);
                if (r == -EAFNOSUPPORT)
                        r = property_fail(msg, -EINVAL, "%s: address family %d is neither AF_INET nor AF_INET6",
                                          v->info->name, t->i);
                else if (r == -EINVAL && t->n_bytes > 16)
                        r = property_fail(msg, -EINVAL, "%s: address of more than 16 bytes", v->info->name);
                else if (r == -EINVAL)
                        r = property_fail(msg, -EINVAL, "%s: address of %zu bytes, %s takes %zu", v->info->name,
                                          t->n_bytes, t->i == AF_INET ? "AF_INET" : "AF_INET6",
                                          ip_family_address_size(t->i));
                else if (r == -ERANGE)
                        r = property_fail(msg, -EINVAL, "%s: prefix length %u is longer than the address",
                                          v->info->name, t->u);
                if (r < 0) {
                        free(parsed);
                        return r;
                }
                if (!ip_prefixes_contain(*list, *n, parsed + n_new))
                        n_new++;
        }
        grown = realloc(*list, (*n + n_new) * sizeof(IPAddressPrefix));
        if (!grown && *n + n_new > 0) {
                free(parsed);
                return -ENOMEM;
        }
        memcpy(grown + *n, parsed, n_new * sizeof(IPAddressPrefix));
        free(parsed);
        *list = grown;
        *n += n_new;
        return 0;
}

int apply_ip_accounting(SandboxSpec *s, const PropertyValue *v, char **msg) {
        s->ip_accounting = v->b;
        return 0;
}

/* As systemd's ifname_valid_full() with alternative names: up to 127 bytes, no "/", ":" or white
 * space, not "." or "..", not all digits (that would read as an ifindex). */
static bool interface_name_is_valid(const char *n) {
        size_t l = strlen(n);

        if (l == 0 || l >= 128 || streq(n, ".") || streq(n, "..") || strspn(n, "0123456789") == l)
                return false;
        for (const char *p = n; *p; p++)
                if (*p == '/' || *p == ':' || (unsigned char) *p <= ' ' || *p == 0x7f)
                        return false;
        return true;
}

/* As in systemd: (b, []) resets; the first names of an empty set choose allow (b) or deny (~) list; later
 * names of the same kind add to it, of the other kind remove from it. An emptied set restricts nothing. */
int apply_restrict_network_interfaces(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (strv_length(v->strv) == 0) {
                s->network_interfaces = strv_free(s->network_interfaces);
                s->network_interfaces_mode = -1;
                return 0;
        }
        STRV_FOREACH(n, v->strv)
                if (!interface_name_is_valid(*n))
                        return property_fail(msg, -EINVAL, "%s: invalid interface name \"%s\"", v->info->name, *n);
        if (strv_length(v->strv) + strv_length(s->network_interfaces) > IP_ADDRESS_PREFIXES_MAX)
                return property_fail(msg, -EINVAL, "%s: more than %u interfaces", v->info->name,
                                     IP_ADDRESS_PREFIXES_MAX);

        if (strv_length(s->network_interfaces) == 0)
                s->network_interfaces_mode = v->b;
        STRV_FOREACH(n, v->strv) {
                if (v->b != (s->network_interfaces_mode == 1))
                        strv_remove(s->network_interfaces, *n);
                else if (!strv_contains(s->network_interfaces, *n) && strv_extend(&s->network_interfaces, *n) < 0)
                        return -ENOMEM;
        }
        if (strv_length(s->network_interfaces) == 0) {
                s->network_interfaces = strv_free(s->network_interfaces);
                s->network_interfaces_mode = -1;
        }
        return 0;
}

/* SocketBindAllow=/SocketBindDeny= a(iiqq): entries accumulate, an empty list resets, at most 128 each,
 * as in systemd. */
int apply_socket_bind(SandboxSpec *s, const PropertyValue *v, char **msg) {
        bool allow = streq(v->info->name, "SocketBindAllow");
        SocketBindRule **list = allow ? &s->socket_bind_allow : &s->socket_bind_deny, *grown;
        size_t *n = allow ? &s->n_socket_bind_allow : &s->n_socket_bind_deny;

        if (v->n_tuples == 0) {
                free(*list);
                *list = NULL;
                *n = 0;
                return 0;
        }
        if (v->n_tuples > SOCKET_BIND_RULES_MAX || *n + v->n_tuples > SOCKET_BIND_RULES_MAX)
                return property_fail(msg, -EINVAL, "%s: more than %u entries", v->info->name, SOCKET_BIND_RULES_MAX);
        for (size_t i = 0; i < v->n_tuples; i++) {
                const PropertyTuple *t = v->tuples + i;
                SocketBindRule r = { .family = t->i, .protocol = t->i2, .nr_ports = t->q1, .port_min = t->q2 };
                int k = socket_bind_rule_check(&r);

                if (k == -EAFNOSUPPORT)
                        return property_fail(msg, -EINVAL, "%s: address family %d is none of AF_UNSPEC, AF_INET, AF_INET6",
                                             v->info->name, t->i);
                if (k == -EPROTONOSUPPORT)
                        return property_fail(msg, -EINVAL, "%s: protocol %d is neither tcp nor udp", v->info->name, t->i2);
                if (k < 0)
                        return property_fail(msg, -EINVAL, "%s: %u ports from port %u are not within 1…65535",
                                             v->info->name, t->q1, t->q2);
        }
        grown = realloc(*list, (*n + v->n_tuples) * sizeof(SocketBindRule));
        if (!grown)
                return -ENOMEM;
        for (size_t i = 0; i < v->n_tuples; i++)
                grown[*n + i] = (SocketBindRule) { .family = v->tuples[i].i, .protocol = v->tuples[i].i2,
                                                   .nr_ports = v->tuples[i].q1, .port_min = v->tuples[i].q2 };
        *list = grown;
        *n += v->n_tuples;
        return 0;
}

/* NetworkNamespacePath= s: an absolute path without "..", simplified; the last one wins and "" resets,
 * as for any scalar. The daemon opens it as the caller when the job starts. */
int apply_network_namespace_path(SandboxSpec *s, const PropertyValue *v, char **msg) {
        char *path = NULL;
        int r;

        if (v->s[0]) {
                r = path_simplify_absolute(v->s, &path);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return property_fail(msg, -EINVAL, "%s: \"%s\" is not an absolute path without \"..\"",
                                             v->info->name, v->s);
        }
        free(s->network_namespace_path);
        s->network_namespace_path = path;
        return 0;
}
