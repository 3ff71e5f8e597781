/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Builds the list of mounts a spec asks for: the caller's paths, binds and tmpfs, and the entries
 * that the Protect…/Private… switches imply. The implied tables follow systemd's namespace.c, so
 * that a property means here what it means in a unit file.
 *
 * Which root a path is in, as in systemd.exec(5):
 *  - ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths= name paths of the HOST ("relative to the
 *    host's root directory"); with RootDirectory= set, an entry that lies inside the root directory
 *    applies to the same place in the job's tree, and one outside it is dropped (systemd's
 *    drop_outside_root()). Dropping never weakens the sandbox: the job cannot reach a path outside
 *    its root at all. A "+" prefix names a path inside the job's root instead.
 *  - BindPaths= sources are host paths; destinations, TemporaryFileSystem= and every implied entry
 *    are paths inside the job's root. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec-mount-plan.h"
#include "spec-directories.h"
#include "strv.h"
#include "tmpfs-options.h"

typedef struct ImplicitMount {
        const char *path;
        MountMode mode;
        bool ignore_missing;
        const char *options; /* MOUNT_TMPFS */
        const char *source;  /* MOUNT_BIND */
        bool if_unmounted;
} ImplicitMount;

static const ImplicitMount protect_system_yes[] = {
        { "/usr",  MOUNT_READ_ONLY, false },
        { "/boot", MOUNT_READ_ONLY, true },
        { "/efi",  MOUNT_READ_ONLY, true },
};

static const ImplicitMount protect_system_full[] = {
        { "/etc", MOUNT_READ_ONLY, false },
};

/* Everything read-only but the kernel's API file systems, which PrivateDevices=,
 * ProtectKernelTunables= and ProtectControlGroups= govern, and the home directories, which
 * ProtectHome= governs. */
static const ImplicitMount protect_system_strict[] = {
        { "/",         MOUNT_READ_ONLY,           false },
        { "/proc",     MOUNT_READ_WRITE_IMPLICIT, true },
        { "/sys",      MOUNT_READ_WRITE_IMPLICIT, true },
        { "/dev",      MOUNT_READ_WRITE_IMPLICIT, true },
        { "/home",     MOUNT_READ_WRITE_IMPLICIT, true },
        { "/run/user", MOUNT_READ_WRITE_IMPLICIT, true },
        { "/root",     MOUNT_READ_WRITE_IMPLICIT, true },
};

static const ImplicitMount protect_home_yes[] = {
        { "/home",     MOUNT_INACCESSIBLE, true },
        { "/run/user", MOUNT_INACCESSIBLE, true },
        { "/root",     MOUNT_INACCESSIBLE, true },
};

static const ImplicitMount protect_home_read_only[] = {
        { "/home",     MOUNT_READ_ONLY, true },
        { "/run/user", MOUNT_READ_ONLY, true },
        { "/root",     MOUNT_READ_ONLY, true },
};

static const ImplicitMount protect_home_tmpfs[] = {
        { "/home",     MOUNT_TMPFS, true, "ro,mode=0755" },
        { "/run/user", MOUNT_TMPFS, true, "ro,mode=0755" },
        { "/root",     MOUNT_TMPFS, true, "ro,mode=0700" },
};

static const ImplicitMount private_tmp[] = {
        { "/tmp",     MOUNT_TMPFS, false, "mode=01777" },
        { "/var/tmp", MOUNT_TMPFS, false, "mode=01777" },
};

/* As systemd does for these: a /proc of the job's own. It replaces the host's, whatever was mounted
 * below it; what ProtectKernelTunables= and the like put below /proc goes on top of the new one. */
static const ImplicitMount private_proc[] = {
        { "/proc", MOUNT_PROCFS, false },
};

/* The property that asked for the job's own /proc, for failure records. */
static const char *private_proc_label(const SandboxSpec *spec, char *buf, size_t size) {
        if (spec->private_pids)
                return "PrivatePIDs=yes";
        if (spec->protect_proc != PROTECT_PROC_DEFAULT) {
                (void) snprintf(buf, size, "ProtectProc=%s", protect_proc_to_string(spec->protect_proc));
                return buf;
        }
        return "ProcSubset=pid";
}

/* As systemd's apivfs_table: the kernel's API file systems, for a job whose tree lacks them (below a
 * RootDirectory=). Where one is mounted already, as in a copy of the host's tree, it stays. The host's
 * /dev is bound in unless the job gets a /dev of its own. */
