/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__has_feature)
#  if __has_feature(address_sanitizer) && !defined(__SANITIZE_ADDRESS__)
#    define __SANITIZE_ADDRESS__ 1
#  endif
#endif
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#include "exec-status.h"
#include "macro.h"
#include "spawn.h"

#define MAX_CHILD_FDS 256

static struct clone_args spawn_clone_args(int cgroup_fd, int *ret_pidfd) {
        return (struct clone_args) {
                .flags = CLONE_PIDFD | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
                .pidfd = (uint64_t) (uintptr_t) ret_pidfd,
                .exit_signal = SIGCHLD,
                .cgroup = cgroup_fd >= 0 ? (uint64_t) cgroup_fd : 0,
        };
}

/* Only async-signal-safe calls from here on: we run in (a copy of) the daemon between clone and exec.
 * Nothing here may write the daemon's memory, which the child may share (CLONE_VM): locals only. */
static _noreturn_ void child_exec(const char *exec_path, const SpawnFds *fds) {
        static char *const argv[] = { (char *) "confine-exec", NULL };
        static char *const envp[] = { NULL };
        int source[MAX_CHILD_FDS];
        size_t n = spawn_fds_count(fds);
        ExecStatus st = { .step = EXEC_STEP_EXECVE };
        int status_fd = fds->status;

        for (size_t i = 0; i < 3; i++)
                source[i] = fds->stdio[i] >= 0 ? fds->stdio[i] : fds->devnull;
        source[EXEC_FD_SPEC] = fds->spec;
        source[EXEC_FD_STATUS] = fds->status;
        for (size_t i = 0; i < fds->n_extra; i++)
                source[EXEC_FD_FIRST_EXTRA + i] = fds->extra[i];
        if (fds->netns >= 0)
                source[EXEC_FD_FIRST_EXTRA + fds->n_extra] = fds->netns;
        if (fds->nest >= 0)
                source[n - 1] = fds->nest;

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

typedef struct ChildArgs {
        const char *exec_path;
        const SpawnFds *fds;
} ChildArgs;

#if defined(__x86_64__)
/* The child borrows the daemon's memory (CLONE_VM) until its execve(), and the daemon waits for that
 * (CLONE_VFORK), as posix_spawn() does. A plain fork would copy the page tables and write-protect every
 * page of the daemon, which then takes a page fault, and on a VM a TLB shootdown, for each page it writes
 * after every spawn. The child runs on a stack of its own; one suffices, since one thread spawns (the
 * spawner's, or the event loop's without it), and it is stopped until the child has exec'd or exited. glibc has no clone3() wrapper that
 * starts a function, hence the few lines of assembly: in the child, call fn(arg) on the new stack. */
static _Alignas(16) uint8_t child_stack[64 * 1024];

static _noreturn_ void child_main(void *userdata) {
        const ChildArgs *a = userdata;
        child_exec(a->exec_path, a->fds);
}

static long clone3_call(struct clone_args *args, void (*fn)(void *), void *arg) {
        register long rax __asm__("rax") = SYS_clone3;
        register struct clone_args *rdi __asm__("rdi") = args;
        register size_t rsi __asm__("rsi") = sizeof *args;
        register void (*r12)(void *) __asm__("r12") = fn;
        register void *r13 __asm__("r13") = arg;

        __asm__ volatile("syscall\n\t"
                         "test %%rax, %%rax\n\t"
                         "jnz 1f\n\t"
                         "xor %%ebp, %%ebp\n\t"
                         "mov %%r13, %%rdi\n\t"
                         "call *%%r12\n\t"
                         "ud2\n"
                         "1:"
                         : "+r"(rax)
                         : "r"(rdi), "r"(rsi), "r"(r12), "r"(r13)
                         : "rcx", "r11", "cc", "memory");
        return rax;
}

static pid_t spawn_child(const char *exec_path, const SpawnFds *fds, int cgroup_fd, int *ret_pidfd) {
        struct clone_args args = spawn_clone_args(cgroup_fd, ret_pidfd);
        ChildArgs a = { exec_path, fds };
        long r;

#ifdef __SANITIZE_ADDRESS__
        /* The last child never returned from its frames: ASan's shadow still marks their redzones. */
        ASAN_UNPOISON_MEMORY_REGION(child_stack, sizeof child_stack);
#endif
        args.flags |= CLONE_VM | CLONE_VFORK;
        args.stack = (uint64_t) (uintptr_t) child_stack;
        args.stack_size = sizeof child_stack;
        r = clone3_call(&args, child_main, &a);
        if (r < 0) {
                errno = (int) -r;
                return -1;
        }
        return (pid_t) r;
}
#else
static pid_t spawn_child(const char *exec_path, const SpawnFds *fds, int cgroup_fd, int *ret_pidfd) {
        struct clone_args args = spawn_clone_args(cgroup_fd, ret_pidfd);
        pid_t pid = (pid_t) syscall(SYS_clone3, &args, sizeof args);

        if (pid == 0)
                child_exec(exec_path, fds);
        return pid;
}
#endif

size_t spawn_fds_count(const SpawnFds *fds) {
        return EXEC_FD_FIRST_EXTRA + fds->n_extra + (fds->netns >= 0) + (fds->nest >= 0);
}

/* setns(CLONE_NEWPID) changes only the namespace of the daemon's next children: enter the
 * target's for the one clone3(), and go back to the daemon's own right after. */
static int enter_pidns_for_children(int pidns_fd, int *ret_own_fd) {
        int own;

        own = open("/proc/thread-self/ns/pid", O_RDONLY | O_CLOEXEC);
        if (own < 0)
                return -errno;
        if (setns(pidns_fd, CLONE_NEWPID) < 0) {
                int r = -errno;
                safe_close(own);
                return r;
        }
        *ret_own_fd = own;
        return 0;
}

int spawn_confine_exec(const char *exec_path, const SpawnFds *fds, int cgroup_fd, int pidns_fd,
                       pid_t *ret_pid, int *ret_pidfd) {
        _cleanup_close_ int own_pidns = -EBADF;
        int pidfd = -EBADF, r;
        pid_t pid;

        if (spawn_fds_count(fds) > MAX_CHILD_FDS)
                return -EMFILE;

        if (pidns_fd >= 0) {
                r = enter_pidns_for_children(pidns_fd, &own_pidns);
                if (r < 0)
                        return r;
        }
        pid = spawn_child(exec_path, fds, cgroup_fd, &pidfd);
        r = pid < 0 ? -errno : 0;
        /* The daemon's own, which is its active namespace: setns() back to it cannot fail but
         * for a kernel bug, and then no later job may start in the wrong one. */
        if (own_pidns >= 0 && setns(own_pidns, CLONE_NEWPID) < 0)
                abort();
        if (r < 0)
                return r;

        *ret_pid = pid;
        *ret_pidfd = pidfd;
        return 0;
}
