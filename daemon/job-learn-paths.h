/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Learn mode's file system part: the paths a job's calls name, read from its memory while the call
 * waits for confined, resolved against the job's working directory or the directory fd, and whether
 * the call writes. Recorded only, never decided on: a path read back after the call could differ
 * from the one the kernel uses, which does not matter for a record. No D-Bus. */

#include <stdbool.h>
#include <stddef.h>
#include <linux/seccomp.h>

typedef struct LearnPaths {
        char **used;            /* every path named, sorted, each once */
        size_t n_used;
        char **written;         /* the paths of calls that write (create, open for writing, remove, rename …) */
        size_t n_written;
} LearnPaths;

/* Records the path(s) a notified call names, if it is a file system call; listener_fd checks that the
 * notification is still the same call after its memory was read. */
void learn_paths_record(LearnPaths *p, int listener_fd, const struct seccomp_notif *req);
void learn_paths_done(LearnPaths *p);
