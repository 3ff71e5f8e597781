/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Analyze's look-up of a request's caller paths (WorkingDirectory=, RootDirectory=, the sources of
 * binds, ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=, the Standard*File*= files,
 * EnvironmentFile= without globs, LoadCredential= sources), as confine-exec would look them up:
 * with the job's uid, gids and groups, without magic links, and a bind source or root readable. It
 * runs in a child process, so that a path on a slow or hanging file system never stalls the daemon,
 * and ends after a timeout. No D-Bus. */

#include <stdint.h>
#include <systemd/sd-event.h>

#include "sandbox-spec.h"

typedef struct PathCheck PathCheck;

/* One caller path that would fail: its property, its path and the errno of the look-up. */
typedef struct PathFailure {
        char property[32];
        char path[4096];
        int error;
} PathFailure;

#define PATH_CHECK_FAILURES_MAX 16
#define PATH_CHECK_TIMEOUT_USEC (5 * UINT64_C(1000000))

/* Called once: r < 0 if the check could not run or timed out (-ETIME); else the failures. */
typedef void (*PathCheckCallback)(int r, const PathFailure *failures, size_t n_failures, void *userdata);

/* nest_pidfd: a parent job's pidfd, whose mount namespace the look-up enters, or -1. The spec is read
 * only before this returns (the child has its own copy). The check is kept in *list until its child is
 * reaped, which may be after path_check_free(). */
int path_check_start(sd_event *event, PathCheck **list, const SandboxSpec *spec, int nest_pidfd,
                     PathCheckCallback callback, void *userdata, PathCheck **ret);
/* Kills the child, if it still runs; the callback is not called. */
PathCheck *path_check_free(PathCheck *pc);
/* On shutdown: kills and reaps every child of the list, and frees the checks. */
void path_checks_kill_all(PathCheck **list);
