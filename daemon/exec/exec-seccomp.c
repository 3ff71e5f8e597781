/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loads the job's seccomp filters. confined compiled them (spec/seccomp-build.c) and sent
 * them inside the sealed spec, so that confine-exec needs no libseccomp and no time to compile. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-report.h"
#include "exec-seccomp.h"

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

void exec_apply_seccomp(const SandboxSpec *spec) {
        /* Fail closed: a spec that asks for filters but brings none must not run unfiltered. */
        if (spec->n_seccomp_programs == 0 && sandbox_spec_wants_seccomp(spec))
                exec_fail(EXEC_STEP_SECCOMP, EPROTO, "the spec asks for seccomp filters but carries no program");

        /* In load order; the last may forbid anything but execve(), which is all that follows. */
        for (size_t i = 0; i < spec->n_seccomp_programs; i++)
                load_program(spec, spec->seccomp_programs + i);
}
