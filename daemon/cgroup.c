/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "spec-fields.h"
#include "log.h"

static int find_cgroup2_mount(char **ret) {
        _cleanup_free_ char *line = NULL;
        size_t n = 0;
        FILE *f = fopen("/proc/self/mountinfo", "re");

        if (!f)
                return -errno;
        while (getline(&line, &n, f) > 0) {
                /* … mount-point … - fstype source options */
                char *sep = strstr(line, " - ");
                char mountpoint[4096];

                if (!sep || !strneq(sep + 3, "cgroup2 ", 8))
                        continue;
                if (sscanf(line, "%*s %*s %*s %*s %4095s", mountpoint) != 1)
                        continue;
                fclose(f);
                *ret = strdup(mountpoint);
                return *ret ? 0 : -ENOMEM;
        }
        fclose(f);
        return -ENOENT;
}

static int read_own_cgroup(char **ret) {
        _cleanup_free_ char *line = NULL;
        size_t n = 0;
        FILE *f = fopen("/proc/self/cgroup", "re");
        ssize_t l;

        if (!f)
                return -errno;
        while ((l = getline(&line, &n, f)) > 0) {
                if (!strneq(line, "0::", 3))
                        continue;
                if (line[l - 1] == '\n')
                        line[l - 1] = 0;
                fclose(f);
                *ret = strdup(line + 3);
                return *ret ? 0 : -ENOMEM;
        }
        fclose(f);
        return -ENOENT;
}

static int write_file_at(int dirfd, const char *name, const char *value) {
        _cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        size_t l = strlen(value);

        if (fd < 0)
                return -errno;
        if (write(fd, value, l) != (ssize_t) l)
                return -errno;
        return 0;
}

static int read_file_at(int dirfd, const char *name, char *buf, size_t size) {
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        ssize_t l;

        if (fd < 0)
                return -errno;
        l = read(fd, buf, size - 1);
        if (l < 0)
                return -errno;
        buf[l] = 0;
        return 0;
}

