/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filesystem properties: tmpfs options, text forms, appliers, and the mount plan that
 * confine-exec builds from them (exec-mount-plan.c, pure). */
#include <stdio.h>
#include <sys/mount.h>

#include "exec/exec-mount-plan.h"
#include "property-apply.h"
#include "spec-directories.h"
#include "spec-serialize.h"
#include "spec-strictness.h"
#include "strv.h"
#include "tap.h"
#include "tmpfs-options.h"

static int apply_text(SandboxSpec *s, const char *assignment) {
        _cleanup_free_ char *message = NULL;
        return property_apply_text(s, assignment, &message);
}

static void test_tmpfs_options(void) {
        TmpfsOptions o;
        char *bad = NULL;

        ASSERT_OK(tmpfs_options_parse("", &o, NULL));
        ASSERT_TRUE(!o.read_only && !o.noexec && !o.mode[0]);
        ASSERT_OK(tmpfs_options_parse("ro,mode=0700,size=10%,nr_inodes=1k,noexec,nosuid,nodev", &o, NULL));
        ASSERT_TRUE(o.read_only && o.noexec);
        ASSERT_STREQ(o.mode, "0700");
        ASSERT_STREQ(o.size, "10%");
        ASSERT_STREQ(o.nr_inodes, "1k");
        ASSERT_OK(tmpfs_options_parse("ro,rw,noexec,exec,mode=01777", &o, NULL));
        ASSERT_TRUE(!o.read_only && !o.noexec);
        ASSERT_STREQ(o.mode, "01777");

        ASSERT_ERR(tmpfs_options_parse("suid", &o, &bad), -EINVAL);
        ASSERT_STREQ(bad, "suid");
        free(bad);
        ASSERT_ERR(tmpfs_options_parse("ro,dev", &o, NULL), -EINVAL);
        ASSERT_ERR(tmpfs_options_parse("uid=0", &o, NULL), -EINVAL);
        ASSERT_ERR(tmpfs_options_parse("mode=0800", &o, NULL), -EINVAL);
        ASSERT_ERR(tmpfs_options_parse("mode=17777", &o, NULL), -EINVAL);
        ASSERT_ERR(tmpfs_options_parse("mode=", &o, NULL), -EINVAL);
        ASSERT_ERR(tmpfs_options_parse("size=1x", &o, NULL), -EINVAL);
        ASSERT_ERR(tmpfs_options_parse("size=1k,", &o, NULL), -EINVAL);
        ASSERT_ERR(tmpfs_options_parse("ro,,rw", &o, NULL), -EINVAL);
        ASSERT_ERR(tmpfs_options_parse("size=99999999999999999999999999", &o, NULL), -EINVAL);
}

static void test_text_forms(void) {
        PropertyValue v = { .fd = -EBADF };
        const char *reason = NULL;

        ASSERT_OK(property_value_parse("BindPaths=/a -/b:/c /d:/e:norbind \"/f g:/h\"", &v, &reason));
        ASSERT_EQ(v.n_tuples, 4);
        ASSERT_STREQ(v.tuples[0].a, "/a");
        ASSERT_STREQ(v.tuples[0].b, "/a");
        ASSERT_TRUE(!v.tuples[0].flag && v.tuples[0].t == MS_REC);
        ASSERT_STREQ(v.tuples[1].a, "/b");
        ASSERT_STREQ(v.tuples[1].b, "/c");
        ASSERT_TRUE(v.tuples[1].flag);
        ASSERT_EQ(v.tuples[2].t, 0);
        ASSERT_STREQ(v.tuples[3].a, "/f g");
        property_value_done(&v);
        ASSERT_ERR(property_value_parse("BindReadOnlyPaths=/a:/b:bogus", &v, &reason), -EINVAL);
        /* systemd-run: empty options are rbind. */
        ASSERT_OK(property_value_parse("BindReadOnlyPaths=/a:/b:", &v, &reason));
        ASSERT_TRUE(v.n_tuples == 1 && v.tuples[0].t == MS_REC);
        property_value_done(&v);

        ASSERT_OK(property_value_parse("TemporaryFileSystem=/a /b:ro,mode=0700", &v, &reason));
        ASSERT_EQ(v.n_tuples, 2);
        ASSERT_STREQ(v.tuples[0].b, "");
        ASSERT_STREQ(v.tuples[1].a, "/b");
        ASSERT_STREQ(v.tuples[1].b, "ro,mode=0700");
        property_value_done(&v);

        ASSERT_OK(property_value_parse("ReadOnlyPaths=/a -/b +/c -+/d", &v, &reason));
        ASSERT_EQ(strv_length(v.strv), 4);
        property_value_done(&v);
}

