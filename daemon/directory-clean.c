/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "directory-clean.h"
#include "log.h"
#include "macro.h"
#include "strv.h"

#define REMOVE_DEPTH_MAX 64

DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);

/* Only what lies on the same mount, read from the kernel's cache (no FUSE round trip). */
static int entry_stat(int dir_fd, const char *name, struct statx *ret) {
        if (statx(dir_fd, name, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_TYPE, ret) < 0)
                return -errno;
        return 0;
}

static int remove_at(int dir_fd, const char *name, unsigned depth) {
        _cleanup_(closedirp) DIR *d = NULL;
        struct statx st;
        struct dirent *de;
        int fd, r;

        r = entry_stat(dir_fd, name, &st);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        if (!S_ISDIR(st.stx_mode))
                return unlinkat(dir_fd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
        if ((st.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (st.stx_attributes & STATX_ATTR_MOUNT_ROOT))
                return -EXDEV;
        if (depth >= REMOVE_DEPTH_MAX)
                return -ELOOP;
        fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                safe_close(fd);
                return r;
        }
        r = 0;
        while ((de = readdir(d)))
                if (!streq(de->d_name, ".") && !streq(de->d_name, "..")) {
                        int k = remove_at(dirfd(d), de->d_name, depth + 1);
                        if (k < 0 && r == 0)
                                r = k;
                }
        if (unlinkat(dir_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT && r == 0)
                r = -errno;
        return r;
}

/* The parent of the path's last component, opened below the root without following a symlink. */
static int remove_one(const char *root, const char *path) {
        _cleanup_free_ char *p = strdup(path);
        _cleanup_close_ int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        char *last;

        if (!p)
                return -ENOMEM;
        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        last = strrchr(p, '/');
        if (last) {
                *last++ = 0;
                for (char *c = p, *next; c; c = next) {
                        int nfd;

                        next = strchr(c, '/');
                        if (next)
                                *next++ = 0;
                        nfd = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (nfd < 0)
                                return errno == ENOENT ? 0 : -errno;
                        safe_close(fd);
                        fd = nfd;
                }
        } else
                last = p;
        return remove_at(fd, last, 0);
}

int runtime_directories_remove(const SandboxSpec *spec) {
        const ExecDirectory *d = spec->directories + EXEC_DIRECTORY_RUNTIME;
        bool as_user = spec->directories_user_layout && spec->uid != 0;
        int n = 0;

        if (!d->paths || !d->root || spec->runtime_directory_preserve == RUNTIME_DIRECTORY_PRESERVE_YES)
                return 0;
        if (as_user) {
                (void) setfsgid(spec->gid);
                (void) setfsuid(spec->uid);
                if ((uid_t) setfsuid((uid_t) -1) != spec->uid || (gid_t) setfsgid((gid_t) -1) != spec->gid) {
                        (void) setfsuid(0);
                        (void) setfsgid(0);
                        return log_error_errno(-EPERM, "RuntimeDirectory: cannot take uid %u's file system ids",
                                               (unsigned) spec->uid);
                }
        }
        STRV_FOREACH(p, d->paths) {
                int r = remove_one(d->root, *p);
                if (r < 0)
                        log_warning_errno(r, "RuntimeDirectory: cannot remove %s/%s: %m", d->root, *p);
                else
                        n++;
        }
        if (as_user) {
                (void) setfsuid(0);
                (void) setfsgid(0);
        }
        return n;
}
