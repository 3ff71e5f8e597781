/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>

#include "confine-property-text.h"
#include "confine/confine-error.h"
#include "property-table.h"

static void property_value_clear (PropertyValue *v) {
        property_value_done (v);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PropertyValue, property_value_clear)

/* The value in the signature of its property, as PropertyValue documents it. Signatures
 * with file descriptors (h, a(hs)) have no text form, so never reach this. */
static GVariant *value_to_variant (const PropertyValue *v, guint64 t) {
        const gchar *sig = v->info->signature;
        const gchar *const *strv = (const gchar *const *) v->strv;
        GVariantBuilder b;

        if (g_str_equal (sig, "b"))
                return g_variant_new_boolean (v->b);
        if (g_str_equal (sig, "i"))
                return g_variant_new_int32 (v->i);
        if (g_str_equal (sig, "u"))
                return g_variant_new_uint32 (v->u);
        if (g_str_equal (sig, "t"))
                return g_variant_new_uint64 (t);
        if (g_str_equal (sig, "s"))
                return g_variant_new_string (v->s ? v->s : "");
        if (g_str_equal (sig, "as"))
                return g_variant_new_strv (strv ? strv : (const gchar *const[]) { NULL }, -1);
        if (g_str_equal (sig, "(bas)"))
                return g_variant_new ("(b^as)", v->b, strv ? strv : (const gchar *const[]) { NULL });
        if (g_str_equal (sig, "a(ss)")) {
                g_variant_builder_init (&b, G_VARIANT_TYPE ("a(ss)"));
                for (size_t i = 0; i < v->n_tuples; i++)
                        g_variant_builder_add (&b, "(ss)", v->tuples[i].a, v->tuples[i].b);
                return g_variant_builder_end (&b);
        }
        if (g_str_equal (sig, "a(ssbt)")) {
                g_variant_builder_init (&b, G_VARIANT_TYPE ("a(ssbt)"));
                for (size_t i = 0; i < v->n_tuples; i++)
                        g_variant_builder_add (&b, "(ssbt)", v->tuples[i].a, v->tuples[i].b,
                                               (gboolean) v->tuples[i].flag, (guint64) v->tuples[i].t);
                return g_variant_builder_end (&b);
        }
        if (g_str_equal (sig, "a(iayu)")) {
                g_variant_builder_init (&b, G_VARIANT_TYPE ("a(iayu)"));
                for (size_t i = 0; i < v->n_tuples; i++)
                        g_variant_builder_add_value (
                                &b, g_variant_new ("(i@ayu)", (gint32) v->tuples[i].i,
                                                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, v->tuples[i].bytes,
                                                                              v->tuples[i].n_bytes, 1),
                                                   (guint32) v->tuples[i].u));
                return g_variant_builder_end (&b);
        }
        if (g_str_equal (sig, "a(iiqq)")) {
                g_variant_builder_init (&b, G_VARIANT_TYPE ("a(iiqq)"));
                for (size_t i = 0; i < v->n_tuples; i++)
                        g_variant_builder_add (&b, "(iiqq)", (gint32) v->tuples[i].i, (gint32) v->tuples[i].i2,
                                               (guint16) v->tuples[i].q1, (guint16) v->tuples[i].q2);
                return g_variant_builder_end (&b);
        }
        if (g_str_equal (sig, "ay"))
                return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, v->bytes, v->n_bytes, 1);
        if (g_str_equal (sig, "a(sb)")) {
                g_variant_builder_init (&b, G_VARIANT_TYPE ("a(sb)"));
                for (size_t i = 0; i < v->n_tuples; i++)
                        g_variant_builder_add (&b, "(sb)", v->tuples[i].a, (gboolean) v->tuples[i].flag);
                return g_variant_builder_end (&b);
        }
        if (g_str_equal (sig, "a(say)")) {
                g_variant_builder_init (&b, G_VARIANT_TYPE ("a(say)"));
                for (size_t i = 0; i < v->n_tuples; i++)
                        g_variant_builder_add (&b, "(s@ay)", v->tuples[i].a,
                                               g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, v->tuples[i].bytes,
                                                                          v->tuples[i].n_bytes, 1));
                return g_variant_builder_end (&b);
        }
        g_return_val_if_reached (NULL);
}

static GVariant *entry_new (const gchar *name, GVariant *value) {
        return g_variant_ref_sink (g_variant_new ("(sv)", name, value));
}

GPtrArray *confine_property_text_parse (const gchar *assignment, GError **error) {
        g_auto (PropertyValue) v = { .fd = -EBADF };
        g_autoptr (GPtrArray) entries = NULL;
        g_autofree gchar *soft_name = NULL;
        const char *reason = NULL;
        int r;

        r = property_value_parse (assignment, &v, &reason);
        if (r == -ENOMEM)
                g_error ("out of memory");
        if (r < 0) {
                g_set_error (error, CONFINE_ERROR,
                             r == -ENOENT ? CONFINE_ERROR_UNKNOWN_PROPERTY :
                             r == -EOPNOTSUPP ? CONFINE_ERROR_NOT_SUPPORTED : CONFINE_ERROR_INVALID_PROPERTY,
                             "%s: %s", assignment, reason ? reason : g_strerror (-r));
                return NULL;
        }

        entries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
        g_ptr_array_add (entries, entry_new (v.info->name, value_to_variant (&v, v.t)));
        /* "LimitNOFILE=1024:4096" is two properties on the wire, as with systemd-run. */
        if (v.has_soft) {
                soft_name = g_strconcat (v.info->name, "Soft", NULL);
                g_ptr_array_add (entries, entry_new (soft_name, value_to_variant (&v, v.soft)));
        }
        return g_steal_pointer (&entries);
}

const gchar *const *confine_property_text_names (void) {
        GPtrArray *names = g_ptr_array_new ();

        for (size_t i = 0; i < property_table_size; i++)
                if (property_table[i].text != PROPERTY_TEXT_NONE)
                        g_ptr_array_add (names, (gpointer) property_table[i].name);
        for (size_t i = 0; i < property_aliases_size; i++)
                g_ptr_array_add (names, (gpointer) property_aliases[i].text_name);
        g_ptr_array_add (names, NULL);
        return (const gchar *const *) g_ptr_array_free (names, FALSE);
}
