/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "job.h"
#include "job-failure.h"

/* A job started from inside another (docs/design.md, "Nested sandboxes"): what the daemon takes
 * from the parent for the child's start. */

/* Puts the parent's compiled filters (but for its SystemCallFilter=, already merged into the
 * child's list) under the child's own. */
int job_stack_parent_seccomp(Job *j, Job *parent, JobFailure *f);

/* Opens the parent's pid_for_children namespace, once its main process is shown to be in the
 * namespaces its spec made. */
int job_open_parent_pidns(Job *parent, int *ret);
