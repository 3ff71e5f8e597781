/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DeviceAllow= and DevicePolicy=: the pure side (device-policy.c), the properties that fill it,
 * its serialization to confine-exec, and the profile strictness check. */
#include "device-policy.h"
#include "property-apply.h"
#include "property-table.h"
#include "sandbox-spec.h"
#include "spec-serialize.h"
#include "spec-strictness.h"
#include "tap.h"

#define ACC_RW (DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE)

static const char proc_devices[] =
        "Character devices:\n"
        "  1 mem\n"
        "  4 /dev/vc/0\n"
        "  4 tty\n"
        "  4 ttyS\n"
        "  5 /dev/tty\n"
        "  5 /dev/ptmx\n"
        " 10 misc\n"
        "136 pts\n"
        "203 cpu/cpuid\n"
        "\n"
        "Block devices:\n"
        "  7 loop\n"
        "253 zram\n"
        "259 blkext\n";

static void test_policy_names(void) {
        ASSERT_EQ(device_policy_from_string("auto"), DEVICE_POLICY_AUTO);
        ASSERT_EQ(device_policy_from_string("closed"), DEVICE_POLICY_CLOSED);
        ASSERT_EQ(device_policy_from_string("strict"), DEVICE_POLICY_STRICT);
        ASSERT_EQ(device_policy_from_string("Strict"), _DEVICE_POLICY_INVALID);
        ASSERT_EQ(device_policy_from_string(""), _DEVICE_POLICY_INVALID);
        ASSERT_STREQ(device_policy_to_string(DEVICE_POLICY_CLOSED), "closed");
        ASSERT_TRUE(device_policy_to_string(_DEVICE_POLICY_MAX) == NULL);
}

static void test_access(void) {
        static const struct {
                const char *s;
                int r;
                unsigned access;
                const char *back;
        } cases[] = {
                { "", 0, DEVICE_ACCESS_ALL, "rwm" },
                { "r", 0, DEVICE_ACCESS_READ, "r" },
                { "w", 0, DEVICE_ACCESS_WRITE, "w" },
                { "m", 0, DEVICE_ACCESS_MKNOD, "m" },
                { "rw", 0, ACC_RW, "rw" },
                { "wr", 0, ACC_RW, "rw" },
                { "mwr", 0, DEVICE_ACCESS_ALL, "rwm" },
                { "rr", -EINVAL, 0, NULL },
                { "rwmr", -EINVAL, 0, NULL },
                { "x", -EINVAL, 0, NULL },
                { "r w", -EINVAL, 0, NULL },
                { "R", -EINVAL, 0, NULL },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                unsigned access = 0;
                char buf[4];
                int r = device_access_from_string(cases[i].s, &access);
                TAP_POINT(r == cases[i].r && (r < 0 || access == cases[i].access), "access \"%s\" → %d, %u",
                          cases[i].s, r, access);
                if (r >= 0)
                        ASSERT_STREQ(device_access_to_string(access, buf), cases[i].back);
        }
}

static void test_node_kind(void) {
        static const struct {
                const char *node;
                int kind;
        } cases[] = {
                { "/dev/null", DEVICE_NODE_PATH },
                { "/dev/net/tun", DEVICE_NODE_PATH },
                { "/dev/char/1:3", DEVICE_NODE_PATH },
                { "char-pts", DEVICE_NODE_CHAR_CLASS },
                { "char-cpu/cpuid", DEVICE_NODE_CHAR_CLASS },
                { "char-*", DEVICE_NODE_CHAR_CLASS },
                { "char-10", DEVICE_NODE_CHAR_CLASS },
                { "block-loop", DEVICE_NODE_BLOCK_CLASS },
                { "/dev/", -EINVAL },
                { "/dev", -EINVAL },
                { "/dev/null/", -EINVAL },
                { "/dev//null", -EINVAL },
                { "/dev/../etc/shadow", -EINVAL },
                { "/dev/./null", -EINVAL },
                { "/dev/a\nb", -EINVAL },
                { "/etc/passwd", -EINVAL },
                { "/devnull", -EINVAL },
                { "dev/null", -EINVAL },
                { "", -EINVAL },
                { "char-", -EINVAL },
                { "block-", -EINVAL },
                { "char-a b", -EINVAL },
                { "char-\t", -EINVAL },
                { "pipe-x", -EINVAL },
                { "chr-pts", -EINVAL },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char buf[64];
                TAP_POINT(device_node_kind(cases[i].node) == cases[i].kind, "node \"%s\" → %d",
                          tap_escape(cases[i].node, buf, sizeof buf), cases[i].kind);
        }
}

