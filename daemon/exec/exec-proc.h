/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* The job's own /proc (PrivatePIDs=, ProtectProc=, ProcSubset=), as systemd's namespace.c makes it:
 * a new procfs instance, of the PID namespace confine-exec is in, with hidepid= and subset=pid as
 * asked. Unlike systemd, a kernel without those options fails the spawn rather than giving a /proc
 * that hides less. */

/* Detaches every mount at path (the copy of the host's /proc in the job's tree, with its submounts),
 * so that nothing of the host's instance is left under the new one. Returns 0 or a negative errno. */
int exec_proc_detach(const char *path);

/* Mounts the new instance on target; *ret_mounted is the attached mount. Returns 0 or a negative errno. */
int exec_proc_mount(const SandboxSpec *spec, int target, int *ret_mounted);
