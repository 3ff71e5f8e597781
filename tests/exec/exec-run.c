/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec-run: drives confine-exec directly, without D-Bus, for executor tests and for debugging a
 * sandbox on its own.
 *
 *   exec-run [--exec=PATH] [--without-seccomp-programs] [-p Name=Value]... -- CMD [ARGS...]
 *
 * The properties go through the same parser and validator as confinectl and the daemon; the
 * job runs as the calling user. Exits with the job's status (128+signal), or 125 with the
 * failed step on stderr. --without-seccomp-programs sends the spec without the compiled seccomp filters
 * that confined would add, to test that confine-exec refuses it. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "environment.h"
#include "exec-status.h"
#include "identity.h"
#include "spec-directories.h"
#include "property-apply.h"
#include "seccomp-build.h"
#include "spec-fields.h"
#include "spec-serialize.h"
#include "strv.h"

static int apply_assignment(SandboxSpec *spec, const char *assignment) {
        _cleanup_free_ char *message = NULL;
        int r;

        r = property_apply_text(spec, assignment, &message);
        if (r < 0)
                fprintf(stderr, "exec-run: %s (%s)\n", message ?: strerror(-r),
                        r == -ENOENT ? "UnknownProperty" : r == -EOPNOTSUPP ? "NotSupported" : "InvalidProperty");
        return r;
}

static int finalize(SandboxSpec *spec) {
        _cleanup_(identity_done) Identity id = {};
        const char *reason = NULL;
        char **env = NULL;
        int r;

        /* These are enforced by confined on the job's cgroup and timers, which exec-run has not. */
        bool daemon_side = spec->io_accounting || spec->dynamic_user || sandbox_spec_restricts_devices(spec);
        for (size_t i = 0; i < spec_limits_size; i++)
                daemon_side = daemon_side || spec_limit_is_set(spec, spec_limits + i);
        if (daemon_side) {
                fprintf(stderr, "exec-run: RuntimeMaxUSec, cgroup limits and DeviceAllow/DevicePolicy and DynamicUser are enforced by confined, not here\n");
                return -EOPNOTSUPP;
        }

        r = identity_resolve(spec, getuid(), &id, &reason);
        if (r < 0) {
                fprintf(stderr, "exec-run: %s: %s\n", reason, strerror(-r));
                return r;
        }
        spec->uid = id.uid;
        spec->gid = id.gid;
        spec->groups = TAKE_PTR(id.groups);
        spec->n_groups = id.n_groups;
        /* As confined does for a caller that is not root and runs the job as itself: the user layout. */
        if (spec_has_directories(spec)) {
                r = spec_directories_resolve(spec, getuid(), id.home);
                if (r >= 0)
                        r = spec_directories_environment(spec, &spec->environment);
                if (r < 0)
                        return r;
        }
        r = environment_build(spec->environment, id.user_name, id.home, id.shell, spec->extra_fds,
                              spec->n_extra_fds, &env);
        if (r < 0)
                return r;
        environment_unset(env, spec->unset_environment);
        strv_free(spec->environment);
        spec->environment = env;
        return 0;
}

/* As confined does: confine-exec only loads compiled filters. A failure is a failed setup step (125). */
static int compile_seccomp(SandboxSpec *spec) {
        _cleanup_free_ char *failed = NULL;
        int r;

        if (!sandbox_spec_wants_seccomp(spec))
                return 0;
        r = seccomp_build(spec, &spec->seccomp_programs, &spec->n_seccomp_programs, &failed);
        if (r < 0)
                fprintf(stderr, "exec-run: seccomp %s: %s\n", failed ?: "compile filters", strerror(-r));
        return r;
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "exec", required_argument, NULL, 'e' },
                { "property", required_argument, NULL, 'p' },
                { "without-seccomp-programs", no_argument, NULL, 'W' },
                {}
        };
        _cleanup_(sandbox_spec_freep) SandboxSpec *spec = sandbox_spec_new();
        const char *exec_path = getenv("CONFINE_EXEC") ?: "confine-exec";
        bool compile = true;
        int c, memfd, pipefd[2], status;
        ExecStatus st;
        ssize_t n;
        pid_t pid;

        while ((c = getopt_long(argc, argv, "+p:", options, NULL)) >= 0)
                switch (c) {
                case 'e':
                        exec_path = optarg;
                        break;
                case 'p':
                        if (apply_assignment(spec, optarg) < 0)
                                return 2;
                        break;
                case 'W':
                        compile = false;
                        break;
                default:
                        return 2;
                }
        if (optind >= argc) {
                fprintf(stderr, "exec-run: no command\n");
                return 2;
        }
        spec->argv = strv_copy(argv + optind);
        if (!spec->argv || finalize(spec) < 0)
                return 2;
        if (compile && compile_seccomp(spec) < 0)
                return 125;

        if (spec_serialize_to_memfd(spec, &memfd) < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
                perror("exec-run");
                return 2;
        }

        pid = fork();
        if (pid < 0) {
                perror("exec-run: fork");
                return 2;
        }
        if (pid == 0) {
                /* Layout: 3 spec, 4 status. Lift both out of the way first: either may sit on 3 or 4. */
                int spec_fd = fcntl(memfd, F_DUPFD, 10), status_fd = fcntl(pipefd[1], F_DUPFD, 10);
                if (spec_fd < 0 || status_fd < 0 || dup2(spec_fd, EXEC_FD_SPEC) < 0 ||
                    dup2(status_fd, EXEC_FD_STATUS) < 0)
                        _exit(126);
                close(spec_fd);
                close(status_fd);
                execl(exec_path, "confine-exec", (char *) NULL);
                perror("exec-run: execute confine-exec");
                _exit(126);
        }
        close(pipefd[1]);
        n = read(pipefd[0], &st, sizeof st);
        if (n == (ssize_t) sizeof st) {
                st.detail[sizeof st.detail - 1] = 0;
                fprintf(stderr, "exec-run: %s %s: %s\n", exec_step_to_string(st.step), st.detail, strerror(st.error));
                (void) waitpid(pid, NULL, 0);
                return 125;
        }
        if (waitpid(pid, &status, 0) < 0)
                return 2;
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
}
