/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-process.h"
#include "exec-report.h"

static int write_proc_self(const char *file, const char *value) {
        int fd = open(file, O_WRONLY | O_CLOEXEC), r = 0;

        if (fd < 0)
                return -errno;
        if (write(fd, value, strlen(value)) < 0)
                r = -errno;
        (void) close(fd);
        return r;
}

static void apply_scheduling(const SandboxSpec *spec, bool reset_on_fork) {
        struct sched_param param = { .sched_priority = spec->cpu_sched_priority };

        if (spec->cpu_sched_policy < 0)
                return;
        if (sched_setscheduler(0, spec->cpu_sched_policy | (reset_on_fork ? SCHED_RESET_ON_FORK : 0), &param) < 0)
                exec_fail(EXEC_STEP_PROCESS, errno, "CPUSchedulingPolicy=%s CPUSchedulingPriority=%d%s",
                          sched_policy_to_string(spec->cpu_sched_policy) ?: "?", spec->cpu_sched_priority,
                          reset_on_fork ? " CPUSchedulingResetOnFork=yes" : "");
}

void exec_apply_process_attributes(const SandboxSpec *spec) {
        char buf[32];
        int r;

        if (spec->personality >= 0 && personality((unsigned long) spec->personality) < 0)
                exec_fail(EXEC_STEP_PROCESS, errno, "Personality=%s",
                          personality_to_string((unsigned long) spec->personality) ?: "?");
        /* As root: a lower score needs CAP_SYS_RESOURCE, and becomes the floor the job cannot go below. */
        if (spec->oom_score_adjust_set) {
                (void) snprintf(buf, sizeof buf, "%d", spec->oom_score_adjust);
                r = write_proc_self("/proc/self/oom_score_adj", buf);
                if (r < 0)
                        exec_fail(EXEC_STEP_PROCESS, -r, "OOMScoreAdjust=%d", spec->oom_score_adjust);
        }
        if (spec->coredump_filter_set) {
                (void) snprintf(buf, sizeof buf, "0x%llx", (unsigned long long) spec->coredump_filter);
                r = write_proc_self("/proc/self/coredump_filter", buf);
                if (r < 0)
                        exec_fail(EXEC_STEP_PROCESS, -r, "CoredumpFilter=%s", buf);
        }
        if (spec->cpu_affinity_size > 0) {
                unsigned long mask[CPU_SET_MAX_CPUS / 8 / sizeof(unsigned long)] = {};

                memcpy(mask, spec->cpu_affinity, MIN(spec->cpu_affinity_size, sizeof mask));
                if (sched_setaffinity(0, sizeof mask, (const cpu_set_t *) mask) < 0)
                        exec_fail(EXEC_STEP_PROCESS, errno, "CPUAffinity: none of the CPUs is available to the job");
        }
        if (spec->ioprio_class >= 0 &&
            syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, spec->ioprio_class << 13 | spec->ioprio_priority) < 0)
                exec_fail(EXEC_STEP_PROCESS, errno, "IOSchedulingClass=%s IOSchedulingPriority=%d",
                          ioprio_class_to_string(spec->ioprio_class) ?: "?", spec->ioprio_priority);
        /* The reset-on-fork flag comes with the job's own call (exec_apply_job_attributes()): under
         * PrivatePIDs= this process forks the job, which would lose the policy. */
        apply_scheduling(spec, false);
}

void exec_apply_job_attributes(const SandboxSpec *spec) {
        if (spec->ignore_sigpipe && signal(SIGPIPE, SIG_IGN) == SIG_ERR)
                exec_fail(EXEC_STEP_PROCESS, errno, "IgnoreSIGPIPE=yes");
        /* fork() gives a child the default slack, not the one set: so it is set in the job itself. */
        if (spec->timer_slack_nsec != UINT64_MAX && prctl(PR_SET_TIMERSLACK, (unsigned long) spec->timer_slack_nsec, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_PROCESS, errno, "TimerSlackNSec=%llu", (unsigned long long) spec->timer_slack_nsec);
        /* The same policy and priority again, which needs no privilege, now with the flag. */
        if (spec->cpu_sched_reset_on_fork)
                apply_scheduling(spec, true);
}

void exec_setup_keyring(const SandboxSpec *spec) {
        const char *mode = keyring_mode_to_string(spec->keyring_mode);

        if (spec->keyring_mode == KEYRING_MODE_INHERIT)
                return;
        /* A new anonymous session keyring: the job no longer possesses the daemon's (or its caller's). */
        if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL, 0, 0, 0) < 0) {
                /* A kernel without keyrings has nothing the job could inherit either. */
                if (errno == ENOSYS)
                        return;
                exec_fail(EXEC_STEP_KEYRING, errno, "KeyringMode=%s: join a new session keyring", mode);
        }
        if (spec->keyring_mode == KEYRING_MODE_SHARED &&
            syscall(SYS_keyctl, KEYCTL_LINK, KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING, 0, 0) < 0)
                exec_fail(EXEC_STEP_KEYRING, errno, "KeyringMode=shared: link the user keyring");
}
