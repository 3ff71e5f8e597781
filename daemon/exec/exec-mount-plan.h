/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "sandbox-spec.h"

/* The job's mount table as a list of entries, one per path, built from a SandboxSpec without any
 * I/O. exec-mounts.c then applies it. */

typedef enum MountMode {
        /* In priority order: of two entries for one path, the first wins (and inherits read-only). */
        MOUNT_INACCESSIBLE,
        MOUNT_BIND,
        MOUNT_PRIVATE_DEV,
        MOUNT_TMPFS,
        MOUNT_MQUEUE,
        MOUNT_PROCFS,              /* a new /proc instance: PrivatePIDs=, ProtectProc=, ProcSubset= */
        MOUNT_SYSFS,               /* a new /sys instance: MountAPIVFS= */
        MOUNT_READ_ONLY,
        MOUNT_READ_WRITE,
        MOUNT_READ_WRITE_IMPLICIT, /* kept writable below ProtectSystem=strict */
        MOUNT_NOEXEC,              /* NoExecPaths= */
        MOUNT_EXEC,                /* ExecPaths= */
        _MOUNT_MODE_MAX,
} MountMode;

typedef struct MountEntry {
        char *path;            /* in the job's root tree: absolute, normalized */
        char *label;           /* "ReadOnlyPaths=/x": names the entry in a failure record */
        MountMode mode;
        bool read_only;        /* made read-only, recursively, once the tree is built */
        bool noexec;           /* made noexec, recursively, likewise */
        bool exec;             /* ExecPaths=: not noexec, whatever lies above (unless noexec too) */
        bool ignore_missing;
        bool caller_path;      /* given by the caller: looked up with the job's file system ids */
        bool if_unmounted;     /* MountAPIVFS=: skipped where something is mounted already */
        const char *source;    /* MOUNT_BIND: the source on the host (borrowed from the spec, or owned_source) */
        char *owned_source;
        bool recursive;        /* MOUNT_BIND */
        /* MOUNT_BIND of StateDirectory= and the others: the source is the directory confine-exec made
         * on the host, opened as it was made (exec_directory_open()), not looked up as a caller path. */
        bool directory_source;
        ExecDirectoryType directory_type;
        const char *directory_path; /* as given, borrowed from the spec */
        const char *options;   /* MOUNT_TMPFS: tmpfs-options.h syntax (borrowed or static) */
        const char *default_mode; /* MOUNT_TMPFS */

        /* Filled in while applying. */
        int source_fd;         /* MOUNT_BIND: the source, as a detached tree */
        int restore_fd;        /* a copy of this writable subtree, taken before read-only was applied above it */
        bool skipped;          /* missing, and ignore_missing */
        bool have_identity;    /* what step 3 mounted there: every later lookup must find it again */
        dev_t dev;
        ino_t ino;
} MountEntry;

typedef struct MountPlan {
        MountEntry *entries;   /* sorted by path: a parent always comes before what lies below it */
        size_t n;
} MountPlan;

int mount_plan_build(const SandboxSpec *spec, MountPlan *ret);
/* Sorts by path, merges entries of one path and drops what lies below an inaccessible path; again
 * after the paths were resolved (a symlink such as /var/run → /run moves its entry). */
void mount_plan_sort(MountPlan *p);
void mount_plan_done(MountPlan *p);

bool mount_entry_is_read_only(const MountEntry *e);
bool mount_entry_is_noexec(const MountEntry *e);

/* Once the table is final: NoExecPaths=/ExecPaths= entries are read-only where their parent is, and
 * every entry but an ExecPaths= one is noexec where its parent is. The other entries keep what they
 * ask for (a writable path below a read-only one stays writable), as before. */
void mount_plan_resolve_attributes(MountPlan *p);

/* The closest entry above entry i that was not skipped, or -1. */
ssize_t mount_plan_parent(const MountPlan *p, size_t i);

/* Whether path lies strictly below (not at) prefix, component-wise. */
bool path_is_below(const char *path, const char *prefix);
