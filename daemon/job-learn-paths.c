/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "job-learn-paths.h"
#include "macro.h"
#include "strv.h"

/* Distinct paths kept per kind: a job cannot make the record grow without bound. */
#define LEARN_PATHS_MAX 4096

typedef enum PathWrites {
        WRITES_NEVER,
        WRITES_ALWAYS,
        WRITES_BY_OPEN_FLAGS,   /* open(2)'s flags argument */
        WRITES_BY_HOW,          /* openat2(2)'s struct open_how */
} PathWrites;

/* A call that names paths: the argument of its directory fd (-1: the working directory) and of its
 * path, a second pair for calls that name two, and what makes it write. */
typedef struct PathCall {
        int nr;
        int dirfd_arg, path_arg;
        int dirfd2_arg, path2_arg;      /* -1 for none */
        int flags_arg;
        PathWrites writes;
} PathCall;

static const PathCall path_calls[] = {
#ifdef __NR_open
        { __NR_open, -1, 0, -1, -1, 1, WRITES_BY_OPEN_FLAGS },
        { __NR_creat, -1, 0, -1, -1, -1, WRITES_ALWAYS },
        { __NR_mkdir, -1, 0, -1, -1, -1, WRITES_ALWAYS },
        { __NR_rmdir, -1, 0, -1, -1, -1, WRITES_ALWAYS },
        { __NR_unlink, -1, 0, -1, -1, -1, WRITES_ALWAYS },
        { __NR_rename, -1, 0, -1, 1, -1, WRITES_ALWAYS },
        { __NR_link, -1, 0, -1, 1, -1, WRITES_ALWAYS },
        { __NR_symlink, -1, -1, -1, 1, -1, WRITES_ALWAYS },
        { __NR_chmod, -1, 0, -1, -1, -1, WRITES_ALWAYS },
        { __NR_chown, -1, 0, -1, -1, -1, WRITES_ALWAYS },
        { __NR_lchown, -1, 0, -1, -1, -1, WRITES_ALWAYS },
        { __NR_mknod, -1, 0, -1, -1, -1, WRITES_ALWAYS },
        { __NR_stat, -1, 0, -1, -1, -1, WRITES_NEVER },
        { __NR_lstat, -1, 0, -1, -1, -1, WRITES_NEVER },
        { __NR_access, -1, 0, -1, -1, -1, WRITES_NEVER },
        { __NR_readlink, -1, 0, -1, -1, -1, WRITES_NEVER },
#endif
        { __NR_openat, 0, 1, -1, -1, 2, WRITES_BY_OPEN_FLAGS },
        { __NR_openat2, 0, 1, -1, -1, 2, WRITES_BY_HOW },
        { __NR_mkdirat, 0, 1, -1, -1, -1, WRITES_ALWAYS },
        { __NR_mknodat, 0, 1, -1, -1, -1, WRITES_ALWAYS },
        { __NR_unlinkat, 0, 1, -1, -1, -1, WRITES_ALWAYS },
        { __NR_renameat, 0, 1, 2, 3, -1, WRITES_ALWAYS },
        { __NR_renameat2, 0, 1, 2, 3, -1, WRITES_ALWAYS },
        { __NR_linkat, 0, 1, 2, 3, -1, WRITES_ALWAYS },
        { __NR_symlinkat, -1, -1, 1, 2, -1, WRITES_ALWAYS },
        { __NR_fchmodat, 0, 1, -1, -1, -1, WRITES_ALWAYS },
        { __NR_fchownat, 0, 1, -1, -1, -1, WRITES_ALWAYS },
        { __NR_truncate, -1, 0, -1, -1, -1, WRITES_ALWAYS },
        { __NR_utimensat, 0, 1, -1, -1, -1, WRITES_ALWAYS },
        { __NR_newfstatat, 0, 1, -1, -1, -1, WRITES_NEVER },
        { __NR_statx, 0, 1, -1, -1, -1, WRITES_NEVER },
        { __NR_faccessat, 0, 1, -1, -1, -1, WRITES_NEVER },
        { __NR_faccessat2, 0, 1, -1, -1, -1, WRITES_NEVER },
        { __NR_readlinkat, 0, 1, -1, -1, -1, WRITES_NEVER },
        { __NR_execve, -1, 0, -1, -1, -1, WRITES_NEVER },
        { __NR_execveat, 0, 1, -1, -1, -1, WRITES_NEVER },
        { __NR_chdir, -1, 0, -1, -1, -1, WRITES_NEVER },
};

/* Reads a NUL-terminated string of the job, a page at a time (a string may end before an unmapped
 * page). Returns its length, or -1. */
static ssize_t read_job_string(pid_t pid, uint64_t addr, char *buf, size_t size) {
        size_t done = 0;

        while (done < size - 1) {
                size_t chunk = 4096 - ((addr + done) & 4095);
                struct iovec local, remote;
                ssize_t k;
                char *nul;

                if (chunk > size - 1 - done)
                        chunk = size - 1 - done;
                local = (struct iovec) { buf + done, chunk };
                remote = (struct iovec) { (void *) (uintptr_t) (addr + done), chunk };
                k = process_vm_readv(pid, &local, 1, &remote, 1, 0);
                if (k <= 0)
                        return -1;
                nul = memchr(buf + done, 0, (size_t) k);
                if (nul)
                        return nul - buf;
                done += (size_t) k;
        }
        return -1;
}

