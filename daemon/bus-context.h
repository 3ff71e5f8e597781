/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The daemon's D-Bus side: its objects on the bus, the requests waiting for polkit and the
 * subscribers. It holds the Manager (the model) and is the observer of its jobs. */

#include <systemd/sd-bus.h>

#include "manager.h"

typedef struct SpawnRequest SpawnRequest;
typedef struct AnalyzeRequest AnalyzeRequest;
typedef struct Subscriber Subscriber;

typedef struct BusContext {
        sd_bus *bus;
        Manager *manager;
        sd_bus_slot *manager_slot, *job_slot, *job_enumerator_slot;

        SpawnRequest *requests; /* spawns waiting for polkit */
        unsigned n_requests;

        AnalyzeRequest *analyses; /* Analyze calls looking up their caller paths */
        unsigned n_analyses;

        Subscriber *subscribers; /* Manager.Subscribe, active or waiting for polkit */
} BusContext;

/* Puts the Manager and Job objects on the bus and makes the context the observer of m's jobs. */
int bus_context_new(sd_bus *bus, Manager *m, BusContext **ret);
/* Ends the pending requests and subscriptions and takes the objects off the bus. The manager's
 * jobs are let go of first (each job's bus state is released). */
BusContext *bus_context_free(BusContext *c);

/* Authorization checks of uid waiting for polkit (Spawn and Subscribe), and its Analyze calls, for
 * MaxPendingPerUser. */
unsigned bus_context_pending_checks_of(BusContext *c, uid_t uid);
