/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* run --pty: the client side of a job's pseudo-terminal. Our own terminal goes into raw mode
 * (if stdin is one), bytes are copied both ways between it and the job's master, and our
 * window size follows onto the master (the kernel then sends the job SIGWINCH). */
typedef struct CtlPty CtlPty;

/* Takes master. on_drained runs once the job's side is closed and all of its output was
 * copied to stdout. */
CtlPty *ctl_pty_start (int master, GSourceFunc on_drained, gpointer data);
/* Restores our terminal; closes the master. */
void ctl_pty_free (CtlPty *pty);
