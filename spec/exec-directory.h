/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* StateDirectory= and the four others, as systemd.exec(5) has them: relative paths below a root that
 * depends on who runs the job (docs/design.md, "Directories"). Pure: the daemon picks the layout and
 * the roots, confine-exec creates the directories. */

typedef enum ExecDirectoryType {
        EXEC_DIRECTORY_RUNTIME,
        EXEC_DIRECTORY_STATE,
        EXEC_DIRECTORY_CACHE,
        EXEC_DIRECTORY_LOGS,
        EXEC_DIRECTORY_CONFIGURATION,
        _EXEC_DIRECTORY_TYPE_MAX,
        _EXEC_DIRECTORY_TYPE_INVALID = -EINVAL,
} ExecDirectoryType;

typedef enum RuntimeDirectoryPreserve {
        RUNTIME_DIRECTORY_PRESERVE_NO,
        RUNTIME_DIRECTORY_PRESERVE_YES,
        RUNTIME_DIRECTORY_PRESERVE_RESTART, /* a job is never restarted: as "no" */
        _RUNTIME_DIRECTORY_PRESERVE_MAX,
        _RUNTIME_DIRECTORY_PRESERVE_INVALID = -EINVAL,
} RuntimeDirectoryPreserve;

#define EXEC_DIRECTORY_MODE_DEFAULT 0755u
#define EXEC_DIRECTORY_PATHS_MAX 64u

typedef struct ExecDirectory {
        char **paths;   /* as given: relative, normalized, never "private…" */
        uint32_t mode;  /* of the innermost directory */
        char *root;     /* set by exec_directories_resolve(): "/var/lib", or "~/.config" expanded */
} ExecDirectory;

/* "StateDirectory", "StateDirectoryMode", "STATE_DIRECTORY". */
const char *exec_directory_type_to_string(ExecDirectoryType t);
const char *exec_directory_type_mode_name(ExecDirectoryType t);
const char *exec_directory_type_env_name(ExecDirectoryType t);
/* From the property name, with or without "Mode". */
ExecDirectoryType exec_directory_type_from_property(const char *name, bool *ret_mode);

const char *runtime_directory_preserve_to_string(RuntimeDirectoryPreserve p);
RuntimeDirectoryPreserve runtime_directory_preserve_from_string(const char *s);

/* Relative, normalized (no "//", "./", trailing "/"), no ".." component, and not "private" or below
 * it (systemd keeps that name for DynamicUser='s layout). */
bool exec_directory_path_is_valid(const char *p);

/* The root of each type: systemd's system manager (/run, /var/lib, /var/cache, /var/log, /etc), or its
 * user manager's ($XDG_RUNTIME_DIR, $XDG_CONFIG_HOME, $XDG_CACHE_HOME, $XDG_CONFIG_HOME/log,
 * $XDG_CONFIG_HOME, from the home directory and the uid: the daemon does not see the caller's
 * environment). ret_root is a new string. */
int exec_directory_root(ExecDirectoryType t, bool user_layout, const char *home, uid_t uid, char **ret_root);
