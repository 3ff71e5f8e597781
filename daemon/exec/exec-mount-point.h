/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "exec-mount-plan.h"
#include "sandbox-spec.h"

/* In the job's mount namespace only; the host's /tmp is not touched. */
#define STAGING "/tmp"
#define STAGING_ROOT STAGING "/root"
#define STAGING_INACCESSIBLE STAGING "/inaccessible"

/* Switch to the job's file system ids for a lookup of a caller path (caller_path), and back. No-ops
 * for a root job, or a path that is not the caller's. */
void exec_fs_ids_enter(const SandboxSpec *spec, bool caller_path);
void exec_fs_ids_leave(const SandboxSpec *spec, bool caller_path);

/* Opens the entry's path in the job's tree before anything is mounted there: 0 or a negative errno. */
int mount_point_open(const SandboxSpec *spec, const MountEntry *e, int *ret_fd);

/* Resolves the entry's path in the job's tree as it stands; true if it moved (sort the plan again). */
bool mount_point_resolve(const SandboxSpec *spec, MountEntry *e);

/* Creates entry i's missing mount point if systemd would (a bind's destination, of its source's type;
 * a tmpfs's directory) and returns its O_PATH fd; -ENOENT where nothing is to be created. */
int mount_point_create_missing(const SandboxSpec *spec, const MountPlan *plan, size_t i, int *ret_fd);

/* Entry i was just mounted: an entry built before it that now lies below it is dropped if it may be
 * missing, else the spawn fails naming both. */
void mount_plan_drop_covered(MountPlan *plan, size_t i);