static void test_appliers(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        ASSERT_OK(apply_text(s, "ProtectSystem=strict"));
        ASSERT_EQ(s->protect_system, PROTECT_SYSTEM_STRICT);
        ASSERT_OK(apply_text(s, "ProtectSystem=true"));
        ASSERT_EQ(s->protect_system, PROTECT_SYSTEM_YES);
        ASSERT_OK(apply_text(s, "ProtectSystem=off"));
        ASSERT_EQ(s->protect_system, PROTECT_SYSTEM_NO);
        ASSERT_ERR(apply_text(s, "ProtectSystem=bogus"), -EINVAL);
        ASSERT_OK(apply_text(s, "ProtectHome=read-only"));
        ASSERT_EQ(s->protect_home, PROTECT_HOME_READ_ONLY);
        ASSERT_ERR(apply_text(s, "ProtectHome=readonly"), -EINVAL);

        ASSERT_OK(apply_text(s, "ReadOnlyPaths=/a -/b/ +/c -+/d"));
        ASSERT_OK(apply_text(s, "ReadOnlyDirectories=/e"));
        ASSERT_EQ(s->n_read_only_paths, 5);
        ASSERT_STREQ(s->read_only_paths[1].path, "/b");
        ASSERT_TRUE(s->read_only_paths[1].ignore_missing && !s->read_only_paths[1].below_root);
        ASSERT_TRUE(!s->read_only_paths[2].ignore_missing && s->read_only_paths[2].below_root);
        ASSERT_TRUE(s->read_only_paths[3].ignore_missing && s->read_only_paths[3].below_root);
        ASSERT_OK(apply_text(s, "InaccessibleDirectories=/x"));
        ASSERT_EQ(s->n_inaccessible_paths, 1);
        ASSERT_ERR(apply_text(s, "ReadOnlyPaths=relative"), -EINVAL);
        ASSERT_ERR(apply_text(s, "ReadOnlyPaths=/a/../b"), -EINVAL);
        /* systemd's path_simplify(): accepted and normalized. */
        ASSERT_OK(apply_text(s, "ReadOnlyPaths=/a/./b //c//d/. /e/"));
        ASSERT_STREQ(s->read_only_paths[5].path, "/a/b");
        ASSERT_STREQ(s->read_only_paths[6].path, "/c/d");
        ASSERT_STREQ(s->read_only_paths[7].path, "/e");
        ASSERT_ERR(apply_text(s, "ReadOnlyPaths=/a/b/.."), -EINVAL);
        ASSERT_ERR(apply_text(s, "ReadOnlyPaths=+-/a"), -EINVAL); /* systemd's order is "-+" */
        ASSERT_ERR(apply_text(s, "ReadWritePaths=-"), -EINVAL);

        ASSERT_OK(apply_text(s, "BindReadOnlyPaths=-/src:/dst:norbind"));
        ASSERT_EQ(s->n_bind_mounts, 1);
        ASSERT_TRUE(s->bind_mounts[0].read_only && s->bind_mounts[0].ignore_missing && !s->bind_mounts[0].recursive);
        ASSERT_ERR(apply_text(s, "BindPaths=/src:/"), -EINVAL);
        ASSERT_ERR(apply_text(s, "BindPaths=src:/dst"), -EINVAL);

        ASSERT_OK(apply_text(s, "TemporaryFileSystem=/t:ro"));
        ASSERT_ERR(apply_text(s, "TemporaryFileSystem=/t:suid"), -EINVAL);
        ASSERT_ERR(apply_text(s, "TemporaryFileSystem=t"), -EINVAL);
        ASSERT_EQ(s->n_temporary_filesystems, 1);

        ASSERT_OK(apply_text(s, "RootDirectory=/srv/root/"));
        ASSERT_STREQ(s->root_directory, "/srv/root");
        ASSERT_OK(apply_text(s, "RootDirectory=/other")); /* a scalar: the last one wins */
        ASSERT_STREQ(s->root_directory, "/other");

        ASSERT_OK(apply_text(s, "PrivateDevices=yes"));
        ASSERT_OK(apply_text(s, "PrivateIPC=yes"));
        ASSERT_OK(apply_text(s, "ProtectHostname=yes"));
        ASSERT_OK(apply_text(s, "ProtectKernelTunables=yes"));
        ASSERT_OK(apply_text(s, "ProtectKernelModules=yes"));
        ASSERT_OK(apply_text(s, "ProtectControlGroups=yes"));
        ASSERT_TRUE(s->private_devices && s->private_ipc && s->protect_hostname && s->protect_kernel_tunables &&
                    s->protect_kernel_modules && s->protect_control_groups);
        ASSERT_TRUE(sandbox_spec_needs_mount_namespace(s));
}

