/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-status.h"
#include "macro.h"
#include "spawn.h"

#define MAX_CHILD_FDS 256

static pid_t clone3_pidfd(int cgroup_fd, int *ret_pidfd) {
        struct clone_args args = {
                .flags = CLONE_PIDFD | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
                .pidfd = (uint64_t) (uintptr_t) ret_pidfd,
                .exit_signal = SIGCHLD,
                .cgroup = cgroup_fd >= 0 ? (uint64_t) cgroup_fd : 0,
        };
        return (pid_t) syscall(SYS_clone3, &args, sizeof args);
}

/* Only async-signal-safe calls from here on: we are a copy of the daemon between clone and exec. */
static _noreturn_ void child_exec(const char *exec_path, const SpawnFds *fds) {
        static char *const argv[] = { (char *) "confine-exec", NULL };
        static char *const envp[] = { NULL };
        int source[MAX_CHILD_FDS];
        size_t n = EXEC_FD_FIRST_EXTRA + fds->n_extra;
        ExecStatus st = { .step = EXEC_STEP_EXECVE };
        int status_fd = fds->status;

        for (size_t i = 0; i < 3; i++)
                source[i] = fds->stdio[i] >= 0 ? fds->stdio[i] : fds->devnull;
        source[EXEC_FD_SPEC] = fds->spec;
        source[EXEC_FD_STATUS] = fds->status;
        for (size_t i = 0; i < fds->n_extra; i++)
                source[EXEC_FD_FIRST_EXTRA + i] = fds->extra[i];

        /* First lift every source above the target range, so that no dup2() below clobbers a
         * source that is still to be placed; then put each in its slot. */
        for (size_t i = 0; i < n; i++) {
                source[i] = fcntl(source[i], F_DUPFD, (int) n);
                if (source[i] < 0)
                        goto fail;
        }
        for (size_t i = 0; i < n; i++)
                if (dup2(source[i], (int) i) < 0)
                        goto fail;
        status_fd = EXEC_FD_STATUS;
        if (syscall(SYS_close_range, (unsigned) n, ~0U, 0) < 0)
                goto fail;

        execve(exec_path, argv, envp);
fail:
        st.error = errno;
        memcpy(st.detail, "confine-exec", sizeof "confine-exec");
        (void) !write(status_fd, &st, sizeof st);
        _exit(127);
}

int spawn_confine_exec(const char *exec_path, const SpawnFds *fds, int cgroup_fd,
                       pid_t *ret_pid, int *ret_pidfd) {
        int pidfd = -EBADF;
        pid_t pid;

        if (EXEC_FD_FIRST_EXTRA + fds->n_extra > MAX_CHILD_FDS)
                return -EMFILE;

        pid = clone3_pidfd(cgroup_fd, &pidfd);
        if (pid < 0)
                return -errno;
        if (pid == 0)
                child_exec(exec_path, fds);

        *ret_pid = pid;
        *ret_pidfd = pidfd;
        return 0;
}
