/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "path-check.h"
#include "strv.h"

struct PathCheck {
        PathCheck **list;           /* the list it is in, while its child may live */
        PathCheck *next, *prev;
        sd_event_source *io_source, *timer_source, *exit_source;
        int fd;                     /* the read end of the child's pipe */
        int pidfd;
        bool reaped, orphaned;      /* orphaned: its owner let go while the child still ran */
        PathCheckCallback callback;
        void *userdata;
        size_t n_bytes;
        PathFailure failures[PATH_CHECK_FAILURES_MAX];
};

/* ---- the child: look the paths up as the job would, write a PathFailure per failing one ---- */

static int child_lookup(int dirfd, const char *path, uint64_t resolve, int access_mode, bool want_dir, int *ret_fd) {
        struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_MAGICLINKS | resolve };
        struct stat st;
        int fd;

        fd = (int) syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd < 0)
                return -errno;
        if (access_mode != 0 && syscall(SYS_faccessat2, fd, "", access_mode, AT_EACCESS | AT_EMPTY_PATH) < 0) {
                int e = errno;
                close(fd);
                return -e;
        }
        if (want_dir && (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))) {
                close(fd);
                return -ENOTDIR;
        }
        if (ret_fd)
                *ret_fd = fd;
        else
                close(fd);
        return 0;
}

typedef struct ChildState {
        int out;
        size_t n;
} ChildState;

static void child_report(ChildState *st, const char *property, const char *path, int error) {
        PathFailure f = { .error = error };

        if (st->n >= PATH_CHECK_FAILURES_MAX)
                return;
        st->n++;
        (void) snprintf(f.property, sizeof f.property, "%s", property);
        (void) snprintf(f.path, sizeof f.path, "%s", path);
        for (size_t done = 0; done < sizeof f;) {
                ssize_t k = write(st->out, (const char *) &f + done, sizeof f - done);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        _exit(3);
                done += (size_t) k;
        }
}

static void child_check_entries(ChildState *st, const char *property, const PathEntry *e, size_t n, int rootfd,
                                bool has_root) {
        for (size_t i = 0; i < n; i++) {
                int r;

                /* With RootDirectory=, host paths outside the root are dropped; "+" ones are below it. */
                if (has_root && !e[i].below_root)
                        continue;
                r = child_lookup(e[i].below_root ? rootfd : AT_FDCWD, e[i].path, e[i].below_root ? RESOLVE_IN_ROOT : 0,
                                 0, false, NULL);
                if (r < 0 && !(r == -ENOENT && e[i].ignore_missing))
                        child_report(st, property, e[i].path, -r);
        }
}

static const char *env_get(char **env, const char *name) {
        size_t l = strlen(name);

        STRV_FOREACH(e, env)
                if (strneq(*e, name, l) && (*e)[l] == '=')
                        return *e + l + 1;
        return NULL;
}

/* An executable regular file, as execve() wants it: a directory is EACCES. */
static int child_lookup_program(int rootfd, const char *path, bool in_root) {
        struct stat st;
        int fd, r;

        r = child_lookup(rootfd, path, in_root ? RESOLVE_IN_ROOT : 0, X_OK, false, &fd);
        if (r < 0)
                return r;
        r = fstat(fd, &st) < 0 ? -errno : S_ISREG(st.st_mode) ? 0 : -EACCES;
        close(fd);
        return r;
}

/* argv[0] as confine-exec's execvpe() finds it: a path as it is, a name along the job's PATH, with
 * the most telling errno. A relative path with a slash depends on the working directory: left out. */
static void child_check_program(ChildState *st, const SandboxSpec *s, int rootfd) {
        const char *prog = s->argv[0], *path, *p;
        bool in_root = s->root_directory;
        int error = ENOENT, r;

        if (prog[0] == '/') {
                r = child_lookup_program(rootfd, prog, in_root);
                if (r < 0)
                        child_report(st, "argv", prog, -r);
                return;
        }
        if (strchr(prog, '/'))
                return;
        path = env_get(s->environment, "PATH") ?: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (p = path; *p;) {
                size_t n = strcspn(p, ":");
                char full[4096];

                if (n > 0 && snprintf(full, sizeof full, "%.*s/%s", (int) n, p, prog) < (int) sizeof full) {
                        r = child_lookup_program(rootfd, full, in_root);
                        if (r == 0)
                                return;
                        if (r == -EACCES)
                                error = EACCES;
                        else if (r != -ENOENT && r != -ENOTDIR && error != EACCES)
                                error = -r;
                }
                p += n;
                if (*p == ':')
                        p++;
        }
        child_report(st, "argv", prog, error);
}

/* WorkingDirectory= as confine-exec enters it: "-" lets it be missing, "~" is the job's $HOME. */
static void child_check_working_directory(ChildState *st, const SandboxSpec *s, int rootfd) {
        const char *wd = s->working_directory;
        bool missing_ok = false;
        int r;

        if (wd[0] == '-') {
                missing_ok = true;
                wd++;
        }
        if (streq(wd, "~"))
                wd = env_get(s->environment, "HOME") ?: "/";
        r = child_lookup(rootfd, wd, s->root_directory ? RESOLVE_IN_ROOT : 0, X_OK, true, NULL);
        if (r < 0 && !(r == -ENOENT && missing_ok))
                child_report(st, "WorkingDirectory", s->working_directory, -r);
}