static const MountEntry *find(const MountPlan *p, const char *path) {
        for (size_t i = 0; i < p->n; i++)
                if (streq(p->entries[i].path, path))
                        return p->entries + i;
        return NULL;
}

static void test_plan(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        _cleanup_(mount_plan_done) MountPlan p = {};
        const MountEntry *e;

        ASSERT_OK(apply_text(s, "ProtectSystem=strict"));
        ASSERT_OK(apply_text(s, "ProtectHome=yes"));
        ASSERT_OK(apply_text(s, "ReadWritePaths=/var/lib/x /home/u /usr"));
        ASSERT_OK(apply_text(s, "BindPaths=/a:/srv/b"));
        ASSERT_OK(apply_text(s, "ReadOnlyPaths=/srv/b"));
        ASSERT_OK(apply_text(s, "PrivateTmp=yes"));
        ASSERT_OK(mount_plan_build(s, &p));

        /* Sorted: a parent before what lies below it. */
        for (size_t i = 1; i < p.n; i++)
                ASSERT_TRUE(strcmp(p.entries[i - 1].path, p.entries[i].path) < 0);
        ASSERT_STREQ(p.entries[0].path, "/");
        ASSERT_TRUE(p.entries[0].read_only);

        /* ProtectHome=yes wins over strict's implicit writable /home, and hides what is below it. */
        e = find(&p, "/home");
        ASSERT_TRUE(e && e->mode == MOUNT_INACCESSIBLE);
        ASSERT_TRUE(find(&p, "/home/u") == NULL);

        /* A bind and a read-only path on one destination: one entry, the bind, read-only. */
        e = find(&p, "/srv/b");
        ASSERT_TRUE(e && e->mode == MOUNT_BIND && e->read_only && e->caller_path);
        ASSERT_STREQ(e->label, "BindPaths=/a:/srv/b");

        e = find(&p, "/var/lib/x");
        ASSERT_TRUE(e && e->mode == MOUNT_READ_WRITE && !e->read_only);
        ASSERT_STREQ(e->label, "ReadWritePaths=/var/lib/x");
        ASSERT_EQ(mount_plan_parent(&p, (size_t) (e - p.entries)), 0);

        e = find(&p, "/tmp");
        ASSERT_TRUE(e && e->mode == MOUNT_TMPFS && !e->read_only && !e->caller_path);
        e = find(&p, "/proc");
        ASSERT_TRUE(e && e->mode == MOUNT_READ_WRITE_IMPLICIT);
}

/* The entries a switch implies, pinned row by row to systemd 252's namespace.c tables (a
 * mutation of one row, say /proc/kcore read-only instead of inaccessible, fails here). Sorted
 * by path, as the plan is. Where confine differs from systemd, the row says so. */
typedef struct PinnedRow {
        const char *path;
        MountMode mode;
        bool ignore_missing;
        const char *options;
} PinnedRow;

#define RO MOUNT_READ_ONLY
#define RW_IMPLICIT MOUNT_READ_WRITE_IMPLICIT
#define INACCESSIBLE MOUNT_INACCESSIBLE