static void test_levels(void) {
        ASSERT_TRUE(!device_policy_restricts(DEVICE_POLICY_AUTO, 0));
        ASSERT_TRUE(device_policy_restricts(DEVICE_POLICY_AUTO, 1));
        ASSERT_TRUE(device_policy_restricts(DEVICE_POLICY_CLOSED, 0));
        ASSERT_TRUE(device_policy_restricts(DEVICE_POLICY_STRICT, 0));
        ASSERT_EQ(device_policy_level(DEVICE_POLICY_AUTO, 0), 0);
        ASSERT_EQ(device_policy_level(DEVICE_POLICY_AUTO, 2), 1);
        ASSERT_EQ(device_policy_level(DEVICE_POLICY_CLOSED, 0), 1);
        ASSERT_EQ(device_policy_level(DEVICE_POLICY_STRICT, 0), 2);
        ASSERT_EQ(device_policy_level(DEVICE_POLICY_STRICT, 3), 2);
}

static void test_allow_list(void) {
        DeviceAllow *l = NULL, *b = NULL;
        size_t n = 0, nb = 0;
        char name[32];
        int r = 0;

        ASSERT_OK(device_allow_add(&l, &n, "/dev/null", DEVICE_ACCESS_READ));
        ASSERT_OK(device_allow_add(&l, &n, "char-pts", ACC_RW));
        ASSERT_OK(device_allow_add(&l, &n, "/dev/null", DEVICE_ACCESS_WRITE));
        ASSERT_EQ(n, 2);
        ASSERT_EQ(l[0].access, ACC_RW); /* one entry, both accesses */

        ASSERT_OK(device_allow_add(&b, &nb, "/dev/null", DEVICE_ACCESS_ALL));
        ASSERT_TRUE(!device_allow_is_subset(l, n, b, nb)); /* char-pts is not in b */
        ASSERT_OK(device_allow_add(&b, &nb, "char-pts", DEVICE_ACCESS_READ));
        ASSERT_TRUE(!device_allow_is_subset(l, n, b, nb)); /* w on char-pts is not */
        ASSERT_OK(device_allow_add(&b, &nb, "char-pts", DEVICE_ACCESS_WRITE));
        ASSERT_TRUE(device_allow_is_subset(l, n, b, nb));
        ASSERT_TRUE(device_allow_is_subset(NULL, 0, b, nb));
        ASSERT_TRUE(!device_allow_is_subset(b, nb, NULL, 0));

        for (unsigned i = n; i < DEVICE_ALLOW_MAX && r >= 0; i++) {
                snprintf(name, sizeof name, "/dev/x%u", i);
                r = device_allow_add(&l, &n, name, DEVICE_ACCESS_READ);
        }
        ASSERT_EQ(n, DEVICE_ALLOW_MAX);
        ASSERT_ERR(device_allow_add(&l, &n, "/dev/one-more", DEVICE_ACCESS_READ), -E2BIG);
        ASSERT_OK(device_allow_add(&l, &n, "/dev/null", DEVICE_ACCESS_MKNOD)); /* a merge still works */
        device_allow_free(l, n);
        device_allow_free(b, nb);
}

