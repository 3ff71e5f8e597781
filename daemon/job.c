/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf-devices.h"
#include "exec-status.h"
#include "directory-clean.h"
#include "strv.h"
#include "ipc-clean.h"
#include "job.h"
#include "job-learn.h"
#include "job-nesting.h"
#include "job-stdio.h"
#include "job-terminal.h"
#include "list.h"
#include "log.h"
#include "parse-util.h"
#include "spawn.h"
#include "spawner.h"
#include "spec-serialize.h"

/* The journal fields of a line about job j: its id, its owner's uid, and result (or NULL). */
#define JOB_FIELDS(j, res) \
        (LogFields) { .job_id = (j)->id, .has_uid = true, .uid = (j)->owner_uid, .result = (res) }

#define CGROUP_REMOVE_RETRY_USEC (10 * UINT64_C(1000))
#define CGROUP_REMOVE_ATTEMPTS 500

static const char *const job_state_table[_JOB_STATE_MAX] = {
        [JOB_STARTING] = "starting",
        [JOB_RUNNING] = "running",
        [JOB_EXITED] = "exited",
};

const char *job_state_to_string(JobState s) {
        return s >= 0 && s < _JOB_STATE_MAX ? job_state_table[s] : NULL;
}

static const char *const job_result_table[_JOB_RESULT_MAX] = {
        [JOB_RESULT_SUCCESS] = "success",
        [JOB_RESULT_EXIT_CODE] = "exit-code",
        [JOB_RESULT_SIGNAL] = "signal",
        [JOB_RESULT_CORE_DUMP] = "core-dump",
        [JOB_RESULT_TIMEOUT] = "timeout",
        [JOB_RESULT_OOM_KILL] = "oom-kill",
        [JOB_RESULT_KILLED] = "killed",
        [JOB_RESULT_OWNER_GONE] = "owner-gone",
        [JOB_RESULT_SECCOMP] = "seccomp",
};

const char *job_result_to_string(JobResult r) {
        return r >= 0 && r < _JOB_RESULT_MAX ? job_result_table[r] : NULL;
}

static const char *const job_stream_table[_JOB_STREAM_MAX] = {
        [JOB_STREAM_STDOUT] = "stdout",
        [JOB_STREAM_STDERR] = "stderr",
};

const char *job_stream_to_string(JobStream s) {
        return s >= 0 && s < _JOB_STREAM_MAX ? job_stream_table[s] : NULL;
}

/* With no observer (the bus side is gone, at shutdown) nobody listens: a no-op. */
#define NOTIFY(j, event, ...)                                                   \
        do {                                                                    \
                const JobObserver *_o = (j)->manager->observer;                 \
                if (_o)                                                         \
                        _o->event((j), ##__VA_ARGS__);                          \
        } while (false)

static uint64_t now_realtime_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

static void job_unlink(Job *j) {
        LIST_REMOVE(j->manager->jobs, j);
}

/* A job's clone on the spawner thread (spawner.h): the order, with the fds it owns until then. */
typedef struct JobSpawn {
        SpawnOrder order;
        Job *job;
        int owned[5];           /* spec memfd, (the status pipe's write end: the order's), netns, pidns,
                                 * the parent's pidfd */
        int extra[];            /* the extra fds' numbers, which SpawnFds points to */
} JobSpawn;

/* Leaves NJobs and the quotas: when the job exits, and as soon as its start has failed. */
static void job_uncount(Job *j) {
        Manager *m = j->manager;

        if (!j->counted)
                return;
        j->counted = false;
        m->n_jobs--;
        if (j->counted_prev)
                j->counted_prev->counted_next = j->counted_next;
        else if (m->counted_jobs == j)
                m->counted_jobs = j->counted_next;
        if (j->counted_next)
                j->counted_next->counted_prev = j->counted_prev;
        j->counted_next = j->counted_prev = NULL;
}

/* The directory that holds the job's cgroup. */
static int job_cgroup_dir(const Job *j) {
        return j->cgroup_dir_fd >= 0 ? j->cgroup_dir_fd : j->manager->cgroup.fd;
}

Job *job_free(Job *j) {
        if (!j)
                return NULL;

        job_unlink(j);
        job_uncount(j);
        /* No path frees a job whose clone is queued (manager_free() waits for the spawner first);
         * should one, on_job_spawned() kills what the clone made rather than touch a freed job. */
        if (j->spawn)
                j->spawn->job = NULL;

        sd_event_source_disable_unref(j->pidfd_source);
        sd_event_source_disable_unref(j->status_source);
        sd_event_source_disable_unref(j->cleanup_source);
        sd_event_source_disable_unref(j->runtime_source);
        sd_event_source_disable_unref(j->stop_source);
        job_stdio_free(j->stdio);
        /* Closing the listener first: a call still waiting for it fails instead of waiting on. */
        job_learn_free(j->learn);

        /* Never leave a process behind, nor a zombie. */
        if (j->pidfd >= 0) {
                siginfo_t si = {};
                if (j->cgroup_fd >= 0)
                        (void) cgroup_job_kill(j->cgroup_fd);
                (void) syscall(SYS_pidfd_send_signal, j->pidfd, SIGKILL, NULL, 0);
                (void) waitid(P_PIDFD, (id_t) j->pidfd, &si, WEXITED);
        }
        safe_close(j->pidfd);
        dynamic_user_release(DYNAMIC_USER_REGISTRY, &j->dynamic_user);
        safe_close(j->status_fd);
        safe_close(j->terminal_fd);
        safe_close(j->bpf_devices_fd);
        restrict_fs_remove(&j->manager->restrict_fs, j->restrict_fs_cgroup_id, j->spec);
        ip_firewall_close(&j->ip_firewall);
        if (j->cgroup_fd >= 0) {
                /* Only on paths that end a job abruptly (shutdown, a failed start): what was killed
                 * leaves the cgroup within milliseconds; bounded, so that a stuck process cannot
                 * block the daemon. */
                for (int i = 0; i < 200 && cgroup_job_is_populated(j->cgroup_fd); i++)
                        usleep(5000);
                safe_close(j->cgroup_fd);
                (void) cgroup_job_remove(job_cgroup_dir(j), j->id);
        }
        safe_close(j->cgroup_dir_fd);

        /* The observer answers whatever it still holds for the job (a Spawn that waits for exec). */
        if (j->observer_data)
                NOTIFY(j, freed);

        Manager *m = j->manager;
        sandbox_spec_free(j->spec);
        free(j);
        if (!m->jobs)
                manager_release_memory_when_idle(m);
        return NULL;
}

static int on_cleanup_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        job_free(userdata);
        return 0;
}

