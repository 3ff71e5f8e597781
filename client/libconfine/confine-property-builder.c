/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "confine/confine-property-builder.h"
#include "confine-property-text.h"

/**
 * ConfinePropertyBuilder:
 *
 * Collects the sandbox properties of a spawn request: the a(sv) array of
 * Manager.Spawn, plus the file descriptors that its h values refer to.
 *
 * |[<!-- language="C" -->
 * g_autoptr(ConfinePropertyBuilder) b = confine_property_builder_new ();
 * if (!confine_property_builder_add_text (b, "ProtectSystem=strict", &error))
 *         …
 * confine_property_builder_add_fd (b, "StandardInputFileDescriptor", fd, &error);
 * job = confine_client_spawn (client, argv, confine_property_builder_end (b),
 *                             confine_property_builder_get_fd_list (b), 0, NULL, &error);
 * ]|
 *
 * Entries are kept in the order they were added. A property given more than once is merged
 * on the daemon's side as systemd merges repeated lines of a unit: lists accumulate, a
 * scalar takes the last value.
 */
struct _ConfinePropertyBuilder {
        GObject parent_instance;
        GPtrArray *entries;     /* (sv), not floating */
        GUnixFDList *fd_list;
};

G_DEFINE_FINAL_TYPE (ConfinePropertyBuilder, confine_property_builder, G_TYPE_OBJECT)

static void confine_property_builder_finalize (GObject *object) {
        ConfinePropertyBuilder *self = CONFINE_PROPERTY_BUILDER (object);

        g_ptr_array_unref (self->entries);
        g_object_unref (self->fd_list);
        G_OBJECT_CLASS (confine_property_builder_parent_class)->finalize (object);
}

static void confine_property_builder_class_init (ConfinePropertyBuilderClass *klass) {
        G_OBJECT_CLASS (klass)->finalize = confine_property_builder_finalize;
}

static void confine_property_builder_init (ConfinePropertyBuilder *self) {
        self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
        self->fd_list = g_unix_fd_list_new ();
}

/**
 * confine_property_builder_new:
 *
 * Returns: (transfer full): an empty builder.
 */
ConfinePropertyBuilder *confine_property_builder_new (void) {
        return g_object_new (CONFINE_TYPE_PROPERTY_BUILDER, NULL);
}

/**
 * confine_property_builder_add:
 * @self: a #ConfinePropertyBuilder
 * @name: a property name as systemd.exec(5) spells it, for example "PrivateNetwork"
 * @value: the value, in the property's D-Bus type; a floating reference is taken
 *
 * Adds one property as it is. The daemon checks the name and type.
 */
void confine_property_builder_add (ConfinePropertyBuilder *self, const gchar *name, GVariant *value) {
        g_return_if_fail (CONFINE_IS_PROPERTY_BUILDER (self));
        g_return_if_fail (name != NULL);
        g_return_if_fail (value != NULL);

        g_ptr_array_add (self->entries, g_variant_ref_sink (g_variant_new ("(sv)", name, value)));
}

/**
 * confine_property_builder_add_text:
 * @self: a #ConfinePropertyBuilder
 * @assignment: "Name=Value", as `systemd-run -p` and `confinectl run -p` take it
 * @error: return location for a #GError
 *
 * Parses @assignment with the same parser as confinectl and the daemon: booleans,
 * "~" inversion for capabilities and filters, sizes ("512M"), time spans ("1min 30s"),
 * percentages for CPUQuota, "SOFT:HARD" for Limit* (two entries).
 *
 * Returns: %TRUE on success; %FALSE with %CONFINE_ERROR_UNKNOWN_PROPERTY or
 *   %CONFINE_ERROR_INVALID_PROPERTY, whose message is "@assignment: reason".
 */
gboolean confine_property_builder_add_text (ConfinePropertyBuilder *self, const gchar *assignment, GError **error) {
        g_autoptr (GPtrArray) entries = NULL;

        g_return_val_if_fail (CONFINE_IS_PROPERTY_BUILDER (self), FALSE);
        g_return_val_if_fail (assignment != NULL, FALSE);

        entries = confine_property_text_parse (assignment, error);
        if (!entries)
                return FALSE;
        for (guint i = 0; i < entries->len; i++)
                g_ptr_array_add (self->entries, g_variant_ref (entries->pdata[i]));
        return TRUE;
}

/**
 * confine_property_builder_add_boolean:
 * @self: a #ConfinePropertyBuilder
 * @name: a property of type b, for example "PrivateTmp"
 * @value: the value
 */
void confine_property_builder_add_boolean (ConfinePropertyBuilder *self, const gchar *name, gboolean value) {
        confine_property_builder_add (self, name, g_variant_new_boolean (value));
}

/**
 * confine_property_builder_add_string:
 * @self: a #ConfinePropertyBuilder
 * @name: a property of type s, for example "ProtectSystem"
 * @value: the value
 */
void confine_property_builder_add_string (ConfinePropertyBuilder *self, const gchar *name, const gchar *value) {
        g_return_if_fail (value != NULL);
        confine_property_builder_add (self, name, g_variant_new_string (value));
}

/**
 * confine_property_builder_add_uint64:
 * @self: a #ConfinePropertyBuilder
 * @name: a property of type t, for example "MemoryMax"
 * @value: the value
 */
