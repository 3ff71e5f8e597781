/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The job model: one sandboxed command from its start to its removal. It knows no D-Bus. The
 * bus side (bus-job.c) drives it through the functions below and hears of its events through the
 * JobObserver that the Manager holds: calls run bus → model, and the observer is the only way
 * back. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

#include "bpf-firewall.h"
#include "dynamic-user.h"
#include "job-failure.h"
#include "manager.h"
#include "sandbox-spec.h"

/* The flags of a spawn request (Manager.Spawn's third argument). */
#define SPAWN_FLAG_KILL_ON_DISCONNECT UINT64_C(1) /* the job is killed when its owner goes away */
#define SPAWN_FLAG_CAPTURE_OUTPUT UINT64_C(2)     /* "pipe": stdio through the daemon */
#define SPAWN_FLAG_TERMINAL UINT64_C(4)           /* a new pseudo-terminal as stdio */
#define SPAWN_FLAG_LEARN UINT64_C(8)              /* record the job's system calls (learn mode) */
#define SPAWN_FLAGS_ALL (SPAWN_FLAG_KILL_ON_DISCONNECT | SPAWN_FLAG_CAPTURE_OUTPUT | SPAWN_FLAG_TERMINAL | \
                         SPAWN_FLAG_LEARN)

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

/* How a job ended, as far as its result depends on it. */
typedef struct JobExit {
        int code;               /* siginfo si_code of the main process: CLD_EXITED, CLD_KILLED, CLD_DUMPED */
        int status;             /* its exit status or signal */
        uint64_t oom_kills;     /* the cgroup's memory.events oom_kill count over the job's life */
        bool timed_out;         /* RuntimeMaxUSec= killed it */
        bool kill_requested;    /* Kill() */
        bool owner_gone;        /* flag 1 killed it */
} JobExit;

/* The Result of a job, as systemd gives a service's: an OOM kill anywhere in the job's cgroup
 * is oom-kill, whatever the main process then did. Pure. */
JobResult job_result_classify(const JobExit *e);

typedef enum JobStream {
        JOB_STREAM_STDOUT,
        JOB_STREAM_STDERR,
        _JOB_STREAM_MAX,
} JobStream;

const char *job_stream_to_string(JobStream s);

typedef struct JobStdio JobStdio;
typedef struct JobLearn JobLearn;

/* What a job tells its observer. Most calls come from the event loop; some come from inside a
 * call into the model (job_owner_gone() ends a flag 2 job's output, and may finish the job).
 * The observer never frees the job. */
typedef struct JobObserver {
        /* The command has been exec'd: the job is running and may be shown. */
        void (*started)(Job *j);
        /* Setup failed before exec. The job is freed right after. */
        void (*start_failed)(Job *j, const JobFailure *failure);
        /* Flag 2: a chunk of the job's stdout or stderr; size 0 is the stream's end. to_owner:
         * the owner is still reading. Returns < 0 if it could not go to the owner. */
        int (*output)(Job *j, JobStream stream, const void *data, size_t size, bool to_owner);
        /* Flag 2: the write that job_stdio_write_input() left pending is done (error 0), or
         * stdin closed before all of it was in (a negative errno, why in words). */
        void (*input_written)(Job *j, int error, const char *why);
        /* Flag 2: a close that job_stdio_close_input() deferred has happened. */
        void (*input_closed)(Job *j);
        /* The job has exited and its output is all out: its result is final. */
        void (*exited)(Job *j);
        /* The job object goes away; observer_data must be released. */
        void (*freed)(Job *j);
} JobObserver;

struct Job {
        Manager *manager;
        uint64_t id;

        uid_t owner_uid;
        uint64_t flags;
        uint64_t parent_id;     /* the job this one was spawned from inside, 0 for none */

        SandboxSpec *spec;
        DynamicUser dynamic_user;   /* DynamicUser=: the uid it holds, uid -1 when none */

        JobState state;
        bool published;         /* exec succeeded: the job may be shown */
        bool counted;           /* in NJobs and the quotas: starting or running */
        Job *counted_next, *counted_prev; /* Manager.counted_jobs, while counted */
        JobResult result;
        int exit_status;

