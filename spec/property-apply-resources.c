/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Appliers for resource limits, process attributes and extra identity. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cap-names.h"
#include "property-appliers.h"
#include "strv.h"

static const char *const rlimit_names[SANDBOX_RLIMIT_MAX] = {
        [RLIMIT_CPU] = "LimitCPU",
        [RLIMIT_FSIZE] = "LimitFSIZE",
        [RLIMIT_DATA] = "LimitDATA",
        [RLIMIT_STACK] = "LimitSTACK",
        [RLIMIT_CORE] = "LimitCORE",
        [RLIMIT_RSS] = "LimitRSS",
        [RLIMIT_NPROC] = "LimitNPROC",
        [RLIMIT_NOFILE] = "LimitNOFILE",
        [RLIMIT_MEMLOCK] = "LimitMEMLOCK",
        [RLIMIT_AS] = "LimitAS",
        [RLIMIT_LOCKS] = "LimitLOCKS",
        [RLIMIT_SIGPENDING] = "LimitSIGPENDING",
        [RLIMIT_MSGQUEUE] = "LimitMSGQUEUE",
        [RLIMIT_NICE] = "LimitNICE",
        [RLIMIT_RTPRIO] = "LimitRTPRIO",
        [RLIMIT_RTTIME] = "LimitRTTIME",
};

const char *rlimit_to_property_name(int resource) {
        return resource >= 0 && resource < SANDBOX_RLIMIT_MAX ? rlimit_names[resource] : "Limit?";
}

int rlimit_from_property_name(const char *name, bool *ret_soft) {
        for (int i = 0; i < SANDBOX_RLIMIT_MAX; i++) {
                size_t l = strlen(rlimit_names[i]);
                if (!strneq(name, rlimit_names[i], l))
                        continue;
                if (name[l] == 0 || streq(name + l, "Soft")) {
                        *ret_soft = name[l] != 0;
                        return i;
                }
        }
        return -EINVAL;
}

int apply_rlimit(SandboxSpec *s, const PropertyValue *v, char **msg) {
        bool soft;
        int resource;

        resource = rlimit_from_property_name(v->info->name, &soft);
        if (resource < 0)
                return property_fail(msg, -EINVAL, "%s: unknown resource limit", v->info->name);
        if (resource == RLIMIT_NOFILE && v->t != UINT64_MAX && v->t > (1u << 20))
                return property_fail(msg, -EINVAL, "%s: %" PRIu64 " is above the kernel's nr_open maximum",
                                     v->info->name, v->t);
        /* Work on a copy: a refused value must leave the spec as it was. */
        ResourceLimit l = s->rlimits[resource];
        l.set = true;
        if (soft) {
                l.soft = v->t;
                l.soft_set = true;
        } else {
                l.hard = v->t;
                l.hard_set = true;
                if (v->has_soft) {
                        l.soft = v->soft;
                        l.soft_set = true;
                }
        }
        if (l.hard_set && l.soft_set && l.soft > l.hard)
                return property_fail(msg, -EINVAL, "%s: soft limit above the hard limit", v->info->name);
        s->rlimits[resource] = l;
        return 0;
}

int apply_umask(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->u > 0777)
                return property_fail(msg, -EINVAL, "UMask: %04" PRIo32 " is not a file mode mask", v->u);
        s->umask = (int) v->u;
        return 0;
}

int apply_nice(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->i < -20 || v->i > 19)
                return property_fail(msg, -EINVAL, "Nice: %" PRIi32 " is outside -20…19", v->i);
        s->nice = v->i;
        s->nice_set = true;
        return 0;
}

int apply_runtime_max(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->t == 0)
                return property_fail(msg, -EINVAL, "RuntimeMaxUSec: must be positive");
        s->runtime_max_usec = v->t;
        return 0;
}

/* The cgroup v2 values the daemon writes to the job's cgroup (daemon/cgroup.c). */
static uint64_t *cgroup_limit_field(SandboxSpec *s, const char *name) {
        static const struct {
                const char *name;
                size_t offset;
        } fields[] = {
                { "MemoryMax", offsetof(SandboxSpec, memory_max) },
                { "MemoryHigh", offsetof(SandboxSpec, memory_high) },
                { "MemorySwapMax", offsetof(SandboxSpec, memory_swap_max) },
                { "MemoryLow", offsetof(SandboxSpec, memory_low) },
                { "TasksMax", offsetof(SandboxSpec, tasks_max) },
                { "CPUQuotaPerSecUSec", offsetof(SandboxSpec, cpu_quota_per_sec_usec) },
                { "CPUWeight", offsetof(SandboxSpec, cpu_weight) },
                { "IOWeight", offsetof(SandboxSpec, io_weight) },
        };

        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                if (streq(fields[i].name, name))
                        return (uint64_t *) ((uint8_t *) s + fields[i].offset);
        return NULL;
}

int apply_cgroup_limit(SandboxSpec *s, const PropertyValue *v, char **msg) {
        const char *n = v->info->name;
        uint64_t *field = cgroup_limit_field(s, n);

        if (!field)
                return property_fail(msg, -EINVAL, "%s: not a cgroup limit", n);
        if (streq(n, "TasksMax") && v->t == 0)
                return property_fail(msg, -EINVAL, "TasksMax: must be positive");
        if (streq(n, "CPUQuotaPerSecUSec") && (v->t == 0 || (v->t != UINT64_MAX && v->t < 1000)))
                return property_fail(msg, -EINVAL, "CPUQuotaPerSecUSec: must be at least 1000 (0.1%%)");
        if (streq(n, "CPUWeight") || streq(n, "IOWeight")) {
                /* UINT64_MAX unsets (systemd's CGROUP_WEIGHT_INVALID); CPUWeight's 0 is "idle", as in
                 * systemd 252. */
                if (v->t == UINT64_MAX) {
                        *field = CGROUP_WEIGHT_DEFAULT;
                        return 0;
                }
                if ((v->t < 1 || v->t > 10000) && !(v->t == 0 && streq(n, "CPUWeight")))
                        return property_fail(msg, -EINVAL, "%s: %" PRIu64 " is outside 1…10000%s", n, v->t,
                                             streq(n, "CPUWeight") ? " (or 0, idle)" : "");
        }
        *field = v->t;
        return 0;
}

