/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Bounding set, supplementary groups, gid, uid; then NoNewPrivileges. */
void exec_apply_credentials(const SandboxSpec *spec);
void exec_apply_no_new_privileges(const SandboxSpec *spec);