static bool read_job_memory(pid_t pid, uint64_t addr, void *out, size_t size) {
        struct iovec local = { out, size }, remote = { (void *) (uintptr_t) addr, size };
        return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t) size;
}

/* "/a/./b//c/../d" → "/a/b/d", in place; the path is absolute. */
static void normalize(char *path) {
        char *out = path, *in = path;

        while (*in) {
                while (*in == '/')
                        in++;
                if (!*in)
                        break;
                size_t n = strcspn(in, "/");
                if (n == 1 && in[0] == '.') {
                        in += n;
                        continue;
                }
                if (n == 2 && in[0] == '.' && in[1] == '.') {
                        while (out > path && *--out != '/')
                                ;
                        in += n;
                        continue;
                }
                *out++ = '/';
                memmove(out, in, n);
                out += n;
                in += n;
        }
        if (out == path)
                *out++ = '/';
        *out = 0;
}

/* The absolute path a call names: relative paths against the directory fd or the working directory,
 * as /proc shows them to confined. */
static bool resolve(pid_t pid, int dirfd, const char *rel, char *out, size_t size) {
        char link[64], base[PATH_MAX];
        ssize_t n;

        if (rel[0] == '/') {
                if (strlen(rel) >= size)
                        return false;
                strcpy(out, rel);
        } else {
                if (dirfd == AT_FDCWD)
                        snprintf(link, sizeof link, "/proc/%d/cwd", (int) pid);
                else
                        snprintf(link, sizeof link, "/proc/%d/fd/%d", (int) pid, dirfd);
                n = readlink(link, base, sizeof base - 1);
                if (n <= 0 || base[0] != '/')
                        return false;
                base[n] = 0;
                if ((size_t) snprintf(out, size, "%s/%s", base, rel) >= size)
                        return false;
        }
        normalize(out);
        return true;
}

static void insert(char ***list, size_t *n, const char *path) {
        size_t lo = 0, hi = *n;
        char **l, *copy;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = strcmp((*list)[mid], path);
                if (c == 0)
                        return;
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (*n >= LEARN_PATHS_MAX)
                return;
        l = realloc(*list, (*n + 2) * sizeof *l);
        if (!l)
                return;
        *list = l;
        l[*n] = NULL;
        copy = strdup(path);
        if (!copy)
                return;
        memmove(l + lo + 1, l + lo, (*n - lo) * sizeof *l);
        l[lo] = copy;
        (*n)++;
        l[*n] = NULL;
}

static bool writes(const PathCall *c, pid_t pid, const struct seccomp_notif *req) {
        uint64_t flags;
        struct open_how how;

        switch (c->writes) {
        case WRITES_ALWAYS:
                return true;
        case WRITES_BY_OPEN_FLAGS:
                flags = req->data.args[c->flags_arg];
                break;
        case WRITES_BY_HOW:
                if (!read_job_memory(pid, req->data.args[c->flags_arg], &how, sizeof how))
                        return false;
                flags = how.flags;
                break;
        default:
                return false;
        }
        return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) || (flags & O_TMPFILE) == O_TMPFILE;
}

/* mkdir -p makes the call for every directory of the path: one that exists already is not written,
 * and would otherwise make its parent (/tmp …) look written in. Looked up in the job's own root. */
static bool exists_in_job(pid_t pid, const char *path) {
        char full[PATH_MAX + 64];
        struct stat st;

        if ((size_t) snprintf(full, sizeof full, "/proc/%d/root%s", (int) pid, path) >= sizeof full)
                return false;
        return lstat(full, &st) == 0;
}

void learn_paths_record(LearnPaths *p, int listener_fd, const struct seccomp_notif *req) {
        char rel[PATH_MAX], path[2][PATH_MAX];
        const PathCall *c = NULL;
        pid_t pid = (pid_t) req->pid;
        int n = 0;
        bool w;

        for (size_t i = 0; i < ELEMENTSOF(path_calls); i++)
                if (path_calls[i].nr == req->data.nr) {
                        c = &path_calls[i];
                        break;
                }
        if (!c || pid <= 0)
                return;

        for (int k = 0; k < 2; k++) {
                int dirfd_arg = k == 0 ? c->dirfd_arg : c->dirfd2_arg, path_arg = k == 0 ? c->path_arg : c->path2_arg;
                int dirfd = dirfd_arg < 0 ? AT_FDCWD : (int) req->data.args[dirfd_arg];

                if (path_arg < 0 || req->data.args[path_arg] == 0)
                        continue;
                if (read_job_string(pid, req->data.args[path_arg], rel, sizeof rel) <= 0)
                        continue;
                if (resolve(pid, dirfd, rel, path[n], sizeof path[n]))
                        n++;
        }
        if (n == 0)
                return;
        w = writes(c, pid, req);
        /* What was read must still be the waiting call's: else the pid may be another process's now. */
        if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
                return;
        for (int k = 0; k < n; k++) {
                bool made_already = (req->data.nr == __NR_mkdirat
#ifdef __NR_mkdir
                                     || req->data.nr == __NR_mkdir
#endif
                                    ) && exists_in_job(pid, path[k]);

                insert(&p->used, &p->n_used, path[k]);
                if (w && !made_already)
                        insert(&p->written, &p->n_written, path[k]);
        }
}

void learn_paths_done(LearnPaths *p) {
        p->used = strv_free(p->used);
        p->written = strv_free(p->written);
        p->n_used = p->n_written = 0;
}
