/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* The mount options TemporaryFileSystem= accepts: a safe subset of tmpfs(5). Pure: no I/O.
 *
 *   ro, rw, nosuid, nodev, noexec, exec, mode=OCTAL, size=N[k|m|g|%], nr_inodes=N[k|m|g]
 *
 * "suid" and "dev" are refused: a job must never get set-uid binaries or device nodes from a tmpfs
 * it asked for. nosuid and nodev are on by default; "exec" only clears noexec. Anything else
 * (uid=, gid=, huge=, mpol= …) is refused rather than passed to the kernel. */

typedef struct TmpfsOptions {
        bool read_only;
        bool noexec;
        char mode[8];      /* "" = 0755 */
        char size[24];     /* "" = the kernel's default */
        char nr_inodes[24];
} TmpfsOptions;

/* Parses a comma-separated list. On failure returns -EINVAL and, if ret_bad is given, a copy of
 * the offending option (or NULL on allocation failure). ret is untouched on failure. */
int tmpfs_options_parse(const char *s, TmpfsOptions *ret, char **ret_bad);
