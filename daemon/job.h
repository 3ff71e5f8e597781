/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "exec-status.h"
#include "job-stdio.h"
#include "manager.h"
#include "sandbox-spec.h"

typedef enum JobState {
        JOB_STARTING,
        JOB_RUNNING,
        JOB_EXITED,
        _JOB_STATE_MAX,
} JobState;

typedef enum JobResult {
        JOB_RESULT_SUCCESS,
        JOB_RESULT_EXIT_CODE,
        JOB_RESULT_SIGNAL,
        JOB_RESULT_CORE_DUMP,
        JOB_RESULT_TIMEOUT,
        JOB_RESULT_OOM_KILL,
        JOB_RESULT_KILLED,
        JOB_RESULT_OWNER_GONE,
        JOB_RESULT_SECCOMP,
        _JOB_RESULT_MAX,
} JobResult;

const char *job_state_to_string(JobState s);
const char *job_result_to_string(JobResult r);

struct Job {
        Manager *manager;
        uint64_t id;
        char *object_path;

        uid_t owner_uid;
        char *owner_name;       /* unique bus name of the caller; signals go there */
        uint64_t flags;

        SandboxSpec *spec;

        JobState state;
        bool published;         /* exec succeeded: the object is on the bus */
        bool counted;           /* in NJobs and the quotas: starting or running */
        JobResult result;
        int exit_status;

        pid_t pid;
        int pidfd;
        int cgroup_fd;
        int bpf_devices_fd;     /* DeviceAllow=/DevicePolicy=: the program attached to the cgroup */
        int status_fd;
        int terminal_fd;        /* flag 4: the pty master, for GetTerminal() */
        sd_event_source *pidfd_source, *status_source, *cleanup_source, *runtime_source;
        unsigned cgroup_remove_attempts;

        sd_bus_message *spawn_message;  /* answered once exec succeeds or fails */
        sd_bus_message **waiters;
        size_t n_waiters;
        sd_bus_track *owner_track;      /* flags 1 and 2 */
        JobStdio *stdio;                /* flag 2 */

        uint64_t start_timestamp, exit_timestamp;
        uint64_t cpu_usage_nsec, memory_peak;
        bool kill_requested, owner_gone, timed_out;
        bool reaped;            /* the main process is gone; flag 2 output may still be on its way */

        Job *next, *prev;
};

/* Starts the job. On success the job is in the manager's list in state "starting", and the
 * Spawn reply is sent once confine-exec has exec'd the target or failed. Takes the spec. */
int job_start(Manager *m, SandboxSpec *spec, uid_t owner_uid, sd_bus_message *spawn_message,
              uint64_t flags, sd_bus_error *error);
Job *job_free(Job *j);

int job_kill(Job *j, int sig);
/* The job has exited and its output (flag 2) is all sent: State exited, Exited, JobRemoved, Wait
 * replies. May free the job. */
void job_finish(Job *j);
int job_add_waiter(Job *j, sd_bus_message *m);
