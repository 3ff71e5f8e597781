/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec-directories.h"
#include "exec-mount-point.h"
#include "exec-report.h"
#include "spec-directories.h"
#include "strv.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);

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

/* Each component below the root is created if missing (unless mode is (mode_t) -1, which only opens) and
 * opened without following a symlink: in the system layout a user that owns a directory on the way must
 * not redirect root's mkdir or chown. */
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
                if (mode != (mode_t) -1 && mkdirat(fd, c, next ? 0755 : mode) < 0 && errno != EEXIST)
                        return -errno;
                nfd = openat(fd, c, (next || mode == (mode_t) -1 ? O_PATH : O_RDONLY) | O_DIRECTORY | O_NOFOLLOW |
                                            O_CLOEXEC);
                if (nfd < 0)
                        return -errno;
                safe_close(fd);
                fd = nfd;
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* DynamicUser=: the uid may differ from the last run's, so what the directory holds is given to it, as
 * systemd does; never through a symlink, and never into another mount. */
static int chown_tree(int fd, uid_t uid, gid_t gid, dev_t dev, unsigned depth) {
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        int dfd;

        if (fchown(fd, uid, gid) < 0)
                return -errno;
        if (depth >= 64)
                return -ELOOP;
        dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (dfd < 0)
                return -errno;
        d = fdopendir(dfd);
        if (!d) {
                safe_close(dfd);
                return -errno;
        }
        while ((de = readdir(d))) {
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != dev)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = openat(dirfd(d), de->d_name,
                                                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        int r;

                        if (sub < 0)
                                return -errno;
                        r = chown_tree(sub, uid, gid, dev, depth + 1);
                        if (r < 0)
                                return r;
                } else if (fchownat(dirfd(d), de->d_name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
                        return -errno;
        }
        return 0;
}

/* ROOT/PATH → ROOT/private/PATH, relative, as systemd makes it; a symlink of ours is left, any other
 * symlink replaced; a directory there (of a run without DynamicUser=) is refused. */
static int link_private(int root_fd, const char *path) {
        _cleanup_free_ char *parent = strdup(path), *target = NULL;
        _cleanup_close_ int parent_fd = -EBADF;
        const char *name = strrchr(path, '/');
        char current[4096];
        size_t depth = 0;
        ssize_t l;
        int r;

        if (!parent)
                return -ENOMEM;
        for (const char *c = path; *c; c++)
                depth += *c == '/';
        target = malloc(depth * 3 + strlen("private/") + strlen(path) + 1);
        if (!target)
                return -ENOMEM;
        target[0] = 0;
        for (size_t i = 0; i < depth; i++)
                strcat(target, "../");
        strcat(strcat(target, "private/"), path);
        if (name) {
                parent[name - path] = 0;
                name++;
                r = open_below(root_fd, parent, 0755, &parent_fd);
                if (r < 0)
                        return r;
        } else {
                name = path;
                parent_fd = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
                if (parent_fd < 0)
                        return -errno;
        }
        l = readlinkat(parent_fd, name, current, sizeof current - 1);
        if (l >= 0) {
                current[l] = 0;
                if (streq(current, target))
                        return 0;
                if (unlinkat(parent_fd, name, 0) < 0)
                        return -errno;
        } else if (errno == EINVAL)
                return -EEXIST;
        else if (errno != ENOENT)
                return -errno;
        return symlinkat(target, parent_fd, name) < 0 ? -errno : 0;
}

static void setup_private(const SandboxSpec *spec, ExecDirectoryType t, int root_fd, const char *path) {
        const ExecDirectory *d = spec->directories + t;
        const char *name = exec_directory_type_to_string(t);
        _cleanup_close_ int private_fd = -EBADF, fd = -EBADF;
        struct stat st;
        int r;

        r = open_below(root_fd, "private", 0700, &private_fd);
        if (r >= 0 && fchmod(private_fd, 0700) < 0)
                r = -errno;
        if (r < 0)
                exec_fail(EXEC_STEP_DIRECTORIES, -r, "%s=%s: create %s/private", name, path, d->root);
        r = open_below(private_fd, path, d->mode, &fd);
        if (r >= 0 && fstat(fd, &st) < 0)
                r = -errno;
        if (r >= 0 && fchmod(fd, d->mode) < 0)
                r = -errno;
        if (r >= 0 && (st.st_uid != spec->uid || st.st_gid != spec->gid))
                r = chown_tree(fd, spec->uid, spec->gid, st.st_dev, 0);
        if (r < 0)
                exec_fail(EXEC_STEP_DIRECTORIES, -r, "%s=%s: create %s/private/%s", name, path, d->root, path);
        r = link_private(root_fd, path);
        if (r < 0)
                exec_fail(EXEC_STEP_DIRECTORIES, -r, "%s=%s: link %s/%s to private/%s", name, path, d->root, path,
                          path);
}

static void setup_one(const SandboxSpec *spec, ExecDirectoryType t, int root_fd, const char *path) {
        const ExecDirectory *d = spec->directories + t;
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (spec_directory_is_private(spec, t)) {
                setup_private(spec, t, root_fd, path);
                return;
        }
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

int exec_directory_open(const SandboxSpec *spec, ExecDirectoryType t, const char *path, int *ret_fd) {
        const ExecDirectory *d = spec->directories + t;
        bool user = spec->directories_user_layout;
        _cleanup_close_ int root_fd = -EBADF, private_fd = -EBADF;
        int r;

        if (!d->root)
                return -EINVAL;
        exec_fs_ids_enter(spec, user);
        /* The root itself as open_root() found it: root's own in the system layout, the caller's below
         * its home (looked up with its ids) in the user layout. */
        root_fd = open(d->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        r = root_fd < 0 ? -errno : 0;
        if (r >= 0 && spec_directory_is_private(spec, t)) {
                r = open_below(root_fd, "private", (mode_t) -1, &private_fd);
                if (r >= 0)
                        r = open_below(private_fd, path, (mode_t) -1, ret_fd);
        } else if (r >= 0)
                r = open_below(root_fd, path, (mode_t) -1, ret_fd);
        exec_fs_ids_leave(spec, user);
        return r;
}
