/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A job's Result from how it ended (job-result.c, pure). */
#include <signal.h>
#include <sys/wait.h>

#include "job.h"
#include "tap.h"

static JobResult classify(int code, int status, uint64_t oom_kills, bool timed_out, bool killed, bool owner_gone) {
        return job_result_classify(&(JobExit) {
                .code = code,
                .status = status,
                .oom_kills = oom_kills,
                .timed_out = timed_out,
                .kill_requested = killed,
                .owner_gone = owner_gone,
        });
}

int main(void) {
        ASSERT_EQ(classify(CLD_EXITED, 0, 0, false, false, false), JOB_RESULT_SUCCESS);
        ASSERT_EQ(classify(CLD_EXITED, 3, 0, false, false, false), JOB_RESULT_EXIT_CODE);
        ASSERT_EQ(classify(CLD_KILLED, SIGTERM, 0, false, false, false), JOB_RESULT_SIGNAL);
        ASSERT_EQ(classify(CLD_DUMPED, SIGSEGV, 0, false, false, false), JOB_RESULT_CORE_DUMP);
        ASSERT_EQ(classify(CLD_KILLED, SIGSYS, 0, false, false, false), JOB_RESULT_SECCOMP);
        ASSERT_EQ(classify(CLD_KILLED, SIGKILL, 0, false, true, false), JOB_RESULT_KILLED);
        ASSERT_EQ(classify(CLD_KILLED, SIGKILL, 0, false, true, true), JOB_RESULT_OWNER_GONE);
        ASSERT_EQ(classify(CLD_KILLED, SIGKILL, 0, true, true, false), JOB_RESULT_TIMEOUT);

        /* The main process killed by the OOM killer. */
        ASSERT_EQ(classify(CLD_KILLED, SIGKILL, 1, false, false, false), JOB_RESULT_OOM_KILL);
        /* A child killed, the main process (sh -c 'dd …') exits 137 or 0: still oom-kill, as in
         * systemd. These read exit-code and success before. */
        ASSERT_EQ(classify(CLD_EXITED, 137, 1, false, false, false), JOB_RESULT_OOM_KILL);
        ASSERT_EQ(classify(CLD_EXITED, 0, 2, false, false, false), JOB_RESULT_OOM_KILL);
        /* RuntimeMaxUSec= said why first. */
        ASSERT_EQ(classify(CLD_KILLED, SIGKILL, 1, true, true, false), JOB_RESULT_TIMEOUT);
        return tap_finish();
}
