/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <sys/wait.h>

#include "job.h"

JobResult job_result_classify(const JobExit *e) {
        if (e->timed_out)
                return JOB_RESULT_TIMEOUT;
        /* As systemd's OOM handling: the kernel killed something in the job for memory, so the
         * job failed for that reason, also when the main process survived it or a child of it
         * died (sh -c 'dd …' exits 137, or 0 if it ignored the child's fate). */
        if (e->oom_kills > 0)
                return JOB_RESULT_OOM_KILL;
        switch (e->code) {
        case CLD_EXITED:
                if (e->owner_gone)
                        return JOB_RESULT_OWNER_GONE;
                return e->status == 0 ? JOB_RESULT_SUCCESS : JOB_RESULT_EXIT_CODE;
        case CLD_KILLED:
        case CLD_DUMPED:
                if (e->status == SIGSYS)
                        return JOB_RESULT_SECCOMP;
                if (e->owner_gone)
                        return JOB_RESULT_OWNER_GONE;
                if (e->kill_requested)
                        return JOB_RESULT_KILLED;
                return e->code == CLD_DUMPED ? JOB_RESULT_CORE_DUMP : JOB_RESULT_SIGNAL;
        default:
                return JOB_RESULT_SIGNAL;
        }
}