        pid_t pid;
        int pidfd;
        JobLearn *learn;        /* flag 8: the seccomp listener and what it recorded */
        int cgroup_fd;
        int cgroup_dir_fd;      /* a nested job's: its parent's cgroup, which holds its own */
        int bpf_devices_fd;     /* DeviceAllow=/DevicePolicy=: the program attached to the cgroup */
        uint64_t restrict_fs_cgroup_id; /* RestrictFileSystems=: the cgroup the LSM program's maps name, or 0 */
        IPFirewall ip_firewall; /* IPAddressAllow=/IPAddressDeny=/IPAccounting=: the skb programs, their maps */
        int status_fd;
        int terminal_fd;        /* flag 4: the pty master, for GetTerminal() */
        bool terminal_taken;    /* GetTerminal() has handed it out */
        sd_event_source *pidfd_source, *status_source, *cleanup_source, *runtime_source;
        sd_event_source *stop_source;   /* TimeoutStopUSec= of a stop under way */
        unsigned cgroup_remove_attempts;

        JobStdio *stdio;        /* flag 2 */
        void *observer_data;    /* the observer's, opaque to the model */

        uint64_t start_timestamp, exit_timestamp;
        uint64_t cpu_usage_nsec, memory_peak;
        IPCounters ip_counters; /* IPAccounting=: final once exited; UINT64_MAX without it */
        CgroupIOStat io;        /* IOAccounting=: final once exited; UINT64_MAX each without it */
        bool kill_requested, owner_gone, timed_out;
        bool reaped;            /* the main process is gone; flag 2 output may still be on its way */
        struct JobSpawn *spawn; /* its clone is queued or under way (spawner.h): no pid yet */
        int pending_kill;       /* a signal for it once it is cloned */
        bool pending_stop;      /* job_stop() asked for before it was cloned */

        Job *next, *prev;
};

/* Starts a job for owner_uid, taking the spec. With a parent (a running job the request came from
 * inside), the job joins the parent's namespaces, runs under its seccomp filters as well as its
 * own, and its cgroup is below the parent's. On success the job is in the manager's list in
 * state "starting", carries observer_data, and the observer hears started() or start_failed()
 * once confine-exec has exec'd the target or failed. On failure nothing is left behind: the
 * error is returned and described in ret_failure. */
int job_start(Manager *m, SandboxSpec *spec, uid_t owner_uid, uint64_t flags, Job *parent, void *observer_data,
              Job **ret, JobFailure *ret_failure);
Job *job_free(Job *j);

/* Signals the job and the jobs nested in it. */
int job_kill(Job *j, int sig);
/* Stops the job as systemd stops a unit: KillSignal= to whom KillMode= names (and SIGCONT after it),
 * then, if it still runs after TimeoutStopUSec= and SendSIGKILL=yes, FinalKillSignal=. Jobs nested in
 * it are stopped first, each by its own settings. Kill() with the job's KillSignal=, RuntimeMaxUSec=
 * and the daemon's own stop use it. */
int job_stop(Job *j);
/* Whether the job's main process runs: a request from inside it may be a nested job. */
bool job_is_running(const Job *j);
/* The owner went away: a flag 1 job is killed, a flag 2 job's output stops going to it. May
 * finish, and so free, the job. */
void job_owner_gone(Job *j);
/* The job has exited and its output (flag 2) is all sent: the observer hears exited(). */
void job_finish(Job *j);

/* Live values while the job runs (from its cgroup where it has one), the final ones after. */
uint64_t job_cpu_usage_nsec(const Job *j);
uint64_t job_memory_peak(const Job *j);
/* IPAccounting=: live while the job runs, final once exited; all UINT64_MAX without it, as in systemd. */
IPCounters job_ip_counters(const Job *j);
/* IOAccounting=: the job's I/O so far (final once exited), each UINT64_MAX without it, as systemd's
 * IOReadBytes= and the rest. */
CgroupIOStat job_io_stat(const Job *j);
