/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "spec-directories.h"
#include "strv.h"

bool spec_has_directories(const SandboxSpec *s) {
        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++)
                if (s->directories[t].paths)
                        return true;
        return false;
}

int spec_directories_resolve(SandboxSpec *s, uid_t caller_uid, const char *home) {
        bool user_layout = caller_uid != 0 && s->uid == caller_uid;

        s->directories_user_layout = user_layout;
        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                char *root;
                int r;

                free(s->directories[t].root);
                s->directories[t].root = NULL;
                if (!s->directories[t].paths)
                        continue;
                r = exec_directory_root(t, user_layout, home, s->uid, &root);
                if (r < 0)
                        return r;
                s->directories[t].root = root;
        }
        return 0;
}

bool spec_directory_is_private(const SandboxSpec *s, ExecDirectoryType t) {
        return s->dynamic_user && !s->directories_user_layout &&
               (t == EXEC_DIRECTORY_STATE || t == EXEC_DIRECTORY_CACHE || t == EXEC_DIRECTORY_LOGS);
}

int spec_directory_path(const SandboxSpec *s, ExecDirectoryType t, const char *path, char **ret) {
        const char *root = s->directories[t].root;
        size_t lr, lp = strlen(path);
        char *p;

        if (!root)
                return -EINVAL;
        lr = strlen(root);
        p = malloc(lr + 1 + lp + 1);
        if (!p)
                return -ENOMEM;
        memcpy(p, root, lr);
        p[lr] = '/';
        memcpy(p + lr + 1, path, lp + 1);
        *ret = p;
        return 0;
}

int spec_directories_environment(const SandboxSpec *s, char ***env) {
        _cleanup_strv_free_ char **vars = NULL;
        int r;

        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                const char *name = exec_directory_type_env_name(t);
                size_t size = strlen(name) + 2;
                char *v, *end;

                if (!s->directories[t].paths)
                        continue;
                STRV_FOREACH(p, s->directories[t].paths)
                        size += strlen(s->directories[t].root) + 1 + strlen(*p) + 1;
                v = malloc(size);
                if (!v)
                        return -ENOMEM;
                end = stpcpy(stpcpy(v, name), "=");
                STRV_FOREACH(p, s->directories[t].paths) {
                        if (p != s->directories[t].paths)
                                end = stpcpy(end, ":");
                        end = stpcpy(stpcpy(stpcpy(end, s->directories[t].root), "/"), *p);
                }
                r = strv_consume(&vars, v);
                if (r < 0)
                        return r;
        }
        if (!vars)
                return 0;
        r = strv_extend_strv(&vars, *env);
        if (r < 0)
                return r;
        strv_free(*env);
        *env = TAKE_PTR(vars);
        return 0;
}
