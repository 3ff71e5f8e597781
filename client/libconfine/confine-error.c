/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "confine/confine-error.h"

#include <gio/gio.h>

#include "confine-error-names.h"
#include "confine-private.h"

#define ERROR_PREFIX "org.confine.Confine1.Error."

static const GDBusErrorEntry error_entries[] = {
        { CONFINE_ERROR_FAILED, ERROR_PREFIX "Failed" },
        { CONFINE_ERROR_UNKNOWN_PROPERTY, ERROR_PREFIX "UnknownProperty" },
        { CONFINE_ERROR_INVALID_PROPERTY, ERROR_PREFIX "InvalidProperty" },
        { CONFINE_ERROR_NOT_SUPPORTED, ERROR_PREFIX "NotSupported" },
        { CONFINE_ERROR_NO_SUCH_JOB, ERROR_PREFIX "NoSuchJob" },
        { CONFINE_ERROR_QUOTA_EXCEEDED, ERROR_PREFIX "QuotaExceeded" },
        { CONFINE_ERROR_SPAWN_FAILED, ERROR_PREFIX "SpawnFailed" },
};

G_DEFINE_ENUM_TYPE (ConfineError, confine_error,
                    G_DEFINE_ENUM_VALUE (CONFINE_ERROR_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (CONFINE_ERROR_UNKNOWN_PROPERTY, "unknown-property"),
                    G_DEFINE_ENUM_VALUE (CONFINE_ERROR_INVALID_PROPERTY, "invalid-property"),
                    G_DEFINE_ENUM_VALUE (CONFINE_ERROR_NOT_SUPPORTED, "not-supported"),
                    G_DEFINE_ENUM_VALUE (CONFINE_ERROR_NO_SUCH_JOB, "no-such-job"),
                    G_DEFINE_ENUM_VALUE (CONFINE_ERROR_QUOTA_EXCEEDED, "quota-exceeded"),
                    G_DEFINE_ENUM_VALUE (CONFINE_ERROR_SPAWN_FAILED, "spawn-failed"))

/**
 * confine_error_quark:
 *
 * Registers the mapping between #ConfineError and the org.confine.Confine1.Error.NAME
 * D-Bus errors (g_dbus_error_register_error_domain()), so that errors from confined
 * arrive in the %CONFINE_ERROR domain with the daemon's message.
 *
 * Returns: the error quark of %CONFINE_ERROR.
 */
GQuark confine_error_quark (void) {
        static gsize quark = 0;
        g_dbus_error_register_error_domain ("confine-error-quark", &quark, error_entries,
                                            G_N_ELEMENTS (error_entries));
        return (GQuark) quark;
}

/**
 * confine_error_dup_name:
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the D-Bus name of @error
 *   ("org.confine.Confine1.Error.SpawnFailed" …), or %NULL if it did not come from D-Bus.
 */
gchar *confine_error_dup_name (const GError *error) {
        g_return_val_if_fail (error != NULL, NULL);
        (void) confine_error_quark ();
        return g_dbus_error_get_remote_error (error);
}

/**
 * confine_error_describe:
 * @error: a #GError
 *
 * A short explanation of what @error means for the caller, for each error confined and
 * the bus send, to print next to the error's own message (which names the property,
 * step or limit). Errors that did not come over D-Bus are described by their domain.
 *
 * Returns: (transfer none): a static string.
 */
static const gchar *describe_name (const gchar *name) {
        return confine_error_name_describe (name);
}

const gchar *confine_error_describe (const GError *error) {
        g_autofree gchar *name = NULL;
        const gchar *d;

        g_return_val_if_fail (error != NULL, NULL);
        name = confine_error_dup_name (error);
        if (name) {
                d = describe_name (name);
                return d ? d : "an error from the daemon or the bus";
        }
        if (error->domain == CONFINE_ERROR) {
                /* Local, from the property parser: the same words as the daemon's. */
                for (gsize i = 0; i < G_N_ELEMENTS (error_entries); i++)
                        if (error_entries[i].error_code == error->code)
                                return describe_name (error_entries[i].dbus_error_name);
        }
        if (error->domain == G_IO_ERROR) {
                switch (error->code) {
                case G_IO_ERROR_NOT_FOUND:
                case G_IO_ERROR_CONNECTION_REFUSED:
                case G_IO_ERROR_PERMISSION_DENIED:
                        return "cannot connect to the system bus";
                case G_IO_ERROR_CLOSED:
                case G_IO_ERROR_BROKEN_PIPE:
                        return "the connection to the bus was lost";
                case G_IO_ERROR_CANCELLED:
                        return "cancelled";
                case G_IO_ERROR_TIMED_OUT:
                        return "timed out";
                default:
                        break;
                }
        }
        return "the request failed";
}

void _confine_error_strip (GError *error) {
        if (error && (error->domain == CONFINE_ERROR || error->domain == G_DBUS_ERROR))
                g_dbus_error_strip_remote_error (error);
}

void _confine_error_strip_out (GError **error) {
        if (error)
                _confine_error_strip (*error);
}

void _confine_task_return_error (GTask *task, GError *error) {
        _confine_error_strip (error);
        g_task_return_error (task, error);
}
