/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The properties whose every use but their enforcement is the same code, declared once.
 *
 * A switch (signature b, yes/no text) gets from its line here: its row in the property table
 * and its applier, its bit in the spec sent to confine-exec, its place in the strictness order
 * (yes is the strict side) and its entry in Job.Properties. X(NAME, field, SHOWN_WHEN_OFF).
 *
 * A limit (signature t) gets its place in the strictness order (lower is stricter) and its entry
 * in Job.Properties when it is not DEFAULT, the kernel's own value, which sandbox_spec_new() sets:
 * UINT64_MAX (no limit) for a maximum, 0 (no protection) for MemoryLow, 100 for a weight. Its row
 * and applier (which validate the value) stay in the property table. X(NAME, field, DEFAULT).
 *
 * The code that enforces a property is all that remains to write (HACKING.md). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sandbox-spec.h"

#define SPEC_SWITCHES(X)                                                        \
        X("PrivateNetwork", private_network, true)                              \
        X("PrivateTmp", private_tmp, true)                                      \
        X("PrivateDevices", private_devices, false)                             \
        X("PrivateIPC", private_ipc, false)                                     \
        X("ProtectHostname", protect_hostname, false)                           \
        X("ProtectKernelTunables", protect_kernel_tunables, false)              \
        X("ProtectKernelModules", protect_kernel_modules, false)                \
        X("ProtectControlGroups", protect_control_groups, false)                \
        X("PrivatePIDs", private_pids, false)                                   \
        X("MemoryDenyWriteExecute", memory_deny_write_execute, false)           \
        X("LockPersonality", lock_personality, false)                           \
        X("RestrictSUIDSGID", restrict_suid_sgid, false)                        \
        X("RestrictRealtime", restrict_realtime, false)                         \
        X("ProtectClock", protect_clock, false)                                 \
        X("ProtectKernelLogs", protect_kernel_logs, false)                      \
        X("PrivateMounts", private_mounts, false)                               \
        X("RemoveIPC", remove_ipc, false)                                       \
        X("PrivateUsers", private_users, false)                                 \
        X("DynamicUser", dynamic_user, false)                                   \
        X("IOAccounting", io_accounting, false)

#define SPEC_LIMITS(X)                                                          \
        X("RuntimeMaxUSec", runtime_max_usec, UINT64_MAX)                       \
        X("MemoryMax", memory_max, UINT64_MAX)                                  \
        X("TasksMax", tasks_max, UINT64_MAX)                                    \
        X("CPUQuotaPerSecUSec", cpu_quota_per_sec_usec, UINT64_MAX)             \
        X("MemoryHigh", memory_high, UINT64_MAX)                                \
        X("MemorySwapMax", memory_swap_max, UINT64_MAX)                         \
        X("MemoryLow", memory_low, 0)                                           \
        X("CPUWeight", cpu_weight, 100)                                         \
        X("IOWeight", io_weight, 100)

#define _SPEC_COUNT_SWITCH(name, field, shown) +1
enum { SPEC_SWITCHES_COUNT = 0 SPEC_SWITCHES(_SPEC_COUNT_SWITCH) };

typedef struct SpecField {
        const char *name;
        size_t offset;
        bool shown_when_off;    /* switches: in Job.Properties even when off */
        uint64_t default_value; /* limits: the kernel's own value, which the job has unless asked */
} SpecField;

extern const SpecField spec_switches[];
extern const size_t spec_switches_size;
extern const SpecField spec_limits[];
extern const size_t spec_limits_size;

const SpecField *spec_switch_lookup(const char *name);

static inline bool spec_switch_get(const SandboxSpec *s, const SpecField *f) {
        return *(const bool *) ((const uint8_t *) s + f->offset);
}

static inline void spec_switch_set(SandboxSpec *s, const SpecField *f, bool v) {
        *(bool *) ((uint8_t *) s + f->offset) = v;
}

static inline uint64_t spec_limit_get(const SandboxSpec *s, const SpecField *f) {
        return *(const uint64_t *) ((const uint8_t *) s + f->offset);
}

static inline bool spec_limit_is_set(const SandboxSpec *s, const SpecField *f) {
        return spec_limit_get(s, f) != f->default_value;
}
