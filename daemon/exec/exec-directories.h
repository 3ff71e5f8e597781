/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* StateDirectory= and the others: creates each below its root, as systemd does. In the user layout with
 * the job's file system ids; in the system layout as root, never following a symlink below the root,
 * and the innermost directory owned by the job's user (but ConfigurationDirectory='s). */
void exec_setup_directories(const SandboxSpec *spec);

/* Opens (O_PATH) one directory exec_setup_directories() made, ROOT/PATH or DynamicUser='s ROOT/private/PATH,
 * on the host, with the ids it was made with and without following a symlink below ROOT: the source of
 * its bind below RootDirectory=, and of DynamicUser='s binds into a fresh ROOT/private. */
int exec_directory_open(const SandboxSpec *spec, ExecDirectoryType t, const char *path, int *ret_fd);
