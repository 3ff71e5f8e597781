/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "job-terminal.h"
#include "macro.h"

/* include/uapi/linux/major.h: TTY_MAJOR, TTYAUX_MAJOR (tty, console, ptmx), the Unix98 pty slaves. */
static bool is_terminal_device(dev_t rdev) {
        unsigned m = major(rdev);
        return m == 4 || m == 5 || (m >= 136 && m <= 143);
}

static bool fd_is_terminal(int fd) {
        struct stat st;
        return fd >= 0 && fstat(fd, &st) >= 0 && S_ISCHR(st.st_mode) && is_terminal_device(st.st_rdev);
}

bool spec_holds_terminal(const SandboxSpec *spec) {
        for (int i = 0; i < 3; i++)
                if (fd_is_terminal(spec->stdio_fds[i]))
                        return true;
        for (size_t i = 0; i < spec->n_extra_fds; i++)
                if (fd_is_terminal(spec->extra_fds[i].fd))
                        return true;
        return false;
}

int job_terminal_open(SandboxSpec *spec, int *ret_master) {
        _cleanup_close_ int master = -EBADF, slave = -EBADF;

        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0)
                return -errno;
        if (unlockpt(master) < 0)
                return -errno;
        /* By the master, not by the /dev/pts path, which another process could race. */
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0)
                return -errno;
        /* Before the job starts, so that its first TIOCGWINSZ sees the caller's size (TTYRows=,
         * TTYColumns=); a size the caller sets later reaches it as SIGWINCH. */
        if (spec->tty_rows != UINT32_MAX || spec->tty_columns != UINT32_MAX) {
                struct winsize ws = {};

                if (ioctl(master, TIOCGWINSZ, &ws) < 0)
                        return -errno;
                if (spec->tty_rows != UINT32_MAX)
                        ws.ws_row = (unsigned short) spec->tty_rows;
                if (spec->tty_columns != UINT32_MAX)
                        ws.ws_col = (unsigned short) spec->tty_columns;
                if (ioctl(master, TIOCSWINSZ, &ws) < 0)
                        return -errno;
        }

        for (int i = 0; i < 3; i++) {
                safe_close(spec->stdio_fds[i]);
                spec->stdio_fds[i] = i == 0 ? TAKE_FD(slave) : fcntl(spec->stdio_fds[0], F_DUPFD_CLOEXEC, 3);
                if (spec->stdio_fds[i] < 0)
                        return -errno;
        }
        spec->controlling_terminal = true;
        spec->restrict_terminal_injection = true;
        *ret_master = TAKE_FD(master);
        return 0;
}
