/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>

#include "exec-status.h"

static const char *const exec_step_table[_EXEC_STEP_MAX] = {
        [EXEC_STEP_SPEC] = "spec",
        [EXEC_STEP_SETSID] = "setsid",
        [EXEC_STEP_SIGNALS] = "signals",
        [EXEC_STEP_DIRECTORIES] = "directories",
        [EXEC_STEP_NAMESPACES] = "namespaces",
        [EXEC_STEP_MOUNT] = "mount",
        [EXEC_STEP_LOOPBACK] = "loopback",
        [EXEC_STEP_RLIMIT] = "rlimit",
        [EXEC_STEP_NICE] = "nice",
        [EXEC_STEP_PROCESS] = "process",
        [EXEC_STEP_USER_NAMESPACE] = "userns",
        [EXEC_STEP_ENVIRONMENT] = "environment",
        [EXEC_STEP_CAPABILITIES] = "capabilities",
        [EXEC_STEP_GROUPS] = "groups",
        [EXEC_STEP_GID] = "gid",
        [EXEC_STEP_UID] = "uid",
        [EXEC_STEP_KEYRING] = "keyring",
        [EXEC_STEP_WORKING_DIRECTORY] = "chdir",
        [EXEC_STEP_NO_NEW_PRIVILEGES] = "no-new-privileges",
        [EXEC_STEP_CLOSE_FDS] = "close-fds",
        [EXEC_STEP_SECCOMP] = "seccomp",
        [EXEC_STEP_EXECVE] = "execve",
        [EXEC_STEP_STDIO] = "stdio",
        [EXEC_STEP_CREDENTIALS] = "credentials",
};

const char *exec_step_to_string(ExecStep s) {
        if (s < 0 || s >= _EXEC_STEP_MAX)
                return "unknown";
        return exec_step_table[s];
}