static int schedule_cleanup(Job *j, uint64_t delay_usec) {
        j->cleanup_source = sd_event_source_disable_unref(j->cleanup_source);
        return sd_event_add_time_relative(j->manager->event, &j->cleanup_source, CLOCK_MONOTONIC,
                                          delay_usec, 0, on_cleanup_timer, j);
}

/* Processes linger briefly after cgroup.kill, and a nested job's cgroup goes only after its own
 * exit is handled; the removal is retried until the cgroup is empty. It may outlive the job. */
typedef struct CgroupRemoval {
        Manager *manager;       /* the timer ends with the event loop, before the manager */
        int nested_dir_fd;      /* owned: a nested job's parent cgroup; -EBADF: the base */
        uint64_t id;
        unsigned attempts;
} CgroupRemoval;

static void cgroup_removal_free(void *userdata) {
        CgroupRemoval *c = userdata;
        safe_close(c->nested_dir_fd);
        free(c);
}

static int on_cgroup_remove_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        CgroupRemoval *c = userdata;
        int r;

        r = cgroup_job_remove(c->nested_dir_fd >= 0 ? c->nested_dir_fd : c->manager->cgroup.fd, c->id);
        if (r == -EBUSY && ++c->attempts < CGROUP_REMOVE_ATTEMPTS)
                return sd_event_source_set_time_relative(s, CGROUP_REMOVE_RETRY_USEC);
        if (r < 0)
                log_warning_errno(r, "job %" PRIu64 ": cannot remove cgroup: %m", c->id);
        (void) sd_event_source_set_enabled(s, SD_EVENT_OFF);
        return 0;
}

static void job_release_cgroup(Job *j) {
        sd_event_source *s = NULL;
        int r;

        if (j->cgroup_fd < 0)
                return;
        (void) cgroup_job_kill(j->cgroup_fd);
        j->cgroup_fd = safe_close(j->cgroup_fd);
        /* The attachment holds the program until the cgroup is gone; our reference can go now. */
        j->bpf_devices_fd = safe_close(j->bpf_devices_fd);
        restrict_fs_remove(&j->manager->restrict_fs, j->restrict_fs_cgroup_id, j->spec);
        j->restrict_fs_cgroup_id = 0;
        ip_firewall_close(&j->ip_firewall);

        r = cgroup_job_remove(job_cgroup_dir(j), j->id);
        if (r != -EBUSY)
                return;
        CgroupRemoval *c = malloc(sizeof *c);
        if (!c)
                return;
        *c = (CgroupRemoval) { .manager = j->manager, .nested_dir_fd = TAKE_FD(j->cgroup_dir_fd), .id = j->id };
        /* Floating: the retry timer owns itself and ends with the event loop. */
        r = sd_event_add_time_relative(j->manager->event, &s, CLOCK_MONOTONIC, CGROUP_REMOVE_RETRY_USEC,
                                       0, on_cgroup_remove_timer, c);
        if (r < 0) {
                sd_event_source_disable_unref(s);
                cgroup_removal_free(c);
                return;
        }
        (void) sd_event_source_set_floating(s, true);
        (void) sd_event_source_set_destroy_callback(s, cgroup_removal_free);
        sd_event_source_unref(s);
}

static void job_publish(Job *j) {
        int r;

        j->state = JOB_RUNNING;
        j->published = true;
        log_job(LOG_INFO, &JOB_FIELDS(j, NULL), "job %" PRIu64 ": started, pid %d, uid %u.", j->id, (int) j->pid,
                (unsigned) j->spec->uid);
        NOTIFY(j, started);
        if (j->stdio) {
                r = job_stdio_start(j->stdio);
                if (r < 0) {
                        log_error_errno(r, "job %" PRIu64 ": cannot read its output, killing it: %m", j->id);
                        (void) job_kill(j, SIGKILL);
                }
        }
}

static void job_fail_start(Job *j, const ExecStatus *st) {
        JobFailure f;

        (void) job_failure_set(&f, JOB_FAILURE_SETUP, exec_step_to_string(st->step), st->error, NULL, "%.*s",
                               (int) sizeof st->detail, st->detail);
        job_failure_property_from_detail(&f);
        log_job(LOG_INFO, &JOB_FIELDS(j, "setup-failed"), "job %" PRIu64 ": setup failed at %s %s: %s", j->id, f.step,
                f.detail, strerror(f.error));
        /* Before the answer: a caller that reads NJobs next must not see this job. */
        job_uncount(j);
        NOTIFY(j, start_failed, &f);
}

/* The process that holds a learning job's listener at fd number fd: the one confined cloned, or with
 * PrivatePIDs= the job inside its namespace, two forks below it. That one is found among the
 * processes of the job's cgroup (none of them runs the job's code yet: they wait in execve() or
 * are confine-exec) by the listener at fd; each candidate is pinned with a pidfd and then checked
 * to be in this job's cgroup, so that a reused pid cannot point elsewhere. */
