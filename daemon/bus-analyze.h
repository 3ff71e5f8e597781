/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Manager.Analyze(as argv, a(sv) properties, t flags): what Spawn would run, the polkit action it
 * would ask for and why, and the exposure report (spec/spec-exposure.h), without polkit or a job. */

#include <sys/types.h>
#include <systemd/sd-bus.h>

typedef struct BusContext BusContext;
typedef struct AnalyzeRequest AnalyzeRequest;

int bus_manager_method_analyze(sd_bus_message *message, void *userdata, sd_bus_error *error);

AnalyzeRequest *analyze_request_free(AnalyzeRequest *req);
/* Analyze calls of uid still looking up their paths, for MaxPendingPerUser. */
unsigned analyze_requests_pending_of(BusContext *c, uid_t uid);
