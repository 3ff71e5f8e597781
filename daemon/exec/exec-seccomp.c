/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loads the job's seccomp filters. confined compiled them (spec/seccomp-build.c) and sent
 * them inside the sealed spec, so that confine-exec needs no libseccomp and no time to compile. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <stddef.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-report.h"
#include "exec-seccomp.h"
#include "macro.h"

#if defined(__x86_64__)
#  define AUDIT_ARCH_NATIVE AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#  define AUDIT_ARCH_NATIVE AUDIT_ARCH_AARCH64
#else
#  error "learn mode: the native audit architecture of this build is unknown"
#endif

static int seccomp_set_filter(const SeccompProgram *p) {
        struct sock_fprog prog = {
                .len = (unsigned short) (p->size / sizeof(struct sock_filter)),
                .filter = p->code,
        };
        return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 ? -errno : 0;
}

static void load_program(const SandboxSpec *spec, const SeccompProgram *p) {
        int r = seccomp_set_filter(p);

        /* The kernel takes a filter from a process without CAP_SYS_ADMIN only under no_new_privs. As in
         * systemd (context_has_no_new_privileges()), a seccomp property then implies NoNewPrivileges=yes,
         * and overrides an explicit NoNewPrivileges=no; a job that keeps CAP_SYS_ADMIN gets no NNP. */
        if (r == -EACCES && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0) {
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        exec_fail(EXEC_STEP_SECCOMP, errno, "%s: implied NoNewPrivileges=yes", p->what);
                r = seccomp_set_filter(p);
        }
        if (r < 0)
                exec_fail(EXEC_STEP_SECCOMP, -r, "%s: load filter", p->what);
}

/* Learn mode: every system call of the job goes to confined (SECCOMP_RET_USER_NOTIF), which records it
 * and lets it continue. Only write() to the status pipe is let through, so that the record which tells
 * confined where the listener is cannot wait for confined itself. Loaded after the job's own filters:
 * a call they refuse is refused, not recorded (the kernel takes the most restrictive action). */
static void load_learn_filter(void) {
        int status_fd = exec_report_get_fd();
        struct sock_filter code[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_NATIVE, 0, 5),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 0, 3),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t) status_fd, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        };
        struct sock_fprog prog = { .len = ELEMENTSOF(code), .filter = code };
        ExecStatus st = { .step = EXEC_STATUS_LEARN_LISTENER };
        int fd;

        if (status_fd < 0)
                exec_fail(EXEC_STEP_SECCOMP, EBADF, "learn mode: no status pipe to report the listener on");
        fd = (int) syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
        if (fd < 0 && errno == EACCES && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0) {
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        exec_fail(EXEC_STEP_SECCOMP, errno, "learn mode: implied NoNewPrivileges=yes");
                fd = (int) syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
        }
        if (fd < 0)
                exec_fail(EXEC_STEP_SECCOMP, errno, "learn mode: load the listener filter");
        /* From here on every call but this write waits for confined: it takes the listener (the fd is
         * close-on-exec, and still open while execve() waits for its answer). */
        st.error = fd;
        if (write(status_fd, &st, sizeof st) != (ssize_t) sizeof st)
                _exit(127);
}

void exec_apply_seccomp(const SandboxSpec *spec) {
        /* Fail closed: a spec that asks for filters but brings none must not run unfiltered. */
        if (spec->n_seccomp_programs == 0 && sandbox_spec_wants_seccomp(spec))
                exec_fail(EXEC_STEP_SECCOMP, EPROTO, "the spec asks for seccomp filters but carries no program");

        /* In load order; the last may forbid anything but execve(), which is all that follows. */
        for (size_t i = 0; i < spec->n_seccomp_programs; i++)
                load_program(spec, spec->seccomp_programs + i);
        if (spec->learn_syscalls)
                load_learn_filter();
}