static int job_learn_target(Job *j, int fd, int *ret_pidfd) {
        _cleanup_close_ int procs = -EBADF;
        char buf[4096], *p;
        ssize_t k;

        if (!j->spec->private_pids) {
                *ret_pidfd = fcntl(j->pidfd, F_DUPFD_CLOEXEC, 3);
                return *ret_pidfd < 0 ? -errno : 0;
        }
        if (j->cgroup_fd < 0)
                return -EOPNOTSUPP;
        procs = openat(j->cgroup_fd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
        if (procs < 0)
                return -errno;
        k = read(procs, buf, sizeof buf - 1);
        if (k < 0)
                return -errno;
        buf[k] = 0;
        for (p = buf; *p;) {
                pid_t pid = (pid_t) strtol(p, &p, 10);
                char link[64], target[64];
                uint64_t ids[32];
                int pidfd, n;
                ssize_t l;

                while (*p == '\n')
                        p++;
                if (pid <= 0)
                        break;
                pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
                if (pidfd < 0)
                        continue;
                n = cgroup_pid_job_ids(&j->manager->cgroup, pid, ids, ELEMENTSOF(ids));
                snprintf(link, sizeof link, "/proc/%d/fd/%d", (int) pid, fd);
                l = readlink(link, target, sizeof target - 1);
                if (n > 0 && ids[n - 1] == j->id && l > 0 && (target[l] = 0, streq(target, "anon_inode:seccomp notify"))) {
                        *ret_pidfd = pidfd;
                        return 0;
                }
                safe_close(pidfd);
        }
        return -ESRCH;
}

/* Learn mode: take the listener; failing that, the start fails, naming the step. */
static void job_learn_start(Job *j, int fd) {
        _cleanup_close_ int pidfd = -EBADF;
        ExecStatus st;
        int r;

        r = job_learn_target(j, fd, &pidfd);
        if (r >= 0)
                r = job_learn_attach(j->manager->event, pidfd, fd, &j->learn);
        if (r >= 0)
                return;
        log_error_errno(r, "job %" PRIu64 ": cannot take its seccomp listener: %m", j->id);
        (void) syscall(SYS_pidfd_send_signal, j->pidfd, SIGKILL, NULL, 0);
        if (j->cgroup_fd >= 0)
                (void) cgroup_job_kill(j->cgroup_fd);
        j->status_source = sd_event_source_disable_unref(j->status_source);
        j->status_fd = safe_close(j->status_fd);
        st = (ExecStatus) { .step = EXEC_STEP_SECCOMP, .error = -r };
        snprintf(st.detail, sizeof st.detail, "learn mode: take the job's seccomp listener");
        job_fail_start(j, &st);
}

/* Reads the status pipe: a record means setup failed, EOF means execve() succeeded.
 * Returns 1 when the outcome is known. */
static int job_read_status(Job *j) {
        ExecStatus st;
        ssize_t n;

        if (j->status_fd < 0)
                return 1;
        n = read(j->status_fd, &st, sizeof st);
        if (n < 0)
                return errno == EAGAIN || errno == EINTR ? 0 : -errno;

        /* Learn mode: not an outcome, but where the job's seccomp listener is. Its execve() waits for
         * the answer. A job that was not asked to learn cannot make confined take an fd. */
        if ((size_t) n == sizeof st && st.step == EXEC_STATUS_LEARN_LISTENER && j->spec->learn_syscalls && !j->learn) {
                job_learn_start(j, st.error);
                return j->status_fd < 0 ? 1 : 0;
        }

        j->status_source = sd_event_source_disable_unref(j->status_source);
        j->status_fd = safe_close(j->status_fd);

        if (n == 0)
                job_publish(j);
        else {
                if ((size_t) n != sizeof st) {
                        st = (ExecStatus) { .step = EXEC_STEP_SPEC, .error = EPROTO };
                        snprintf(st.detail, sizeof st.detail, "short status record");
                }
                job_fail_start(j, &st);
        }
        return 1;
}

static int on_status_readable(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Job *j = userdata;
        int r = job_read_status(j);
        if (r < 0)
                log_warning_errno(r, "job %" PRIu64 ": cannot read status pipe: %m", j->id);
        return 0;
}

static void job_collect_usage(Job *j, const struct rusage *ru) {
        if (j->cgroup_fd < 0 || cgroup_job_cpu_usage_nsec(j->cgroup_fd, &j->cpu_usage_nsec) < 0)
                j->cpu_usage_nsec = ((uint64_t) ru->ru_utime.tv_sec + (uint64_t) ru->ru_stime.tv_sec) * 1000000000 +
                                    ((uint64_t) ru->ru_utime.tv_usec + (uint64_t) ru->ru_stime.tv_usec) * 1000;
        if (j->cgroup_fd < 0 || cgroup_job_memory_peak(j->cgroup_fd, &j->memory_peak) < 0)
                j->memory_peak = (uint64_t) ru->ru_maxrss * 1024;
        (void) ip_firewall_read_counters(&j->ip_firewall, &j->ip_counters);
        j->io = job_io_stat(j);
}

/* RemoveIPC=: as in systemd, only with User= or Group=, and never for root. What is left of the job is
 * killed first, and given a moment to go (bounded, as in job_free()), so that it does not count as a
 * process that still runs as the user. */
static void job_remove_ipc(Job *j) {
        int n;

        if (!j->spec->user && !j->spec->group && !j->spec->dynamic_user)
                return;
        if (j->cgroup_fd >= 0) {
                (void) cgroup_job_kill(j->cgroup_fd);
                for (int i = 0; i < 200 && cgroup_job_is_populated(j->cgroup_fd); i++)
                        usleep(5000);
        }
        n = ipc_clean(j->spec->uid, j->spec->group || j->spec->dynamic_user ? j->spec->gid : (gid_t) -1);
        if (n > 0)
                log_info("job %" PRIu64 ": RemoveIPC: removed %d IPC objects of uid %u.", j->id, n,
                         (unsigned) j->spec->uid);
}

static int on_pidfd_readable(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Job *j = userdata;
        struct rusage ru = {};
        siginfo_t si = {};
        uint64_t oom_kills;

        /* glibc's waitid() has no rusage argument; the system call has. */
        if (syscall(SYS_waitid, P_PIDFD, j->pidfd, &si, WEXITED | WNOHANG, &ru) < 0) {
                log_error_errno(errno, "job %" PRIu64 ": waitid: %m", j->id);
                return 0;
        }
        if (si.si_pid == 0)
                return 0;

        j->pidfd_source = sd_event_source_disable_unref(j->pidfd_source);
        j->pidfd = safe_close(j->pidfd);

        /* The pipe is at EOF or holds its record now that the process is gone. */
        if (j->state == JOB_STARTING)
                (void) job_read_status(j);

        if (!j->published) {
                /* Setup failed: the caller got SpawnFailed; nothing was ever visible. */
                job_release_cgroup(j);
                (void) runtime_directories_remove(j->spec);
                job_free(j);
                return 0;
        }

        job_collect_usage(j, &ru);
        oom_kills = j->cgroup_fd >= 0 ? cgroup_job_oom_kills(j->cgroup_fd) : 0;
        if (j->spec->remove_ipc)
                job_remove_ipc(j);
        /* Kills what is left of the job, so that its output pipes reach EOF. */
        job_release_cgroup(j);
        (void) runtime_directories_remove(j->spec);
        /* RemoveIPC= (implied) has waited for the cgroup to empty. */
        dynamic_user_release(DYNAMIC_USER_REGISTRY, &j->dynamic_user);
        j->runtime_source = sd_event_source_disable_unref(j->runtime_source);
        j->stop_source = sd_event_source_disable_unref(j->stop_source);

        j->result = job_result_classify(&(JobExit) {
                .code = si.si_code,
                .status = si.si_status,
                .oom_kills = oom_kills,
                .timed_out = j->timed_out,
                .kill_requested = j->kill_requested,
                .owner_gone = j->owner_gone,
        });
        j->exit_status = si.si_status;
        j->exit_timestamp = now_realtime_usec();
        j->reaped = true;

        /* Flag 2: Exited and the Wait replies come after the last Output. */
        if (j->stdio && job_stdio_exited(j->stdio) > 0)
                return 0;
        job_finish(j);
        return 0;
}

void job_finish(Job *j) {
        j->state = JOB_EXITED;
        /* A job quicker than its owner's GetTerminal() leaves its output in the pty: the master is kept
         * for the owner until it is taken or the job goes (KeepExitedSec=). */
        if (j->terminal_taken)
                j->terminal_fd = safe_close(j->terminal_fd);
        job_uncount(j);

        if (j->spec->ip_accounting)
                log_job(LOG_INFO, &JOB_FIELDS(j, job_result_to_string(j->result)),
                        "job %" PRIu64 ": exited, result %s, status %d, cpu %" PRIu64 " ns, memory peak %" PRIu64
                        " B, IP ingress %" PRIu64 " B in %" PRIu64 " packets, egress %" PRIu64 " B in %" PRIu64
                        " packets.",
                        j->id, job_result_to_string(j->result), j->exit_status, j->cpu_usage_nsec, j->memory_peak,
                        j->ip_counters.ingress_bytes, j->ip_counters.ingress_packets, j->ip_counters.egress_bytes,
                        j->ip_counters.egress_packets);
        else
                log_job(LOG_INFO, &JOB_FIELDS(j, job_result_to_string(j->result)),
                        "job %" PRIu64 ": exited, result %s, status %d, cpu %" PRIu64 " ns, memory peak %" PRIu64 " B.",
                        j->id, job_result_to_string(j->result), j->exit_status, j->cpu_usage_nsec, j->memory_peak);
        if (j->spec->io_accounting)
                log_job(LOG_INFO, &JOB_FIELDS(j, job_result_to_string(j->result)),
                        "job %" PRIu64 ": read %" PRIu64 " B in %" PRIu64 " operations, wrote %" PRIu64 " B in %" PRIu64
                        " operations.", j->id, j->io.read_bytes, j->io.read_operations, j->io.write_bytes,
                        j->io.write_operations);

        NOTIFY(j, exited);

        if (schedule_cleanup(j, j->manager->config.keep_exited_usec) < 0)
                job_free(j);
}

void job_owner_gone(Job *j) {
        /* Exited, or its start failed (and the job goes as soon as confine-exec is reaped). */
        if (j->state == JOB_EXITED || (!j->published && j->status_fd < 0))
                return;
        if ((j->flags & SPAWN_FLAG_KILL_ON_DISCONNECT) && !j->reaped) {
                log_job(LOG_INFO, &JOB_FIELDS(j, NULL), "job %" PRIu64 ": its owner is gone, killing the job.", j->id);
                j->owner_gone = true;
                (void) job_kill(j, SIGKILL);
        }
        /* Last: it may finish, and so free, the job. */
        if (j->stdio)
                job_stdio_owner_gone(j->stdio);
}

/* RuntimeMaxUSec: the whole job goes, and the result says why. */
static int on_runtime_max(sd_event_source *s, uint64_t usec, void *userdata) {
        Job *j = userdata;

        log_job(LOG_INFO, &JOB_FIELDS(j, NULL), "job %" PRIu64 ": RuntimeMaxUSec=%" PRIu64 " reached, killing it.", j->id,
                j->spec->runtime_max_usec);
        j->timed_out = true;
        (void) job_stop(j);
        return 0;
}

bool job_is_running(const Job *j) {
        return j->state == JOB_RUNNING && j->pidfd >= 0;
}

int job_kill(Job *j, int sig) {
        if (j->state == JOB_EXITED || (j->pidfd < 0 && !j->spawn))
                return 0;

        /* The jobs nested in this one first: Kill() of a job reaches what it started through
         * the broker too, as its cgroup.kill does. */
        for (Job *k = j->manager->jobs; k; k = k->next)
                if (k->parent_id == j->id)
                        (void) job_kill(k, sig);

        j->kill_requested = true;
        /* Not cloned yet: the signal goes to it as soon as it is (SIGKILL over any other). */
        if (j->spawn) {
                if (j->pending_kill != SIGKILL)
                        j->pending_kill = sig;
                return 0;
        }
        if (sig == SIGKILL && j->cgroup_fd >= 0 && cgroup_job_kill(j->cgroup_fd) >= 0)
                return 0;
        if (syscall(SYS_pidfd_send_signal, j->pidfd, sig, NULL, 0) < 0)
                return -errno;
        /* The job leads its own process group (setsid); reach the children that stayed in it. The
         * unreaped main process keeps the group id from being reused. */
        (void) kill(-j->pid, sig);
        return 0;
}

/* sig to the main process (by its pidfd) and its process group, and with all to every other process of
 * the job's cgroup too; SIGKILL to all is cgroup.kill. */
static void job_signal(Job *j, int sig, bool all) {
        if (all && sig == SIGKILL && j->cgroup_fd >= 0 && cgroup_job_kill(j->cgroup_fd) >= 0)
                return;
        (void) syscall(SYS_pidfd_send_signal, j->pidfd, sig, NULL, 0);
        if (!all)
                return;
        (void) kill(-j->pid, sig);
        /* Under PrivatePIDs= the rest of the cgroup is confine-exec's init, which forwards what the main
         * process gets to the job, and what the job started, which ends with the job's namespace. */
        if (j->cgroup_fd >= 0 && !j->spec->private_pids)
                (void) cgroup_job_signal(j->cgroup_fd, sig, j->pid);
}

static int on_stop_timeout(sd_event_source *s, uint64_t usec, void *userdata) {
        Job *j = userdata;
        KillMode mode = j->spec->kill_mode;

        j->stop_source = sd_event_source_disable_unref(j->stop_source);
        if (j->state == JOB_EXITED || j->pidfd < 0 || mode == KILL_MODE_NONE)
                return 0;
        log_info("job %" PRIu64 ": still running TimeoutStopUSec=%" PRIu64 " after KillSignal=, sending %s.", j->id,
                 j->spec->timeout_stop_usec, signal_to_name(j->spec->final_kill_signal) ?: "FinalKillSignal=");
        job_signal(j, j->spec->final_kill_signal, mode != KILL_MODE_PROCESS);
        return 0;
}

int job_stop(Job *j) {
        const SandboxSpec *s = j->spec;
        int r;

        if (j->state == JOB_EXITED || (j->pidfd < 0 && !j->spawn))
                return 0;
        for (Job *k = j->manager->jobs; k; k = k->next)
                if (k->parent_id == j->id)
                        (void) job_stop(k);

        j->kill_requested = true;
        /* Not cloned yet: stopped as soon as it is, with its KillSignal= and its timeout. */
        if (j->spawn) {
                j->pending_stop = true;
                return 0;
        }
        if (s->kill_mode != KILL_MODE_NONE) {
                bool all = s->kill_mode == KILL_MODE_CONTROL_GROUP;

                job_signal(j, s->kill_signal, all);
                if (s->kill_signal != SIGKILL && s->kill_signal != SIGCONT)
                        job_signal(j, SIGCONT, all);
        }
        if (!s->send_sigkill || s->timeout_stop_usec == UINT64_MAX || j->stop_source)
                return 0;
        r = sd_event_add_time_relative(j->manager->event, &j->stop_source, CLOCK_MONOTONIC, s->timeout_stop_usec, 0,
                                       on_stop_timeout, j);
        return r < 0 ? r : 0;
}

uint64_t job_cpu_usage_nsec(const Job *j) {
        uint64_t v = j->cpu_usage_nsec;

        if (j->state != JOB_EXITED && j->cgroup_fd >= 0)
                (void) cgroup_job_cpu_usage_nsec(j->cgroup_fd, &v);
        return v;
}

CgroupIOStat job_io_stat(const Job *j) {
        CgroupIOStat st = j->io;

        if (j->state != JOB_EXITED && j->spec->io_accounting && j->cgroup_fd >= 0)
                (void) cgroup_job_io_stat(j->cgroup_fd, &st);
        return st;
}

uint64_t job_memory_peak(const Job *j) {
        uint64_t v = j->memory_peak;

        if (j->state != JOB_EXITED && j->cgroup_fd >= 0)
                (void) cgroup_job_memory_peak(j->cgroup_fd, &v);
        return v;
}

IPCounters job_ip_counters(const Job *j) {
        IPCounters c = j->ip_counters;

        if (j->state != JOB_EXITED)
                (void) ip_firewall_read_counters(&j->ip_firewall, &c);
        return c;
}

/* The network programs (IPAddressAllow=/IPAddressDeny=/IPAccounting=, RestrictNetworkInterfaces=,
 * SocketBind*=): attached before the clone, as the device program is. */
static int job_attach_ip_firewall(Job *j, JobFailure *f) {
        const SandboxSpec *s = j->spec;
        const char *property = s->n_ip_address_deny > 0 ? "IPAddressDeny" :
                               s->n_ip_address_allow > 0 ? "IPAddressAllow" :
                               s->network_interfaces_mode >= 0 ? "RestrictNetworkInterfaces" :
                               s->n_socket_bind_deny > 0 ? "SocketBindDeny" :
                               s->n_socket_bind_allow > 0 ? "SocketBindAllow" : "IPAccounting";
        const char *what = NULL;
        int r;

        if (!sandbox_spec_wants_network_bpf(s))
                return 0;
        if (j->cgroup_fd < 0)
                return job_failure_set(f, JOB_FAILURE_NOT_SUPPORTED, "network", EOPNOTSUPP, property,
                                       "the job has no cgroup v2 to attach BPF network programs to");
        r = ip_firewall_load(s, &j->ip_firewall, &what);
        if (r >= 0)
                r = ip_firewall_attach(&j->ip_firewall, j->cgroup_fd, &what);
        if (r == -ENOMEM)
                return job_failure_set(f, JOB_FAILURE_INTERNAL, "network", r, property, "load the BPF network programs");
        if (r < 0)
                return job_failure_set(f, JOB_FAILURE_NOT_SUPPORTED, "network", r, property,
                                       "the kernel refused the cgroup BPF network programs (%s)", what);
        if (s->ip_accounting)
                j->ip_counters = (IPCounters) {};
        log_debug("job %" PRIu64 ": BPF skb programs attached (%zu allowed, %zu denied prefixes%s).", j->id,
                  s->n_ip_address_allow, s->n_ip_address_deny, s->ip_accounting ? ", accounting" : "");
        return 0;
}

/* DeviceAllow=/DevicePolicy=: the program goes on the cgroup before the job is cloned into it, so
 * that not even confine-exec runs a moment without it. */
static int job_restrict_devices(Job *j, JobFailure *f) {
        const char *property = j->spec->n_device_allow > 0 ? "DeviceAllow" : "DevicePolicy";
        const char *what = NULL;
        int r;

        if (!sandbox_spec_restricts_devices(j->spec))
                return 0;
        if (j->cgroup_fd < 0)
                return job_failure_set(f, JOB_FAILURE_NOT_SUPPORTED, "devices", EOPNOTSUPP, property,
                                       "the job has no cgroup v2 to attach a BPF device program to");
        r = bpf_devices_load(j->spec->device_rules, j->spec->n_device_rules, &j->bpf_devices_fd, &what);
        if (r >= 0) {
                what = "BPF_PROG_ATTACH";
                r = bpf_devices_attach(j->bpf_devices_fd, j->cgroup_fd);
        }
        if (r == -ENOMEM)
                return job_failure_set(f, JOB_FAILURE_INTERNAL, "devices", r, property, "load the BPF device program");
        if (r < 0)
                return job_failure_set(f, JOB_FAILURE_NOT_SUPPORTED, "devices", r, property,
                                       "the kernel refused the cgroup BPF device program (%s)", what);
        log_debug("job %" PRIu64 ": BPF device program with %zu rules attached.", j->id, j->spec->n_device_rules);
        return 0;
}

/* RestrictFileSystems=: like the device program, in place before the job is cloned into its cgroup. */
static int job_restrict_filesystems(Job *j, JobFailure *f) {
        const char *why = NULL;
        int r;

        if (j->spec->restrict_filesystems_mode < 0)
                return 0;
        if (j->cgroup_fd < 0)
                return job_failure_set(f, JOB_FAILURE_NOT_SUPPORTED, "filesystems", EOPNOTSUPP, "RestrictFileSystems",
                                       "the job has no cgroup v2 for the BPF LSM program to know it by");
        r = restrict_fs_ensure(&j->manager->restrict_fs, &why);
        if (r < 0)
                return job_failure_set(f, JOB_FAILURE_NOT_SUPPORTED, "filesystems", r, "RestrictFileSystems", "%s", why);
        r = restrict_fs_add(&j->manager->restrict_fs, j->cgroup_fd, j->spec, &j->restrict_fs_cgroup_id);
        if (r < 0)
                return job_failure_set(f, JOB_FAILURE_INTERNAL, "filesystems", r, "RestrictFileSystems",
                                       "fill the BPF LSM program's maps");
        return 0;
}

/* The filters come compiled from the cache, so that confine-exec only loads them. */
static int job_compile_seccomp(Job *j, JobFailure *f) {
        _cleanup_free_ char *failed = NULL;
        int r;

        r = seccomp_cache_apply(&j->manager->seccomp_cache, j->spec, &failed);
        if (r == -ENOMEM)
                return job_failure_set(f, JOB_FAILURE_INTERNAL, exec_step_to_string(EXEC_STEP_SECCOMP), r, NULL,
                                       "compile filters");
        if (r < 0) {
                (void) job_failure_set(f, JOB_FAILURE_SETUP, exec_step_to_string(EXEC_STEP_SECCOMP), r, NULL, "%s",
                                       failed ?: "compile filters");
                job_failure_property_from_detail(f);
                return r;
        }
        return 0;
}

static int job_watch(Job *j, JobFailure *f);


static void job_spawn_free(JobSpawn *js) {
        for (size_t i = 0; i < ELEMENTSOF(js->owned); i++)
                safe_close(js->owned[i]);
        safe_close(js->order.close_after_clone);
        free(js);
}

/* The start failed after job_start() returned: the observer hears it, and the job goes. */
static void job_fail_started(Job *j, const JobFailure *f) {
        log_info("job %" PRIu64 ": %s %s: %s", j->id, f->step, f->detail, strerror(f->error));
        job_uncount(j);
        NOTIFY(j, start_failed, f);
        job_release_cgroup(j);
        job_free(j);
}

static void on_job_spawned(SpawnOrder *o) {
        JobSpawn *js = (JobSpawn *) o;
        Job *j = js->job;
        JobFailure f;
        int sig;

        if (!j) {
                /* The job went while it was being cloned: no process may outlive it. */
                if (o->error >= 0) {
                        siginfo_t si = {};
                        (void) syscall(SYS_pidfd_send_signal, o->pidfd, SIGKILL, NULL, 0);
                        (void) waitid(P_PIDFD, (id_t) o->pidfd, &si, WEXITED);
                        safe_close(o->pidfd);
                }
                job_spawn_free(js);
                return;
        }
        j->spawn = NULL;
        if (o->error < 0) {
                (void) job_failure_set(&f, JOB_FAILURE_SETUP, "spawn", o->error, NULL, "clone3");
                job_spawn_free(js);
                job_fail_started(j, &f);
                return;
        }
        j->pid = o->pid;
        j->pidfd = o->pidfd;
        job_spawn_free(js);
        if (job_watch(j, &f) < 0) {
                job_fail_started(j, &f); /* job_free() kills and reaps the process */
                return;
        }
        /* Asked for while it was being cloned: its owner left, Kill() of its parent, a stop. And a
         * nested job whose parent ended meanwhile: the parent's cgroup.kill came before this process
         * was in its cgroup, and a nested job does not outlive its parent. */
        sig = j->pending_kill;
        j->pending_kill = 0;
        if (j->parent_id != 0) {
                Job *parent = manager_find_job(j->manager, j->parent_id);
                if (!parent || !job_is_running(parent))
                        sig = SIGKILL;
        }
        if (sig)
                (void) job_kill(j, sig);
        if (j->pending_stop && sig != SIGKILL) {
                j->pending_stop = false;
                (void) job_stop(j);
        }
}

static int job_submit_spawn(Job *j, const SpawnFds *fds, int spec_fd, int status_w, int netns_fd, int pidns_fd,
                            JobFailure *f) {
        JobSpawn *js = calloc(1, sizeof(JobSpawn) + fds->n_extra * sizeof(int));
        int nest = -EBADF;

        /* The parent's pidfd may close (the parent's end) before the clone: our own copy. */
        if (js && fds->nest >= 0)
                nest = fcntl(fds->nest, F_DUPFD_CLOEXEC, 3);
        if (!js || (fds->nest >= 0 && nest < 0)) {
                int e = js ? errno : ENOMEM;
                free(js);
                safe_close(spec_fd);
                safe_close(status_w);
                safe_close(netns_fd);
                safe_close(pidns_fd);
                return job_failure_set(f, JOB_FAILURE_INTERNAL, "spawn", e, NULL, "queue the clone");
        }
        *js = (JobSpawn) {
                .order = {
                        .exec_path = j->manager->exec_path,
                        .fds = *fds,
                        .cgroup_fd = j->cgroup_fd,
                        .pidns_fd = pidns_fd,
                        .close_after_clone = status_w,
                        .done = on_job_spawned,
                },
                .job = j,
                .owned = { spec_fd, -EBADF, netns_fd, pidns_fd, nest },
        };
        if (fds->n_extra > 0)
                memcpy(js->extra, fds->extra, fds->n_extra * sizeof(int));
        js->order.fds.extra = js->extra;
        js->order.fds.nest = nest;
        j->spawn = js;
        spawner_submit(&j->manager->spawner, &js->order);
        return 0;
}

static int job_launch(Job *j, Job *parent, JobFailure *f) {
        _cleanup_close_ int spec_fd = -EBADF, status_w = -EBADF, netns_fd = -EBADF, pidns_fd = -EBADF;
        int pipefd[2], extra[256];
        SpawnFds fds;
        int r;

        if (j->spec->n_extra_fds > ELEMENTSOF(extra))
                return job_failure_set(f, JOB_FAILURE_INVALID_PROPERTY, "fds", E2BIG, "ExtraFileDescriptors",
                                       "too many (%zu > %zu)", j->spec->n_extra_fds, ELEMENTSOF(extra));

        /* Before the spec is serialized: the pty is part of it. */
        if (j->flags & SPAWN_FLAG_TERMINAL) {
                r = job_terminal_open(j->spec, &j->terminal_fd);
                if (r < 0)
                        return job_failure_set(f, JOB_FAILURE_SETUP, "terminal", r, NULL, "open a pseudo-terminal");
        }

        /* After the terminal, which adds a filter. */
        r = job_compile_seccomp(j, f);
        if (r < 0)
                return r;
        if (parent) {
                r = job_stack_parent_seccomp(j, parent, f);
                if (r < 0)
                        return r;
                r = job_open_parent_pidns(parent, &pidns_fd);
                if (r < 0)
                        return job_failure_set(f, JOB_FAILURE_SETUP, "namespaces", r, NULL,
                                               "the PID namespace of job %" PRIu64, parent->id);
        }

        /* A prepared network namespace, if one is ready; it goes in after the extra fds, and the
         * parent's pidfd after it. */
        if (j->spec->netns_path_fd >= 0) {
                /* NetworkNamespacePath=: PrivateNetwork= then has no effect, as in systemd. The job object
                 * keeps no reference to the namespace. */
                netns_fd = TAKE_FD(j->spec->netns_path_fd);
                j->spec->netns_fd = EXEC_FD_FIRST_EXTRA + (int) j->spec->n_extra_fds;
        } else if (j->spec->private_network) {
                netns_fd = netns_pool_take(&j->manager->netns_pool);
                if (netns_fd >= 0)
                        j->spec->netns_fd = EXEC_FD_FIRST_EXTRA + (int) j->spec->n_extra_fds;
        }
        if (parent)
                j->spec->nest_fd = EXEC_FD_FIRST_EXTRA + (int) j->spec->n_extra_fds + (netns_fd >= 0);

        r = spec_serialize_to_memfd(j->spec, &spec_fd);
        if (r < 0)
                return job_failure_set(f, JOB_FAILURE_INTERNAL, "spec", r, NULL, "serialize the job's spec");
        /* Sent; the job object need not keep them for the KeepExitedSec it stays around. */
        j->spec->seccomp_programs = seccomp_programs_free(j->spec->seccomp_programs, j->spec->n_seccomp_programs);
        j->spec->n_seccomp_programs = 0;

        if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0)
                return job_failure_set(f, JOB_FAILURE_INTERNAL, "spawn", errno, NULL, "create the status pipe");
        j->status_fd = pipefd[0];
        status_w = pipefd[1];

        if (parent) {
                /* Below the parent's, so that its limits, device program and cgroup.kill hold. */
                if (parent->cgroup_fd < 0)
                        return job_failure_set(f, JOB_FAILURE_SETUP, "cgroup", EOPNOTSUPP, NULL,
                                               "job %" PRIu64 " has no cgroup to nest a job in", parent->id);
                j->cgroup_dir_fd = fcntl(parent->cgroup_fd, F_DUPFD_CLOEXEC, 3);
                if (j->cgroup_dir_fd < 0)
                        return job_failure_set(f, JOB_FAILURE_INTERNAL, "cgroup", errno, NULL, "keep the parent's cgroup");
        }
        r = cgroup_job_create(job_cgroup_dir(j), j->id, &j->cgroup_fd);
        if (r < 0 && r != -EOPNOTSUPP)
                return job_failure_set(f, JOB_FAILURE_SETUP, "cgroup", r, NULL, "create the job's cgroup");
        if (j->cgroup_fd >= 0) {
                const char *failed = NULL;
                r = cgroup_job_set_limits(j->cgroup_fd, j->spec, &failed);
                if (r < 0)
                        return job_failure_set(f, JOB_FAILURE_SETUP, "cgroup", r, failed, "%s", failed);
        }

        r = job_restrict_devices(j, f);
        if (r < 0)
                return r;
        r = job_restrict_filesystems(j, f);
        if (r < 0)
                return r;
        r = job_attach_ip_firewall(j, f);
        if (r < 0)
                return r;

        if (j->flags & SPAWN_FLAG_CAPTURE_OUTPUT) {
                /* Spawn refused flag 2 together with Standard*FileDescriptor: the slots are free. */
                r = job_stdio_new(j, j->spec->stdio_fds);
                if (r < 0)
                        return job_failure_set(f, JOB_FAILURE_INTERNAL, "spawn", r, NULL, "create the job's pipes");
        }

        fds = (SpawnFds) {
                .stdio = { j->spec->stdio_fds[0], j->spec->stdio_fds[1], j->spec->stdio_fds[2] },
                .extra = extra,
                .n_extra = j->spec->n_extra_fds,
                .spec = spec_fd,
                .status = status_w,
                .devnull = j->manager->devnull_fd,
                .netns = netns_fd,
                .nest = parent ? parent->pidfd : -EBADF,
        };
        for (size_t i = 0; i < j->spec->n_extra_fds; i++)
                extra[i] = j->spec->extra_fds[i].fd;

        if (spawner_running(&j->manager->spawner))
                return job_submit_spawn(j, &fds, TAKE_FD(spec_fd), TAKE_FD(status_w), TAKE_FD(netns_fd),
                                        TAKE_FD(pidns_fd), f);
        r = spawn_confine_exec(j->manager->exec_path, &fds, j->cgroup_fd, pidns_fd, &j->pid, &j->pidfd);
        if (r < 0)
                return job_failure_set(f, JOB_FAILURE_SETUP, "spawn", r, NULL, "clone3");
        return job_watch(j, f);
}

