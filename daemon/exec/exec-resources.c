/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/resource.h>
#include <sys/stat.h>

#include "exec-report.h"
#include "exec-resources.h"

static rlim_t to_rlim(uint64_t v) {
        return v == UINT64_MAX ? RLIM_INFINITY : (rlim_t) v;
}

static void apply_rlimit(int resource, const ResourceLimit *l) {
        struct rlimit rl;

        if (getrlimit(resource, &rl) < 0)
                exec_fail(EXEC_STEP_RLIMIT, errno, "getrlimit(%d)", resource);
        if (l->hard_set)
                rl.rlim_max = to_rlim(l->hard);
        if (l->soft_set)
                rl.rlim_cur = to_rlim(l->soft);
        else if (l->hard_set)
                rl.rlim_cur = rl.rlim_max;
        if (rl.rlim_cur > rl.rlim_max)
                exec_fail(EXEC_STEP_RLIMIT, EINVAL, "resource %d: soft limit above the hard limit", resource);
        if (setrlimit(resource, &rl) < 0)
                exec_fail(EXEC_STEP_RLIMIT, errno, "resource %d", resource);
}

void exec_apply_resources(const SandboxSpec *spec) {
        for (int i = 0; i < SANDBOX_RLIMIT_MAX; i++)
                if (spec->rlimits[i].set)
                        apply_rlimit(i, spec->rlimits + i);

        umask(spec->umask >= 0 ? (mode_t) spec->umask : 0022);

        if (spec->nice_set && setpriority(PRIO_PROCESS, 0, spec->nice) < 0)
                exec_fail(EXEC_STEP_RLIMIT, errno, "Nice=%d", spec->nice);
}
