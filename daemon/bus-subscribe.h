/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Manager.Subscribe and Unsubscribe: a subscriber receives the signals of every job (JobNew,
 * JobRemoved, Exited, PropertiesChanged, Output), unicast, until it unsubscribes or leaves the
 * bus. Needs polkit's org.confine.Confine1.manage-jobs (root is not asked). */

#include <stdbool.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>

typedef struct BusContext BusContext;
typedef struct Subscriber Subscriber;

struct Subscriber {
        BusContext *context;
        char *name;                     /* unique bus name */
        uid_t uid;
        sd_bus_message *request;        /* the Subscribe call while polkit decides; NULL once subscribed */
        sd_bus_slot *polkit_slot;
        sd_bus_track *track;            /* ends the subscription (or the check) when it leaves the bus */
        Subscriber *next, *prev;
};

static inline bool subscriber_active(const Subscriber *s) {
        return !s->request;
}

Subscriber *subscriber_free(Subscriber *s);
/* Whether the connection holds manage-jobs: it subscribed and polkit said yes (root too). */
bool subscriber_may_manage_jobs(BusContext *c, const char *sender);
/* Subscribe calls of uid still waiting for polkit. */
unsigned subscribers_pending_of(BusContext *c, uid_t uid);

int bus_manager_method_subscribe(sd_bus_message *message, void *userdata, sd_bus_error *error);
int bus_manager_method_unsubscribe(sd_bus_message *message, void *userdata, sd_bus_error *error);