/* Once confine-exec's process exists: the caller's fds go, the job's timer and watches come. */
static int job_watch(Job *j, JobFailure *f) {
        int r;

        j->start_timestamp = now_realtime_usec();

        /* The caller's fds now live in the child; the daemon must not keep them. */
        for (int i = 0; i < 3; i++)
                j->spec->stdio_fds[i] = safe_close(j->spec->stdio_fds[i]);
        for (size_t i = 0; i < j->spec->n_extra_fds; i++)
                j->spec->extra_fds[i].fd = safe_close(j->spec->extra_fds[i].fd);

        if (j->spec->runtime_max_usec != UINT64_MAX) {
                r = sd_event_add_time_relative(j->manager->event, &j->runtime_source, CLOCK_MONOTONIC,
                                               j->spec->runtime_max_usec, 0, on_runtime_max, j);
                if (r < 0)
                        return job_failure_set(f, JOB_FAILURE_INTERNAL, "spawn", r, "RuntimeMaxUSec", "arm the timer");
        }

        r = sd_event_add_io(j->manager->event, &j->status_source, j->status_fd, EPOLLIN, on_status_readable, j);
        if (r >= 0)
                r = sd_event_add_io(j->manager->event, &j->pidfd_source, j->pidfd, EPOLLIN, on_pidfd_readable, j);
        if (r < 0)
                return job_failure_set(f, JOB_FAILURE_INTERNAL, "spawn", r, NULL, "watch the job");
        return 0;
}