static void test_rules(void) {
        DeviceRule *rules = NULL;
        size_t n = 0;

        /* No rules: nothing is allowed (strict without DeviceAllow=). */
        ASSERT_TRUE(!device_rules_allow(NULL, 0, DEVICE_TYPE_CHAR, 1, 3, DEVICE_ACCESS_READ));

        ASSERT_OK(device_rules_add_inaccessible(&rules, &n));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 0, 0, DEVICE_ACCESS_MKNOD));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_BLOCK, 0, 0, DEVICE_ACCESS_MKNOD));
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 0, 0, DEVICE_ACCESS_READ));
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 1, 3, DEVICE_ACCESS_MKNOD));

        ASSERT_OK(device_rules_add_defaults(&rules, &n));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 1, 3, ACC_RW));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 1, 3, DEVICE_ACCESS_ALL));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 1, 9, DEVICE_ACCESS_READ));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 5, 0, ACC_RW));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 5, 2, ACC_RW));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 136, 7, ACC_RW));
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 136, 7, DEVICE_ACCESS_MKNOD)); /* pts: rw */
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_BLOCK, 1, 3, DEVICE_ACCESS_READ));    /* the type */
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 1, 1, DEVICE_ACCESS_READ));     /* /dev/mem */
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 1, 11, DEVICE_ACCESS_READ));    /* /dev/kmsg */
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 5, 1, ACC_RW));                 /* console */
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 4, 0, ACC_RW));                 /* tty0 */
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 10, 237, DEVICE_ACCESS_READ));
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_BLOCK, 7, 0, DEVICE_ACCESS_READ));

        /* A class: the whole major, with its own access. */
        ASSERT_OK(device_rules_add(&rules, &n, &(DeviceRule) { DEVICE_TYPE_BLOCK, 7, DEVICE_NUMBER_ANY, DEVICE_ACCESS_READ, NULL }));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_BLOCK, 7, 0, DEVICE_ACCESS_READ));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_BLOCK, 7, 4711, DEVICE_ACCESS_READ));
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_BLOCK, 7, 0, ACC_RW));
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 7, 0, DEVICE_ACCESS_READ));
        /* "char-*": every character device. */
        ASSERT_OK(device_rules_add(&rules, &n, &(DeviceRule) { DEVICE_TYPE_CHAR, DEVICE_NUMBER_ANY, DEVICE_NUMBER_ANY, DEVICE_ACCESS_WRITE, NULL }));
        ASSERT_TRUE(device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 10, 237, DEVICE_ACCESS_WRITE));
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_CHAR, 10, 237, ACC_RW));
        ASSERT_TRUE(!device_rules_allow(rules, n, DEVICE_TYPE_BLOCK, 253, 0, DEVICE_ACCESS_WRITE));
        /* The path is copied. */
        ASSERT_OK(device_rules_add(&rules, &n, &(DeviceRule) { DEVICE_TYPE_CHAR, 10, 200, DEVICE_ACCESS_READ, (char *) "/dev/net/tun" }));
        ASSERT_STREQ(rules[n - 1].path, "/dev/net/tun");
        device_rules_free(rules, n);

        rules = NULL;
        n = 0;
        int r = 0;
        for (unsigned i = 0; i < DEVICE_RULES_MAX && r >= 0; i++)
                r = device_rules_add(&rules, &n, &(DeviceRule) { DEVICE_TYPE_CHAR, 1, i, DEVICE_ACCESS_READ, NULL });
        ASSERT_ERR(device_rules_add(&rules, &n, &(DeviceRule) { DEVICE_TYPE_CHAR, 2, 0, DEVICE_ACCESS_READ, NULL }), -E2BIG);
        device_rules_free(rules, n);
}

static void check_class(DeviceType type, const char *name, int want_n, uint32_t want0, uint32_t want1) {
        uint32_t *majors = NULL;
        int k = device_class_majors(proc_devices, type, name, &majors);

        TAP_POINT(k == want_n && (k < 1 || majors[0] == want0) && (k < 2 || majors[1] == want1),
                  "%s-%s → %d majors (%u, %u)", type == DEVICE_TYPE_CHAR ? "char" : "block", name, k,
                  k > 0 ? majors[0] : 0, k > 1 ? majors[1] : 0);
        free(majors);
}

