/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <systemd/sd-bus.h>

extern const sd_bus_vtable manager_vtable[];

typedef struct SpawnRequest SpawnRequest;
SpawnRequest *spawn_request_free(SpawnRequest *req);
