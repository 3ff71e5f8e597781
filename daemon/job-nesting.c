/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-status.h"
#include "job-nesting.h"
#include "macro.h"
#include "manager.h"
#include "seccomp-cache.h"

/* A nested job runs under its parent's filters as well as its own: the parent's come from the
 * cache (they were compiled for its own start) and are loaded first, but for its
 * SystemCallFilter=, which the child's own list already holds (spec_nested_inherit()), since
 * it could forbid the seccomp() that loads the rest. */
int job_stack_parent_seccomp(Job *j, Job *parent, JobFailure *f) {
        _cleanup_free_ char *failed = NULL;
        SandboxSpec *p = parent->spec, *s = j->spec;
        SeccompProgram *all;
        int r;

        r = seccomp_cache_apply(&j->manager->seccomp_cache, p, &failed);
        if (r < 0)
                return job_failure_set(f, r == -ENOMEM ? JOB_FAILURE_INTERNAL : JOB_FAILURE_SETUP,
                                       exec_step_to_string(EXEC_STEP_SECCOMP), r, NULL,
                                       "compile the parent job's filters: %s", failed ?: "");
        if (p->n_seccomp_programs == 0)
                return 0;
        all = reallocarray(NULL, p->n_seccomp_programs + s->n_seccomp_programs, sizeof(SeccompProgram));
        if (!all) {
                p->seccomp_programs = seccomp_programs_free(p->seccomp_programs, p->n_seccomp_programs);
                p->n_seccomp_programs = 0;
                return job_failure_set(f, JOB_FAILURE_INTERNAL, "seccomp", ENOMEM, NULL, "stack the filters");
        }
        size_t n = 0;
        for (size_t i = 0; i < p->n_seccomp_programs; i++) {
                if (strneq(p->seccomp_programs[i].what, "SystemCallFilter=", strlen("SystemCallFilter="))) {
                        free(p->seccomp_programs[i].what);
                        free(p->seccomp_programs[i].code);
                        continue;
                }
                all[n++] = p->seccomp_programs[i];
        }
        memcpy(all + n, s->seccomp_programs, s->n_seccomp_programs * sizeof(SeccompProgram));
        free(p->seccomp_programs);
        free(s->seccomp_programs);
        s->seccomp_programs = all;
        s->n_seccomp_programs += n;
        p->seccomp_programs = NULL;
        p->n_seccomp_programs = 0;
        return 0;
}

static int ns_inode(const char *path, ino_t *ret) {
        struct stat st;

        if (stat(path, &st) < 0)
                return -errno;
        *ret = st.st_ino;
        return 0;
}

/* The parent's main process must be in the namespaces its spec made, or a child joining them
 * through it would join the daemon's: refused, whatever the reason. */
static int job_check_parent_namespaces(const Job *parent) {
        const SandboxSpec *p = parent->spec;
        const struct {
                const char *name;
                bool own;
        } namespaces[] = {
                { "mnt", sandbox_spec_needs_mount_namespace(p) },
                { "net", p->private_network },
                { "ipc", p->private_ipc },
                { "uts", p->protect_hostname },
        };
        char path[64];
        ino_t ours = 0, theirs = 0;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(namespaces); i++) {
                if (!namespaces[i].own)
                        continue;
                snprintf(path, sizeof path, "/proc/%d/ns/%s", (int) parent->pid, namespaces[i].name);
                r = ns_inode(path, &theirs);
                if (r >= 0) {
                        snprintf(path, sizeof path, "/proc/self/ns/%s", namespaces[i].name);
                        r = ns_inode(path, &ours);
                }
                if (r < 0)
                        return r;
                if (theirs == ours)
                        return -ESRCH;
        }
        return 0;
}

/* The PID namespace the parent's processes start their children in; the parent's pidfd proves
 * that the pid still names it once the file is open. */
int job_open_parent_pidns(Job *parent, int *ret) {
        char path[64];
        int fd, r;

        r = job_check_parent_namespaces(parent);
        if (r < 0)
                return r;
        snprintf(path, sizeof path, "/proc/%d/ns/pid_for_children", (int) parent->pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (syscall(SYS_pidfd_send_signal, parent->pidfd, 0, NULL, 0) < 0) {
                r = -errno;
                safe_close(fd);
                return r;
        }
        *ret = fd;
        return 0;
}
