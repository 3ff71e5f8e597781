/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _ConfineClient ConfineClient;

#define CONFINE_TYPE_JOB (confine_job_get_type ())
G_DECLARE_FINAL_TYPE (ConfineJob, confine_job, CONFINE, JOB, GObject)

ConfineClient *confine_job_get_client (ConfineJob *self);
const gchar *confine_job_get_object_path (ConfineJob *self);
guint64 confine_job_get_id (ConfineJob *self);
const gchar *confine_job_get_state (ConfineJob *self);
const gchar *confine_job_get_result (ConfineJob *self);
gint confine_job_get_exit_status (ConfineJob *self);
gint confine_job_get_exit_code (ConfineJob *self);
guint confine_job_get_owner (ConfineJob *self);
const gchar *const *confine_job_get_argv (ConfineJob *self);
const gchar *confine_job_get_program (ConfineJob *self);
guint confine_job_get_main_pid (ConfineJob *self);
guint64 confine_job_get_start_timestamp (ConfineJob *self);
guint64 confine_job_get_exit_timestamp (ConfineJob *self);
guint64 confine_job_get_cpu_usage_nsec (ConfineJob *self);
guint64 confine_job_get_memory_peak (ConfineJob *self);
gboolean confine_job_get_io (ConfineJob *self, guint64 *read_bytes, guint64 *write_bytes, guint64 *read_operations,
                             guint64 *write_operations);
GVariant *confine_job_get_sandbox_properties (ConfineJob *self);
const gchar *const *confine_job_get_learned_system_calls (ConfineJob *self);
const gchar *const *confine_job_get_learned_address_families (ConfineJob *self);
const gchar *const *confine_job_get_learned_paths (ConfineJob *self, gboolean written);
const gchar *const *confine_job_get_learned (ConfineJob *self, const gchar *property);

gboolean confine_job_refresh (ConfineJob *self, GCancellable *cancellable, GError **error);
void confine_job_refresh_async (ConfineJob *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean confine_job_refresh_finish (ConfineJob *self, GAsyncResult *result, GError **error);

gboolean confine_job_wait (ConfineJob *self,
                           GCancellable *cancellable,
                           gchar **out_result,
                           gint *out_status,
                           GError **error);
void confine_job_wait_async (ConfineJob *self,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean confine_job_wait_finish (ConfineJob *self,
                                  GAsyncResult *result,
                                  gchar **out_result,
                                  gint *out_status,
                                  GError **error);

gboolean confine_job_kill (ConfineJob *self, gint signal, GCancellable *cancellable, GError **error);
void confine_job_kill_async (ConfineJob *self,
                             gint signal,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean confine_job_kill_finish (ConfineJob *self, GAsyncResult *result, GError **error);

gboolean confine_job_write_input (ConfineJob *self, GBytes *data, GCancellable *cancellable, GError **error);
void confine_job_write_input_async (ConfineJob *self,
                                    GBytes *data,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean confine_job_write_input_finish (ConfineJob *self, GAsyncResult *result, GError **error);

gboolean confine_job_close_input (ConfineJob *self, GCancellable *cancellable, GError **error);
void confine_job_close_input_async (ConfineJob *self,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean confine_job_close_input_finish (ConfineJob *self, GAsyncResult *result, GError **error);

gint confine_job_get_terminal (ConfineJob *self, GCancellable *cancellable, GError **error);
void confine_job_get_terminal_async (ConfineJob *self,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gint confine_job_get_terminal_finish (ConfineJob *self, GAsyncResult *result, GError **error);

G_END_DECLS