/* Only an assignment of its own overrides what the dynamic user's name gives. */
static int env_set_default(char ***env, const char *name, const char *value) {
        _cleanup_free_ char *a = NULL;
        size_t l = strlen(name);

        STRV_FOREACH(e, *env)
                if (strneq(*e, name, l) && (*e)[l] == '=')
                        return 0;
        if (asprintf(&a, "%s=%s", name, value) < 0)
                return -ENOMEM;
        return strv_consume(env, TAKE_PTR(a));
}

static int add_read_only_bind(SandboxSpec *s, const char *source, const char *destination) {
        BindMount *n = realloc(s->bind_mounts, (s->n_bind_mounts + 1) * sizeof(BindMount));

        if (!n)
                return -ENOMEM;
        s->bind_mounts = n;
        n[s->n_bind_mounts] = (BindMount) { .source = strdup(source), .destination = strdup(destination),
                                            .read_only = true };
        if (!n[s->n_bind_mounts].source || !n[s->n_bind_mounts].destination) {
                free(n[s->n_bind_mounts].source);
                free(n[s->n_bind_mounts].destination);
                return -ENOMEM;
        }
        s->n_bind_mounts++;
        return 0;
}

/* DynamicUser=: the uid and gid, the passwd and group files with its entry over the job's /etc (the
 * name resolves inside), USER and LOGNAME. Only now, once authorized: the pool is shared. */
