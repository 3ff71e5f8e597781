/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Loads the job's compiled seccomp filters (SandboxSpec.seccomp_programs), in order. Call it as the very
 * last step before execve(): once it returns, the job's filter may forbid anything but execve(). Without
 * CAP_SYS_ADMIN and with NoNewPrivileges= unset it sets no_new_privs, as systemd does. A spec that asks
 * for filters but carries none fails. On failure it reports EXEC_STEP_SECCOMP and exits. */
void exec_apply_seccomp(const SandboxSpec *spec);
