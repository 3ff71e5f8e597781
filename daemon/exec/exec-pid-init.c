/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec-pid-init.h"
#include "exec-report.h"

/* The init's end of the pipe on which it hands the job's wait status to the outer process. */
static int status_out_fd = -EBADF;

static void block_all_signals(sigset_t *ret_all) {
        sigfillset(ret_all);
        if (sigprocmask(SIG_SETMASK, ret_all, NULL) < 0)
                exec_fail(EXEC_STEP_NAMESPACES, errno, "PrivatePIDs=yes: block signals");
}

/* Closes every fd but keep: the job's stdio, the status pipe and the caller's fds are the job's
 * alone, so that their other ends see EOF when the job is done with them. */
static void close_all_but(int keep) {
        if (keep > 0)
                (void) syscall(SYS_close_range, 0u, (unsigned) keep - 1, 0u);
        (void) syscall(SYS_close_range, (unsigned) keep + 1, ~0U, 0u);
}

/* Ends this process as a process with wait status st ended: the same exit status, or the same signal.
 * A core dump is not repeated (the job's own went where the kernel sends them): it reads as a signal. */
static _noreturn_ void exit_like(int st) {
        struct rlimit no_core = {};
        sigset_t one;
        int sig;

        if (WIFEXITED(st))
                _exit(WEXITSTATUS(st));
        if (!WIFSIGNALED(st))
                _exit(EXIT_FAILURE);
        sig = WTERMSIG(st);
        (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        (void) setrlimit(RLIMIT_CORE, &no_core);
        (void) signal(sig, SIG_DFL);
        sigemptyset(&one);
        sigaddset(&one, sig);
        (void) kill(getpid(), sig);
        (void) sigprocmask(SIG_UNBLOCK, &one, NULL);
        _exit(128 + sig); /* a signal whose default is not to terminate */
}

/* The outer process, until the init has ended. */
static _noreturn_ void supervise(pid_t init, int status_in) {
        sigset_t all;
        int st;

        sigfillset(&all);
        close_all_but(status_in);
        for (;;) {
                siginfo_t si = {}, ci = {};
                int sig = sigwaitinfo(&all, &si);

                if (sig < 0)
                        continue;
                if (sig != SIGCHLD) {
                        (void) kill(init, sig);
                        continue;
                }
                if (waitid(P_PID, (id_t) init, &ci, WEXITED | WNOHANG) < 0 || ci.si_pid != init)
                        continue;
                /* The job's status, or, if the init ended before it had one (a setup step failed and
                 * reported itself on the status pipe), the init's own. */
                if (read(status_in, &st, sizeof st) == (ssize_t) sizeof st)
                        exit_like(st);
                exit_like(ci.si_code == CLD_EXITED ? W_EXITCODE(ci.si_status, 0) : W_EXITCODE(0, ci.si_status));
        }
}

void exec_enter_pid_namespace(const SandboxSpec *spec) {
        int pipe_fds[2];
        sigset_t all;
        pid_t pid;

        if (!spec->private_pids)
                return;

        /* Blocked from here on, in all three processes until the job unblocks them: a signal sent
         * while the sandbox is being built waits, and is forwarded once the job exists. */
        block_all_signals(&all);
        if (pipe2(pipe_fds, O_CLOEXEC) < 0)
                exec_fail(EXEC_STEP_NAMESPACES, errno, "PrivatePIDs=yes: pipe");
        if (unshare(CLONE_NEWPID) < 0)
                exec_fail(EXEC_STEP_NAMESPACES, errno, "PrivatePIDs=yes: unshare(CLONE_NEWPID)");
        pid = fork();
        if (pid < 0)
                exec_fail(EXEC_STEP_NAMESPACES, errno, "PrivatePIDs=yes: fork the namespace's init");
        if (pid > 0)
                supervise(pid, pipe_fds[0]);

        /* The init. If the outer process is killed (without a cgroup to kill them all), so are we,
         * and with us the namespace: a forced SIGKILL from outside reaches even a PID 1. */
        (void) close(pipe_fds[0]);
        status_out_fd = pipe_fds[1];
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_NAMESPACES, errno, "PrivatePIDs=yes: PR_SET_PDEATHSIG");
}

/* PID 1 of the job's namespace, until the job has ended. Signals reach it blocked, so none is dropped
 * as the kernel drops an unhandled one sent to a PID 1, and are taken with sigwaitinfo(). */
static _noreturn_ void init_loop(pid_t job) {
        sigset_t all;
        int job_status = 0;

        sigfillset(&all);
        close_all_but(status_out_fd);
        for (;;) {
                siginfo_t si = {};
                int sig = sigwaitinfo(&all, &si), st;
                pid_t pid;

                if (sig < 0)
                        continue;
                if (sig != SIGCHLD) {
                        (void) kill(job, sig);
                        continue;
                }
                while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
                        if (pid == job) {
                                job_status = st;
                                /* Exiting kills what is left in the namespace; the kernel reaps it
                                 * before the outer process sees us go. */
                                (void) !write(status_out_fd, &job_status, sizeof job_status);
                                _exit(EXIT_SUCCESS);
                        }
        }
}

void exec_fork_job(const SandboxSpec *spec) {
        sigset_t none;
        pid_t pid;

        if (!spec->private_pids)
                return;

        /* The init runs with the job's credentials and bounding set but without its system call
         * filter: the job must not be able to ptrace it or read its /proc/1 files, even as the same uid
         * (a uid change made it non-dumpable already; a root job's did not). Before the fork, so that
         * there is no moment when the job runs and the init is dumpable; the job's execve() makes it
         * dumpable again as any execve() does. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_NAMESPACES, errno, "PrivatePIDs=yes: PR_SET_DUMPABLE");
        pid = fork();
        if (pid < 0)
                exec_fail(EXEC_STEP_NAMESPACES, errno, "PrivatePIDs=yes: fork the job");
        if (pid > 0)
                init_loop(pid);

        (void) close(status_out_fd);
        status_out_fd = -EBADF;
        sigemptyset(&none);
        if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
                exec_fail(EXEC_STEP_SIGNALS, errno, "sigprocmask");
}
