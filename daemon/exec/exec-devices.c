/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The private /dev of PrivateDevices=yes. The nodes are bind mounts of the host's own (never
 * mknod()ed, so no CAP_MKNOD is needed and no node can be forged), on a tmpfs that is read-only
 * once built. /dev/shm and /dev/pts stay writable. The bounding-set and seccomp sides of
 * PrivateDevices= (CAP_MKNOD, CAP_SYS_RAWIO, @raw-io) are applied elsewhere.
 *
 * DeviceAllow=/DevicePolicy= build the same /dev from the device rules the daemon resolved and
 * enforces with its BPF program: a node is there only if the rules let the job read or write it. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

/* Names the private /dev keeps for itself: its links, its own pts and shm, and the pseudo devices,
 * which nodes[] holds. */
static bool name_is_reserved(const char *name) {
        static const char *const reserved[] = { "pts", "shm", "ptmx" };
        size_t l = strcspn(name, "/");

        for (size_t i = 0; i < ELEMENTSOF(reserved); i++)
                if (strlen(reserved[i]) == l && strneq(name, reserved[i], l))
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(device_links); i++)
                if (strlen(device_links[i].name) == l && strneq(name, device_links[i].name, l))
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(device_nodes); i++)
                if (streq(name, device_nodes[i]))
                        return true;
        return false;
}

static bool node_type(const struct stat *st, DeviceType *ret) {
        if (S_ISCHR(st->st_mode))
                *ret = DEVICE_TYPE_CHAR;
        else if (S_ISBLK(st->st_mode))
                *ret = DEVICE_TYPE_BLOCK;
        else
                return false;
        return true;
}

/* The job gets a node only if it may open it: for reading or for writing. */
static bool node_allowed(const DeviceRule *rules, size_t n, const struct stat *st) {
        DeviceType type;

        if (!node_type(st, &type))
                return false;
        return device_rules_allow(rules, n, type, major(st->st_rdev), minor(st->st_rdev), DEVICE_ACCESS_READ) ||
               device_rules_allow(rules, n, type, major(st->st_rdev), minor(st->st_rdev), DEVICE_ACCESS_WRITE);
}

static bool extra_has(const ExecDevices *d, const char *name) {
        for (size_t i = 0; i < d->n_extra; i++)
                if (streq(d->extra[i].name, name))
                        return true;
        return false;
}

/* Adds a copy of the node at fd as /dev/NAME. */
static int extra_add(ExecDevices *d, const char *name, int fd) {
        ExecDeviceNode *l;
        char *copy;
        int tree, r;

        if (extra_has(d, name))
                return 0;
        if (d->n_extra >= EXEC_DEVICE_EXTRA_MAX)
                return -E2BIG;
        copy = strdup(name);
        if (!copy)
                return -ENOMEM;
        l = realloc(d->extra, (d->n_extra + 1) * sizeof(ExecDeviceNode));
        if (!l) {
                free(copy);
                return -ENOMEM;
        }
        d->extra = l;
        r = mount_tree_clone(fd, false, &tree);
        if (r < 0) {
                free(copy);
                return r;
        }
        d->extra[d->n_extra++] = (ExecDeviceNode) { .name = copy, .fd = tree };
        return 0;
}

/* A DeviceAllow= path: the node must still be the device the daemon resolved and programmed. */
static int take_path_node(ExecDevices *d, int dev, const DeviceRule *rule) {
        const char *name = rule->path + strlen("/dev/");
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        DeviceType type;
        int r;

        if (name_is_reserved(name) || extra_has(d, name) || !(rule->access & (DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE)))
                return 0;
        r = open_in_root(dev, name, &fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!node_type(&st, &type) || type != rule->type || major(st.st_rdev) != rule->major ||
            minor(st.st_rdev) != rule->minor)
                return -ESTALE;
        return extra_add(d, name, fd);
}

/* Every node of the host's /dev that the rules allow, below dir (prefix: its path below /dev). Other
 * mounts (the host's pts, shm, mqueue, hugepages) are not entered. */
static int take_matching_nodes(ExecDevices *d, int dir, const char *prefix, dev_t fs, const DeviceRule *rules,
                               size_t n_rules, unsigned depth) {
        _cleanup_close_ int copy = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dirent *de;
        DIR *listing;
        int r = 0;

        if (copy < 0)
                return -errno;
        listing = fdopendir(copy);
        if (!listing)
                return -errno;
        copy = -EBADF; /* the listing owns it */

        while (r >= 0 && (de = readdir(listing))) {
                char name[PATH_MAX];
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "/" : "", de->d_name) >= (int) sizeof name)
                        continue;
                if (fstatat(dirfd(listing), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue; /* gone meanwhile */
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = -EBADF;

                        if (st.st_dev != fs || depth >= 8 || name_is_reserved(name))
                                continue;
                        sub = openat(dirfd(listing), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub >= 0)
                                r = take_matching_nodes(d, sub, name, fs, rules, n_rules, depth + 1);
                } else if (node_allowed(rules, n_rules, &st) && !name_is_reserved(name) && !extra_has(d, name)) {
                        _cleanup_close_ int fd = openat(dirfd(listing), de->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                        struct stat again;

                        /* The node must be the one just checked. */
                        if (fd < 0 || fstat(fd, &again) < 0 || again.st_mode != st.st_mode || again.st_rdev != st.st_rdev)
                                continue;
                        r = extra_add(d, name, fd);
                }
        }
        closedir(listing);
        return r;
}

