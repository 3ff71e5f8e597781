/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "confine/confine-error.h"

G_DEFINE_BOXED_TYPE (ConfineSpawnFailure, confine_spawn_failure, confine_spawn_failure_copy,
                     confine_spawn_failure_free)

/* The errno of this system with that name; 0 if it has none. */
static gint errno_from_name (const gchar *name) {
        for (gint e = 1; e < 4096; e++) {
                const char *n = strerrorname_np (e);
                if (n && g_str_equal (n, name))
                        return e;
        }
        return 0;
}

static gboolean valid_word (const gchar *s, gsize n) {
        if (n == 0)
                return FALSE;
        for (gsize i = 0; i < n; i++)
                if (!g_ascii_isalnum (s[i]) && s[i] != '-' && s[i] != '_')
                        return FALSE;
        return TRUE;
}

/**
 * confine_spawn_failure_from_error:
 * @error: a #GError
 *
 * Reads the fields that a %CONFINE_ERROR_SPAWN_FAILED error carries at the end of its message,
 * in the fixed form "[step=STEP errno=ENAME]" or "[step=STEP errno=ENAME property=NAME]".
 *
 * Returns: (transfer full) (nullable): the fields, or %NULL if @error is no such error.
 */
ConfineSpawnFailure *confine_spawn_failure_from_error (const GError *error) {
        g_autoptr (ConfineSpawnFailure) f = NULL;
        g_auto (GStrv) words = NULL;
        g_autofree gchar *fields = NULL;
        const gchar *open, *end;

        g_return_val_if_fail (error != NULL, NULL);
        if (!g_error_matches (error, CONFINE_ERROR, CONFINE_ERROR_SPAWN_FAILED) || !error->message)
                return NULL;
        end = error->message + strlen (error->message);
        open = g_strrstr (error->message, " [step=");
        if (!open || end[-1] != ']')
                return NULL;

        fields = g_strndup (open + 2, (gsize) (end - open - 3));
        words = g_strsplit (fields, " ", 0);
        f = g_new0 (ConfineSpawnFailure, 1);
        for (gsize i = 0; words[i]; i++) {
                const gchar *eq = strchr (words[i], '=');
                const gchar *value = eq ? eq + 1 : NULL;
                gchar **field = NULL;

                if (!eq || !valid_word (value, strlen (value)))
                        return NULL;
                if (g_str_has_prefix (words[i], "step="))
                        field = &f->step;
                else if (g_str_has_prefix (words[i], "errno="))
                        field = &f->error_name;
                else if (g_str_has_prefix (words[i], "property="))
                        field = &f->property;
                if (!field || *field)
                        return NULL;
                *field = g_strdup (value);
        }
        if (!f->step || !f->error_name)
                return NULL;
        f->error_number = errno_from_name (f->error_name);
        return g_steal_pointer (&f);
}

/**
 * confine_spawn_failure_copy:
 * @failure: a #ConfineSpawnFailure
 *
 * Returns: (transfer full): a copy of @failure
 */
ConfineSpawnFailure *confine_spawn_failure_copy (const ConfineSpawnFailure *failure) {
        ConfineSpawnFailure *c;

        g_return_val_if_fail (failure != NULL, NULL);
        c = g_new0 (ConfineSpawnFailure, 1);
        c->step = g_strdup (failure->step);
        c->error_number = failure->error_number;
        c->error_name = g_strdup (failure->error_name);
        c->property = g_strdup (failure->property);
        return c;
}

/**
 * confine_spawn_failure_free:
 * @failure: (nullable): a #ConfineSpawnFailure
 */
void confine_spawn_failure_free (ConfineSpawnFailure *failure) {
        if (!failure)
                return;
        g_free (failure->step);
        g_free (failure->error_name);
        g_free (failure->property);
        g_free (failure);
}
