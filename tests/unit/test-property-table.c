/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cap-names.h"
#include "property-apply.h"
#include "sandbox-spec.h"
#include "property-table.h"
#include "strv.h"
#include "tap.h"

static void test_lookup(void) {
        ASSERT_TRUE(property_info_lookup("PrivateNetwork") != NULL);
        ASSERT_STREQ(property_info_lookup("ExtraFileDescriptors")->signature, "a(hs)");
        ASSERT_TRUE(property_info_lookup("privatenetwork") == NULL);
        ASSERT_TRUE(property_info_lookup("NoSuchThing") == NULL);

        /* Every name once, and every entry complete. */
        size_t duplicates = 0, incomplete = 0;
        for (size_t i = 0; i < property_table_size; i++) {
                for (size_t k = i + 1; k < property_table_size; k++)
                        duplicates += streq(property_table[i].name, property_table[k].name);
                incomplete += !property_table[i].signature || !property_table[i].apply;
        }
        ASSERT_EQ(duplicates, 0);
        ASSERT_EQ(incomplete, 0);
}

static void test_parse(void) {
        PropertyValue v = {};
        const char *reason = NULL;

        ASSERT_OK(property_value_parse("PrivateNetwork=yes", &v, &reason));
        ASSERT_TRUE(v.b);
        ASSERT_STREQ(v.info->name, "PrivateNetwork");
        property_value_done(&v);

        ASSERT_OK(property_value_parse("PrivateTmp=0", &v, &reason));
        ASSERT_TRUE(!v.b);
        property_value_done(&v);

        ASSERT_OK(property_value_parse("CapabilityBoundingSet=", &v, &reason));
        ASSERT_EQ(v.t, 0);
        property_value_done(&v);

        ASSERT_OK(property_value_parse("CapabilityBoundingSet=~CAP_SYS_ADMIN", &v, &reason));
        ASSERT_TRUE(v.t == ~(UINT64_C(1) << 21)); /* as systemd-run sends it */
        property_value_done(&v);

        ASSERT_OK(property_value_parse("Environment=A=1 \"B=2 3\"", &v, &reason));
        ASSERT_EQ(strv_length(v.strv), 2);
        ASSERT_STREQ(v.strv[1], "B=2 3");
        property_value_done(&v);

        ASSERT_OK(property_value_parse("WorkingDirectory=/srv", &v, &reason));
        ASSERT_STREQ(v.s, "/srv");
        property_value_done(&v);

        ASSERT_OK(property_value_parse("User=nobody", &v, &reason));
        ASSERT_STREQ(v.s, "nobody");
        property_value_done(&v);

        ASSERT_ERR(property_value_parse("PrivateNetwork=maybe", &v, &reason), -EINVAL);
        ASSERT_STREQ(reason, "invalid boolean");
        ASSERT_ERR(property_value_parse("Bogus=1", &v, &reason), -ENOENT);
        ASSERT_STREQ(reason, "unknown property");
        ASSERT_ERR(property_value_parse("PrivateNetwork", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("CapabilityBoundingSet=CAP_FOO", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("Environment=1A=2", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("Environment=\"A=2", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("StandardInputFileDescriptor=0", &v, &reason), -EINVAL);
}

/* Found by fuzz-property-text: a refused limit must leave the earlier one intact, or the spec
 * holds soft > hard and confine-exec refuses it. */
static void test_refused_limit_changes_nothing(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        const char *reason = NULL;
        char *msg = NULL;
        PropertyValue v = { .fd = -EBADF };

        ASSERT_OK(property_value_parse("LimitNOFILE=1024:4096", &v, &reason));
        ASSERT_OK(property_apply(s, &v, &msg));
        property_value_done(&v);
        ASSERT_OK(property_value_parse("LimitNOFILE=10", &v, &reason));
        ASSERT_ERR(property_apply(s, &v, &msg), -EINVAL);
        property_value_done(&v);
        ASSERT_TRUE(msg && strstr(msg, "LimitNOFILE"));
        free(msg);
        ASSERT_EQ(s->rlimits[7].soft, 1024);
        ASSERT_EQ(s->rlimits[7].hard, 4096);
}

int main(void) {
        test_lookup();
        test_parse();
        test_refused_limit_changes_nothing();
        return tap_finish();
}