static void test_classes(void) {
        check_class(DEVICE_TYPE_CHAR, "pts", 1, 136, 0);
        check_class(DEVICE_TYPE_CHAR, "misc", 1, 10, 0);
        check_class(DEVICE_TYPE_CHAR, "mem", 1, 1, 0);
        check_class(DEVICE_TYPE_CHAR, "cpu/cpuid", 1, 203, 0);
        check_class(DEVICE_TYPE_CHAR, "/dev/vc/0", 1, 4, 0);
        check_class(DEVICE_TYPE_CHAR, "tty*", 1, 4, 0);           /* tty and ttyS: one major, once */
        check_class(DEVICE_TYPE_CHAR, "/dev/*", 2, 4, 5);
        check_class(DEVICE_TYPE_CHAR, "*", 1, DEVICE_NUMBER_ANY, 0);
        check_class(DEVICE_TYPE_CHAR, "10", 1, 10, 0);          /* a number is the major itself */
        check_class(DEVICE_TYPE_CHAR, "4095", 1, 4095, 0);
        check_class(DEVICE_TYPE_CHAR, "4096", 0, 0, 0);         /* not a major, and no such name */
        check_class(DEVICE_TYPE_CHAR, "loop", 0, 0, 0);         /* a block class only */
        check_class(DEVICE_TYPE_CHAR, "nope", 0, 0, 0);
        check_class(DEVICE_TYPE_BLOCK, "loop", 1, 7, 0);
        check_class(DEVICE_TYPE_BLOCK, "z*", 1, 253, 0);
        check_class(DEVICE_TYPE_BLOCK, "pts", 0, 0, 0);         /* a char class only */
        check_class(DEVICE_TYPE_BLOCK, "*", 1, DEVICE_NUMBER_ANY, 0);

        uint32_t *majors = NULL;
        ASSERT_EQ(device_class_majors("", DEVICE_TYPE_CHAR, "pts", &majors), 0);
        ASSERT_EQ(device_class_majors("Block devices:\n136 pts\n", DEVICE_TYPE_CHAR, "pts", &majors), 0);
        ASSERT_EQ(device_class_majors("Character devices:\nxyz pts\n 99999 pts\n", DEVICE_TYPE_CHAR, "pts", &majors), 0);
}