static const ImplicitMount apivfs[] = {
        { "/proc", MOUNT_PROCFS, true, NULL, NULL, true },
        { "/sys",  MOUNT_SYSFS,  true, NULL, NULL, true },
        { "/run",  MOUNT_TMPFS,  true, "mode=0755", NULL, true },
};

static const ImplicitMount apivfs_dev[] = {
        { "/dev", MOUNT_BIND, true, NULL, "/dev", true },
};

static const ImplicitMount private_devices[] = {
        { "/dev", MOUNT_PRIVATE_DEV, false },
};

/* A fresh mqueue file system, so that the job does not see the host's POSIX message queues
 * through /dev/mqueue once it has its own IPC namespace. */
static const ImplicitMount private_ipc[] = {
        { "/dev/mqueue", MOUNT_MQUEUE, true },
};

static const ImplicitMount protect_kernel_tunables[] = {
        { "/proc/acpi",          MOUNT_READ_ONLY,           true },
        { "/proc/apm",           MOUNT_READ_ONLY,           true },
        { "/proc/asound",        MOUNT_READ_ONLY,           true },
        { "/proc/bus",           MOUNT_READ_ONLY,           true },
        { "/proc/fs",            MOUNT_READ_ONLY,           true },
        { "/proc/irq",           MOUNT_READ_ONLY,           true },
        { "/proc/kallsyms",      MOUNT_INACCESSIBLE,        true },
        { "/proc/kcore",         MOUNT_INACCESSIBLE,        true },
        { "/proc/latency_stats", MOUNT_READ_ONLY,           true },
        { "/proc/mtrr",          MOUNT_READ_ONLY,           true },
        { "/proc/scsi",          MOUNT_READ_ONLY,           true },
        { "/proc/sys",           MOUNT_READ_ONLY,           true },
        { "/proc/sysrq-trigger", MOUNT_READ_ONLY,           true },
        { "/proc/timer_stats",   MOUNT_READ_ONLY,           true },
        { "/sys",                MOUNT_READ_ONLY,           true },
        { "/sys/fs/bpf",         MOUNT_READ_ONLY,           true },
        { "/sys/fs/cgroup",      MOUNT_READ_WRITE_IMPLICIT, true }, /* ProtectControlGroups= decides */
        { "/sys/fs/selinux",     MOUNT_READ_WRITE_IMPLICIT, true },
        { "/sys/kernel/debug",   MOUNT_READ_ONLY,           true },
        { "/sys/kernel/tracing", MOUNT_READ_ONLY,           true },
};

/* /lib/modules too, for hosts without a merged /usr. */
static const ImplicitMount protect_kernel_modules[] = {
        { "/usr/lib/modules", MOUNT_INACCESSIBLE, true },
        { "/lib/modules",     MOUNT_INACCESSIBLE, true },
};

/* As systemd's protect_kernel_logs_table: the kernel's ring buffer, which CAP_SYSLOG (dropped too) would
 * otherwise let a root job read or clear. */
static const ImplicitMount protect_kernel_logs[] = {
        { "/proc/kmsg", MOUNT_INACCESSIBLE, true },
        { "/dev/kmsg",  MOUNT_INACCESSIBLE, true },
};

static const ImplicitMount protect_control_groups[] = {
        { "/sys/fs/cgroup", MOUNT_READ_ONLY, true },
};

/* The UTS namespace keeps the host's name safe; this also keeps the job's own name fixed. */
static const ImplicitMount protect_hostname[] = {
        { "/proc/sys/kernel/hostname",   MOUNT_READ_ONLY, true },
        { "/proc/sys/kernel/domainname", MOUNT_READ_ONLY, true },
};

bool path_is_below(const char *path, const char *prefix) {
        size_t l = strlen(prefix);

        if (streq(prefix, "/"))
                return path[0] == '/' && path[1] != 0;
        return strneq(path, prefix, l) && path[l] == '/' && path[l + 1] != 0;
}

bool mount_entry_is_read_only(const MountEntry *e) {
        return e->read_only || e->mode == MOUNT_READ_ONLY || e->mode == MOUNT_INACCESSIBLE;
}

/* An inaccessible node runs nothing anyway: noexec spares it a copy below a NoExecPaths= entry. */
bool mount_entry_is_noexec(const MountEntry *e) {
        return e->noexec || e->mode == MOUNT_NOEXEC || e->mode == MOUNT_INACCESSIBLE;
}

