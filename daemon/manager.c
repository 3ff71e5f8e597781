/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>

#include "job.h"
#include "log.h"
#include "manager.h"
#include "strv.h"

/* A burst of jobs leaves megabytes of freed heap that glibc keeps mapped (it returns only the top of
 * the heap, and only past M_TRIM_THRESHOLD); malloc_trim() also gives back the free pages in between. */
static int on_trim(sd_event_source *s, void *userdata) {
        (void) malloc_trim(0);
        return 0;
}

void manager_release_memory_when_idle(Manager *m) {
        if (m->trim_source)
                (void) sd_event_source_set_enabled(m->trim_source, SD_EVENT_ONESHOT);
}

int manager_new(sd_event *event, const char *exec_path, const char *cgroup_path, char * const *profile_dirs,
                const DaemonConfig *config, Manager **ret) {
        Manager *m;
        int r;

        m = calloc(1, sizeof(Manager));
        if (!m)
                return -ENOMEM;
        m->event = sd_event_ref(event);
        m->exec_path = exec_path;
        m->profile_dirs = strv_copy(profile_dirs);
        if (!m->profile_dirs) {
                free(m);
                return -ENOMEM;
        }
        m->config = *config;
        m->config.default_properties = strv_copy(config->default_properties);
        if (config->default_properties && !m->config.default_properties) {
                strv_free(m->profile_dirs);
                free(m);
                return -ENOMEM;
        }
        m->cgroup.fd = -EBADF;
        m->restrict_fs = RESTRICT_FS_INIT;
        m->netns_pool.home_fd = -EBADF;

        m->devnull_fd = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (m->devnull_fd < 0) {
                r = log_error_errno(errno, "Cannot open /dev/null: %m");
                goto fail;
        }

        r = cgroup_base_open(cgroup_path, &m->cgroup);
        if (r < 0)
                goto fail;
        r = cgroup_base_reap_stale(&m->cgroup);
        if (r > 0)
                log_warning("Killed the leftovers of %d job(s) of an earlier run.", r);

        r = netns_pool_init(&m->netns_pool);
        if (r < 0)
                goto fail;
        r = spawner_init(&m->spawner, event);
        if (r < 0)
                goto fail;
        r = sd_event_add_defer(event, &m->trim_source, on_trim, m);
        if (r >= 0)
                r = sd_event_source_set_priority(m->trim_source, SD_EVENT_PRIORITY_IDLE);
        if (r >= 0)
                r = sd_event_source_set_enabled(m->trim_source, SD_EVENT_OFF);
        if (r < 0)
                goto fail;

        *ret = m;
        return 0;
fail:
        manager_free(m);
        return r;
}

Manager *manager_free(Manager *m) {
        if (!m)
                return NULL;
        /* First: a clone under way uses the jobs' fds; done, the jobs have their processes to kill. */
        spawner_done(&m->spawner);
        while (m->jobs)
                job_free(m->jobs);
        path_checks_kill_all(&m->path_checks);
        cgroup_base_close(&m->cgroup);
        restrict_fs_close(&m->restrict_fs);
        safe_close(m->devnull_fd);
        sd_event_source_disable_unref(m->trim_source);
        seccomp_cache_done(&m->seccomp_cache);
        netns_pool_done(&m->netns_pool);
        strv_free(m->profile_dirs);
        daemon_config_done(&m->config);
        sd_event_unref(m->event);
        free(m);
        return NULL;
}

void manager_set_observer(Manager *m, const JobObserver *observer) {
        m->observer = observer;
}

Job *manager_find_job(Manager *m, uint64_t id) {
        for (Job *j = m->jobs; j; j = j->next)
                if (j->id == id)
                        return j;
        return NULL;
}

/* Deeper than any nesting a request could reach: each level is a running job. */
#define NESTING_MAX 32

int manager_find_job_of_pid(Manager *m, pid_t pid, Job **ret) {
        uint64_t ids[NESTING_MAX];
        Job *found = NULL;
        int n;

        n = cgroup_pid_job_ids(&m->cgroup, pid, ids, ELEMENTSOF(ids));
        if (n <= 0)
                return n;
        /* Only the chain of cgroups that confined made counts: a job that made cgroups of its own
         * below its cgroup (root with ProtectControlGroups=no could) is still that job. */
        for (int i = 0; i < n; i++) {
                Job *j = manager_find_job(m, ids[i]);
                if (!j || j->parent_id != (found ? found->id : 0))
                        break;
                found = j;
        }
        if (!found || !job_is_running(found))
                return -ESRCH;
        *ret = found;
        return 1;
}

/* Over the jobs starting or running only (at most MaxJobsTotal), not the exited ones that are
 * kept for KeepExitedSec: at a thousand jobs a second those are tens of thousands. */
unsigned manager_count_jobs_of(Manager *m, uid_t uid) {
        unsigned n = 0;
        for (Job *j = m->counted_jobs; j; j = j->counted_next)
                if (j->owner_uid == uid)
                        n++;
        return n;
}

void manager_stop_all_jobs(Manager *m) {
        unsigned running = 0;

        for (Job *j = m->jobs; j; j = j->next)
                if (j->state != JOB_EXITED && (j->pidfd >= 0 || j->spawn)) {
                        (void) job_stop(j);
                        running++;
                }
        if (running > 0)
                log_info("Stopping %u job(s).", running);
}
