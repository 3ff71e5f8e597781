/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-mount-util.h"
#include "macro.h"

int open_in_root(int root_fd, const char *path, int *ret_fd) {
        struct open_how how = {
                .flags = O_PATH | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int fd = -EBADF;

        /* EAGAIN: a concurrent rename raced with the ".." checks; the kernel asks to retry. */
        for (unsigned attempt = 0; attempt < 8; attempt++) {
                fd = (int) syscall(SYS_openat2, root_fd, path, &how, sizeof how);
                if (fd >= 0 || errno != EAGAIN)
                        break;
        }
        if (fd < 0)
                return negative_errno();
        *ret_fd = fd;
        return 0;
}

int mount_tree_clone(int fd, bool recursive, int *ret_fd) {
        int tree = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
                                             (recursive ? AT_RECURSIVE : 0));

        if (tree < 0)
                return negative_errno();
        *ret_fd = tree;
        return 0;
}

int mount_tree_attach(int tree_fd, int target_fd) {
        if (move_mount(tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return negative_errno();
        return 0;
}

int mount_set_attributes(int fd, uint64_t set) {
        struct mount_attr attr = { .attr_set = set };

        if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
                return negative_errno();
        return 0;
}

int mount_make_read_only(int fd, uint64_t extra) {
        return mount_set_attributes(fd, MOUNT_ATTR_RDONLY | extra);
}

static int fs_set(int fs, const char *key, const char *value) {
        if (fsconfig(fs, value ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, key, value, 0) < 0)
                return negative_errno();
        return 0;
}

/* Creates the superblock configured on fs and returns it as a detached mount. */
static int fs_finish(int fs, uint64_t attr, int *ret_fd) {
        int m;

        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return negative_errno();
        m = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned) attr);
        if (m < 0)
                return negative_errno();
        *ret_fd = m;
        return 0;
}

int tmpfs_create(const TmpfsOptions *o, const char *default_mode, uint64_t attr, int *ret_fd) {
        _cleanup_close_ int fs = -EBADF;
        int r;

        fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
        if (fs < 0)
                return negative_errno();
        r = fs_set(fs, "mode", o->mode[0] ? o->mode : default_mode);
        if (r >= 0 && o->size[0])
                r = fs_set(fs, "size", o->size);
        if (r >= 0 && o->nr_inodes[0])
                r = fs_set(fs, "nr_inodes", o->nr_inodes);
        if (r < 0)
                return r;
        /* A job never gets set-uid binaries or device nodes from a tmpfs. */
        attr |= MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (o->noexec ? MOUNT_ATTR_NOEXEC : 0);
        return fs_finish(fs, attr, ret_fd);
}

int pseudofs_create(const char *type, const char *const *options, uint64_t attr, int *ret_fd) {
        _cleanup_close_ int fs = -EBADF;
        int r;

        fs = fsopen(type, FSOPEN_CLOEXEC);
        if (fs < 0)
                return negative_errno();
        for (const char *const *o = options; o && *o; o++) {
                _cleanup_free_ char *key = NULL;
                const char *eq = strchr(*o, '=');

                key = eq ? strndup(*o, (size_t) (eq - *o)) : strdup(*o);
                if (!key)
                        return -ENOMEM;
                r = fs_set(fs, key, eq ? eq + 1 : NULL);
                if (r < 0)
                        return r;
        }
        return fs_finish(fs, attr, ret_fd);
}

/* One component below dir, never through a symlink. */
static int open_beneath(int dir, const char *name, int *ret_fd) {
        struct open_how how = {
                .flags = O_PATH | O_CLOEXEC, /* a symlink, even the last component, is ELOOP */
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int) syscall(SYS_openat2, dir, name, &how, sizeof how);

        if (fd < 0)
                return negative_errno();
        *ret_fd = fd;
        return 0;
}

int mount_point_create(int root_fd, const char *path, bool directory, int *ret_fd) {
        _cleanup_close_ int dir = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
        const char *p = path;
        int r;

        if (dir < 0)
                return negative_errno();
        for (;;) {
                _cleanup_free_ char *name = NULL;
                int next = -EBADF;
                size_t n;
                bool last;

                p += strspn(p, "/");
                n = strcspn(p, "/");
                if (n == 0)
                        return -EINVAL; /* path is "/": never missing */
                name = strndup(p, n);
                if (!name)
                        return -ENOMEM;
                p += n;
                last = p[strspn(p, "/")] == 0;

                r = open_beneath(dir, name, &next);
                if (r == -ENOENT) {
                        if (!last || directory)
                                r = mkdirat(dir, name, 0755) < 0 && errno != EEXIST ? negative_errno() : 0;
                        else {
                                int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
                                r = fd < 0 && errno != EEXIST ? negative_errno() : 0;
                                safe_close(fd);
                        }
                        if (r >= 0)
                                r = open_beneath(dir, name, &next);
                }
                if (r < 0)
                        return r;
                safe_close(dir);
                dir = next;
                if (last)
                        break;
        }
        *ret_fd = TAKE_FD(dir);
        return 0;
}
