/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include <confine/confine-client.h>
#include <confine/confine-enums.h>

G_BEGIN_DECLS

#define CONFINE_TYPE_ANALYSIS (confine_analysis_get_type ())
G_DECLARE_FINAL_TYPE (ConfineAnalysis, confine_analysis, CONFINE, ANALYSIS, GObject)

/**
 * CONFINE_ANALYSIS_NOT_APPLICABLE: (type guint32) (value 4294967295)
 *
 * The badness of a check that does not apply (systemd shows no value for it).
 */
#define CONFINE_ANALYSIS_NOT_APPLICABLE ((guint32) 4294967295U)

void confine_client_analyze_async (ConfineClient *self,
                                   const gchar *const *argv,
                                   GVariant *properties,
                                   GUnixFDList *fd_list,
                                   ConfineSpawnFlags flags,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
ConfineAnalysis *confine_client_analyze_finish (ConfineClient *self, GAsyncResult *result, GError **error);
ConfineAnalysis *confine_client_analyze (ConfineClient *self,
                                         const gchar *const *argv,
                                         GVariant *properties,
                                         GUnixFDList *fd_list,
                                         ConfineSpawnFlags flags,
                                         GCancellable *cancellable,
                                         GError **error);

GVariant *confine_analysis_get_effective_properties (ConfineAnalysis *self);
const gchar *confine_analysis_get_action (ConfineAnalysis *self);
const gchar *confine_analysis_get_action_reason (ConfineAnalysis *self);
GVariant *confine_analysis_get_action_details (ConfineAnalysis *self);
guint confine_analysis_get_exposure (ConfineAnalysis *self);
const gchar *confine_analysis_get_exposure_level (ConfineAnalysis *self);
GVariant *confine_analysis_get_checks (ConfineAnalysis *self);
GVariant *confine_analysis_get_findings (ConfineAnalysis *self);

G_END_DECLS
