/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

G_BEGIN_DECLS

#define CONFINE_TYPE_PROPERTY_BUILDER (confine_property_builder_get_type ())
G_DECLARE_FINAL_TYPE (ConfinePropertyBuilder, confine_property_builder, CONFINE, PROPERTY_BUILDER, GObject)

ConfinePropertyBuilder *confine_property_builder_new (void);

gboolean confine_property_builder_add_text (ConfinePropertyBuilder *self,
                                            const gchar *assignment,
                                            GError **error);
void confine_property_builder_add (ConfinePropertyBuilder *self, const gchar *name, GVariant *value);
void confine_property_builder_add_boolean (ConfinePropertyBuilder *self, const gchar *name, gboolean value);
void confine_property_builder_add_string (ConfinePropertyBuilder *self, const gchar *name, const gchar *value);
void confine_property_builder_add_uint64 (ConfinePropertyBuilder *self, const gchar *name, guint64 value);
void confine_property_builder_add_strv (ConfinePropertyBuilder *self,
                                       const gchar *name,
                                       const gchar *const *value);
gboolean confine_property_builder_add_fd (ConfinePropertyBuilder *self,
                                          const gchar *name,
                                          gint fd,
                                          GError **error);
gboolean confine_property_builder_add_extra_fd (ConfinePropertyBuilder *self,
                                                gint fd,
                                                const gchar *fd_name,
                                                GError **error);

GVariant *confine_property_builder_end (ConfinePropertyBuilder *self);
GUnixFDList *confine_property_builder_get_fd_list (ConfinePropertyBuilder *self);
guint confine_property_builder_get_n_properties (ConfinePropertyBuilder *self);

const gchar *const *confine_property_builder_get_known_names (void);

G_END_DECLS
