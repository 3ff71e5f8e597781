/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Builds the job's mount tree, in the job's own mount namespace, in the order of docs/design.md:
 *
 *  0. make / private, so that nothing propagates back to the host;
 *  1. take from the host what the job gets from it, while the host's tree is still in place: a
 *     recursive copy of RootDirectory= (or of /), the BindPaths= sources and the device nodes,
 *     each opened once and then held as an fd (a path string is never resolved a second time);
 *  2. mount a private staging tmpfs on /tmp (in this namespace only), holding the job's tree at
 *     STAGING/root and the empty nodes InaccessiblePaths= are covered with;
 *  3. build the tree, parents before children: binds, tmpfs, inaccessible nodes, the private /dev,
 *     and a bind of each read-only or writable path onto itself, so that it is a mount of its own;
 *  4. apply read-only (and the noexec of NoExecPaths=) with mount_setattr(AT_RECURSIVE), parents first, so
 *     that everything mounted below a read-only path is read-only too. A writable path below a read-only one (ReadWritePaths=
 *     under ProtectSystem=strict, /dev, /proc, /sys, PrivateTmp=) is first copied as it is, and the
 *     copy is put back on top once its parent is read-only: the hole keeps exactly the state it had,
 *     and read-only is never cleared from anything;
 *  5. pivot_root into STAGING/root and drop the host's tree and the staging area.
 *
 * Paths the caller gave are looked up with the job's file system ids (setfsuid), as bubblewrap does
 * in setuid mode: a job never gets bound, or hidden, a path its user could not look up. For an
 * unprivileged caller the job's user is the caller. Symlinks in those paths resolve inside the root
 * they belong to (openat2 RESOLVE_IN_ROOT), and magic links are refused.
 *
 * As in systemd, a missing mount point of a bind, a TemporaryFileSystem= or a PrivateTmp= tmpfs is
 * created (a directory, or an empty file for a bind of a file): inside a tmpfs made for the job as
 * root, on any other file system with the job's file system ids, so that the kernel lets it happen
 * only where the job's user could create it; never through a symlink (exec-mount-point.c). Any other
 * missing path fails the spawn with ENOENT naming the property, unless the entry has the "-" prefix. */
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-devices.h"
#include "exec-directories.h"
#include "exec-mount-plan.h"
#include "exec-mount-point.h"
#include "exec-mount-util.h"
#include "exec-mounts.h"
#include "exec-proc.h"
#include "exec-report.h"

#define fail_entry(e, error, what) \
        exec_fail(EXEC_STEP_MOUNT, (error), "%s%s%s", (e)->label, (what) ? ": " : "", (what) ? (what) : "")

/* A host path, opened as the caller, who must also be allowed the access given (R_OK, X_OK), so
 * that a job never gets a view of what its user could not open: an O_PATH lookup alone needs only
 * search permission on the parents. Returns -ENOENT for a missing path, as openat2 does. */
static int open_host_path(const SandboxSpec *spec, const char *path, int access_mode, int *ret_fd) {
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -EBADF;
        int r;

        if (root < 0)
                return -errno;
        exec_fs_ids_enter(spec, true);
        r = open_in_root(root, path, &fd);
        /* AT_EACCESS: check with the file system ids just set, not the real (root) ones. */
        if (r >= 0 && spec->uid != 0 &&
            syscall(SYS_faccessat2, fd, "", access_mode, AT_EACCESS | AT_EMPTY_PATH) < 0)
                r = -errno;
        exec_fs_ids_leave(spec, true);
        if (r >= 0)
                *ret_fd = TAKE_FD(fd);
        return r;
}

static bool is_missing(int r) {
        return r == -ENOENT || r == -ENOTDIR;
}

/* Opens the entry's path in the job's tree. The tree's root is looked up afresh each time, so that
 * what was mounted on top of it since is seen. Once step 3 has mounted the entry, the path must
 * lead to what it mounted: a symlink swapped in between fails the spawn rather than redirect the
 * read-only step. Returns 0, or 1 if it is missing and may be. */