static void test_properties(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        const PropertyInfo *allow = property_info_lookup("DeviceAllow"), *policy = property_info_lookup("DevicePolicy");
        char *msg = NULL;

        ASSERT_TRUE(allow && streq(allow->signature, "a(ss)"));
        ASSERT_TRUE(policy && streq(policy->signature, "s"));

        ASSERT_TRUE(!sandbox_spec_restricts_devices(s));
        ASSERT_TRUE(!sandbox_spec_needs_mount_namespace(s));
        ASSERT_OK(property_apply_text(s, "DevicePolicy=auto", &msg));
        ASSERT_TRUE(!sandbox_spec_needs_mount_namespace(s));
        ASSERT_OK(property_apply_text(s, "DeviceAllow=", &msg)); /* resets an empty list */
        ASSERT_EQ(s->n_device_allow, 0);
        ASSERT_TRUE(!sandbox_spec_restricts_devices(s));

        ASSERT_OK(property_apply_text(s, "DeviceAllow=/dev/null rw", &msg));
        ASSERT_OK(property_apply_text(s, "DeviceAllow=char-pts", &msg));
        ASSERT_OK(property_apply_text(s, "DeviceAllow=\"/dev/net/tun\" r", &msg));
        ASSERT_EQ(s->n_device_allow, 3);
        ASSERT_STREQ(s->device_allow[0].node, "/dev/null");
        ASSERT_EQ(s->device_allow[0].access, ACC_RW);
        ASSERT_EQ(s->device_allow[1].access, DEVICE_ACCESS_ALL);
        ASSERT_EQ(s->device_allow[2].access, DEVICE_ACCESS_READ);
        ASSERT_TRUE(sandbox_spec_restricts_devices(s));
        ASSERT_TRUE(sandbox_spec_needs_mount_namespace(s));

        ASSERT_OK(property_apply_text(s, "DevicePolicy=strict", &msg));
        ASSERT_EQ(s->device_policy, DEVICE_POLICY_STRICT);
        ASSERT_OK(property_apply_text(s, "DevicePolicy=closed", &msg)); /* the last one wins, as in systemd */
        ASSERT_EQ(s->device_policy, DEVICE_POLICY_CLOSED);

        static const struct {
                const char *assignment;
                const char *needle;
        } bad[] = {
                { "DeviceAllow=/dev/null rx", "DeviceAllow: invalid access \"rx\"" },
                { "DeviceAllow=/dev/null rwmr", "DeviceAllow: invalid access" },
                { "DeviceAllow=null rw", "DeviceAllow: invalid device \"null\"" },
                { "DeviceAllow=/etc/shadow r", "DeviceAllow: invalid device \"/etc/shadow\"" },
                { "DeviceAllow=/dev/../etc/shadow r", "DeviceAllow: invalid device" },
                { "DeviceAllow=char- r", "DeviceAllow: invalid device" },
                { "DevicePolicy=maybe", "DevicePolicy: unknown value \"maybe\"" },
                { "DevicePolicy=", "DevicePolicy: unknown value" },
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                int r = property_apply_text(s, bad[i].assignment, &msg);
                TAP_POINT(r == -EINVAL && msg && strstr(msg, bad[i].needle), "%s → InvalidProperty \"%s\"",
                          bad[i].assignment, msg ?: "");
                free(msg);
                msg = NULL;
        }
        ASSERT_EQ(s->device_policy, DEVICE_POLICY_CLOSED); /* refused values changed nothing */
        ASSERT_EQ(s->n_device_allow, 3);

        /* Text: at most a node and an access. */
        PropertyValue v = { .fd = -EBADF };
        const char *reason = NULL;
        ASSERT_ERR(property_value_parse("DeviceAllow=/dev/null r w", &v, &reason), -EINVAL);
        ASSERT_OK(property_value_parse("DeviceAllow=  /dev/null   rw ", &v, &reason));
        ASSERT_EQ(v.n_tuples, 1);
        ASSERT_STREQ(v.tuples[0].a, "/dev/null");
        ASSERT_STREQ(v.tuples[0].b, "rw");
        property_value_done(&v);

        /* Over the bus: a(ss) with several entries, "" meaning rwm. */
        v = (PropertyValue) { .fd = -EBADF, .info = allow };
        ASSERT_OK(property_value_add_tuple(&v, &(PropertyTuple) { .fd = -EBADF, .a = strdup("block-loop"), .b = strdup("") }));
        ASSERT_OK(property_value_add_tuple(&v, &(PropertyTuple) { .fd = -EBADF, .a = strdup("/dev/kvm"), .b = strdup("rw") }));
        ASSERT_OK(property_apply(s, &v, &msg));
        ASSERT_EQ(s->n_device_allow, 5);
        ASSERT_EQ(s->device_allow[3].access, DEVICE_ACCESS_ALL);
        property_value_done(&v);
}

