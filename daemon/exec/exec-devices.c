/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The private /dev of PrivateDevices=yes. The nodes are bind mounts of the host's own (never
 * mknod()ed, so no CAP_MKNOD is needed and no node can be forged), on a tmpfs that is read-only
 * once built. /dev/shm and /dev/pts stay writable. The bounding-set and seccomp sides of
 * PrivateDevices= (CAP_MKNOD, CAP_SYS_RAWIO, @raw-io) are applied elsewhere. */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec-devices.h"
#include "exec-mount-util.h"
#include "macro.h"

static const char *const device_nodes[EXEC_DEVICE_NODES_MAX] = {
        "null", "zero", "full", "random", "urandom", "tty",
};

static const struct {
        const char *name, *target;
} device_links[] = {
        { "fd",     "/proc/self/fd" },
        { "stdin",  "/proc/self/fd/0" },
        { "stdout", "/proc/self/fd/1" },
        { "stderr", "/proc/self/fd/2" },
        { "ptmx",   "pts/ptmx" },
};

int exec_devices_take_host_nodes(ExecDevices *d) {
        _cleanup_close_ int dev = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);

        if (dev < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(device_nodes); i++) {
                _cleanup_close_ int fd = -EBADF;
                struct stat st;
                int r;

                fd = openat(dev, device_nodes[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0) {
                        if (errno == ENOENT)
                                continue; /* the host has none: neither has the job */
                        return -errno;
                }
                if (fstat(fd, &st) < 0)
                        return -errno;
                if (!S_ISCHR(st.st_mode))
                        continue; /* not a device node: never bind anything else into /dev */
                r = mount_tree_clone(fd, false, &d->nodes[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int populate(int dev, const ExecDevices *d) {
        for (size_t i = 0; i < ELEMENTSOF(device_nodes); i++) {
                int fd;

                if (d->nodes[i] < 0)
                        continue;
                fd = openat(dev, device_nodes[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
                if (fd < 0)
                        return -errno;
                safe_close(fd);
        }
        if (mkdirat(dev, "pts", 0755) < 0 || mkdirat(dev, "shm", 0755) < 0)
                return -errno;
        if (fchmodat(dev, "shm", 01777, 0) < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(device_links); i++)
                if (symlinkat(device_links[i].target, dev, device_links[i].name) < 0)
                        return -errno;
        return 0;
}

static int attach_at(int tree, int dev, const char *name) {
        _cleanup_close_ int target = openat(dev, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

        if (target < 0)
                return -errno;
        return mount_tree_attach(tree, target);
}

int exec_devices_mount(ExecDevices *d, int target_fd, int *ret_mounted, const char **ret_what) {
        static const char *const devpts_options[] = { "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL };
        const TmpfsOptions dev_options = { .size = "64k", .nr_inodes = "64" };
        const TmpfsOptions shm_options = {};
        _cleanup_close_ int dev = -EBADF, pts = -EBADF, shm = -EBADF;
        int r;

        *ret_what = "tmpfs";
        r = tmpfs_create(&dev_options, "0755", MOUNT_ATTR_NOEXEC, &dev);
        if (r < 0)
                return r;
        *ret_what = "populate";
        r = populate(dev, d);
        if (r < 0)
                return r;
        *ret_what = "attach";
        r = mount_tree_attach(dev, target_fd);
        if (r < 0)
                return r;

        for (size_t i = 0; i < ELEMENTSOF(device_nodes); i++) {
                if (d->nodes[i] < 0)
                        continue;
                *ret_what = device_nodes[i];
                r = attach_at(d->nodes[i], dev, device_nodes[i]);
                if (r < 0)
                        return r;
                d->nodes[i] = safe_close(d->nodes[i]);
        }

        /* Read-only before the writable parts go on top: the nodes, and /dev itself, cannot be
         * replaced or added to. Writing to a device node on a read-only mount still works. */
        *ret_what = "read-only";
        r = mount_make_read_only(dev, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
        if (r < 0)
                return r;

        *ret_what = "devpts";
        r = pseudofs_create("devpts", devpts_options, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, &pts);
        if (r >= 0)
                r = attach_at(pts, dev, "pts");
        if (r < 0)
                return r;

        *ret_what = "shm";
        r = tmpfs_create(&shm_options, "01777", 0, &shm);
        if (r >= 0)
                r = attach_at(shm, dev, "shm");
        if (r < 0)
                return r;

        *ret_what = NULL;
        *ret_mounted = TAKE_FD(dev);
        return 0;
}

void exec_devices_done(ExecDevices *d) {
        for (size_t i = 0; i < ELEMENTSOF(d->nodes); i++)
                d->nodes[i] = safe_close(d->nodes[i]);
}
