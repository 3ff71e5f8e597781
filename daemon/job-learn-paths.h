/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Learn mode's file system part: the paths a job's calls name, read from its memory while the call
 * waits for confined, resolved against the job's working directory or the directory fd, and whether
 * the call writes. Recorded only, never decided on: a path read back after the call could differ
 * from the one the kernel uses, which does not matter for a record. No D-Bus. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/seccomp.h>

#include "job-learn-uses.h"

/* How a path was used, as LearnedFiles shows it: "rwcxdv", or "-" when it was only named (stat …). */
typedef enum LearnMode {
        LEARN_MODE_READ      = 1 << 0,
        LEARN_MODE_WRITE     = 1 << 1,
        LEARN_MODE_CREATE    = 1 << 2,
        LEARN_MODE_EXECUTE   = 1 << 3,
        LEARN_MODE_DIRECTORY = 1 << 4,
        LEARN_MODE_DEVICE    = 1 << 5,
} LearnMode;

typedef struct LearnPaths {
        char **used;            /* every path named, sorted, each once */
        uint8_t *modes;         /* LearnMode bits of each of used */
        size_t n_used;
        char **written;         /* the paths of calls that write (create, open for writing, remove, rename …) */
        size_t n_written;
} LearnPaths;

/* Records the path(s) a notified call names, if it is a file system call; listener_fd checks that the
 * notification is still the same call after its memory was read. */
void learn_paths_record(LearnPaths *p, LearnUses *uses, int listener_fd, const struct seccomp_notif *req);
/* "rw /etc/x", "c /tmp/y", "- /usr" …: each path named with how it was used; NULL-terminated. */
int learn_paths_files(const LearnPaths *p, char ***ret);
void learn_paths_done(LearnPaths *p);