static void test_serialize(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *back = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        size_t size = 0;

        s->argv = calloc(2, sizeof(char *));
        s->argv[0] = strdup("/bin/true");
        s->device_policy = DEVICE_POLICY_STRICT;
        ASSERT_OK(device_allow_add(&s->device_allow, &s->n_device_allow, "/dev/null", DEVICE_ACCESS_READ));
        ASSERT_OK(device_rules_add_inaccessible(&s->device_rules, &s->n_device_rules));
        ASSERT_OK(device_rules_add(&s->device_rules, &s->n_device_rules,
                                   &(DeviceRule) { DEVICE_TYPE_CHAR, 1, 3, DEVICE_ACCESS_READ, (char *) "/dev/null" }));
        ASSERT_OK(device_rules_add(&s->device_rules, &s->n_device_rules,
                                   &(DeviceRule) { DEVICE_TYPE_BLOCK, 7, DEVICE_NUMBER_ANY, ACC_RW, NULL }));

        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        if (!back)
                return;
        ASSERT_EQ(back->device_policy, DEVICE_POLICY_STRICT);
        ASSERT_EQ(back->n_device_allow, 0); /* the daemon's business only */
        ASSERT_EQ(back->n_device_rules, 4);
        ASSERT_TRUE(back->n_device_rules == 4 && back->device_rules[2].type == DEVICE_TYPE_CHAR &&
                    back->device_rules[2].major == 1 && back->device_rules[2].minor == 3 &&
                    back->device_rules[2].access == DEVICE_ACCESS_READ);
        ASSERT_STREQ(back->n_device_rules == 4 ? back->device_rules[2].path : NULL, "/dev/null");
        ASSERT_TRUE(back->n_device_rules == 4 && back->device_rules[3].type == DEVICE_TYPE_BLOCK &&
                    back->device_rules[3].minor == DEVICE_NUMBER_ANY && !back->device_rules[3].path);
        ASSERT_TRUE(sandbox_spec_restricts_devices(back));
        ASSERT_TRUE(sandbox_spec_needs_mount_namespace(back));

        /* Strict without any rule still travels as a restriction. */
        sandbox_spec_free(back);
        back = NULL;
        free(data);
        data = NULL;
        device_rules_free(s->device_rules, s->n_device_rules);
        s->device_rules = NULL;
        s->n_device_rules = 0;
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_TRUE(back && sandbox_spec_restricts_devices(back) && back->n_device_rules == 0);

        /* A corrupt rule is refused. */
        sandbox_spec_free(back);
        back = NULL;
        free(data);
        data = NULL;
        ASSERT_OK(device_rules_add(&s->device_rules, &s->n_device_rules,
                                   &(DeviceRule) { DEVICE_TYPE_CHAR, 1, 3, DEVICE_ACCESS_READ, NULL }));
        ASSERT_OK(spec_serialize(s, &data, &size));
        /* The rule is the last record: its first byte is the type. */
        data[size - 10] = 3;
        ASSERT_ERR(spec_deserialize(data, size, &back), -EBADMSG);
        data[size - 10] = DEVICE_TYPE_CHAR;
        data[size - 9] = 0; /* no access */
        ASSERT_ERR(spec_deserialize(data, size, &back), -EBADMSG);
}

static void set_closed(SandboxSpec *s) {
        s->device_policy = DEVICE_POLICY_CLOSED;
}

static void test_strictness(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *base = sandbox_spec_new(), *s = sandbox_spec_new();
        const char *p = NULL;

        set_closed(base);
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &p) && p && streq(p, "DevicePolicy")); /* auto < closed */
        s->device_policy = DEVICE_POLICY_STRICT;
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &p));
        set_closed(s);
        ASSERT_OK(device_allow_add(&s->device_allow, &s->n_device_allow, "/dev/kvm", ACC_RW));
        p = NULL;
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &p) && p && streq(p, "DeviceAllow")); /* grants more */
        ASSERT_OK(device_allow_add(&base->device_allow, &base->n_device_allow, "/dev/kvm", DEVICE_ACCESS_READ));
        p = NULL;
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &p) && p && streq(p, "DeviceAllow")); /* w is more */
        base->device_allow[0].access = DEVICE_ACCESS_ALL;
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &p));

        /* An unrestricted base: any restriction is stricter. */
        base->device_policy = DEVICE_POLICY_AUTO;
        device_allow_free(base->device_allow, base->n_device_allow);
        base->device_allow = NULL;
        base->n_device_allow = 0;
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &p));
}

int main(void) {
        test_policy_names();
        test_access();
        test_node_kind();
        test_levels();
        test_allow_list();
        test_rules();
        test_classes();
        test_properties();
        test_serialize();
        test_strictness();
        return tap_finish();
}
