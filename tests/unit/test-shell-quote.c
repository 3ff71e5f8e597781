/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "environment.h"
#include "shell-quote.h"
#include "strv.h"
#include "tap.h"

static void check_quote(char **argv, const char *expected) {
        _cleanup_free_ char *q = shell_quote_argv(argv);
        ASSERT_STREQ(q, expected);
}

static void test_quote(void) {
        check_quote((char *[]) { "ls", "-l", "/tmp", NULL }, "ls -l /tmp");
        check_quote((char *[]) { "sh", "-c", "echo hi; rm -rf /", NULL }, "sh -c 'echo hi; rm -rf /'");
        check_quote((char *[]) { "echo", "it's", NULL }, "echo 'it'\\''s'");
        check_quote((char *[]) { "echo", "", NULL }, "echo ''");
        /* A newline must not let a command pose as two lines in the polkit prompt. */
        check_quote((char *[]) { "true", "\nrm -rf /", NULL }, "true '\\x0arm -rf /'");
        check_quote((char *[]) { "a\x1b[2Jb", NULL }, "'a\\x1b[2Jb'");
}

static void test_environment(void) {
        char **env = NULL;
        char *user_env[] = { "PATH=/opt/bin", "FOO=1", "FOO=2", NULL };
        ExtraFd extra[] = { { .fd = 5, .name = "http" }, { .fd = 6, .name = "admin" } };

        ASSERT_OK(environment_build(user_env, "nobody", "/nonexistent", "/usr/sbin/nologin", extra, 2, &env));
        ASSERT_TRUE(strv_contains(env, "PATH=/opt/bin"));
        ASSERT_TRUE(!strv_contains(env, "PATH=" DEFAULT_PATH));
        ASSERT_TRUE(strv_contains(env, "FOO=2"));
        ASSERT_TRUE(!strv_contains(env, "FOO=1"));
        ASSERT_TRUE(strv_contains(env, "USER=nobody"));
        ASSERT_TRUE(strv_contains(env, "HOME=/nonexistent"));
        ASSERT_TRUE(strv_contains(env, "LISTEN_FDS=2"));
        ASSERT_TRUE(strv_contains(env, "LISTEN_FDNAMES=http:admin"));
        env = strv_free(env);

        ASSERT_OK(environment_build(NULL, NULL, NULL, NULL, NULL, 0, &env));
        ASSERT_EQ(strv_length(env), 1);
        ASSERT_STREQ(env[0], "PATH=" DEFAULT_PATH);
        strv_free(env);
}

int main(void) {
        test_quote();
        test_environment();
        return tap_finish();
}
