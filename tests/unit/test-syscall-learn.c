/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Learn mode's SystemCallFilter= proposal: exact (it lets through the calls made, with @default, and
 * nothing else), in @groups where a whole group was used. */
#include <stdlib.h>
#include <string.h>

#include "strv.h"
#include "syscall-groups.h"
#include "syscall-learn.h"
#include "tap.h"

static bool all_exist(const char *name, void *userdata) {
        return true;
}

/* Whether the proposal, expanded, with @default, is exactly used with @default. */
static bool exact(char **proposal, char **used) {
        _cleanup_strv_free_ char **allowed = NULL, **want = NULL;

        if (syscall_group_expand("@default", &allowed) < 0 || strv_extend_strv(&want, allowed) < 0)
                return false;
        STRV_FOREACH(w, proposal) {
                _cleanup_strv_free_ char **e = NULL;
                if (syscall_group_expand(*w, &e) < 0 || strv_extend_strv(&allowed, e) < 0)
                        return false;
        }
        if (strv_extend_strv(&want, used) < 0)
                return false;
        strv_sort_unique(allowed);
        strv_sort_unique(want);
        if (strv_length(allowed) != strv_length(want))
                return false;
        for (size_t i = 0; allowed[i]; i++)
                if (strcmp(allowed[i], want[i]) != 0)
                        return false;
        return true;
}

static void test_group_used_whole(void) {
        _cleanup_strv_free_ char **used = NULL, **proposal = NULL, **unnamed = NULL;

        ASSERT_OK(syscall_group_expand("@timer", &used));
        ASSERT_OK(strv_extend(&used, "chroot"));
        ASSERT_OK(strv_extend(&used, "read"));
        ASSERT_OK(syscall_filter_propose(used, all_exist, NULL, &proposal, &unnamed));
        ASSERT_TRUE(strv_contains(proposal, "@timer"));
        ASSERT_TRUE(strv_contains(proposal, "chroot"));
        ASSERT_TRUE(strv_contains(proposal, "read"));
        ASSERT_TRUE(!strv_contains(proposal, "timer_create"));
        ASSERT_TRUE(exact(proposal, used));
        ASSERT_EQ(strv_length(unnamed), (size_t) 0);
}

static void test_group_used_in_part(void) {
        _cleanup_strv_free_ char **used = NULL, **proposal = NULL;

        ASSERT_OK(syscall_group_expand("@timer", &used));
        free(used[0]);
        used[0] = strdup("read"); /* one call of @timer not made */
        ASSERT_OK(syscall_filter_propose(used, all_exist, NULL, &proposal, NULL));
        ASSERT_TRUE(!strv_contains(proposal, "@timer"));
        ASSERT_TRUE(exact(proposal, used));
}

static void test_default_only(void) {
        _cleanup_strv_free_ char **proposal = NULL;
        char *used[] = { (char *) "brk", (char *) "execve", (char *) "exit_group", NULL };

        ASSERT_OK(syscall_filter_propose(used, all_exist, NULL, &proposal, NULL));
        ASSERT_EQ(strv_length(proposal), (size_t) 0);
}

static void test_unnamed(void) {
        _cleanup_strv_free_ char **proposal = NULL, **unnamed = NULL;
        char *used[] = { (char *) "read", (char *) "write@x86", (char *) "no_such_call_here", NULL };

        ASSERT_OK(syscall_filter_propose(used, all_exist, NULL, &proposal, &unnamed));
        ASSERT_TRUE(strv_contains(proposal, "read"));
        ASSERT_TRUE(strv_contains(unnamed, "write@x86"));
        ASSERT_TRUE(strv_contains(unnamed, "no_such_call_here"));
        ASSERT_EQ(strv_length(proposal), (size_t) 1);
}

/* A call that does not exist here need not have been made for its group to count as used whole. */
static bool no_timer_create(const char *name, void *userdata) {
        return !strstr(name, "timer_create");
}

static void test_exists(void) {
        _cleanup_strv_free_ char **used = NULL, **proposal = NULL;

        ASSERT_OK(syscall_group_expand("@timer", &used));
        for (size_t i = 0; used[i]; i++)
                if (strstr(used[i], "timer_create")) {
                        free(used[i]);
                        used[i] = strdup("read");
                }
        ASSERT_OK(syscall_filter_propose(used, no_timer_create, NULL, &proposal, NULL));
        ASSERT_TRUE(strv_contains(proposal, "@timer"));
}

int main(void) {
        test_group_used_whole();
        test_group_used_in_part();
        test_default_only();
        test_unnamed();
        test_exists();
        return tap_finish();
}
