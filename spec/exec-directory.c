/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec-directory.h"
#include "macro.h"

static const struct {
        const char *name, *mode_name, *env_name, *system_root, *user_root;
} exec_directory_table[_EXEC_DIRECTORY_TYPE_MAX] = {
        [EXEC_DIRECTORY_RUNTIME] = { "RuntimeDirectory", "RuntimeDirectoryMode", "RUNTIME_DIRECTORY", "/run", NULL },
        [EXEC_DIRECTORY_STATE] = { "StateDirectory", "StateDirectoryMode", "STATE_DIRECTORY", "/var/lib", ".config" },
        [EXEC_DIRECTORY_CACHE] = { "CacheDirectory", "CacheDirectoryMode", "CACHE_DIRECTORY", "/var/cache", ".cache" },
        [EXEC_DIRECTORY_LOGS] = { "LogsDirectory", "LogsDirectoryMode", "LOGS_DIRECTORY", "/var/log", ".config/log" },
        [EXEC_DIRECTORY_CONFIGURATION] = { "ConfigurationDirectory", "ConfigurationDirectoryMode",
                                           "CONFIGURATION_DIRECTORY", "/etc", ".config" },
};

const char *exec_directory_type_to_string(ExecDirectoryType t) {
        return t >= 0 && t < _EXEC_DIRECTORY_TYPE_MAX ? exec_directory_table[t].name : NULL;
}

const char *exec_directory_type_mode_name(ExecDirectoryType t) {
        return t >= 0 && t < _EXEC_DIRECTORY_TYPE_MAX ? exec_directory_table[t].mode_name : NULL;
}

const char *exec_directory_type_env_name(ExecDirectoryType t) {
        return t >= 0 && t < _EXEC_DIRECTORY_TYPE_MAX ? exec_directory_table[t].env_name : NULL;
}

ExecDirectoryType exec_directory_type_from_property(const char *name, bool *ret_mode) {
        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                if (streq(name, exec_directory_table[t].name) || streq(name, exec_directory_table[t].mode_name)) {
                        if (ret_mode)
                                *ret_mode = streq(name, exec_directory_table[t].mode_name);
                        return t;
                }
        }
        return _EXEC_DIRECTORY_TYPE_INVALID;
}

static const char *const runtime_directory_preserve_table[_RUNTIME_DIRECTORY_PRESERVE_MAX] = {
        [RUNTIME_DIRECTORY_PRESERVE_NO] = "no",
        [RUNTIME_DIRECTORY_PRESERVE_YES] = "yes",
        [RUNTIME_DIRECTORY_PRESERVE_RESTART] = "restart",
};

const char *runtime_directory_preserve_to_string(RuntimeDirectoryPreserve p) {
        return p >= 0 && p < _RUNTIME_DIRECTORY_PRESERVE_MAX ? runtime_directory_preserve_table[p] : NULL;
}

RuntimeDirectoryPreserve runtime_directory_preserve_from_string(const char *s) {
        for (RuntimeDirectoryPreserve p = 0; p < _RUNTIME_DIRECTORY_PRESERVE_MAX; p++)
                if (streq(s, runtime_directory_preserve_table[p]))
                        return p;
        return _RUNTIME_DIRECTORY_PRESERVE_INVALID;
}

bool exec_directory_path_is_valid(const char *p) {
        const char *c = p;

        if (!p || !*p || *p == '/' || strlen(p) >= 4096)
                return false;
        for (;;) {
                size_t n = strcspn(c, "/");

                if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
                        return false; /* "//", a trailing "/", "." or ".." */
                if (c == p && n == 7 && strneq(c, "private", 7))
                        return false;
                if (!c[n])
                        return true;
                c += n + 1;
        }
}

int exec_directory_root(ExecDirectoryType t, bool user_layout, const char *home, uid_t uid, char **ret_root) {
        char *root;

        if (t < 0 || t >= _EXEC_DIRECTORY_TYPE_MAX)
                return -EINVAL;
        if (!user_layout)
                root = strdup(exec_directory_table[t].system_root);
        else if (t == EXEC_DIRECTORY_RUNTIME) {
                if (asprintf(&root, "/run/user/%u", (unsigned) uid) < 0)
                        root = NULL;
        } else {
                if (!home || home[0] != '/')
                        return -ENOENT;
                if (asprintf(&root, "%s/%s", streq(home, "/") ? "" : home, exec_directory_table[t].user_root) < 0)
                        root = NULL;
        }
        if (!root)
                return -ENOMEM;
        *ret_root = root;
        return 0;
}