static void mount_entry_done(MountEntry *e) {
        free(e->path);
        free(e->label);
        free(e->owned_source);
        safe_close(e->source_fd);
        safe_close(e->restore_fd);
}

void mount_plan_done(MountPlan *p) {
        for (size_t i = 0; i < p->n; i++)
                mount_entry_done(p->entries + i);
        free(p->entries);
        *p = (MountPlan) {};
}

/* Takes e->path and e->label, also on failure. */
static int plan_add(MountPlan *p, MountEntry *e) {
        MountEntry *grown;

        if (!e->path || !e->label) {
                free(e->path);
                free(e->label);
                free(e->owned_source);
                return -ENOMEM;
        }
        if (e->mode == MOUNT_TMPFS) {
                TmpfsOptions o;
                if (tmpfs_options_parse(e->options, &o, NULL) < 0) {
                        free(e->path);
                        free(e->label);
                        free(e->owned_source);
                        return -EINVAL;
                }
                e->read_only = o.read_only;
        }
        grown = realloc(p->entries, (p->n + 1) * sizeof(MountEntry));
        if (!grown) {
                free(e->path);
                free(e->label);
                free(e->owned_source);
                return -ENOMEM;
        }
        p->entries = grown;
        e->read_only = mount_entry_is_read_only(e);
        e->noexec = mount_entry_is_noexec(e);
        e->exec = e->mode == MOUNT_EXEC;
        e->source_fd = e->restore_fd = -EBADF;
        grown[p->n++] = *e;
        return 0;
}

static char *label_new(const char *format, ...) _printf_(1, 2);
static char *label_new(const char *format, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        return r < 0 ? NULL : s;
}

static int plan_add_implicit(MountPlan *p, const ImplicitMount *table, size_t n, const char *setting) {
        for (size_t i = 0; i < n; i++) {
                MountEntry e = {
                        .path = strdup(table[i].path),
                        .label = label_new("%s: %s", setting, table[i].path),
                        .mode = table[i].mode,
                        .ignore_missing = table[i].ignore_missing,
                        .options = table[i].options,
                        .default_mode = "0755",
                        .source = table[i].source,
                        .recursive = true,
                        .if_unmounted = table[i].if_unmounted,
                };
                int r = plan_add(p, &e);
                if (r < 0)
                        return r;
        }
        return 0;
}

#define PLAN_ADD_IMPLICIT(p, table, setting) plan_add_implicit((p), (table), ELEMENTSOF(table), (setting))

/* A host path as seen inside the job's root, or NULL if it lies outside it. */
static const char *host_path_in_root(const char *path, const char *root) {
        if (!root || streq(root, "/"))
                return path;
        if (streq(path, root))
                return "/";
        if (path_is_below(path, root))
                return path + strlen(root);
        return NULL;
}