void confine_property_builder_add_uint64 (ConfinePropertyBuilder *self, const gchar *name, guint64 value) {
        confine_property_builder_add (self, name, g_variant_new_uint64 (value));
}

/**
 * confine_property_builder_add_strv:
 * @self: a #ConfinePropertyBuilder
 * @name: a property of type as, for example "ReadWritePaths"
 * @value: (array zero-terminated=1): the strings
 */
void confine_property_builder_add_strv (ConfinePropertyBuilder *self, const gchar *name, const gchar *const *value) {
        g_return_if_fail (value != NULL);
        confine_property_builder_add (self, name, g_variant_new_strv (value, -1));
}

static gint append_fd (ConfinePropertyBuilder *self, gint fd, GError **error) {
        return g_unix_fd_list_append (self->fd_list, fd, error);
}

/**
 * confine_property_builder_add_fd:
 * @self: a #ConfinePropertyBuilder
 * @name: "StandardInputFileDescriptor", "StandardOutputFileDescriptor" or
 *   "StandardErrorFileDescriptor"
 * @fd: a file descriptor; the builder keeps a duplicate, @fd stays the caller's
 * @error: return location for a #GError
 *
 * Passes @fd to the job as its stdin, stdout or stderr. Not with
 * %CONFINE_SPAWN_FLAGS_PIPE or %CONFINE_SPAWN_FLAGS_PTY, and not over connections that
 * cannot carry file descriptors (a remote bridge).
 *
 * Returns: %TRUE, or %FALSE if @fd could not be duplicated.
 */
gboolean confine_property_builder_add_fd (ConfinePropertyBuilder *self, const gchar *name, gint fd, GError **error) {
        gint handle;

        g_return_val_if_fail (CONFINE_IS_PROPERTY_BUILDER (self), FALSE);
        handle = append_fd (self, fd, error);
        if (handle < 0)
                return FALSE;
        confine_property_builder_add (self, name, g_variant_new_handle (handle));
        return TRUE;
}

/**
 * confine_property_builder_add_extra_fd:
 * @self: a #ConfinePropertyBuilder
 * @fd: a file descriptor; the builder keeps a duplicate, @fd stays the caller's
 * @fd_name: its name in the job's LISTEN_FDNAMES
 * @error: return location for a #GError
 *
 * Passes @fd to the job as the next of fd 3, 4 … (ExtraFileDescriptors, in the order of
 * the calls), with LISTEN_FDS and LISTEN_FDNAMES set as systemd's socket activation does.
 *
 * Returns: %TRUE, or %FALSE if @fd could not be duplicated.
 */
gboolean confine_property_builder_add_extra_fd (ConfinePropertyBuilder *self, gint fd, const gchar *fd_name,
                                                GError **error) {
        GVariantBuilder b;
        gint handle;

        g_return_val_if_fail (CONFINE_IS_PROPERTY_BUILDER (self), FALSE);
        g_return_val_if_fail (fd_name != NULL, FALSE);
        handle = append_fd (self, fd, error);
        if (handle < 0)
                return FALSE;
        g_variant_builder_init (&b, G_VARIANT_TYPE ("a(hs)"));
        g_variant_builder_add (&b, "(hs)", handle, fd_name);
        confine_property_builder_add (self, "ExtraFileDescriptors", g_variant_builder_end (&b));
        return TRUE;
}

/**
 * confine_property_builder_end:
 * @self: a #ConfinePropertyBuilder
 *
 * The properties added so far, for confine_client_spawn(). The builder stays usable;
 * later additions are not in the returned value.
 *
 * Returns: (transfer full): a new a(sv) value.
 */
GVariant *confine_property_builder_end (ConfinePropertyBuilder *self) {
        g_return_val_if_fail (CONFINE_IS_PROPERTY_BUILDER (self), NULL);
        return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("(sv)"), (GVariant **) self->entries->pdata,
                                                        self->entries->len));
}

/**
 * confine_property_builder_get_fd_list:
 * @self: a #ConfinePropertyBuilder
 *
 * The file descriptors that the h values of the properties refer to, to pass to
 * confine_client_spawn() together with confine_property_builder_end().
 *
 * Returns: (transfer none): the builder's fd list.
 */
GUnixFDList *confine_property_builder_get_fd_list (ConfinePropertyBuilder *self) {
        g_return_val_if_fail (CONFINE_IS_PROPERTY_BUILDER (self), NULL);
        return self->fd_list;
}

/**
 * confine_property_builder_get_n_properties:
 * @self: a #ConfinePropertyBuilder
 *
 * Returns: how many (name, value) entries were added.
 */
guint confine_property_builder_get_n_properties (ConfinePropertyBuilder *self) {
        g_return_val_if_fail (CONFINE_IS_PROPERTY_BUILDER (self), 0);
        return self->entries->len;
}

/**
 * confine_property_builder_get_known_names:
 *
 * The property names this library's parser knows, which are those of the confined it
 * was built with (the daemon's SupportedProperties), plus the text aliases that
 * confine_property_builder_add_text() accepts (CPUQuota, RuntimeMaxSec).
 *
 * Returns: (transfer none) (array zero-terminated=1): the names.
 */
const gchar *const *confine_property_builder_get_known_names (void) {
        static gsize names = 0;

        if (g_once_init_enter (&names))
                g_once_init_leave (&names, (gsize) confine_property_text_names ());
        return (const gchar *const *) names;
}
