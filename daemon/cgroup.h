/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox-spec.h"

/* The job cgroups: one leaf per job under a base cgroup in the cgroup v2 hierarchy. */

typedef enum CgroupController {
        CGROUP_CONTROLLER_CPU = 1 << 0,
        CGROUP_CONTROLLER_MEMORY = 1 << 1,
        CGROUP_CONTROLLER_PIDS = 1 << 2,
        CGROUP_CONTROLLER_IO = 1 << 3,
} CgroupController;

typedef struct CgroupBase {
        int fd;               /* the base cgroup directory, or -EBADF without cgroup v2 */
        char *path;           /* absolute filesystem path of the base, for logs */
        char *relative;       /* the base's path in the cgroup2 hierarchy, as /proc/PID/cgroup shows it */
        unsigned controllers; /* CgroupController bits enabled for the job cgroups */
} CgroupBase;

/* Finds the cgroup2 mount and creates or opens the base. `requested` is a path relative to the
 * cgroup2 root; NULL picks our own cgroup when it was delegated to us, else "/confine".
 * Returns 0 with base->fd < 0 when no writable cgroup v2 exists: jobs are then tracked by pidfd only. */
int cgroup_base_open(const char *requested, CgroupBase *base);
void cgroup_base_close(CgroupBase *base);

/* Kills and removes leftover job cgroups of an earlier run. Returns how many were found. */
int cgroup_base_reap_stale(CgroupBase *base);

/* Creates and opens job-ID in the directory dir_fd: the base, or the cgroup of the job a nested
 * job runs inside. */
int cgroup_job_create(int dir_fd, uint64_t id, int *ret_fd);
int cgroup_job_kill(int job_fd);
/* Sends sig to every process listed in the job cgroup's cgroup.procs but skip (the main process,
 * which the caller reaches by its pidfd). */
int cgroup_job_signal(int job_fd, int sig, pid_t skip);
/* Removes the cgroup job-ID of dir_fd; -EBUSY while processes (or nested jobs' cgroups) are still
 * leaving it. */
int cgroup_job_remove(int dir_fd, uint64_t id);

/* The ids of the job cgroups a process is in, outermost first, from /proc/PID/cgroup: "job-3"
 * and "job-3/job-9" below the base give {3} and {3, 9}. Components below that are not job-ID stop
 * the walk. Returns the number of ids (0: not in a job), or a negative errno. */
int cgroup_pid_job_ids(const CgroupBase *base, pid_t pid, uint64_t *ret_ids, size_t max_ids);
bool cgroup_job_is_populated(int job_fd);

int cgroup_job_cpu_usage_nsec(int job_fd, uint64_t *ret);
/* Writes the spec's cgroup limits and weights (memory.*, pids.max, cpu.*, io.weight) that differ
 * from the kernel's own; on failure *ret_failed names the property. */
int cgroup_job_set_limits(int job_fd, const SandboxSpec *spec, const char **ret_failed);

/* IOAccounting=: io.stat summed over the devices. */
typedef struct CgroupIOStat {
        uint64_t read_bytes, write_bytes, read_operations, write_operations;
} CgroupIOStat;
int cgroup_job_io_stat(int job_fd, CgroupIOStat *ret);
/* The oom_kill count of memory.events, 0 where the memory controller is off. */
uint64_t cgroup_job_oom_kills(int job_fd);
int cgroup_job_memory_peak(int job_fd, uint64_t *ret);
