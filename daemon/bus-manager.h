/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* org.confine.Confine1.Manager: Spawn (parse → validate → resolve → authorize → act → reply),
 * GetJob, ListJobs, and the Subscribe calls of bus-subscribe.c. */

#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "job-failure.h"

typedef struct BusContext BusContext;
typedef struct SpawnRequest SpawnRequest;

extern const sd_bus_vtable manager_vtable[];

SpawnRequest *spawn_request_free(SpawnRequest *req);
/* Spawn calls of uid waiting for polkit. */
unsigned spawn_requests_pending_of(BusContext *c, uid_t uid);

/* Why a job did not start, as the D-Bus error its Spawn gets. SpawnFailed's message ends in a
 * fixed form that programs may parse: "TEXT [step=STEP errno=ENAME]" or "TEXT [step=STEP
 * errno=ENAME property=NAME]". Returns the negative errno that sd_bus_error_set*() returns. */
int bus_job_failure_to_error(const JobFailure *f, sd_bus_error *error);
