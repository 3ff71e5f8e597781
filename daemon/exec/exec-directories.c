/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec-directories.h"
#include "exec-mount-point.h"
#include "exec-report.h"
#include "strv.h"

/* mkdir -p of a root such as /var/lib or ~/.config, following symlinks: the system roots are root's
 * own, and in the user layout this runs with the caller's file system ids, so it reaches nothing the
 * caller could not. */
static int open_root(const char *root) {
        _cleanup_free_ char *p = strdup(root);
        int fd;

        if (!p)
                return -ENOMEM;
        for (char *slash = strchr(p + 1, '/');; slash = strchr(slash + 1, '/')) {
                if (slash)
                        *slash = 0;
                if (mkdir(p, 0755) < 0 && errno != EEXIST)
                        return -errno;
                if (!slash)
                        break;
                *slash = '/';
        }
        fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

/* Each component below the root is created if missing and opened without following a symlink: in the
 * system layout a user that owns a directory on the way must not redirect root's mkdir or chown. */
static int open_below(int root_fd, const char *path, mode_t mode, int *ret_fd) {
        _cleanup_free_ char *p = strdup(path);
        _cleanup_close_ int fd = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
        char *c, *next;

        if (!p)
                return -ENOMEM;
        if (fd < 0)
                return -errno;
        for (c = p; c; c = next) {
                int nfd;

                next = strchr(c, '/');
                if (next)
                        *next++ = 0;
                if (mkdirat(fd, c, next ? 0755 : mode) < 0 && errno != EEXIST)
                        return -errno;
                nfd = openat(fd, c, (next ? O_PATH : O_RDONLY) | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (nfd < 0)
                        return -errno;
                safe_close(fd);
                fd = nfd;
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static void setup_one(const SandboxSpec *spec, ExecDirectoryType t, int root_fd, const char *path) {
        const ExecDirectory *d = spec->directories + t;
        _cleanup_close_ int fd = -EBADF;
        int r;

        r = open_below(root_fd, path, d->mode, &fd);
        if (r < 0)
                exec_fail(EXEC_STEP_DIRECTORIES, -r, "%s=%s: create %s/%s", exec_directory_type_to_string(t), path,
                          d->root, path);
        /* As systemd: the innermost directory gets the mode, and the user (not ConfigurationDirectory=,
         * which the job only reads). In the user layout it is the caller's own already. */
        if (fchmod(fd, d->mode) < 0)
                exec_fail(EXEC_STEP_DIRECTORIES, errno, "%s=%s: chmod %04o %s/%s", exec_directory_type_to_string(t),
                          path, (unsigned) d->mode, d->root, path);
        if (!spec->directories_user_layout && t != EXEC_DIRECTORY_CONFIGURATION && fchown(fd, spec->uid, spec->gid) < 0)
                exec_fail(EXEC_STEP_DIRECTORIES, errno, "%s=%s: chown %s/%s", exec_directory_type_to_string(t), path,
                          d->root, path);
}

void exec_setup_directories(const SandboxSpec *spec) {
        bool user = spec->directories_user_layout;

        exec_fs_ids_enter(spec, user);
        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                const ExecDirectory *d = spec->directories + t;
                _cleanup_close_ int root_fd = -EBADF;

                if (!d->paths)
                        continue;
                root_fd = open_root(d->root);
                if (root_fd < 0)
                        exec_fail(EXEC_STEP_DIRECTORIES, -root_fd, "%s=%s: create %s", exec_directory_type_to_string(t),
                                  d->paths[0], d->root);
                STRV_FOREACH(p, d->paths)
                        setup_one(spec, t, root_fd, *p);
        }
        exec_fs_ids_leave(spec, user);
}
