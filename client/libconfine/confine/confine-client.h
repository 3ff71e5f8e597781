/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include <confine/confine-enums.h>
#include <confine/confine-job.h>

G_BEGIN_DECLS

#define CONFINE_TYPE_CLIENT (confine_client_get_type ())
G_DECLARE_FINAL_TYPE (ConfineClient, confine_client, CONFINE, CLIENT, GObject)

ConfineClient *confine_client_new (GCancellable *cancellable, GError **error);
void confine_client_new_async (GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
ConfineClient *confine_client_new_finish (GAsyncResult *result, GError **error);

ConfineClient *confine_client_new_for_connection (GDBusConnection *connection,
                                                  GCancellable *cancellable,
                                                  GError **error);
void confine_client_new_for_connection_async (GDBusConnection *connection,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data);
ConfineClient *confine_client_new_for_connection_finish (GAsyncResult *result, GError **error);

GDBusConnection *confine_client_get_connection (ConfineClient *self);
const gchar *confine_client_get_daemon_name (ConfineClient *self);
gboolean confine_client_get_allow_interactive_authorization (ConfineClient *self);
void confine_client_set_allow_interactive_authorization (ConfineClient *self, gboolean allow);

ConfineJob *confine_client_spawn (ConfineClient *self,
                                  const gchar *const *argv,
                                  GVariant *properties,
                                  GUnixFDList *fd_list,
                                  ConfineSpawnFlags flags,
                                  GCancellable *cancellable,
                                  GError **error);
void confine_client_spawn_async (ConfineClient *self,
                                 const gchar *const *argv,
                                 GVariant *properties,
                                 GUnixFDList *fd_list,
                                 ConfineSpawnFlags flags,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
ConfineJob *confine_client_spawn_finish (ConfineClient *self, GAsyncResult *result, GError **error);

ConfineJob *confine_client_get_job (ConfineClient *self, guint64 id, GCancellable *cancellable, GError **error);
void confine_client_get_job_async (ConfineClient *self,
                                   guint64 id,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
ConfineJob *confine_client_get_job_finish (ConfineClient *self, GAsyncResult *result, GError **error);

GPtrArray *confine_client_list_jobs (ConfineClient *self, GCancellable *cancellable, GError **error);
void confine_client_list_jobs_async (ConfineClient *self,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
GPtrArray *confine_client_list_jobs_finish (ConfineClient *self, GAsyncResult *result, GError **error);

gboolean confine_client_subscribe (ConfineClient *self, GCancellable *cancellable, GError **error);
void confine_client_subscribe_async (ConfineClient *self,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean confine_client_subscribe_finish (ConfineClient *self, GAsyncResult *result, GError **error);

gboolean confine_client_unsubscribe (ConfineClient *self, GCancellable *cancellable, GError **error);
void confine_client_unsubscribe_async (ConfineClient *self,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean confine_client_unsubscribe_finish (ConfineClient *self, GAsyncResult *result, GError **error);

G_END_DECLS
