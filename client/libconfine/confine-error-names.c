/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stddef.h>
#include <string.h>

#include "confine-error-names.h"

#define ERROR_PREFIX "org.confine.Confine1.Error."

typedef struct {
        const char *name;
        const char *description;
} ErrorDescription;

/* What each error means for the person who ran the command, in words that add to the
 * daemon's message (which names the property, step or limit). */
static const ErrorDescription descriptions[] = {
        { ERROR_PREFIX "Failed", "the request failed" },
        { ERROR_PREFIX "UnknownProperty", "confine does not know this property" },
        { ERROR_PREFIX "InvalidProperty", "a property has the wrong type or a bad value" },
        { ERROR_PREFIX "NotSupported", "this host cannot enforce a property or flag asked for" },
        { ERROR_PREFIX "NoSuchJob", "no such job: it never existed, has expired, or is not visible to you" },
        { ERROR_PREFIX "QuotaExceeded", "a limit set in confined.conf was reached" },
        { ERROR_PREFIX "SpawnFailed", "the sandbox could not be set up" },
        { "org.freedesktop.DBus.Error.AccessDenied", "not authorized: polkit or the bus policy refused it" },
        { "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired",
          "authentication is required, but the request did not allow asking for it" },
        { "org.freedesktop.DBus.Error.InvalidArgs", "the daemon refused the arguments" },
        { "org.freedesktop.DBus.Error.UnknownObject", "no such job object: it has expired or is not visible to you" },
        { "org.freedesktop.DBus.Error.UnknownMethod", "the daemon does not implement this call (an older confined?)" },
        { "org.freedesktop.DBus.Error.ServiceUnknown", "confined is not running and cannot be started" },
        { "org.freedesktop.DBus.Error.NameHasNoOwner", "confined is not running" },
        { "org.freedesktop.DBus.Error.NoReply", "confined did not answer" },
        { "org.freedesktop.DBus.Error.Timeout", "confined did not answer in time" },
        { "org.freedesktop.DBus.Error.LimitsExceeded", "a limit of the message bus was reached" },
        { "org.freedesktop.DBus.Error.Disconnected", "the connection to the bus was lost" },
        { "org.freedesktop.DBus.Error.Failed", "the request failed" },
};

const char *confine_error_name_describe(const char *name) {
        for (size_t i = 0; i < sizeof descriptions / sizeof descriptions[0]; i++)
                if (strcmp(descriptions[i].name, name) == 0)
                        return descriptions[i].description;
        return NULL;
}
