/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confine-exec: applies one serialized SandboxSpec to itself and executes the job.
 *
 * fd 0-2: the job's stdio; fd 3: the spec (sealed memfd); fd 4: status pipe (optional);
 * fd 5…: ExtraFileDescriptors. The setup order is that of docs/design.md. */
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env-file.h"
#include "environment.h"
#include "exec-credentials-dir.h"
#include "exec-credentials.h"
#include "exec-environment-file.h"
#include "exec-directories.h"
#include "exec-fds.h"
#include "exec-mounts.h"
#include "exec-namespaces.h"
#include "exec-pid-init.h"
#include "exec-process.h"
#include "exec-report.h"
#include "exec-resources.h"
#include "exec-seccomp.h"
#include "exec-stdio.h"
#include "exec-userns.h"
#include "spec-serialize.h"
#include "strv.h"

static void reset_signals(void) {
        struct sigaction sa = { .sa_handler = SIG_DFL };
        sigset_t all;

        for (int sig = 1; sig < _NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        (void) sigaction(sig, &sa, NULL);
        sigemptyset(&all);
        if (sigprocmask(SIG_SETMASK, &all, NULL) < 0)
                exec_fail(EXEC_STEP_SIGNALS, errno, "sigprocmask");
}

/* The daemon's environment (PATH, HOME…, Environment=, UnsetEnvironment= applied), then as in systemd
 * EnvironmentFile='s variables over it, UnsetEnvironment= once more, and what only we know. */
static char **build_environment(const SandboxSpec *spec, char **file_env) {
        char **env = strv_copy(spec->environment);
        char buf[64];

        if (!env)
                exec_fail(EXEC_STEP_ENVIRONMENT, ENOMEM, NULL);
        STRV_FOREACH(e, file_env) {
                char *copy = strdup(*e);
                if (!copy || env_replace_consume(&env, copy) < 0)
                        exec_fail(EXEC_STEP_ENVIRONMENT, ENOMEM, NULL);
        }
        if (file_env)
                environment_unset(env, spec->unset_environment);
        if (sandbox_spec_has_credentials(spec)) {
                char *copy = strdup("CREDENTIALS_DIRECTORY=" CREDENTIALS_DIRECTORY);
                if (!copy || env_replace_consume(&env, copy) < 0)
                        exec_fail(EXEC_STEP_ENVIRONMENT, ENOMEM, NULL);
        }
        /* LISTEN_PID names the process that execs, which only we know. */
        if (spec->n_extra_fds > 0) {
                snprintf(buf, sizeof buf, "LISTEN_PID=%d", (int) getpid());
                if (strv_extend(&env, buf) < 0)
                        exec_fail(EXEC_STEP_ENVIRONMENT, ENOMEM, NULL);
        }
        return env;
}

static const char *environment_get(char **env, const char *name) {
        size_t l = strlen(name);
        STRV_FOREACH(e, env)
                if (strneq(*e, name, l) && (*e)[l] == '=')
                        return *e + l + 1;
        return NULL;
}

/* execvpe() with the job's PATH, resolved inside the sandbox; reports the most telling errno. */
static _noreturn_ void exec_target(char **argv, char **env) {
        const char *path, *p;
        int error = ENOENT;

        if (strchr(argv[0], '/')) {
                execve(argv[0], argv, env);
                exec_fail(EXEC_STEP_EXECVE, errno, "%s", argv[0]);
        }

        path = environment_get(env, "PATH");
        if (!path)
                path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

        for (p = path; *p;) {
                size_t n = strcspn(p, ":");
                char full[4096];

                if (n > 0 && snprintf(full, sizeof full, "%.*s/%s", (int) n, p, argv[0]) < (int) sizeof full) {
                        execve(full, argv, env);
                        if (errno == EACCES)
                                error = EACCES;
                        else if (errno != ENOENT && errno != ENOTDIR && error != EACCES)
                                error = errno;
                }
                p += n;
                if (*p == ':')
                        p++;
        }
        exec_fail(EXEC_STEP_EXECVE, error, "%s", argv[0]);
}

/* WorkingDirectory= as systemd takes it: a path, "~" for the user's home ($HOME of the job), and with the
 * "-" prefix a missing directory is not fatal (the job starts in /). */
static void exec_enter_working_directory(const SandboxSpec *spec) {
        const char *wd = spec->working_directory ?: "/", *dir = wd;
        bool missing_ok = false;

        if (*dir == '-') {
                missing_ok = true;
                dir++;
        }
        if (streq(dir, "~")) {
                dir = "/";
                STRV_FOREACH(e, spec->environment) /* complete: the daemon built it */
                        if (strneq(*e, "HOME=", 5))
                                dir = *e + 5;
        } else if (!*dir)
                dir = "/";
        if (chdir(dir) >= 0)
                return;
        if (missing_ok && (errno == ENOENT || errno == ENOTDIR) && chdir("/") >= 0)
                return;
        exec_fail(EXEC_STEP_WORKING_DIRECTORY, errno, "WorkingDirectory=%s", wd);
}

int main(int argc, char *argv[]) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *spec = NULL;
        _cleanup_(credentials_done) Credentials creds = {};
        _cleanup_strv_free_ char **file_env = NULL;
        char **env;
        int r;

        if (argc > 1) {
                fprintf(stderr, "Usage: %s  (spec on fd 3, status pipe on fd 4)\n", argv[0]);
                return 2;
        }

        if (fcntl(EXEC_FD_STATUS, F_GETFD) >= 0) {
                (void) fcntl(EXEC_FD_STATUS, F_SETFD, FD_CLOEXEC);
                exec_report_set_fd(EXEC_FD_STATUS);
        }

        r = spec_deserialize_from_fd(EXEC_FD_SPEC, &spec);
        if (r < 0)
                exec_fail(EXEC_STEP_SPEC, r, "read spec from fd %d", EXEC_FD_SPEC);
        (void) close(EXEC_FD_SPEC);

        if (setsid() < 0)
                exec_fail(EXEC_STEP_SETSID, errno, NULL);
        /* A new session has no controlling terminal; a flag 4 job takes its own pty as one. */
        if (spec->controlling_terminal && ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
                exec_fail(EXEC_STEP_SETSID, errno, "make the job's pseudo-terminal its controlling terminal");
        reset_signals();

        /* In the host's mount namespace, before anything is mounted over their roots. */
        exec_setup_directories(spec);
        exec_enter_namespaces(spec);
        /* What the caller names by path, opened or read with the job's file system ids and groups while
         * the paths still mean what they mean to the caller (the host's tree, or a parent job's). */
        if (spec->uid != 0 && setgroups(spec->n_groups, spec->groups) < 0)
                exec_fail(EXEC_STEP_STDIO, errno, "set the job's groups for path lookups");
        exec_setup_stdio(spec);
        file_env = exec_read_environment_files(spec);
        exec_read_credentials(spec, &creds);
        /* PrivatePIDs=: from here on we are the init of the job's PID namespace. After the other
         * namespaces, so that the process confined watches is in them too: a job nested in this
         * one joins them through its pidfd. */
        exec_enter_pid_namespace(spec);
        exec_setup_mounts(spec);
        exec_setup_loopback(spec);
        exec_setup_credentials_directory(spec, &creds);
        credentials_done(&creds);

        exec_apply_resources(spec);
        /* Before the uid change: what grants something (a lower OOM score, realtime) needs root's
         * capabilities, which the daemon's tier check has allowed. */
        exec_apply_process_attributes(spec);

        exec_mounts_restrict_capabilities(spec);
        /* After the mounts and every other namespace, which stay the host user namespace's. */
        exec_enter_user_namespace(spec);
        exec_apply_credentials(spec);
        exec_setup_keyring(spec);
        /* After the uid change, so that the job cannot start in a directory it could not enter. */
        exec_enter_working_directory(spec);
        exec_apply_no_new_privileges(spec);

        /* PrivatePIDs=: the init stays behind, confined as the job is, but for the system call filter. */
        exec_fork_job(spec);
        exec_apply_job_attributes(spec);
        env = build_environment(spec, file_env);
        exec_arrange_fds(spec);
        /* The very last step: once the job's filter is loaded, nothing may run but execve(). */
        exec_apply_seccomp(spec);
        exec_target(spec->argv, env);
}