static const PinnedRow pinned_protect_system_yes[] = {
        { "/boot", RO, true },
        { "/efi", RO, true },
        { "/usr", RO, false },
};
static const PinnedRow pinned_protect_system_full[] = {
        { "/boot", RO, true },
        { "/efi", RO, true },
        { "/etc", RO, false },
        { "/usr", RO, false },
};
static const PinnedRow pinned_protect_system_strict[] = {
        { "/", RO, false },
        { "/dev", RW_IMPLICIT, true },
        { "/home", RW_IMPLICIT, true },
        { "/proc", RW_IMPLICIT, true },
        { "/root", RW_IMPLICIT, true },
        { "/run/user", RW_IMPLICIT, true },
        { "/sys", RW_IMPLICIT, true },
};
static const PinnedRow pinned_protect_home_yes[] = {
        { "/home", INACCESSIBLE, true },
        { "/root", INACCESSIBLE, true },
        { "/run/user", INACCESSIBLE, true },
};
static const PinnedRow pinned_protect_home_read_only[] = {
        { "/home", RO, true },
        { "/root", RO, true },
        { "/run/user", RO, true },
};
static const PinnedRow pinned_protect_home_tmpfs[] = {
        { "/home", MOUNT_TMPFS, true, "ro,mode=0755" },
        { "/root", MOUNT_TMPFS, true, "ro,mode=0700" },
        { "/run/user", MOUNT_TMPFS, true, "ro,mode=0755" },
};
static const PinnedRow pinned_private_tmp[] = {
        { "/tmp", MOUNT_TMPFS, false, "mode=01777" },
        { "/var/tmp", MOUNT_TMPFS, false, "mode=01777" },
};
static const PinnedRow pinned_private_devices[] = {
        { "/dev", MOUNT_PRIVATE_DEV, false },
};
static const PinnedRow pinned_private_ipc[] = {
        { "/dev/mqueue", MOUNT_MQUEUE, true },
};
/* systemd has /sys and /sys/fs/cgroup with ignore_missing false; confine skips a missing one:
 * there is nothing under it to protect. */
static const PinnedRow pinned_protect_kernel_tunables[] = {
        { "/proc/acpi", RO, true },
        { "/proc/apm", RO, true },
        { "/proc/asound", RO, true },
        { "/proc/bus", RO, true },
        { "/proc/fs", RO, true },
        { "/proc/irq", RO, true },
        { "/proc/kallsyms", INACCESSIBLE, true },
        { "/proc/kcore", INACCESSIBLE, true },
        { "/proc/latency_stats", RO, true },
        { "/proc/mtrr", RO, true },
        { "/proc/scsi", RO, true },
        { "/proc/sys", RO, true },
        { "/proc/sysrq-trigger", RO, true },
        { "/proc/timer_stats", RO, true },
        { "/sys", RO, true },
        { "/sys/fs/bpf", RO, true },
        { "/sys/fs/cgroup", RW_IMPLICIT, true },
        { "/sys/fs/selinux", RW_IMPLICIT, true },
        { "/sys/kernel/debug", RO, true },
        { "/sys/kernel/tracing", RO, true },
};
/* /lib/modules is systemd's HAVE_SPLIT_USR row, kept for hosts without a merged /usr. */
static const PinnedRow pinned_protect_kernel_modules[] = {
        { "/lib/modules", INACCESSIBLE, true },
        { "/usr/lib/modules", INACCESSIBLE, true },
};
static const PinnedRow pinned_protect_control_groups[] = {
        { "/sys/fs/cgroup", RO, true },
};
static const PinnedRow pinned_protect_hostname[] = {
        { "/proc/sys/kernel/domainname", RO, true },
        { "/proc/sys/kernel/hostname", RO, true },
};