static int mkdir_parents(char *path) {
        for (char *p = path + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = 0;
                if (mkdir(path, 0755) < 0 && errno != EEXIST) {
                        *p = '/';
                        return -errno;
                }
                *p = '/';
        }
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/* Under systemd with Delegate=yes our own cgroup is ours: move into a "supervisor" leaf so that
 * the jobs can be siblings and controllers can be enabled for them. */
static int move_self_to_supervisor(int base_fd) {
        char pid[32];

        if (mkdirat(base_fd, "supervisor", 0755) < 0 && errno != EEXIST)
                return -errno;
        snprintf(pid, sizeof pid, "%d", (int) getpid());
        _cleanup_close_ int fd = openat(base_fd, "supervisor", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        return write_file_at(fd, "cgroup.procs", pid);
}

static bool word_in(const char *list, const char *word) {
        size_t l = strlen(word);
        for (const char *p = list; (p = strstr(p, word)); p += l)
                if ((p == list || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\n' || p[l] == 0))
                        return true;
        return false;
}

/* Enables for the job cgroups whichever of cpu, memory, pids, io the base cgroup has. Returns the
 * CgroupController bits that are on in the end. */
static unsigned enable_controllers(int base_fd) {
        static const struct {
                const char *name;
                CgroupController bit;
        } wanted[] = {
                { "cpu", CGROUP_CONTROLLER_CPU },
                { "memory", CGROUP_CONTROLLER_MEMORY },
                { "pids", CGROUP_CONTROLLER_PIDS },
                { "io", CGROUP_CONTROLLER_IO },
        };
        char available[512], enabled[512], change[16];
        unsigned result = 0;

        if (read_file_at(base_fd, "cgroup.controllers", available, sizeof available) < 0)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(wanted); i++) {
                if (!word_in(available, wanted[i].name))
                        continue;
                snprintf(change, sizeof change, "+%s", wanted[i].name);
                (void) write_file_at(base_fd, "cgroup.subtree_control", change);
        }
        if (read_file_at(base_fd, "cgroup.subtree_control", enabled, sizeof enabled) < 0)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(wanted); i++)
                if (word_in(enabled, wanted[i].name))
                        result |= wanted[i].bit;
        return result;
}

int cgroup_base_open(const char *requested, CgroupBase *base) {
        _cleanup_free_ char *root = NULL, *own = NULL, *path = NULL;
        bool delegated = false;
        int r;

        *base = (CgroupBase) { .fd = -EBADF };

        r = find_cgroup2_mount(&root);
        if (r < 0) {
                log_info("No cgroup v2 hierarchy; jobs are tracked by pidfd only.");
                return 0;
        }

        if (!requested) {
                r = read_own_cgroup(&own);
                if (r >= 0 && !streq(own, "/") && getenv("INVOCATION_ID"))
                        delegated = true;
                requested = delegated ? own : "/confine";
        }
        if (requested[0] != '/' || strstr(requested, "/.."))
                return log_error_errno(EINVAL, "Invalid cgroup path: %s", requested);

        if (asprintf(&path, "%s%s", root, streq(requested, "/") ? "" : requested) < 0)
                return log_oom();

        r = mkdir_parents(path);
        if (r < 0) {
                log_warning_errno(r, "Cannot create cgroup %s, tracking jobs by pidfd only: %m", path);
                return 0;
        }
        base->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (base->fd < 0) {
                log_warning_errno(errno, "Cannot open cgroup %s, tracking jobs by pidfd only: %m", path);
                return 0;
        }
        if (faccessat(base->fd, "cgroup.procs", W_OK, AT_EACCESS) < 0) {
                log_warning_errno(errno, "Cgroup %s is not writable, tracking jobs by pidfd only: %m", path);
                base->fd = safe_close(base->fd);
                return 0;
        }
        if (delegated) {
                r = move_self_to_supervisor(base->fd);
                if (r < 0)
                        log_warning_errno(r, "Cannot move into %s/supervisor: %m", path);
        }

        base->path = TAKE_PTR(path);
        base->relative = strdup(requested);
        if (!base->relative) {
                cgroup_base_close(base);
                return log_oom();
        }
        base->controllers = enable_controllers(base->fd);
        log_info("Job cgroups live under %s; controllers for jobs:%s%s%s%s%s.", base->path,
                 base->controllers & CGROUP_CONTROLLER_CPU ? " cpu" : "",
                 base->controllers & CGROUP_CONTROLLER_MEMORY ? " memory" : "",
                 base->controllers & CGROUP_CONTROLLER_PIDS ? " pids" : "",
                 base->controllers & CGROUP_CONTROLLER_IO ? " io" : "",
                 base->controllers ? "" : " none");
        return 0;
}

void cgroup_base_close(CgroupBase *base) {
        base->fd = safe_close(base->fd);
        free(base->path);
        base->path = NULL;
        free(base->relative);
        base->relative = NULL;
}

/* Removes the job-* cgroups below dir_fd/name, leaves first: nested jobs' cgroups live in their
 * parent's. The whole tree has been killed. */
static void remove_job_tree(int dir_fd, const char *name) {
        _cleanup_close_ int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dirent *de;
        DIR *d;

        if (fd >= 0) {
                int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
                d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
                if (!d)
                        safe_close(dup_fd);
                while (d && (de = readdir(d)))
                        if (strneq(de->d_name, "job-", 4) && de->d_type == DT_DIR)
                                remove_job_tree(fd, de->d_name);
                if (d)
                        closedir(d);
        }
        if (unlinkat(dir_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                log_warning_errno(errno, "Cannot remove the leftover cgroup %s: %m", name);
}

int cgroup_base_reap_stale(CgroupBase *base) {
        _cleanup_close_ int dfd = -EBADF;
        struct dirent *de;
        DIR *d;
        int n = 0;

        if (base->fd < 0)
                return 0;
        dfd = openat(base->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        d = fdopendir(TAKE_FD(dfd));
        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                _cleanup_close_ int jfd = -EBADF;

                if (!strneq(de->d_name, "job-", 4))
                        continue;
                jfd = openat(base->fd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (jfd < 0)
                        continue;
                log_warning("Killing leftover job cgroup %s/%s of an earlier run.", base->path, de->d_name);
                (void) cgroup_job_kill(jfd);
                for (int i = 0; i < 200 && cgroup_job_is_populated(jfd); i++)
                        usleep(5000);
                remove_job_tree(base->fd, de->d_name);
                n++;
        }
        closedir(d);
        return n;
}

int cgroup_job_create(int dir_fd, uint64_t id, int *ret_fd) {
        char name[32];
        int fd;

        if (dir_fd < 0)
                return -EOPNOTSUPP;
        snprintf(name, sizeof name, "job-%" PRIu64, id);
        if (mkdirat(dir_fd, name, 0755) < 0)
                return -errno;
        fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                int r = -errno;
                (void) unlinkat(dir_fd, name, AT_REMOVEDIR);
                return r;
        }
        *ret_fd = fd;
        return 0;
}

int cgroup_job_kill(int job_fd) {
        return write_file_at(job_fd, "cgroup.kill", "1");
}

int cgroup_job_signal(int job_fd, int sig, pid_t skip) {
        int fd = openat(job_fd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
        FILE *f;
        long pid;

        if (fd < 0)
                return -errno;
        f = fdopen(fd, "re");
        if (!f) {
                close(fd);
                return -errno;
        }
        while (fscanf(f, "%ld", &pid) == 1)
                if (pid > 0 && (pid_t) pid != skip)
                        (void) kill((pid_t) pid, sig);
        fclose(f);
        return 0;
}

bool cgroup_job_is_populated(int job_fd) {
        char buf[512];
        const char *p;

        if (read_file_at(job_fd, "cgroup.events", buf, sizeof buf) < 0)
                return false;
        p = strstr(buf, "populated ");
        return p && p[10] == '1';
}

int cgroup_job_remove(int dir_fd, uint64_t id) {
        char name[32];

        if (dir_fd < 0)
                return 0;
        snprintf(name, sizeof name, "job-%" PRIu64, id);
        if (unlinkat(dir_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

/* "job-123" → 123; 0 for anything else. */
static uint64_t job_id_of(const char *s, size_t n) {
        uint64_t id = 0;

        if (n < 5 || n > 24 || !strneq(s, "job-", 4) || s[4] < '1' || s[4] > '9')
                return 0;
        for (size_t i = 4; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return 0;
                id = id * 10 + (uint64_t) (s[i] - '0');
        }
        return id;
}

int cgroup_pid_job_ids(const CgroupBase *base, pid_t pid, uint64_t *ret_ids, size_t max_ids) {
        char file[64], buf[4096], *line, *p;
        _cleanup_close_ int fd = -EBADF;
        size_t n = 0, l;
        ssize_t k;

        if (base->fd < 0 || !base->relative)
                return 0;
        snprintf(file, sizeof file, "/proc/%d/cgroup", (int) pid);
        fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        k = read(fd, buf, sizeof buf - 1);
        if (k < 0)
                return -errno;
        buf[k] = 0;

        /* The cgroup2 line, "0::/path". */
        line = strstr(buf, "0::/");
        if (!line || (line != buf && line[-1] != '\n'))
                return 0;
        line += 3;
        line[strcspn(line, "\n")] = 0;

        l = streq(base->relative, "/") ? 0 : strlen(base->relative);
        if (!strneq(line, base->relative, l) || line[l] != '/')
                return 0;
        for (p = line + l + 1; *p && n < max_ids;) {
                size_t len = strcspn(p, "/");
                uint64_t id = job_id_of(p, len);
                if (id == 0)
                        break;
                ret_ids[n++] = id;
                p += len;
                if (*p == '/')
                        p++;
        }
        return (int) n;
}

int cgroup_job_cpu_usage_nsec(int job_fd, uint64_t *ret) {
        char buf[1024];
        const char *p;
        int r;

        r = read_file_at(job_fd, "cpu.stat", buf, sizeof buf);
        if (r < 0)
                return r;
        p = strstr(buf, "usage_usec ");
        if (!p)
                return -ENODATA;
        *ret = strtoull(p + 11, NULL, 10) * 1000;
        return 0;
}

int cgroup_job_memory_peak(int job_fd, uint64_t *ret) {
        char buf[64];
        int r;

        r = read_file_at(job_fd, "memory.peak", buf, sizeof buf);
        if (r < 0)
                return r;
        *ret = strtoull(buf, NULL, 10);
        return 0;
}

/* The limits written as a number, "max" for UINT64_MAX, in the order systemd writes them. */
static const struct {
        const char *property, *file;
} limit_files[] = {
        { "MemoryLow", "memory.low" },
        { "MemoryHigh", "memory.high" },
        { "MemoryMax", "memory.max" },
        { "MemorySwapMax", "memory.swap.max" },
        { "TasksMax", "pids.max" },
        { "IOWeight", "io.weight" },
};

static int write_u64_or_max(int job_fd, const char *file, uint64_t v) {
        char buf[32];

        if (v == UINT64_MAX)
                return write_file_at(job_fd, file, "max");
        snprintf(buf, sizeof buf, "%" PRIu64, v);
        return write_file_at(job_fd, file, buf);
}

int cgroup_job_set_limits(int job_fd, const SandboxSpec *spec, const char **ret_failed) {
        char buf[64];
        int r;

        for (size_t i = 0; i < spec_limits_size; i++) {
                const SpecField *f = spec_limits + i;

                if (!spec_limit_is_set(spec, f))
                        continue;
                for (size_t k = 0; k < ELEMENTSOF(limit_files); k++) {
                        if (!streq(limit_files[k].property, f->name))
                                continue;
                        r = write_u64_or_max(job_fd, limit_files[k].file, spec_limit_get(spec, f));
                        if (r < 0) {
                                *ret_failed = f->name;
                                return r;
                        }
                }
        }
        if (spec->cpu_weight != CGROUP_WEIGHT_DEFAULT) {
                /* CPUWeight=idle is the kernel's SCHED_IDLE for the whole cgroup (cpu.idle, 5.15). */
                if (spec->cpu_weight == 0)
                        r = write_file_at(job_fd, "cpu.idle", "1");
                else
                        r = write_u64_or_max(job_fd, "cpu.weight", spec->cpu_weight);
                if (r < 0) {
                        *ret_failed = "CPUWeight";
                        return r;
                }
        }
        if (spec->cpu_quota_per_sec_usec != UINT64_MAX) {
                /* Per 100 ms period, as systemd does by default. */
                snprintf(buf, sizeof buf, "%" PRIu64 " 100000", MAX(spec->cpu_quota_per_sec_usec / 10, UINT64_C(1000)));
                r = write_file_at(job_fd, "cpu.max", buf);
                if (r < 0) {
                        *ret_failed = "CPUQuotaPerSecUSec";
                        return r;
                }
        }
        return 0;
}

int cgroup_job_io_stat(int job_fd, CgroupIOStat *ret) {
        char buf[4096];
        CgroupIOStat st = {};
        int r;

        r = read_file_at(job_fd, "io.stat", buf, sizeof buf);
        if (r < 0)
                return r;
        /* A line per device: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N". */
        for (char *save = NULL, *w = strtok_r(buf, " \n", &save); w; w = strtok_r(NULL, " \n", &save)) {
                uint64_t v;

                if (sscanf(w, "rbytes=%" SCNu64, &v) == 1)
                        st.read_bytes += v;
                else if (sscanf(w, "wbytes=%" SCNu64, &v) == 1)
                        st.write_bytes += v;
                else if (sscanf(w, "rios=%" SCNu64, &v) == 1)
                        st.read_operations += v;
                else if (sscanf(w, "wios=%" SCNu64, &v) == 1)
                        st.write_operations += v;
        }
        *ret = st;
        return 0;
}

uint64_t cgroup_job_oom_kills(int job_fd) {
        char buf[512];
        const char *p;

        if (read_file_at(job_fd, "memory.events", buf, sizeof buf) < 0)
                return 0;
        p = strstr(buf, "oom_kill ");
        return p ? strtoull(p + 9, NULL, 10) : 0;
}
