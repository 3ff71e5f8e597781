/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* IPAddressAllow=/IPAddressDeny=/IPAccounting=: the -p text as systemd-run reads it, the appliers'
 * validation and merging, and the strictness order. The programs themselves are proven from inside
 * jobs (tests/escape/test-network-escapes.py). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "ip-prefix.h"
#include "property-apply.h"
#include "sandbox-spec.h"
#include "spec-strictness.h"
#include "strv.h"
#include "tap.h"

static char *prefix_text(const IPAddressPrefix *p) {
        char *s = NULL;
        return ip_prefix_to_string(p, &s) < 0 ? NULL : s;
}

static void test_words(void) {
        static const struct {
                const char *word;
                const char *first, *second;
        } good[] = {
                { "any", "0.0.0.0/0", "::/0" },
                { "localhost", "127.0.0.0/8", "::1/128" },
                { "link-local", "169.254.0.0/16", "fe80::/64" },
                { "multicast", "224.0.0.0/4", "ff00::/8" },
                { "10.1.2.3", "10.1.2.3/32", NULL },
                { "10.1.2.3/8", "10.0.0.0/8", NULL }, /* masked, as systemd stores it */
                { "2001:db8::1/32", "2001:db8::/32", NULL },
                { "::1", "::1/128", NULL },
                { "0.0.0.0/0", "0.0.0.0/0", NULL },
        };
        static const char *const bad[] = { "", "anything", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1",
                                           "10.0.0.0/8x", "10.0.0", "300.0.0.0", "fe80::1%eth0", "/8",
                                           "10.0.0.0/08 1" };

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                IPAddressPrefix p[2];
                size_t n = 0;
                char *a = NULL, *b = NULL;

                TAP_POINT(ip_prefix_parse_word(good[i].word, p, &n) >= 0, "%s parses", good[i].word);
                ASSERT_EQ(n, good[i].second ? 2 : 1);
                a = prefix_text(&p[0]);
                ASSERT_STREQ(a, good[i].first);
                if (good[i].second) {
                        b = prefix_text(&p[1]);
                        ASSERT_STREQ(b, good[i].second);
                }
                free(a);
                free(b);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                IPAddressPrefix p[2];
                size_t n;
                TAP_POINT(ip_prefix_parse_word(bad[i], p, &n) < 0, "\"%s\" refused", bad[i]);
        }
}

static void test_text_and_merging(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        char *msg = NULL;

        ASSERT_OK(property_apply_text(s, "IPAddressDeny=any", &msg));
        ASSERT_EQ(s->n_ip_address_deny, 2);
        ASSERT_OK(property_apply_text(s, "IPAddressDeny=localhost 10.0.0.0/8 any", &msg));
        ASSERT_EQ(s->n_ip_address_deny, 5); /* "any" once: the same prefix is kept once */
        ASSERT_OK(property_apply_text(s, "IPAddressAllow=192.168.0.0/16", &msg));
        ASSERT_EQ(s->n_ip_address_allow, 1);
        ASSERT_OK(property_apply_text(s, "IPAddressDeny=", &msg)); /* empty resets, as in systemd */
        ASSERT_EQ(s->n_ip_address_deny, 0);
        ASSERT_EQ(s->n_ip_address_allow, 1);
        ASSERT_OK(property_apply_text(s, "IPAccounting=yes", &msg));
        ASSERT_TRUE(s->ip_accounting);
        ASSERT_TRUE(sandbox_spec_wants_network_bpf(s));

        TAP_POINT(property_apply_text(s, "IPAddressDeny=10.0.0.0/33", &msg) == -EINVAL, "a prefix too long: %s", msg);
        ASSERT_TRUE(msg && strstr(msg, "IPAddressDeny"));
        free(msg);
        msg = NULL;
        TAP_POINT(property_apply_text(s, "IPAddressAllow=localhost nowhere", &msg) == -EINVAL, "a bad word: %s", msg);
        ASSERT_TRUE(msg && strstr(msg, "IPAddressAllow"));
        free(msg);
        ASSERT_EQ(s->n_ip_address_allow, 1); /* unchanged by the refused value */
}