/* The host's limit a percentage is of, as systemd's physical_memory() and system_tasks_max() take it:
 * the RAM, and the smaller of kernel.pid_max and kernel.threads-max, minus one. The one host query of
 * these appliers; 0 when it cannot be had. */
static uint64_t read_sysctl_u64(const char *path) {
        unsigned long long v = 0;
        FILE *f = fopen(path, "re");

        if (f) {
                if (fscanf(f, "%llu", &v) != 1)
                        v = 0;
                fclose(f);
        }
        return v;
}

static uint64_t scale_base(bool memory) {
        uint64_t pid_max, threads_max;
        long pages, page_size;

        if (memory) {
                pages = sysconf(_SC_PHYS_PAGES);
                page_size = sysconf(_SC_PAGESIZE);
                return pages > 0 && page_size > 0 ? (uint64_t) pages * (uint64_t) page_size : 0;
        }
        pid_max = read_sysctl_u64("/proc/sys/kernel/pid_max");
        threads_max = read_sysctl_u64("/proc/sys/kernel/threads-max");
        if (pid_max == 0 || threads_max == 0)
                return 0;
        return MIN(pid_max, threads_max) - 1;
}

/* MemoryMaxScale= and TasksMaxScale= (u): what systemd-run sends for "MemoryMax=50%" and
 * "TasksMax=10%", a fraction of UINT32_MAX of the host's memory or task limit, resolved here as
 * systemd's dbus-cgroup.c resolves it. They set MemoryMax=/TasksMax=. */
int apply_cgroup_scale(SandboxSpec *s, const PropertyValue *v, char **msg) {
        bool memory = strneq(v->info->name, "Memory", 6);
        uint64_t base = scale_base(memory), value, *field;
        char limit[32];

        if (base == 0)
                return property_fail(msg, -EOPNOTSUPP, "%s: the host's %s is unknown", v->info->name,
                                     memory ? "physical memory" : "task limit");
        value = (uint64_t) (((unsigned __int128) base * v->u + UINT32_MAX / 2) / UINT32_MAX);
        if (value == 0)
                return property_fail(msg, -EINVAL, "%s: %" PRIu32 " is out of range", v->info->name, v->u);
        /* "MemoryHighScale" → "MemoryHigh". */
        snprintf(limit, sizeof limit, "%.*s", (int) (strlen(v->info->name) - 5), v->info->name);
        field = cgroup_limit_field(s, limit);
        if (!field)
                return property_fail(msg, -EINVAL, "%s: not a cgroup limit", v->info->name);
        *field = value;
        return 0;
}

/* Groups accumulate; an empty list resets, as in systemd. */
int apply_supplementary_groups(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (!v->strv || !v->strv[0]) {
                s->supplementary_groups = strv_free(s->supplementary_groups);
                return 0;
        }
        STRV_FOREACH(g, v->strv) {
                if (!**g || strlen(*g) > 256 || strpbrk(*g, ":/ \t\n"))
                        return property_fail(msg, -EINVAL, "SupplementaryGroups: invalid group \"%s\"", *g);
                if (!strv_contains(s->supplementary_groups, *g) && strv_extend(&s->supplementary_groups, *g) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int apply_ambient_capabilities(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (capability_set_merge(&s->ambient_capabilities, 0, v->t) < 0)
                return property_fail(msg, -EINVAL, "AmbientCapabilities: unknown capability bits 0x%" PRIx64,
                                     v->t & ~CAP_ALL_MASK);
        return 0;
}

/* DeviceAllow=: entries accumulate and an empty list resets, as in systemd. A caller that resets a
 * profile's list loosens it, which spec-strictness.c sees on the merged result. The daemon resolves
 * the entries (bpf-devices.c). */
int apply_device_allow(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->n_tuples == 0) {
                device_allow_free(s->device_allow, s->n_device_allow);
                s->device_allow = NULL;
                s->n_device_allow = 0;
                return 0;
        }
        for (size_t i = 0; i < v->n_tuples; i++) {
                const char *node = v->tuples[i].a, *access = v->tuples[i].b;
                unsigned bits;
                int r;

                if (device_node_kind(node) < 0)
                        return property_fail(msg, -EINVAL,
                                             "DeviceAllow: invalid device \"%s\", expected a path below /dev/, "
                                             "char-NAME or block-NAME", node);
                if (device_access_from_string(access, &bits) < 0)
                        return property_fail(msg, -EINVAL,
                                             "DeviceAllow: invalid access \"%s\" for %s, expected r, w and m, each at most once",
                                             access, node);
                r = device_allow_add(&s->device_allow, &s->n_device_allow, node, bits);
                if (r == -E2BIG)
                        return property_fail(msg, -EINVAL, "DeviceAllow: more than %u entries", DEVICE_ALLOW_MAX);
                if (r < 0)
                        return r;
        }
        return 0;
}

int apply_device_policy(SandboxSpec *s, const PropertyValue *v, char **msg) {
        DevicePolicy p = device_policy_from_string(v->s);

        if (p < 0)
                return property_fail(msg, -EINVAL, "DevicePolicy: unknown value \"%s\", expected auto, closed or strict",
                                     v->s);
        s->device_policy = p;
        return 0;
}
