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

/* Inserts path into the sorted list; with modes, the array beside it. Returns its index, or -1. */
static ssize_t insert(char ***list, uint8_t **modes, size_t *n, const char *path) {
        size_t lo = 0, hi = *n;
        char **l, *copy;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = strcmp((*list)[mid], path);
                if (c == 0)
                        return (ssize_t) mid;
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (*n >= LEARN_PATHS_MAX)
                return -1;
        l = realloc(*list, (*n + 2) * sizeof *l);
        if (!l)
                return -1;
        *list = l;
        l[*n] = NULL;
        copy = strdup(path);
        if (!copy)
                return -1;
        if (modes) {
                uint8_t *m = realloc(*modes, *n + 1);
                if (!m) {
                        free(copy);
                        return -1;
                }
                *modes = m;
                memmove(m + lo + 1, m + lo, *n - lo);
                m[lo] = 0;
        }
        memmove(l + lo + 1, l + lo, (*n - lo) * sizeof *l);
        l[lo] = copy;
        (*n)++;
        l[*n] = NULL;
        return (ssize_t) lo;
}

#ifdef __NR_open
#define MKDIR_NR __NR_mkdir
#define MKNOD_NR __NR_mknod
#define CREAT_NR __NR_creat
#else
#define MKDIR_NR (-1)
#define MKNOD_NR (-1)
#define CREAT_NR (-1)
#endif

/* The open flags of an open call, or -1 for another call (or flags that could not be read). */
static int64_t open_flags(const PathCall *c, pid_t pid, const struct seccomp_notif *req) {
        struct open_how how;

        switch (c->writes) {
        case WRITES_BY_OPEN_FLAGS:
                return (int64_t) (req->data.args[c->flags_arg] & UINT32_MAX);
        case WRITES_BY_HOW:
                if (!read_job_memory(pid, req->data.args[c->flags_arg], &how, sizeof how))
                        return -1;
                return (int64_t) (how.flags & UINT32_MAX);
        default:
                return -1;
        }
}

static bool writes(const PathCall *c, int64_t flags) {
        if (c->writes == WRITES_ALWAYS)
                return true;
        if (flags < 0)
                return false;
        return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) || (flags & O_TMPFILE) == O_TMPFILE;
}

static bool is_call(int nr, int a, int b) {
        return nr == a || nr == b;
}

/* How the call uses its k-th path; exists: whether it is there now, while the call waits. */
static uint8_t mode_of(const PathCall *c, int nr, int k, int64_t flags, bool exists) {
        uint8_t m = 0;

        if (flags >= 0) {
                if (flags & O_PATH)
                        return (flags & O_DIRECTORY) ? LEARN_MODE_DIRECTORY : 0;
                if ((flags & O_ACCMODE) != O_WRONLY)
                        m |= LEARN_MODE_READ;
                if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
                        m |= LEARN_MODE_WRITE;
                if ((flags & O_CREAT) && !exists)
                        m |= LEARN_MODE_CREATE;
                if ((flags & O_DIRECTORY) && (flags & O_TMPFILE) != O_TMPFILE)
                        m |= LEARN_MODE_DIRECTORY;
                return m;
        }
        if (is_call(nr, __NR_execve, __NR_execveat))
                return LEARN_MODE_EXECUTE | LEARN_MODE_READ;
        if (nr == __NR_chdir)
                return LEARN_MODE_DIRECTORY;
        if (is_call(nr, __NR_mkdirat, MKDIR_NR))
                return exists ? LEARN_MODE_DIRECTORY : LEARN_MODE_CREATE | LEARN_MODE_DIRECTORY;
        if (c->writes != WRITES_ALWAYS)
                return 0;
        /* The second path of rename/link/symlink, mknod and creat: made; the others change what is. */
        if (k == 1 || is_call(nr, __NR_mknodat, MKNOD_NR) || nr == CREAT_NR)
                return exists ? LEARN_MODE_WRITE : LEARN_MODE_CREATE;
        return LEARN_MODE_WRITE;
}

/* mkdir -p makes the call for every directory of the path: one that exists already is not written,
 * and would otherwise make its parent (/tmp …) look written in. Looked up in the job's own root. */
static bool exists_in_job(pid_t pid, const char *path, mode_t *ret_type) {
        char full[PATH_MAX + 64];
        struct stat st;

        *ret_type = 0;
        if ((size_t) snprintf(full, sizeof full, "/proc/%d/root%s", (int) pid, path) >= sizeof full)
                return false;
        if (lstat(full, &st) < 0)
                return false;
        *ret_type = st.st_mode & S_IFMT;
        return true;
}

void learn_paths_record(LearnPaths *p, LearnUses *uses, int listener_fd, const struct seccomp_notif *req) {
        char rel[PATH_MAX], path[2][PATH_MAX];
        const PathCall *c = NULL;
        pid_t pid = (pid_t) req->pid;
        int n = 0;
        int64_t flags;
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
        flags = open_flags(c, pid, req);
        w = writes(c, flags);
        /* What was read must still be the waiting call's: else the pid may be another process's now. */
        if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
                return;
        for (int k = 0; k < n; k++) {
                int nr = req->data.nr;
                /* Only where it matters: whether a call creates, and what a device node is. */
                bool look = is_call(nr, __NR_mkdirat, MKDIR_NR) || (flags >= 0 && (flags & O_CREAT)) ||
                            c->writes == WRITES_ALWAYS || strncmp(path[k], "/dev/", 5) == 0;
                mode_t type = 0;
                bool exists = look && exists_in_job(pid, path[k], &type);
                bool made_already = is_call(nr, __NR_mkdirat, MKDIR_NR) && exists;
                uint8_t m = mode_of(c, nr, (c->path_arg < 0 ? 1 : k), flags, exists);
                ssize_t at;

                if (S_ISCHR(type) || S_ISBLK(type))
                        m |= LEARN_MODE_DEVICE;
                else if (S_ISDIR(type))
                        m |= LEARN_MODE_DIRECTORY;
                at = insert(&p->used, &p->modes, &p->n_used, path[k]);
                if (at >= 0)
                        p->modes[at] |= m;
                if (w && !made_already)
                        (void) insert(&p->written, NULL, &p->n_written, path[k]);
                if (uses)
                        learn_uses_path(uses, pid, path[k], m & LEARN_MODE_EXECUTE);
        }
}

int learn_paths_files(const LearnPaths *p, char ***ret) {
        static const char letters[] = "rwcxdv";
        char **l = calloc(p->n_used + 1, sizeof *l);

        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_used; i++) {
                char word[sizeof letters] = "", *w = word;

                for (unsigned b = 0; b < sizeof letters - 1; b++)
                        if (p->modes[i] & (1u << b))
                                *w++ = letters[b];
                if (w == word)
                        *w++ = '-';
                *w = 0;
                if (asprintf(&l[i], "%s %s", word, p->used[i]) < 0) {
                        l[i] = NULL;
                        strv_free(l);
                        return -ENOMEM;
                }
        }
        *ret = l;
        return 0;
}

void learn_paths_done(LearnPaths *p) {
        p->used = strv_free(p->used);
        free(p->modes);
        p->modes = NULL;
        p->written = strv_free(p->written);
        p->n_used = p->n_written = 0;
}
