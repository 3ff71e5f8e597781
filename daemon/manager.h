/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "cgroup.h"
#include "daemon-config.h"
#include "netns-pool.h"
#include "seccomp-cache.h"

typedef struct Job Job;
typedef struct SpawnRequest SpawnRequest;
typedef struct Subscriber Subscriber;

typedef struct Manager {
        sd_event *event;
        sd_bus *bus;
        sd_bus_slot *manager_slot, *job_slot, *job_enumerator_slot;

        const char *exec_path;
        char **profile_dirs;    /* searched in order for Profile= */
        int devnull_fd;
        CgroupBase cgroup;
        DaemonConfig config;
        SeccompCache seccomp_cache;
        NetnsPool netns_pool;
        sd_event_source *trim_source;

        Job *jobs;             /* all jobs, newest first */
        unsigned n_jobs;       /* jobs starting or running */
        uint64_t last_job_id;

        SpawnRequest *requests; /* spawns waiting for polkit */
        unsigned n_requests;

        Subscriber *subscribers; /* Manager.Subscribe, active or waiting for polkit */
} Manager;

int manager_new(sd_event *event, sd_bus *bus, const char *exec_path, const char *cgroup_path,
                char * const *profile_dirs, const DaemonConfig *config, Manager **ret);
Manager *manager_free(Manager *m);

/* Once the last job object is gone, hands the heap's free pages back to the kernel, at idle priority. */
void manager_release_memory_when_idle(Manager *m);

Job *manager_find_job(Manager *m, uint64_t id);
unsigned manager_count_jobs_of(Manager *m, uid_t uid);

/* Sends SIGTERM to every job, then SIGKILL after a grace period; used on shutdown. */
void manager_stop_all_jobs(Manager *m);
