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
 *   step and the errno, which confine_spawn_failure_from_error() gives as fields.
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

/**
 * ConfineSpawnFailure:
 * @step: the setup step that failed: one of confine-exec's steps ("mount", "chdir", "execve" …)
 *   or of the daemon's ("cgroup", "devices", "spawn" …); docs/design.md lists them.
 * @error_number: the errno of the failure on this system, or 0 if its name is unknown here.
 * @error_name: the errno's name as the daemon sent it ("ENOENT").
 * @property: (nullable): the property concerned ("WorkingDirectory"), or %NULL.
 *
 * Why a spawn failed, read from a %CONFINE_ERROR_SPAWN_FAILED error: a program decides by
 * these fields, never by the words of the message, which may be translated.
 */
typedef struct {
        gchar *step;
        gint error_number;
        gchar *error_name;
        gchar *property;
} ConfineSpawnFailure;

#define CONFINE_TYPE_SPAWN_FAILURE (confine_spawn_failure_get_type ())
GType confine_spawn_failure_get_type (void);
ConfineSpawnFailure *confine_spawn_failure_from_error (const GError *error);
ConfineSpawnFailure *confine_spawn_failure_copy (const ConfineSpawnFailure *failure);
void confine_spawn_failure_free (ConfineSpawnFailure *failure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfineSpawnFailure, confine_spawn_failure_free)

G_END_DECLS
