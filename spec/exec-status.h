/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdint.h>

/* The setup steps of confine-exec, in the order its main() runs them (docs/design.md, "Child
 * setup"). On the first failure it writes one ExecStatus record to the status pipe and exits; EOF
 * without a record means execve() succeeded. */
typedef enum ExecStep {
        EXEC_STEP_SPEC,                 /* read the spec */
        EXEC_STEP_SETSID,               /* a new session; flag 4: the controlling terminal */
        EXEC_STEP_SIGNALS,              /* default dispositions, empty mask */
        EXEC_STEP_DIRECTORIES,          /* StateDirectory= and the others created */
        EXEC_STEP_NAMESPACES,           /* unshare() or enter the prepared network namespace */
        EXEC_STEP_MOUNT,                /* the job's mount tree */
        EXEC_STEP_LOOPBACK,             /* PrivateNetwork=: lo up */
        EXEC_STEP_RLIMIT,               /* Limit*= */
        EXEC_STEP_NICE,                 /* Nice= */
        EXEC_STEP_PROCESS,              /* Personality= and the other attributes of the process */
        EXEC_STEP_USER_NAMESPACE,       /* PrivateUsers= */
        EXEC_STEP_ENVIRONMENT,
        EXEC_STEP_CAPABILITIES,         /* bounding set, inheritable; AmbientCapabilities= after the uid */
        EXEC_STEP_GROUPS,
        EXEC_STEP_GID,
        EXEC_STEP_UID,
        EXEC_STEP_KEYRING,              /* KeyringMode=, as the job's user */
        EXEC_STEP_WORKING_DIRECTORY,
        EXEC_STEP_NO_NEW_PRIVILEGES,
        EXEC_STEP_CLOSE_FDS,            /* ExtraFileDescriptors= to 3…, every other fd closed */
        EXEC_STEP_SECCOMP,
        EXEC_STEP_EXECVE,
        EXEC_STEP_STDIO,                /* StandardInput=/Output=/Error= files and data */
        EXEC_STEP_CREDENTIALS,          /* LoadCredential=, SetCredential=: $CREDENTIALS_DIRECTORY */
        _EXEC_STEP_MAX,
        _EXEC_STEP_INVALID = -EINVAL,
} ExecStep;

const char *exec_step_to_string(ExecStep s);

/* Not a step: a learning job's listener is ready (flag 8). Its record's error is the fd number
 * of the seccomp listener in the job, which confined takes with pidfd_getfd(); no failure. */
#define EXEC_STATUS_LEARN_LISTENER 1000

typedef struct ExecStatus {
        int32_t step;
        int32_t error;        /* positive errno */
        char detail[248];     /* e.g. "WorkingDirectory=/nonexistent"; NUL-terminated */
} ExecStatus;

/* Fixed fd layout of confine-exec when it starts. */
enum {
        EXEC_FD_SPEC = 3,       /* sealed memfd with the serialized spec */
        EXEC_FD_STATUS = 4,     /* write end of the status pipe */
        EXEC_FD_FIRST_EXTRA = 5 /* ExtraFileDescriptors, moved to 3… before execve */
};
