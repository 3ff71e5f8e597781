/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* org.confine.Confine1.Manager: Spawn (parse → validate → resolve → authorize → act → reply),
 * GetJob, ListJobs, and the Subscribe calls of bus-subscribe.c. */

#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "identity.h"
#include "job-failure.h"
#include "spawn-tier.h"

typedef struct BusContext BusContext;
typedef struct SpawnRequest SpawnRequest;
typedef struct Job Job;

/* Who a spawn is for. */
typedef struct SpawnOrigin {
        uid_t caller_uid;       /* the sender's uid: what polkit asks about, MaxPendingPerUser */
        uid_t owner_uid;        /* the job's owner: quotas and who sees it; a nested job's is its parent's */
        uint64_t parent_id;     /* the job the sender runs in, 0 for none */
} SpawnOrigin;

/* A Spawn (or Analyze) request after parsing, checks, identity and tier: what polkit is asked about. */
typedef struct SpawnPlan {
        SandboxSpec *spec;      /* the effective spec, forced settings included */
        SpawnOrigin origin;
        Job *parent;            /* the job the request came from, or NULL */
        uint64_t flags;
        SpawnTier tier;
        const char *tier_reason;
        Identity id;            /* user_name, home, shell; the groups moved into spec */
} SpawnPlan;

void spawn_plan_done(SpawnPlan *p);
/* Reads argv, properties and flags of a Spawn-shaped message and runs the pipeline up to polkit.
 * for_analyze leaves out the job quotas. Errors are set in *error, named as Spawn names them. */
int bus_spawn_plan(BusContext *c, sd_bus_message *message, bool for_analyze, SpawnPlan *ret, sd_bus_error *error);

/* The details polkit is given for a spawn check: program, command_line, user, profile and
 * within_profile ("yes" when the request names a profile and loosens nothing of it). */
typedef struct SpawnDetails {
        char *command_line;
        char *strv[13];         /* key, value, …, NULL */
} SpawnDetails;

int spawn_details_build(const SandboxSpec *spec, const char *user_name, SpawnDetails *ret);
void spawn_details_done(SpawnDetails *d);

extern const sd_bus_vtable manager_vtable[];

SpawnRequest *spawn_request_free(SpawnRequest *req);
/* Spawn calls of uid waiting for polkit. */
unsigned spawn_requests_pending_of(BusContext *c, uid_t uid);

/* Why a job did not start, as the D-Bus error its Spawn gets. SpawnFailed's message ends in a
 * fixed form that programs may parse: "TEXT [step=STEP errno=ENAME]" or "TEXT [step=STEP
 * errno=ENAME property=NAME]". Returns the negative errno that sd_bus_error_set*() returns. */
int bus_job_failure_to_error(const JobFailure *f, sd_bus_error *error);
