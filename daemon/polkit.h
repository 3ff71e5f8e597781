/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>

#define POLKIT_ACTION_SPAWN "org.confine.Confine1.spawn"
#define POLKIT_ACTION_SPAWN_PRIVILEGED "org.confine.Confine1.spawn-privileged"
#define POLKIT_ACTION_MANAGE_JOBS "org.confine.Confine1.manage-jobs"

/* Called once with 1 (authorized), 0 (denied), or a negative errno: polkit failed, which the
 * caller must treat as a denial. `challenge` is set when interactive authentication would have
 * helped. */
typedef void (*PolkitCallback)(int result, bool challenge, const sd_bus_error *error, void *userdata);

/* Asks polkit asynchronously, for at most timeout_usec (no answer in time is a failure, so a
 * denial), whether the sender of `message` may do `action`. `details` is a
 * NULL-terminated list of key, value pairs. Unref'ing *ret_slot cancels the check: the callback
 * is then never called. */
int polkit_check_async(sd_bus_message *message, const char *action, char **details, uint64_t timeout_usec,
                       PolkitCallback callback, void *userdata, sd_bus_slot **ret_slot);
