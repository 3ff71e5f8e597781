/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>
#include <systemd/sd-bus.h>

extern const sd_bus_vtable manager_vtable[];

typedef struct SpawnRequest SpawnRequest;
SpawnRequest *spawn_request_free(SpawnRequest *req);

typedef struct Manager Manager;
/* Authorization checks of uid waiting for polkit (Spawn and Subscribe), for MaxPendingPerUser. */
unsigned bus_manager_pending_checks_of(Manager *m, uid_t uid);
