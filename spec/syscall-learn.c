/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "strv.h"
#include "syscall-groups.h"
#include "syscall-learn.h"

typedef struct Candidate {
        const char *group;
        char **members;         /* existing here, outside @default */
        size_t n;
} Candidate;

static int existing_members(const char *group, char * const *defaults, SyscallExists exists, void *userdata,
                            char ***ret) {
        _cleanup_strv_free_ char **all = NULL, **kept = NULL;
        int r;

        r = syscall_group_expand(group, &all);
        if (r < 0)
                return r;
        STRV_FOREACH(m, all)
                if (exists(*m, userdata) && !strv_contains(defaults, *m) && strv_extend(&kept, *m) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(kept);
        return 0;
}

static int candidate_cmp(const void *a, const void *b) {
        const Candidate *x = a, *y = b;
        return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->group, y->group);
}

int syscall_filter_propose(char * const *used, SyscallExists exists, void *userdata, char ***ret,
                           char ***ret_unnamed) {
        _cleanup_strv_free_ char **defaults = NULL, **covered = NULL, **words = NULL, **unnamed = NULL;
        Candidate *cand = NULL;
        size_t n_cand = 0;
        int r;

        r = syscall_group_expand("@default", &defaults);
        if (r < 0)
                return r;
        cand = calloc(syscall_group_table_size, sizeof *cand);
        if (!cand)
                return -ENOMEM;

        /* The groups all of whose calls were made. @known is every call, @default always allowed. */
        for (size_t i = 0; i < syscall_group_table_size; i++) {
                const char *g = syscall_group_table[i].name;
                char **members = NULL;
                bool all_used = true;

                if (streq(g, "@default") || streq(g, "@known"))
                        continue;
                r = existing_members(g, defaults, exists, userdata, &members);
                if (r < 0)
                        goto finish;
                STRV_FOREACH(m, members)
                        if (!strv_contains(used, *m)) {
                                all_used = false;
                                break;
                        }
                if (!all_used || strv_length(members) < 2) {
                        strv_free(members);
                        continue;
                }
                cand[n_cand++] = (Candidate) { .group = g, .members = members, .n = strv_length(members) };
        }
        qsort(cand, n_cand, sizeof *cand, candidate_cmp);

        for (size_t i = 0; i < n_cand; i++) {
                size_t fresh = 0;

                STRV_FOREACH(m, cand[i].members)
                        if (!strv_contains(covered, *m))
                                fresh++;
                if (fresh < 2)
                        continue;
                if (strv_extend(&words, cand[i].group) < 0 || strv_extend_strv(&covered, cand[i].members) < 0) {
                        r = -ENOMEM;
                        goto finish;
                }
        }

        STRV_FOREACH(u, used) {
                if (strv_contains(covered, *u) || strv_contains(defaults, *u))
                        continue;
                if (strchr(*u, '@') || !syscall_name_is_known(*u)) {
                        if (strv_extend(&unnamed, *u) < 0) {
                                r = -ENOMEM;
                                goto finish;
                        }
                        continue;
                }
                if (strv_extend(&words, *u) < 0) {
                        r = -ENOMEM;
                        goto finish;
                }
        }
        if (!words && !(words = calloc(1, sizeof(char *)))) {
                r = -ENOMEM;
                goto finish;
        }
        *ret = TAKE_PTR(words);
        if (ret_unnamed)
                *ret_unnamed = TAKE_PTR(unnamed);
        r = 0;
finish:
        for (size_t i = 0; i < n_cand; i++)
                strv_free(cand[i].members);
        free(cand);
        return r;
}
