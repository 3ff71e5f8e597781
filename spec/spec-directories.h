/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Whether the spec asks for any of StateDirectory= and the others. */
bool spec_has_directories(const SandboxSpec *s);

/* Picks the layout and the roots, once the job's identity is known. A job that runs as its caller,
 * when the caller is not root, gets systemd's user-manager layout below the caller's home, created with
 * the caller's file system ids: it can create there nothing it could not create itself. Every other
 * job (root's, or one that runs as another user, which needs spawn-privileged) gets the system
 * layout, /var/lib and the rest, created by root and owned by the job's user. */
int spec_directories_resolve(SandboxSpec *s, uid_t caller_uid, const char *home);

/* DynamicUser='s layout, as systemd's: StateDirectory=, CacheDirectory= and LogsDirectory= live in
 * ROOT/private/PATH (ROOT/private is 0700 root's), ROOT/PATH is a symlink to it, and the job sees only
 * its own below a fresh ROOT/private. The uid may later go to another job, which cannot reach them. */
bool spec_directory_is_private(const SandboxSpec *s, ExecDirectoryType t);

/* "/var/lib/a", the full path of one directory, in the host's and the job's view alike. */
int spec_directory_path(const SandboxSpec *s, ExecDirectoryType t, const char *path, char **ret);

/* STATE_DIRECTORY=/var/lib/a:/var/lib/b and the others, as systemd sets them, placed in front of env
 * so that Environment= still overrides them. In place. */
int spec_directories_environment(const SandboxSpec *s, char ***env);
