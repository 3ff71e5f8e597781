/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "exec-report.h"
#include "exec-resources.h"

static rlim_t to_rlim(uint64_t v) {
        return v == UINT64_MAX ? RLIM_INFINITY : (rlim_t) v;
}

/* "SOFT:HARD", as the property is written. */
static const char *format_rlimit(const struct rlimit *rl, char *buf, size_t size) {
        char soft[24], hard[24];

        if (rl->rlim_cur == RLIM_INFINITY)
                snprintf(soft, sizeof soft, "infinity");
        else
                snprintf(soft, sizeof soft, "%llu", (unsigned long long) rl->rlim_cur);
        if (rl->rlim_max == RLIM_INFINITY)
                snprintf(hard, sizeof hard, "infinity");
        else
                snprintf(hard, sizeof hard, "%llu", (unsigned long long) rl->rlim_max);
        snprintf(buf, size, "%s:%s", soft, hard);
        return buf;
}

static void apply_rlimit(int resource, const ResourceLimit *l) {
        char buf[64];
        const char *name = rlimit_to_property_name(resource);
        struct rlimit rl;

        if (getrlimit(resource, &rl) < 0)
                exec_fail(EXEC_STEP_RLIMIT, errno, "%s: getrlimit", name);
        if (l->hard_set)
                rl.rlim_max = to_rlim(l->hard);
        if (l->soft_set)
                rl.rlim_cur = to_rlim(l->soft);
        else if (l->hard_set)
                rl.rlim_cur = rl.rlim_max;
        if (rl.rlim_cur > rl.rlim_max)
                exec_fail(EXEC_STEP_RLIMIT, EINVAL, "%s=%s: soft limit above the hard limit", name,
                          format_rlimit(&rl, buf, sizeof buf));
        if (setrlimit(resource, &rl) < 0)
                exec_fail(EXEC_STEP_RLIMIT, errno, "%s=%s", name, format_rlimit(&rl, buf, sizeof buf));
}

void exec_apply_resources(const SandboxSpec *spec) {
        for (int i = 0; i < SANDBOX_RLIMIT_MAX; i++)
                if (spec->rlimits[i].set)
                        apply_rlimit(i, spec->rlimits + i);

        umask(spec->umask >= 0 ? (mode_t) spec->umask : 0022);

        if (spec->nice_set && setpriority(PRIO_PROCESS, 0, spec->nice) < 0)
                exec_fail(EXEC_STEP_NICE, errno, "Nice=%d", spec->nice);
}