static int job_acquire_dynamic_user(Job *j, JobFailure *f) {
        const DaemonConfig *c = &j->manager->config;
        SandboxSpec *s = j->spec;
        char name[32];
        int r;

        if (!s->user)
                (void) snprintf(name, sizeof name, "confine-%" PRIu64, j->id);
        r = dynamic_user_acquire(DYNAMIC_USER_REGISTRY, c->dynamic_user_first, c->dynamic_user_last,
                                 &j->manager->dynamic_user_cursor, s->user ?: name, &j->dynamic_user);
        if (r == -EUSERS)
                return job_failure_set(f, JOB_FAILURE_QUOTA, "dynamic-user", r, "DynamicUser",
                                       "every uid of DynamicUserRange=%u-%u is in use", (unsigned) c->dynamic_user_first,
                                       (unsigned) c->dynamic_user_last);
        if (r < 0)
                return job_failure_set(f, JOB_FAILURE_SETUP, "dynamic-user", r, "DynamicUser",
                                       "take a uid in %s", DYNAMIC_USER_REGISTRY);
        s->uid = j->dynamic_user.uid;
        s->gid = (gid_t) j->dynamic_user.uid;
        r = add_read_only_bind(s, j->dynamic_user.passwd_path, "/etc/passwd");
        if (r >= 0)
                r = add_read_only_bind(s, j->dynamic_user.group_path, "/etc/group");
        if (r >= 0)
                r = env_set_default(&s->environment, "USER", j->dynamic_user.name);
        if (r >= 0)
                r = env_set_default(&s->environment, "LOGNAME", j->dynamic_user.name);
        if (r < 0)
                return job_failure_set(f, JOB_FAILURE_INTERNAL, "dynamic-user", r, "DynamicUser", "set up uid %u",
                                       (unsigned) j->dynamic_user.uid);
        log_info("job %" PRIu64 ": DynamicUser: %s is uid %u.", j->id, j->dynamic_user.name,
                 (unsigned) j->dynamic_user.uid);
        return 0;
}

