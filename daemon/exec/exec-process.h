/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Attributes of the job's process that it inherits through execve(): Personality=. Before the uid
 * change. */
void exec_apply_process_attributes(const SandboxSpec *spec);

/* KeyringMode=: a session keyring of the job's own, made as the job's user (after the uid change), so
 * that it is the user's, as systemd makes it. */
void exec_setup_keyring(const SandboxSpec *spec);
