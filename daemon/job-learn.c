/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "af-names.h"
#include "job-learn.h"
#include "job-learn-paths.h"
#include "log.h"
#include "macro.h"
#include "strv.h"

/* More distinct calls than any ABI has: a job cannot make the set grow without bound. */
#define LEARN_KEYS_MAX 2048

struct JobLearn {
        int fd;
        sd_event_source *source;
        uint64_t *keys;         /* (arch << 32 | nr), sorted */
        size_t n_keys;
        uint64_t count;
        uint64_t families[2];   /* the socket families socket() and socketpair() asked for, as bits */
        LearnPaths paths;
        LearnUses uses;
};

static void learn_record(JobLearn *l, uint32_t arch, int nr) {
        uint64_t key = (uint64_t) arch << 32 | (uint32_t) nr;
        size_t lo = 0, hi = l->n_keys;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (l->keys[mid] == key)
                        return;
                if (l->keys[mid] < key)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (l->n_keys >= LEARN_KEYS_MAX)
                return;
        if ((l->n_keys & 63) == 0) {
                uint64_t *k = realloc(l->keys, (l->n_keys + 64) * sizeof *k);
                if (!k)
                        return;
                l->keys = k;
        }
        memmove(l->keys + lo + 1, l->keys + lo, (l->n_keys - lo) * sizeof *l->keys);
        l->keys[lo] = key;
        l->n_keys++;
}

static int on_notification(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        JobLearn *l = userdata;
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;

        if (revents & EPOLLIN) {
                memset(&req, 0, sizeof req);
                if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
                        return 0; /* ENOENT: the caller died meanwhile; EINTR: the next wake-up */
                learn_record(l, req.data.arch, req.data.nr);
                l->count++;
                /* The family is an argument by value: what the call asked for, nothing to read back. */
                if (req.data.arch == seccomp_arch_native() &&
                    (req.data.nr == __NR_socket || req.data.nr == __NR_socketpair) && req.data.args[0] < 128)
                        l->families[req.data.args[0] / 64] |= UINT64_C(1) << (req.data.args[0] % 64);
                if (req.data.arch == seccomp_arch_native()) {
                        learn_paths_record(&l->paths, &l->uses, fd, &req);
                        learn_uses_record(&l->uses, fd, &req);
                }
                resp = (struct seccomp_notif_resp) { .id = req.id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
                (void) ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
                return 0;
        }
        /* Every process under the filter is gone. */
        l->source = sd_event_source_disable_unref(l->source);
        l->fd = safe_close(l->fd);
        return 0;
}

int job_learn_attach(sd_event *event, int pidfd, int listener_fd, JobLearn **ret) {
        JobLearn *l;
        int r;

        l = calloc(1, sizeof *l);
        if (!l)
                return -ENOMEM;
        l->fd = (int) syscall(SYS_pidfd_getfd, pidfd, listener_fd, 0);
        if (l->fd < 0) {
                r = -errno;
                free(l);
                return r;
        }
        r = sd_event_add_io(event, &l->source, l->fd, EPOLLIN, on_notification, l);
        /* A job's calls wait for confined: below the bus and every other job, so that a learning job
         * that calls without pause slows itself, not the daemon. */
        if (r >= 0)
                r = sd_event_source_set_priority(l->source, SD_EVENT_PRIORITY_IDLE);
        if (r < 0) {
                job_learn_free(l);
                return r;
        }
        *ret = l;
        return 0;
}

JobLearn *job_learn_free(JobLearn *l) {
        if (!l)
                return NULL;
        sd_event_source_disable_unref(l->source);
        safe_close(l->fd);
        free(l->keys);
        learn_paths_done(&l->paths);
        learn_uses_done(&l->uses);
        free(l);
        return NULL;
}

int job_learn_names(const JobLearn *l, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;
        uint32_t native = seccomp_arch_native();

        for (size_t i = 0; l && i < l->n_keys; i++) {
                uint32_t arch = (uint32_t) (l->keys[i] >> 32);
                int nr = (int) (uint32_t) l->keys[i];
                _cleanup_free_ char *name = seccomp_syscall_resolve_num_arch(arch, nr), *full = NULL;

                if (!name && asprintf(&name, "%d", nr) < 0)
                        return -ENOMEM;
                if (arch != native) {
                        if (asprintf(&full, "%s@%s", name, arch == SCMP_ARCH_X86 ? "x86" : arch == SCMP_ARCH_X32 ? "x32" : "other") < 0)
                                return -ENOMEM;
                } else
                        full = TAKE_PTR(name);
                if (strv_extend(&names, full) < 0)
                        return -ENOMEM;
        }
        strv_sort_unique(names);
        if (!names && !(names = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(names);
        return 0;
}

int job_learn_families(const JobLearn *l, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;

        for (int af = 0; l && af < 128; af++) {
                const char *name;
                char buf[32];

                if (!(l->families[af / 64] & (UINT64_C(1) << (af % 64))))
                        continue;
                name = af_to_name(af);
                if (!name) {
                        snprintf(buf, sizeof buf, "%d", af);
                        name = buf;
                }
                if (strv_extend(&names, name) < 0)
                        return -ENOMEM;
        }
        if (!names && !(names = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(names);
        return 0;
}

char * const *job_learn_paths(const JobLearn *l, bool written) {
        static char *none[] = { NULL };
        char **list = !l ? NULL : written ? l->paths.written : l->paths.used;
        return list ?: none;
}

uint64_t job_learn_count(const JobLearn *l) {
        return l ? l->count : 0;
}

int job_learn_files(const JobLearn *l, char ***ret) {
        if (!l) {
                *ret = calloc(1, sizeof(char *));
                return *ret ? 0 : -ENOMEM;
        }
        return learn_paths_files(&l->paths, ret);
}

char * const *job_learn_endpoints(const JobLearn *l) {
        static char *none[] = { NULL };
        return l && l->uses.endpoints ? l->uses.endpoints : none;
}

int job_learn_uses(const JobLearn *l, char ***ret) {
        return learn_uses_names(l ? &l->uses : NULL, ret);
}

int job_learn_capabilities(const JobLearn *l, char ***ret) {
        return learn_uses_capabilities(l ? &l->uses : NULL, ret);
}
