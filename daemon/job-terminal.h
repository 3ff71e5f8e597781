/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "sandbox-spec.h"

/* Flag 4: a new pseudo-terminal for the job, as run0 and `machinectl shell` give one. Its master
 * stays with the daemon for Job.GetTerminal(); the slave becomes the job's fds 0-2 and its
 * controlling terminal. The caller's own terminal never reaches the job this way. */
int job_terminal_open(SandboxSpec *spec, int *ret_master);

/* Whether any fd the caller passed is a terminal (a tty, console or pty slave), judged from the
 * device number alone: an ioctl on a caller's fd from a root daemon could do more than ask. */
bool spec_holds_terminal(const SandboxSpec *spec);
