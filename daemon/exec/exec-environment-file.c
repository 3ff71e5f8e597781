/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env-file.h"
#include "exec-environment-file.h"
#include "exec-mount-point.h"
#include "exec-report.h"
#include "strv.h"

/* 0, -errno (the caller's ids cannot open it, it is missing…), or -E2BIG (too large). */
static int read_file(const char *path, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); /* no wait on a FIFO */
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        struct stat st;

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
        buf = malloc(ENVIRONMENT_FILE_SIZE_MAX + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n = read(fd, buf + size, ENVIRONMENT_FILE_SIZE_MAX + 1 - size);
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                size += (size_t) n;
                if (size > ENVIRONMENT_FILE_SIZE_MAX)
                        return -E2BIG;
        }
        *ret = TAKE_PTR(buf);
        *ret_size = size;
        return 0;
}

static void read_one(const SandboxSpec *spec, const char *entry, char ***env) {
        bool optional = entry[0] == '-';
        const char *pattern = entry + optional;
        glob_t g = {};
        int r;

        exec_fs_ids_enter(spec, true);
        r = glob(pattern, 0, NULL, &g);
        if (r == GLOB_NOMATCH || (r == 0 && g.gl_pathc == 0)) {
                exec_fs_ids_leave(spec, true);
                globfree(&g);
                if (optional)
                        return;
                exec_fail(EXEC_STEP_ENVIRONMENT, ENOENT, "EnvironmentFile=%s", pattern);
        }
        if (r != 0) {
                exec_fs_ids_leave(spec, true);
                exec_fail(EXEC_STEP_ENVIRONMENT, r == GLOB_NOSPACE ? ENOMEM : EACCES, "EnvironmentFile=%s", pattern);
        }
        for (size_t i = 0; i < g.gl_pathc; i++) {
                _cleanup_free_ char *text = NULL;
                size_t size = 0;

                r = read_file(g.gl_pathv[i], &text, &size);
                if (r == -ENOENT && optional)
                        continue;
                if (r >= 0)
                        r = env_file_parse(text, size, ENVIRONMENT_FILE_VARIABLES_MAX, env);
                if (r < 0) {
                        exec_fs_ids_leave(spec, true);
                        exec_fail(EXEC_STEP_ENVIRONMENT, -r, "EnvironmentFile=%s%s", g.gl_pathv[i],
                                  r == -E2BIG ? ": larger than 1 MiB, or more than 4096 variables" :
                                  r == -EINVAL ? ": not a regular text file" : "");
                }
        }
        exec_fs_ids_leave(spec, true);
        globfree(&g);
}

char **exec_read_environment_files(const SandboxSpec *spec) {
        char **env = NULL;

        STRV_FOREACH(entry, spec->environment_files)
                read_one(spec, *entry, &env);
        return env;
}