int job_start(Manager *m, SandboxSpec *spec, uid_t owner_uid, uint64_t flags, Job *parent, void *observer_data,
              Job **ret, JobFailure *ret_failure) {
        Job *j;
        int r;

        j = calloc(1, sizeof(Job));
        if (!j) {
                sandbox_spec_free(spec);
                return job_failure_set(ret_failure, JOB_FAILURE_INTERNAL, "spawn", ENOMEM, NULL, "allocate the job");
        }
        *j = (Job) {
                .manager = m,
                .id = ++m->last_job_id,
                .owner_uid = owner_uid,
                .flags = flags,
                .parent_id = parent ? parent->id : 0,
                .spec = spec,
                .state = JOB_STARTING,
                .pidfd = -EBADF,
                .cgroup_fd = -EBADF,
                .cgroup_dir_fd = -EBADF,
                .bpf_devices_fd = -EBADF,
                .ip_firewall = IP_FIREWALL_INIT,
                .ip_counters = IP_COUNTERS_UNSET,
                .status_fd = -EBADF,
                .terminal_fd = -EBADF,
                .dynamic_user.uid = (uid_t) -1,
                .io = { UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX },
        };

        j->next = m->jobs;
        if (m->jobs)
                m->jobs->prev = j;
        m->jobs = j;
        m->n_jobs++;
        j->counted = true;
        j->counted_next = m->counted_jobs;
        if (m->counted_jobs)
                m->counted_jobs->counted_prev = j;
        m->counted_jobs = j;

        r = spec->dynamic_user ? job_acquire_dynamic_user(j, ret_failure) : 0;
        if (r >= 0)
                r = job_launch(j, parent, ret_failure);
        if (r < 0) {
                job_release_cgroup(j);
                job_free(j);
                return r;
        }
        /* Only now: a job that never started is nothing the observer has to let go of. */
        j->observer_data = observer_data;
        *ret = j;
        return 0;
}