/* The files confine-exec opens for the job (exec-stdio.c, exec-environment-file.c,
 * exec-credentials-dir.c), as it opens them: in the caller's tree, before RootDirectory=. An output
 * file that does not exist yet needs a directory the job's user may write. */
static void child_check_io_paths(ChildState *st, const SandboxSpec *s) {
        static const char *const names[3][_STDIO_MODE_MAX] = {
                { [STDIO_FILE] = "StandardInputFile" },
                { [STDIO_FILE] = "StandardOutputFile", [STDIO_APPEND] = "StandardOutputFileToAppend",
                  [STDIO_TRUNCATE] = "StandardOutputFileToTruncate" },
                { [STDIO_FILE] = "StandardErrorFile", [STDIO_APPEND] = "StandardErrorFileToAppend",
                  [STDIO_TRUNCATE] = "StandardErrorFileToTruncate" },
        };
        int r;

        for (int i = 0; i < 3; i++) {
                const char *path = s->stdio_path[i];
                if (!path)
                        continue;
                r = child_lookup(AT_FDCWD, path, 0, i == 0 ? R_OK : W_OK, false, NULL);
                if (r == -ENOENT && i > 0) {
                        char dir[4096];
                        (void) snprintf(dir, sizeof dir, "%.*s", (int) (strrchr(path, '/') - path), path);
                        r = child_lookup(AT_FDCWD, dir[0] ? dir : "/", 0, W_OK | X_OK, true, NULL);
                }
                if (r < 0)
                        child_report(st, names[i][s->stdio_mode[i]], path, -r);
        }
        STRV_FOREACH(e, s->environment_files) {
                const char *path = *e + (**e == '-');
                if (strpbrk(path, "*?[")) /* a glob: what it matches is known only when the job starts */
                        continue;
                r = child_lookup(AT_FDCWD, path, 0, R_OK, false, NULL);
                if (r < 0 && !(r == -ENOENT && **e == '-'))
                        child_report(st, "EnvironmentFiles", path, -r);
        }
        for (size_t i = 0; i < s->n_load_credentials; i++) {
                bool fallback = false;
                for (size_t k = 0; k < s->n_set_credentials; k++)
                        fallback = fallback || streq(s->set_credentials[k].id, s->load_credentials[i].id);
                r = child_lookup(AT_FDCWD, s->load_credentials[i].path, 0, R_OK, false, NULL);
                if (r < 0 && !(r == -ENOENT && fallback))
                        child_report(st, "LoadCredential", s->load_credentials[i].path, -r);
        }
}

_noreturn_ static void child_run(const SandboxSpec *s, int nest_pidfd, int out) {
        ChildState st = { .out = out };
        int rootfd = AT_FDCWD, r;

        (void) prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (nest_pidfd >= 0 && setns(nest_pidfd, CLONE_NEWNS) < 0)
                _exit(2);
        if (s->uid != 0 && (setgroups(s->n_groups, s->groups) < 0 || setresgid(s->gid, s->gid, s->gid) < 0 ||
                            setresuid(s->uid, s->uid, s->uid) < 0))
                _exit(2);

        child_check_io_paths(&st, s);
        if (s->root_directory) {
                r = child_lookup(AT_FDCWD, s->root_directory, 0, R_OK | X_OK, true, &rootfd);
                if (r < 0) {
                        child_report(&st, "RootDirectory", s->root_directory, -r);
                        _exit(0);
                }
        }
        if (s->working_directory)
                child_check_working_directory(&st, s, rootfd);
        for (size_t i = 0; i < s->n_bind_mounts; i++) {
                const BindMount *b = &s->bind_mounts[i];
                r = child_lookup(AT_FDCWD, b->source, 0, R_OK, false, NULL);
                if (r < 0 && !(r == -ENOENT && b->ignore_missing))
                        child_report(&st, b->read_only ? "BindReadOnlyPaths" : "BindPaths", b->source, -r);
        }
        child_check_entries(&st, "ReadWritePaths", s->read_write_paths, s->n_read_write_paths, rootfd, s->root_directory);
        child_check_entries(&st, "ReadOnlyPaths", s->read_only_paths, s->n_read_only_paths, rootfd, s->root_directory);
        child_check_entries(&st, "InaccessiblePaths", s->inaccessible_paths, s->n_inaccessible_paths, rootfd,
                            s->root_directory);
        child_check_program(&st, s, rootfd);
        _exit(0);
}

/* ---- the daemon's side ---- */

static void path_check_reap(PathCheck *pc) {
        siginfo_t si = {};

        if (pc->reaped || pc->pidfd < 0)
                return;
        if (waitid(P_PIDFD, (id_t) pc->pidfd, &si, WEXITED | WNOHANG) < 0 || si.si_pid != 0)
                pc->reaped = true;
}

