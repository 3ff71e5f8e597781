/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CONFINE_ERROR:
 *
 * The error domain of confine's own D-Bus errors, org.confine.Confine1.Error.NAME, and of
 * the property parser. The standard D-Bus errors (AccessDenied, InvalidArgs …) keep the
 * %G_DBUS_ERROR domain.
 */
#define CONFINE_ERROR (confine_error_quark ())

/**
 * ConfineError:
 * @CONFINE_ERROR_FAILED: any other failure (org.confine.Confine1.Error.Failed).
 * @CONFINE_ERROR_UNKNOWN_PROPERTY: a property name that confine does not know.
 * @CONFINE_ERROR_INVALID_PROPERTY: a known property with a wrong type or a bad value.
 * @CONFINE_ERROR_NOT_SUPPORTED: a property or flag that this host cannot enforce.
 * @CONFINE_ERROR_NO_SUCH_JOB: no such job, it has expired, or the caller may not see it.
 * @CONFINE_ERROR_QUOTA_EXCEEDED: a limit of confined.conf was hit.
 * @CONFINE_ERROR_SPAWN_FAILED: the sandbox could not be set up; the message names the
 *   step and the errno.
 *
 * Error codes of %CONFINE_ERROR.
 */
typedef enum {
        CONFINE_ERROR_FAILED,
        CONFINE_ERROR_UNKNOWN_PROPERTY,
        CONFINE_ERROR_INVALID_PROPERTY,
        CONFINE_ERROR_NOT_SUPPORTED,
        CONFINE_ERROR_NO_SUCH_JOB,
        CONFINE_ERROR_QUOTA_EXCEEDED,
        CONFINE_ERROR_SPAWN_FAILED,
} ConfineError;

#define CONFINE_TYPE_ERROR (confine_error_get_type ())
GType confine_error_get_type (void);
GQuark confine_error_quark (void);

const gchar *confine_error_describe (const GError *error);
gchar *confine_error_dup_name (const GError *error);

G_END_DECLS