static int plan_add_paths(MountPlan *p, const SandboxSpec *spec, const PathEntry *list, size_t n, MountMode mode,
                          const char *property) {
        for (size_t i = 0; i < n; i++) {
                const PathEntry *pe = list + i;
                const char *inside = pe->below_root ? pe->path : host_path_in_root(pe->path, spec->root_directory);
                MountEntry e;
                int r;

                if (!inside)
                        continue; /* outside RootDirectory=: out of the job's reach anyway (see above) */
                e = (MountEntry) {
                        .path = strdup(inside),
                        .label = label_new("%s=%s%s%s", property, pe->ignore_missing ? "-" : "",
                                           pe->below_root ? "+" : "", pe->path),
                        .mode = mode,
                        .ignore_missing = pe->ignore_missing,
                        .caller_path = true,
                };
                r = plan_add(p, &e);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int plan_add_binds(MountPlan *p, const SandboxSpec *spec) {
        for (size_t i = 0; i < spec->n_bind_mounts; i++) {
                const BindMount *b = spec->bind_mounts + i;
                MountEntry e = {
                        .path = strdup(b->destination),
                        .label = label_new("%s=%s%s:%s%s", b->read_only ? "BindReadOnlyPaths" : "BindPaths",
                                           b->ignore_missing ? "-" : "", b->source, b->destination,
                                           b->recursive ? "" : ":norbind"),
                        .mode = MOUNT_BIND,
                        .read_only = b->read_only,
                        .ignore_missing = b->ignore_missing,
                        .caller_path = true,
                        .source = b->source,
                        .recursive = b->recursive,
                };
                int r = plan_add(p, &e);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* StateDirectory= and the others stay writable below ProtectSystem=strict, ProtectHome=read-only and the
 * rest, as in systemd; confine-exec created them before the tree was built (exec-directories.c). */

/* One bind of a directory made on the host (ROOT/PATH, or DynamicUser='s ROOT/private/PATH) onto dest in
 * the job's tree; dest is looked up with the job's file system ids where the caller's tree holds it. */
static int plan_add_directory_bind(MountPlan *p, const SandboxSpec *spec, ExecDirectoryType t, const char *path,
                                   bool private, char *dest, bool in_caller_tree) {
        MountEntry e = {
                .path = dest,
                .label = label_new("%s=%s", exec_directory_type_to_string(t), path),
                .mode = MOUNT_BIND,
                .recursive = true,
                .caller_path = in_caller_tree,
                .directory_source = true,
                .directory_type = t,
                .directory_path = path,
        };

        if (asprintf(&e.owned_source, "%s%s/%s", spec->directories[t].root, private ? "/private" : "", path) < 0)
                e.owned_source = NULL;
        if (!e.owned_source) {
                free(e.path);
                free(e.label);
                return -ENOMEM;
        }
        e.source = e.owned_source;
        return plan_add(p, &e);
}

/* DynamicUser=: a fresh ROOT/private holding only the job's own directories, each bound from the host's
 * ROOT/private (root's 0700 directory, which the job's user could not look up itself: so not a caller
 * path). ROOT/PATH is the symlink to it, and $STATE_DIRECTORY names that, as in systemd. */
static int plan_add_private_directories(MountPlan *p, const SandboxSpec *spec, ExecDirectoryType t) {
        _cleanup_free_ char *private_root = NULL;
        MountEntry e;
        int r;

        if (asprintf(&private_root, "%s/private", spec->directories[t].root) < 0)
                return -ENOMEM;
        e = (MountEntry) {
                .path = strdup(private_root),
                .label = label_new("DynamicUser=yes: %s", private_root),
                .mode = MOUNT_TMPFS,
                .options = "mode=0755",
                .default_mode = "0755",
        };
        r = plan_add(p, &e);
        if (r < 0)
                return r;
        STRV_FOREACH(d, spec->directories[t].paths) {
                char *dest;

                if (asprintf(&dest, "%s/%s", private_root, *d) < 0)
                        return -ENOMEM;
                r = plan_add_directory_bind(p, spec, t, *d, true, dest, false);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* With RootDirectory=, as systemd's compile_bind_mounts(): each directory, made on the host, is bound onto
 * the same path inside the job's root (ROOT/PATH, also for DynamicUser='s ROOT/private/PATH, since the
 * symlink to it is not in the job's root), where $STATE_DIRECTORY and the others point. The mount point is
 * a bind destination like BindPaths='s: looked up, and created if missing, with the job's file system ids
 * and never through a symlink (exec-mount-point.c). */
static int plan_add_directories_in_root(MountPlan *p, const SandboxSpec *spec, ExecDirectoryType t) {
        STRV_FOREACH(d, spec->directories[t].paths) {
                char *dest;
                int r;

                r = spec_directory_path(spec, t, *d, &dest);
                if (r < 0)
                        return r;
                r = plan_add_directory_bind(p, spec, t, *d, spec_directory_is_private(spec, t), dest, true);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int plan_add_directories(MountPlan *p, const SandboxSpec *spec) {
        bool in_root = spec->root_directory && !streq(spec->root_directory, "/");

        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                if (spec->directories[t].paths && in_root) {
                        int r = plan_add_directories_in_root(p, spec, t);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (spec->directories[t].paths && spec_directory_is_private(spec, t)) {
                        int r = plan_add_private_directories(p, spec, t);
                        if (r < 0)
                                return r;
                        continue;
                }
                STRV_FOREACH(d, spec->directories[t].paths) {
                        MountEntry e = {
                                .label = label_new("%s=%s", exec_directory_type_to_string(t), *d),
                                .mode = MOUNT_READ_WRITE_IMPLICIT,
                                .caller_path = true,
                        };
                        int r = spec_directory_path(spec, t, *d, &e.path);
                        if (r < 0) {
                                free(e.label);
                                return r;
                        }
                        r = plan_add(p, &e);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int plan_add_tmpfs(MountPlan *p, const SandboxSpec *spec) {
        for (size_t i = 0; i < spec->n_temporary_filesystems; i++) {
                const TemporaryFileSystem *t = spec->temporary_filesystems + i;
                MountEntry e = {
                        .path = strdup(t->path),
                        .label = label_new("TemporaryFileSystem=%s%s%s", t->path, t->options[0] ? ":" : "",
                                           t->options),
                        .mode = MOUNT_TMPFS,
                        .caller_path = true,
                        .options = t->options,
                        .default_mode = "0755",
                };
                int r = plan_add(p, &e);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int entry_compare(const void *a, const void *b) {
        const MountEntry *x = a, *y = b;
        int c = strcmp(x->path, y->path);

        if (c != 0)
                return c;
        return x->mode < y->mode ? -1 : x->mode > y->mode;
}

/* One entry per path: the one of highest priority wins, and is read-only (noexec) if any of them was.
 * So NoExecPaths= wins over ExecPaths= for one path. */
static void plan_merge_duplicates(MountPlan *p) {
        size_t kept = 0;

        for (size_t i = 0; i < p->n; i++) {
                MountEntry *e = p->entries + i;

                if (kept > 0 && streq(p->entries[kept - 1].path, e->path)) {
                        MountEntry *winner = p->entries + kept - 1;
                        winner->read_only = winner->read_only || mount_entry_is_read_only(e);
                        winner->noexec = winner->noexec || mount_entry_is_noexec(e);
                        winner->exec = winner->exec || e->exec;
                        winner->if_unmounted = winner->if_unmounted && e->if_unmounted;
                        winner->caller_path = winner->caller_path || e->caller_path;
                        mount_entry_done(e);
                        continue;
                }
                p->entries[kept++] = *e;
        }
        p->n = kept;
}

/* Nothing below an inaccessible path is mounted: it could not be reached anyway. */
static void plan_drop_below_inaccessible(MountPlan *p) {
        size_t kept = 0;

        for (size_t i = 0; i < p->n; i++) {
                MountEntry *e = p->entries + i;
                bool hidden = false;

                for (size_t k = 0; k < kept && !hidden; k++)
                        hidden = p->entries[k].mode == MOUNT_INACCESSIBLE && path_is_below(e->path, p->entries[k].path);
                if (hidden) {
                        mount_entry_done(e);
                        continue;
                }
                p->entries[kept++] = *e;
        }
        p->n = kept;
}

void mount_plan_sort(MountPlan *p) {
        if (p->n > 0)
                qsort(p->entries, p->n, sizeof(MountEntry), entry_compare);
        plan_merge_duplicates(p);
        plan_drop_below_inaccessible(p);
}

void mount_plan_resolve_attributes(MountPlan *p) {
        for (size_t i = 0; i < p->n; i++) {
                MountEntry *e = p->entries + i;
                ssize_t parent = mount_plan_parent(p, i);

                if (e->skipped || parent < 0)
                        continue;
                if (e->mode == MOUNT_NOEXEC || e->mode == MOUNT_EXEC)
                        e->read_only = e->read_only || p->entries[parent].read_only;
                if (!e->exec)
                        e->noexec = e->noexec || p->entries[parent].noexec;
        }
}

ssize_t mount_plan_parent(const MountPlan *p, size_t i) {
        for (size_t k = i; k > 0; k--) {
                const MountEntry *c = p->entries + k - 1;
                if (!c->skipped && path_is_below(p->entries[i].path, c->path))
                        return (ssize_t) (k - 1);
        }
        return -1;
}

/* DeviceAllow=/DevicePolicy= give a private /dev too, holding the allowed nodes. */
static const char *device_restriction_label(const SandboxSpec *spec) {
        switch (spec->device_policy) {
        case DEVICE_POLICY_STRICT:
                return "DevicePolicy=strict";
        case DEVICE_POLICY_CLOSED:
                return "DevicePolicy=closed";
        default:
                return "DeviceAllow=";
        }
}

int mount_plan_build(const SandboxSpec *spec, MountPlan *ret) {
        _cleanup_(mount_plan_done) MountPlan p = {};
        int r = 0;

        switch (spec->protect_system) {
        case PROTECT_SYSTEM_STRICT:
                r = PLAN_ADD_IMPLICIT(&p, protect_system_strict, "ProtectSystem=strict");
                break;
        case PROTECT_SYSTEM_FULL:
                r = PLAN_ADD_IMPLICIT(&p, protect_system_yes, "ProtectSystem=full");
                if (r >= 0)
                        r = PLAN_ADD_IMPLICIT(&p, protect_system_full, "ProtectSystem=full");
                break;
        case PROTECT_SYSTEM_YES:
                r = PLAN_ADD_IMPLICIT(&p, protect_system_yes, "ProtectSystem=yes");
                break;
        default:
                break;
        }
        if (r < 0)
                return r;

        switch (spec->protect_home) {
        case PROTECT_HOME_YES:
                r = PLAN_ADD_IMPLICIT(&p, protect_home_yes, "ProtectHome=yes");
                break;
        case PROTECT_HOME_READ_ONLY:
                r = PLAN_ADD_IMPLICIT(&p, protect_home_read_only, "ProtectHome=read-only");
                break;
        case PROTECT_HOME_TMPFS:
                r = PLAN_ADD_IMPLICIT(&p, protect_home_tmpfs, "ProtectHome=tmpfs");
                break;
        default:
                break;
        }
        if (r < 0)
                return r;

        if (r >= 0 && spec->private_tmp)
                r = PLAN_ADD_IMPLICIT(&p, private_tmp, "PrivateTmp=yes");
        if (r >= 0 && sandbox_spec_restricts_devices(spec))
                r = PLAN_ADD_IMPLICIT(&p, private_devices, device_restriction_label(spec));
        else if (r >= 0 && spec->private_devices)
                r = PLAN_ADD_IMPLICIT(&p, private_devices, "PrivateDevices=yes");
        if (r >= 0 && spec->private_ipc)
                r = PLAN_ADD_IMPLICIT(&p, private_ipc, "PrivateIPC=yes");
        if (r >= 0 && sandbox_spec_needs_private_proc(spec)) {
                char buf[32];
                r = PLAN_ADD_IMPLICIT(&p, private_proc, private_proc_label(spec, buf, sizeof buf));
        }
        if (r >= 0 && spec->mount_apivfs)
                r = PLAN_ADD_IMPLICIT(&p, apivfs, "MountAPIVFS=yes");
        if (r >= 0 && spec->mount_apivfs && !spec->private_devices && !sandbox_spec_restricts_devices(spec))
                r = PLAN_ADD_IMPLICIT(&p, apivfs_dev, "MountAPIVFS=yes");
        if (r >= 0 && spec->protect_kernel_tunables)
                r = PLAN_ADD_IMPLICIT(&p, protect_kernel_tunables, "ProtectKernelTunables=yes");
        if (r >= 0 && spec->protect_kernel_modules)
                r = PLAN_ADD_IMPLICIT(&p, protect_kernel_modules, "ProtectKernelModules=yes");
        if (r >= 0 && spec->protect_kernel_logs)
                r = PLAN_ADD_IMPLICIT(&p, protect_kernel_logs, "ProtectKernelLogs=yes");
        if (r >= 0 && spec->protect_control_groups)
                r = PLAN_ADD_IMPLICIT(&p, protect_control_groups, "ProtectControlGroups=yes");
        if (r >= 0 && spec->protect_hostname)
                r = PLAN_ADD_IMPLICIT(&p, protect_hostname, "ProtectHostname=yes");
        if (r >= 0)
                r = plan_add_paths(&p, spec, spec->read_write_paths, spec->n_read_write_paths, MOUNT_READ_WRITE,
                                   "ReadWritePaths");
        if (r >= 0)
                r = plan_add_paths(&p, spec, spec->read_only_paths, spec->n_read_only_paths, MOUNT_READ_ONLY,
                                   "ReadOnlyPaths");
        if (r >= 0)
                r = plan_add_paths(&p, spec, spec->inaccessible_paths, spec->n_inaccessible_paths,
                                   MOUNT_INACCESSIBLE, "InaccessiblePaths");
        if (r >= 0)
                r = plan_add_paths(&p, spec, spec->no_exec_paths, spec->n_no_exec_paths, MOUNT_NOEXEC, "NoExecPaths");
        if (r >= 0)
                r = plan_add_paths(&p, spec, spec->exec_paths, spec->n_exec_paths, MOUNT_EXEC, "ExecPaths");
        if (r >= 0)
                r = plan_add_binds(&p, spec);
        if (r >= 0)
                r = plan_add_tmpfs(&p, spec);
        if (r >= 0)
                r = plan_add_directories(&p, spec);
        if (r < 0)
                return r;

        mount_plan_sort(&p);

        *ret = p;
        p = (MountPlan) {};
        return 0;
}
