/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec-report.h"
#include "exec-userns.h"

/* A process in the new user namespace has no capability over the parent one, so it may not write its
 * own maps beyond a single line: a helper forked before unshare(), still root outside, writes them. */
#define MAP_LINES_MAX 340 /* the kernel's limit of extents per map */

static int write_file(const char *path, const char *text) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        size_t l = strlen(text);
        ssize_t n;

        if (fd < 0)
                return -errno;
        n = write(fd, text, l);
        n = n < 0 ? -errno : (size_t) n == l ? 0 : -EIO;
        (void) close(fd);
        return (int) n;
}

static int append_line(char *buf, size_t size, size_t *used, unsigned long id) {
        int n = snprintf(buf + *used, size - *used, "%lu %lu 1\n", id, id);

        if (n < 0 || (size_t) n >= size - *used)
                return -E2BIG;
        *used += (size_t) n;
        return 0;
}

static bool listed(const gid_t *l, size_t n, gid_t g) {
        for (size_t i = 0; i < n; i++)
                if (l[i] == g)
                        return true;
        return false;
}

/* "0 0 1" and the job's own id, and for groups its supplementary groups: each once. */
static int build_maps(const SandboxSpec *spec, char *uid_map, size_t uid_size, char *gid_map, size_t gid_size) {
        size_t u = 0, g = 0, lines = 1;
        int r;

        r = append_line(uid_map, uid_size, &u, 0);
        if (r >= 0 && spec->uid != 0)
                r = append_line(uid_map, uid_size, &u, spec->uid);
        if (r >= 0)
                r = append_line(gid_map, gid_size, &g, 0);
        if (r >= 0 && spec->gid != 0) {
                r = append_line(gid_map, gid_size, &g, spec->gid);
                lines++;
        }
        for (size_t i = 0; r >= 0 && i < spec->n_groups; i++) {
                gid_t x = spec->groups[i];
                if (x == 0 || x == spec->gid || listed(spec->groups, i, x))
                        continue;
                if (++lines > MAP_LINES_MAX)
                        return -E2BIG;
                r = append_line(gid_map, gid_size, &g, x);
        }
        return r;
}

void exec_enter_user_namespace(const SandboxSpec *spec) {
        char uid_map[64], gid_map[MAP_LINES_MAX * 24], path[64], go = 1;
        int ready[2], status, r;
        pid_t parent = getpid(), helper;

        if (!spec->private_users)
                return;
        r = build_maps(spec, uid_map, sizeof uid_map, gid_map, sizeof gid_map);
        if (r < 0)
                exec_fail(EXEC_STEP_USER_NAMESPACE, -r, "PrivateUsers=yes: more than %d groups to map", MAP_LINES_MAX);
        if (pipe2(ready, O_CLOEXEC) < 0)
                exec_fail(EXEC_STEP_USER_NAMESPACE, errno, "PrivateUsers=yes: pipe");

        helper = fork();
        if (helper < 0)
                exec_fail(EXEC_STEP_USER_NAMESPACE, errno, "PrivateUsers=yes: fork the helper");
        if (helper == 0) {
                (void) close(ready[1]);
                if (read(ready[0], &go, 1) != 1)
                        _exit(ECANCELED);
                (void) snprintf(path, sizeof path, "/proc/%d/uid_map", (int) parent);
                r = write_file(path, uid_map);
                if (r >= 0) {
                        (void) snprintf(path, sizeof path, "/proc/%d/gid_map", (int) parent);
                        r = write_file(path, gid_map);
                }
                _exit(r < 0 ? -r : 0);
        }
        (void) close(ready[0]);
        r = unshare(CLONE_NEWUSER) < 0 ? -errno : 0;
        if (r >= 0 && write(ready[1], &go, 1) != 1)
                r = -errno;
        (void) close(ready[1]); /* on failure the helper reads EOF and leaves */
        while (waitpid(helper, &status, 0) < 0)
                if (errno != EINTR)
                        exec_fail(EXEC_STEP_USER_NAMESPACE, errno, "PrivateUsers=yes: wait for the helper");
        if (r < 0)
                exec_fail(EXEC_STEP_USER_NAMESPACE, -r, "PrivateUsers=yes: unshare(CLONE_NEWUSER)");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                exec_fail(EXEC_STEP_USER_NAMESPACE, WIFEXITED(status) ? WEXITSTATUS(status) : EIO,
                          "PrivateUsers=yes: write the uid and gid maps");
}