static void path_check_destroy(PathCheck *pc) {
        if (pc->list) {
                if (pc->prev)
                        pc->prev->next = pc->next;
                else
                        *pc->list = pc->next;
                if (pc->next)
                        pc->next->prev = pc->prev;
        }
        sd_event_source_disable_unref(pc->io_source);
        sd_event_source_disable_unref(pc->timer_source);
        sd_event_source_disable_unref(pc->exit_source);
        safe_close(pc->fd);
        safe_close(pc->pidfd);
        free(pc);
}

static void path_check_finish(PathCheck *pc, int r) {
        PathCheckCallback cb = pc->callback;

        pc->io_source = sd_event_source_disable_unref(pc->io_source);
        pc->timer_source = sd_event_source_disable_unref(pc->timer_source);
        pc->fd = safe_close(pc->fd);
        pc->callback = NULL;
        if (cb)
                cb(r, pc->failures, r < 0 ? 0 : pc->n_bytes / sizeof(PathFailure), pc->userdata);
}

static int on_child_output(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        PathCheck *pc = userdata;
        size_t room = sizeof pc->failures - pc->n_bytes;
        ssize_t k = 0;

        if (room > 0) {
                k = read(fd, (char *) pc->failures + pc->n_bytes, room);
                if (k < 0 && (errno == EAGAIN || errno == EINTR))
                        return 0;
                if (k > 0) {
                        pc->n_bytes += (size_t) k;
                        return 0;
                }
        }
        path_check_finish(pc, k < 0 ? -errno : 0);
        return 0;
}

static int on_timeout(sd_event_source *s, uint64_t usec, void *userdata) {
        PathCheck *pc = userdata;

        (void) syscall(SYS_pidfd_send_signal, pc->pidfd, SIGKILL, NULL, 0);
        path_check_finish(pc, -ETIME);
        return 0;
}

static int on_child_exit(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        PathCheck *pc = userdata;

        path_check_reap(pc);
        if (!pc->reaped)
                return 0;
        pc->exit_source = sd_event_source_disable_unref(pc->exit_source);
        if (pc->orphaned)
                path_check_destroy(pc);
        return 0;
}

int path_check_start(sd_event *event, PathCheck **list, const SandboxSpec *spec, int nest_pidfd,
                     PathCheckCallback callback, void *userdata, PathCheck **ret) {
        _cleanup_close_ int rfd = -EBADF, wfd = -EBADF;
        int p[2], r;
        PathCheck *pc;
        pid_t pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        rfd = p[0];
        wfd = p[1];
        if (fcntl(rfd, F_SETFL, O_NONBLOCK) < 0)
                return -errno;

        pc = calloc(1, sizeof *pc);
        if (!pc)
                return -ENOMEM;
        *pc = (PathCheck) { .fd = -EBADF, .pidfd = -EBADF, .callback = callback, .userdata = userdata };

        pid = fork();
        if (pid < 0) {
                free(pc);
                return -errno;
        }
        if (pid == 0) {
                close(rfd);
                child_run(spec, nest_pidfd, wfd);
        }
        wfd = safe_close(wfd);
        pc->fd = TAKE_FD(rfd);
        pc->pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        if (pc->pidfd < 0) {
                r = -errno;
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                path_check_destroy(pc);
                return r;
        }

        pc->list = list;
        pc->next = *list;
        if (*list)
                (*list)->prev = pc;
        *list = pc;

        r = sd_event_add_io(event, &pc->io_source, pc->fd, EPOLLIN, on_child_output, pc);
        if (r >= 0)
                r = sd_event_add_io(event, &pc->exit_source, pc->pidfd, EPOLLIN, on_child_exit, pc);
        if (r >= 0)
                r = sd_event_add_time_relative(event, &pc->timer_source, CLOCK_MONOTONIC, PATH_CHECK_TIMEOUT_USEC, 0,
                                               on_timeout, pc);
        if (r < 0) {
                pc->callback = NULL;
                path_check_free(pc);
                return r;
        }
        *ret = pc;
        return 0;
}

PathCheck *path_check_free(PathCheck *pc) {
        if (!pc)
                return NULL;
        pc->callback = NULL;
        pc->io_source = sd_event_source_disable_unref(pc->io_source);
        pc->timer_source = sd_event_source_disable_unref(pc->timer_source);
        pc->fd = safe_close(pc->fd);
        (void) syscall(SYS_pidfd_send_signal, pc->pidfd, SIGKILL, NULL, 0);
        path_check_reap(pc);
        if (pc->reaped || !pc->exit_source)
                path_check_destroy(pc);
        else
                pc->orphaned = true;  /* on_child_exit reaps and frees it */
        return NULL;
}

void path_checks_kill_all(PathCheck **list) {
        while (*list) {
                PathCheck *pc = *list;
                siginfo_t si;

                (void) syscall(SYS_pidfd_send_signal, pc->pidfd, SIGKILL, NULL, 0);
                if (!pc->reaped)
                        (void) waitid(P_PIDFD, (id_t) pc->pidfd, &si, WEXITED);
                path_check_destroy(pc);
        }
}