static void check_pinned(const char *assignment, const PinnedRow *rows, size_t n) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        _cleanup_(mount_plan_done) MountPlan p = {};

        ASSERT_OK(apply_text(s, assignment));
        ASSERT_OK(mount_plan_build(s, &p));
        ASSERT_EQ(p.n, n);
        for (size_t i = 0; i < n && i < p.n; i++) {
                const MountEntry *e = p.entries + i;
                bool same = streq(e->path, rows[i].path) && e->mode == rows[i].mode &&
                            e->ignore_missing == rows[i].ignore_missing && !e->caller_path &&
                            streq_ptr(e->options, rows[i].options);
                if (!same)
                        printf("# %s: row %zu is %s mode %d%s %s, pinned %s mode %d%s %s\n", assignment, i, e->path,
                               (int) e->mode, e->ignore_missing ? " (-)" : "", strempty(e->options), rows[i].path,
                               (int) rows[i].mode, rows[i].ignore_missing ? " (-)" : "", strempty(rows[i].options));
                ASSERT_TRUE(same);
        }
}

#define CHECK_PINNED(assignment, rows) check_pinned((assignment), (rows), ELEMENTSOF(rows))

static void test_implied_tables(void) {
        CHECK_PINNED("ProtectSystem=yes", pinned_protect_system_yes);
        CHECK_PINNED("ProtectSystem=full", pinned_protect_system_full);
        CHECK_PINNED("ProtectSystem=strict", pinned_protect_system_strict);
        CHECK_PINNED("ProtectHome=yes", pinned_protect_home_yes);
        CHECK_PINNED("ProtectHome=read-only", pinned_protect_home_read_only);
        CHECK_PINNED("ProtectHome=tmpfs", pinned_protect_home_tmpfs);
        CHECK_PINNED("PrivateTmp=yes", pinned_private_tmp);
        CHECK_PINNED("PrivateDevices=yes", pinned_private_devices);
        CHECK_PINNED("PrivateIPC=yes", pinned_private_ipc);
        CHECK_PINNED("ProtectKernelTunables=yes", pinned_protect_kernel_tunables);
        CHECK_PINNED("ProtectKernelModules=yes", pinned_protect_kernel_modules);
        CHECK_PINNED("ProtectControlGroups=yes", pinned_protect_control_groups);
        CHECK_PINNED("ProtectHostname=yes", pinned_protect_hostname);
}

static void test_plan_root_directory(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        _cleanup_(mount_plan_done) MountPlan p = {};
        const MountEntry *e;

        ASSERT_OK(apply_text(s, "RootDirectory=/srv/root"));
        ASSERT_OK(apply_text(s, "ReadOnlyPaths=/srv/root/data +/etc /var /srv/rootless -/srv/root"));
        ASSERT_OK(apply_text(s, "TemporaryFileSystem=/tmp:ro"));
        ASSERT_OK(mount_plan_build(s, &p));

        /* Host paths inside the root apply there; those outside it are dropped (systemd). */
        e = find(&p, "/data");
        ASSERT_TRUE(e && e->mode == MOUNT_READ_ONLY);
        ASSERT_STREQ(e->label, "ReadOnlyPaths=/srv/root/data");
        e = find(&p, "/etc");
        ASSERT_TRUE(e != NULL);
        ASSERT_STREQ(e->label, "ReadOnlyPaths=+/etc");
        ASSERT_TRUE(find(&p, "/var") == NULL);
        ASSERT_TRUE(find(&p, "/srv/rootless") == NULL);
        ASSERT_TRUE(find(&p, "less") == NULL);
        e = find(&p, "/");
        ASSERT_TRUE(e && e->ignore_missing);
        e = find(&p, "/tmp");
        ASSERT_TRUE(e && e->mode == MOUNT_TMPFS && e->read_only);
        ASSERT_EQ(p.n, 4);
}

static void test_path_is_below(void) {
        ASSERT_TRUE(path_is_below("/a/b", "/a"));
        ASSERT_TRUE(path_is_below("/a", "/"));
        ASSERT_TRUE(!path_is_below("/a", "/a"));
        ASSERT_TRUE(!path_is_below("/ab", "/a"));
        ASSERT_TRUE(!path_is_below("/", "/"));
}

/* StateDirectory= and the others: validation, accumulation, reset, the layouts, the variables, the mount
 * entries, serialization and strictness. */
