/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mount points in the job's tree, as systemd's namespace.c treats them: each one is resolved when
 * its turn comes (a symlink moves the entry, and the table is sorted again), a missing one of a bind
 * or a tmpfs is created (inside a tmpfs made for the job as root, elsewhere with the job's file
 * system ids, never through a symlink), and one that a later mount covers is dropped. Also the file
 * system ids the lookups of caller paths run with. exec-mounts.c drives the steps. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec-mount-point.h"
#include "exec-mount-util.h"
#include "exec-report.h"

void exec_fs_ids_enter(const SandboxSpec *spec, bool caller_path) {
        if (!caller_path || spec->uid == 0)
                return;
        (void) setfsgid(spec->gid);
        (void) setfsuid(spec->uid);
        if ((uid_t) setfsuid((uid_t) -1) != spec->uid || (gid_t) setfsgid((gid_t) -1) != spec->gid)
                exec_fail(EXEC_STEP_MOUNT, EPERM, "switch to the job's file system ids");
}

void exec_fs_ids_leave(const SandboxSpec *spec, bool caller_path) {
        if (!caller_path || spec->uid == 0)
                return;
        (void) setfsuid(0);
        (void) setfsgid(0);
        if (setfsuid((uid_t) -1) != 0 || setfsgid((gid_t) -1) != 0)
                exec_fail(EXEC_STEP_MOUNT, EPERM, "switch back to root's file system ids");
}

/* Opens the entry's path in the job's tree before anything is mounted there: 0, or a negative errno. */
int mount_point_open(const SandboxSpec *spec, const MountEntry *e, int *ret_fd) {
        _cleanup_close_ int root = open(STAGING_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
        int r;

        if (root < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "open %s", STAGING_ROOT);
        exec_fs_ids_enter(spec, e->caller_path);
        r = open_in_root(root, e->path, ret_fd);
        exec_fs_ids_leave(spec, e->caller_path);
        return r;
}

/* As systemd's namespace.c does when it comes to each mount point (follow_symlink(), then sorting
 * again): the entry's path is resolved in the job's tree as it stands, with what was mounted before
 * it, so that TemporaryFileSystem=/var/run becomes the tmpfs on /run and sorts before ProtectHome='s
 * /run/user, while /etc/localtime, once a tmpfs covers /etc, is no symlink any more. A missing path
 * stays as given. Returns whether the path changed. */
bool mount_point_resolve(const SandboxSpec *spec, MountEntry *e) {
        _cleanup_close_ int root = open(STAGING_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -EBADF;
        char proc[64], target[PATH_MAX], *copy;
        const char *resolved;
        ssize_t l;
        int r;

        if (root < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "open %s", STAGING_ROOT);
        exec_fs_ids_enter(spec, e->caller_path);
        r = open_in_root(root, e->path, &fd);
        exec_fs_ids_leave(spec, e->caller_path);
        if (r < 0)
                return false;
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        l = readlink(proc, target, sizeof target - 1);
        if (l <= 0)
                return false;
        target[l] = 0;
        if (!strneq(target, STAGING_ROOT, strlen(STAGING_ROOT)))
                return false;
        resolved = target[strlen(STAGING_ROOT)] ? target + strlen(STAGING_ROOT) : "/";
        if (resolved[0] != '/' || streq(resolved, e->path))
                return false;
        copy = strdup(resolved);
        if (!copy)
                exec_fail(EXEC_STEP_MOUNT, ENOMEM, "resolve %s", e->label);
        free(e->path);
        e->path = copy;
        return true;
}

/* The entries that replace what lies below their path. */
#define MODE_COVERS_BELOW(m) ((m) == MOUNT_TMPFS || (m) == MOUNT_BIND || (m) == MOUNT_PRIVATE_DEV || \
                        (m) == MOUNT_INACCESSIBLE || (m) == MOUNT_MQUEUE || (m) == MOUNT_PROCFS)

static bool entry_makes_job_fs(const MountEntry *e) {
        return !e->skipped && (e->mode == MOUNT_TMPFS || e->mode == MOUNT_PRIVATE_DEV);
}

/* Creates the missing mount point of entry i, if systemd would: a bind's destination (of the source's
 * type), a tmpfs's directory. The deepest existing ancestor is found as any lookup finds it (symlinks
 * resolved inside the job's root, with the entry's ids); what is missing below it is created without
 * following any symlink, as root where the ancestor lies in a tmpfs made for this job, else with the
 * job's file system ids. Returns -ENOENT where nothing is to be created. */
int mount_point_create_missing(const SandboxSpec *spec, const MountPlan *plan, size_t i, int *ret_fd) {
        const MountEntry *e = plan->entries + i;
        _cleanup_close_ int root = -EBADF, ancestor = -EBADF;
        _cleanup_free_ char *prefix = NULL;
        ssize_t parent = mount_plan_parent(plan, i);
        bool directory = true, in_job_fs;
        struct stat st;
        char *slash;
        int r;

        if (e->mode == MOUNT_BIND) {
                if (fstat(e->source_fd, &st) < 0)
                        return -errno;
                directory = S_ISDIR(st.st_mode);
        } else if (e->mode != MOUNT_TMPFS)
                return -ENOENT;

        root = open(STAGING_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
        prefix = strdup(e->path);
        if (root < 0 || !prefix)
                return root < 0 ? -errno : -ENOMEM;
        for (;;) {
                slash = strrchr(prefix, '/');
                if (!slash)
                        return -ENOENT;
                *slash = 0;
                exec_fs_ids_enter(spec, e->caller_path);
                r = open_in_root(root, prefix[0] ? prefix : "/", &ancestor);
                exec_fs_ids_leave(spec, e->caller_path);
                if (r >= 0)
                        break;
                if (!(r == -ENOENT || r == -ENOTDIR))
                        return r;
        }
        in_job_fs = parent >= 0 && entry_makes_job_fs(plan->entries + parent) &&
                    (streq(prefix, plan->entries[parent].path) || path_is_below(prefix, plan->entries[parent].path));

        exec_fs_ids_enter(spec, !in_job_fs);
        r = mount_point_create(ancestor, e->path + strlen(prefix), directory, ret_fd);
        exec_fs_ids_leave(spec, !in_job_fs);
        return r;
}

/* Entry i was just mounted; an entry built before it whose path moved below it (a symlink resolved
 * later, /var/run → /run) is covered now. As systemd's second round does, one that may be missing is
 * dropped, any other fails the spawn naming both. */
void mount_plan_drop_covered(MountPlan *plan, size_t i) {
        const MountEntry *top = plan->entries + i;

        if (top->skipped || !MODE_COVERS_BELOW(top->mode))
                return;
        for (size_t k = 0; k < plan->n; k++) {
                MountEntry *e = plan->entries + k;

                if (k == i || e->skipped || !e->have_identity || !path_is_below(e->path, top->path))
                        continue;
                if (!e->ignore_missing)
                        exec_fail(EXEC_STEP_MOUNT, ENOENT, "%s: covered by %s", e->label, top->label);
                e->skipped = true;
        }
}

