/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "macro.h"

/* libsystemd's headers define sd_bus_unrefp(), sd_bus_message_unrefp() … for _cleanup_(). */

static inline void bus_error_freep(sd_bus_error *e) {
        sd_bus_error_free(e);
}
#define _cleanup_bus_error_ _cleanup_(bus_error_freep)

#define CONFINE_BUS_NAME "org.confine.Confine1"
#define CONFINE_MANAGER_PATH "/org/confine/Confine1"
#define CONFINE_MANAGER_INTERFACE "org.confine.Confine1.Manager"
#define CONFINE_JOB_PATH_PREFIX "/org/confine/Confine1/job"
#define CONFINE_JOB_INTERFACE "org.confine.Confine1.Job"

#define CONFINE_ERROR_UNKNOWN_PROPERTY "org.confine.Confine1.Error.UnknownProperty"
#define CONFINE_ERROR_INVALID_PROPERTY "org.confine.Confine1.Error.InvalidProperty"
#define CONFINE_ERROR_NOT_SUPPORTED "org.confine.Confine1.Error.NotSupported"
#define CONFINE_ERROR_NO_SUCH_JOB "org.confine.Confine1.Error.NoSuchJob"
#define CONFINE_ERROR_QUOTA_EXCEEDED "org.confine.Confine1.Error.QuotaExceeded"
#define CONFINE_ERROR_SPAWN_FAILED "org.confine.Confine1.Error.SpawnFailed"

/* Reads an "as" in linear time (sd_bus_message_read_strv() appends in quadratic time), and
 * stops with -E2BIG as soon as it has more than max_items strings or max_bytes bytes (each
 * string counted with its NUL): a caller cannot make the daemon copy a huge list only to
 * refuse it, nor stall it. An empty array gives an empty, non-NULL list. */
int bus_message_read_strv_bounded(sd_bus_message *m, size_t max_items, size_t max_bytes, char ***ret);

/* The uid of the sender of m, from the bus, never from the message body. */
/* The uid and the pid of the sender's connection (0 if the bus does not say), from the bus; cached
 * per unique name. */
int bus_message_get_sender_creds(sd_bus_message *m, uid_t *ret_uid, pid_t *ret_pid);
int bus_message_get_sender_uid(sd_bus_message *m, uid_t *ret);
