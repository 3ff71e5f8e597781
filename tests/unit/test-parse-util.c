/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>

#include "cap-names.h"
#include "parse-util.h"
#include "strv.h"
#include "tap.h"

static void test_boolean(void) {
        ASSERT_EQ(parse_boolean("yes"), 1);
        ASSERT_EQ(parse_boolean("TRUE"), 1);
        ASSERT_EQ(parse_boolean("on"), 1);
        ASSERT_EQ(parse_boolean("1"), 1);
        ASSERT_EQ(parse_boolean("no"), 0);
        ASSERT_EQ(parse_boolean("off"), 0);
        ASSERT_EQ(parse_boolean("0"), 0);
        ASSERT_ERR(parse_boolean(""), -EINVAL);
        ASSERT_ERR(parse_boolean("yess"), -EINVAL);
        ASSERT_ERR(parse_boolean("2"), -EINVAL);
}

static void test_split_quoted(void) {
        char **l = NULL;

        ASSERT_OK(split_quoted("A=1 B=\"two words\" 'C=3 3'  D=x\\ y", &l));
        ASSERT_EQ(strv_length(l), 4);
        ASSERT_STREQ(l[0], "A=1");
        ASSERT_STREQ(l[1], "B=two words");
        ASSERT_STREQ(l[2], "C=3 3");
        ASSERT_STREQ(l[3], "D=x y");
        l = strv_free(l);

        ASSERT_OK(split_quoted("   ", &l));
        ASSERT_EQ(strv_length(l), 0);
        l = strv_free(l);

        ASSERT_ERR(split_quoted("A=\"unterminated", &l), -EINVAL);
        ASSERT_ERR(split_quoted("trailing\\", &l), -EINVAL);
}

static void test_capability_set(void) {
        uint64_t m;

        ASSERT_OK(parse_capability_set("", &m));
        ASSERT_EQ(m, 0);
        ASSERT_OK(parse_capability_set("CAP_NET_ADMIN CAP_SYS_TIME", &m));
        ASSERT_EQ(m, (UINT64_C(1) << 12) | (UINT64_C(1) << 25));
        ASSERT_OK(parse_capability_set("~CAP_SYS_ADMIN", &m));
        ASSERT_TRUE(m == ~(UINT64_C(1) << 21));
        ASSERT_OK(parse_capability_set("cap_chown", &m));
        ASSERT_EQ(m, 1);
        ASSERT_ERR(parse_capability_set("CAP_NOPE", &m), -EINVAL);
        ASSERT_ERR(parse_capability_set("~CAP_SYS_ADMIN CAP_BOGUS", &m), -EINVAL);
        ASSERT_EQ(capability_from_name("CAP_CHECKPOINT_RESTORE"), 40);
        ASSERT_STREQ(capability_to_name(21), "CAP_SYS_ADMIN");
        ASSERT_TRUE(capability_to_name(41) == NULL);
}

static void test_uid(void) {
        uid_t u;

        ASSERT_OK(parse_uid("0", &u));
        ASSERT_EQ(u, 0);
        ASSERT_OK(parse_uid("65534", &u));
        ASSERT_EQ(u, 65534);
        ASSERT_ERR(parse_uid("-1", &u), -EINVAL);
        ASSERT_ERR(parse_uid("4294967295", &u), -EINVAL);
        ASSERT_ERR(parse_uid("4294967294", &u), -EINVAL);
        ASSERT_ERR(parse_uid("012", &u), -EINVAL);
        ASSERT_ERR(parse_uid("12a", &u), -EINVAL);
        ASSERT_ERR(parse_uid("", &u), -EINVAL);
}

static void test_signal(void) {
        ASSERT_EQ(parse_signal("TERM"), SIGTERM);
        ASSERT_EQ(parse_signal("SIGKILL"), SIGKILL);
        ASSERT_EQ(parse_signal("sigint"), SIGINT);
        ASSERT_EQ(parse_signal("9"), 9);
        ASSERT_ERR(parse_signal("0"), -EINVAL);
        ASSERT_ERR(parse_signal("SIGNOPE"), -EINVAL);
        ASSERT_ERR(parse_signal("999"), -EINVAL);
        ASSERT_STREQ(signal_to_name(SIGSYS), "SYS");
}

static void test_env_and_paths(void) {
        ASSERT_TRUE(env_assignment_is_valid("A=1"));
        ASSERT_TRUE(env_assignment_is_valid("_x9="));
        ASSERT_TRUE(!env_assignment_is_valid("=1"));
        ASSERT_TRUE(!env_assignment_is_valid("1A=1"));
        ASSERT_TRUE(!env_assignment_is_valid("A-B=1"));
        ASSERT_TRUE(!env_assignment_is_valid("NOEQUALS"));

        ASSERT_TRUE(path_is_normalized_absolute("/"));
        ASSERT_TRUE(path_is_normalized_absolute("/usr/lib"));
        ASSERT_TRUE(path_is_normalized_absolute("/usr/lib/"));
        ASSERT_TRUE(path_is_normalized_absolute("/a/..b/c."));
        ASSERT_TRUE(!path_is_normalized_absolute("usr"));
        ASSERT_TRUE(!path_is_normalized_absolute(""));
        ASSERT_TRUE(!path_is_normalized_absolute("/usr/../etc"));
        ASSERT_TRUE(!path_is_normalized_absolute("/usr/./lib"));
        ASSERT_TRUE(!path_is_normalized_absolute("/.."));
        ASSERT_TRUE(!path_is_normalized_absolute("//etc"));
}

int main(void) {
        test_boolean();
        test_split_quoted();
        test_capability_set();
        test_uid();
        test_signal();
        test_env_and_paths();
        return tap_finish();
}
