/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* PrivatePIDs=yes. Three processes instead of one (docs/design.md, "PrivatePIDs="):
 *
 *   confine-exec  (the pid confined cloned and watches; outside the namespace)
 *     └ init      (PID 1 of the job's namespace: confine-exec again, builds the sandbox)
 *         └ job   (PID 2: the last setup steps, then execve)
 *
 * The outer process forwards every signal it gets to the init, which forwards it to the job; the
 * init reaps what is orphaned in the namespace; when the job ends, the init hands its wait status
 * out and exits (which kills what is left in the namespace), and the outer process ends the same
 * way: the same exit status, or the same signal. So Kill(), RuntimeMaxUSec= and the job's exit
 * status mean for confined what they mean without PrivatePIDs=. */

/* In the outer process: unshare the PID namespace and fork its init. Returns in the init only; the
 * outer process supervises and exits as the job did. Without PrivatePIDs= it does nothing. */
void exec_enter_pid_namespace(const SandboxSpec *spec);

/* In the init, once the sandbox is built: fork the job. Returns in the job only; the init reaps and
 * forwards until the job has ended. Without PrivatePIDs= it does nothing. */
void exec_fork_job(const SandboxSpec *spec);