static void test_directories(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *base = sandbox_spec_new(), *copy = NULL;
        _cleanup_(mount_plan_done) MountPlan p = {};
        _cleanup_free_ uint8_t *data = NULL;
        const char *loosened = NULL;
        size_t size;
        char **env = NULL;

        ASSERT_TRUE(exec_directory_path_is_valid("a"));
        ASSERT_TRUE(exec_directory_path_is_valid("a/b.c/d"));
        ASSERT_TRUE(exec_directory_path_is_valid("privatex"));
        ASSERT_TRUE(!exec_directory_path_is_valid(""));
        ASSERT_TRUE(!exec_directory_path_is_valid("/a"));
        ASSERT_TRUE(!exec_directory_path_is_valid("a/"));
        ASSERT_TRUE(!exec_directory_path_is_valid("a//b"));
        ASSERT_TRUE(!exec_directory_path_is_valid("./a"));
        ASSERT_TRUE(!exec_directory_path_is_valid("a/../b"));
        ASSERT_TRUE(!exec_directory_path_is_valid("private"));
        ASSERT_TRUE(!exec_directory_path_is_valid("private/a"));

        ASSERT_OK(apply_text(s, "StateDirectory=a b"));
        ASSERT_OK(apply_text(s, "StateDirectory=c a"));
        ASSERT_EQ(strv_length(s->directories[EXEC_DIRECTORY_STATE].paths), 3u);
        ASSERT_OK(apply_text(s, "StateDirectory="));
        ASSERT_TRUE(s->directories[EXEC_DIRECTORY_STATE].paths == NULL);
        ASSERT_ERR(apply_text(s, "StateDirectory=/abs"), -EINVAL);
        ASSERT_ERR(apply_text(s, "CacheDirectory=a/.."), -EINVAL);
        ASSERT_ERR(apply_text(s, "StateDirectoryMode=8"), -EINVAL);
        ASSERT_ERR(apply_text(s, "StateDirectoryMode=10000"), -ERANGE);
        ASSERT_OK(apply_text(s, "StateDirectoryMode=0700"));
        ASSERT_EQ(s->directories[EXEC_DIRECTORY_STATE].mode, 0700u);
        ASSERT_EQ(s->directories[EXEC_DIRECTORY_CACHE].mode, 0755u);
        ASSERT_OK(apply_text(s, "RuntimeDirectoryPreserve=restart"));
        ASSERT_ERR(apply_text(s, "RuntimeDirectoryPreserve=maybe"), -EINVAL);

        ASSERT_OK(apply_text(s, "StateDirectory=x y/z"));
        ASSERT_OK(apply_text(s, "LogsDirectory=l"));
        ASSERT_OK(apply_text(s, "RuntimeDirectory=r"));
        ASSERT_OK(apply_text(s, "ProtectSystem=strict"));
        /* Root's job: the system layout. */
        s->uid = 0;
        ASSERT_OK(spec_directories_resolve(s, 0, "/root"));
        ASSERT_TRUE(!s->directories_user_layout);
        ASSERT_STREQ(s->directories[EXEC_DIRECTORY_STATE].root, "/var/lib");
        ASSERT_OK(spec_directories_environment(s, &env));
        ASSERT_STREQ(env[0], "RUNTIME_DIRECTORY=/run/r");
        ASSERT_STREQ(env[1], "STATE_DIRECTORY=/var/lib/x:/var/lib/y/z");
        ASSERT_STREQ(env[2], "LOGS_DIRECTORY=/var/log/l");
        ASSERT_TRUE(env[3] == NULL);
        env = strv_free(env);
        /* Another user's job for a caller that is not root (spawn-privileged): the system layout too. */
        s->uid = 1000;
        ASSERT_OK(spec_directories_resolve(s, 1001, "/home/u"));
        ASSERT_TRUE(!s->directories_user_layout);
        /* The caller's own job: systemd's user layout (252: $XDG_CONFIG_HOME for state and logs). */
        ASSERT_OK(spec_directories_resolve(s, 1000, "/home/u"));
        ASSERT_TRUE(s->directories_user_layout);
        ASSERT_STREQ(s->directories[EXEC_DIRECTORY_STATE].root, "/home/u/.config");
        ASSERT_STREQ(s->directories[EXEC_DIRECTORY_LOGS].root, "/home/u/.config/log");
        ASSERT_STREQ(s->directories[EXEC_DIRECTORY_RUNTIME].root, "/run/user/1000");
        ASSERT_ERR(spec_directories_resolve(s, 1000, NULL), -ENOENT);
        ASSERT_OK(spec_directories_resolve(s, 1000, "/home/u"));

        /* Writable below ProtectSystem=strict. */
        ASSERT_OK(mount_plan_build(s, &p));
        for (size_t i = 0; i < p.n; i++)
                if (streq(p.entries[i].path, "/home/u/.config/y/z")) {
                        ASSERT_EQ(p.entries[i].mode, MOUNT_READ_WRITE_IMPLICIT);
                        ASSERT_STREQ(p.entries[i].label, "StateDirectory=y/z");
                }
        mount_plan_done(&p);
        /* With RootDirectory=: the host's directory, bound onto the same path inside the root (systemd's
         * compile_bind_mounts()); the mount point is the caller's, the source the directories step's. */
        s->root_directory = strdup("/srv/root");
        ASSERT_TRUE(s->root_directory != NULL);
        ASSERT_OK(mount_plan_build(s, &p));
        {
                const MountEntry *e = find(&p, "/home/u/.config/y/z");
                ASSERT_TRUE(e && e->mode == MOUNT_BIND && e->directory_source && e->caller_path && !e->read_only);
                if (e) {
                        ASSERT_STREQ(e->source, "/home/u/.config/y/z");
                        ASSERT_STREQ(e->directory_path, "y/z");
                        ASSERT_EQ(e->directory_type, EXEC_DIRECTORY_STATE);
                        ASSERT_STREQ(e->label, "StateDirectory=y/z");
                }
                e = find(&p, "/run/user/1000/r");
                ASSERT_TRUE(e && e->mode == MOUNT_BIND && e->directory_source);
        }
        mount_plan_done(&p);
        /* DynamicUser='s private layout: ROOT/private/PATH onto ROOT/PATH, no fresh ROOT/private. */
        s->dynamic_user = true;
        ASSERT_OK(spec_directories_resolve(s, 0, "/"));
        ASSERT_OK(mount_plan_build(s, &p));
        {
                const MountEntry *e = find(&p, "/var/lib/x");
                ASSERT_TRUE(e && e->mode == MOUNT_BIND && e->directory_source);
                if (e)
                        ASSERT_STREQ(e->source, "/var/lib/private/x");
                ASSERT_TRUE(find(&p, "/var/lib/private") == NULL);
        }
        mount_plan_done(&p);
        s->dynamic_user = false;
        s->root_directory = mfree(s->root_directory);
        ASSERT_OK(spec_directories_resolve(s, 1000, "/home/u"));

        ASSERT_OK(strv_extend(&s->argv, "true"));
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &copy));
        if (!copy)
                return;
        ASSERT_STREQ(copy->directories[EXEC_DIRECTORY_STATE].paths[1], "y/z");
        ASSERT_STREQ(copy->directories[EXEC_DIRECTORY_STATE].root, "/home/u/.config");
        ASSERT_EQ(copy->directories[EXEC_DIRECTORY_STATE].mode, 0700u);
        ASSERT_TRUE(copy->directories_user_layout);

        /* A directory the base (a profile) does not have makes the spec looser. */
        ASSERT_OK(apply_text(base, "StateDirectory=x y/z"));
        ASSERT_OK(apply_text(base, "LogsDirectory=l"));
        ASSERT_OK(apply_text(base, "RuntimeDirectory=r"));
        ASSERT_OK(apply_text(base, "ProtectSystem=strict"));
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &loosened));
        ASSERT_OK(apply_text(s, "CacheDirectory=more"));
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &loosened));
        ASSERT_STREQ(loosened, "CacheDirectory");
}

int main(void) {
        test_directories();
        test_tmpfs_options();
        test_text_forms();
        test_appliers();
        test_plan();
        test_plan_root_directory();
        test_implied_tables();
        test_path_is_below();
        return tap_finish();
}