static void test_wire_values(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        uint8_t v4[4] = { 10, 1, 2, 3 }, long_address[17] = {};
        PropertyTuple good = { .i = AF_INET, .bytes = v4, .n_bytes = 4, .u = 8 };
        PropertyTuple bad[] = {
                { .i = AF_UNIX, .bytes = v4, .n_bytes = 4, .u = 8 },
                { .i = AF_INET6, .bytes = v4, .n_bytes = 4, .u = 8 },
                { .i = AF_INET, .bytes = v4, .n_bytes = 4, .u = 33 },
                { .i = AF_INET, .bytes = long_address, .n_bytes = 17, .u = 8 },
        };
        PropertyValue v = { .info = property_info_lookup("IPAddressDeny"), .tuples = &good, .n_tuples = 1 };
        char *msg = NULL;

        ASSERT_OK(property_apply(s, &v, &msg));
        ASSERT_EQ(s->n_ip_address_deny, 1);
        ASSERT_EQ(s->ip_address_deny[0].address[1], 0); /* masked to /8 */
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                v.tuples = bad + i;
                TAP_POINT(property_apply(s, &v, &msg) == -EINVAL, "bad tuple %zu refused: %s", i, msg);
                free(msg);
                msg = NULL;
        }
        ASSERT_EQ(s->n_ip_address_deny, 1);
}

static void test_strictness(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *base = sandbox_spec_new(), *s = sandbox_spec_new();
        const char *looser = NULL;
        char *msg = NULL;

        ASSERT_OK(property_apply_text(base, "IPAddressDeny=any", &msg));
        ASSERT_OK(property_apply_text(base, "IPAddressAllow=10.0.0.0/8 127.0.0.1", &msg));
        ASSERT_OK(property_apply_text(s, "IPAddressDeny=any localhost", &msg));
        ASSERT_OK(property_apply_text(s, "IPAddressAllow=10.0.0.0/8", &msg));
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &looser)); /* more denied, less allowed */

        ASSERT_OK(property_apply_text(s, "IPAddressAllow=192.168.0.0/16", &msg));
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "IPAddressAllow");

        ASSERT_OK(property_apply_text(s, "IPAddressAllow=", &msg));
        ASSERT_OK(property_apply_text(s, "IPAddressDeny=", &msg));
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "IPAddressDeny");
}

static void test_restrict_network_interfaces(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        static const char *const bad[] = { "RestrictNetworkInterfaces=a/b", "RestrictNetworkInterfaces=eth0:1",
                                           "RestrictNetworkInterfaces=123", "RestrictNetworkInterfaces=..",
                                           "RestrictNetworkInterfaces=~lo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
        char *msg = NULL;

        ASSERT_OK(property_apply_text(s, "RestrictNetworkInterfaces=lo eth0", &msg));
        ASSERT_EQ(s->network_interfaces_mode, 1);
        ASSERT_EQ(strv_length(s->network_interfaces), 2);
        ASSERT_OK(property_apply_text(s, "RestrictNetworkInterfaces=~eth0", &msg)); /* removes from the allow-list */
        ASSERT_EQ(s->network_interfaces_mode, 1);
        ASSERT_EQ(strv_length(s->network_interfaces), 1);
        ASSERT_STREQ(s->network_interfaces[0], "lo");
        ASSERT_OK(property_apply_text(s, "RestrictNetworkInterfaces=~lo", &msg)); /* emptied: no restriction */
        ASSERT_EQ(s->network_interfaces_mode, -1);
        ASSERT_OK(property_apply_text(s, "RestrictNetworkInterfaces=~ifb0", &msg)); /* an empty set takes the new mode */
        ASSERT_EQ(s->network_interfaces_mode, 0);
        ASSERT_OK(property_apply_text(s, "RestrictNetworkInterfaces=", &msg));
        ASSERT_EQ(s->network_interfaces_mode, -1);
        ASSERT_TRUE(!sandbox_spec_wants_network_bpf(s));

        ASSERT_OK(property_apply_text(s, "RestrictNetworkInterfaces=~lo", &msg));
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                TAP_POINT(property_apply_text(s, bad[i], &msg) == -EINVAL && msg && strstr(msg, "RestrictNetworkInterfaces"),
                          "%s refused: %s", bad[i], msg);
                free(msg);
                msg = NULL;
        }
        ASSERT_EQ(strv_length(s->network_interfaces), 1); /* unchanged */
}

