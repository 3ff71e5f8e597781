/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The daemon's state: its jobs, quotas, cgroup base and caches. No D-Bus: the bus side
 * (bus-context.c) holds a Manager and is its jobs' observer. */

#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

#include "bpf-restrict-fs.h"
#include "cgroup.h"
#include "daemon-config.h"
#include "netns-pool.h"
#include "path-check.h"
#include "seccomp-cache.h"
#include "spawner.h"

typedef struct Job Job;
typedef struct JobObserver JobObserver;

typedef struct Manager {
        sd_event *event;

        const char *exec_path;
        char **profile_dirs;    /* searched in order for Profile= */
        int devnull_fd;
        CgroupBase cgroup;
        RestrictFs restrict_fs; /* RestrictFileSystems=, loaded when first asked for */
        DaemonConfig config;
        SeccompCache seccomp_cache;
        NetnsPool netns_pool;
        Spawner spawner;
        sd_event_source *trim_source;

        Job *jobs;             /* all jobs, newest first */
        PathCheck *path_checks; /* Analyze's look-ups of caller paths, while their children live */
        unsigned n_jobs;       /* jobs starting or running */
        Job *counted_jobs;     /* those n_jobs: the quotas count them on every Spawn */
        uint64_t last_job_id;
        uint32_t dynamic_user_cursor; /* DynamicUser=: where the next search for a free uid starts */

        const JobObserver *observer; /* hears every job's events */
} Manager;

int manager_new(sd_event *event, const char *exec_path, const char *cgroup_path, char * const *profile_dirs,
                const DaemonConfig *config, Manager **ret);
Manager *manager_free(Manager *m);

void manager_set_observer(Manager *m, const JobObserver *observer);

/* Once the last job object is gone, hands the heap's free pages back to the kernel, at idle priority. */
void manager_release_memory_when_idle(Manager *m);

Job *manager_find_job(Manager *m, uint64_t id);
/* The job a process runs in, found by its cgroup: 1 with *ret the innermost job (a nested job's
 * cgroup is in its parent's, and each step of that chain is checked against the jobs' own
 * parents), 0 if the process is in no job's cgroup, -ESRCH if it is in the cgroup of a job that
 * is gone or not running: a request from there must not be served as if it came from outside. */
int manager_find_job_of_pid(Manager *m, pid_t pid, Job **ret);
unsigned manager_count_jobs_of(Manager *m, uid_t uid);

/* Sends SIGTERM to every job, then SIGKILL after a grace period; used on shutdown. */
void manager_stop_all_jobs(Manager *m);
