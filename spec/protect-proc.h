/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>

/* ProtectProc= and ProcSubset=, as systemd.exec(5) defines them: the hidepid= and subset= options
 * of the job's own /proc instance. */

typedef enum ProtectProc {
        PROTECT_PROC_DEFAULT,   /* hidepid=off: every process is listed and, as the kernel allows, readable */
        PROTECT_PROC_NOACCESS,  /* hidepid=noaccess: others' /proc/PID are listed but not readable */
        PROTECT_PROC_INVISIBLE, /* hidepid=invisible: and not listed either */
        PROTECT_PROC_PTRACEABLE, /* hidepid=ptraceable: processes the job may not ptrace are hidden, root's group too */
        _PROTECT_PROC_MAX,
        _PROTECT_PROC_INVALID = -EINVAL,
} ProtectProc;

typedef enum ProcSubset {
        PROC_SUBSET_ALL,
        PROC_SUBSET_PID,        /* subset=pid: only the /proc/PID directories, no /proc/sys, /proc/kcore … */
        _PROC_SUBSET_MAX,
        _PROC_SUBSET_INVALID = -EINVAL,
} ProcSubset;

const char *protect_proc_to_string(ProtectProc p);
ProtectProc protect_proc_from_string(const char *s);
const char *proc_subset_to_string(ProcSubset p);
ProcSubset proc_subset_from_string(const char *s);

/* How much of the other processes ProtectProc= hides, for the strictness order: default 0,
 * noaccess 1, invisible 2, ptraceable 3. The kernel's has_pid_permissions() (fs/proc/base.c) lets a
 * reader in the instance's gid= group (0 when unset) past noaccess and invisible, but not past
 * ptraceable, which is a ptrace_may_access() check and nothing else: so ptraceable hides a superset. */
int protect_proc_rank(ProtectProc p);
