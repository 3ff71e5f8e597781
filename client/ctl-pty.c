/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "ctl-pty.h"
#include "ctl.h"

struct CtlPty {
        int master;
        bool raw;               /* our stdin is a terminal, now in raw mode */
        struct termios saved;
        guint winch;
        guint from_stdin, from_master, to_master;
        char buf[4096];         /* from stdin, not yet written to the master */
        size_t len, off;
        bool stdin_eof;
        GSourceFunc on_drained;
        gpointer data;
};

/* Restored at exit too: a terminal left raw is unusable. */
static struct termios saved_for_exit;
static bool raw_for_exit;

static void restore_at_exit (void) {
        if (raw_for_exit)
                (void) tcsetattr (STDIN_FILENO, TCSADRAIN, &saved_for_exit);
}

static void copy_window_size (CtlPty *pty) {
        struct winsize ws;

        if (ioctl (STDIN_FILENO, TIOCGWINSZ, &ws) == 0 || ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
                (void) ioctl (pty->master, TIOCSWINSZ, &ws);
}

static gboolean on_winch (gpointer data) {
        copy_window_size (data);
        return G_SOURCE_CONTINUE;
}

static gboolean on_stdin (int fd, GIOCondition cond, gpointer data);

static void watch_stdin (CtlPty *pty) {
        if (!pty->stdin_eof && !pty->from_stdin)
                pty->from_stdin = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, pty);
}

/* Writes what is buffered, as far as the master takes it without blocking. */
static gboolean on_master_writable (int fd, GIOCondition cond, gpointer data) {
        CtlPty *pty = data;

        while (pty->off < pty->len) {
                ssize_t k = write (pty->master, pty->buf + pty->off, pty->len - pty->off);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN)
                        return G_SOURCE_CONTINUE;
                if (k < 0) {
                        /* The job's side is gone: nothing more to give it. */
                        pty->stdin_eof = true;
                        break;
                }
                pty->off += (size_t) k;
        }
        pty->len = pty->off = 0;
        pty->to_master = 0;
        watch_stdin (pty);
        return G_SOURCE_REMOVE;
}

static gboolean on_stdin (int fd, GIOCondition cond, gpointer data) {
        CtlPty *pty = data;
        ssize_t n = read (STDIN_FILENO, pty->buf, sizeof pty->buf);
        struct termios t;

        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return G_SOURCE_CONTINUE;
        pty->from_stdin = 0;
        if (n <= 0) {
                /* Our input ended (not a terminal): the job reads end-of-file, as at ^D. */
                pty->stdin_eof = true;
                if (tcgetattr (pty->master, &t) == 0 && (t.c_lflag & ICANON)) {
                        pty->buf[0] = (char) t.c_cc[VEOF];
                        pty->len = 1;
                        pty->to_master = g_unix_fd_add (pty->master, G_IO_OUT, on_master_writable, pty);
                }
                return G_SOURCE_REMOVE;
        }
        pty->len = (size_t) n;
        pty->off = 0;
        pty->to_master = g_unix_fd_add (pty->master, G_IO_OUT, on_master_writable, pty);
        return G_SOURCE_REMOVE;
}

/* The master reads EIO once the job's side is closed and nothing is left in it. */
static gboolean on_master_readable (int fd, GIOCondition cond, gpointer data) {
        CtlPty *pty = data;
        char buf[16384];

        for (;;) {
                ssize_t n = read (pty->master, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        return G_SOURCE_CONTINUE;
                if (n <= 0)
                        break;
                if (ctl_write_all (STDOUT_FILENO, buf, (size_t) n) < 0)
                        break;
        }
        pty->from_master = 0;
        if (pty->on_drained)
                pty->on_drained (pty->data);
        return G_SOURCE_REMOVE;
}

CtlPty *ctl_pty_start (int master, GSourceFunc on_drained, gpointer data) {
        CtlPty *pty = g_new0 (CtlPty, 1);
        struct termios raw;

        pty->master = master;
        pty->on_drained = on_drained;
        pty->data = data;
        (void) fcntl (master, F_SETFL, fcntl (master, F_GETFL) | O_NONBLOCK);

        if (isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &pty->saved) == 0) {
                raw = pty->saved;
                cfmakeraw (&raw);
                saved_for_exit = pty->saved;
                if (!raw_for_exit)
                        atexit (restore_at_exit);
                raw_for_exit = true;
                if (tcsetattr (STDIN_FILENO, TCSANOW, &raw) == 0)
                        pty->raw = true;
        }
        copy_window_size (pty);
        pty->winch = g_unix_signal_add (SIGWINCH, on_winch, pty);
        pty->from_master = g_unix_fd_add (master, G_IO_IN | G_IO_HUP | G_IO_ERR, on_master_readable, pty);
        watch_stdin (pty);
        return pty;
}

static void remove_source (guint *id) {
        if (*id)
                g_source_remove (*id);
        *id = 0;
}

void ctl_pty_free (CtlPty *pty) {
        if (!pty)
                return;
        remove_source (&pty->winch);
        remove_source (&pty->from_stdin);
        remove_source (&pty->from_master);
        remove_source (&pty->to_master);
        if (pty->raw) {
                (void) tcsetattr (STDIN_FILENO, TCSADRAIN, &pty->saved);
                raw_for_exit = false;
        }
        close (pty->master);
        g_free (pty);
}
