/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* Learn mode's proposal for SystemCallFilter=, from the calls a job made. Pure: whether a call
 * exists on this architecture is the caller's to say. */

typedef bool (*SyscallExists)(const char *name, void *userdata);

/* The smallest allow-list, in systemd's @groups where it can, that lets exactly the calls in used
 * through (with @default, which an allow-list always holds): each @group all of whose existing calls
 * were made and which covers at least two calls not covered yet, largest first, then the single
 * calls left. A call of another ABI ("name@x86") cannot be named in a filter: those, and names
 * systemd 252 does not know, go to *ret_unnamed (may be NULL). */
int syscall_filter_propose(char * const *used, SyscallExists exists, void *userdata, char ***ret,
                           char ***ret_unnamed);