int exec_devices_take_allowed_nodes(ExecDevices *d, const DeviceRule *rules, size_t n_rules) {
        _cleanup_close_ int dev = open("/dev", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        bool classes = false;
        struct stat st;
        int r;

        if (dev < 0)
                return -errno;
        if (fstat(dev, &st) < 0)
                return -errno;

        for (size_t i = 0; i < ELEMENTSOF(device_nodes); i++) {
                _cleanup_close_ int fd = openat(dev, device_nodes[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
                struct stat node;

                if (fd < 0) {
                        if (errno == ENOENT)
                                continue;
                        return -errno;
                }
                if (fstat(fd, &node) < 0)
                        return -errno;
                if (!S_ISCHR(node.st_mode) || !node_allowed(rules, n_rules, &node))
                        continue;
                r = mount_tree_clone(fd, false, &d->nodes[i]);
                if (r < 0)
                        return r;
        }
        d->no_devpts = !device_rules_allow(rules, n_rules, DEVICE_TYPE_CHAR, 5, 2,
                                           DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE);

        for (size_t i = 0; i < n_rules; i++) {
                if (rules[i].path) {
                        r = take_path_node(d, dev, rules + i);
                        if (r < 0)
                                return r;
                } else if (rules[i].minor == DEVICE_NUMBER_ANY &&
                           !(rules[i].type == DEVICE_TYPE_CHAR && rules[i].major == 136))
                        classes = true; /* pty slaves (char-pts) never come from the host */
        }
        if (classes)
                return take_matching_nodes(d, dev, "", st.st_dev, rules, n_rules, 0);
        return 0;
}

/* Creates the directories above /dev/NAME. */
static int make_parents(int dev, const char *name) {
        char path[PATH_MAX];

        if (strlen(name) >= sizeof path)
                return -ENAMETOOLONG;
        strcpy(path, name);
        for (char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
                *p = 0;
                if (mkdirat(dev, path, 0755) < 0 && errno != EEXIST)
                        return -errno;
                *p = '/';
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
        for (size_t i = 0; i < d->n_extra; i++) {
                int fd, r;

                r = make_parents(dev, d->extra[i].name);
                if (r < 0)
                        return r;
                fd = openat(dev, d->extra[i].name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (fd < 0)
                        return -errno;
                safe_close(fd);
        }
        if ((!d->no_devpts && mkdirat(dev, "pts", 0755) < 0) || mkdirat(dev, "shm", 0755) < 0)
                return -errno;
        if (fchmodat(dev, "shm", 01777, 0) < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(device_links); i++) {
                if (d->no_devpts && streq(device_links[i].name, "ptmx"))
                        continue;
                if (symlinkat(device_links[i].target, dev, device_links[i].name) < 0)
                        return -errno;
        }
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
        const TmpfsOptions shm_options = {};
        _cleanup_close_ int dev = -EBADF, pts = -EBADF, shm = -EBADF;
        TmpfsOptions dev_options = { .size = "64k" };
        size_t inodes = 64;
        int r;

        /* Room for each extra node and for every directory above it (shared ones count twice). */
        for (size_t i = 0; i < d->n_extra; i++)
                for (const char *p = d->extra[i].name; p; p = strchr(p + 1, '/'))
                        inodes++;
        snprintf(dev_options.nr_inodes, sizeof dev_options.nr_inodes, "%zu", inodes);

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
        for (size_t i = 0; i < d->n_extra; i++) {
                *ret_what = d->extra[i].name;
                r = attach_at(d->extra[i].fd, dev, d->extra[i].name);
                if (r < 0)
                        return r;
                d->extra[i].fd = safe_close(d->extra[i].fd);
        }

        /* Read-only before the writable parts go on top: the nodes, and /dev itself, cannot be
         * replaced or added to. Writing to a device node on a read-only mount still works. */
        *ret_what = "read-only";
        r = mount_make_read_only(dev, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
        if (r < 0)
                return r;

        if (!d->no_devpts) {
                *ret_what = "devpts";
                r = pseudofs_create("devpts", devpts_options, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, &pts);
                if (r >= 0)
                        r = attach_at(pts, dev, "pts");
                if (r < 0)
                        return r;
        }

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
        for (size_t i = 0; i < d->n_extra; i++) {
                safe_close(d->extra[i].fd);
                free(d->extra[i].name);
        }
        free(d->extra);
        d->extra = NULL;
        d->n_extra = 0;
}
