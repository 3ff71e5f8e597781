/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include "bus-analyze.h"
#include "bus-context.h"
#include "bus-job.h"
#include "bus-manager.h"
#include "bus-subscribe.h"
#include "bus-util.h"
#include "job.h"

int bus_context_new(sd_bus *bus, Manager *m, BusContext **ret) {
        BusContext *c;
        int r;

        c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        c->bus = sd_bus_ref(bus);
        c->manager = m;

        r = sd_bus_add_object_vtable(bus, &c->manager_slot, CONFINE_MANAGER_PATH, CONFINE_MANAGER_INTERFACE,
                                     manager_vtable, c);
        if (r >= 0)
                r = sd_bus_add_fallback_vtable(bus, &c->job_slot, CONFINE_JOB_PATH_PREFIX, CONFINE_JOB_INTERFACE,
                                               job_vtable, bus_job_find, c);
        if (r >= 0)
                r = sd_bus_add_node_enumerator(bus, &c->job_enumerator_slot, CONFINE_JOB_PATH_PREFIX,
                                               bus_job_enumerate, c);
        if (r < 0) {
                bus_context_free(c);
                return r;
        }
        manager_set_observer(m, &bus_job_observer);
        *ret = c;
        return 0;
}

BusContext *bus_context_free(BusContext *c) {
        if (!c)
                return NULL;
        while (c->requests)
                spawn_request_free(c->requests);
        while (c->analyses)
                analyze_request_free(c->analyses);
        while (c->subscribers)
                subscriber_free(c->subscribers);
        if (c->manager) {
                for (Job *j = c->manager->jobs; j; j = j->next)
                        j->observer_data = bus_job_free(j->observer_data);
                manager_set_observer(c->manager, NULL);
        }
        sd_bus_slot_unref(c->manager_slot);
        sd_bus_slot_unref(c->job_slot);
        sd_bus_slot_unref(c->job_enumerator_slot);
        sd_bus_unref(c->bus);
        free(c);
        return NULL;
}

unsigned bus_context_pending_checks_of(BusContext *c, uid_t uid) {
        return spawn_requests_pending_of(c, uid) + subscribers_pending_of(c, uid) + analyze_requests_pending_of(c, uid);
}
