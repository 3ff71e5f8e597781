/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "environment.h"
#include "strv.h"

/* Sets NAME=… replacing an earlier NAME. */
static int env_set(char ***env, char *assignment) {
        size_t l;

        if (!assignment)
                return -ENOMEM;
        l = strcspn(assignment, "=");
        for (char **e = *env; e && *e; e++)
                if (strneq(*e, assignment, l) && (*e)[l] == '=') {
                        free(*e);
                        *e = assignment;
                        return 0;
                }
        return strv_consume(env, assignment);
}

static char *concat(const char *a, const char *b) {
        char *s;
        return asprintf(&s, "%s%s", a, b) < 0 ? NULL : s;
}

int environment_build(char **user_env, const char *user, const char *home, const char *shell,
                      const ExtraFd *extra, size_t n_extra, char ***ret) {
        _cleanup_strv_free_ char **env = NULL;
        int r;

        r = env_set(&env, strdup("PATH=" DEFAULT_PATH));
        if (r >= 0 && home)
                r = env_set(&env, concat("HOME=", home));
        if (r >= 0 && user)
                r = env_set(&env, concat("USER=", user));
        if (r >= 0 && user)
                r = env_set(&env, concat("LOGNAME=", user));
        if (r >= 0 && shell)
                r = env_set(&env, concat("SHELL=", shell));
        if (r < 0)
                return r;

        STRV_FOREACH(e, user_env) {
                r = env_set(&env, strdup(*e));
                if (r < 0)
                        return r;
        }

        if (n_extra > 0) {
                size_t len = 0;
                char *names, *p, count[32];

                for (size_t i = 0; i < n_extra; i++)
                        len += strlen(extra[i].name) + 1;
                names = malloc(strlen("LISTEN_FDNAMES=") + len + 1);
                if (!names)
                        return -ENOMEM;
                p = stpcpy(names, "LISTEN_FDNAMES=");
                for (size_t i = 0; i < n_extra; i++) {
                        if (i > 0)
                                *p++ = ':';
                        p = stpcpy(p, extra[i].name);
                }
                r = env_set(&env, names);
                if (r < 0)
                        return r;
                snprintf(count, sizeof count, "%zu", n_extra);
                r = env_set(&env, concat("LISTEN_FDS=", count));
                if (r < 0)
                        return r;
        }

        if (!env) {
                env = calloc(1, sizeof(char *));
                if (!env)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(env);
        return 0;
}

static bool unset_matches(const char *assignment, char **unset) {
        size_t l = strcspn(assignment, "=");

        STRV_FOREACH(u, unset)
                if (strchr(*u, '=') ? streq(*u, assignment) : strlen(*u) == l && strneq(*u, assignment, l))
                        return true;
        return false;
}

void environment_unset(char **env, char **unset) {
        size_t kept = 0;

        if (!env || !unset)
                return;
        for (size_t i = 0; env[i]; i++) {
                if (unset_matches(env[i], unset)) {
                        free(env[i]);
                        continue;
                }
                env[kept++] = env[i];
        }
        env[kept] = NULL;
}
