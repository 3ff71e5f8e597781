/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Builds the job's mount tree inside its own mount namespace (see exec-mounts.c). */
void exec_setup_mounts(const SandboxSpec *spec);

/* Removes from the bounding set what would undo the filesystem protections from inside:
 * CAP_MKNOD and CAP_SYS_RAWIO for PrivateDevices=, CAP_SYS_MODULE for ProtectKernelModules=.
 * Call before the credentials step. */
void exec_mounts_restrict_capabilities(SandboxSpec *spec);