static void test_socket_bind(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        static const struct {
                const char *text;
                SocketBindRule rule;
        } good[] = {
                { "any", { AF_UNSPEC, 0, 0, 0 } },
                { "80", { AF_UNSPEC, 0, 1, 80 } },
                { "tcp:80", { AF_UNSPEC, IPPROTO_TCP, 1, 80 } },
                { "ipv6:udp:5000-5010", { AF_INET6, IPPROTO_UDP, 11, 5000 } },
                { "ipv4:1-65535", { AF_INET, 0, 65535, 1 } },
                { "65535", { AF_UNSPEC, 0, 1, 65535 } },
        };
        static const char *const bad[] = { "0", "65536", "tcp:0", "10-5", "ipv5:80", "sctp:80", "udp:tcp:80",
                                           "tcp:ipv4:80", "80-", "-80", "any:80", "ipv4:any", "1-65536", "eighty" };
        char *msg = NULL;

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                SocketBindRule r = { -1, -1, 0, 0 };
                TAP_POINT(socket_bind_rule_parse(good[i].text, &r) >= 0 && r.family == good[i].rule.family &&
                                  r.protocol == good[i].rule.protocol && r.nr_ports == good[i].rule.nr_ports &&
                                  r.port_min == good[i].rule.port_min,
                          "%s → (%d, %d, %u, %u)", good[i].text, r.family, r.protocol, r.nr_ports, r.port_min);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                SocketBindRule r;
                TAP_POINT(socket_bind_rule_parse(bad[i], &r) < 0, "\"%s\" refused", bad[i]);
        }

        ASSERT_OK(property_apply_text(s, "SocketBindDeny=any", &msg));
        ASSERT_OK(property_apply_text(s, "SocketBindAllow=tcp:80", &msg));
        ASSERT_OK(property_apply_text(s, "SocketBindAllow=ipv6:udp:53", &msg));
        ASSERT_EQ(s->n_socket_bind_allow, 2);
        ASSERT_OK(property_apply_text(s, "SocketBindAllow=", &msg));
        ASSERT_EQ(s->n_socket_bind_allow, 0);
        ASSERT_EQ(s->n_socket_bind_deny, 1);
        TAP_POINT(property_apply_text(s, "SocketBindDeny=65536", &msg) < 0 && msg && strstr(msg, "SocketBindDeny"),
                  "port 65536: %s", msg);
        free(msg);
        msg = NULL;
        for (int i = 1; i < SOCKET_BIND_RULES_MAX; i++)
                ASSERT_OK(property_apply_text(s, "SocketBindDeny=tcp:1000", &msg));
        TAP_POINT(property_apply_text(s, "SocketBindDeny=tcp:1000", &msg) == -EINVAL && msg && strstr(msg, "128"),
                  "the 129th entry: %s", msg);
        free(msg);
        ASSERT_EQ(s->n_socket_bind_deny, SOCKET_BIND_RULES_MAX);
}

static void test_network_namespace_path(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *base = sandbox_spec_new(), *s = sandbox_spec_new();
        const char *looser = NULL;
        char *msg = NULL;

        ASSERT_OK(property_apply_text(s, "NetworkNamespacePath=/run/netns//x/.", &msg));
        ASSERT_STREQ(s->network_namespace_path, "/run/netns/x");
        TAP_POINT(property_apply_text(s, "NetworkNamespacePath=run/netns/y", &msg) == -EINVAL &&
                          strstr(msg, "NetworkNamespacePath"), "relative: %s", msg);
        free(msg);
        msg = NULL;
        TAP_POINT(property_apply_text(s, "NetworkNamespacePath=/run/../proc/1/ns/net", &msg) == -EINVAL, "..: %s", msg);
        free(msg);
        msg = NULL;
        ASSERT_STREQ(s->network_namespace_path, "/run/netns/x");

        /* Another namespace than the profile's is less isolation. */
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "NetworkNamespacePath");
        ASSERT_OK(property_apply_text(base, "NetworkNamespacePath=/run/netns/x", &msg));
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_OK(property_apply_text(s, "NetworkNamespacePath=", &msg));
        ASSERT_TRUE(s->network_namespace_path == NULL);
}

int main(void) {
        test_network_namespace_path();
        test_socket_bind();
        test_restrict_network_interfaces();
        test_words();
        test_text_and_merging();
        test_wire_values();
        test_strictness();
        return tap_finish();
}
