/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-fds.h"
#include "exec-report.h"

void exec_arrange_fds(const SandboxSpec *spec) {
        unsigned n = (unsigned) spec->n_extra_fds;
        int status = exec_report_get_fd();

        /* The status pipe must survive until execve(), above the fds we are about to place. */
        if (status >= 0 && status < (int) (EXEC_FD_FIRST_EXTRA + n)) {
                int moved = fcntl(status, F_DUPFD_CLOEXEC, (int) (EXEC_FD_FIRST_EXTRA + n));
                if (moved < 0)
                        exec_fail(EXEC_STEP_CLOSE_FDS, errno, "move status pipe");
                (void) close(status);
                exec_report_set_fd(moved);
        }

        for (unsigned i = 0; i < n; i++) {
                int from = (int) (EXEC_FD_FIRST_EXTRA + i), to = 3 + (int) i;
                if (dup2(from, to) < 0)
                        exec_fail(EXEC_STEP_CLOSE_FDS, errno, "ExtraFileDescriptors: fd %d", to);
        }

        if (syscall(SYS_close_range, 3 + n, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                exec_fail(EXEC_STEP_CLOSE_FDS, errno, "close_range");
        for (int fd = 0; fd < 3 + (int) n; fd++) {
                int flags = fcntl(fd, F_GETFD);
                if (flags < 0)
                        exec_fail(EXEC_STEP_CLOSE_FDS, errno, "fd %d is not open", fd);
                if ((flags & FD_CLOEXEC) && fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
                        exec_fail(EXEC_STEP_CLOSE_FDS, errno, "fd %d", fd);
        }
}
