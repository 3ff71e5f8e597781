/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-seccomp-bpf: writes the compiled seccomp program of "SystemCallFilter=@GROUP" for the native
 * ABI, as bwrap --seccomp FD takes it, so that the bwrap row of the benchmark filters what confine's
 * seed set filters. The group comes from confine's own table; calls outside it kill the process, as in
 * confine without SystemCallErrorNumber=.
 *
 * Usage: bench-seccomp-bpf @GROUP OUTPUT.bpf      writes the program
 *        bench-seccomp-bpf --list @GROUP           prints the names, comma-separated */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "strv.h"
#include "syscall-groups.h"

static int write_filter(char **names, const char *path) {
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
        int fd, r = 0;

        if (!ctx)
                return -ENOMEM;
        /* bwrap sets no_new_privs itself; the program is all it wants. */
        STRV_FOREACH(name, names) {
                int nr = seccomp_syscall_resolve_name(*name);
                if (nr == __NR_SCMP_ERROR)
                        continue;
                r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
                if (r < 0 && r != -EEXIST)
                        goto out;
        }
        r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(execve), 0);
        if (r < 0 && r != -EEXIST)
                goto out;
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
                r = -errno;
                goto out;
        }
        r = seccomp_export_bpf(ctx, fd);
        if (close(fd) < 0 && r >= 0)
                r = -errno;
out:
        seccomp_release(ctx);
        return r < 0 ? r : 0;
}

int main(int argc, char *argv[]) {
        char **names = NULL;
        bool list = argc == 3 && strcmp(argv[1], "--list") == 0;
        const char *group = list ? argv[2] : argv[1];
        int r;

        if (argc != 3) {
                fprintf(stderr, "Usage: %s @GROUP OUTPUT.bpf | --list @GROUP\n", argv[0]);
                return 2;
        }
        r = syscall_group_expand(group, &names);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", group, strerror(-r));
                return 1;
        }
        if (list) {
                STRV_FOREACH(name, names)
                        printf("%s%s", name == names ? "" : ",", *name);
                printf("\n");
        } else {
                r = write_filter(names, argv[2]);
                if (r < 0)
                        fprintf(stderr, "%s: %s\n", argv[2], strerror(-r));
        }
        strv_free(names);
        return r < 0 ? 1 : 0;
}
