/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What ConfineClient and ConfineJob know of each other; not installed. */
#pragma once

#include "confine-dbus-generated.h"
#include "confine/confine-client.h"
#include "confine/confine-job.h"

#define CONFINE_BUS_NAME "org.confine.Confine1"
#define CONFINE_MANAGER_PATH "/org/confine/Confine1"
#define CONFINE_MANAGER_IFACE "org.confine.Confine1.Manager"
#define CONFINE_JOB_IFACE "org.confine.Confine1.Job"
#define CONFINE_JOB_PATH_PREFIX "/org/confine/Confine1/job/"
#define DBUS_PROPERTIES_IFACE "org.freedesktop.DBus.Properties"

/* Method calls that wait for a job's end have no timeout. */
#define CONFINE_NO_TIMEOUT G_MAXINT

/* Job objects are made by the client: one per object path. */
ConfineJob *_confine_job_new (ConfineClient *client, const gchar *object_path);
/* A signal of the daemon about this job: Exited, Output, PropertiesChanged, and the
 * manager's JobNew and JobRemoved. Processed at once, or queued while the job is held. */
void _confine_job_deliver (ConfineJob *self, const gchar *interface, const gchar *member, GVariant *parameters);
/* While held, a job queues its signals: between the moment the daemon knows it and the
 * moment the application got the object from confine_client_spawn_finish() and could
 * connect its handlers. Releasing replays the queue from the main context, in order. */
void _confine_job_hold (ConfineJob *self);
void _confine_job_release (ConfineJob *self);
gboolean _confine_job_is_held (ConfineJob *self);
/* What Spawn's reply tells: the target has been executed. */
void _confine_job_set_spawned (ConfineJob *self);
/* Waiting for the end of a job this client spawned needs no Wait call: the daemon sends the
 * Exited signal to the connection that spawned it (and, as a last resort, JobRemoved). The waits
 * are answered by that signal, or failed when the daemon leaves the bus or the connection closes. */
gboolean _confine_job_end_comes_by_signal (ConfineJob *self);
/* TRUE with the job's result and status once they are known (Exited, Wait, JobRemoved). */
gboolean _confine_job_end_is_known (ConfineJob *self, const gchar **out_result, gint *out_status);
/* Takes the reference of @task, and answers it with _confine_job_return_wait() at the end. */
void _confine_job_add_exit_wait (ConfineJob *self, GTask *task);
void _confine_job_fail_exit_waits (ConfineJob *self, const GError *error);
/* Answers a task of confine_job_wait_async() with the job's end, and drops the reference. */
void _confine_job_return_wait (GTask *task, const gchar *result, gint status);
/* The job's generated proxy, made on first use; for the method calls (confine-job-calls.c). */
ConfineDBusJob *_confine_job_get_proxy (ConfineJob *self);
/* Job properties from GetAll or PropertiesChanged; values of an unexpected type are ignored. */
void _confine_job_apply_properties (ConfineJob *self, GVariant *dict);
/* The end of the job, from Wait, Exited or JobRemoved: state "exited". */
void _confine_job_set_end (ConfineJob *self, const gchar *result, gint status);
/* What ListJobs tells about a job. */
void _confine_job_set_listed (ConfineJob *self, const gchar *state, guint owner, guint main_pid, const gchar *program);

GMainContext *_confine_client_get_context (ConfineClient *self);
/* FALSE once the daemon's unique name has left the bus or the connection has closed. */
gboolean _confine_client_daemon_is_there (ConfineClient *self);
void _confine_client_forget_job (ConfineClient *self, ConfineJob *job);
void _confine_client_job_new (ConfineClient *self, ConfineJob *job);
void _confine_client_job_removed (ConfineClient *self, ConfineJob *job);

/* Runs an async operation to its end by iterating @context, so that the signals and the
 * Ping replies that it depends on are dispatched meanwhile. Returns NULL (nothing started)
 * if another thread owns @context: then a blocking call is safe instead. */
typedef void (*ConfineAsyncStarter) (gpointer source, gpointer data, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
GAsyncResult *_confine_run_in_context (GMainContext *context, ConfineAsyncStarter start, gpointer source,
                                       gpointer data, GCancellable *cancellable);

/* Errors from D-Bus carry "GDBus.Error:NAME: " in their message; confine's and the standard
 * D-Bus errors keep their name through their registered domain, so the prefix goes. Errors of
 * other names keep it: it is then the only place the name is. */
void _confine_error_strip (GError *error);
void _confine_task_return_error (GTask *task, GError *error);
/* For the sync functions: strips *error if it is set. */
void _confine_error_strip_out (GError **error);