static int open_entry(const SandboxSpec *spec, MountEntry *e, int *ret_fd) {
        _cleanup_close_ int root = open(STAGING_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -EBADF;
        struct stat st;
        int r;

        if (root < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "open %s", STAGING_ROOT);
        exec_fs_ids_enter(spec, e->caller_path);
        r = open_in_root(root, e->path, &fd);
        exec_fs_ids_leave(spec, e->caller_path);
        if (r < 0 && is_missing(r) && e->ignore_missing && !e->have_identity) {
                e->skipped = true;
                return 1;
        }
        if (r < 0)
                fail_entry(e, r, NULL);
        if (e->have_identity) {
                if (fstat(fd, &st) < 0)
                        fail_entry(e, errno, "stat");
                if (st.st_dev != e->dev || st.st_ino != e->ino)
                        fail_entry(e, ESTALE, "changed while the sandbox was being built");
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static void record_identity(MountEntry *e, int mounted) {
        struct stat st;

        if (fstat(mounted, &st) < 0)
                fail_entry(e, errno, "stat");
        e->dev = st.st_dev;
        e->ino = st.st_ino;
        e->have_identity = true;
}

static int take_root_tree(const SandboxSpec *spec) {
        _cleanup_close_ int fd = -EBADF;
        int tree, r;

        if (spec->root_directory) {
                r = open_host_path(spec, spec->root_directory, R_OK | X_OK, &fd);
                if (r >= 0) {
                        struct stat st;
                        if (fstat(fd, &st) < 0)
                                r = -errno;
                        else if (!S_ISDIR(st.st_mode))
                                r = -ENOTDIR;
                }
        } else {
                fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                r = fd < 0 ? -errno : 0;
        }
        if (r < 0)
                exec_fail(EXEC_STEP_MOUNT, r, "RootDirectory=%s", spec->root_directory ?: "/");

        r = mount_tree_clone(fd, true, &tree);
        if (r < 0)
                exec_fail(EXEC_STEP_MOUNT, r, "RootDirectory=%s: copy the tree", spec->root_directory ?: "/");
        return tree;
}

static void take_bind_sources(const SandboxSpec *spec, MountPlan *plan) {
        for (size_t i = 0; i < plan->n; i++) {
                MountEntry *e = plan->entries + i;
                _cleanup_close_ int fd = -EBADF;
                int r;

                if (e->mode != MOUNT_BIND)
                        continue;
                /* StateDirectory= and the others (DynamicUser='s ROOT/private/PATH is in root's 0700
                 * directory) are no caller path: opened as the directories step made them. */
                if (e->directory_source)
                        r = exec_directory_open(spec, e->directory_type, e->directory_path, &fd);
                else
                        r = open_host_path(spec, e->source, R_OK, &fd);
                if (r < 0 && is_missing(r) && e->ignore_missing) {
                        e->skipped = true;
                        continue;
                }
                if (r < 0)
                        fail_entry(e, r, NULL);
                r = mount_tree_clone(fd, e->recursive, &e->source_fd);
                if (r < 0)
                        fail_entry(e, r, "copy the source");
        }
}

/* The staging tmpfs: STAGING/root for the job's tree, and one empty, mode 0000 node of each file
 * type to cover inaccessible paths with. It is read-only, nosuid, nodev and noexec before the
 * job's tree is attached, and so is every copy of those nodes. */
static void setup_staging(int tree) {
        static const struct {
                const char *name;
                mode_t mode;
        } nodes[] = {
                { "reg",  S_IFREG },
                { "fifo", S_IFIFO },
                { "sock", S_IFSOCK },
                { "chr",  S_IFCHR },
                { "blk",  S_IFBLK },
        };
        _cleanup_close_ int staging = -EBADF, dir = -EBADF, root = -EBADF;
        int r;

        if (mount("tmpfs", STAGING, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700,size=64k,nr_inodes=64") < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "staging tmpfs on %s", STAGING);
        staging = open(STAGING, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (staging < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "open %s", STAGING);
        if (mkdirat(staging, "root", 0700) < 0 || mkdirat(staging, "inaccessible", 0700) < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "populate %s", STAGING);
        dir = openat(staging, "inaccessible", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0 || mkdirat(dir, "dir", 0) < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "populate %s", STAGING_INACCESSIBLE);
        for (size_t i = 0; i < ELEMENTSOF(nodes); i++)
                if (mknodat(dir, nodes[i].name, nodes[i].mode, 0) < 0)
                        exec_fail(EXEC_STEP_MOUNT, errno, "populate %s", STAGING_INACCESSIBLE);

        r = mount_make_read_only(staging, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (r < 0)
                exec_fail(EXEC_STEP_MOUNT, r, "read-only %s (mount_setattr)", STAGING);

        root = openat(staging, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "open %s", STAGING_ROOT);
        r = mount_tree_attach(tree, root);
        if (r < 0)
                exec_fail(EXEC_STEP_MOUNT, r, "attach the job's tree");
}

static const char *inaccessible_node(mode_t mode) {
        switch (mode & S_IFMT) {
        case S_IFDIR:  return STAGING_INACCESSIBLE "/dir";
        case S_IFREG:  return STAGING_INACCESSIBLE "/reg";
        case S_IFIFO:  return STAGING_INACCESSIBLE "/fifo";
        case S_IFSOCK: return STAGING_INACCESSIBLE "/sock";
        case S_IFCHR:  return STAGING_INACCESSIBLE "/chr";
        case S_IFBLK:  return STAGING_INACCESSIBLE "/blk";
        default:       return NULL;
        }
}

static int cover_inaccessible(int target, int *ret_mounted) {
        _cleanup_close_ int node = -EBADF, copy = -EBADF;
        const char *path;
        struct stat st;
        int r;

        if (fstat(target, &st) < 0)
                return -errno;
        path = inaccessible_node(st.st_mode);
        if (!path)
                return -EBADF;
        node = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (node < 0)
                return -errno;
        r = mount_tree_clone(node, false, &copy);
        if (r >= 0)
                r = mount_tree_attach(copy, target);
        if (r < 0)
                return r;
        *ret_mounted = TAKE_FD(copy);
        return 0;
}

static int mount_tmpfs_entry(const MountEntry *e, int target, int *ret_mounted) {
        _cleanup_close_ int fs = -EBADF;
        TmpfsOptions o;
        int r;

        r = tmpfs_options_parse(e->options, &o, NULL);
        if (r >= 0)
                r = tmpfs_create(&o, e->default_mode, 0, &fs);
        if (r >= 0)
                r = mount_tree_attach(fs, target);
        if (r < 0)
                return r;
        *ret_mounted = TAKE_FD(fs);
        return 0;
}

static int mount_mqueue_entry(int target, int *ret_mounted) {
        _cleanup_close_ int fs = -EBADF;
        int r;

        /* A new instance belongs to the IPC namespace we are in, which is the job's. */
        r = pseudofs_create("mqueue", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &fs);
        if (r >= 0)
                r = mount_tree_attach(fs, target);
        if (r < 0)
                return r;
        *ret_mounted = TAKE_FD(fs);
        return 0;
}

static bool is_mount_root(int fd) {
        struct statx sx;

        return statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, &sx) >= 0 &&
               (sx.stx_attributes_mask & sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

static int mount_sysfs_entry(int target, int *ret_mounted) {
        _cleanup_close_ int fs = -EBADF;
        int r;

        /* A new instance shows the devices of the network namespace we are in, which is the job's. */
        r = pseudofs_create("sysfs", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &fs);
        if (r >= 0)
                r = mount_tree_attach(fs, target);
        if (r < 0)
                return r;
        *ret_mounted = TAKE_FD(fs);
        return 0;
}

/* Makes target a mount of its own, so that read-only applied to it stops at its edges. */
static int bind_onto_itself(int *target, int *ret_mounted) {
        _cleanup_close_ int copy = -EBADF;
        int r;

        if (is_mount_root(*target)) {
                *ret_mounted = TAKE_FD(*target); /* already one */
                return 0;
        }
        r = mount_tree_clone(*target, true, &copy);
        if (r >= 0)
                r = mount_tree_attach(copy, *target);
        if (r < 0)
                return r;
        *ret_mounted = TAKE_FD(copy);
        return 0;
}

/* Step 3 for one entry. */
static void build_entry(const SandboxSpec *spec, MountPlan *plan, size_t i, ExecDevices *devices) {
        _cleanup_close_ int target = -EBADF, mounted = -EBADF;
        MountEntry *e = plan->entries + i;
        const char *what = NULL;
        int r;

        if (e->skipped)
                return;
        r = mount_point_open(spec, e, &target);
        if (is_missing(r)) {
                bool creatable = e->mode == MOUNT_BIND || e->mode == MOUNT_TMPFS;

                r = creatable ? mount_point_create_missing(spec, plan, i, &target) : -ENOENT;
                if (r == -ENOENT && e->ignore_missing) {
                        e->skipped = true;
                        return;
                }
                if (r < 0)
                        fail_entry(e, r, creatable ? "create the mount point" : NULL);
        } else if (r < 0)
                fail_entry(e, r, NULL);
        if (e->if_unmounted && is_mount_root(target)) {
                e->skipped = true;
                return;
        }

        switch (e->mode) {
        case MOUNT_INACCESSIBLE:
                r = cover_inaccessible(target, &mounted);
                break;
        case MOUNT_BIND:
                r = mount_tree_attach(e->source_fd, target);
                if (r >= 0)
                        mounted = TAKE_FD(e->source_fd); /* now the attached mount */
                break;
        case MOUNT_PRIVATE_DEV:
                r = exec_devices_mount(devices, target, &mounted, &what);
                break;
        case MOUNT_TMPFS:
                r = mount_tmpfs_entry(e, target, &mounted);
                break;
        case MOUNT_MQUEUE:
                r = mount_mqueue_entry(target, &mounted);
                break;
        case MOUNT_PROCFS:
                r = exec_proc_mount(spec, target, &mounted);
                break;
        case MOUNT_SYSFS:
                r = mount_sysfs_entry(target, &mounted);
                break;
        case MOUNT_READ_ONLY:
        case MOUNT_READ_WRITE:
        case MOUNT_READ_WRITE_IMPLICIT:
        case MOUNT_NOEXEC:
        case MOUNT_EXEC:
                r = bind_onto_itself(&target, &mounted);
                break;
        default:
                r = -EINVAL;
        }
        if (r < 0)
                fail_entry(e, r, what);
        record_identity(e, mounted);
}

static uint64_t entry_attributes(const MountEntry *e) {
        return (e->read_only ? MOUNT_ATTR_RDONLY : 0) | (e->noexec ? MOUNT_ATTR_NOEXEC : 0);
}

/* Step 4, for read-only and noexec (NoExecPaths=) alike: each entry ends with exactly the attributes
 * mount_plan_resolve_attributes() gives it, whatever its parents have. */
static void apply_attributes(const SandboxSpec *spec, MountPlan *plan) {
        mount_plan_resolve_attributes(plan);

        /* Copies of the subtrees whose closest entry above asks for an attribute they do not (a writable
         * path below a read-only one, an ExecPaths= below a NoExecPaths=), all taken before any
         * attribute is applied. An entry that asks for no more than its parent rides along in its
         * parent's copy. */
        for (size_t i = 0; i < plan->n; i++) {
                MountEntry *e = plan->entries + i;
                _cleanup_close_ int target = -EBADF;
                ssize_t parent;
                int r;

                if (e->skipped)
                        continue;
                parent = mount_plan_parent(plan, i);
                if (parent < 0 || !(entry_attributes(plan->entries + parent) & ~entry_attributes(e)))
                        continue;
                if (open_entry(spec, e, &target) > 0)
                        continue;
                r = mount_tree_clone(target, true, &e->restore_fd);
                if (r < 0)
                        fail_entry(e, r, "copy the tree below a read-only or noexec one");
        }

        /* Parents first: a copy goes back on top once its parent has its attributes, and then gets its
         * own. The host's attributes are never cleared, only added to. */
        for (size_t i = 0; i < plan->n; i++) {
                MountEntry *e = plan->entries + i;
                _cleanup_close_ int target = -EBADF;
                uint64_t attr = entry_attributes(e);
                int mounted, r;

                if (e->skipped || (attr == 0 && e->restore_fd < 0))
                        continue;
                if (open_entry(spec, e, &target) > 0)
                        continue;
                mounted = target;
                if (e->restore_fd >= 0) {
                        r = mount_tree_attach(e->restore_fd, target);
                        if (r < 0)
                                fail_entry(e, r, "keep as it was below its parent");
                        mounted = e->restore_fd; /* now the attached copy */
                }
                if (attr != 0) {
                        r = mount_set_attributes(mounted, attr);
                        if (r < 0)
                                fail_entry(e, r, attr & MOUNT_ATTR_RDONLY ? "read-only (mount_setattr)"
                                                                          : "noexec (mount_setattr)");
                }
                e->restore_fd = safe_close(e->restore_fd);
        }
}

/* Step 5: the job's tree becomes /, and the host's tree, with the staging area, goes away. */
static void enter_root(const SandboxSpec *spec) {
        const char *label = spec->root_directory ?: "/";

        if (chdir(STAGING_ROOT) < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "RootDirectory=%s: chdir", label);
        /* pivot_root(".", "."): the old root ends up stacked on the new one, and is then detached. */
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "RootDirectory=%s: pivot_root", label);
        if (umount2(".", MNT_DETACH) < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "RootDirectory=%s: detach the old root", label);
        if (chdir("/") < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "RootDirectory=%s: chdir /", label);
}

void exec_setup_mounts(const SandboxSpec *spec) {
        _cleanup_(mount_plan_done) MountPlan plan = {};
        _cleanup_(exec_devices_done) ExecDevices devices = EXEC_DEVICES_NULL;
        int tree, r;

        if (!sandbox_spec_needs_mount_namespace(spec))
                return;
        if (spec->uid == (uid_t) -1 || spec->gid == (gid_t) -1)
                exec_fail(EXEC_STEP_MOUNT, EINVAL, "no uid or gid in spec");

        r = mount_plan_build(spec, &plan);
        if (r < 0)
                exec_fail(EXEC_STEP_MOUNT, r, "build the mount table");

        /* 0. */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "make / private");
        /* The job's groups count in its path lookups; the credentials step sets them again. */
        if (spec->uid != 0 && setgroups(spec->n_groups, spec->groups) < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "set the job's groups for path lookups");

        /* 1. */
        tree = take_root_tree(spec);
        take_bind_sources(spec, &plan);
        if (sandbox_spec_restricts_devices(spec)) {
                /* The allowed set replaces PrivateDevices='s: under closed it holds those nodes too.
                 * DeviceAllow= paths are the caller's: looked up with the job's file system ids. */
                exec_fs_ids_enter(spec, true);
                r = exec_devices_take_allowed_nodes(&devices, spec->device_rules, spec->n_device_rules);
                exec_fs_ids_leave(spec, true);
                if (r < 0)
                        exec_fail(EXEC_STEP_MOUNT, r, "DeviceAllow=: copy the allowed device nodes");
        } else if (spec->private_devices) {
                r = exec_devices_take_host_nodes(&devices);
                if (r < 0)
                        exec_fail(EXEC_STEP_MOUNT, r, "PrivateDevices=yes: copy the host's device nodes");
        }

        /* 2. */
        setup_staging(tree);
        safe_close(tree);

        /* 3. A /proc of the job's own replaces the host's copy, submounts and all. */
        if (sandbox_spec_needs_private_proc(spec)) {
                r = exec_proc_detach(STAGING_ROOT "/proc");
                if (r < 0)
                        exec_fail(EXEC_STEP_MOUNT, r, "detach the host's /proc");
        }
        /* Then the entries. One whose path turns out to be a symlink moves; the table is sorted again,
         * and what is not built yet is taken from the start. */
        for (size_t i = 0; i < plan.n; i++) {
                MountEntry *e = plan.entries + i;

                if (e->skipped || e->have_identity)
                        continue;
                if (mount_point_resolve(spec, e)) {
                        mount_plan_sort(&plan);
                        i = (size_t) -1;
                        continue;
                }
                build_entry(spec, &plan, i, &devices);
                mount_plan_drop_covered(&plan, i);
        }

        /* 4. */
        apply_attributes(spec, &plan);

        /* 5. */
        enter_root(spec);
}

void exec_mounts_restrict_capabilities(SandboxSpec *spec) {
        /* What would undo the protections from inside, as systemd drops it. */
        if (spec->private_devices)
                spec->capability_bounding_set &= ~((UINT64_C(1) << CAP_MKNOD) | (UINT64_C(1) << CAP_SYS_RAWIO));
        if (spec->protect_kernel_modules)
                spec->capability_bounding_set &= ~(UINT64_C(1) << CAP_SYS_MODULE);
        if (spec->protect_clock)
                spec->capability_bounding_set &= ~((UINT64_C(1) << CAP_SYS_TIME) | (UINT64_C(1) << CAP_WAKE_ALARM));
        if (spec->protect_kernel_logs)
                spec->capability_bounding_set &= ~(UINT64_C(1) << CAP_SYSLOG);
}
