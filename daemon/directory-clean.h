/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* RuntimeDirectory=, removed when the job ends unless RuntimeDirectoryPreserve=yes, as in systemd. In the
 * user layout with the job's file system ids (the caller's own: it can make the daemon remove nothing it
 * could not remove itself); never following a symlink below the root and never crossing into another
 * mount, which might be a FUSE file system the caller serves. Returns the number of directories
 * removed. */
int runtime_directories_remove(const SandboxSpec *spec);
