/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* StateDirectory= and the others: creates each below its root, as systemd does. In the user layout with
 * the job's file system ids; in the system layout as root, never following a symlink below the root,
 * and the innermost directory owned by the job's user (but ConfigurationDirectory='s). */
void exec_setup_directories(const SandboxSpec *spec);
